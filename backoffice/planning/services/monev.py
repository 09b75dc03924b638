"""Quarterly monitoring (monev): a department reports, per triwulan, the physical output and money
spent for each row of its set Renja; a Bappeda verifier accepts it or returns it with a note.
Capaian (percent of target and of pagu) is computed here, never typed."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone

from backoffice.access import policy
from backoffice.access.models import Role

from ..models import Indicator, PlanStatus, Realisasi, ReportingWindow

HUNDRED = Decimal("100")


def _when(moment):
    return formats.date_format(timezone.localtime(moment), "j F Y H:i")


def reporting_lock_reason(year, triwulan, at=None):
    at = at or timezone.now()
    window = ReportingWindow.objects.filter(year=year, triwulan=triwulan).first()
    if window is None:
        return f"Jadwal pelaporan triwulan {triwulan} {year} belum ditetapkan Bappeda."
    if at < window.opens_at:
        return f"Pelaporan triwulan {triwulan} {year} baru dibuka pada {_when(window.opens_at)}."
    if at >= window.closes_at:
        return f"Pelaporan triwulan {triwulan} {year} ditutup pada {_when(window.closes_at)}."
    return None


@transaction.atomic
def report_realisasi(principal, row, triwulan, *, physical, spent, notes="", document=None, at=None):
    """Create or change a department's report for one quarter of a row (while a draft or returned)."""
    renja = row.renja
    realisasi = Realisasi.objects.filter(row=row, triwulan=triwulan).first() or Realisasi(row=row, triwulan=triwulan)
    policy.require(principal, "change" if realisasi.pk else "add", realisasi)
    if renja.status != PlanStatus.SET:
        raise ValidationError("Realisasi hanya dilaporkan untuk Renja yang sudah ditetapkan.")
    if realisasi.status not in (Realisasi.Status.DRAFT, Realisasi.Status.RETURNED):
        raise ValidationError(f"Realisasi triwulan {triwulan} berstatus {realisasi.get_status_display().lower()}: tidak dapat diubah.")
    reason = reporting_lock_reason(renja.year, triwulan, at)
    if reason:
        raise ValidationError(reason)
    realisasi.physical, realisasi.spent, realisasi.notes, realisasi.document = Decimal(physical), Decimal(spent), notes, document
    realisasi.full_clean()
    realisasi.save()
    spent_total = sum(Realisasi.objects.filter(row=row).values_list("spent", flat=True), Decimal("0"))
    if spent_total > row.pagu_indikatif:
        raise ValidationError({"spent": f"Realisasi anggaran kumulatif Rp {spent_total:,.0f} melebihi pagu Rp {row.pagu_indikatif:,.0f}.".replace(",", ".")})
    return realisasi


def _move(principal, realisasi, sources, target, who, note=""):
    realisasi = Realisasi.objects.select_for_update().select_related("row__renja").get(pk=realisasi.pk)
    if who == "owner":
        allowed = policy.can(principal, "change", realisasi)
    else:
        allowed = principal.role in (Role.BAPPEDA_ADMIN, Role.BAPPEDA_VERIFIER)
    if not allowed:
        raise PermissionDenied("Anda tidak berwenang atas realisasi ini.")
    if realisasi.status not in sources:
        raise ValidationError(f"Realisasi berstatus {realisasi.get_status_display().lower()}: tindakan ini tidak dapat dilakukan.")
    realisasi.status = target
    if who == "verifier":
        realisasi.verifier_note, realisasi.verified_by, realisasi.verified_at = note, principal.user, timezone.now()
    realisasi.save()
    return realisasi


@transaction.atomic
def submit_realisasi(principal, realisasi):
    return _move(principal, realisasi, {Realisasi.Status.DRAFT, Realisasi.Status.RETURNED}, Realisasi.Status.SUBMITTED, "owner")


@transaction.atomic
def accept_realisasi(principal, realisasi, note=""):
    return _move(principal, realisasi, {Realisasi.Status.SUBMITTED}, Realisasi.Status.ACCEPTED, "verifier", note)


@transaction.atomic
def return_realisasi(principal, realisasi, note):
    if not (note or "").strip():
        raise ValidationError({"note": "Catatan wajib diisi saat mengembalikan realisasi."})
    return _move(principal, realisasi, {Realisasi.Status.SUBMITTED}, Realisasi.Status.RETURNED, "verifier", note.strip())


@dataclass
class Capaian:
    target: Decimal | None  # the row's output target for the year
    pagu: Decimal
    physical: Decimal  # cumulative up to the quarter
    spent: Decimal
    physical_percent: Decimal | None
    spent_percent: Decimal | None


def output_target(row):
    """The row's output (keluaran) target for its year; the first numeric one when there are several."""
    for indicator in row.indicators.all():
        if indicator.level == Indicator.Level.KELUARAN:
            for target in indicator.targets.all():
                if target.year == row.renja.year and target.value is not None:
                    return target.value
    return None


def capaian(row, up_to=4, accepted_only=False):
    """Cumulative realisation of a row up to a quarter, against its target and pagu (in percent)."""
    reports = [r for r in row.realisasi_list.all() if r.triwulan <= up_to and (not accepted_only or r.status == Realisasi.Status.ACCEPTED)]
    physical = sum((r.physical for r in reports), Decimal("0"))
    spent = sum((r.spent for r in reports), Decimal("0"))
    target = output_target(row)

    def percent(part, whole):
        return (part * HUNDRED / whole).quantize(Decimal("0.01")) if whole else None

    return Capaian(target, row.pagu_indikatif, physical, spent, percent(physical, target), percent(spent, row.pagu_indikatif))
