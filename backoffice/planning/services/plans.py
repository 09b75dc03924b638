"""Writes to plans: Renja rows with their funding and locations, ceilings, publication, Renstra elements."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from backoffice.access import policy

from ..models import PaguCeiling, Renja, RenjaLokasi, RenjaPendanaan, RenjaRow
from .cycle import require_editable
from .rules import check_nomenclature_row, rupiah

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
    require_editable(principal, renja)
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
    require_editable(principal, row.renja)
    row.delete()


def set_published(principal, obj, published=True):
    """Publish (or withdraw) a plan: only what an official act made public is shown to the public."""
    policy.require(principal, "change", obj)
    if not principal.is_bappeda:
        raise ValidationError("Hanya Bappeda yang dapat mempublikasikan dokumen perencanaan.")
    obj.is_published = published
    obj.save(update_fields=["is_published"])
    return obj




def save_renstra_element(principal, obj):
    """Save a Renstra program, kegiatan or sub kegiatan: in the department's bidang urusan, in force
    in the period's first year, and under a parent of the same code."""
    from ..models import RenstraKegiatan, RenstraProgram, RenstraSubKegiatan

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
    require_editable(principal, renstra)
    check_nomenclature_row(renstra.perangkat_daerah, row, renstra.period.start_year, field)
    if parent_code and not row.code.startswith(parent_code + "."):
        raise ValidationError({field: f"Kode {row.code} tidak berada di bawah {parent_code}."})
    obj.full_clean()
    obj.save()
    return obj
