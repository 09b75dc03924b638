"""Importing Renja rows from the real (messy) Morowali SIPD sheet and from small sheets."""

import io
from decimal import Decimal

import pytest

from backoffice.access.models import Role
from backoffice.access.policy import Principal
from backoffice.planning.models import Indicator, Renja, RenjaPendanaan, RenjaRow
from backoffice.planning.services import import_renja, parse_rupiah, set_ceiling
from backoffice.reference.services import ImportRefused, import_nomenclature, import_perangkat_daerah

pytestmark = pytest.mark.django_db

ADMIN = Principal(role=Role.BAPPEDA_ADMIN)
SHEET = "renstra_rkpd/morowali_rkpd_pagu_subkegiatan_per_opd.csv"
SHEET_TOTAL = Decimal("1535759496336")


@pytest.fixture
def morowali(shared_data):
    import_nomenclature(shared_data / "nomenklatur/simcan_nomenklatur_permendagri90_kep050-3708.csv", edition_name="Kepmendagri 050-3708/2020", year=2021)
    import_perangkat_daerah(shared_data / "opd/morowali_opd_kode_unit_organisasi.csv")
    return shared_data / SHEET


def db_total():
    return sum(RenjaPendanaan.objects.values_list("pagu", flat=True), Decimal("0"))


def test_morowali_sheet_accounts_for_every_rupiah(morowali):
    report = import_renja(morowali, year=2022, principal=ADMIN)
    assert report.rows_read == 2190
    assert report.sheet_total == SHEET_TOTAL
    assert report.imported_total + report.refused_total == SHEET_TOTAL
    assert db_total() == report.imported_total
    # Two codes are not in the nomenclature: refused with their row numbers, reasons and money.
    assert [(issue.row, pagu) for issue, pagu in report.refused] == [(413, Decimal("131920450")), (414, Decimal("200000000"))]
    assert all("1.03.10.2.01.002" in issue.message and "tidak ada dalam nomenklatur" in issue.message for issue, _ in report.refused)
    # Repeated department + sub kegiatan pairs add up into one row; empty pagu is a row with Rp 0.
    assert len(report.merged) == 245 and report.empty_pagu_rows == 816
    assert RenjaRow.objects.count() == 1943 == report.rows_created
    assert Renja.objects.filter(year=2022).count() == 39
    # Support program codes written under the department's bidang map to the generic nomenclature row.
    setda = RenjaRow.objects.filter(renja__perangkat_daerah__name="SEKRETARIAT DAERAH", sub_kegiatan__code="X.XX.01.2.02.0001").get()
    assert setda.code == "4.01.01.2.02.0001"
    # Pagu indikatif is the sum of the row's funding.
    row = RenjaRow.objects.order_by("-pagu_indikatif").first()
    assert row.pagu_indikatif == sum(row.pendanaan_list.values_list("pagu", flat=True))


def test_reimport_changes_nothing(morowali):
    import_renja(morowali, year=2022, principal=ADMIN)
    report = import_renja(morowali, year=2022, principal=ADMIN)
    assert (report.rows_created, report.rows_updated, report.rows_unchanged) == (0, 0, 1943)
    assert db_total() == report.imported_total


def test_dry_run_writes_nothing(morowali):
    report = import_renja(morowali, year=2022, principal=ADMIN, dry_run=True)
    assert report.rows_created == 1943
    assert not Renja.objects.exists() and not RenjaRow.objects.exists()


def test_department_over_its_ceiling_is_refused_whole(morowali):
    from backoffice.reference.models import PerangkatDaerah

    dinsos = PerangkatDaerah.objects.get(name="Dinas Sosial")
    set_ceiling(ADMIN, dinsos, 2022, Decimal("1000"))
    report = import_renja(morowali, year=2022, principal=ADMIN)
    refused = [issue for issue, _ in report.refused if "melebihi plafon" in issue.message]
    assert refused and all("Dinas Sosial" in issue.message for issue in refused)
    assert not RenjaRow.objects.filter(renja__perangkat_daerah=dinsos).exists()
    assert report.imported_total + report.refused_total == SHEET_TOTAL


def test_operator_imports_only_its_own_department(morowali):
    from backoffice.reference.models import PerangkatDaerah

    dinsos = PerangkatDaerah.objects.get(name="Dinas Sosial")
    operator = Principal(role=Role.OPD_OPERATOR, perangkat_daerah_id=dinsos.pk)
    report = import_renja(morowali, year=2022, principal=operator)
    assert set(Renja.objects.values_list("perangkat_daerah__name", flat=True)) == {"Dinas Sosial"}
    assert all("tidak berwenang" in issue.message or "nomenklatur" in issue.message for issue, _ in report.refused)
    assert report.imported_total + report.refused_total == SHEET_TOTAL


def test_optional_columns_and_bad_values(world):
    sheet = (
        "kode_opd,kode_sub_kegiatan,pagu,indikator,target,satuan,sumber_dana\n"
        "1.01.0.00.0.00.01.0000,1.01.01.2.01.01,\"Rp 1.500.000,00\",Jumlah sekolah dibangun,3,Unit,DAU\n"
        "1.01.0.00.0.00.01.0000,1.01.01.2.01.0002,abc,,,,DAU\n"
        "1.01.0.00.0.00.01.0000,1.01.01.2.01.0002,100,,,,XYZ\n"
        "9.99.0.00.0.00.01.0000,1.01.01.2.01.0002,100,,,,DAU\n"
    )
    report = import_renja(io.BytesIO(sheet.encode()), year=2022, principal=ADMIN)
    row = RenjaRow.objects.get()
    assert row.pagu_indikatif == Decimal("1500000") and row.code == "1.01.01.2.01.0001"
    indicator = Indicator.objects.get(renja_row=row)
    assert (indicator.level, indicator.satuan, indicator.targets.get().value) == ("keluaran", "Unit", Decimal("3"))
    reasons = {issue.row: issue.message for issue, _ in report.refused}
    assert "bukan angka" in reasons[3] and "Sumber dana 'XYZ'" in reasons[4] and "tidak dikenal" in reasons[5]


def test_sheet_without_the_needed_columns_is_refused(world):
    with pytest.raises(ImportRefused) as refused:
        import_renja(io.BytesIO(b"kode,nama\n1,a\n"), year=2022, principal=ADMIN)
    assert "kolom kode_opd, kode_sub_kegiatan, pagu_rincian" in str(refused.value)


@pytest.mark.parametrize(
    "text, value",
    [("1500000", "1500000"), ("1.500.000", "1500000"), ("Rp 1.500.000,50", "1500000.50"), ("1500000.5", "1500000.5"), ("", None)],
)
def test_rupiah_as_typed(text, value):
    assert parse_rupiah(text) == (Decimal(value) if value else None)
