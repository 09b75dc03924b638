"""The usulan list as XLSX: one row per proposal the user may see (the caller scopes the queryset by
`backoffice.access.policy`), what was proposed beside each level's recommendation, numbers as
numbers (volume, rupiah, priorities, coordinates) so that planners can sum and sort them.

Personal data of the proposer (name, telephone, NIK) is left out: the sheet travels by e-mail.
"""

import io

from django.db.models import Prefetch
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .models import Level, Recommendation

MONEY = "#,##0"
NUMBER = "#,##0.##"
BOLD = Font(bold=True)
CHUNK = 2000

# (header, width, value, number format)
COLUMNS = [
    ("Kode lacak", 12, lambda u, r: u.tracking_code, None),
    ("Tahun", 7, lambda u, r: u.year, "0"),
    ("Kecamatan", 18, lambda u, r: u.kecamatan.name, None),
    ("Desa/kelurahan", 18, lambda u, r: u.desa.name if u.desa_id else "", None),
    ("Kode desa/kelurahan", 16, lambda u, r: u.desa.code if u.desa_id else "", None),
    ("Usulan kegiatan", 45, lambda u, r: u.solution, None),
    ("Permasalahan", 35, lambda u, r: u.problem, None),
    ("Alamat/lokasi", 25, lambda u, r: u.address, None),
    ("Lintang", 12, lambda u, r: u.latitude, "0.0000000"),
    ("Bujur", 12, lambda u, r: u.longitude, "0.0000000"),
    ("Jenis usulan", 18, lambda u, r: u.get_category_display(), None),
    ("Volume usulan", 12, lambda u, r: u.volume, NUMBER),
    ("Satuan", 12, lambda u, r: u.satuan.name, None),
    ("Perkiraan biaya usulan (Rp)", 18, lambda u, r: u.estimated_cost, MONEY),
    ("Volume rekomendasi kecamatan", 14, lambda u, r: _rec(r, Level.KECAMATAN, "volume"), NUMBER),
    ("Biaya rekomendasi kecamatan (Rp)", 18, lambda u, r: _rec(r, Level.KECAMATAN, "cost"), MONEY),
    ("Volume rekomendasi perangkat daerah", 14, lambda u, r: _rec(r, Level.FORUM_OPD, "volume"), NUMBER),
    ("Biaya rekomendasi perangkat daerah (Rp)", 18, lambda u, r: _rec(r, Level.FORUM_OPD, "cost"), MONEY),
    ("Perangkat daerah tujuan", 30, lambda u, r: u.target_perangkat_daerah.name if u.target_perangkat_daerah_id else u.target_text, None),
    ("Status lahan", 18, lambda u, r: u.get_land_status_display(), None),
    ("Penerima manfaat", 10, lambda u, r: u.beneficiaries, "#,##0"),
    ("Prioritas desa", 9, lambda u, r: u.priority_desa, "0"),
    ("Prioritas kecamatan", 9, lambda u, r: u.priority_kecamatan, "0"),
    ("Prioritas perangkat daerah", 9, lambda u, r: u.priority_opd, "0"),
    ("Status", 24, lambda u, r: u.get_status_display(), None),
    ("Alasan (publik)", 35, lambda u, r: u.public_reason, None),
    ("Baris Renja", 30, lambda u, r: f"{u.renja_row.code} {u.renja_row.sub_kegiatan.name}" if u.renja_row_id else "", None),
]


def _rec(recommendations, level, attr):
    recommendation = recommendations.get(level)
    return getattr(recommendation, attr) if recommendation else None


def prepare(queryset):
    """Everything a row shows, joined or prefetched: a constant number of queries per chunk."""
    return queryset.select_related(
        "kecamatan", "desa", "satuan", "target_perangkat_daerah", "renja_row__sub_kegiatan", "renja_row__renja__perangkat_daerah",
    ).defer("kecamatan__boundary", "desa__boundary").prefetch_related(Prefetch("recommendations", queryset=Recommendation.objects.only("usulan_id", "level", "volume", "cost")))


def usulan_workbook(queryset, *, title="Daftar usulan musrenbang"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Usulan"
    sheet.append([title])
    sheet.cell(1, 1).font = BOLD
    sheet.append([f"Diunduh {timezone.localtime().strftime('%d-%m-%Y %H:%M')}"])
    sheet.append([])
    sheet.append([header for header, *_ in COLUMNS])
    header_row = sheet.max_row
    for column, (_, width, _, _) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        cell = sheet.cell(header_row, column)
        cell.font, cell.alignment = BOLD, Alignment(wrap_text=True, vertical="center")
    sheet.freeze_panes = f"B{header_row + 1}"  # a string: sheet.cell() would create an empty row
    for usulan in prepare(queryset).iterator(chunk_size=CHUNK):
        recommendations = {r.level: r for r in usulan.recommendations.all()}
        sheet.append([value(usulan, recommendations) for _, _, value, _ in COLUMNS])
        row = sheet.max_row
        for column, (_, _, _, number_format) in enumerate(COLUMNS, start=1):
            if number_format:
                sheet.cell(row, column).number_format = number_format
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(COLUMNS))}{sheet.max_row}"
    return workbook


def usulan_xlsx(queryset, **kwargs):
    buffer = io.BytesIO()
    usulan_workbook(queryset, **kwargs).save(buffer)
    return buffer.getvalue()
