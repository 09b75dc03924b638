"""Detail (inspect) pages: the hierarchy navigable both ways."""

import pytest

from .test_admin_helpers import snippet_url
from .test_admin_helpers import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db


def sections(response):
    return {section.title: section for section in response.context["sections"]}


def links(section):
    return {label: url for label, url, _ in section.rows}


def test_program_shows_its_kegiatan_of_the_edition_in_force(superuser_client, tree):
    program = tree["program"]
    response = superuser_client.get(snippet_url("program", "inspect", program.pk))
    assert response.status_code == 200
    assert response.context["edition"].year == 2023
    children = sections(response)["Kegiatan dalam edisi Kepmendagri 050-5889/2021"]
    assert children.total == 2
    assert links(children) == {
        str(tree["kegiatan"]): snippet_url("kegiatan", "inspect", tree["kegiatan"].pk) + "?edisi=2023",
        str(tree["kegiatan_new"]): snippet_url("kegiatan", "inspect", tree["kegiatan_new"].pk) + "?edisi=2023",
    }
    # "Lihat 2 kegiatan" leads to the kegiatan listing filtered by this program and edition.
    assert children.more_label == "Lihat 2 kegiatan"
    assert children.more_url == snippet_url("kegiatan") + f"?program={program.pk}&edisi=2023"
    html = response.content.decode()
    assert "Lihat 2 kegiatan" in html
    listing = superuser_client.get(children.more_url)
    assert list(listing.context["object_list"]) == [tree["kegiatan"], tree["kegiatan_new"]]


def test_program_in_an_earlier_edition_shows_the_kegiatan_of_then(superuser_client, tree):
    response = superuser_client.get(snippet_url("program", "inspect", tree["program"].pk), {"edisi": 2021})
    children = sections(response)["Kegiatan dalam edisi Kepmendagri 050-3708/2020"]
    assert set(links(children)) == {str(tree["kegiatan"]), str(tree["kegiatan_old"])}


def test_sub_kegiatan_shows_its_chain_up_with_links(superuser_client, tree, django_assert_max_num_queries):
    sub = tree["sub"]
    with django_assert_max_num_queries(15):
        response = superuser_client.get(snippet_url("subkegiatan", "inspect", sub.pk))
    chain = sections(response)["Rantai induk"]
    labels = [label for label, _, _ in chain.rows]
    assert labels == [
        f"Kegiatan: {tree['kegiatan']}",
        f"Program: {tree['program']}",
        f"Bidang urusan: {tree['bidang']}",
        f"Urusan: {tree['urusan']}",
    ]
    urls = [url for _, url, _ in chain.rows]
    assert urls[1] == snippet_url("program", "inspect", tree["program"].pk) + "?edisi=2023"
    html = response.content.decode()
    for url in urls:
        assert url in html
    assert "Dokumen tersusun" in html  # kinerja


def test_renamed_kegiatan_links_its_other_version(superuser_client, tree):
    response = superuser_client.get(snippet_url("kegiatan", "inspect", tree["kegiatan_old"].pk))
    assert response.context["edition"].year == 2021  # the only edition it belongs to
    versions = sections(response)["Versi lain kode ini"]
    assert links(versions) == {"Kegiatan baru 2023": snippet_url("kegiatan", "inspect", tree["kegiatan_new"].pk)}


def test_urusan_lists_its_bidang(superuser_client, tree):
    response = superuser_client.get(snippet_url("urusan", "inspect", tree["urusan"].pk))
    bidang = next(s for s in response.context["sections"] if s.title.startswith("Bidang urusan"))
    assert bidang.total == 2
    assert "Rantai induk" not in sections(response)


def test_perangkat_daerah_shows_bidang_urusan_and_sub_units(superuser_client, perangkat_daerah, tree):
    dinas = perangkat_daerah["dinas"]
    response = superuser_client.get(snippet_url("perangkatdaerah", "inspect", dinas.pk))
    found = sections(response)
    assert links(found["Bidang urusan"]) == {
        str(tree["bidang"]): snippet_url("bidangurusan", "inspect", tree["bidang"].pk) + "?edisi=2023"
    }
    assert links(found["Sub-unit"]) == {
        str(perangkat_daerah["uptd"]): snippet_url("perangkatdaerah", "inspect", perangkat_daerah["uptd"].pk)
    }
    assert found["Sub-unit"].more_url == snippet_url("perangkatdaerah") + f"?parent={dinas.pk}"

    response = superuser_client.get(snippet_url("perangkatdaerah", "inspect", perangkat_daerah["uptd"].pk))
    assert links(sections(response)["Unit induk"]) == {str(dinas): snippet_url("perangkatdaerah", "inspect", dinas.pk)}

    response = superuser_client.get(snippet_url("perangkatdaerah", "inspect", perangkat_daerah["gabungan"].pk))
    assert len(sections(response)["Bidang urusan"].rows) == 2


def test_wilayah_shows_parent_chain_and_children(superuser_client, wilayah):
    response = superuser_client.get(snippet_url("wilayah", "inspect", wilayah["desa"].pk))
    chain = sections(response)["Rantai induk"]
    assert [label for label, _, _ in chain.rows] == [
        f"Kecamatan: {wilayah['kecamatan']}",
        f"Kabupaten/Kota: {wilayah['kabupaten']}",
        f"Provinsi: {wilayah['provinsi']}",
    ]
    response = superuser_client.get(snippet_url("wilayah", "inspect", wilayah["kecamatan"].pk))
    children = sections(response)["Wilayah di bawahnya"]
    assert set(links(children)) == {str(wilayah["desa"]), str(wilayah["kelurahan"])}
    assert children.more_label == "Lihat 2 wilayah di bawahnya"
    assert children.more_url == snippet_url("wilayah") + f"?parent={wilayah['kecamatan'].pk}"
    assert "Tidak ada" in response.content.decode()  # no boundary loaded


def test_edition_shows_its_contents(superuser_client, tree, editions):
    response = superuser_client.get(snippet_url("nomenclatureedition", "inspect", editions[1].pk))
    contents = sections(response)["Isi edisi"]
    notes = {label: note for label, _, note in contents.rows}
    assert notes["Kegiatan"] == "8 berlaku dari 8 baris"
    assert notes["Sub kegiatan"] == "24 berlaku dari 24 baris"


def test_viewer_may_inspect(viewer_client, tree):
    response = viewer_client.get(snippet_url("subkegiatan", "inspect", tree["sub"].pk))
    assert response.status_code == 200


def test_read_only_rows_show_their_history_and_usage(viewer_client, tree):
    program = tree["program"]
    html = viewer_client.get(snippet_url("program", "inspect", program.pk)).content.decode()
    for view in ("history", "usage"):
        url = snippet_url("program", view, program.pk)
        assert url in html
        assert viewer_client.get(url).status_code == 200
