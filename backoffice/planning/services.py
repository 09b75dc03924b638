"""Every write to plans that is more than a form save, and the rules those writes keep.

Rules kept on every path (admin, GraphQL, imports):
- a department plans only programs of the bidang urusan it serves, plus the support program
  (generic `X.XX.01…`, written under the department's own bidang code);
- every nomenclature row a plan uses is in force in the plan's year;
- a Renja never exceeds its ceiling, in total and per sumber dana;
- only the principal that `backoffice.access.policy` allows may write.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum

from backoffice.access import policy
from backoffice.reference.codes import normalize_nomenclature_code
from backoffice.reference.models import NomenclatureEdition, SubKegiatan

from .models import PaguCeiling, Renja, RenjaLokasi, RenjaPendanaan, RenjaRow

GENERIC_BIDANG = "X.XX"


def rupiah(amount):
    """Rp 1.234.567 (Indonesian grouping), for messages."""
    return "Rp " + f"{Decimal(amount):,.0f}".replace(",", ".")


def department_code(code, perangkat_daerah):
    """The code as a department writes it: the generic support program under its own bidang."""
    if code.startswith(GENERIC_BIDANG + "."):
        return perangkat_daerah.bidang_urusan_1 + code[len(GENERIC_BIDANG):]
    return code


def generic_code(code):
    """The generic form of a department-specific support program code (`1.02.01.2.02.0001`)."""
    parts = code.split(".")
    if len(parts) >= 3 and parts[2] == "01" and parts[0] != "X":
        return ".".join([GENERIC_BIDANG] + parts[2:])
    return code


def edition_for(year):
    edition = NomenclatureEdition.in_force(year)
    if edition is None:
        raise ValidationError(f"Belum ada nomenklatur yang berlaku untuk tahun {year}: impor nomenklatur dahulu.")
    return edition


def check_nomenclature_row(perangkat_daerah, row, year, field):
    """Refuse a nomenclature row (program, kegiatan or sub kegiatan) that the department may not
    plan in `year`: not in force in that year's edition, or outside its bidang urusan."""
    edition = edition_for(year)
    if not type(row).objects.in_force(edition).filter(pk=row.pk).exists():
        raise ValidationError({field: f"Kode {row.code} tidak berlaku pada nomenklatur tahun {year} ({edition.name})."})
    bidang = ".".join(row.code.split(".")[:2])
    if bidang != GENERIC_BIDANG and bidang not in perangkat_daerah.bidang_urusan_codes:
        served = ", ".join(perangkat_daerah.bidang_urusan_codes)
        raise ValidationError({field: f"Kode {row.code} di luar bidang urusan {perangkat_daerah.name} ({served})."})


def allowed_sub_kegiatan(perangkat_daerah, year):
    """Sub kegiatan a department may choose for a Renja of `year` (for choosers and the API)."""
    edition = edition_for(year)
    prefixes = perangkat_daerah.bidang_urusan_codes + [GENERIC_BIDANG]
    queryset = SubKegiatan.objects.in_force(edition)
    condition = Q()
    for prefix in prefixes:
        condition |= Q(code__startswith=prefix + ".")
    return queryset.filter(condition)


def find_sub_kegiatan(code, perangkat_daerah, year):
    """The sub kegiatan in force in `year` for a code as typed or exported (2-digit last segment,
    support program under the department's bidang)."""
    edition = edition_for(year)
    code = normalize_nomenclature_code(code)
    rows = SubKegiatan.objects.in_force(edition)
    found = rows.filter(code=code).first() or rows.filter(code=generic_code(code)).first()
    if found is None:
        raise ValidationError({"sub_kegiatan": f"Kode sub kegiatan {code} tidak ada dalam nomenklatur tahun {year} ({edition.name})."})
    check_nomenclature_row(perangkat_daerah, found, year, "sub_kegiatan")
    return found


# ------------------------------------------------------------------------------------------------
# Ceilings


def ceiling_status(renja):
    """Totals of a Renja against its ceilings: {"total": (planned, ceiling or None),
    sumber dana code: (planned, ceiling or None)}."""
    planned = {
        code: total
        for code, total in RenjaPendanaan.objects.filter(row__renja=renja)
        .values_list("sumber_dana__code")
        .annotate(total=Sum("pagu"))
    }
    status = {"total": [sum(planned.values(), Decimal("0")), None]}
    for code, total in planned.items():
        status[code] = [total, None]
    for ceiling in PaguCeiling.objects.filter(perangkat_daerah=renja.perangkat_daerah_id, year=renja.year).select_related("sumber_dana"):
        key = ceiling.sumber_dana.code if ceiling.sumber_dana_id else "total"
        status.setdefault(key, [Decimal("0"), None])[1] = ceiling.amount
    return {key: tuple(value) for key, value in status.items()}


def check_ceiling(renja):
    """Refuse a Renja whose planned pagu exceeds a ceiling, naming the amount over."""
    problems = []
    for key, (planned, ceiling) in ceiling_status(renja).items():
        if ceiling is not None and planned > ceiling:
            what = "Total pagu" if key == "total" else f"Pagu sumber dana {key}"
            problems.append(f"{what} {rupiah(planned)} melebihi plafon {rupiah(ceiling)} sebesar {rupiah(planned - ceiling)}.")
    if problems:
        raise ValidationError({"pendanaan": problems})


def set_ceiling(principal, perangkat_daerah, year, amount, sumber_dana=None):
    ceiling = PaguCeiling.objects.filter(perangkat_daerah=perangkat_daerah, year=year, sumber_dana=sumber_dana).first()
    ceiling = ceiling or PaguCeiling(perangkat_daerah=perangkat_daerah, year=year, sumber_dana=sumber_dana)
    policy.require(principal, "change" if ceiling.pk else "add", ceiling)
    ceiling.amount = amount
    ceiling.full_clean()
    ceiling.save()
    return ceiling


# ------------------------------------------------------------------------------------------------
# Renja


def get_or_create_renja(principal, perangkat_daerah, year):
    renja = Renja.objects.filter(perangkat_daerah=perangkat_daerah, year=year).first()
    if renja is None:
        renja = Renja(perangkat_daerah=perangkat_daerah, year=year)
        policy.require(principal, "add", renja)
        renja.save()
    return renja


def _recompute_pagu(row):
    row.pagu_indikatif = row.pendanaan_list.aggregate(total=Sum("pagu"))["total"] or Decimal("0")
    RenjaRow.objects.filter(pk=row.pk).update(pagu_indikatif=row.pagu_indikatif)


@transaction.atomic
def save_renja_row(principal, row, *, pendanaan=None, lokasi=None):
    """Create or change a Renja row. `pendanaan` is a list of (SumberDana, pagu) replacing the row's
    funding; `lokasi` a list of (Wilayah or None, description) replacing its locations; None keeps them.
    Refused whole (ValidationError naming the field, or PermissionDenied) when a rule is broken."""
    policy.require(principal, "change" if row.pk else "add", row)
    renja = row.renja
    check_nomenclature_row(renja.perangkat_daerah, row.sub_kegiatan, renja.year, "sub_kegiatan")
    row.full_clean(exclude=["renja"] if row.pk is None else None)
    row.save()
    if pendanaan is not None:
        sources = [source.pk for source, _ in pendanaan]
        if len(sources) != len(set(sources)):
            raise ValidationError({"pendanaan": "Satu sumber dana hanya boleh muncul sekali per baris."})
        row.pendanaan_list.all().delete()
        RenjaPendanaan.objects.bulk_create(RenjaPendanaan(row=row, sumber_dana=source, pagu=Decimal(pagu)) for source, pagu in pendanaan)
    if lokasi is not None:
        row.lokasi_list.all().delete()
        RenjaLokasi.objects.bulk_create(RenjaLokasi(row=row, wilayah=wilayah, description=description or "") for wilayah, description in lokasi)
    _recompute_pagu(row)
    check_ceiling(renja)
    return row


@transaction.atomic
def delete_renja_row(principal, row):
    policy.require(principal, "delete", row)
    row.delete()


def set_published(principal, obj, published=True):
    """Publish (or withdraw) a plan: only what an official act made public is shown to the public."""
    policy.require(principal, "change", obj)
    if not principal.is_bappeda:
        raise ValidationError("Hanya Bappeda yang dapat mempublikasikan dokumen perencanaan.")
    obj.is_published = published
    obj.save(update_fields=["is_published"])
    return obj


# ------------------------------------------------------------------------------------------------
# Renstra


def save_renstra_element(principal, obj):
    """Save a Renstra program, kegiatan or sub kegiatan: in the department's bidang urusan, in force
    in the period's first year, and under a parent of the same code."""
    from .models import RenstraKegiatan, RenstraProgram, RenstraSubKegiatan

    policy.require(principal, "change" if obj.pk else "add", obj)
    if isinstance(obj, RenstraProgram):
        renstra, row, field, parent_code = obj.renstra, obj.program, "program", None
    elif isinstance(obj, RenstraKegiatan):
        renstra, row, field, parent_code = obj.renstra_program.renstra, obj.kegiatan, "kegiatan", obj.renstra_program.program.code
    elif isinstance(obj, RenstraSubKegiatan):
        parent = obj.renstra_kegiatan
        renstra, row, field, parent_code = parent.renstra_program.renstra, obj.sub_kegiatan, "sub_kegiatan", parent.kegiatan.code
    else:
        raise TypeError(type(obj))
    check_nomenclature_row(renstra.perangkat_daerah, row, renstra.period.start_year, field)
    if parent_code and not row.code.startswith(parent_code + "."):
        raise ValidationError({field: f"Kode {row.code} tidak berada di bawah {parent_code}."})
    obj.full_clean()
    obj.save()
    return obj

