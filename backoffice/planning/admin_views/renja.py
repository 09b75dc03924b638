"""Renja PD: the daily work of a department's planner.

- The Renja page lists its rows with the running total against the ceilings (total and per sumber
  dana, red when over), and links to add, change and delete rows.
- The row form: a sub kegiatan searched among the allowed ones (by code or name, department codes
  shown), lokasi and funding lines inline, three indicator levels with targets for n and n+1 (the
  keluaran proposed from the nomenclature), prakiraan maju. Saving goes through
  services.save_renja_row; its errors land on the fields they name, the ceiling's on the funding.
- Import of Renja sheets reuses the reference "Impor Data" flow (upload -> preview -> confirm).
- Downloads: T-C.33 and T-C.27, scoped by the policy (the exports scope themselves).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q, Sum
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.log_actions import log

from backoffice.access import policy
from backoffice.access.models import Role
from backoffice.reference.models import PerangkatDaerah, SumberDana, Wilayah
from backoffice.reference.views import ImportFlow, ImportViewSet

from .. import exports
from .. import forms as planning_forms
from ..models import Indicator, IndicatorTarget, PlanningPeriod, Renja, RenjaLokasi, RenjaPendanaan, RenjaRow
from ..services import (
    allowed_sub_kegiatan,
    ceiling_status,
    delete_renja_row,
    department_code,
    generic_code,
    get_or_create_renja,
    import_renja,
    rupiah,
    save_renja_row,
)
from ..services.cycle import require_editable
from .base import PlanCreateView, PlanEditView, PlanIndexView, PlanInspectView, principal_of, scoped_object
from .plans import RootViewSet, RupiahColumn, ceiling_annotated, plan_lock

IMPORT_LOG_ACTION = "planning.import_renja"
LOG_ACTIONS = {IMPORT_LOG_ACTION: "Baris Renja diimpor"}
SEARCH_LIMIT = 20


def ceiling_lines(renja):
    """The ceiling status as lines for the page: total first, then each sumber dana."""
    names = dict(SumberDana.objects.values_list("code", "name"))
    lines = []
    for key, (planned, ceiling) in sorted(ceiling_status(renja).items(), key=lambda item: (item[0] != "total", item[0])):
        over = ceiling is not None and planned > ceiling
        lines.append({
            "key": key,
            "label": "Total" if key == "total" else f"{key} · {names.get(key, '')}",
            "planned": planned,
            "ceiling": ceiling,
            "remaining": None if ceiling is None else ceiling - planned,
            "over": over,
            "over_by": planned - ceiling if over else None,
            "percent": round(planned * 100 / ceiling) if ceiling else None,
        })
    return lines


# --------------------------------------------------------------------------------------------
# Renja: listing, creation, the Renja page


class RenjaIndexView(PlanIndexView):
    def get_base_queryset(self):
        return ceiling_annotated(super().get_base_queryset()).annotate(row_count=Count("rows", distinct=True))


class RenjaCreateView(PlanCreateView):
    def save_with_service(self, instance):
        renja = get_or_create_renja(principal_of(self.request), instance.perangkat_daerah, instance.year)
        if renja.notes != instance.notes and instance.notes:
            renja.notes = instance.notes
            renja.save(update_fields=["notes"])
        log(instance=renja, action="wagtail.create", user=self.request.user)
        return renja

    def get_success_url(self):
        return reverse("planning_renja:inspect", args=[self.object.pk])


class RenjaEditView(PlanEditView):
    def save_with_service(self, instance):
        require_editable(principal_of(self.request), instance)
        return super().save_with_service(instance)

    def get_success_url(self):
        return reverse("planning_renja:inspect", args=[self.object.pk])


class RenjaInspectView(PlanInspectView):
    template_name = "planning/admin/renja_detail.html"
    object_select_related = ("perangkat_daerah",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        renja = self.object
        principal = principal_of(self.request)
        unit = renja.perangkat_daerah
        rows = list(
            RenjaRow.objects.filter(renja=renja)
            .select_related("sub_kegiatan")
            .prefetch_related(
                Prefetch("pendanaan_list", queryset=RenjaPendanaan.objects.select_related("sumber_dana")),
                Prefetch("lokasi_list", queryset=RenjaLokasi.objects.select_related("wilayah").defer("wilayah__boundary")),
                Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets")),
            )
            .order_by("sub_kegiatan__code")
        )
        for row in rows:
            row.department_code = department_code(row.sub_kegiatan.code, unit)
            row.keluaran = [
                (i, next((t for t in i.targets.all() if t.year == renja.year), None))
                for i in row.indicators.all() if i.level == Indicator.Level.KELUARAN
            ]
        lock = plan_lock(self.request, renja)
        context.update(
            rows=rows,
            ceilings=ceiling_lines(renja),
            lock_reason=lock,
            editable=lock is None,
            can_change=policy.can(principal, "change", renja),
            can_publish=principal.role == Role.BAPPEDA_ADMIN,
            publish_url=reverse("planning_renja:publish", args=[renja.pk]),
            history_url=reverse("planning_renja:history", args=[renja.pk]),
            add_row_url=reverse("planning_renja:row_add", args=[renja.pk]),
            download_url=reverse("planning_downloads:download") + f"?table=tc33&year={renja.year}&perangkat_daerah={unit.pk}",
            total_prakiraan=sum((r.prakiraan_maju_amount or Decimal("0") for r in rows), Decimal("0")),
        )
        return context


class RenjaViewSet(RootViewSet):
    model = Renja
    name = "planning_renja"
    url_prefix = "perencanaan/renja"
    icon = "table"
    menu_label = "Renja PD"
    form_class = planning_forms.RenjaForm
    index_view_class = RenjaIndexView
    add_view_class = RenjaCreateView
    edit_view_class = RenjaEditView
    inspect_view_class = RenjaInspectView
    list_display = [
        "__str__",
        "year",
        Column("status", label="Status", accessor="get_status_display", sort_key="status"),
        BooleanColumn("is_published", label="Dipublikasikan"),
        Column("row_count", label="Baris"),
        RupiahColumn("total_pagu", label="Total pagu"),
        RupiahColumn("total_ceiling", label="Plafon"),
    ]
    list_filter = ["year", "status", "is_published"]
    search_fields = ["perangkat_daerah__name", "perangkat_daerah__code"]
    ordering = ["-year", "perangkat_daerah__code"]
    select_related = ("perangkat_daerah",)

    def get_form_class(self, for_update=False):
        return self.form_class

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/baris/baru/", RenjaRowView.as_view(), name="row_add"),
            path("<int:pk>/baris/<int:row_pk>/", RenjaRowView.as_view(), name="row_edit"),
            path("<int:pk>/baris/<int:row_pk>/hapus/", RenjaRowDeleteView.as_view(), name="row_delete"),
            path("<int:pk>/sub-kegiatan/", SubKegiatanSearchView.as_view(), name="sub_kegiatan_search"),
        ]


# --------------------------------------------------------------------------------------------
# The row form


def save_row_indicators(principal, row, indicators):
    """Replace a Renja row's capaian, hasil and keluaran indicators and their targets for n and n+1.
    Called inside the transaction of save_renja_row (the row's own checks have run): checks the
    same permission and stage lock again, as every write to a plan does."""
    policy.require(principal, "change", row)
    require_editable(principal, row.renja)
    order = {level: n for n, level in enumerate((Indicator.Level.CAPAIAN, Indicator.Level.HASIL, Indicator.Level.KELUARAN), start=1)}
    current = {}
    for indicator in Indicator.objects.filter(renja_row=row).order_by("order", "id"):
        current.setdefault(indicator.level, indicator)
    for level, (text, satuan, targets) in indicators.items():
        indicator = current.get(level)
        if not text:
            if indicator is not None:
                indicator.delete()
            continue
        if indicator is None:
            indicator = Indicator(renja_row=row, level=level, order=order[level])
        indicator.text, indicator.satuan = text, satuan
        indicator.save()
        for year, (value, label) in targets.items():
            if value is None and not label:
                IndicatorTarget.objects.filter(indicator=indicator, year=year).delete()
            else:
                IndicatorTarget.objects.update_or_create(indicator=indicator, year=year, defaults={"value": value, "text": label})


class RenjaRowView(WagtailAdminTemplateMixin, TemplateView):
    """Add or change one row of a Renja (GET shows the form, POST saves through the service)."""

    template_name = "planning/admin/renja_row_form.html"
    header_icon = "table"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.renja = scoped_object(request, Renja.objects.select_related("perangkat_daerah"), kwargs["pk"], "change")
        if "row_pk" in kwargs:
            self.row = scoped_object(request, RenjaRow.objects.filter(renja=self.renja).select_related("sub_kegiatan"), kwargs["row_pk"], "change")
        else:
            self.row = RenjaRow(renja=self.renja)
            policy.require(principal_of(request), "add", self.row)
        self.row.renja = self.renja  # the Renja as checked above (with its department)
        self.funding_errors = []

    def get_page_title(self):
        return "Ubah baris Renja" if self.row.pk else "Tambah baris Renja"

    def get_page_subtitle(self):
        return str(self.renja)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("planning_renja:index"), "label": "Renja PD"},
            {"url": reverse("planning_renja:inspect", args=[self.renja.pk]), "label": str(self.renja)},
            {"url": "", "label": self.get_page_title()},
        ]

    def build_forms(self, data=None):
        renja = self.renja
        form = planning_forms.RenjaRowForm(
            data, instance=self.row, renja=renja, search_url=reverse("planning_renja:sub_kegiatan_search", args=[renja.pk]),
        )
        choices = planning_forms.lokasi_choices()
        initial_lokasi = [
            {"wilayah": str(line.wilayah_id) if line.wilayah_id else planning_forms.WHOLE_REGION, "description": line.description}
            for line in RenjaLokasi.objects.filter(row=self.row)
        ] if self.row.pk else []
        initial_funding = [
            {"sumber_dana": line.sumber_dana_id, "pagu": line.pagu} for line in RenjaPendanaan.objects.filter(row=self.row).order_by("sumber_dana__code")
        ] if self.row.pk else []
        sources = SumberDana.objects.filter(Q(is_active=True) | Q(pk__in=[i["sumber_dana"] for i in initial_funding])).order_by("code")
        lokasi = planning_forms.LokasiFormSet(data, initial=initial_lokasi, prefix="lokasi", form_kwargs={"choices": choices})
        pendanaan = planning_forms.PendanaanFormSet(data, initial=initial_funding, prefix="pendanaan", form_kwargs={"sources": sources})
        return form, lokasi, pendanaan

    def get(self, request, *args, **kwargs):
        form, lokasi, pendanaan = self.build_forms()
        proposed = request.GET.get("sub_kegiatan")
        if not self.row.pk and proposed and proposed.isdigit():
            sub = allowed_sub_kegiatan_or_none(self.renja).filter(pk=proposed).first()
            if sub is not None:
                form.propose_from(sub)
        return self.render_to_response(self.get_context_data(form=form, lokasi=lokasi, pendanaan=pendanaan))

    def post(self, request, *args, **kwargs):
        form, lokasi, pendanaan = self.build_forms(request.POST)
        if form.is_valid() & lokasi.is_valid() & pendanaan.is_valid():
            created = self.row.pk is None
            places = {str(w.pk): w for w in Wilayah.objects.filter(pk__in=[
                line["wilayah"] for line in lokasi.filled() if line.get("wilayah") not in ("", planning_forms.WHOLE_REGION)
            ]).defer("boundary")}
            lokasi_lines = [
                (places.get(line["wilayah"]), line.get("description", ""))
                for line in lokasi.filled() if line.get("wilayah")
            ]
            funding = [(line["sumber_dana"], line["pagu"]) for line in pendanaan.filled() if line.get("sumber_dana")]
            principal = principal_of(request)
            try:
                with transaction.atomic():
                    row = save_renja_row(principal, form.instance, pendanaan=funding, lokasi=lokasi_lines)
                    save_row_indicators(principal, row, form.indicators())
                    log(
                        instance=row, action="wagtail.create" if created else "wagtail.edit", user=request.user,
                        data={"renja": self.renja.pk, "pagu": str(row.pagu_indikatif)},
                    )
            except ValidationError as error:
                if created:
                    form.instance.pk = None  # the refused save was rolled back
                self.apply_service_errors(form, error)
            else:
                messages.success(request, f"Baris {row.code} disimpan: pagu {rupiah(row.pagu_indikatif)}.")
                if "save_and_add" in request.POST:
                    return redirect("planning_renja:row_add", self.renja.pk)
                return redirect(reverse("planning_renja:inspect", args=[self.renja.pk]) + f"#row-{row.pk}")
        messages.error(request, "Baris Renja belum disimpan: perbaiki isian yang ditandai.")
        return self.render_to_response(self.get_context_data(form=form, lokasi=lokasi, pendanaan=pendanaan), status=200)

    def apply_service_errors(self, form, error):
        """The service's keys onto the form: sub_kegiatan and row fields on their field, the
        ceiling ("pendanaan") on the funding section, the rest (stage lock) on the form."""
        items = error.error_dict.items() if hasattr(error, "error_dict") else [(None, error.error_list)]
        for name, errors in items:
            messages_ = [m for e in errors for m in e.messages]
            if name == "pendanaan":
                self.funding_errors += messages_
            elif name in form.fields:
                form.add_error(name, messages_)
            else:
                form.add_error(None, messages_)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        renja = self.renja
        context.update(
            renja=renja,
            row=self.row,
            funding_errors=self.funding_errors,
            ceilings=ceiling_lines(renja),
            year=renja.year,
            next_year=renja.year + 1,
            cancel_url=reverse("planning_renja:inspect", args=[renja.pk]),
            delete_url=reverse("planning_renja:row_delete", args=[renja.pk, self.row.pk]) if self.row.pk else None,
            media=kwargs["form"].media,
        )
        return context


def allowed_sub_kegiatan_or_none(renja):
    try:
        return allowed_sub_kegiatan(renja.perangkat_daerah, renja.year)
    except ValidationError:
        from backoffice.reference.models import SubKegiatan

        return SubKegiatan.objects.none()


class SubKegiatanSearchView(View):
    """JSON search over the sub kegiatan a department may choose for its Renja (code or name).
    Codes are searched and shown as the department writes them (the support program under its bidang)."""

    def get(self, request, pk):
        renja = scoped_object(request, Renja.objects.select_related("perangkat_daerah"), pk, "change")
        unit = renja.perangkat_daerah
        try:
            allowed = allowed_sub_kegiatan(unit, renja.year)
        except ValidationError as error:
            return JsonResponse({"results": [], "error": " ".join(error.messages)})
        query = " ".join(request.GET.get("q", "").split())
        if query:
            condition = Q(name__icontains=query) | Q(code__startswith=query) | Q(kinerja__icontains=query)
            generic = generic_code(query)
            if generic != query and any(query.startswith(code + ".") for code in unit.bidang_urusan_codes):
                condition |= Q(code__startswith=generic)
            allowed = allowed.filter(condition)
        results = [
            {
                "id": sub.pk,
                "code": department_code(sub.code, unit),
                "name": sub.name,
                "label": f"{department_code(sub.code, unit)} {sub.name}",
                "kinerja": sub.kinerja,
                "indikator": sub.indikator,
                "satuan": sub.satuan,
                "proposed_text": planning_forms.proposed_output(sub)[0],
            }
            for sub in allowed.order_by("code")[:SEARCH_LIMIT]
        ]
        return JsonResponse({"results": results})


class RenjaRowDeleteView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "planning/admin/renja_row_delete.html"
    page_title = "Hapus baris Renja"
    header_icon = "bin"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.renja = scoped_object(request, Renja.objects.select_related("perangkat_daerah"), kwargs["pk"], "view")
        self.row = scoped_object(request, RenjaRow.objects.filter(renja=self.renja).select_related("sub_kegiatan"), kwargs["row_pk"], "delete")
        self.row.renja = self.renja

    def get_page_subtitle(self):
        return f"{self.row.code} {self.row.sub_kegiatan.name}"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "row": self.row, "renja": self.renja, "cancel_url": reverse("planning_renja:inspect", args=[self.renja.pk])}

    def post(self, request, *args, **kwargs):
        row = self.row
        label = str(row)
        try:
            with transaction.atomic():
                log(instance=row, action="wagtail.delete", user=request.user, deleted=True, data={"renja": self.renja.pk, "pagu": str(row.pagu_indikatif)})
                delete_renja_row(principal_of(request), row)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Baris {label} dihapus.")
        return redirect("planning_renja:inspect", self.renja.pk)


# --------------------------------------------------------------------------------------------
# Import Renja (the reference "Impor Data" flow with the Renja importer)


@dataclass(frozen=True)
class RenjaImportKind:
    key: str = "renja"
    label: str = "Renja PD"


RENJA_KIND = RenjaImportKind()


def _renja_fingerprints(year):
    """Per Renja of a year: (rows, total pagu, last funding line): changes whenever an import writes."""
    return {
        pk: (rows, total, last)
        for pk, rows, total, last in Renja.objects.filter(year=year)
        .annotate(n=Count("rows", distinct=True), total=Sum("rows__pagu_indikatif"), last=Max("rows__pendanaan_list__id"))
        .values_list("pk", "n", "total", "last")
    }


class RenjaImportFlow(ImportFlow):
    namespace = "planning_import"
    page_title = "Impor Renja"
    form_class = planning_forms.RenjaImportForm
    detail_template_name = "planning/admin/import_detail.html"

    def kinds(self, user):
        principal = policy.principal_for_user(user)
        return [RENJA_KIND] if policy.can_create_any(principal, Renja) else []

    def kind(self, key):
        return RENJA_KIND

    def kind_key(self, form):
        return RENJA_KIND.key

    def run(self, staged, *, dry_run, request):
        (source,) = staged.files("source")
        year = staged.state["options"]["year"]
        principal = principal_of(request)
        before = None if dry_run else _renja_fingerprints(year)
        report = import_renja(source, year=year, principal=principal, dry_run=dry_run, name=source.name)
        if not dry_run:
            # The audit log: one entry per Renja the import changed, with the user.
            after = _renja_fingerprints(year)
            for renja in Renja.objects.filter(pk__in=[pk for pk, mark in after.items() if before.get(pk) != mark]):
                log(instance=renja, action=IMPORT_LOG_ACTION, user=request.user, data={"source": report.source, "summary": report.summary_lines()})
        return report

    def serialize(self, report):
        return {
            "summary": report.summary_lines(),
            "year": report.year,
            "rows_read": report.rows_read,
            "rows_created": report.rows_created,
            "rows_updated": report.rows_updated,
            "rows_unchanged": report.rows_unchanged,
            "sheet_total": str(report.sheet_total),
            "imported_total": str(report.imported_total),
            "refused_total": str(report.refused_total),
            "refused": [[issue.row, issue.field, issue.message, str(pagu)] for issue, pagu in report.refused],
            "merged": [[issue.row, issue.field, issue.message] for issue in report.merged],
            "warnings": [[issue.row, issue.field, issue.message] for issue in report.warnings],
            "empty_pagu_rows": report.empty_pagu_rows,
            "has_changes": bool(report.rows_created or report.rows_updated),
        }

    def detail_context(self, view, state):
        report = state.get("report")
        context = {"options": state["options"]}
        if report:
            from django.core.paginator import Paginator

            context.update(
                report=report,
                summary=report["summary"],
                money=[
                    ("Pagu dalam lembar", rupiah(Decimal(report["sheet_total"]))),
                    ("Diimpor", rupiah(Decimal(report["imported_total"]))),
                    ("Ditolak", rupiah(Decimal(report["refused_total"]))),
                ],
                refused_page=Paginator([(r, f, m, rupiah(Decimal(p))) for r, f, m, p in report["refused"]], 100).get_page(view.request.GET.get("p")),
                refused_count=len(report["refused"]),
                has_changes=report["has_changes"],
                listing_url=reverse("planning_renja:index") + f"?year={report['year']}",
            )
        return context

    def finish(self, staged, report, request):
        if report.rows_created or report.rows_updated:
            return f"Impor Renja {report.year} selesai: {report.rows_created} baris baru, {report.rows_updated} berubah."
        return "Tidak ada perubahan; tidak ada yang ditulis."


class RenjaImportViewSet(ImportViewSet):
    name = "planning_import"
    url_prefix = "perencanaan/impor-renja"
    menu_label = "Impor Renja"
    flow = RenjaImportFlow()


# --------------------------------------------------------------------------------------------
# Downloads: T-C.33 and T-C.27


class DownloadView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "planning/admin/downloads.html"
    page_title = "Unduh Tabel"
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        self.principal = principal_of(request)
        if self.principal.is_public:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form(self):
        principal = self.principal
        units = PerangkatDaerah.objects.filter(is_active=True).order_by("code")
        if principal.role not in (Role.BAPPEDA_ADMIN, Role.BAPPEDA_VERIFIER) and principal.perangkat_daerah_id:
            visible = Q(pk=principal.perangkat_daerah_id) | Q(renja_list__is_published=True) | Q(renstra_list__is_published=True)
            units = units.filter(visible).distinct()
        periods = policy.scope(principal, PlanningPeriod.objects.all())
        return planning_forms.DownloadForm(self.request.GET if "table" in self.request.GET else None, periods=periods, units=units)

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            unit = data.get("perangkat_daerah")
            if data["table"] == "tc33":
                content = exports.renja_tc33(self.principal, data["year"], unit)
                name = f"T-C.33-Renja-{data['year']}"
            else:
                content = exports.renstra_tc27(self.principal, data["period"], unit)
                name = f"T-C.27-Renstra-{data['period'].start_year}-{data['period'].end_year}"
            if unit is not None:
                name += f"-{unit.code}"
            response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
        return self.render_to_response(self.get_context_data(form=form))


class DownloadsViewSet(ViewSet):
    name = "planning_downloads"
    url_prefix = "perencanaan/unduh"
    menu_label = "Unduh T-C.27 / T-C.33"
    menu_icon = "download"
    icon = "download"

    def get_urlpatterns(self):
        return [path("", DownloadView.as_view(), name="download")]

    @cached_property
    def menu_item_class(self):
        class DownloadMenuItem(MenuItem):
            def is_shown(self, request):
                return not principal_of(request).is_public

        return DownloadMenuItem
