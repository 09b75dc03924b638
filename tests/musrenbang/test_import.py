"""Importing the real Kota Malang proposals sheet (volume and unit in one field, recorded outcomes)."""

import io
from decimal import Decimal

import pytest

from backoffice.access.models import Role
from backoffice.access.policy import Principal
from backoffice.musrenbang.imports import import_usulan
from backoffice.musrenbang.models import Status, Usulan
from backoffice.reference.models import Wilayah
from backoffice.reference.services import import_wilayah

pytestmark = pytest.mark.django_db
ADMIN = Principal(role=Role.BAPPEDA_ADMIN)
SHEET = "musrenbang/kota_malang_kel_kauman_usulan_musrenbang.csv"


@pytest.fixture
def malang(shared_data, settings):
    # A Kota Malang deployment: any regional government runs the same code with its own region.
    settings.REGION_CODE, settings.REGION_NAME = "35.73", "Kota Malang"
    import_wilayah(shared_data / "wilayah/wilayah_indonesia.csv", within="35.73")
    return Wilayah.objects.select_related("parent").get(code="35.73.02.1007")


def test_all_138_rows_import_with_their_money(shared_data, malang):
    report = import_usulan(shared_data / SHEET, year=2024, principal=ADMIN, desa=malang)
    assert report.rows_read == 138 and report.created == 138 and report.refused == []
    assert report.imported_total == report.sheet_total == sum(Usulan.objects.values_list("estimated_cost", flat=True), Decimal("0"))
    assert Usulan.objects.filter(status=Status.ACCEPTED).count() == 29
    rejected = Usulan.objects.filter(status=Status.REJECTED_OPD)
    assert rejected.count() == 109 and all(u.public_reason for u in rejected)
    first = Usulan.objects.get(solution__startswith="Meningkatkan Kemampuan (Public Speaking")
    assert (first.volume, first.satuan.name, first.estimated_cost) == (Decimal("35"), "Orang", Decimal("10500000"))
    assert first.kecamatan.name == "Klojen" and first.category == "lingkungan"
    assert first.requested_activity.startswith("Penyelenggaraan Pembinaan Lembaga Kemasyarakatan")
    # "35 Orang" and "30 orang" are one unit; the target office is kept as written until routed.
    assert Usulan.objects.filter(satuan__name="Orang").count() == Usulan.objects.filter(satuan__name__iexact="orang").count()
    assert set(Usulan.objects.values_list("target_text", flat=True)) == {"Kecamatan Klojen"}
    again = import_usulan(shared_data / SHEET, year=2024, principal=ADMIN, desa=malang)
    assert (again.created, again.existing) == (0, 138) and Usulan.objects.count() == 138


def test_messy_rows_are_refused_with_reasons_and_money(malang):
    sheet = (
        "usulan,permasalahan,koefisien,anggaran,keterangan\n"
        "Kegiatan A,Pelatihan,10 Orang,1.500.000,Diakomodir\n"
        "Kegiatan B,Pelatihan,sepuluh orang,2000000,\n"
        "Kegiatan C,,5 Paket,3000000,\n"
        "Kegiatan D,Bantuan,5 Paket,4000000,Mungkin\n"
    )
    report = import_usulan(io.BytesIO(sheet.encode()), year=2024, principal=ADMIN, desa=malang)
    reasons = {issue.row: issue.message for issue, _ in report.refused}
    assert "Koefisien 'sepuluh orang'" in reasons[3] and "Usulan kegiatan wajib diisi" in reasons[4] and "Keterangan 'Mungkin'" in reasons[5]
    assert report.imported_total == Decimal("1500000") and report.refused_total == Decimal("9000000")
    assert report.sheet_total == report.imported_total + report.refused_total
    assert Usulan.objects.get().status == Status.ACCEPTED


def test_dry_run_writes_nothing(shared_data, malang):
    report = import_usulan(shared_data / SHEET, year=2024, principal=ADMIN, desa=malang, dry_run=True)
    assert report.created == 138 and not Usulan.objects.exists()
