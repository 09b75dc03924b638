"""Impor Renja in the admin: upload -> preview (money accounted for, refused rows named) -> confirm,
with the audit log; a department's operator imports only its own rows; a bad file writes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from backoffice.planning.models import RenjaRow

from .admin_helpers import login, refused

pytestmark = pytest.mark.django_db
START = "/admin/perencanaan/impor-renja/"
DIKBUD, DINKES = "1.01.0.00.0.00.01.0000", "1.02.0.00.0.00.01.0000"
SHEET = (
    "kode_opd,kode_sub_kegiatan,pagu\n"
    f"{DIKBUD},1.01.02.2.01.0001,1000000\n"
    f"{DIKBUD},1.01.02.2.01.0001,250000\n"  # the same pair again: merged, money added
    f"{DIKBUD},1.01.02.2.01.9999,400000\n"  # not in the nomenclature: refused with its pagu
)


@pytest.fixture(autouse=True)
def upload_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "reference_imports": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def upload(client, content, year=2026):
    return client.post(START, {"year": year, "source": SimpleUploadedFile("renja.csv", content.encode())})


def test_preview_accounts_for_the_money_then_confirm_writes_and_logs(client, world):
    login(client, world, "admin")
    response = upload(client, SHEET)
    assert response.status_code == 302
    detail = response["Location"]

    html = client.get(detail).content.decode()
    assert "Uji coba: belum ada data yang ditulis." in html
    assert "Rp 1.650.000" in html and "Rp 1.250.000" in html and "Rp 400.000" in html  # sheet = imported + refused
    assert "1.01.02.2.01.9999" in html and 'id="import-merged"' in html
    assert not RenjaRow.objects.exists()

    response = client.post(detail.rstrip("/") + "/konfirmasi/")
    assert response.status_code == 302
    [row] = RenjaRow.objects.all()
    assert (row.renja.perangkat_daerah, row.pagu_indikatif) == (world.dikbud, 1_250_000)
    assert ModelLogEntry.objects.filter(action="planning.import_renja", object_id=str(row.renja.pk), user=world.users["admin"]).exists()
    html = client.get(detail).content.decode()
    assert "Impor selesai." in html and "Lihat Renja" in html


def test_an_operator_imports_only_its_own_department(client, world):
    login(client, world, "dikbud")
    detail = upload(client, SHEET.replace(f"{DIKBUD},1.01.02.2.01.0001,250000", f"{DINKES},1.02.01.2.01.0001,250000"))["Location"]
    html = client.get(detail).content.decode()
    assert "tidak berwenang mengisi Renja Dinas Kesehatan" in html  # a refused row, named
    client.post(detail.rstrip("/") + "/konfirmasi/")
    assert {r.renja.perangkat_daerah for r in RenjaRow.objects.all()} == {world.dikbud}


def test_a_file_that_is_not_a_sheet_is_refused_with_nothing_written(client, world):
    login(client, world, "admin")
    detail = upload(client, "\x00\x01 bukan lembar kerja")["Location"]
    html = client.get(detail).content.decode()
    assert "Berkas ditolak" in html and 'id="import-errors"' in html
    assert not RenjaRow.objects.exists()


@pytest.mark.parametrize("role", ["verifier", "norole"])
def test_who_may_not_import_is_refused(client, world, plans, role):
    login(client, world, role)
    assert refused(client.get(START))
