"""e-Musrenbang regulation tables and lists as XLSX, in the regulation's column order (Permendagri
86/2017 lampiran; DOMAIN-REFERENCE.md 1.3): T-C.32 (stakeholder proposals in a department's Renja),
T-B.57 (pokir DPRD), the kecamatan's priority list grouped by department, and the kamus usulan.

Columns the regulation has come first, in its order; what planners also need (tracking code, Rp)
follows. Volumes and money stay numbers. Each sheet's title lines name the table, year and unit.
Rows are what `policy.scope` lets the principal see. Sheet layout: `backoffice.planning.exports`.
"""

from collections import OrderedDict
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Prefetch

from backoffice.access import policy
from backoffice.planning.exports import _append, _save, _start_sheet, _workbook

from .exports import NUMBER
from .forums import priority_list
from .models import KamusUsulan, Recommendation, Status, Usulan

TC32_COLUMNS = [
    ("No", 6), ("Program/Kegiatan/Sub Kegiatan", 45), ("Lokasi", 30), ("Indikator Kinerja", 30),
    ("Besaran/Volume", 12), ("Satuan", 12), ("Catatan", 40), ("Kode lacak", 12), ("Biaya (Rp)", 18),
]
TB57_COLUMNS = [
    ("No", 6), ("Program/Kegiatan Hasil Reses", 45), ("Indikator Kinerja", 30), ("Volume", 12), ("Satuan", 12),
    ("Lokasi", 35), ("Perangkat Daerah", 30), ("Validasi/Keterangan", 35),
    ("Anggota DPRD", 25), ("Fraksi", 18), ("Perkiraan Biaya (Rp)", 18), ("Kode lacak", 12),
]
PRIORITY_COLUMNS = [
    ("No", 6), ("Kode lacak", 12), ("Desa/Kelurahan", 20), ("Usulan Kegiatan", 45), ("Volume", 12), ("Satuan", 12),
    ("Biaya (Rp)", 18), ("Nilai", 10),
]
KAMUS_COLUMNS = [
    ("No", 6), ("Nama Item", 40), ("Satuan", 12), ("Harga Satuan (Rp)", 18), ("Kode Sub Kegiatan", 20),
    ("Sub Kegiatan", 40), ("Keluaran", 30), ("Aktif", 8),
]
# T-C.32 lists what the department took up: accepted at its forum and everything after.
TC32_STATUSES = (Status.ACCEPTED, Status.ACCEPTED_CHANGED, Status.AGREED, Status.ADOPTED, Status.NOT_FUNDED)


def _unit(name):
    """What `_start_sheet` names a sheet after (it reads short_name or name)."""
    return SimpleNamespace(short_name=None, name=name)


def _row(sheet, values, money=(), numbers=()):
    _append(sheet, values, set(money))
    for column in numbers:
        if sheet.cell(sheet.max_row, column).value is not None:
            sheet.cell(sheet.max_row, column).number_format = NUMBER


def _recommended(usulan):
    """The latest level's volume and cost (recommendations prefetched newest first)."""
    latest = next(iter(usulan.recommendations.all()), None)
    return (latest.volume, latest.cost) if latest else (usulan.volume, usulan.estimated_cost)


def _location(usulan):
    parts = [usulan.address, usulan.desa.name if usulan.desa_id else "", f"Kec. {usulan.kecamatan.name}", settings.REGION_NAME]
    return ", ".join(p for p in parts if p)


def _activity(usulan):
    if usulan.renja_row_id:
        head = f"{usulan.renja_row.code} {usulan.renja_row.sub_kegiatan.name}"
    elif usulan.sub_kegiatan_id:
        head = f"{usulan.sub_kegiatan.code} {usulan.sub_kegiatan.name}"
    else:
        head = usulan.kamus.name if usulan.kamus_id else ""
    return f"{head}\n{usulan.solution}".strip()


def _indicator(usulan):
    if usulan.kamus_id and usulan.kamus.expected_output:
        return usulan.kamus.expected_output
    return usulan.sub_kegiatan.kinerja if usulan.sub_kegiatan_id else ""


def _proposals(principal, queryset):
    return policy.scope(principal, queryset).select_related(
        "desa", "kecamatan", "satuan", "target_perangkat_daerah", "kamus", "sub_kegiatan", "anggota_dprd",
        "renja_row__sub_kegiatan",
    ).defer("desa__boundary", "kecamatan__boundary").prefetch_related(
        Prefetch("recommendations", queryset=Recommendation.objects.order_by("-at"))
    ).order_by("target_perangkat_daerah__code", "priority_opd", "tracking_code")


def tc32(principal, year, perangkat_daerah=None):
    """T-C.32 (usulan program dan kegiatan dari para pemangku kepentingan), one sheet per department."""
    queryset = Usulan.objects.filter(year=year, status__in=TC32_STATUSES)
    if perangkat_daerah is not None:
        queryset = queryset.filter(target_perangkat_daerah=perangkat_daerah)
    by_unit = OrderedDict()
    for usulan in _proposals(principal, queryset):
        by_unit.setdefault(usulan.target_perangkat_daerah, []).append(usulan)
    workbook = _workbook()
    for unit, proposals in by_unit.items() or [(perangkat_daerah or _unit("Tanpa data"), [])]:
        sheet = _start_sheet(workbook, unit, [
            "Tabel T-C.32 Usulan Program dan Kegiatan dari Para Pemangku Kepentingan",
            f"{unit.name}", f"Tahun {year}",
        ], TC32_COLUMNS)
        for number, usulan in enumerate(proposals, start=1):
            volume, cost = _recommended(usulan)
            source = (f"Pokir DPRD {usulan.anggota_dprd.name} ({usulan.anggota_dprd.fraksi})" if usulan.anggota_dprd_id
                      else f"Musrenbang Kec. {usulan.kecamatan.name}" + (f", {usulan.desa.name}" if usulan.desa_id else ""))
            _row(sheet, [number, _activity(usulan), _location(usulan), _indicator(usulan), volume, usulan.satuan.name,
                         f"{source}; {usulan.get_status_display()}", usulan.tracking_code, cost], money=(9,), numbers=(5,))
    return _save(workbook)


def tb57(principal, year):
    """T-B.57 (rumusan usulan hasil penelaahan pokok-pokok pikiran DPRD), one sheet for the year."""
    queryset = Usulan.objects.filter(year=year, proposer_level=Usulan.ProposerLevel.DPRD).exclude(status=Status.DRAFT)
    workbook = _workbook()
    sheet = _start_sheet(workbook, _unit(f"T-B.57 {year}"), [
        "Tabel T-B.57 Rumusan Usulan Program/Kegiatan Hasil Penelaahan Pokok-Pokok Pikiran DPRD dan Validasi",
        settings.REGION_NAME, f"Tahun {year}",
    ], TB57_COLUMNS)
    proposals = _proposals(principal, queryset).order_by("anggota_dprd__name", "tracking_code")
    for number, usulan in enumerate(proposals, start=1):
        volume, cost = _recommended(usulan)
        unit = usulan.target_perangkat_daerah.name if usulan.target_perangkat_daerah_id else ""
        validation = usulan.get_status_display() + (f": {usulan.public_reason}" if usulan.public_reason else "")
        anggota = usulan.anggota_dprd
        _row(sheet, [number, _activity(usulan), _indicator(usulan), volume, usulan.satuan.name, _location(usulan), unit,
                     validation, anggota.name if anggota else "", anggota.fraksi if anggota else "", cost, usulan.tracking_code],
             money=(11,), numbers=(4,))
    return _save(workbook)


def priority_xlsx(principal, kecamatan, year):
    """The kecamatan's priority list grouped by department, with each department's subtotal."""
    source, groups = priority_list(principal, kecamatan, year)
    workbook = _workbook()
    sheet = _start_sheet(workbook, _unit(kecamatan.name), [
        "Daftar Usulan Kegiatan Prioritas Kecamatan menurut Perangkat Daerah",
        f"Kecamatan {kecamatan.name}", f"Tahun {year}", source,
    ], PRIORITY_COLUMNS)
    for (_, name), items in groups.items():
        _append(sheet, [name], set(), bold=True)
        for item in items:
            _row(sheet, [item.position, item.tracking_code, item.desa_name, item.solution, item.volume, item.satuan_name,
                         item.cost, item.score], money=(7,), numbers=(5, 8))
        _row(sheet, ["", "", "", f"Jumlah {name}", None, None, sum(i.cost for i in items), None], money=(7,))
    return _save(workbook)


def kamus_xlsx(principal, year, perangkat_daerah=None):
    """The kamus usulan (public: active items), one sheet per department."""
    queryset = policy.scope(principal, KamusUsulan.objects.filter(year=year)).select_related(
        "perangkat_daerah", "satuan", "sub_kegiatan").order_by("perangkat_daerah__code", "name")
    if perangkat_daerah is not None:
        queryset = queryset.filter(perangkat_daerah=perangkat_daerah)
    by_unit = OrderedDict()
    for item in queryset:
        by_unit.setdefault(item.perangkat_daerah, []).append(item)
    workbook = _workbook()
    for unit, items in by_unit.items() or [(perangkat_daerah or _unit("Tanpa data"), [])]:
        sheet = _start_sheet(workbook, unit, ["Kamus Usulan", unit.name, f"Tahun {year}"], KAMUS_COLUMNS)
        for number, item in enumerate(items, start=1):
            sub = item.sub_kegiatan
            _row(sheet, [number, item.name, item.satuan.name, item.unit_price, sub.code if sub else "", sub.name if sub else "",
                         item.expected_output, "Ya" if item.is_active else "Tidak"], money=(4,))
    return _save(workbook)
