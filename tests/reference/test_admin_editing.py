"""What may be changed in the admin: nomenclature never (only by import), the rest with
Indonesian field errors and an audit log entry naming the user."""

import pytest
from wagtail.models import ModelLogEntry

from backoffice.reference.models import (
    ImportRun,
    NomenclatureEdition,
    PerangkatDaerah,
    Program,
    Satuan,
    Wilayah,
)

from .test_admin_helpers import snippet_url
from .test_admin_helpers import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def import_run(editions, superuser):
    return ImportRun.objects.create(kind="nomenklatur", source="x.csv", edition=editions[0], user=superuser, summary="Selesai")


@pytest.mark.parametrize("model_name", ["urusan", "bidangurusan", "program", "kegiatan", "subkegiatan"])
def test_nomenclature_write_urls_are_refused_even_to_superusers(superuser_client, tree, model_name):
    row = {"urusan": tree["urusan"], "bidangurusan": tree["bidang"], "program": tree["program"],
           "kegiatan": tree["kegiatan"], "subkegiatan": tree["sub"]}[model_name]
    pk = row.pk
    for url in (
        snippet_url(model_name, "add"),
        snippet_url(model_name, "edit", pk),
        snippet_url(model_name, "delete", pk),
        snippet_url(model_name, "copy", pk),
    ):
        assert superuser_client.get(url).status_code == 404, url
        assert superuser_client.post(url, {"code": "9", "name": "X"}).status_code == 404, url
    # Reading still works, and nothing changed.
    assert superuser_client.get(snippet_url(model_name, "inspect", pk)).status_code == 200
    assert type(row).objects.filter(pk=pk, code=row.code, name=row.name).exists()


def test_edition_and_import_history_are_read_only(superuser_client, editions, import_run):
    for model_name, pk in (("nomenclatureedition", editions[0].pk), ("importrun", import_run.pk)):
        assert superuser_client.get(snippet_url(model_name, "add")).status_code == 404
        assert superuser_client.post(snippet_url(model_name, "edit", pk), {"name": "X"}).status_code == 404
        assert superuser_client.post(snippet_url(model_name, "delete", pk)).status_code == 404
        assert superuser_client.get(snippet_url(model_name, "inspect", pk)).status_code == 200
    assert NomenclatureEdition.objects.count() == 2 and ImportRun.objects.count() == 1


def test_bulk_delete_of_nomenclature_is_refused(superuser_client, tree):
    program = tree["program"]
    url = f"/admin/bulk/reference/program/delete/?id={program.pk}"
    superuser_client.post(url, {})
    assert Program.objects.filter(pk=program.pk).exists()


def test_django_admin_nomenclature_is_read_only(superuser_client, tree):
    program = tree["program"]
    assert superuser_client.get("/django-admin/reference/program/").status_code == 200
    assert superuser_client.get("/django-admin/reference/program/add/").status_code == 403
    superuser_client.post(f"/django-admin/reference/program/{program.pk}/change/", {"code": "1.01.09", "name": "X"})
    superuser_client.post(f"/django-admin/reference/program/{program.pk}/delete/", {"post": "yes"})
    program.refresh_from_db()
    assert (program.code, program.name) == ("1.01.01", "PROGRAM 1.01.01")


def test_satuan_edit_is_logged_with_its_user(superuser_client, superuser):
    satuan = Satuan.objects.create(name="Dokumen", description="")
    response = superuser_client.post(snippet_url("satuan", "edit", satuan.pk), {"name": "Dokumen", "description": "Naskah tersusun"})
    assert response.status_code == 302
    satuan.refresh_from_db()
    assert satuan.description == "Naskah tersusun"
    entry = ModelLogEntry.objects.get(object_id=str(satuan.pk), action="wagtail.edit")
    assert entry.user == superuser
    assert entry.content_type.model == "satuan"


def test_satuan_create_is_logged(superuser_client, superuser):
    response = superuser_client.post(snippet_url("satuan", "add"), {"name": "Unit", "description": ""})
    assert response.status_code == 302
    satuan = Satuan.objects.get(name="Unit")
    assert ModelLogEntry.objects.filter(object_id=str(satuan.pk), action="wagtail.create", user=superuser).exists()


def test_duplicate_satuan_gets_an_indonesian_error(superuser_client):
    Satuan.objects.create(name="Unit")
    response = superuser_client.post(snippet_url("satuan", "add"), {"name": "Unit", "description": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["Satuan dengan Nama telah ada."]


def perangkat_daerah_data(**overrides):
    return {
        "code": "1.01.0.00.0.00.01.0000", "name": "Dinas Pendidikan", "short_name": "Disdik",
        "parent": "", "is_active": "on", "head_name": "", "head_nip": "", **overrides,
    }


def test_perangkat_daerah_with_malformed_code_gets_an_indonesian_field_error(superuser_client, tree):
    response = superuser_client.post(snippet_url("perangkatdaerah", "add"), perangkat_daerah_data(code="1.01.01"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["code"]
    assert any("Format kode unit" in e or "tidak sesuai format" in e for e in errors["code"])
    html = response.content.decode()
    assert "Kode unit" in html and "U.BB.U2.B2.U3.B3.NN.SSSS" in html
    assert not PerangkatDaerah.objects.exists()


def test_perangkat_daerah_with_unknown_bidang_is_refused(superuser_client, tree):
    response = superuser_client.post(snippet_url("perangkatdaerah", "add"), perangkat_daerah_data(code="7.77.0.00.0.00.01.0000"))
    assert response.status_code == 200
    assert "tidak ada dalam nomenklatur" in " ".join(response.context["form"].errors["code"])


def test_perangkat_daerah_bad_nip_names_the_field(superuser_client, tree):
    response = superuser_client.post(snippet_url("perangkatdaerah", "add"), perangkat_daerah_data(head_nip="1234"))
    assert response.context["form"].errors["head_nip"] == ["NIP terdiri dari 18 angka."]


def test_perangkat_daerah_is_created_with_derived_bidang_and_logged(superuser_client, superuser, tree):
    response = superuser_client.post(snippet_url("perangkatdaerah", "add"), perangkat_daerah_data())
    assert response.status_code == 302
    unit = PerangkatDaerah.objects.get()
    assert unit.bidang_urusan_codes == ["1.01"]
    assert ModelLogEntry.objects.filter(object_id=str(unit.pk), action="wagtail.create", user=superuser).exists()


def test_wilayah_edit_validates_the_parent(superuser_client, wilayah):
    desa = wilayah["desa"]
    data = {"code": desa.code, "name": "Uitao Baru", "kind": "desa", "parent": wilayah["kabupaten"].pk, "centroid_lat": "", "centroid_lng": ""}
    response = superuser_client.post(snippet_url("wilayah", "edit", desa.pk), data)
    assert response.status_code == 200
    assert "Induk wilayah" in " ".join(response.context["form"].errors["parent"])
    response = superuser_client.post(snippet_url("wilayah", "edit", desa.pk), {**data, "parent": wilayah["kecamatan"].pk})
    assert response.status_code == 302
    desa.refresh_from_db()
    assert desa.name == "Uitao Baru" and desa.level == Wilayah.Level.DESA_KELURAHAN


def test_viewer_cannot_edit(viewer_client):
    satuan = Satuan.objects.create(name="Dokumen")
    response = viewer_client.post(snippet_url("satuan", "edit", satuan.pk), {"name": "Lain", "description": ""})
    assert response.status_code == 302  # refused: back to the dashboard
    satuan.refresh_from_db()
    assert satuan.name == "Dokumen"
