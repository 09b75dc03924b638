"""Monev Triwulan: for each set Renja, per row and triwulan, the department's report (physical,
spent, notes, a supporting document stored as a Wagtail document) and its submission, the
verifier's acceptance or return with a note, capaian as computed by the service, and the E.81 and
E.80 downloads. Every write is a service call; refusals show the service's message."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views import View
from wagtail.admin import messages
from wagtail.admin.viewsets.base import ViewSet
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from backoffice.access import policy

from .. import exports, services
from ..cycle_forms import NoteForm, PeriodUnitForm, RealisasiForm, YearUnitForm
from ..models import Indicator, PlanningPeriod, PlanStatus, Realisasi, Renja, RenjaRow
from . import notify
from .common import (
    CycleAccessMixin,
    CycleMenuItem,
    CyclePageView,
    is_opd,
    is_verifier,
    own_unit_filter,
    plan_url,
    service_messages,
    when,
)

TRIWULAN = (1, 2, 3, 4)
ROWS_PER_PAGE = 50
QUEUE_LIMIT = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REALISASI_CLASSES = {
    Realisasi.Status.DRAFT: "",
    Realisasi.Status.SUBMITTED: "w-status--primary",
    Realisasi.Status.RETURNED: "w-status--label",
    Realisasi.Status.ACCEPTED: "w-status--primary",
}
DOCUMENT_COLLECTION = "Dokumen Monev"


def realisasi_url(row, triwulan):
    return reverse("cycle_monev:report", args=[row.pk, triwulan])


def visible_realisasi(principal):
    return policy.scope(principal, Realisasi.objects.all())


def monev_rows(principal, **filters):
    """Renja rows (visible to the principal) with what `capaian` needs, and only the reports the
    principal may see."""
    return (
        policy.scope(principal, RenjaRow.objects.filter(**filters))
        .select_related("sub_kegiatan", "renja__perangkat_daerah")
        .prefetch_related(
            Prefetch("realisasi_list", queryset=visible_realisasi(principal).order_by("triwulan")),
            Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets")),
        )
        .order_by("sub_kegiatan__code")
    )


def monev_collection():
    """Supporting documents live in their own collection, served only to signed-in users."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=DOCUMENT_COLLECTION).first()
    if collection is None:
        collection = root.add_child(instance=Collection(name=DOCUMENT_COLLECTION))
        CollectionViewRestriction.objects.create(collection=collection, restriction_type=CollectionViewRestriction.LOGIN)
    return collection


def store_document(upload, user, title):
    document = get_document_model()(title=title[:255], file=upload, collection=monev_collection(), uploaded_by_user=user)
    document._set_document_file_metadata()
    document.save()
    return document


def default_monev_year(principal):
    years = policy.scope(principal, Renja.objects.filter(status=PlanStatus.SET, **own_unit_filter(principal))).order_by("-year").values_list("year", flat=True)
    return years.first() or timezone.localdate().year


class MonevIndexView(CyclePageView):
    template_name = "planning/cycle/monev_index.html"
    page_title = "Monev Triwulan"
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        principal = self.principal
        own_id = principal.perangkat_daerah_id if is_opd(principal) else None
        data = self.request.GET.copy()
        data.setdefault("tahun", str(default_monev_year(principal)))
        if own_id:
            data["perangkat_daerah"] = str(own_id)
        form = YearUnitForm(data, own_unit_id=own_id)
        year = form.cleaned_data["tahun"] if form.is_valid() else default_monev_year(principal)
        unit = form.cleaned_data.get("perangkat_daerah") if form.is_valid() else None
        renjas = policy.scope(principal, Renja.objects.filter(year=year, status=PlanStatus.SET, **own_unit_filter(principal))).select_related("perangkat_daerah").order_by("perangkat_daerah__code")
        if unit:
            renjas = renjas.filter(perangkat_daerah=unit)
        renjas = list(renjas[:200])
        counts = {}
        for item in visible_realisasi(principal).filter(row__renja__in=renjas).values("row__renja", "status").annotate(n=Count("id")).order_by():
            counts.setdefault(item["row__renja"], {})[item["status"]] = item["n"]
        rows = [
            {
                "renja": renja,
                "url": reverse("cycle_monev:renja", args=[renja.pk]),
                "counts": [(label, counts.get(renja.pk, {}).get(value, 0)) for value, label in Realisasi.Status.choices],
            }
            for renja in renjas
        ]
        queue, queue_title = None, ""
        if is_verifier(principal):
            queue = visible_realisasi(principal).filter(status=Realisasi.Status.SUBMITTED)
            queue_title = "Realisasi menunggu verifikasi"
        elif is_opd(principal):
            queue = visible_realisasi(principal).filter(status=Realisasi.Status.RETURNED, row__renja__perangkat_daerah_id=principal.perangkat_daerah_id)
            queue_title = "Realisasi dikembalikan kepada Anda"
        queue_rows = []
        if queue is not None:
            for item in queue.select_related("row__sub_kegiatan", "row__renja__perangkat_daerah").order_by("row__renja__year", "row__renja__perangkat_daerah__code", "triwulan")[:QUEUE_LIMIT]:
                queue_rows.append({"realisasi": item, "url": realisasi_url(item.row, item.triwulan)})
        query = f"tahun={year}" + (f"&perangkat_daerah={unit.pk}" if unit else "")
        period_form = PeriodUnitForm(initial={"perangkat_daerah": own_id}, own_unit_id=own_id)
        period_form.fields["periode"].initial = PlanningPeriod.objects.filter(start_year__lte=year, end_year__gte=year).values_list("pk", flat=True).first()
        context.update(
            form=form,
            year=year,
            rows=rows,
            queue_rows=queue_rows,
            queue_title=queue_title,
            e81_url=f"{reverse('cycle_monev:e81')}?{query}",
            period_form=period_form,
            e80_action=reverse("cycle_monev:e80"),
        )
        return context


class RenjaMonevView(CyclePageView):
    """A set Renja's rows by triwulan: each report's status and values, and capaian so far."""

    template_name = "planning/cycle/monev_renja.html"
    header_icon = "doc-full"
    parent_crumbs = (("Monev Triwulan", "cycle_monev:index"),)

    def get_page_title(self):
        return f"Monev {self.renja}"

    def get(self, request, pk):
        self.renja = get_object_or_404(policy.scope(self.principal, Renja.objects.select_related("perangkat_daerah")), pk=pk)
        return super().get(request, pk=pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        renja = self.renja
        windows = [{"triwulan": n, "lock_reason": services.reporting_lock_reason(renja.year, n)} for n in TRIWULAN]
        page = Paginator(monev_rows(self.principal, renja=renja), ROWS_PER_PAGE).get_page(self.request.GET.get("p"))
        rows = []
        for row in page.object_list:
            reports = {r.triwulan: r for r in row.realisasi_list.all()}
            cells = []
            for n in TRIWULAN:
                report = reports.get(n)
                cells.append({
                    "triwulan": n,
                    "report": report,
                    "classname": REALISASI_CLASSES.get(report.status, "") if report else "",
                    "url": realisasi_url(row, n),
                })
            rows.append({"row": row, "cells": cells, "capaian": services.capaian(row, 4)})
        context.update(
            renja=renja,
            is_set=renja.status == PlanStatus.SET,
            windows=windows,
            rows=rows,
            page=page,
            plan_url=plan_url(renja),
            e81_url=f"{reverse('cycle_monev:e81')}?tahun={renja.year}&perangkat_daerah={renja.perangkat_daerah_id}",
        )
        return context


class RealisasiView(CyclePageView):
    """One row, one triwulan: the report form for the department, the verifier's accept/return,
    capaian up to this triwulan."""

    template_name = "planning/cycle/monev_report.html"
    header_icon = "doc-full"

    def load(self, row_pk, triwulan):
        if triwulan not in TRIWULAN:
            raise Http404
        self.row = get_object_or_404(monev_rows(self.principal, pk=row_pk))
        self.triwulan = triwulan
        self.realisasi = next((r for r in self.row.realisasi_list.all() if r.triwulan == triwulan), None)
        if self.realisasi is not None:
            self.realisasi = Realisasi.objects.select_related("document", "verified_by").get(pk=self.realisasi.pk)
        probe = self.realisasi or Realisasi(row=self.row, triwulan=triwulan)
        self.can_report = policy.can(self.principal, "change" if self.realisasi else "add", probe)

    def get_page_title(self):
        return f"Realisasi triwulan {self.triwulan}"

    def get_page_subtitle(self):
        return f"{self.row.code} {self.row.sub_kegiatan.name}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("cycle_monev:index"), "label": "Monev Triwulan"},
            {"url": reverse("cycle_monev:renja", args=[self.row.renja_id]), "label": str(self.row.renja)},
            {"url": "", "label": self.get_header_title()},
        ]

    def get(self, request, row_pk, triwulan):
        self.load(row_pk, triwulan)
        return self.render_to_response(self.get_context_data())

    def post(self, request, row_pk, triwulan):
        self.load(row_pk, triwulan)
        form = RealisasiForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, "Realisasi belum disimpan: periksa isian.")
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        upload = data.get("document")
        document = None
        try:
            with transaction.atomic():
                if upload:
                    document = store_document(upload, request.user, f"Realisasi TW {triwulan} {self.row.renja.year} {self.row.code}")
                services.report_realisasi(
                    self.principal, self.row, triwulan, physical=data["physical"], spent=data["spent"], notes=data["notes"],
                    document=document or (self.realisasi.document if self.realisasi else None),
                )
        except (PermissionDenied, ValidationError) as error:
            if document is not None:
                document.file.delete(save=False)  # the row is rolled back; the stored file too
            problems = service_messages(error)
            messages.error(request, "Realisasi tidak disimpan: " + " ".join(problems))
            for message in problems:
                form.add_error(None, message)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, f"Realisasi triwulan {triwulan} disimpan sebagai draf. Ajukan untuk verifikasi bila sudah lengkap.")
        return redirect(realisasi_url(self.row, triwulan))

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        realisasi = self.realisasi
        editable = self.can_report and (realisasi is None or realisasi.status in (Realisasi.Status.DRAFT, Realisasi.Status.RETURNED))
        if editable and form is None:
            initial = {"physical": realisasi.physical, "spent": realisasi.spent, "notes": realisasi.notes} if realisasi else {}
            form = RealisasiForm(initial=initial)
        renja = self.row.renja
        lock_reason = None if renja.status == PlanStatus.SET else "Realisasi hanya dilaporkan untuk Renja yang sudah ditetapkan."
        lock_reason = lock_reason or services.reporting_lock_reason(renja.year, self.triwulan)
        context.update(
            row=self.row,
            renja=renja,
            triwulan=self.triwulan,
            triwulans=[(n, realisasi_url(self.row, n)) for n in TRIWULAN],
            realisasi=realisasi,
            status_class=REALISASI_CLASSES.get(realisasi.status, "") if realisasi else "",
            form=form if editable else None,
            lock_reason=lock_reason if editable else None,
            can_submit=bool(realisasi and self.can_report and realisasi.status in (Realisasi.Status.DRAFT, Realisasi.Status.RETURNED)),
            can_verify=bool(realisasi and is_verifier(self.principal) and realisasi.status == Realisasi.Status.SUBMITTED),
            note_form=NoteForm(),
            capaian=services.capaian(self.row, self.triwulan),
            renja_url=reverse("cycle_monev:renja", args=[renja.pk]),
            when=when,
        )
        if realisasi:
            context.update({name: reverse(f"cycle_monev:{name}", args=[realisasi.pk]) for name in ("submit", "accept", "return")})
        return context


REALISASI_ACTIONS = {
    "submit": ("Pengajuan realisasi", "Realisasi triwulan {n} diajukan untuk verifikasi."),
    "accept": ("Penerimaan realisasi", "Realisasi triwulan {n} diterima."),
    "return": ("Pengembalian realisasi", "Realisasi triwulan {n} dikembalikan ke perangkat daerah."),
}


class RealisasiActionView(CycleAccessMixin, View):
    action = "submit"

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, pk):
        realisasi = get_object_or_404(visible_realisasi(self.principal).select_related("row__renja", "row__sub_kegiatan"), pk=pk)
        back = realisasi_url(realisasi.row, realisasi.triwulan)
        note = request.POST.get("note", "")
        label, done = REALISASI_ACTIONS[self.action]
        try:
            if self.action == "submit":
                services.submit_realisasi(self.principal, realisasi)
            elif self.action == "accept":
                services.accept_realisasi(self.principal, realisasi, note.strip())
            else:
                services.return_realisasi(self.principal, realisasi, note)
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, f"{label} ditolak: " + " ".join(service_messages(error)))
            return redirect(back)
        messages.success(request, done.format(n=realisasi.triwulan))
        row = realisasi.row
        notify.notify(self.action, f"Realisasi triwulan {realisasi.triwulan} {row.renja.year} {row.code}", row.renja.perangkat_daerah_id, note.strip(), request.build_absolute_uri(back))
        return redirect(back)


class ExportView(CycleAccessMixin, View):
    def xlsx(self, content, filename):
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def own(self):
        return self.principal.perangkat_daerah_id if is_opd(self.principal) else None


class E81View(ExportView):
    def get(self, request):
        own = self.own()
        data = request.GET.copy()
        if own:
            data["perangkat_daerah"] = str(own)
        form = YearUnitForm(data, own_unit_id=own)
        if not form.is_valid():
            messages.error(request, "Pilih tahun untuk E.81.")
            return redirect("cycle_monev:index")
        year, unit = form.cleaned_data["tahun"], form.cleaned_data["perangkat_daerah"]
        suffix = f"-{slugify(unit.short_name or unit.name)}" if unit else ""
        return self.xlsx(exports.renja_e81(self.principal, year, unit), f"E81-evaluasi-renja-{year}{suffix}.xlsx")


class E80View(ExportView):
    def get(self, request):
        own = self.own()
        data = request.GET.copy()
        if own:
            data["perangkat_daerah"] = str(own)
        form = PeriodUnitForm(data, own_unit_id=own)
        if not form.is_valid():
            messages.error(request, "Pilih periode untuk E.80.")
            return redirect("cycle_monev:index")
        period, unit = form.cleaned_data["periode"], form.cleaned_data["perangkat_daerah"]
        suffix = f"-{slugify(unit.short_name or unit.name)}" if unit else ""
        return self.xlsx(exports.renstra_e80(self.principal, period, unit), f"E80-evaluasi-renstra-{period.start_year}-{period.end_year}{suffix}.xlsx")


class MonevViewSet(ViewSet):
    name = "cycle_monev"
    url_prefix = "tahapan-monev/monev"
    menu_label = "Monev Triwulan"
    menu_name = "monev"
    icon = "doc-full"
    menu_item_class = CycleMenuItem

    def get_urlpatterns(self):
        return [
            path("", MonevIndexView.as_view(), name="index"),
            path("renja/<int:pk>/", RenjaMonevView.as_view(), name="renja"),
            path("baris/<int:row_pk>/tw/<int:triwulan>/", RealisasiView.as_view(), name="report"),
            path("realisasi/<int:pk>/ajukan/", RealisasiActionView.as_view(action="submit"), name="submit"),
            path("realisasi/<int:pk>/terima/", RealisasiActionView.as_view(action="accept"), name="accept"),
            path("realisasi/<int:pk>/kembalikan/", RealisasiActionView.as_view(action="return"), name="return"),
            path("e81/", E81View.as_view(), name="e81"),
            path("e80/", E80View.as_view(), name="e80"),
        ]
