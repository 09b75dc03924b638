"""Laporan Konsistensi: the findings of `consistency_findings` for a year and optionally one
department (a department's staff see only their own), grouped by kind with counts, each naming its
row and linking to it in the admin, and the same list as XLSX."""

import io
from collections import Counter

from django.http import HttpResponse
from django.urls import path, reverse
from django.views import View
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.viewsets.base import ViewSet

from .. import services
from ..cycle_forms import YearUnitForm
from ..models import Renja, RenjaRow, RenstraSasaran
from .common import CycleAccessMixin, CycleMenuItem, CyclePageView, current_cycle_year, is_opd, plan_url

SHOWN_PER_KIND = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FindingLinks:
    """Where a finding's row is edited: its admin edit URL when a viewset registered one (and the
    user may use it), else the page of the plan it belongs to."""

    def __init__(self, user):
        self.finder = AdminURLFinder(user)

    def url(self, obj):
        url = self.finder.get_edit_url(obj)
        if url:
            return url
        plan = self.plan_of(obj)
        if plan is not None:
            url = self.finder.get_edit_url(plan)
            return url or plan_url(plan)
        return ""

    @staticmethod
    def plan_of(obj):
        if isinstance(obj, Renja):
            return obj
        if isinstance(obj, RenjaRow):
            return obj.renja
        if isinstance(obj, RenstraSasaran):
            return obj.tujuan.renstra
        return None


def object_label(obj):
    if isinstance(obj, RenjaRow):
        return f"Baris Renja {obj.code} {obj.sub_kegiatan.name}"
    if isinstance(obj, RenstraSasaran):
        return f"Sasaran Renstra {obj.code}"
    return str(obj)


class ConsistencyQueryMixin:
    """The report's question from the query string: the year (default: the cycle's) and the
    department (forced to their own for departments' staff)."""

    def get_query(self):
        own = self.principal.perangkat_daerah_id if is_opd(self.principal) else None
        data = self.request.GET.copy()
        data.setdefault("tahun", str(current_cycle_year()))
        if own:
            data["perangkat_daerah"] = str(own)
        form = YearUnitForm(data, own_unit_id=own)
        if form.is_valid():
            year, unit = form.cleaned_data["tahun"], form.cleaned_data["perangkat_daerah"]
        else:
            year, unit = current_cycle_year(), None
            if own:
                unit = form.fields["perangkat_daerah"].queryset.first()
        return form, year, unit

    def get_findings(self, year, unit):
        return services.consistency_findings(year, unit, principal=self.principal)


def group_findings(findings, links, limit=SHOWN_PER_KIND):
    counts = Counter(f.kind for f in findings)
    groups = []
    for kind, (label, blocking) in services.FINDING_KINDS.items():
        items = [f for f in findings if f.kind == kind]
        groups.append({
            "kind": kind,
            "label": label,
            "blocking": blocking,
            "count": counts[kind],
            "rows": [
                {"unit": f.perangkat_daerah, "object": object_label(f.obj), "message": f.message, "url": links.url(f.obj)}
                for f in items[:limit]
            ],
        })
    return groups


class ConsistencyReportView(ConsistencyQueryMixin, CyclePageView):
    template_name = "planning/cycle/consistency.html"
    page_title = "Laporan Konsistensi"
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, year, unit = self.get_query()
        findings = self.get_findings(year, unit)
        groups = group_findings(findings, FindingLinks(self.request.user))
        query = f"tahun={year}" + (f"&perangkat_daerah={unit.pk}" if unit else "")
        context.update(
            form=form,
            year=year,
            unit=unit,
            groups=groups,
            total=len(findings),
            blocking=sum(1 for f in findings if f.blocking),
            shown_per_kind=SHOWN_PER_KIND,
            xlsx_url=f"{reverse('cycle_consistency:xlsx')}?{query}",
        )
        return context


class ConsistencyXlsxView(ConsistencyQueryMixin, CycleAccessMixin, View):
    COLUMNS = [("No", 6), ("Jenis temuan", 40), ("Memblokir penetapan", 12), ("Perangkat daerah", 30), ("Objek", 40), ("Uraian", 80), ("Tautan", 50)]

    def get(self, request):
        _form, year, unit = self.get_query()
        findings = self.get_findings(year, unit)
        links = FindingLinks(request.user)
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = f"Konsistensi {year}"
        sheet.append([f"Laporan Konsistensi Perencanaan Tahun {year}"])
        sheet.append([f"Perangkat daerah: {unit.code} {unit.name}" if unit else "Semua perangkat daerah"])
        sheet.append([])
        sheet.append([name for name, _ in self.COLUMNS])
        for column, (_, width) in enumerate(self.COLUMNS, start=1):
            sheet.column_dimensions[sheet.cell(4, column).column_letter].width = width
            sheet.cell(4, column).font = Font(bold=True)
        sheet.cell(1, 1).font = Font(bold=True)
        number = 0
        for kind in services.FINDING_KINDS:
            for finding in (f for f in findings if f.kind == kind):
                number += 1
                url = links.url(finding.obj)
                sheet.append([
                    number, finding.label, "Ya" if finding.blocking else "Tidak", finding.perangkat_daerah.name,
                    object_label(finding.obj), finding.message, request.build_absolute_uri(url) if url else "",
                ])
                sheet.cell(sheet.max_row, 6).alignment = Alignment(wrap_text=True, vertical="top")
        if not number:
            sheet.append(["", "Tidak ada temuan."])
        sheet.freeze_panes = "A5"
        buffer = io.BytesIO()
        workbook.save(buffer)
        suffix = f"-{unit.code}" if unit else ""
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="konsistensi-{year}{suffix}.xlsx"'
        return response


class ConsistencyViewSet(ViewSet):
    name = "cycle_consistency"
    url_prefix = "tahapan-monev/konsistensi"
    menu_label = "Laporan Konsistensi"
    menu_name = "konsistensi"
    icon = "warning"
    menu_item_class = CycleMenuItem

    def get_urlpatterns(self):
        return [
            path("", ConsistencyReportView.as_view(), name="index"),
            path("xlsx/", ConsistencyXlsxView.as_view(), name="xlsx"),
        ]
