"""Regulation tables as XLSX (Permendagri 86/2017 lampiran): T-C.27 (Renstra PD), T-C.33 (Renja PD),
E.81 (quarterly Renja evaluation) and E.80 (Renstra evaluation across years), one sheet per
department, columns in the regulation's order, amounts as numbers.

Each export is scoped by `backoffice.access.policy`: a user gets the sheets of the plans they may see.
"""

import io
from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from backoffice.access import policy

from .models import (
    Indicator,
    PlanStatus,
    Realisasi,
    Renja,
    RenjaRow,
    Renstra,
    RenstraKegiatan,
    RenstraProgram,
    RenstraSasaran,
    RenstraSubKegiatan,
    RenstraTujuan,
)
from .services.monev import capaian, output_target
from .services import department_code

MONEY = "#,##0"
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")

TC33_COLUMNS = [
    ("Kode", 20),
    ("Urusan/Bidang Urusan Pemerintahan Daerah dan Program/Kegiatan/Sub Kegiatan", 50),
    ("Indikator Kinerja Program (Outcome)/Kegiatan (Hasil)/Sub Kegiatan (Keluaran)", 40),
    ("Lokasi", 25),
    ("Target Capaian Kinerja", 15),
    ("Pagu Indikatif (Rp)", 18),
    ("Sumber Dana", 15),
    ("Catatan Penting", 25),
    ("Prakiraan Maju n+1: Target Capaian Kinerja", 15),
    ("Prakiraan Maju n+1: Kebutuhan Dana (Rp)", 18),
]


def _sheet_title(workbook, unit):
    """Excel sheet names: at most 31 characters, unique, without []:*?/\\ ."""
    base = (unit.short_name or unit.name)
    for char in "[]:*?/\\":
        base = base.replace(char, " ")
    title, n = base[:31], 2
    while title in workbook.sheetnames:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    return title


def _start_sheet(workbook, unit, title_lines, columns):
    sheet = workbook.create_sheet(_sheet_title(workbook, unit))
    for line in title_lines:
        sheet.append([line])
        sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.append([])
    sheet.append([name for name, _ in columns])
    sheet.append(list(range(1, len(columns) + 1)))
    for column, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        for row in (sheet.max_row - 1, sheet.max_row):
            cell = sheet.cell(row, column)
            cell.font, cell.alignment = BOLD, Alignment(wrap_text=True, horizontal="center", vertical="center")
    sheet.freeze_panes = f"A{sheet.max_row + 1}"  # a coordinate: asking for the cell would add a blank row
    return sheet


def _append(sheet, values, money_columns, bold=False):
    sheet.append(values)
    row = sheet.max_row
    for column in range(1, len(values) + 1):
        cell = sheet.cell(row, column)
        cell.alignment = WRAP
        if bold:
            cell.font = BOLD
        if column in money_columns and isinstance(cell.value, (int, float, Decimal)):
            cell.number_format = MONEY


def _target(indicator, year):
    for target in indicator.targets.all():
        if target.year == year:
            return target.value if target.value is not None else target.text
    return None


def _lines(indicators, year):
    """Indicator texts and targets for one cell each (several indicators: one per line)."""
    texts = "\n".join(i.text for i in indicators)
    targets = [_target(i, year) for i in indicators]
    targets = [t for t in targets if t is not None]
    if len(targets) == 1 and not isinstance(targets[0], str):
        return texts, targets[0]  # a single numeric target stays a number
    return texts, "\n".join(f"{t} {i.satuan}".strip() for t, i in zip(targets, indicators)) or None


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _workbook():
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def renja_tc33(principal, year, perangkat_daerah=None):
    """T-C.33 (rumusan rencana program dan kegiatan PD tahun n dan prakiraan maju), XLSX bytes."""
    renjas = policy.scope(principal, Renja.objects.filter(year=year)).select_related("perangkat_daerah")
    if perangkat_daerah is not None:
        renjas = renjas.filter(perangkat_daerah=perangkat_daerah)
    rows = (
        RenjaRow.objects.filter(renja__in=renjas)
        .select_related("sub_kegiatan__kegiatan__program__bidang_urusan__urusan")
        .prefetch_related(
            "lokasi_list__wilayah", "pendanaan_list__sumber_dana", Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets"))
        )
        .order_by("sub_kegiatan__code")
    )
    by_renja = defaultdict(list)
    for row in rows:
        by_renja[row.renja_id].append(row)
    workbook = _workbook()
    for renja in renjas:
        unit = renja.perangkat_daerah
        sheet = _start_sheet(
            workbook, unit,
            [f"Tabel T-C.33 Rumusan Rencana Program dan Kegiatan Perangkat Daerah Tahun {year} dan Prakiraan Maju Tahun {year + 1}",
             f"Perangkat Daerah: {unit.code} {unit.name}"],
            TC33_COLUMNS,
        )
        _renja_rows(sheet, unit, by_renja[renja.pk], year)
    if not workbook.sheetnames:
        workbook.create_sheet("Kosong").append([f"Tidak ada Renja tahun {year} yang dapat Anda lihat."])
    return _save(workbook)


def _renja_rows(sheet, unit, rows, year):
    money = {6, 10}
    groups = defaultdict(list)
    for row in rows:
        groups[row.sub_kegiatan.kegiatan.program].append(row)
    total = sum((r.pagu_indikatif for r in rows), Decimal("0"))
    seen_bidang = set()
    for program, program_rows in groups.items():
        bidang = program.bidang_urusan
        if bidang.pk not in seen_bidang:
            seen_bidang.add(bidang.pk)
            _append(sheet, [department_code(bidang.urusan.code, unit), bidang.urusan.name], money, bold=True)
            _append(sheet, [department_code(bidang.code, unit), bidang.name], money, bold=True)
        capaian = [i for r in program_rows for i in r.indicators.all() if i.level == Indicator.Level.CAPAIAN][:1]
        text, target = _lines(capaian, year)
        _append(sheet, [department_code(program.code, unit), program.name, text, None, target, sum(r.pagu_indikatif for r in program_rows)], money, bold=True)
        kegiatan_rows = defaultdict(list)
        for row in program_rows:
            kegiatan_rows[row.sub_kegiatan.kegiatan].append(row)
        for kegiatan, members in kegiatan_rows.items():
            hasil = [i for r in members for i in r.indicators.all() if i.level == Indicator.Level.HASIL][:1]
            text, target = _lines(hasil, year)
            _append(sheet, [department_code(kegiatan.code, unit), kegiatan.name, text, None, target, sum(r.pagu_indikatif for r in members)], money, bold=True)
            for row in members:
                keluaran = [i for i in row.indicators.all() if i.level == Indicator.Level.KELUARAN]
                text, target = _lines(keluaran, year)
                _, next_target = _lines(keluaran, year + 1)
                places = ", ".join(str(place) for place in row.lokasi_list.all())
                sources = ", ".join(line.sumber_dana.code for line in row.pendanaan_list.all())
                _append(
                    sheet,
                    [row.code, row.sub_kegiatan.name, text, places, target, row.pagu_indikatif, sources, row.notes, next_target, row.prakiraan_maju_amount],
                    money,
                )
    _append(sheet, [None, "JUMLAH", None, None, None, total], money, bold=True)


def _tc27_columns(years):
    columns = [("Tujuan", 30), ("Sasaran", 30), ("Kode", 20), ("Program dan Kegiatan", 45),
               ("Indikator Kinerja Tujuan, Sasaran, Program (Outcome) dan Kegiatan (Output)", 40),
               ("Data Capaian pada Tahun Awal Perencanaan", 15)]
    for year in years:
        columns += [(f"Tahun {year}: Target", 12), (f"Tahun {year}: Rp", 18)]
    columns += [("Kondisi Kinerja pada Akhir Periode Renstra: Target", 12), ("Kondisi Kinerja pada Akhir Periode Renstra: Rp", 18),
                ("Unit Kerja PD Penanggung Jawab", 25), ("Lokasi", 20)]
    return columns


def renstra_tc27(principal, period, perangkat_daerah=None):
    """T-C.27 (rencana program, kegiatan dan pendanaan PD) for a planning period, XLSX bytes."""
    indicators = Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets"))
    renstras = (
        policy.scope(principal, Renstra.objects.filter(period=period))
        .select_related("perangkat_daerah")
        .prefetch_related(
            Prefetch("tujuan_list", queryset=RenstraTujuan.objects.prefetch_related(indicators, Prefetch("sasaran_list", queryset=RenstraSasaran.objects.prefetch_related(indicators)))),
            Prefetch(
                "program_list",
                queryset=RenstraProgram.objects.select_related("program", "sasaran").prefetch_related(
                    indicators,
                    Prefetch("kegiatan_list", queryset=RenstraKegiatan.objects.select_related("kegiatan").prefetch_related(indicators, "sub_kegiatan_list__sub_kegiatan", "sub_kegiatan_list__indicators__targets")),
                ),
            ),
        )
    )
    if perangkat_daerah is not None:
        renstras = renstras.filter(perangkat_daerah=perangkat_daerah)
    years = period.years
    columns = _tc27_columns(years)
    money = {8 + 2 * i for i in range(len(years))} | {8 + 2 * len(years)}
    workbook = _workbook()
    for renstra in renstras:
        unit = renstra.perangkat_daerah
        sheet = _start_sheet(
            workbook, unit,
            [f"Tabel T-C.27 Rencana Program, Kegiatan, dan Pendanaan Perangkat Daerah {period.start_year}-{period.end_year}",
             f"Perangkat Daerah: {unit.code} {unit.name}"],
            columns,
        )

        def line(tujuan, sasaran, code, name, owner_indicators, bold=False):
            values = [tujuan, sasaran, code, name]
            values.append("\n".join(i.text for i in owner_indicators))
            first = owner_indicators[0] if owner_indicators else None
            values.append(first.baseline_value if first and first.baseline_value is not None else (first.baseline_text if first else None))
            for year in years:
                _, target = _lines(owner_indicators, year)
                amounts = [t.amount for i in owner_indicators for t in i.targets.all() if t.year == year and t.amount is not None]
                values += [target, sum(amounts) if amounts else None]
            end = first.end_target_value if first and first.end_target_value is not None else (first.end_target_text if first else None)
            end_amounts = [t.amount for i in owner_indicators for t in i.targets.all() if t.amount is not None]
            values += [end, sum(end_amounts) if end_amounts else None, unit.name, None]
            _append(sheet, values, money, bold=bold)

        for tujuan in renstra.tujuan_list.all():
            line(tujuan.text, None, tujuan.code, None, list(tujuan.indicators.all()), bold=True)
            for sasaran in tujuan.sasaran_list.all():
                line(None, sasaran.text, sasaran.code, None, list(sasaran.indicators.all()), bold=True)
        for program in renstra.program_list.all():
            line(None, program.sasaran.text if program.sasaran else None, department_code(program.program.code, unit), program.program.name, list(program.indicators.all()), bold=True)
            for kegiatan in program.kegiatan_list.all():
                line(None, None, department_code(kegiatan.kegiatan.code, unit), kegiatan.kegiatan.name, list(kegiatan.indicators.all()))
                for sub in kegiatan.sub_kegiatan_list.all():
                    line(None, None, department_code(sub.sub_kegiatan.code, unit), sub.sub_kegiatan.name, list(sub.indicators.all()))
    if not workbook.sheetnames:
        workbook.create_sheet("Kosong").append(["Tidak ada Renstra yang dapat Anda lihat untuk periode ini."])
    return _save(workbook)


def _realisasi_columns():
    columns = [("No", 6), ("Kode", 20), ("Program/Kegiatan/Sub Kegiatan", 45), ("Indikator Kinerja", 35),
               ("Target Renja: Kinerja", 12), ("Target Renja: Rp", 18)]
    for quarter in ("I", "II", "III", "IV"):
        columns += [(f"Realisasi Triwulan {quarter}: Kinerja", 12), (f"Realisasi Triwulan {quarter}: Rp", 18)]
    columns += [("Realisasi s.d. Triwulan IV: Kinerja", 12), ("Realisasi s.d. Triwulan IV: Rp", 18),
                ("Tingkat Capaian: Kinerja (%)", 12), ("Tingkat Capaian: Rp (%)", 12),
                ("Unit PD Penanggung Jawab", 25), ("Keterangan", 30)]
    return columns


def renja_e81(principal, year, perangkat_daerah=None):
    """E.81 (evaluasi Renja PD): quarterly realisation of output and money for each row of a set Renja."""
    renjas = policy.scope(principal, Renja.objects.filter(year=year, status=PlanStatus.SET)).select_related("perangkat_daerah")
    if perangkat_daerah is not None:
        renjas = renjas.filter(perangkat_daerah=perangkat_daerah)
    visible = policy.scope(principal, Realisasi.objects.all())
    rows = (
        RenjaRow.objects.filter(renja__in=renjas)
        .select_related("sub_kegiatan", "renja__perangkat_daerah")
        .prefetch_related(Prefetch("realisasi_list", queryset=visible), Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets")))
        .order_by("sub_kegiatan__code")
    )
    by_renja = defaultdict(list)
    for row in rows:
        by_renja[row.renja_id].append(row)
    columns = _realisasi_columns()
    money = {6, 8, 10, 12, 14, 16}
    workbook = _workbook()
    for renja in renjas:
        unit = renja.perangkat_daerah
        sheet = _start_sheet(workbook, unit, [f"Tabel E.81 Evaluasi Hasil Renja Perangkat Daerah Tahun {year}", f"Perangkat Daerah: {unit.code} {unit.name}"], columns)
        for number, row in enumerate(by_renja[renja.pk], start=1):
            reports = {r.triwulan: r for r in row.realisasi_list.all()}
            quarters = []
            for quarter in range(1, 5):
                report = reports.get(quarter)
                quarters += [report.physical, report.spent] if report else [None, None]
            result = capaian(row)
            outputs = [i.text for i in row.indicators.all() if i.level == Indicator.Level.KELUARAN]
            notes = "; ".join(f"TW {r.triwulan}: {r.notes}" for r in reports.values() if r.notes)
            _append(sheet, [number, row.code, row.sub_kegiatan.name, "\n".join(outputs), output_target(row), row.pagu_indikatif, *quarters,
                            result.physical, result.spent, result.physical_percent, result.spent_percent, unit.name, notes], money)
    if not workbook.sheetnames:
        workbook.create_sheet("Kosong").append([f"Tidak ada Renja {year} yang ditetapkan dan dapat Anda lihat."])
    return _save(workbook)


def renstra_e80(principal, period, perangkat_daerah=None):
    """E.80 (evaluasi hasil Renstra PD): targets of each year of the period beside the realisation
    reported in the set Renja of that year (accepted quarterly reports), with the ratio."""
    renstras = policy.scope(principal, Renstra.objects.filter(period=period)).select_related("perangkat_daerah")
    if perangkat_daerah is not None:
        renstras = renstras.filter(perangkat_daerah=perangkat_daerah)
    years = period.years
    realised = defaultdict(lambda: [Decimal("0"), Decimal("0")])  # (unit, sub kegiatan code, year) -> [physical, spent]
    accepted = policy.scope(principal, Realisasi.objects.filter(
        status=Realisasi.Status.ACCEPTED, row__renja__status=PlanStatus.SET, row__renja__year__in=years,
        row__renja__perangkat_daerah__in=renstras.values("perangkat_daerah"),
    ))
    for unit_id, code, year, physical, spent in accepted.values_list("row__renja__perangkat_daerah", "row__sub_kegiatan__code", "row__renja__year", "physical", "spent"):
        realised[(unit_id, code, year)][0] += physical
        realised[(unit_id, code, year)][1] += spent
    columns = [("No", 6), ("Sasaran", 30), ("Kode", 20), ("Program/Kegiatan/Sub Kegiatan", 45), ("Indikator Kinerja", 35),
               ("Capaian Awal", 12), ("Target Akhir: Kinerja", 12), ("Target Akhir: Rp", 18)]
    for year in years:
        columns += [(f"Target {year}: Kinerja", 12), (f"Target {year}: Rp", 18)]
    for year in years:
        columns += [(f"Realisasi {year}: Kinerja", 12), (f"Realisasi {year}: Rp", 18)]
    for year in years:
        columns += [(f"Rasio {year}: Kinerja (%)", 12), (f"Rasio {year}: Rp (%)", 12)]
    columns += [("Unit PD Penanggung Jawab", 25)]
    first_money = 8
    money = {first_money} | {first_money + 2 * i + 2 for i in range(2 * len(years))}
    subs = (
        RenstraSubKegiatan.objects.filter(renstra_kegiatan__renstra_program__renstra__in=renstras)
        .select_related("sub_kegiatan", "renstra_kegiatan__renstra_program__sasaran", "renstra_kegiatan__renstra_program__renstra__perangkat_daerah")
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets")))
        .order_by("sub_kegiatan__code")
    )
    by_renstra = defaultdict(list)
    for sub in subs:
        by_renstra[sub.renstra_kegiatan.renstra_program.renstra_id].append(sub)
    workbook = _workbook()
    for renstra in renstras:
        unit = renstra.perangkat_daerah
        sheet = _start_sheet(workbook, unit, [f"Tabel E.80 Evaluasi terhadap Hasil Renstra Perangkat Daerah {period.start_year}-{period.end_year}", f"Perangkat Daerah: {unit.code} {unit.name}"], columns)
        for number, sub in enumerate(by_renstra[renstra.pk], start=1):
            indicators = list(sub.indicators.all())
            first = indicators[0] if indicators else None
            targets, actuals, ratios = [], [], []
            for year in years:
                planned = [t for i in indicators[:1] for t in i.targets.all() if t.year == year]
                value = planned[0].value if planned else None
                amount = planned[0].amount if planned else None
                physical, spent = realised.get((unit.pk, sub.sub_kegiatan.code, year), (None, None))
                targets += [value, amount]
                actuals += [physical, spent]
                ratios += [
                    (physical * 100 / value).quantize(Decimal("0.01")) if physical is not None and value else None,
                    (spent * 100 / amount).quantize(Decimal("0.01")) if spent is not None and amount else None,
                ]
            sasaran = sub.renstra_kegiatan.renstra_program.sasaran
            end_amount = sum((a for a in targets[1::2] if a is not None), Decimal("0")) or None
            _append(sheet, [number, sasaran.text if sasaran else None, department_code(sub.sub_kegiatan.code, unit), sub.sub_kegiatan.name,
                            first.text if first else None, first.baseline_value if first else None,
                            first.end_target_value if first else None, end_amount, *targets, *actuals, *ratios, unit.name], money)
    if not workbook.sheetnames:
        workbook.create_sheet("Kosong").append(["Tidak ada Renstra yang dapat Anda lihat untuk periode ini."])
    return _save(workbook)
