"""Nomenclature over GraphQL: constant query counts, editions (root and nested), lookups."""

import datetime

import pytest
from django.utils import timezone

from backoffice.reference.models import Kegiatan, NomenclatureEdition, SubKegiatan, Urusan
from tests.factories import make_edition, make_nomenclature

HIERARCHY = """
query Hierarchy($year: Int, $edition: String) {
  urusanList(year: $year, edition: $edition) {
    totalCount
    results {
      code name isActive validFrom { name year } validUntil { name }
      bidangUrusanList {
        totalCount
        results {
          code name urusan { code }
          programList {
            totalCount
            results {
              code name bidangUrusan { code }
              kegiatanList {
                totalCount
                results {
                  code name program { code }
                  subKegiatanList { totalCount results { code name isActive kinerja indikator satuan } }
                }
              }
            }
          }
        }
      }
    }
  }
}
"""


def sub_kegiatan_of(data):
    """Every sub kegiatan row in a HIERARCHY response, flattened: {code: name}."""
    rows = {}
    for urusan in data["urusanList"]["results"]:
        for bidang in urusan["bidangUrusanList"]["results"]:
            for program in bidang["programList"]["results"]:
                for kegiatan in program["kegiatanList"]["results"]:
                    for sub in kegiatan["subKegiatanList"]["results"]:
                        rows[sub["code"]] = sub["name"]
    return rows


# The whole tree costs: edition lookup, root count, root rows, then one windowed prefetch per
# nested level (bidang urusan, program, kegiatan, sub kegiatan). Upward links are joins.
HIERARCHY_QUERIES = 7


@pytest.mark.parametrize(
    "fan_out, expected_sub_kegiatan",
    [
        (dict(urusan=1, bidang=1, program=1, kegiatan=2, sub_kegiatan=5), 10),
        (dict(urusan=2, bidang=4, program=5, kegiatan=5, sub_kegiatan=10), 2000),
    ],
    ids=["10 sub kegiatan", "2000 sub kegiatan"],
)
def test_full_hierarchy_costs_a_constant_number_of_queries(gql, edition, django_assert_num_queries, fan_out, expected_sub_kegiatan):
    make_nomenclature(edition, **fan_out)

    with django_assert_num_queries(HIERARCHY_QUERIES):
        data = gql(HIERARCHY, year=edition.year)

    rows = sub_kegiatan_of(data)
    assert len(rows) == expected_sub_kegiatan
    assert data["urusanList"]["totalCount"] == fan_out["urusan"]
    first_kegiatan = data["urusanList"]["results"][0]["bidangUrusanList"]["results"][0]["programList"]["results"][0]["kegiatanList"]
    assert first_kegiatan["totalCount"] == fan_out["kegiatan"]
    assert first_kegiatan["results"][0]["subKegiatanList"]["totalCount"] == fan_out["sub_kegiatan"]
    assert first_kegiatan["results"][0]["program"]["code"] == "1.01.01"


@pytest.fixture
def two_editions(db):
    """Edition A (three years ago) builds a tree; edition B (last year) renames one sub kegiatan,
    ends another and adds a third; edition C (next year) renames the kegiatan."""
    this_year = timezone.localdate().year
    a = make_edition("Permendagri 90/2019", this_year - 3)
    b = make_edition("Kepmendagri 050-5889/2021", this_year - 1)
    c = make_edition("Kepmendagri 900-2099", this_year + 1)
    renamed, ended = make_nomenclature(a, sub_kegiatan=2)
    renamed.valid_until = b
    renamed.save()
    ended.valid_until = b
    ended.save()
    SubKegiatan.objects.create(code=renamed.code, name="Nama baru", kegiatan=renamed.kegiatan, valid_from=b)
    SubKegiatan.objects.create(code="1.01.01.2.01.0003", name="Sub kegiatan tambahan", kegiatan=renamed.kegiatan, valid_from=b)
    old_kegiatan = renamed.kegiatan
    old_kegiatan.valid_until = c
    old_kegiatan.save()
    Kegiatan.objects.create(code=old_kegiatan.code, name="Kegiatan versi C", program=old_kegiatan.program, valid_from=c)
    return a, b, c


def test_nested_lists_show_only_the_root_fields_edition(gql, two_editions):
    a, b, c = two_editions

    assert sub_kegiatan_of(gql(HIERARCHY, year=a.year)) == {
        "1.01.01.2.01.0001": "Sub kegiatan 1.01.01.2.01.0001",
        "1.01.01.2.01.0002": "Sub kegiatan 1.01.01.2.01.0002",
    }
    expected_b = {"1.01.01.2.01.0001": "Nama baru", "1.01.01.2.01.0003": "Sub kegiatan tambahan"}
    assert sub_kegiatan_of(gql(HIERARCHY, year=b.year)) == expected_b
    assert sub_kegiatan_of(gql(HIERARCHY, edition=b.name)) == expected_b
    # The year between two editions reads the older one.
    assert sub_kegiatan_of(gql(HIERARCHY, year=a.year + 1))["1.01.01.2.01.0001"] == "Sub kegiatan 1.01.01.2.01.0001"
    # Edition C replaced the kegiatan: its new row has no sub kegiatan of its own.
    data = gql(HIERARCHY, year=c.year)
    kegiatan = data["urusanList"]["results"][0]["bidangUrusanList"]["results"][0]["programList"]["results"][0]["kegiatanList"]
    assert [(k["name"], k["subKegiatanList"]["totalCount"]) for k in kegiatan["results"]] == [("Kegiatan versi C", 0)]


def test_default_edition_is_the_one_in_force_this_year(gql, two_editions):
    _, b, _ = two_editions
    data = gql("{ urusanList { results { code } } subKegiatan(code: \"1.01.01.2.01.0001\") { name validFrom { name } } }")
    assert data["subKegiatan"] == {"name": "Nama baru", "validFrom": {"name": b.name}}
    assert sub_kegiatan_of(gql(HIERARCHY)) == sub_kegiatan_of(gql(HIERARCHY, year=b.year))


def test_this_year_is_counted_in_asia_makassar(gql, db, monkeypatch):
    make_edition("Edisi lama", 2025)
    make_edition("Edisi baru", 2026)
    # 31 Dec 2025 17:00 UTC is already 1 Jan 2026 01:00 in Makassar (UTC+8).
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2025, 12, 31, 17, 0, tzinfo=datetime.UTC))
    assert NomenclatureEdition.in_force().name == "Edisi baru"
    query = "{ urusanList { totalCount } }"
    assert gql(query)["urusanList"]["totalCount"] == 0
    Urusan.objects.create(code="1", name="URUSAN", valid_from=NomenclatureEdition.objects.get(year=2026))
    assert gql(query)["urusanList"]["totalCount"] == 1


def test_two_root_fields_may_read_two_editions(gql, two_editions):
    a, b, _ = two_editions
    query = """
    fragment Tree on UrusanPage {
      results { bidangUrusanList { results { programList { results { kegiatanList { results {
        subKegiatanList { results { code name } } } } } } } } }
    }
    query {
      old: urusanList(year: %d) { ...Tree }
      new: urusanList(edition: "%s") { ...Tree }
    }
    """ % (a.year, b.name)
    data = gql(query)

    def names(page):
        kegiatan = page["results"][0]["bidangUrusanList"]["results"][0]["programList"]["results"][0]["kegiatanList"]
        return [s["name"] for s in kegiatan["results"][0]["subKegiatanList"]["results"]]

    assert names(data["old"]) == ["Sub kegiatan 1.01.01.2.01.0001", "Sub kegiatan 1.01.01.2.01.0002"]
    assert names(data["new"]) == ["Nama baru", "Sub kegiatan tambahan"]


def test_root_lists_of_every_level_read_the_chosen_edition(gql, two_editions):
    a, b, _ = two_editions
    query = "query($year: Int) { subKegiatanList(year: $year) { totalCount results { code name } } }"
    assert gql(query, year=a.year)["subKegiatanList"]["totalCount"] == 2
    assert [r["name"] for r in gql(query, year=b.year)["subKegiatanList"]["results"]] == ["Nama baru", "Sub kegiatan tambahan"]
    for field in ("urusanList", "bidangUrusanList", "programList", "kegiatanList"):
        assert gql("query($year: Int) { %s(year: $year) { totalCount } }" % field, year=a.year)[field]["totalCount"] == 1


@pytest.mark.parametrize(
    "arguments, message",
    [
        ("year: 1999", "tahun 1999"),
        ('edition: "Permendagri 1/1900"', "'Permendagri 1/1900' tidak dikenal"),
        ('year: 2021, edition: "Permendagri 90/2019"', "tidak keduanya"),
    ],
)
def test_an_unknown_edition_or_year_is_an_error_not_an_empty_list(gql_errors, edition, arguments, message):
    make_nomenclature(edition)
    for field in ("urusanList(%s) { totalCount }", "subKegiatan(code: \"1.01.01.2.01.0001\", %s) { code }"):
        errors = gql_errors("{ %s }" % (field % arguments))
        assert message in errors[0], errors


def test_without_any_edition_the_error_says_so(gql_errors, db):
    assert "Tidak ada edisi nomenklatur" in gql_errors("{ urusanList { totalCount } }")[0]


def test_obsolete_rows_are_hidden_unless_the_filter_asks_for_them(gql, edition):
    first, second = make_nomenclature(edition, sub_kegiatan=2)
    second.is_active = False
    second.save()

    def codes(filters):
        data = gql(
            """query($f: SubKegiatanFilter) {
                 root: subKegiatanList(year: 2021, filters: $f) { results { code } }
                 nested: kegiatanList(year: 2021) { results { subKegiatanList(filters: $f) { results { code } } } }
               }""",
            f=filters,
        )
        root = [r["code"] for r in data["root"]["results"]]
        nested = [r["code"] for r in data["nested"]["results"][0]["subKegiatanList"]["results"]]
        assert root == nested
        return root

    assert codes(None) == [first.code]
    assert codes({"isActive": False}) == [second.code]
    assert codes({"isActive": True, "OR": {"isActive": False}}) == [first.code, second.code]
    assert codes({"includeInactive": True}) == [first.code, second.code]
    assert codes({"includeInactive": False}) == [first.code]


def test_an_active_row_under_an_obsolete_parent_is_reached_with_include_inactive(gql, edition):
    """Real editions hold in-force sub kegiatan whose kegiatan is marked obsolete."""
    (sub,) = make_nomenclature(edition)
    Kegiatan.objects.filter(pk=sub.kegiatan_id).update(is_active=False)
    query = """query($f: KegiatanFilter) { programList { results { kegiatanList(filters: $f) { results {
                 isActive subKegiatanList { results { code } } } } } } }"""
    assert gql(query)["programList"]["results"][0]["kegiatanList"]["results"] == []
    kegiatan = gql(query, f={"includeInactive": True})["programList"]["results"][0]["kegiatanList"]["results"]
    assert kegiatan == [{"isActive": False, "subKegiatanList": {"results": [{"code": sub.code}]}}]


def test_upward_links_show_the_parent_row_even_when_it_is_obsolete(gql, edition):
    (sub,) = make_nomenclature(edition)
    Kegiatan.objects.filter(pk=sub.kegiatan_id).update(is_active=False)
    data = gql('{ subKegiatan(code: "%s", year: 2021) { kegiatan { code isActive program { bidangUrusan { urusan { code } } } } } }' % sub.code)
    assert data["subKegiatan"]["kegiatan"] == {
        "code": "1.01.01.2.01",
        "isActive": False,
        "program": {"bidangUrusan": {"urusan": {"code": "1"}}},
    }


def test_lookup_by_code_pads_a_two_digit_last_segment_and_picks_the_editions_version(gql, two_editions):
    a, b, _ = two_editions
    query = "query($code: String!, $year: Int) { subKegiatan(code: $code, year: $year) { code name } }"
    assert gql(query, code="1.01.01.2.01.01", year=a.year)["subKegiatan"] == {
        "code": "1.01.01.2.01.0001",
        "name": "Sub kegiatan 1.01.01.2.01.0001",
    }
    assert gql(query, code=" 1.01.01.2.01.01 ", year=b.year)["subKegiatan"]["name"] == "Nama baru"
    assert gql(query, code="1.01.01.2.01.0002", year=b.year)["subKegiatan"] is None  # ended by edition B
    assert gql(query, code="9.99.99.2.99.0099", year=b.year)["subKegiatan"] is None


def test_lookup_of_an_obsolete_row_is_null(gql, edition):
    (sub,) = make_nomenclature(edition)
    SubKegiatan.objects.filter(pk=sub.pk).update(is_active=False)
    assert gql('{ subKegiatan(code: "%s", year: 2021) { code } }' % sub.code)["subKegiatan"] is None


def test_lookups_exist_for_every_level_and_nested_lists_follow_their_edition(gql, two_editions):
    a, b, _ = two_editions
    data = gql(
        """{ urusan(code: "1", year: %d) { code }
             bidangUrusan(code: "1.01", year: %d) { code }
             program(code: "1.01.01", year: %d) { code }
             kegiatan(code: "1.01.01.2.01", year: %d) { code subKegiatanList { results { name } } } }"""
        % (a.year, a.year, a.year, b.year)
    )
    assert [data[f]["code"] for f in ("urusan", "bidangUrusan", "program")] == ["1", "1.01", "1.01.01"]
    assert [r["name"] for r in data["kegiatan"]["subKegiatanList"]["results"]] == ["Nama baru", "Sub kegiatan tambahan"]


def test_nomenclature_editions_in_year_order(gql, two_editions):
    a, b, c = two_editions
    data = gql("{ nomenclatureEditions { name year levelPemda } }")
    assert data["nomenclatureEditions"] == [
        {"name": e.name, "year": e.year, "levelPemda": "kab"} for e in (a, b, c)
    ]


def test_nested_lists_read_the_root_arguments_even_without_the_per_execution_cache(two_editions):
    """Without EditionScope nothing is cached: each nested list finds its root field in the
    operation and reads its `year` argument (here a variable) itself."""
    import strawberry

    from graphql_api.schema import SCALARS, Query, _optimizer
    from strawberry.schema.config import StrawberryConfig

    a, b, _ = two_editions
    bare = strawberry.Schema(query=Query, config=StrawberryConfig(scalar_map=SCALARS), extensions=[_optimizer])
    for edition, expected in ((a, "Sub kegiatan 1.01.01.2.01.0001"), (b, "Nama baru")):
        result = bare.execute_sync(HIERARCHY, variable_values={"year": edition.year})
        assert result.errors is None
        assert sub_kegiatan_of(result.data)["1.01.01.2.01.0001"] == expected
