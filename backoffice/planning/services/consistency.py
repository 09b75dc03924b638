"""The consistency report planners ask for most: every break in the cascade RPJMD -> Renstra -> Renja
for one year, for one department or the whole region. Each finding names its row; blocking findings
stop a Renja from being set."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from backoffice.access import policy
from backoffice.reference.models import NomenclatureEdition, SubKegiatan

from ..models import Indicator, Renja, RenjaRow, Renstra, RenstraProgram, RenstraSasaran, RenstraSubKegiatan
from .plans import ceiling_status
from .rules import check_bidang, rupiah

# kind: (label, blocking)
KINDS = {
    "no_renstra": ("Renstra perangkat daerah tidak ada", True),
    "not_in_renstra": ("Program Renja tidak ada dalam Renstra", True),
    "sasaran_unlinked": ("Sasaran Renstra tidak terhubung ke sasaran RPJMD", True),
    "outside_bidang": ("Program di luar bidang urusan perangkat daerah", True),
    "code_not_in_force": ("Kode tidak berlaku pada nomenklatur tahun itu", True),
    "over_ceiling": ("Pagu melebihi plafon", True),
    "missing_indicator": ("Indikator atau target belum diisi", True),
    "target_differs": ("Target Renja berbeda dengan target Renstra", False),
}


@dataclass
class Finding:
    kind: str
    perangkat_daerah: object
    obj: object  # the row to open in the admin
    message: str

    @property
    def label(self):
        return KINDS[self.kind][0]

    @property
    def blocking(self):
        return KINDS[self.kind][1]


def _number(value):
    return None if value is None else Decimal(value).normalize()


def consistency_findings(year, perangkat_daerah=None, principal=None):
    """All findings for the Renja of `year` (and the Renstra in force that year), optionally for one
    department, and only over what `principal` may see when given."""
    renjas = Renja.objects.filter(year=year).select_related("perangkat_daerah")
    if perangkat_daerah is not None:
        renjas = renjas.filter(perangkat_daerah=perangkat_daerah)
    if principal is not None:
        renjas = policy.scope(principal, renjas)
    renjas = list(renjas)
    units = {renja.perangkat_daerah_id: renja.perangkat_daerah for renja in renjas}
    edition = NomenclatureEdition.in_force(year)
    in_force = set(SubKegiatan.objects.in_force(edition).values_list("pk", flat=True)) if edition else set()
    findings = []

    renstra_programs, renstra_targets, has_renstra = _renstra_facts(year, units)
    rows = (
        RenjaRow.objects.filter(renja__in=renjas)
        .select_related("sub_kegiatan__kegiatan__program", "renja__perangkat_daerah")
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets")))
        .order_by("renja__perangkat_daerah__code", "sub_kegiatan__code")
    )
    for row in rows:
        unit = row.renja.perangkat_daerah
        program = row.sub_kegiatan.kegiatan.program
        where = f"{unit.name}, {row.code}"
        try:
            check_bidang(unit, row.sub_kegiatan, "sub_kegiatan")
        except ValidationError as error:
            findings.append(Finding("outside_bidang", unit, row, f"{where}: {' '.join(error.messages)}"))
        if row.sub_kegiatan_id not in in_force:
            findings.append(Finding("code_not_in_force", unit, row, f"{where}: kode {row.sub_kegiatan.code} tidak berlaku pada nomenklatur tahun {year}."))
        if unit.pk in has_renstra and program.code not in renstra_programs[unit.pk]:
            findings.append(Finding("not_in_renstra", unit, row, f"{where}: program {program.code} {program.name} tidak ada dalam Renstra."))
        indicators = list(row.indicators.all())
        with_target = [i for i in indicators if any(t.year == year and (t.value is not None or t.text) for t in i.targets.all())]
        if not with_target:
            missing = "indikator" if not indicators else f"target tahun {year}"
            findings.append(Finding("missing_indicator", unit, row, f"{where}: {missing} belum diisi."))
        for indicator in with_target:
            planned = renstra_targets.get((unit.pk, row.sub_kegiatan.code, indicator.text.strip().lower()))
            target = next(t for t in indicator.targets.all() if t.year == year)
            if planned is not None and _number(planned) != _number(target.value):
                findings.append(Finding("target_differs", unit, row, f"{where}: target '{indicator.text}' {_number(target.value)} berbeda dengan Renstra ({_number(planned)})."))

    for renja in renjas:
        unit = renja.perangkat_daerah
        if unit.pk not in has_renstra:
            findings.append(Finding("no_renstra", unit, renja, f"{unit.name}: tidak ada Renstra yang mencakup tahun {year}."))
        for key, (planned, ceiling) in ceiling_status(renja).items():
            if ceiling is not None and planned > ceiling:
                what = "total" if key == "total" else f"sumber dana {key}"
                findings.append(Finding("over_ceiling", unit, renja, f"{unit.name}: pagu {what} {rupiah(planned)} melebihi plafon {rupiah(ceiling)} sebesar {rupiah(planned - ceiling)}."))

    unlinked = RenstraSasaran.objects.filter(
        tujuan__renstra__perangkat_daerah__in=units, tujuan__renstra__period__start_year__lte=year,
        tujuan__renstra__period__end_year__gte=year, rpjmd_sasaran__isnull=True,
    ).select_related("tujuan__renstra__perangkat_daerah")
    for sasaran in unlinked:
        unit = sasaran.tujuan.renstra.perangkat_daerah
        findings.append(Finding("sasaran_unlinked", unit, sasaran, f"{unit.name}: sasaran Renstra {sasaran.code} '{sasaran.text[:60]}' tidak terhubung ke sasaran RPJMD."))
    return findings


def _renstra_facts(year, units):
    """Per department: the program codes of its Renstra in force in `year`, its sub kegiatan
    indicator targets for that year, and which departments have such a Renstra."""
    programs = defaultdict(set)
    has_renstra = set()
    for unit_id, code in RenstraProgram.objects.filter(
        renstra__perangkat_daerah__in=units, renstra__period__start_year__lte=year, renstra__period__end_year__gte=year
    ).values_list("renstra__perangkat_daerah", "program__code"):
        programs[unit_id].add(code)
    has_renstra.update(
        Renstra.objects.filter(perangkat_daerah__in=units, period__start_year__lte=year, period__end_year__gte=year).values_list("perangkat_daerah", flat=True)
    )
    targets = {}
    subs = RenstraSubKegiatan.objects.filter(
        renstra_kegiatan__renstra_program__renstra__perangkat_daerah__in=units,
        renstra_kegiatan__renstra_program__renstra__period__start_year__lte=year,
        renstra_kegiatan__renstra_program__renstra__period__end_year__gte=year,
    ).values_list("renstra_kegiatan__renstra_program__renstra__perangkat_daerah", "sub_kegiatan__code", "indicators__text", "indicators__targets__year", "indicators__targets__value")
    for unit_id, code, text, target_year, value in subs:
        if text and target_year == year:
            targets[(unit_id, code, text.strip().lower())] = value
    return programs, targets, has_renstra
