"""T-C.33 and T-C.27 exports: regulation column order, one sheet per department, numbers as numbers,
and only the plans the user may see."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from backoffice.planning.exports import TC33_COLUMNS, renja_tc33, renstra_tc27
from backoffice.planning.models import (
    Indicator,
    IndicatorTarget,
    PlanningPeriod,
    Renja,
    RenjaRow,
    Renstra,
    RenstraKegiatan,
    RenstraProgram,
    RenstraSasaran,
    RenstraTujuan,
)
from backoffice.planning.services import get_or_create_renja, save_renja_row
from backoffice.reference.models import Kegiatan, Program

pytestmark = pytest.mark.django_db


def read(data):
    return load_workbook(io.BytesIO(data))


@pytest.fixture
def renjas(world):
    admin = world.p["admin"]
    dikbud = get_or_create_renja(admin, world.dikbud, 2026)
    row = save_renja_row(admin, RenjaRow(renja=dikbud, sub_kegiatan=world.subs["1.01.02.2.01.0001"], notes="Prioritas"), pendanaan=[(world.dau, 1_500_000), (world.pad, 500_000)], lokasi=[(None, "")])
    row.prakiraan_maju_amount = Decimal("2100000")
    row.save()
    output = Indicator.objects.create(renja_row=row, level="keluaran", text="Jumlah ruang kelas dibangun", satuan="Unit")
    IndicatorTarget.objects.create(indicator=output, year=2026, value=4)
    IndicatorTarget.objects.create(indicator=output, year=2027, value=6)
    Indicator.objects.create(renja_row=row, level="capaian", text="Angka partisipasi sekolah", satuan="%")
    save_renja_row(admin, RenjaRow(renja=dikbud, sub_kegiatan=world.support), pendanaan=[(world.dau, 700_000)])
    dinkes = get_or_create_renja(admin, world.dinkes, 2026)
    save_renja_row(admin, RenjaRow(renja=dinkes, sub_kegiatan=world.subs["1.02.01.2.01.0001"]), pendanaan=[(world.dau, 900_000)])
    return dikbud, dinkes


def test_tc33_columns_rows_and_numbers(world, renjas):
    book = read(renja_tc33(world.p["admin"], 2026))
    assert book.sheetnames == ["Dinas Pendidikan", "Dinas Kesehatan"]
    sheet = book["Dinas Pendidikan"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = values.index([name for name, _ in TC33_COLUMNS])
    assert values[header + 1] == list(range(1, 11))
    assert "Tahun 2026" in values[0][0] and "1.01.0.00.0.00.01.0000 Dinas Pendidikan" in values[1][0]
    by_code = {row[0]: row for row in values[header + 2:] if row[0]}
    sub = by_code["1.01.02.2.01.0001"]
    assert sub[2] == "Jumlah ruang kelas dibangun" and sub[4] == 4 and sub[5] == 2_000_000
    assert sub[3] == "Seluruh kabupaten" and sub[6] == "DAU, PAD" and sub[7] == "Prioritas"
    assert (sub[8], sub[9]) == (6, 2_100_000)
    program = by_code["1.01.02"]
    assert program[2] == "Angka partisipasi sekolah" and program[5] == 2_000_000
    # The support program is printed under the department's own bidang.
    assert by_code["1.01.01.2.02.0001"][5] == 700_000
    total = next(row for row in values if row[1] == "JUMLAH")
    assert total[5] == 2_700_000


def test_tc33_for_an_operator_holds_only_what_it_may_see(world, renjas):
    dikbud, dinkes = renjas
    assert read(renja_tc33(world.p["dikbud"], 2026)).sheetnames == ["Dinas Pendidikan"]
    Renja.objects.filter(pk=dinkes.pk).update(is_published=True)
    assert read(renja_tc33(world.p["dikbud"], 2026)).sheetnames == ["Dinas Pendidikan", "Dinas Kesehatan"]
    assert read(renja_tc33(world.p["public"], 2026)).sheetnames == ["Dinas Kesehatan"]


def test_tc27_for_a_renstra(world):
    period = PlanningPeriod.objects.create(name="RPJMD 2025-2029", start_year=2025, end_year=2029)
    renstra = Renstra.objects.create(perangkat_daerah=world.dikbud, period=period)
    tujuan = RenstraTujuan.objects.create(renstra=renstra, code="T1", text="Meningkatkan mutu pendidikan")
    sasaran = RenstraSasaran.objects.create(tujuan=tujuan, code="S1", text="Meningkatnya partisipasi sekolah")
    program = RenstraProgram.objects.create(renstra=renstra, sasaran=sasaran, program=Program.objects.get(code="1.01.01"))
    kegiatan = RenstraKegiatan.objects.create(renstra_program=program, kegiatan=Kegiatan.objects.get(code="1.01.01.2.01"))
    indicator = Indicator.objects.create(renstra_program=program, text="APK SD", satuan="%", baseline_value=95, end_target_value=99)
    for offset, year in enumerate(period.years):
        IndicatorTarget.objects.create(indicator=indicator, year=year, value=95 + offset, amount=Decimal(1_000_000 * (offset + 1)))
    Indicator.objects.create(renstra_kegiatan=kegiatan, text="Ruang kelas dibangun", satuan="Unit")
    sheet = read(renstra_tc27(world.p["admin"], period))["Dinas Pendidikan"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[0] == "Tujuan")
    assert len(values[header]) == 20 and values[header][6] == "Tahun 2025: Target" and values[header][18] == "Unit Kerja PD Penanggung Jawab"
    row = next(r for r in values if r[2] == "1.01.01")
    assert row[1] == "Meningkatnya partisipasi sekolah" and row[4] == "APK SD" and row[5] == 95
    assert row[6:16] == [95, 1_000_000, 96, 2_000_000, 97, 3_000_000, 98, 4_000_000, 99, 5_000_000]
    assert row[16:18] == [99, 15_000_000] and row[18] == "Dinas Pendidikan"
    assert any(r[2] == "1.01.01.2.01" and r[4] == "Ruang kelas dibangun" for r in values)
    assert read(renstra_tc27(world.p["dinkes"], period)).sheetnames == ["Kosong"]


def test_e81_and_e80_show_realisation_against_targets(world, renjas):
    from backoffice.planning.exports import renja_e81, renstra_e80
    from backoffice.planning.models import PlanStatus, Realisasi, RenstraSubKegiatan

    dikbud, _ = renjas
    Renja.objects.filter(pk=dikbud.pk).update(status=PlanStatus.SET, is_published=True)
    row = RenjaRow.objects.get(renja=dikbud, sub_kegiatan__code="1.01.02.2.01.0001")
    Realisasi.objects.create(row=row, triwulan=1, physical=1, spent=500_000, status="accepted", notes="Tahap 1")
    Realisasi.objects.create(row=row, triwulan=2, physical=1, spent=500_000, status="submitted")
    sheet = read(renja_e81(world.p["admin"], 2026))["Dinas Pendidikan"]
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    line = next(r for r in values if r[1] == "1.01.02.2.01.0001")
    assert line[4:8] == [4, 2_000_000, 1, 500_000] and line[8:10] == [1, 500_000]
    assert line[14:18] == [2, 1_000_000, 50, 50] and line[19] == "TW 1: Tahap 1"
    # The public sees only accepted realisation.
    public = [[c.value for c in r] for r in read(renja_e81(world.p["public"], 2026))["Dinas Pendidikan"].iter_rows()]
    line = next(r for r in public if r[1] == "1.01.02.2.01.0001")
    assert line[8:10] == [None, None] and line[14:16] == [1, 500_000]

    period = PlanningPeriod.objects.create(name="RPJMD", start_year=2025, end_year=2029)
    renstra = Renstra.objects.create(perangkat_daerah=world.dikbud, period=period)
    program = RenstraProgram.objects.create(renstra=renstra, program=Program.objects.get(code="1.01.02"))
    kegiatan = RenstraKegiatan.objects.create(renstra_program=program, kegiatan=Kegiatan.objects.get(code="1.01.02.2.01"))
    sub = RenstraSubKegiatan.objects.create(renstra_kegiatan=kegiatan, sub_kegiatan=world.subs["1.01.02.2.01.0001"])
    indicator = Indicator.objects.create(renstra_sub_kegiatan=sub, text="Ruang kelas", baseline_value=0, end_target_value=20)
    IndicatorTarget.objects.create(indicator=indicator, year=2026, value=4, amount=2_000_000)
    sheet = read(renstra_e80(world.p["admin"], period))["Dinas Pendidikan"]
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    header = next(r for r in values if r[0] == "No")
    line = next(r for r in values if r[2] == "1.01.02.2.01.0001")
    col = header.index("Realisasi 2026: Kinerja")
    assert line[col:col + 2] == [1, 500_000]
    col = header.index("Rasio 2026: Kinerja (%)")
    assert line[col:col + 2] == [25, 25]
    assert line[header.index("Target 2026: Rp")] == 2_000_000
