"""Import of proposals from a sheet (a village's list typed in Excel), with every rupiah accounted
for: each row is imported or refused with its row number and reason; re-importing the same sheet
creates nothing twice."""

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from backoffice.planning.services import parse_rupiah, rupiah
from backoffice.reference.models import PerangkatDaerah, Satuan, Wilayah
from backoffice.reference.services import RowIssue, read_import_sheet

from .models import Status, Usulan
from .services import UsulanInput, _event, create_usulan

USULAN_COLUMNS = {
    "solution": ["usulan kegiatan", "usulan_kegiatan", "uraian usulan", "kegiatan usulan"],
    "problem": ["permasalahan", "masalah"],
    "requested_activity": ["usulan", "kegiatan", "nama kegiatan", "sub kegiatan"],
    "volume": ["volume"],
    "satuan": ["satuan"],
    "koefisien": ["koefisien", "volume dan satuan"],
    "cost": ["anggaran", "biaya", "perkiraan biaya", "nilai usulan", "nilai_usulan", "pagu"],
    "target": ["skpd_tujuan", "skpd tujuan", "opd tujuan", "opd_tujuan", "perangkat daerah tujuan"],
    "desa": ["kode desa", "kode_desa", "kode kelurahan"],
    "outcome": ["keterangan", "status"],
    "category": ["jenis", "jenis usulan"],
    "proposer": ["profil", "pengusul", "nama pengusul"],
    "address": ["alamat", "lokasi"],
    "priority": ["prioritas"],
}
CATEGORIES = {"sarpras": "sarpras", "lk": "lingkungan", "pm": "pemberdayaan", "ekonomi": "ekonomi", "sosbud": "sosial_budaya"}
OUTCOMES = {
    "diakomodir": (Status.ACCEPTED, ""),
    "tidak diakomodir": (Status.REJECTED_OPD, "Tidak diakomodir (hasil musrenbang yang diimpor)."),
}
KOEFISIEN = re.compile(r"^\s*([\d.,]+)\s*(.+?)\s*$")


@dataclass
class UsulanImportReport:
    source: str
    year: int
    dry_run: bool
    rows_read: int = 0
    created: int = 0
    existing: int = 0
    refused: list = field(default_factory=list)  # (RowIssue, cost)
    warnings: list = field(default_factory=list)
    sheet_total: Decimal = Decimal("0")
    imported_total: Decimal = Decimal("0")
    by_status: dict = field(default_factory=dict)

    @property
    def refused_total(self):
        return sum((cost for _, cost in self.refused), Decimal("0"))

    def summary_lines(self):
        head = "UJI COBA (tidak ada yang ditulis)" if self.dry_run else "Selesai"
        statuses = ", ".join(f"{n} {Status(s).label.lower()}" for s, n in sorted(self.by_status.items()))
        return [
            f"{head}: usulan {self.year} dari {self.source}, {self.rows_read} baris dibaca.",
            f"  {self.created} usulan baru ({statuses or '-'}), {self.existing} sudah ada (tidak digandakan), {len(self.refused)} ditolak",
            f"  biaya: lembar {rupiah(self.sheet_total)} = diimpor {rupiah(self.imported_total)} + ditolak {rupiah(self.refused_total)}",
        ]


def _satuan(text, cache, report, number):
    key = text.strip().lower()
    if key not in cache:
        found = Satuan.objects.filter(name__iexact=text.strip()).first()
        if found is None:
            # Words are capitalised ("orang" -> "Orang"); abbreviations stay as typed ("m", "m2").
            name = text.strip().capitalize() if text.strip().isalpha() and len(text.strip()) > 2 else text.strip()
            found = Satuan.objects.create(name=name)
            report.warnings.append(RowIssue(number, "satuan", f"Satuan baru '{name}' ditambahkan."))
        cache[key] = found
    return cache[key]


def _target(text, units):
    key = " ".join(text.lower().split())
    return units.get(key)


def import_usulan(source, *, year, principal, desa=None, dry_run=False, name=None):
    """Import proposals of one year. `desa` (a Wilayah) is the village of every row unless the sheet
    has a village code column. Rows carrying a recorded outcome ("Diakomodir" / "Tidak Diakomodir")
    keep it, with the reason public; the others start as drafts of the village."""
    sheet = read_import_sheet(source, name, ["cost"], USULAN_COLUMNS)
    report = UsulanImportReport(source=name or str(getattr(source, "name", source)), year=year, dry_run=dry_run)
    units = {" ".join(unit.name.lower().split()): unit for unit in PerangkatDaerah.objects.all()}
    villages = {w.code: w for w in Wilayah.objects.filter(level=Wilayah.Level.DESA_KELURAHAN).select_related("parent")} if "desa" in sheet.headers else {}
    satuan_cache, unmatched = {}, set()
    now = timezone.now()
    with transaction.atomic():
        for number, values in sheet.rows:
            report.rows_read += 1
            cost = Decimal("0")
            try:
                cost = parse_rupiah(values.get("cost")) or Decimal("0")
                report.sheet_total += cost
                data = _row_input(values, year, desa, villages, satuan_cache, report, number, cost, units, unmatched)
                key = "import:" + hashlib.sha256("|".join([str(year), data.desa.code if data.desa else "", data.solution, str(data.volume), data.satuan.name, str(cost)]).encode()).hexdigest()[:40]
                existing = Usulan.objects.filter(year=year, desa=data.desa, idempotency_key=key).first()
                if existing is not None:
                    report.existing += 1
                    report.imported_total += cost
                    continue
                outcome = values.get("outcome", "").strip().lower()
                if outcome and outcome not in OUTCOMES:
                    raise ValueError(f"Keterangan '{values['outcome']}' tidak dikenal (Diakomodir / Tidak Diakomodir).")
                with transaction.atomic():
                    usulan = create_usulan(principal, data, at=now)
                    usulan.idempotency_key = key
                    if outcome:
                        status, reason = OUTCOMES[outcome]
                        usulan.status, usulan.public_reason = status, reason
                        _event(usulan, "import", Status.DRAFT, status, principal, now, note=f"Diimpor dari {report.source} baris {number}.", public_reason=reason)
                    usulan.save()
            except ValidationError as error:
                messages = error.message_dict.values() if hasattr(error, "error_dict") else [error.messages]
                report.refused.append((RowIssue(number, "", " ".join(m for group in messages for m in group)), cost))
                continue
            except ValueError as error:
                report.refused.append((RowIssue(number, "", str(error)), cost))
                continue
            report.created += 1
            report.imported_total += cost
            report.by_status[usulan.status] = report.by_status.get(usulan.status, 0) + 1
        for text in sorted(unmatched):
            report.warnings.append(RowIssue(None, "skpd_tujuan", f"Perangkat daerah tujuan '{text}' tidak dikenal: disimpan sebagai teks, kecamatan memilih perangkat daerahnya saat meneruskan."))
        if dry_run:
            transaction.set_rollback(True)
    return report


def _row_input(values, year, desa, villages, satuan_cache, report, number, cost, units, unmatched):
    if "desa" in values and values["desa"]:
        desa = villages.get(values["desa"].strip())
        if desa is None:
            raise ValueError(f"Kode desa/kelurahan '{values['desa']}' tidak dikenal.")
    if desa is None:
        raise ValueError("Desa/kelurahan pengusul tidak disebut: isi kolom kode desa atau pilih desanya saat mengimpor.")
    if values.get("koefisien"):
        match = KOEFISIEN.match(values["koefisien"])
        if not match:
            raise ValueError(f"Koefisien '{values['koefisien']}' tidak berbentuk 'volume satuan' (contoh: 35 Orang).")
        volume_text, satuan_text = match.groups()
    else:
        volume_text, satuan_text = values.get("volume", ""), values.get("satuan", "")
    volume = parse_rupiah(volume_text)
    if volume is None or not satuan_text:
        raise ValueError("Volume dan satuan wajib diisi.")
    solution = values.get("solution") or values.get("problem", "")
    problem = values.get("problem", "") if values.get("solution") else ""
    target_text = values.get("target", "")
    target = _target(target_text, units) if target_text else None
    if target_text and target is None:
        unmatched.add(target_text)
    priority = values.get("priority", "")
    return UsulanInput(
        year=year, desa=desa, kecamatan=desa.parent, solution=solution, problem=problem, volume=volume,
        satuan=_satuan(satuan_text, satuan_cache, report, number), estimated_cost=cost,
        requested_activity=values.get("requested_activity", ""), address=values.get("address", ""),
        category=CATEGORIES.get(values.get("category", "").strip().lower(), ""),
        target_perangkat_daerah=target, target_text=target_text if target is None else "",
        proposer_name=values.get("proposer", ""), priority_desa=int(priority) if priority.isdigit() else None,
    )
