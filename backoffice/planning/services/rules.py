"""Planning rules shared by every write: which nomenclature rows a department may plan in a year,
and how its codes are written (the support program under the department's own bidang)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q

from backoffice.reference.codes import normalize_nomenclature_code
from backoffice.reference.models import NomenclatureEdition, SubKegiatan

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


def check_bidang(perangkat_daerah, row, field):
    """Refuse a nomenclature row outside the department's bidang urusan (the support program is everyone's)."""
    bidang = ".".join(row.code.split(".")[:2])
    if bidang != GENERIC_BIDANG and bidang not in perangkat_daerah.bidang_urusan_codes:
        served = ", ".join(perangkat_daerah.bidang_urusan_codes)
        raise ValidationError({field: f"Kode {row.code} di luar bidang urusan {perangkat_daerah.name} ({served})."})


def check_nomenclature_row(perangkat_daerah, row, year, field):
    """Refuse a nomenclature row (program, kegiatan or sub kegiatan) that the department may not
    plan in `year`: not in force in that year's edition, or outside its bidang urusan."""
    edition = edition_for(year)
    if not type(row).objects.in_force(edition).filter(pk=row.pk).exists():
        raise ValidationError({field: f"Kode {row.code} tidak berlaku pada nomenklatur tahun {year} ({edition.name})."})
    check_bidang(perangkat_daerah, row, field)


def allowed_sub_kegiatan(perangkat_daerah, year):
    """Sub kegiatan a department may choose for a Renja of `year` (for choosers and the API)."""
    edition = edition_for(year)
    prefixes = perangkat_daerah.bidang_urusan_codes + [GENERIC_BIDANG]
    queryset = SubKegiatan.objects.in_force(edition)
    condition = Q()
    for prefix in prefixes:
        condition |= Q(code__startswith=prefix + ".")
    return queryset.filter(condition)


class SubKegiatanCatalogue:
    """The sub kegiatan in force in one year, by code, to find many rows with one query."""

    def __init__(self, year):
        self.year = year
        self.edition = edition_for(year)
        self.by_code = {row.code: row for row in SubKegiatan.objects.in_force(self.edition)}

    def find(self, code, perangkat_daerah):
        """The row for a code as typed or exported: 2-digit last segment, or the support program
        written under the department's bidang."""
        code = normalize_nomenclature_code(code)
        found = self.by_code.get(code) or self.by_code.get(generic_code(code))
        if found is None:
            raise ValidationError({"sub_kegiatan": f"Kode sub kegiatan {code} tidak ada dalam nomenklatur tahun {self.year} ({self.edition.name})."})
        check_bidang(perangkat_daerah, found, "sub_kegiatan")
        return found
