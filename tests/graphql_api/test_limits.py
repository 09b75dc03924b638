"""Bounded pages and the guards against abusive documents (depth, aliases, tokens)."""

import pytest
from django.conf import settings
from graphql import parse

from backoffice.reference.models import Satuan
from graphql_api.pagination import max_page_size
from tests.factories import make_nomenclature
from tests.graphql_api.test_nomenclature import HIERARCHY


@pytest.fixture
def satuan(db):
    """One row more than the largest page."""
    Satuan.objects.bulk_create(Satuan(name=f"Satuan {n:04d}") for n in range(max_page_size() + 1))


def test_default_page_is_100_rows(gql, satuan):
    data = gql("{ satuanList { totalCount pageInfo { offset limit } results { name } } }")
    assert data["satuanList"]["totalCount"] == max_page_size() + 1
    assert data["satuanList"]["pageInfo"] == {"offset": 0, "limit": 100}
    assert len(data["satuanList"]["results"]) == min(100, max_page_size())


def test_the_largest_page_is_served_in_full(gql, satuan):
    data = gql("query($n: Int!) { satuanList(pagination: {limit: $n}) { results { name } } }", n=max_page_size())
    assert len(data["satuanList"]["results"]) == max_page_size()
    rest = gql("query($n: Int!) { satuanList(pagination: {offset: $n}) { results { name } } }", n=max_page_size())
    assert [r["name"] for r in rest["satuanList"]["results"]] == [f"Satuan {max_page_size():04d}"]


@pytest.mark.parametrize("pagination", ["{limit: %d}" % (10**6), "{limit: -1}", "{offset: -5}"])
def test_a_page_beyond_the_maximum_is_refused_not_clamped(gql_errors, satuan, pagination):
    errors = gql_errors("{ satuanList(pagination: %s) { results { name } } }" % pagination)
    assert "pagination." in errors[0]


def test_the_error_names_the_maximum(gql_errors, satuan):
    errors = gql_errors("query($n: Int!) { satuanList(pagination: {limit: $n}) { totalCount } }", n=max_page_size() + 1)
    assert errors == [f"pagination.limit harus antara 0 dan {max_page_size()} (diminta {max_page_size() + 1}). "
                      "Ambil data berikutnya dengan menaikkan pagination.offset."]


def test_nested_lists_are_bounded_too(gql, gql_errors, edition):
    make_nomenclature(edition, kegiatan=1, sub_kegiatan=3)
    query = "query($p: PaginationInput!) { kegiatanList { results { subKegiatanList(pagination: $p) { totalCount results { code } } } } }"
    page = gql(query, p={"offset": 1, "limit": 1})["kegiatanList"]["results"][0]["subKegiatanList"]
    assert page == {"totalCount": 3, "results": [{"code": "1.01.01.2.01.0002"}]}
    assert "pagination.limit" in gql_errors(query, p={"limit": max_page_size() + 1})[0]


def test_nested_lists_default_to_100_rows_per_parent(gql, edition):
    make_nomenclature(edition, kegiatan=1, sub_kegiatan=101)
    data = gql("{ kegiatanList { results { subKegiatanList { totalCount results { code } } } } }")
    page = data["kegiatanList"]["results"][0]["subKegiatanList"]
    assert page["totalCount"] == 101
    assert len(page["results"]) == 100


def depth_of(query):
    """Depth as strawberry's QueryDepthLimiter counts it: root fields are 0, leaves count."""

    def depth(selection_set, level):
        return max((depth(s.selection_set, level + 1) if s.selection_set else level for s in selection_set.selections), default=level)

    return depth(parse(query).definitions[0].selection_set, 0)


def test_the_full_hierarchy_fits_the_depth_limit(gql, edition):
    make_nomenclature(edition)
    assert depth_of(HIERARCHY) == 10
    assert depth_of(HIERARCHY) <= settings.GRAPHQL_MAX_DEPTH
    assert gql(HIERARCHY)["urusanList"]["totalCount"] == 1


def test_a_deeper_document_is_refused(gql_errors, db):
    levels = settings.GRAPHQL_MAX_DEPTH // 2  # each `children { results { ... } }` adds 2
    query = "{ wilayahList { results { " + "children { results { " * levels + "code" + " } }" * levels + " } } }"
    assert depth_of(query) > settings.GRAPHQL_MAX_DEPTH
    errors = gql_errors(query)
    assert f"exceeds maximum operation depth of {settings.GRAPHQL_MAX_DEPTH}" in errors[0]


def test_too_many_aliases_are_refused(gql, gql_errors, db):
    allowed = " ".join(f"a{n}: satuanList {{ totalCount }}" for n in range(settings.GRAPHQL_MAX_ALIASES))
    assert len(gql("{ %s }" % allowed)) == settings.GRAPHQL_MAX_ALIASES
    errors = gql_errors("{ %s extra: satuanList { totalCount } }" % allowed)
    assert errors == [f"{settings.GRAPHQL_MAX_ALIASES + 1} aliases found. Allowed: {settings.GRAPHQL_MAX_ALIASES}"]


def test_too_many_tokens_are_refused(gql_errors, db):
    query = "{ satuanList { totalCount " + "totalCount " * settings.GRAPHQL_MAX_TOKENS + "} }"
    errors = gql_errors(query)
    assert f"Document contains more than {settings.GRAPHQL_MAX_TOKENS} tokens" in errors[0]
