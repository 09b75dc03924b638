"""The rules of one year's season that the services check: the kamus (pricing and proposals outside
it), the pokir deadline and ceilings, and the quotas. Reads only; the services decide what to refuse.

Kept apart from `services` so that the kamus, pokir and scoring modules and the admin can ask the
same questions (e.g. the schedule page's warning) without importing the life cycle.
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, timezone

from backoffice.planning.services.rules import rupiah

from .models import Level, MusrenbangSchedule, PokirCeiling, SeasonSetting, Status, Usulan

DEFAULT_POKIR_DAYS = 7
# A pokir counts against its legislator's ceiling from submission on, unless it was turned down.
CEILING_EXCLUDED = (Status.DRAFT, Status.RETURNED, Status.REJECTED_SETWAN, Status.REJECTED_BAPPEDA)
# Proposals a desa has forwarded to its kecamatan (a returned one is back with the desa).
FORWARDED_BY_DESA_EXCLUDED = (Status.DRAFT, Status.RETURNED)
# Proposals a kecamatan has forwarded to departments: routed and everything after it.
FORWARDED_BY_KECAMATAN = (
    Status.ROUTED, Status.ACCEPTED, Status.ACCEPTED_CHANGED, Status.POSTPONED, Status.REJECTED_OPD,
    Status.AGREED, Status.ADOPTED, Status.NOT_FUNDED, Status.CARRIED_OVER,
)


def _when(moment):
    return formats.date_format(timezone.localtime(moment), "j F Y H:i")


def setting_for(year):
    return SeasonSetting.objects.filter(year=year).first()


# ------------------------------------------------------------------------------------------------
# Kamus usulan


def kamus_cost(volume, unit_price):
    """Cost of a kamus-priced proposal, rounded to whole rupiah as budgets are."""
    return (Decimal(volume) * Decimal(unit_price)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def check_kamus(data):
    """Price a proposal from its kamus item, or check that it may stand outside the kamus. Sets the
    satuan, cost, sub kegiatan and (when empty) target department on `data`; returns field errors
    as {field: (code, message)}."""
    errors = {}
    item = data.kamus
    if item is None:
        setting = setting_for(data.year)
        if setting is None or data.proposer_level not in (Usulan.ProposerLevel.DESA, Usulan.ProposerLevel.DPRD):
            return errors
        if not setting.outside_kamus_allowed:
            errors["kamus"] = ("required", f"Tahun {data.year} usulan wajib dipilih dari kamus usulan.")
        elif not (data.outside_kamus_reason or "").strip():
            errors["outside_kamus_reason"] = ("required", "Usulan di luar kamus wajib menyertakan alasan.")
        return errors
    if item.year != data.year:
        errors["kamus"] = ("wrong_year", f"Item kamus \"{item.name}\" berlaku untuk tahun {item.year}, bukan {data.year}.")
    elif not item.is_active:
        errors["kamus"] = ("inactive", f"Item kamus \"{item.name}\" tidak aktif lagi.")
    elif data.target_perangkat_daerah is not None and data.target_perangkat_daerah.pk != item.perangkat_daerah_id:
        errors["target_perangkat_daerah"] = ("kamus_mismatch", f"Item kamus \"{item.name}\" milik {item.perangkat_daerah.name}.")
    if errors:
        return errors
    data.satuan = item.satuan
    data.sub_kegiatan = item.sub_kegiatan
    data.target_perangkat_daerah = item.perangkat_daerah
    data.outside_kamus_reason = ""
    if data.volume is not None and data.volume > 0:
        data.estimated_cost = kamus_cost(data.volume, item.unit_price)
    return errors


# ------------------------------------------------------------------------------------------------
# Pokir DPRD


def pokir_deadline(year):
    """(deadline, kabupaten schedule) for entering the year's pokir; (None, None) while the
    musrenbang kabupaten has no schedule."""
    kabupaten = MusrenbangSchedule.objects.filter(year=year, level=Level.KABUPATEN).first()
    if kabupaten is None:
        return None, None
    setting = setting_for(year)
    days = setting.pokir_days_before if setting else DEFAULT_POKIR_DAYS
    return kabupaten.opens_at - timedelta(days=days), kabupaten


def pokir_lock_reason(year, at=None):
    at = at or timezone.now()
    deadline, kabupaten = pokir_deadline(year)
    if deadline is None or at < deadline:
        return None
    days = (kabupaten.opens_at - deadline).days
    return (f"Pemasukan pokir DPRD tahun {year} ditutup pada {_when(deadline)}, {days} hari sebelum musrenbang "
            f"kabupaten dibuka ({_when(kabupaten.opens_at)}).")


def ceiling_error(usulan):
    """The message when submitting `usulan` would take its legislator over the year's ceiling."""
    ceiling = PokirCeiling.objects.filter(anggota_id=usulan.anggota_dprd_id, year=usulan.year).select_related("anggota").first()
    if ceiling is None:
        return None
    others = (Usulan.objects.filter(anggota_dprd_id=usulan.anggota_dprd_id, year=usulan.year)
              .exclude(pk=usulan.pk).exclude(status__in=CEILING_EXCLUDED).values_list("estimated_cost", flat=True))
    total = sum(others, Decimal("0"))
    if total + usulan.estimated_cost <= ceiling.amount:
        return None
    return (f"Pagu pokir {ceiling.anggota.name} tahun {usulan.year} {rupiah(ceiling.amount)}: usulan yang sudah diajukan "
            f"{rupiah(total)} ditambah usulan ini {rupiah(usulan.estimated_cost)} menjadi {rupiah(total + usulan.estimated_cost)}, "
            f"melebihi pagu.")


def schedule_warnings(year, windows=None):
    """What in a year's schedule breaks the pokir rule, for the schedule admin. `windows` maps a
    level to (opens_at, closes_at) as typed in the form (default: the stored schedule)."""
    if windows is None:
        windows = {s.level: (s.opens_at, s.closes_at) for s in MusrenbangSchedule.objects.filter(year=year)}
    kabupaten = windows.get(Level.KABUPATEN)
    if not kabupaten:
        return []
    setting = setting_for(year)
    days = setting.pokir_days_before if setting else DEFAULT_POKIR_DAYS
    deadline = kabupaten[0] - timedelta(days=days)
    warnings = []
    desa = windows.get(Level.DESA)
    if desa and deadline <= desa[0]:
        warnings.append(f"Batas pokir DPRD ({_when(deadline)}, {days} hari sebelum musrenbang kabupaten) jatuh sebelum "
                        f"musrenbang desa dibuka: anggota DPRD tidak sempat memasukkan pokir.")
    forum = windows.get(Level.FORUM_OPD)
    if forum and forum[1] <= deadline:
        warnings.append(f"Forum perangkat daerah ditutup ({_when(forum[1])}) sebelum batas pokir DPRD ({_when(deadline)}): "
                        f"pokir tidak dapat ditelaah perangkat daerah.")
    return warnings


# ------------------------------------------------------------------------------------------------
# Quotas


def _codes(queryset):
    return ", ".join(queryset.order_by("tracking_code").values_list("tracking_code", flat=True)[:10])


def desa_quota_error(usulan):
    setting = setting_for(usulan.year)
    if setting is None or setting.quota_per_desa is None or usulan.desa_id is None:
        return None
    forwarded = (Usulan.objects.filter(year=usulan.year, desa_id=usulan.desa_id, proposer_level=Usulan.ProposerLevel.DESA)
                 .exclude(pk=usulan.pk).exclude(status__in=FORWARDED_BY_DESA_EXCLUDED))
    if forwarded.count() < setting.quota_per_desa:
        return None
    return (f"Kuota {usulan.desa.name} tahun {usulan.year} sudah penuh: paling banyak {setting.quota_per_desa} usulan "
            f"diajukan ke kecamatan (sudah diajukan: {_codes(forwarded)}).")


def kecamatan_quota_error(usulan):
    setting = setting_for(usulan.year)
    if setting is None or setting.quota_per_kecamatan is None:
        return None
    forwarded = (Usulan.objects.filter(year=usulan.year, kecamatan_id=usulan.kecamatan_id, status__in=FORWARDED_BY_KECAMATAN)
                 .exclude(proposer_level=Usulan.ProposerLevel.DPRD).exclude(pk=usulan.pk))
    if forwarded.count() < setting.quota_per_kecamatan:
        return None
    return (f"Kuota Kecamatan {usulan.kecamatan.name} tahun {usulan.year} sudah penuh: paling banyak "
            f"{setting.quota_per_kecamatan} usulan diteruskan ke perangkat daerah (sudah diteruskan: {_codes(forwarded)}).")
