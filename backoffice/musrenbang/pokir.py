"""Pokir DPRD (pokok-pokok pikiran): the legislators, their optional yearly ceilings, and the steps
a pokir takes before it joins the other proposals at the departments: Setwan verifies (or returns,
or rejects), then Bappeda validates and routes it to a department (or rejects it).

A pokir is an `Usulan` with proposer level DPRD: it is created, edited and submitted with the
proposal services (which refuse it after the deadline, N days before the musrenbang kabupaten, and
over the legislator's ceiling) and continues through the department's steps like any proposal.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from backoffice.access import policy
from backoffice.access.models import Role

from .models import AnggotaDprd, PokirCeiling, Usulan
from .services import FieldErrors, _step, assign, audit, check_kamus_department

ANGGOTA_FIELDS = ("name", "fraksi", "daerah_pemilihan", "period_start", "period_end", "user")


@transaction.atomic
def save_anggota(principal, anggota, **values):
    """Create (anggota=None) or change a legislator (Bappeda's admin, Setwan)."""
    anggota = assign(principal, anggota or AnggotaDprd(), ANGGOTA_FIELDS, values)
    errors = {}
    for field in ("name", "fraksi", "daerah_pemilihan"):
        if not (getattr(anggota, field) or "").strip():
            errors[field] = ("required", f"{AnggotaDprd._meta.get_field(field).verbose_name.capitalize()} wajib diisi.")
    if anggota.period_start and anggota.period_end and anggota.period_end < anggota.period_start:
        errors["period_end"] = ("invalid", "Akhir masa jabatan tidak boleh sebelum awalnya.")
    if anggota.user_id is not None:
        # The login acts for this legislator alone (principal_for_user looks it up by user).
        profile = getattr(anggota.user, "access_profile", None)
        if profile is None or profile.role != Role.ANGGOTA_DPRD:
            errors["user"] = ("invalid", "Akun pengguna harus berperan Anggota DPRD.")
        elif AnggotaDprd.objects.filter(user_id=anggota.user_id).exclude(pk=anggota.pk).exists():
            errors["user"] = ("duplicate", "Akun pengguna ini sudah terhubung ke anggota DPRD lain.")
    if errors:
        raise FieldErrors(errors)
    created = anggota.pk is None
    anggota.save()
    audit(principal, anggota, created)
    return anggota


@transaction.atomic
def set_ceiling(principal, anggota, year, amount):
    """Set (or with amount None, remove) a legislator's pokir ceiling for a year."""
    policy.require(principal, "change", anggota)
    if not year or not 2000 <= year <= 2100:
        raise FieldErrors({"year": ("invalid", "Tahun rencana antara 2000 dan 2100.")})
    ceiling = None
    if amount is None:
        PokirCeiling.objects.filter(anggota=anggota, year=year).delete()
    elif Decimal(amount) < 0:
        raise FieldErrors({"amount": ("invalid", "Pagu pokir tidak boleh negatif.")})
    else:
        ceiling, _ = PokirCeiling.objects.update_or_create(anggota=anggota, year=year, defaults={"amount": Decimal(amount)})
    audit(principal, anggota, pagu_pokir={"year": year, "amount": None if amount is None else str(amount)})
    return ceiling


@transaction.atomic
def verify_by_setwan(principal, usulan, *, note="", at=None):
    return _step(principal, usulan, "verify_setwan", at=at, note=note)


@transaction.atomic
def return_by_setwan(principal, usulan, reason, *, note="", at=None):
    return _step(principal, usulan, "return_setwan", at=at, note=note, reason=reason)


@transaction.atomic
def reject_by_setwan(principal, usulan, reason, *, note="", at=None):
    return _step(principal, usulan, "reject_setwan", at=at, note=note, reason=reason)


@transaction.atomic
def validate_by_bappeda(principal, usulan, perangkat_daerah=None, *, note="", at=None):
    """Bappeda validates a verified pokir and routes it to the department that will review it (its
    kamus item's department when it has one)."""
    usulan = Usulan.objects.select_related("target_perangkat_daerah").get(pk=usulan.pk)
    perangkat_daerah = perangkat_daerah or usulan.target_perangkat_daerah
    if perangkat_daerah is None:
        raise ValidationError({"target_perangkat_daerah": "Pilih perangkat daerah tujuan."})

    def apply(item):
        check_kamus_department(item, perangkat_daerah)
        item.target_perangkat_daerah = perangkat_daerah

    return _step(principal, usulan, "validate_bappeda", at=at, note=note, apply=apply)


@transaction.atomic
def reject_by_bappeda(principal, usulan, reason, *, note="", at=None):
    return _step(principal, usulan, "reject_bappeda", at=at, note=note, reason=reason)
