"""Pagu recapitulations of RKPD years, computed in SQL (GROUP BY) over a queryset of Renja rows.

The caller passes the Renja rows the principal may see (`policy.scope`), so every total is a total
of what that principal may see: the public's totals count published Renja only. Every recap groups
by the Renja's year too and answers {year: ...}, so the recaps of a whole list of RKPD years cost
the same queries as those of one year.

Attribution rules:
- Money: a row's `pagu_indikatif` (the sum of its pendanaan, kept by `services.save_renja_row`);
  the sumber dana recap sums the pendanaan entries themselves.
- Urusan, bidang urusan, program: as the department writes the row (`RenjaRow.code`): the support
  program `X.XX.01…` counts under the department's own (first) bidang urusan and its urusan, like
  `services.department_code`. Urusan and bidang urusan names are those of the nomenclature
  version in force in the recap's year.
- Kecamatan: a row's pagu is split equally over its lokasi entries; each entry's share goes to its
  kecamatan (a desa/kelurahan rolls up to its kecamatan). An entry without wilayah ("seluruh
  kabupaten") or at kabupaten/provinsi level, and a row without any lokasi, go to the bucket
  "Seluruh kabupaten" (code null). So the kecamatan totals add up to the total pagu, up to the
  rounding of each kecamatan's total to the sen.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, CharField, Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Concat, StrIndex, Substr

from backoffice.planning.models import RenjaLokasi, RenjaPendanaan
from backoffice.planning.services import GENERIC_BIDANG
from backoffice.reference.models import BidangUrusan, Urusan, Wilayah

ZERO = Decimal("0")
SEN = Decimal("0.01")
WHOLE_REGION = "Seluruh kabupaten"
YEAR = "renja__year"

_PROGRAM = "sub_kegiatan__kegiatan__program"
_OWN_BIDANG = "renja__perangkat_daerah__bidang_urusan_1"
_SUPPORT = Q(sub_kegiatan__code__startswith=GENERIC_BIDANG + ".")


@dataclass
class PaguTotal:
    code: str | None
    name: str
    total_pagu: Decimal
    row_count: int


def rupiah(amount):
    """Amounts to the sen, whatever the database returns (SQLite drops trailing zeros)."""
    return Decimal(amount).quantize(SEN, ROUND_HALF_UP)


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


def totals(rows):
    """{year: (total pagu, number of rows)}."""
    groups = rows.order_by().values(YEAR).annotate(total=Coalesce(Sum("pagu_indikatif"), ZERO), count=Count("pk"))
    return {g[YEAR]: (rupiah(g["total"]), g["count"]) for g in groups}


def _by_year(groups, name_of):
    found = defaultdict(list)
    for g in groups:
        found[g["year"]].append(PaguTotal(g["group_code"], name_of(g), rupiah(g["total"]), g["count"]))
    return dict(found)


def _grouped(rows, **values):
    return (
        rows.order_by()
        .values(year=F(YEAR), **values)
        .annotate(total=Coalesce(Sum("pagu_indikatif"), ZERO), count=Count("pk"))
        .order_by("year", *values)
    )


def nomenclature_names(model, wanted):
    """{(year, code): name} of the versions of `model` rows in force in each year, for
    wanted = {(year, code)}, in one query. A version belongs to a year's edition when it is valid
    from an edition of that year or earlier and not ended by one (NomenclatureQuerySet.in_edition)."""
    if not wanted:
        return {}
    versions = model.objects.filter(code__in={code for _, code in wanted}).values_list(
        "code", "name", "valid_from__year", "valid_until__year"
    )
    years_of = defaultdict(list)
    for year, code in wanted:
        years_of[code].append(year)
    names = {}
    for code, name, since, until in versions:
        for year in years_of[code]:
            if since <= year and (until is None or until > year):
                names[(year, code)] = name
    return names


def _by_named_code(rows, code, model):
    groups = list(_grouped(rows, group_code=code))
    names = nomenclature_names(model, {(g["year"], g["group_code"]) for g in groups})
    return _by_year(groups, lambda g: names.get((g["year"], g["group_code"]), ""))


def by_urusan(rows):
    return _by_named_code(rows, URUSAN_CODE, Urusan)


def by_bidang_urusan(rows):
    return _by_named_code(rows, BIDANG_URUSAN_CODE, BidangUrusan)


def by_program(rows):
    return _by_year(_grouped(rows, group_code=PROGRAM_CODE, group_name=F(f"{_PROGRAM}__name")), lambda g: g["group_name"])


def by_perangkat_daerah(rows):
    groups = _grouped(rows, group_code=F("renja__perangkat_daerah__code"), group_name=F("renja__perangkat_daerah__name"))
    return _by_year(groups, lambda g: g["group_name"])


def by_sumber_dana(rows):
    """Pendanaan entries of the rows, per sumber dana; row_count: rows funded by it."""
    groups = (
        RenjaPendanaan.objects.filter(row__in=rows.order_by().values("pk"))
        .order_by()
        .values(year=F(f"row__{YEAR}"), group_code=F("sumber_dana__code"), group_name=F("sumber_dana__name"))
        .annotate(total=Coalesce(Sum("pagu"), ZERO), count=Count("row", distinct=True))
        .order_by("year", "group_code")
    )
    return _by_year(groups, lambda g: g["group_name"])


def by_kecamatan(rows):
    """Kecamatan shares of the rows' pagu (see the module docstring); "Seluruh kabupaten" last.

    One query: rows LEFT JOIN their lokasi, each joined line tagged with its kecamatan and with the
    number of lokasi entries of its row (n); grouped by (year, kecamatan, n), the sum of pagu over
    the lines of a group divided by n is that group's share, added up per kecamatan here in Decimal.
    """
    wilayah = "lokasi_list__wilayah"
    kecamatan = Q(**{f"{wilayah}__level": Wilayah.Level.KECAMATAN})
    desa = Q(**{f"{wilayah}__level": Wilayah.Level.DESA_KELURAHAN})

    def of_kecamatan(field):
        return Case(
            When(kecamatan, then=F(f"{wilayah}__{field}")),
            When(desa, then=F(f"{wilayah}__parent__{field}")),
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
        .values("lokasi_count", year=F(YEAR), group_code=of_kecamatan("code"), group_name=of_kecamatan("name"))
        .annotate(total=Coalesce(Sum("pagu_indikatif"), ZERO), count=Count("pk", distinct=True))
    )
    buckets = defaultdict(lambda: [ZERO, 0])
    for g in groups:
        key = (g["year"], g["group_code"], g["group_name"]) if g["group_code"] else (g["year"], None, WHOLE_REGION)
        buckets[key][0] += Decimal(g["total"]) / (g["lokasi_count"] or 1)
        buckets[key][1] += g["count"]
    found = defaultdict(list)
    for (year, code, name), (total, count) in sorted(buckets.items(), key=lambda item: (item[0][0], item[0][1] is None, item[0][1] or "")):
        found[year].append(PaguTotal(code, name, rupiah(total), count))
    return dict(found)

