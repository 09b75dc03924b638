"""Reference listings in the Wagtail admin: menu, search, filters, permissions, query counts."""

import pytest

from backoffice.reference.models import Kegiatan, SubKegiatan
from tests.factories import make_edition, make_nomenclature

from .test_admin_helpers import REFERENCE_MODELS, snippet_url
from .test_admin_helpers import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db

# A listing page costs about a dozen queries (session, user, filters' choices, count, one page
# with its parents and editions joined), whatever the number of rows.
MAX_QUERIES = 15


def listed(response):
    """The rows a listing page shows."""
    return list(response.context["object_list"])


def test_menu_groups_reference_data_under_data_referensi(superuser_client):
    response = superuser_client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Data Referensi" in html
    for label in ("Edisi Nomenklatur", "Urusan", "Bidang Urusan", "Program", "Kegiatan", "Sub Kegiatan",
                  "Perangkat Daerah", "Wilayah", "Satuan", "Sumber Dana", "Riwayat Impor", "Impor Data"):
        assert label in html, label


@pytest.mark.parametrize("model_name", REFERENCE_MODELS)
def test_every_listing_renders(superuser_client, tree, perangkat_daerah, wilayah, model_name):
    response = superuser_client.get(snippet_url(model_name))
    assert response.status_code == 200
    assert response.context["object_list"] is not None


def test_nomenclature_listing_defaults_to_the_edition_in_force(superuser_client, tree):
    response = superuser_client.get(snippet_url("kegiatan"))
    rows = listed(response)
    # 8 kegiatan codes, each once: the 2023 version of the renamed one, not its ended 2021 version.
    assert len(rows) == 8
    assert tree["kegiatan_new"] in rows and tree["kegiatan_old"] not in rows
    # The default is not reported as an active filter.
    assert not response.context["is_filtering"]


def test_nomenclature_listing_by_edition_and_all_versions(superuser_client, tree):
    rows_2021 = listed(superuser_client.get(snippet_url("kegiatan"), {"edisi": "2021"}))
    assert tree["kegiatan_old"] in rows_2021 and tree["kegiatan_new"] not in rows_2021
    assert len(listed(superuser_client.get(snippet_url("kegiatan"), {"edisi": "semua"}))) == 9
    assert len(listed(superuser_client.get(snippet_url("subkegiatan"), {"edisi": "semua"}))) == 24 + 3


def test_nomenclature_listing_filtered_by_parent_and_bidang(superuser_client, tree):
    program = tree["program"]
    rows = listed(superuser_client.get(snippet_url("kegiatan"), {"program": program.pk, "edisi": 2023}))
    assert [k.code for k in rows] == ["1.01.01.2.01", "1.01.01.2.02"]
    assert rows[1].name == "Kegiatan baru 2023"

    rows = listed(superuser_client.get(snippet_url("subkegiatan"), {"bidang_urusan": tree["bidang"].pk}))
    assert len(rows) == 2 * 2 * 3  # bidang 1.01: 2 programs x 2 kegiatan x 3 sub kegiatan
    assert all(s.code.startswith("1.01.") for s in rows)


def test_nomenclature_search_by_code_and_name(superuser_client, tree):
    rows = listed(superuser_client.get(snippet_url("subkegiatan"), {"q": "1.01.01.2.01.000"}))
    assert {s.code for s in rows} == {"1.01.01.2.01.0001", "1.01.01.2.01.0002", "1.01.01.2.01.0003"}
    rows = listed(superuser_client.get(snippet_url("kegiatan"), {"q": "baru 2023"}))
    assert rows == [tree["kegiatan_new"]]
    # The results fragment the listing reloads while typing or filtering.
    response = superuser_client.get(snippet_url("kegiatan") + "results/", {"q": "baru 2023", "program": tree["program"].pk})
    assert response.status_code == 200 and listed(response) == [tree["kegiatan_new"]]


def test_active_filter(superuser_client, tree):
    SubKegiatan.objects.filter(code="1.02.02.2.02.0003").update(is_active=False)
    rows = listed(superuser_client.get(snippet_url("subkegiatan"), {"is_active": "false"}))
    assert [s.code for s in rows] == ["1.02.02.2.02.0003"]


def test_perangkat_daerah_filters(superuser_client, perangkat_daerah):
    url = snippet_url("perangkatdaerah")
    rows = listed(superuser_client.get(url, {"bidang_urusan": "1.01"}))
    assert set(rows) == {perangkat_daerah["dinas"], perangkat_daerah["uptd"], perangkat_daerah["gabungan"]}
    assert listed(superuser_client.get(url, {"bidang_urusan": "1.02"})) == [perangkat_daerah["gabungan"]]
    assert listed(superuser_client.get(url, {"parent": perangkat_daerah["dinas"].pk})) == [perangkat_daerah["uptd"]]
    assert listed(superuser_client.get(url, {"q": "disdik"})) == [perangkat_daerah["dinas"]]


def test_wilayah_filters(superuser_client, wilayah):
    url = snippet_url("wilayah")
    assert listed(superuser_client.get(url, {"level": "kecamatan"})) == [wilayah["kecamatan"]]
    assert listed(superuser_client.get(url, {"kind": "kelurahan"})) == [wilayah["kelurahan"]]
    rows = listed(superuser_client.get(url, {"parent": wilayah["kecamatan"].pk}))
    assert set(rows) == {wilayah["desa"], wilayah["kelurahan"]}
    assert listed(superuser_client.get(url, {"q": "semau"})) == [wilayah["kecamatan"]]


def test_read_only_listings_offer_no_add_button(superuser_client, tree):
    for model_name in ("urusan", "subkegiatan", "nomenclatureedition", "importrun"):
        response = superuser_client.get(snippet_url(model_name))
        assert response.context["can_add"] is False, model_name
        assert f"/admin/snippets/reference/{model_name}/add/" not in response.content.decode()
    assert superuser_client.get(snippet_url("satuan")).context["can_add"] is True


def test_staff_without_permissions_is_turned_away(staff_client, tree):
    for model_name in ("subkegiatan", "satuan"):
        response = staff_client.get(snippet_url(model_name))
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_viewer_sees_listings_but_cannot_add(viewer_client, tree):
    response = viewer_client.get(snippet_url("subkegiatan"))
    assert response.status_code == 200
    assert viewer_client.get(snippet_url("satuan")).context["can_add"] is False
    assert viewer_client.get(snippet_url("satuan", "add")).status_code == 302  # refused: back to the dashboard


def test_sub_kegiatan_listing_has_a_constant_number_of_queries(superuser_client, django_assert_max_num_queries):
    edition = make_edition("Kepmendagri 050-3708/2020", 2021)
    make_nomenclature(edition, program=2, kegiatan=4, sub_kegiatan=30)  # 240 sub kegiatan
    assert SubKegiatan.objects.count() == 240
    with django_assert_max_num_queries(MAX_QUERIES):
        response = superuser_client.get(snippet_url("subkegiatan"))
    assert len(listed(response)) == 50  # one page
    # The whole list (the export walks every row with its parent and editions).
    with django_assert_max_num_queries(MAX_QUERIES):
        response = superuser_client.get(snippet_url("subkegiatan"), {"export": "csv"})
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.count(b"\n") == 241
    # Kegiatan listing (parent column) as well.
    with django_assert_max_num_queries(MAX_QUERIES):
        assert superuser_client.get(snippet_url("kegiatan")).status_code == 200
    assert Kegiatan.objects.count() == 8
