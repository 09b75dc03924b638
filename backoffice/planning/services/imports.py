"""Import of Renja rows from an SIPD-shaped sheet, with every rupiah accounted for."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from backoffice.access import policy
from backoffice.reference.models import PerangkatDaerah, SumberDana, Wilayah
from backoffice.reference.services import RowIssue, read_import_sheet

from ..models import Indicator, IndicatorTarget, PaguCeiling, Renja, RenjaLokasi, RenjaPendanaan, RenjaRow
from .cycle import require_editable
from .rules import SubKegiatanCatalogue, department_code, rupiah

RENJA_COLUMNS = {
    "opd": ["kode_opd", "kode opd", "kode unit", "kode_unit_organisasi", "kode skpd", "kode_skpd"],
    "sub_kegiatan": ["kode_sub_kegiatan", "kode_sub_kegiatan_asli", "kode sub kegiatan", "kode subkegiatan"],
    "pagu": ["pagu_rincian", "pagu", "pagu indikatif", "pagu_indikatif", "anggaran", "nilai"],
    "indikator": ["indikator", "indikator keluaran", "indikator_keluaran"],
    "target": ["target", "target keluaran"],
    "satuan": ["satuan"],
    "lokasi": ["lokasi", "kode lokasi", "kode_lokasi"],
    "sumber_dana": ["sumber_dana", "sumber dana", "kode sumber dana"],
}
UNDECIDED_SOURCE = ("BLM", "Belum ditentukan")


@dataclass
class RenjaImportReport:
    source: str
    year: int
    dry_run: bool
    rows_read: int = 0
    rows_created: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    merged: list = field(default_factory=list)  # RowIssue: a repeated department + sub kegiatan pair
    refused: list = field(default_factory=list)  # (RowIssue, pagu of the refused row)
    warnings: list = field(default_factory=list)
    sheet_total: Decimal = Decimal("0")
    imported_total: Decimal = Decimal("0")
    empty_pagu_rows: int = 0

    @property
    def refused_total(self):
        return sum((pagu for _, pagu in self.refused), Decimal("0"))

    def summary_lines(self):
        head = "UJI COBA (tidak ada yang ditulis)" if self.dry_run else "Selesai"
        return [
            f"{head}: Renja {self.year} dari {self.source}, {self.rows_read} baris dibaca.",
            f"  baris Renja: {self.rows_created} baru, {self.rows_updated} berubah, {self.rows_unchanged} tidak berubah",
            f"  {len(self.merged)} baris digabung ke baris lain dengan perangkat daerah dan sub kegiatan yang sama",
            f"  {self.empty_pagu_rows} baris tanpa pagu (diimpor dengan pagu 0)",
            f"  {len(self.refused)} baris ditolak, senilai {rupiah(self.refused_total)}",
            f"  pagu: lembar {rupiah(self.sheet_total)} = diimpor {rupiah(self.imported_total)} + ditolak {rupiah(self.refused_total)}",
        ]


def parse_rupiah(text):
    """A rupiah amount as typed: `1500000`, `1.500.000`, `Rp 1.500.000,00`, `1500000.50`."""
    text = (text or "").replace("Rp", "").replace(" ", "").strip()
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") > 1 or (text.count(".") == 1 and len(text.split(".")[1]) == 3):
        text = text.replace(".", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"Pagu '{text}' bukan angka rupiah.") from None
    if value < 0:
        raise ValueError(f"Pagu {text} negatif.")
    return value


@dataclass
class _PlannedRow:
    row: int
    perangkat_daerah: object
    sub_kegiatan: object
    pagu: dict  # SumberDana -> Decimal
    lokasi: list
    indikator: tuple | None
    rows: list = field(default_factory=list)


def _parse_renja_rows(sheet, year, principal, report, default_source):
    catalogue = SubKegiatanCatalogue(year)
    units = {pd.code: pd for pd in PerangkatDaerah.objects.all()}
    sources = {sd.code: sd for sd in SumberDana.objects.all()}
    places = {w.code: w for w in Wilayah.objects.of_region().only("id", "code", "name")}
    renjas = {renja.perangkat_daerah_id: renja for renja in Renja.objects.filter(year=year)}
    planned = {}
    for number, values in sheet.rows:
        report.rows_read += 1
        pagu = Decimal("0")
        try:
            pagu = parse_rupiah(values.get("pagu"))
            if pagu is None:
                report.empty_pagu_rows += 1
                pagu = Decimal("0")
            report.sheet_total += pagu
            unit = units.get(values.get("opd", "").replace(" ", ""))
            if unit is None:
                raise ValueError(f"Perangkat daerah '{values.get('opd', '')}' tidak dikenal.")
            if not policy.can(principal, "add", Renja(perangkat_daerah=unit, year=year)):
                raise ValueError(f"Anda tidak berwenang mengisi Renja {unit.name}.")
            require_editable(principal, renjas.get(unit.pk) or Renja(perangkat_daerah=unit, year=year))
            sub = catalogue.find(values.get("sub_kegiatan", ""), unit)
            source = default_source
            if values.get("sumber_dana"):
                source = sources.get(values["sumber_dana"].upper())
                if source is None:
                    raise ValueError(f"Sumber dana '{values['sumber_dana']}' tidak dikenal.")
            lokasi = []
            for code in filter(None, (c.strip() for c in values.get("lokasi", "").replace(",", ";").split(";"))):
                if code not in places:
                    raise ValueError(f"Lokasi '{code}' bukan kode wilayah {settings.REGION_NAME}.")
                lokasi.append(places[code])
        except ValidationError as error:
            report.refused.append((RowIssue(number, "", " ".join(error.messages)), pagu))
            continue
        except ValueError as error:
            report.refused.append((RowIssue(number, "", str(error)), pagu))
            continue
        key = (unit.pk, sub.pk)
        indikator = (values["indikator"], values.get("target", ""), values.get("satuan", "")) if values.get("indikator") else None
        entry = planned.get(key)
        if entry is None:
            planned[key] = _PlannedRow(number, unit, sub, {source: pagu}, lokasi, indikator, [(number, pagu)])
        else:
            # SIPD prints one line per rincian: the lines of one sub kegiatan add up.
            entry.pagu[source] = entry.pagu.get(source, Decimal("0")) + pagu
            entry.lokasi += [w for w in lokasi if w not in entry.lokasi]
            entry.indikator = entry.indikator or indikator
            entry.rows.append((number, pagu))
            report.merged.append(RowIssue(number, "kode_sub_kegiatan", f"Digabung dengan baris {entry.row} ({department_code(sub.code, unit)}, {unit.name})."))
    return planned


def _refuse_over_ceiling(planned, year, report):
    """Refuse every imported row of a department whose Renja would exceed a ceiling."""
    by_unit = defaultdict(list)
    for key, entry in planned.items():
        by_unit[entry.perangkat_daerah.pk].append(key)
    ceilings = defaultdict(dict)
    for ceiling in PaguCeiling.objects.filter(year=year).select_related("sumber_dana"):
        ceilings[ceiling.perangkat_daerah_id][ceiling.sumber_dana.code if ceiling.sumber_dana_id else "total"] = ceiling.amount
    for unit_id, keys in by_unit.items():
        if unit_id not in ceilings:
            continue
        imported_subs = [planned[k].sub_kegiatan.pk for k in keys]
        totals = defaultdict(Decimal)
        for code, pagu in RenjaPendanaan.objects.filter(row__renja__perangkat_daerah=unit_id, row__renja__year=year).exclude(
            row__sub_kegiatan__in=imported_subs
        ).values_list("sumber_dana__code", "pagu"):
            totals[code] += pagu
            totals["total"] += pagu
        for key in keys:
            for source, pagu in planned[key].pagu.items():
                totals[source.code] += pagu
                totals["total"] += pagu
        over = [f"{k}: {rupiah(totals[k])} > plafon {rupiah(c)}" for k, c in ceilings[unit_id].items() if totals[k] > c]
        if over:
            name = planned[keys[0]].perangkat_daerah.name
            for key in keys:
                for number, pagu in planned.pop(key).rows:
                    report.refused.append((RowIssue(number, "pagu", f"Renja {name} {year} melebihi plafon ({'; '.join(over)})."), pagu))


def import_renja(source, *, year, principal, dry_run=False, name=None, progress=None):
    """Import Renja rows (department unit code, sub kegiatan code, pagu; optional indicator, target,
    satuan, lokasi, sumber dana). Valid rows are imported; refused rows are reported with their row
    number, reason and pagu, so that sheet total = imported + refused. Repeated department + sub
    kegiatan pairs are added together into one Renja row. Re-importing the same sheet changes nothing."""
    progress = progress or (lambda done, total, label="": None)
    sheet = read_import_sheet(source, name, ["opd", "sub_kegiatan", "pagu"], RENJA_COLUMNS)
    report = RenjaImportReport(source=name or str(getattr(source, "name", source)), year=year, dry_run=dry_run)
    with transaction.atomic():
        default_source, _ = SumberDana.objects.get_or_create(code=UNDECIDED_SOURCE[0], defaults={"name": UNDECIDED_SOURCE[1]})
        if "sumber_dana" not in sheet.headers:
            report.warnings.append(RowIssue(None, "sumber_dana", "Lembar tanpa kolom sumber dana: pagu dicatat pada sumber dana 'BLM' (Belum ditentukan)."))
        planned = _parse_renja_rows(sheet, year, principal, report, default_source)
        _refuse_over_ceiling(planned, year, report)
        report.imported_total = sum((sum(e.pagu.values(), Decimal("0")) for e in planned.values()), Decimal("0"))
        _write_renja_rows(planned, year, report, progress)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _write_renja_rows(planned, year, report, progress):
    renjas = {r.perangkat_daerah_id: r for r in Renja.objects.filter(year=year)}
    for entry in planned.values():
        unit = entry.perangkat_daerah
        if unit.pk not in renjas:
            renjas[unit.pk] = Renja.objects.create(perangkat_daerah=unit, year=year)
    existing = {(r.renja.perangkat_daerah_id, r.sub_kegiatan_id): r for r in RenjaRow.objects.filter(renja__year=year).select_related("renja")}
    funding = defaultdict(dict)
    for line in RenjaPendanaan.objects.filter(row__renja__year=year):
        funding[line.row_id][line.sumber_dana_id] = line.pagu
    new_rows = [RenjaRow(renja=renjas[key[0]], sub_kegiatan=entry.sub_kegiatan) for key, entry in planned.items() if key not in existing]
    for row in RenjaRow.objects.bulk_create(new_rows):
        existing[(row.renja.perangkat_daerah_id, row.sub_kegiatan_id)] = row
    report.rows_created = len(new_rows)
    created = {row.pk for row in new_rows}
    touched, lines, lokasi = [], [], []
    for done, (key, entry) in enumerate(planned.items(), start=1):
        row = existing[key]
        wanted = {source.pk: pagu for source, pagu in entry.pagu.items()}
        current = funding.get(row.pk, {})
        if any(current.get(s) != p for s, p in wanted.items()) or row.pk in created:
            touched.append(row.pk)
            lines += [RenjaPendanaan(row=row, sumber_dana_id=s, pagu=p) for s, p in wanted.items()]
            if row.pk not in created:
                report.rows_updated += 1
        elif row.pk not in created:
            report.rows_unchanged += 1
        if entry.lokasi and row.pk in created:
            lokasi += [RenjaLokasi(row=row, wilayah=w) for w in entry.lokasi]
        if entry.indikator and row.pk in created:
            _add_output_indicator(row, year, *entry.indikator)
        progress(done, len(planned), "baris Renja")
    # Replace only the funding lines the sheet speaks of (its sumber dana), keep the others.
    for line in lines:
        if line.row.pk not in created:
            RenjaPendanaan.objects.filter(row=line.row, sumber_dana_id=line.sumber_dana_id).delete()
    RenjaPendanaan.objects.bulk_create(lines, batch_size=1000)
    RenjaLokasi.objects.bulk_create(lokasi, batch_size=1000)
    totals = RenjaPendanaan.objects.filter(row=OuterRef("pk")).values("row").annotate(total=Sum("pagu")).values("total")
    for start in range(0, len(touched), 500):
        RenjaRow.objects.filter(pk__in=touched[start:start + 500]).update(pagu_indikatif=Coalesce(Subquery(totals), Decimal("0")))


def _add_output_indicator(row, year, text, target, satuan):
    indicator = Indicator.objects.create(renja_row=row, level=Indicator.Level.KELUARAN, text=text, satuan=satuan)
    try:
        value, label = Decimal(target.replace(",", ".")), ""
    except InvalidOperation:
        value, label = None, target
    if target:
        IndicatorTarget.objects.create(indicator=indicator, year=year, value=value, text=label)
