"""Pagu recapitulations of an RKPD year, computed in SQL (GROUP BY) over a queryset of Renja rows.

The caller passes the Renja rows the principal may see (`policy.scope`), so every total is a total
of what that principal may see: the public's totals count published Renja only.

Attribution rules:
- Money: a row's `pagu_indikatif` (the sum of its pendanaan, kept by `services.save_renja_row`);
  the sumber dana recap sums the pendanaan entries themselves.
- Urusan, bidang urusan, program: as the department writes the row (`RenjaRow.code`): the support
  program `X.XX.01…` counts under the department's own (first) bidang urusan and its urusan, like
  `services.department_code`.
- Kecamatan: a row's pagu is split equally over its lokasi entries; each entry's share goes to its
  kecamatan (a desa/kelurahan rolls up to its kecamatan). An entry without wilayah ("seluruh
  kabupaten") or at kabupaten/provinsi level, and a row without any lokasi, go to the bucket
  "Seluruh kabupaten" (code null). So the kecamatan totals add up to the total pagu, up to the
  rounding of each kecamatan's total to the sen.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, CharField, Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Concat, StrIndex, Substr

from backoffice.planning.models import RenjaLokasi, RenjaPendanaan
from backoffice.planning.services import GENERIC_BIDANG
from backoffice.reference.models import Wilayah

ZERO = Decimal("0")
SEN = Decimal("0.01")
WHOLE_REGION = "Seluruh kabupaten"

_PROGRAM = "sub_kegiatan__kegiatan__program"
_OWN_BIDANG = "renja__perangkat_daerah__bidang_urusan_1"
_SUPPORT = Q(sub_kegiatan__code__startswith=GENERIC_BIDANG + ".")


@dataclass
class PaguTotal:
    code: str | None
    name: str
    total_pagu: Decimal
    row_count: int


def _as_written(support, regular):
    """A code in SQL as the department writes it: `support` for the support program's rows."""
    return Case(When(_SUPPORT, then=support), default=regular, output_field=CharField())


URUSAN_CODE = _as_written(
    Substr(F(_OWN_BIDANG), 1, StrIndex(F(_OWN_BIDANG), Value(".")) - 1), F(f"{_PROGRAM}__bidang_urusan__urusan__code")
)
BIDANG_URUSAN_CODE = _as_written(F(_OWN_BIDANG), F(f"{_PROGRAM}__bidang_urusan__code"))
PROGRAM_CODE = _as_written(
    Concat(F(_OWN_BIDANG), Substr(F(f"{_PROGRAM}__code"), len(GENERIC_BIDANG) + 1)), F(f"{_PROGRAM}__code")
)


def rupiah(amount):
    """Amounts to the sen, whatever the database returns (SQLite drops trailing zeros)."""
    return Decimal(amount).quantize(SEN, ROUND_HALF_UP)


def totals(rows):
    """(total pagu, number of rows)."""
    found = rows.aggregate(total=Coalesce(Sum("pagu_indikatif"), ZERO), count=Count("pk"))
    return rupiah(found["total"]), found["count"]


def _grouped(rows, code, name=None):
    values = {"group_code": code}
    if name is not None:
        values["group_name"] = name
    return (
        rows.order_by()
        .values(**values)
        .annotate(total=Coalesce(Sum("pagu_indikatif"), ZERO), count=Count("pk"))
        .order_by("group_code", *(["group_name"] if name is not None else []))
    )


def by_code(rows, code, names):
    """Rows grouped by a code expression; `names(codes)` gives {code: name} (one query)."""
    groups = list(_grouped(rows, code))
    found = names([group["group_code"] for group in groups]) if groups else {}
    return [PaguTotal(g["group_code"], found.get(g["group_code"], ""), rupiah(g["total"]), g["count"]) for g in groups]


def by_code_and_name(rows, code, name):
    return [PaguTotal(g["group_code"], g["group_name"], rupiah(g["total"]), g["count"]) for g in _grouped(rows, code, name)]


def by_urusan(rows, names):
    return by_code(rows, URUSAN_CODE, names)


def by_bidang_urusan(rows, names):
    return by_code(rows, BIDANG_URUSAN_CODE, names)


def by_program(rows):
    return by_code_and_name(rows, PROGRAM_CODE, F(f"{_PROGRAM}__name"))


def by_perangkat_daerah(rows):
    return by_code_and_name(rows, F("renja__perangkat_daerah__code"), F("renja__perangkat_daerah__name"))


def by_sumber_dana(rows):
    """Pendanaan entries of the rows, per sumber dana; row_count: rows funded by it."""
    groups = (
        RenjaPendanaan.objects.filter(row__in=rows.order_by().values("pk"))
        .order_by()
        .values(group_code=F("sumber_dana__code"), group_name=F("sumber_dana__name"))
        .annotate(total=Coalesce(Sum("pagu"), ZERO), count=Count("row", distinct=True))
        .order_by("group_code")
    )
    return [PaguTotal(g["group_code"], g["group_name"], rupiah(g["total"]), g["count"]) for g in groups]


def by_kecamatan(rows):
    """Kecamatan shares of the rows' pagu (see the module docstring); "Seluruh kabupaten" last.

    One query: rows LEFT JOIN their lokasi, each joined line tagged with its kecamatan and with the
    number of lokasi entries of its row (n); grouped by (kecamatan, n), the sum of pagu over the
    lines of a group divided by n is that group's share, added up per kecamatan here in Decimal.
    """
    wilayah = "lokasi_list__wilayah"
    kecamatan_code = Case(
        When(**{f"{wilayah}__level": Wilayah.Level.KECAMATAN}, then=F(f"{wilayah}__code")),
        When(**{f"{wilayah}__level": Wilayah.Level.DESA_KELURAHAN}, then=F(f"{wilayah}__parent__code")),
        default=Value(None),
        output_field=CharField(),
    )
    kecamatan_name = Case(
        When(**{f"{wilayah}__level": Wilayah.Level.KECAMATAN}, then=F(f"{wilayah}__name")),
        When(**{f"{wilayah}__level": Wilayah.Level.DESA_KELURAHAN}, then=F(f"{wilayah}__parent__name")),
        default=Value(None),
        output_field=CharField(),
    )
    lokasi_count = Subquery(
        RenjaLokasi.objects.filter(row=OuterRef("pk")).order_by().values("row").annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )
    groups = (
        rows.order_by()
        .annotate(lokasi_count=lokasi_count)
        .values("lokasi_count", group_code=kecamatan_code, group_name=kecamatan_name)
        .annotate(total=Coalesce(Sum("pagu_indikatif"), ZERO), count=Count("pk", distinct=True))
    )
    buckets = {}
    for group in groups:
        key = (group["group_code"], group["group_name"]) if group["group_code"] else (None, WHOLE_REGION)
        share = Decimal(group["total"]) / (group["lokasi_count"] or 1)
        total, count = buckets.get(key, (ZERO, 0))
        buckets[key] = (total + share, count + group["count"])
    ordered = sorted(buckets.items(), key=lambda item: (item[0][0] is None, item[0][0] or ""))
    return [PaguTotal(code, name, rupiah(total), count) for (code, name), (total, count) in ordered]
