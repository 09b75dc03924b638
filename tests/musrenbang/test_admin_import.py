"""Impor usulan: the reference upload -> preview -> confirm views with the usulan flow, on the real
Kota Malang sheet (a deployment for Kota Malang: REGION_CODE 35.73)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backoffice.musrenbang.models import Status, Usulan
from backoffice.reference.models import Wilayah
from backoffice.reference.services import import_wilayah

from .test_admin_helpers import *  # noqa: F403  (fixtures)
from .test_admin_helpers import BASE, outcome

pytestmark = pytest.mark.django_db
START = "/admin/musrenbang/impor/"
SHEET = "musrenbang/kota_malang_kel_kauman_usulan_musrenbang.csv"


@pytest.fixture(autouse=True)
def upload_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "reference_imports": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


@pytest.fixture
def kauman(shared_data, settings):
    settings.REGION_CODE, settings.REGION_NAME = "35.73", "Kota Malang"
    import_wilayah(shared_data / "wilayah/wilayah_indonesia.csv", within="35.73")
    return Wilayah.objects.get(code="35.73.02.1007")


def token_of(url):
    return url.rstrip("/").rsplit("/", 1)[1]


def test_malang_sheet_preview_then_confirm(login, mb, shared_data, kauman):
    client = login("admin")
    form = client.get(START)
    assert form.status_code == 200
    assert kauman in form.context["form"].fields["desa"].queryset  # villages of the deployment's region
    content = (shared_data / SHEET).read_bytes()
    response = client.post(START, {"source": SimpleUploadedFile("kauman.csv", content), "year": 2024, "desa": kauman.pk})
    assert response.status_code == 302
    preview_url = response["Location"]

    preview = client.get(preview_url)
    assert preview.context["status"] == "preview"
    assert (preview.context["rows_read"], preview.context["created"], preview.context["refused_count"]) == (138, 138, 0)
    assert preview.context["totals"]["sheet"] == preview.context["totals"]["imported"]
    assert dict(preview.context["by_status"]) == {"Diterima perangkat daerah": 29, "Ditolak perangkat daerah": 109}
    assert preview.context["options"] == {"year": 2024, "desa": "Kauman"}
    html = preview.content.decode()
    assert "Uji coba: belum ada data yang ditulis." in html and "Impor sekarang" in html
    assert not Usulan.objects.exists()

    response = client.post(f"{START}{token_of(preview_url)}/konfirmasi/")
    assert response.status_code == 302 and response["Location"] == preview_url
    assert Usulan.objects.filter(year=2024, desa=kauman).count() == 138
    done = client.get(preview_url)
    assert done.context["status"] == "done" and done.context["listing_url"] == f"{BASE}?tahun=2024"
    assert Usulan.objects.filter(status=Status.REJECTED_OPD).count() == 109

    # A second confirm imports nothing; a second upload of the same sheet creates nothing new.
    client.post(f"{START}{token_of(preview_url)}/konfirmasi/")
    response = client.post(START, {"source": SimpleUploadedFile("kauman.csv", content), "year": 2024, "desa": kauman.pk})
    again = client.get(response["Location"])
    assert (again.context["created"], again.context["existing"], again.context["has_changes"]) == (0, 138, False)
    assert Usulan.objects.count() == 138


def test_rows_refused_with_reason_and_money(login, mb, kauman):
    sheet = (
        "usulan,permasalahan,koefisien,anggaran,keterangan\n"
        "Kegiatan A,Pelatihan,10 Orang,1.500.000,Diakomodir\n"
        "Kegiatan B,Pelatihan,sepuluh orang,2000000,\n"
    ).encode()
    client = login("admin")
    response = client.post(START, {"source": SimpleUploadedFile("kauman.csv", sheet), "year": 2024, "desa": kauman.pk})
    preview = client.get(response["Location"])
    refused = list(preview.context["refused_page"])
    assert [(row, cost) for row, _, _, cost in refused] == [(3, "Rp 2.000.000")]
    assert "Koefisien 'sepuluh orang'" in refused[0][2]
    assert preview.context["totals"] == {"sheet": "Rp 3.500.000", "imported": "Rp 1.500.000", "refused": "Rp 2.000.000"}
    assert not Usulan.objects.exists()


def test_a_sheet_without_the_money_column_is_refused_whole(login, mb, kauman):
    client = login("admin")
    response = client.post(START, {"source": SimpleUploadedFile("x.csv", b"usulan,volume\nA,1\n"), "year": 2024, "desa": kauman.pk})
    page = client.get(response["Location"])
    assert page.context["status"] == "refused" and page.context["error_count"] == 1
    response = client.post(START, {"source": SimpleUploadedFile("x.txt", b"a"), "year": "", "desa": ""})
    assert set(response.context["form"].errors) == {"source", "year"}


@pytest.mark.parametrize("name", ["verifier", "desa_bolok", "kec_barat", "opd_pupr"])
def test_only_bappeda_admin_imports(login, mb, name):
    client = login(name)
    assert outcome(client.get(START)) == 403
    assert outcome(client.post(START, {"source": SimpleUploadedFile("x.csv", b"usulan,anggaran\nA,1\n"), "year": 2024})) == 403
    assert not Usulan.objects.exists()
