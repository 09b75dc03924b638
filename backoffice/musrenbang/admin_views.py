"""The "Musrenbang" admin menu: proposals from villages to Renja rows, for every role in its scope.

- Usulan: the list (scoped by `backoffice.access.policy`: a village its own, a kecamatan its desas'
  once submitted, a department what was routed to it, Bappeda everything), with filters, bulk
  actions for the role and the XLSX export of what the list shows; the village's simple form; a
  proposal's page (proposed and recommended values per level, the timeline, attachments, and a form
  for each step the role may take); a printable receipt with the tracking code.
- Peringkat kecamatan: the kecamatan orders its incoming proposals (drag or type numbers).
- Jadwal: each year's window per level (Bappeda's admin sets them).
- Impor usulan: upload, preview (dry run), confirm: the reference "Impor Data" views with
  `UsulanImportFlow`.

Every write goes through `services` (status, recommendations, events, audit) and every read
through `policy.scope`: a proposal outside the user's scope is a 404, a step the role may not take
a 403, and a refusal (wrong status, window closed, missing reason) is shown on the field it names.
"""

from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log

from backoffice.access import policy
from backoffice.access.models import BAPPEDA_ROLES, OPD_ROLES, Role
from backoffice.planning.models import RenjaRow
from backoffice.planning.services import rupiah
from backoffice.reference.models import Wilayah
from backoffice.reference.views import ImportFlow, ImportViewSet

from . import exports, pokir, season, services
from .forms import (
    AcceptForm,
    AdoptForm,
    BulkForm,
    NoteForm,
    RankForm,
    ReasonForm,
    RouteForm,
    ScheduleForm,
    ScheduleYearForm,
    UsulanFilterForm,
    UsulanForm,
    UsulanImportForm,
    ValidateForm,
    apply_service_error,
)
from .imports import import_usulan
from .kamus import kamus_for
from .models import AnggotaDprd, Attachment, Level, MusrenbangSchedule, Status, Usulan, normalize_tracking_code

LIST_RELATED = ("desa", "kecamatan", "satuan", "target_perangkat_daerah")
DETAIL_RELATED = (*LIST_RELATED, "kamus__satuan", "anggota_dprd", "renja_row__sub_kegiatan", "renja_row__renja__perangkat_daerah", "carried_from")
NO_BOUNDARIES = ("desa__boundary", "kecamatan__boundary")

# The steps each role plays (for its bulk actions and "waiting for me"); the services decide.
ROLE_OWNERS = {
    Role.DESA_OPERATOR: {"proposer"},
    Role.ANGGOTA_DPRD: {"proposer"},
    Role.SETWAN_VERIFIER: {"setwan"},
    Role.KECAMATAN_OPERATOR: {"kecamatan"},
    Role.OPD_OPERATOR: {"opd", "bappeda_or_opd"},
    Role.OPD_VERIFIER: {"opd", "bappeda_or_opd"},
    Role.BAPPEDA_ADMIN: {"proposer", "kecamatan", "setwan", "opd", "bappeda", "bappeda_or_opd"},
    Role.BAPPEDA_VERIFIER: set(),
}
# Whose desk a status waits on, for "menunggu tindakan saya" (Bappeda's admin: its own steps).
WAITING_OWNERS = {**ROLE_OWNERS, Role.BAPPEDA_ADMIN: {"bappeda", "bappeda_or_opd"}}

STATUS_CLASSES = {
    Status.SUBMITTED: "w-status--primary", Status.ROUTED: "w-status--primary", Status.ACCEPTED: "w-status--primary",
    Status.ACCEPTED_CHANGED: "w-status--primary", Status.AGREED: "w-status--primary", Status.ADOPTED: "w-status--primary",
}
EVENT_LABELS = {
    "create": "Dibuat", "import": "Diimpor", "carried_from": "Lanjutan usulan tahun lalu", "submit": "Diajukan ke kecamatan",
    "route": "Diteruskan ke perangkat daerah", "return": "Dikembalikan ke desa/kelurahan", "reject_kecamatan": "Ditolak kecamatan",
    "accept": "Diterima perangkat daerah", "accept_changed": "Diterima dengan perubahan", "postpone": "Ditunda",
    "reject_opd": "Ditolak perangkat daerah", "agree": "Disepakati musrenbang kabupaten", "adopt": "Masuk Renja",
    "not_funded": "Tidak didanai", "carry_over": "Dialihkan ke tahun berikutnya",
    "verify_setwan": "Diverifikasi Sekretariat DPRD", "return_setwan": "Dikembalikan ke anggota DPRD", "reject_setwan": "Ditolak Sekretariat DPRD",
    "validate_bappeda": "Divalidasi Bappeda, diteruskan ke perangkat daerah", "reject_bappeda": "Ditolak Bappeda",
}
ROLE_LEVEL = {Role.DESA_OPERATOR: Level.DESA, Role.KECAMATAN_OPERATOR: Level.KECAMATAN, Role.OPD_OPERATOR: Level.FORUM_OPD, Role.OPD_VERIFIER: Level.FORUM_OPD}


def principal_of(request):
    if not hasattr(request, "_musrenbang_principal"):
        request._musrenbang_principal = policy.principal_for_user(request.user)
    return request._musrenbang_principal


def visible(principal):
    return policy.scope(principal, Usulan.objects.all(), "view")


def get_visible_usulan(principal, pk, related=LIST_RELATED):
    """The proposal if the principal may see it; a 404 otherwise (another desa's proposal is not
    even said to exist)."""
    return get_object_or_404(visible(principal).select_related(*related).defer(*NO_BOUNDARIES), pk=pk)


def when(moment):
    return formats.date_format(timezone.localtime(moment), "j F Y H:i") if moment else ""


def number(value):
    """1.500 / 12,5 (Indonesian grouping), for pages."""
    if value is None:
        return ""
    text = f"{Decimal(value):,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return text[:-3] if text.endswith(",00") else text


def status_badge(usulan):
    return {"label": usulan.get_status_display(), "classname": STATUS_CLASSES.get(usulan.status, "")}


def refusal_messages(error):
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error) or "Anda tidak berwenang melakukan tindakan ini."]


def default_year(at=None):
    """The plan year a new proposal is for: the year whose desa window is open now, else the next
    one to open, else next year (proposals are made a year ahead)."""
    at = at or timezone.now()
    desa = MusrenbangSchedule.objects.filter(level=Level.DESA)
    year = (
        desa.filter(opens_at__lte=at, closes_at__gt=at).order_by("closes_at").values_list("year", flat=True).first()
        or desa.filter(opens_at__gt=at).order_by("opens_at").values_list("year", flat=True).first()
    )
    return year or timezone.localtime(at).year + 1


# ------------------------------------------------------------------------------------------------
# Base views


class MusrenbangAccessMixin:
    """The Musrenbang pages are for staff with a role (`allowed_roles` narrows a page further);
    each page shows only what the access policy lets the principal see."""

    allowed_roles = None

    def dispatch(self, request, *args, **kwargs):
        self.principal = principal_of(request)
        if self.principal.role is None or (self.allowed_roles is not None and self.principal.role not in self.allowed_roles):
            raise PermissionDenied("Halaman ini tidak tersedia untuk peran Anda.")
        return super().dispatch(request, *args, **kwargs)


class MusrenbangPageView(MusrenbangAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "list-ul"
    crumbs = ()  # (label, url) between the home page and this page

    def get_crumbs(self):
        return list(self.crumbs)

    def get_breadcrumbs_items(self):
        items = [{"url": url, "label": label} for label, url in self.get_crumbs()]
        return self.breadcrumbs_items + items + [{"url": "", "label": self.get_page_title()}]


def list_url(**params):
    url = reverse("musrenbang:index")
    return f"{url}?{urlencode(params)}" if params else url


def detail_url(usulan):
    return reverse("musrenbang:detail", args=[usulan.pk])


# ------------------------------------------------------------------------------------------------
# The list, its filters, bulk actions and export


@dataclass(frozen=True)
class BulkAction:
    key: str  # the service step
    label: str
    done: str  # "{n} usulan ..."
    needs_unit: bool = False
    needs_reason: bool = False


BULK_ACTIONS = OrderedDict((a.key, a) for a in [
    BulkAction("submit", "Ajukan ke kecamatan", "{n} usulan diajukan ke kecamatan."),
    BulkAction("route", "Teruskan ke perangkat daerah", "{n} usulan diteruskan ke {unit}.", needs_unit=True),
    BulkAction("return", "Kembalikan ke desa/kelurahan", "{n} usulan dikembalikan ke desa/kelurahan.", needs_reason=True),
    BulkAction("reject_kecamatan", "Tolak (kecamatan)", "{n} usulan ditolak.", needs_reason=True),
    BulkAction("accept", "Terima sesuai rekomendasi", "{n} usulan diterima."),
    BulkAction("postpone", "Tunda", "{n} usulan ditunda.", needs_reason=True),
    BulkAction("reject_opd", "Tolak (perangkat daerah)", "{n} usulan ditolak.", needs_reason=True),
    BulkAction("agree", "Sepakati (musrenbang kabupaten)", "{n} usulan disepakati."),
    BulkAction("not_funded", "Nyatakan tidak didanai", "{n} usulan dinyatakan tidak didanai.", needs_reason=True),
    BulkAction("carry_over", "Alihkan ke tahun berikutnya", "{n} usulan dialihkan ke tahun berikutnya."),
])


# A legislator's proposals are pokir: they go to the DPRD secretariat, not to a kecamatan.
POKIR_BULK_SUBMIT = BulkAction("submit", "Ajukan ke Sekretariat DPRD", "{n} pokir diajukan ke Sekretariat DPRD.")


def bulk_actions_for(principal):
    owners = ROLE_OWNERS.get(principal.role, set())
    pokir_only = principal.role == Role.ANGGOTA_DPRD
    return [(key, POKIR_BULK_SUBMIT if pokir_only and key == "submit" else action)
            for key, action in BULK_ACTIONS.items() if services.STEPS[key].owner in owners]


def run_bulk_step(principal, key, usulan, data):
    reason, note = (data.get("reason") or "").strip(), data.get("note") or ""
    calls = {
        "submit": lambda: services.submit_usulan(principal, usulan, note=note),
        "route": lambda: services.route_usulan(principal, usulan, data["perangkat_daerah"], note=note),
        "return": lambda: services.return_usulan(principal, usulan, reason, note=note),
        "reject_kecamatan": lambda: services.reject_at_kecamatan(principal, usulan, reason, note=note),
        "accept": lambda: services.accept_usulan(principal, usulan, note=note),
        "postpone": lambda: services.postpone_usulan(principal, usulan, reason, note=note),
        "reject_opd": lambda: services.reject_at_opd(principal, usulan, reason, note=note),
        "agree": lambda: services.agree_usulan(principal, usulan, note=note),
        "not_funded": lambda: services.mark_not_funded(principal, usulan, reason, note=note),
        "carry_over": lambda: services.carry_over(principal, usulan, note=note),
    }
    return calls[key]()


def waiting_statuses(principal):
    owners = WAITING_OWNERS.get(principal.role, set())
    return sorted({source for step in services.STEPS.values() if step.owner in owners for source in step.sources})


def filter_fields_for(principal):
    if principal.role == Role.DESA_OPERATOR:
        return ("q", "tahun", "status", "tindakan")
    if principal.role == Role.KECAMATAN_OPERATOR:
        return ("q", "tahun", "status", "desa", "opd", "tindakan")
    if principal.role in OPD_ROLES:
        return ("q", "tahun", "status", "kecamatan", "desa", "tindakan")
    return ("q", "tahun", "status", "kecamatan", "desa", "opd", "tindakan")


def filter_form(principal, data):
    years = list(visible(principal).order_by("-year").values_list("year", flat=True).distinct())
    form = UsulanFilterForm(data, years=years)
    keep = set(filter_fields_for(principal))
    for name in list(form.fields):
        if name not in keep:
            del form.fields[name]
    if principal.role == Role.KECAMATAN_OPERATOR:
        form.fields["desa"].queryset = form.fields["desa"].queryset.filter(parent_id=principal.wilayah_id)
    if principal.role == Role.BAPPEDA_VERIFIER:
        form.fields.pop("tindakan", None)
    return form


def filtered_usulan(principal, form):
    """The proposals the list (and its export) shows: the principal's scope, then the filters."""
    queryset = visible(principal)
    if not form.is_valid():
        return queryset
    data = form.cleaned_data
    text = (data.get("q") or "").strip()
    if text:
        code = normalize_tracking_code(text)
        queryset = queryset.filter(Q(tracking_code__iexact=code) | Q(tracking_code__icontains=text) | Q(solution__icontains=text) | Q(problem__icontains=text))
    if data.get("tahun"):
        queryset = queryset.filter(year=data["tahun"])
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    for name, lookup in (("kecamatan", "kecamatan"), ("desa", "desa"), ("opd", "target_perangkat_daerah")):
        if data.get(name):
            queryset = queryset.filter(**{lookup: data[name]})
    if data.get("tindakan"):
        queryset = queryset.filter(status__in=waiting_statuses(principal))
    return queryset


class UsulanIndexView(MusrenbangPageView):
    template_name = "musrenbang/admin/index.html"
    page_title = "Usulan Musrenbang"
    PER_PAGE = 50
    MAX_REFUSALS_SHOWN = 20

    def get_page_subtitle(self):
        return scope_label(self.principal)

    def get_header_buttons(self):
        buttons = []
        if policy.can_create_any(self.principal, Usulan):
            buttons.append(HeaderButton("Tambah usulan", url=reverse("musrenbang:add"), icon_name="plus"))
        if self.principal.role == Role.BAPPEDA_ADMIN:  # Setwan's "Tambah usulan" is already the pokir form
            buttons.append(HeaderButton("Tambah pokir DPRD", url=pokir_add_url(), icon_name="plus"))
        query = self.request.GET.urlencode()
        buttons.append(HeaderButton("Unduh XLSX", url=reverse("musrenbang:export") + (f"?{query}" if query else ""), icon_name="download"))
        return buttons

    @cached_property
    def filters(self):
        return filter_form(self.principal, self.request.GET)

    @cached_property
    def bulk_actions(self):
        return bulk_actions_for(self.principal)

    def post(self, request, *args, **kwargs):
        """A bulk action: each ticked proposal through the service, refusals reported per item."""
        if not self.bulk_actions:
            raise PermissionDenied("Peran Anda tidak memiliki tindakan massal.")
        form = BulkForm(request.POST, actions=self.bulk_actions)
        ids = [int(pk) for pk in request.POST.getlist("usulan") if pk.isdigit()]
        if not ids:
            form.add_error(None, "Centang usulan yang akan diproses.")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(bulk_form=form))
        action = dict(self.bulk_actions)[form.cleaned_data["action"]]
        found = visible(self.principal).in_bulk(ids)
        done, refused = [], []
        for pk in dict.fromkeys(ids):
            usulan = found.get(pk)
            if usulan is None:
                refused.append(f"Usulan #{pk} tidak ditemukan.")
                continue
            try:
                run_bulk_step(self.principal, action.key, usulan, form.cleaned_data)
            except (PermissionDenied, ValidationError) as error:
                refused.append(f"{usulan.tracking_code}: {' '.join(refusal_messages(error))}")
            else:
                done.append(usulan)
        if done:
            unit = form.cleaned_data.get("perangkat_daerah")
            messages.success(request, action.done.format(n=len(done), unit=unit.name if unit else ""))
        if refused:
            messages.error(request, f"{len(refused)} usulan tidak diproses.")
            for text in refused[: self.MAX_REFUSALS_SHOWN]:
                messages.error(request, text)
            if len(refused) > self.MAX_REFUSALS_SHOWN:
                messages.error(request, f"… dan {len(refused) - self.MAX_REFUSALS_SHOWN} lainnya.")
        return redirect(request.get_full_path())

    def get_context_data(self, bulk_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = filtered_usulan(self.principal, self.filters).select_related(*LIST_RELATED).defer(*NO_BOUNDARIES)
        page = Paginator(queryset, self.PER_PAGE).get_page(self.request.GET.get("p"))
        rows = [
            {
                "usulan": usulan,
                "badge": status_badge(usulan),
                "volume": number(usulan.volume),
                "cost": rupiah(usulan.estimated_cost),
                "waiting": bool(services.available_steps(self.principal, usulan)),
            }
            for usulan in page
        ]
        context.update(
            page=page, rows=rows, filters=self.filters, principal=self.principal,
            bulk_form=bulk_form or (BulkForm(actions=self.bulk_actions) if self.bulk_actions else None),
            windows=schedule_windows(self.principal),
            can_add=policy.can_create_any(self.principal, Usulan),
            show_desa=self.principal.role != Role.DESA_OPERATOR,
        )
        return context


def scope_label(principal):
    if principal.role in (Role.DESA_OPERATOR, Role.KECAMATAN_OPERATOR):
        region = Wilayah.objects.filter(pk=principal.wilayah_id).only("name", "level").first()
        if region:
            return f"{'Kecamatan' if principal.role == Role.KECAMATAN_OPERATOR else 'Desa/kelurahan'} {region.name}"
    if principal.role in OPD_ROLES:
        from backoffice.reference.models import PerangkatDaerah

        unit = PerangkatDaerah.objects.filter(pk=principal.perangkat_daerah_id).only("name").first()
        return unit.name if unit else ""
    return "Semua usulan"


def schedule_windows(principal, at=None):
    """The role's level windows that are open or still to come (what the list page reminds of)."""
    at = at or timezone.now()
    level = ROLE_LEVEL.get(principal.role) or (Level.KABUPATEN if principal.is_bappeda else None)
    if level is None:
        return []
    schedules = MusrenbangSchedule.objects.filter(closes_at__gt=at, level=level)
    return [
        {
            "label": str(s),
            "open": s.opens_at <= at,
            "text": (f"dibuka sampai {when(s.closes_at)}" if s.opens_at <= at else f"dibuka {when(s.opens_at)} sampai {when(s.closes_at)}"),
        }
        for s in schedules.order_by("opens_at")[:4]
    ]


class UsulanExportView(MusrenbangAccessMixin, View):
    """The list as XLSX, with the list's filters, scoped by the policy."""

    def get(self, request):
        queryset = filtered_usulan(self.principal, filter_form(self.principal, request.GET))
        data = exports.usulan_xlsx(queryset, title=f"Daftar usulan musrenbang: {scope_label(self.principal)}")
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="usulan-musrenbang-{stamp}.xlsx"'
        return response


# ------------------------------------------------------------------------------------------------
# A proposal's page and its steps


def latest_recommendation(usulan, recommendations):
    """What the department starts from: the last level's recommendation, else the proposal."""
    if recommendations:
        last = max(recommendations, key=lambda r: r.at)
        return last.volume, last.cost
    return usulan.volume, usulan.estimated_cost


def renja_rows_for(principal, usulan):
    """The Renja rows an agreed proposal may go into: its department's, of its year (the service
    checks the same; the form is only shown to whoever may take the step)."""
    rows = RenjaRow.objects.filter(renja__perangkat_daerah_id=usulan.target_perangkat_daerah_id, renja__year=usulan.year)
    return rows.select_related("sub_kegiatan", "renja__perangkat_daerah").order_by("sub_kegiatan__code")


@dataclass(frozen=True)
class StepUI:
    slug: str
    label: str
    done: str
    danger: bool = False


STEP_UI = OrderedDict([
    ("submit", StepUI("ajukan", "Ajukan ke kecamatan", "Usulan {code} diajukan ke kecamatan.")),
    ("route", StepUI("teruskan", "Teruskan ke perangkat daerah", "Usulan {code} diteruskan ke perangkat daerah.")),
    ("verify_setwan", StepUI("verifikasi-setwan", "Verifikasi (Sekretariat DPRD)", "Pokir {code} diverifikasi.")),
    ("return_setwan", StepUI("kembalikan-setwan", "Kembalikan ke anggota DPRD", "Pokir {code} dikembalikan ke anggota DPRD.", danger=True)),
    ("reject_setwan", StepUI("tolak-setwan", "Tolak (Sekretariat DPRD)", "Pokir {code} ditolak.", danger=True)),
    ("validate_bappeda", StepUI("validasi-bappeda", "Validasi dan teruskan ke perangkat daerah", "Pokir {code} divalidasi dan diteruskan ke perangkat daerah.")),
    ("reject_bappeda", StepUI("tolak-bappeda", "Tolak (Bappeda)", "Pokir {code} ditolak.", danger=True)),
    ("return", StepUI("kembalikan", "Kembalikan ke desa/kelurahan", "Usulan {code} dikembalikan ke desa/kelurahan.", danger=True)),
    ("reject_kecamatan", StepUI("tolak-kecamatan", "Tolak", "Usulan {code} ditolak.", danger=True)),
    ("accept", StepUI("terima", "Terima / terima dengan perubahan", "Usulan {code} diterima.")),
    ("postpone", StepUI("tunda", "Tunda", "Usulan {code} ditunda.", danger=True)),
    ("reject_opd", StepUI("tolak-opd", "Tolak", "Usulan {code} ditolak.", danger=True)),
    ("agree", StepUI("sepakati", "Sepakati di musrenbang kabupaten", "Usulan {code} disepakati.")),
    ("adopt", StepUI("masukkan-renja", "Masukkan ke baris Renja", "Usulan {code} masuk Renja.")),
    ("not_funded", StepUI("tidak-didanai", "Nyatakan tidak didanai", "Usulan {code} dinyatakan tidak didanai.", danger=True)),
    ("carry_over", StepUI("alihkan", "Alihkan ke tahun berikutnya", "Usulan {code} dialihkan ke tahun berikutnya.")),
])
SLUG_STEPS = {ui.slug: step for step, ui in STEP_UI.items()}
# A pokir is submitted to the DPRD secretariat, not to a kecamatan (same step, same slug).
POKIR_SUBMIT = StepUI("ajukan", "Ajukan ke Sekretariat DPRD", "Pokir {code} diajukan ke Sekretariat DPRD.")


def step_ui(step, usulan):
    return POKIR_SUBMIT if step == "submit" and services.is_pokir(usulan) else STEP_UI[step]
REASON_STEPS = {"return", "reject_kecamatan", "postpone", "reject_opd", "not_funded", "return_setwan", "reject_setwan", "reject_bappeda"}


def step_form(step, principal, usulan, recommendations, data=None):
    prefix = STEP_UI[step].slug
    if step == "route":
        return RouteForm(data, usulan=usulan, prefix=prefix)
    if step == "validate_bappeda":
        return ValidateForm(data, usulan=usulan, prefix=prefix)
    if step == "accept":
        return AcceptForm(data, current=latest_recommendation(usulan, recommendations), usulan=usulan, prefix=prefix)
    if step == "adopt":
        return AdoptForm(data, rows=renja_rows_for(principal, usulan), prefix=prefix)
    if step in REASON_STEPS:
        return ReasonForm(data, prefix=prefix)
    return NoteForm(data, prefix=prefix)


def run_step(step, principal, usulan, form):
    data = form.cleaned_data
    note = data.get("note", "")
    if step == "submit":
        return services.submit_usulan(principal, usulan, note=note)
    if step == "route":
        return services.route_usulan(principal, usulan, data["perangkat_daerah"], **form.service_kwargs())
    if step == "accept":
        return services.accept_usulan(principal, usulan, volume=data["volume"], cost=data["cost"], note=note,
                                      reason=data["reason"], priority=data["priority"])
    if step == "adopt":
        return services.adopt_usulan(principal, usulan, data["renja_row"], note=note)
    if step == "validate_bappeda":
        return pokir.validate_by_bappeda(principal, usulan, data["perangkat_daerah"], note=note)
    if step in ("agree", "carry_over", "verify_setwan"):
        call = {"agree": services.agree_usulan, "carry_over": services.carry_over, "verify_setwan": pokir.verify_by_setwan}[step]
        return call(principal, usulan, note=note)
    call = {
        "return": services.return_usulan, "reject_kecamatan": services.reject_at_kecamatan, "postpone": services.postpone_usulan,
        "reject_opd": services.reject_at_opd, "not_funded": services.mark_not_funded,
        "return_setwan": pokir.return_by_setwan, "reject_setwan": pokir.reject_by_setwan, "reject_bappeda": pokir.reject_by_bappeda,
    }[step]
    return call(principal, usulan, data["reason"], note=note)


def ui_steps(principal, usulan):
    """The steps to offer (accepting with changes is the accept form with other values)."""
    steps = [s for s in services.available_steps(principal, usulan) if s != "accept_changed"]
    if "accept_changed" in services.available_steps(principal, usulan) and "accept" not in steps:
        steps.append("accept")
    return [s for s in STEP_UI if s in steps]


class UsulanDetailView(MusrenbangPageView):
    """Proposed against recommended values per level, the timeline, attachments, and the forms of
    the steps the role may take now (a POST to a step's URL re-renders this page on refusal)."""

    template_name = "musrenbang/admin/detail.html"
    header_icon = "doc-full"

    def get_page_title(self):
        return f"Usulan {self.usulan.tracking_code}"

    def get_page_subtitle(self):
        return self.usulan.solution[:80]

    def get_crumbs(self):
        return [("Usulan Musrenbang", list_url())]

    def get_header_buttons(self):
        buttons = [HeaderButton("Tanda terima", url=reverse("musrenbang:receipt", args=[self.usulan.pk]), icon_name="doc-full", attrs={"target": "_blank"})]
        if policy.can(self.principal, "change", self.usulan) and self.usulan.status in services.EDITABLE:
            buttons.insert(0, HeaderButton("Ubah", url=reverse("musrenbang:edit", args=[self.usulan.pk]), icon_name="edit"))
        return buttons

    def load(self, pk):
        self.usulan = get_visible_usulan(self.principal, pk, DETAIL_RELATED)
        self.recommendations = list(self.usulan.recommendations.select_related("actor"))

    def get(self, request, pk):
        self.load(pk)
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, bound_step=None, bound_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        usulan, principal = self.usulan, self.principal
        levels = {r.level: r for r in self.recommendations}
        values = [{"label": "Usulan desa/kelurahan (diajukan)", "volume": number(usulan.volume), "cost": rupiah(usulan.estimated_cost), "note": "", "who": "", "at": when(usulan.created_at)}]
        for level in Level:
            rec = levels.get(level)
            if rec:
                values.append({
                    "label": f"Rekomendasi {level.label.lower()}", "volume": number(rec.volume), "cost": rupiah(rec.cost),
                    "note": rec.note, "who": str(rec.actor or ""), "at": when(rec.at),
                    "changed": (rec.volume, rec.cost) != (usulan.volume, usulan.estimated_cost),
                })
        events = [
            {
                "at": when(e.at), "label": EVENT_LABELS.get(e.action, e.action), "status": e.get_to_status_display(),
                "actor": e.actor_label, "reason": e.public_reason, "note": e.note,
            }
            for e in usulan.events.all()
        ]
        steps = []
        for step in ui_steps(principal, usulan):
            ui = step_ui(step, usulan)
            form = bound_form if step == bound_step else step_form(step, principal, usulan, self.recommendations)
            steps.append({"step": step, "ui": ui, "form": form, "url": reverse("musrenbang:action", args=[usulan.pk, ui.slug]), "open": step == bound_step})
        level = services.STEPS[ui_steps(principal, usulan)[0]].level if steps else None
        if services.is_pokir(usulan):  # a pokir has only its entry deadline, for everyone (the desa level is its submission)
            lock = season.pokir_lock_reason(usulan.year) if level == Level.DESA else None
        else:
            lock = services.schedule_lock_reason(usulan.year, level) if level and principal.role != Role.BAPPEDA_ADMIN else None
        carried_to = Usulan.objects.filter(carried_from=usulan).only("pk", "tracking_code", "year").first() if usulan.status == Status.CARRIED_OVER else None
        context.update(
            usulan=usulan, badge=status_badge(usulan), values=values, events=events, steps=steps, lock=lock,
            unit_of_satuan=usulan.satuan.name, attachments=list(usulan.attachments.all()), carried_to=carried_to,
            can_change=policy.can(principal, "change", usulan) and usulan.status in services.EDITABLE,
            cost=rupiah(usulan.estimated_cost), volume=number(usulan.volume),
            kamus_price=rupiah(usulan.kamus.unit_price) if usulan.kamus else "",
        )
        return context


class UsulanActionView(UsulanDetailView):
    """POST one step: the service decides; a refusal is shown on the form's field or on top."""

    http_method_names = ["post"]

    def post(self, request, pk, slug):
        step = SLUG_STEPS.get(slug)
        if step is None:
            raise Http404
        self.load(pk)
        if not services.may_take(self.principal, self.usulan, step):
            raise PermissionDenied(f"Anda tidak berwenang {services.STEP_NAMES[step]} usulan {self.usulan.tracking_code}.")
        form = step_form(step, self.principal, self.usulan, self.recommendations, request.POST)
        if form.is_valid():
            try:
                result = run_step(step, self.principal, self.usulan, form)
            except ValidationError as error:
                apply_service_error(form, error, {"target_perangkat_daerah": "perangkat_daerah"})
            else:
                messages.success(request, step_ui(step, self.usulan).done.format(code=self.usulan.tracking_code))
                if step == "carry_over":
                    messages.info(request, f"Usulan lanjutan tahun {result.year}: {result.tracking_code}.", buttons=[messages.button(detail_url(result), "Lihat")])
                return redirect(detail_url(self.usulan))
        messages.error(request, "Tindakan tidak dapat dilakukan; periksa isian di bawah.")
        return self.render_to_response(self.get_context_data(bound_step=step, bound_form=form))


class ReceiptView(MusrenbangAccessMixin, TemplateView):
    """A printable receipt with the tracking code (what the village gives the proposer)."""

    template_name = "musrenbang/admin/receipt.html"

    def get_context_data(self, pk, **kwargs):
        context = super().get_context_data(**kwargs)
        from django.conf import settings

        usulan = get_visible_usulan(self.principal, pk)
        context.update(
            usulan=usulan, region_name=settings.REGION_NAME, volume=number(usulan.volume), cost=rupiah(usulan.estimated_cost),
            created=when(usulan.created_at), printed=when(timezone.now()), detail_url=detail_url(usulan),
        )
        return context


class AttachmentView(MusrenbangAccessMixin, View):
    """An attachment, for whoever may see its proposal (media are not served publicly)."""

    def get(self, request, pk, attachment_pk):
        usulan = get_visible_usulan(self.principal, pk)
        attachment = get_object_or_404(Attachment, pk=attachment_pk, usulan=usulan)
        name = PurePosixPath(attachment.file.name).name
        return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type, filename=name,
                            as_attachment=attachment.kind != Attachment.Kind.PHOTO)


# ------------------------------------------------------------------------------------------------
# The village's form


def pokir_add_url():
    return reverse("musrenbang:add") + "?jenis=pokir"


class UsulanFormView(MusrenbangPageView):
    """Create (a village operator for its desa, a legislator its own pokir, Setwan a pokir for any
    legislator, Bappeda's admin either) or edit a draft or a returned proposal; attachments go one by
    one through the service, and a refused one is shown on its field while the proposal and the
    accepted files are kept."""

    template_name = "musrenbang/admin/form.html"
    header_icon = "form"
    usulan = None

    def get_crumbs(self):
        crumbs = [("Usulan Musrenbang", list_url())]
        if self.usulan is not None:
            crumbs.append((self.usulan.tracking_code, detail_url(self.usulan)))
        return crumbs

    def get_page_title(self):
        if self.usulan:
            return f"Ubah usulan {self.usulan.tracking_code}"
        return "Pokir baru" if self.is_pokir_form else "Usulan baru"

    @cached_property
    def fixed_desa(self):
        if self.principal.role == Role.DESA_OPERATOR:
            return Wilayah.objects.select_related("parent").defer("boundary", "parent__boundary").get(pk=self.principal.wilayah_id)
        return None

    @cached_property
    def anggota(self):
        """The legislator of the pokir being written: the edited pokir's, or the DPRD login's own."""
        if self.usulan is not None:
            return self.usulan.anggota_dprd if services.is_pokir(self.usulan) else None
        if self.principal.role == Role.ANGGOTA_DPRD:
            return AnggotaDprd.objects.get(pk=self.principal.anggota_dprd_id)
        return None

    @cached_property
    def chooses_anggota(self):
        """A new pokir typed in for a legislator: by Setwan (which enters nothing else), or by
        Bappeda's admin from the "Tambah pokir DPRD" button."""
        if self.usulan is not None:
            return False
        return self.principal.role == Role.SETWAN_VERIFIER or (
            self.principal.role == Role.BAPPEDA_ADMIN and self.request.GET.get("jenis") == "pokir")

    @property
    def is_pokir_form(self):
        return self.anggota is not None or self.chooses_anggota

    def form_year(self, data):
        """The year whose kamus the form offers: the proposal's, or the one being typed."""
        if self.usulan is not None:
            return self.usulan.year
        typed = (data or {}).get("year", "")
        return int(typed) if typed.isdigit() and 2000 <= int(typed) <= 2100 else default_year()

    def get_form(self, data=None, files=None):
        year = self.form_year(data)
        kwargs = {"fixed_desa": self.fixed_desa, "anggota": self.anggota,
                  "kamus_items": kamus_for(self.principal, year, active_only=True).order_by("perangkat_daerah__code", "name")}
        if self.chooses_anggota:
            kwargs["anggota_choices"] = AnggotaDprd.objects.filter(period_start__lte=year, period_end__gte=year)
        if self.usulan is None:
            kwargs["initial"] = {"year": year}
        else:
            kwargs.update(instance=self.usulan, photo_count=self.usulan.attachments.filter(kind=Attachment.Kind.PHOTO).count())
        return UsulanForm(data, files, **kwargs)

    def check_access(self, pk):
        if pk is None:
            if not policy.can_create_any(self.principal, Usulan):
                raise PermissionDenied("Hanya operator desa/kelurahan, anggota DPRD, Sekretariat DPRD dan admin Bappeda yang menambah usulan.")
            if self.principal.role == Role.ANGGOTA_DPRD and self.principal.anggota_dprd_id is None:
                raise PermissionDenied("Akun Anda belum terhubung dengan data anggota DPRD; hubungi Sekretariat DPRD.")
            return None
        self.usulan = get_visible_usulan(self.principal, pk)
        if not policy.can(self.principal, "change", self.usulan):
            raise PermissionDenied("Anda tidak berwenang mengubah usulan ini.")
        if self.usulan.status not in services.EDITABLE:
            messages.error(self.request, f"Usulan {self.usulan.tracking_code} berstatus {self.usulan.get_status_display().lower()}: hanya draf atau yang dikembalikan yang dapat diubah.")
            return redirect(detail_url(self.usulan))
        return None

    def get(self, request, pk=None):
        refused = self.check_access(pk)
        if refused:
            return refused
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, pk=None):
        refused = self.check_access(pk)
        if refused:
            return refused
        form = self.get_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            if self.usulan is None:
                usulan = services.create_usulan(self.principal, form.to_input())
            else:
                usulan = services.update_usulan(self.principal, self.usulan, form.to_input())
        except ValidationError as error:
            apply_service_error(form, error)
            return self.render_to_response(self.get_context_data(form=form))
        created = self.usulan is None
        self.usulan = usulan
        attached, refused_files = self.attach(form)
        if refused_files:
            messages.warning(request, f"Usulan {usulan.tracking_code} disimpan, tetapi {refused_files} lampiran ditolak; perbaiki di bawah.")
            form = self.get_form(request.POST)  # the saved values, now as an edit of the proposal
            form.is_valid()
            for name, error in self._attachment_errors:
                apply_service_error(form, error, {"file": name})
            return self.render_to_response(self.get_context_data(form=form))
        if created:
            where = "Sekretariat DPRD" if services.is_pokir(usulan) else "kecamatan"
            messages.success(request, f"Usulan disimpan sebagai draf dengan kode lacak {usulan.tracking_code}. Ajukan ke {where} bila sudah lengkap.",
                             buttons=[messages.button(reverse("musrenbang:receipt", args=[usulan.pk]), "Cetak tanda terima", new_window=True)])
        else:
            messages.success(request, f"Usulan {usulan.tracking_code} disimpan.")
        return redirect(detail_url(usulan))

    def attach(self, form):
        self._attachment_errors = []
        attached = 0
        for name, kind, upload in form.uploads():
            try:
                with transaction.atomic():
                    services.add_attachment(self.principal, self.usulan, kind, upload)
            except ValidationError as error:
                self._attachment_errors.append((name, error))
            else:
                attached += 1
        return attached, len(self._attachment_errors)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            usulan=self.usulan, fixed_desa=self.fixed_desa, anggota=self.anggota,
            lock=season.pokir_lock_reason(self.form_year(self.request.POST)) if self.is_pokir_form else None,
            attachments=list(self.usulan.attachments.all()) if self.usulan else [],
            action_url=(reverse("musrenbang:edit", args=[self.usulan.pk]) if self.usulan
                        else pokir_add_url() if self.chooses_anggota else reverse("musrenbang:add")),
            cancel_url=detail_url(self.usulan) if self.usulan else list_url(),
        )
        return context


# ------------------------------------------------------------------------------------------------
# Ranking at the kecamatan


class RankingView(MusrenbangPageView):
    """The kecamatan's incoming proposals of one year, in its order (drag or type numbers), saved
    with `rank_at_kecamatan`; from here each one is routed, returned or rejected on its page."""

    allowed_roles = {Role.KECAMATAN_OPERATOR, Role.BAPPEDA_ADMIN}
    template_name = "musrenbang/admin/ranking.html"
    page_title = "Peringkat kecamatan"
    header_icon = "order"
    RANKABLE = (Status.SUBMITTED, Status.ROUTED)

    def get_page_subtitle(self):
        return f"Kecamatan {self.kecamatan.name} {self.year or ''}".strip() if self.kecamatan else ""

    def setup_scope(self, params):
        from .forms import region_kecamatan

        if self.principal.role == Role.KECAMATAN_OPERATOR:
            self.kecamatan = Wilayah.objects.defer("boundary").get(pk=self.principal.wilayah_id)
            self.kecamatan_choices = []
        else:
            self.kecamatan_choices = list(region_kecamatan())
            chosen = params.get("kecamatan", "")
            self.kecamatan = next((k for k in self.kecamatan_choices if str(k.pk) == chosen), None)
        base = visible(self.principal).filter(status__in=self.RANKABLE)
        self.years = list(base.filter(kecamatan=self.kecamatan).order_by("-year").values_list("year", flat=True).distinct()) if self.kecamatan else []
        year = params.get("tahun", "")
        self.year = int(year) if year.isdigit() and int(year) in self.years else (self.years[0] if self.years else None)
        self.items = list(
            base.filter(kecamatan=self.kecamatan, year=self.year).select_related(*LIST_RELATED).defer(*NO_BOUNDARIES)
            .order_by(F("priority_kecamatan").asc(nulls_last=True), "desa__code", "priority_desa", "id")
        ) if self.kecamatan and self.year else []

    def get(self, request):
        self.setup_scope(request.GET)
        return self.render_to_response(self.get_context_data(form=RankForm(items=self.items)))

    def post(self, request):
        self.setup_scope(request.POST)
        form = RankForm(request.POST, items=self.items)
        if form.is_valid() and self.items:
            try:
                services.rank_at_kecamatan(self.principal, self.kecamatan, form.ordered())
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, f"Peringkat {len(self.items)} usulan Kecamatan {self.kecamatan.name} {self.year} disimpan.")
                return redirect(f"{reverse('musrenbang_ranking:index')}?{urlencode({'kecamatan': self.kecamatan.pk, 'tahun': self.year})}")
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        lock = services.schedule_lock_reason(self.year, Level.KECAMATAN) if self.year and self.principal.role != Role.BAPPEDA_ADMIN else None
        context.update(
            kecamatan=self.kecamatan, kecamatan_choices=self.kecamatan_choices, years=self.years, year=self.year, lock=lock,
            rows=[{"usulan": u, "field": field, "badge": status_badge(u), "volume": number(u.volume), "cost": rupiah(u.estimated_cost)} for u, field in form.rows()],
        )
        return context


# ------------------------------------------------------------------------------------------------
# Schedules


SCHEDULE_READERS = BAPPEDA_ROLES | OPD_ROLES


class ScheduleIndexView(MusrenbangPageView):
    allowed_roles = SCHEDULE_READERS
    template_name = "musrenbang/admin/schedules.html"
    page_title = "Jadwal Musrenbang"
    header_icon = "calendar-alt"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        schedules = policy.scope(self.principal, MusrenbangSchedule.objects.all(), "view").order_by("-year", "opens_at")
        now = timezone.now()
        years = OrderedDict()
        for s in schedules:
            state = "dibuka" if s.opens_at <= now < s.closes_at else ("ditutup" if s.closes_at <= now else "belum dibuka")
            years.setdefault(s.year, []).append({"level": s.get_level_display(), "opens": when(s.opens_at), "closes": when(s.closes_at), "state": state})
        can_edit = policy.can(self.principal, "change", MusrenbangSchedule())
        context.update(years=years, can_edit=can_edit, year_form=ScheduleYearForm(initial={"year": default_year()}) if can_edit else None)
        return context


class ScheduleEditView(MusrenbangPageView):
    """The four windows of one year in one form (Bappeda's admin)."""

    allowed_roles = {Role.BAPPEDA_ADMIN}
    template_name = "musrenbang/admin/schedule_form.html"
    header_icon = "calendar-alt"

    def get_page_title(self):
        return f"Jadwal Musrenbang {self.year}"

    def get_crumbs(self):
        return [("Jadwal Musrenbang", reverse("musrenbang_schedule:index"))]

    def dispatch(self, request, *args, **kwargs):
        self.year = kwargs.get("year")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, year=None):
        if year is None:  # the "other year" form of the list page
            form = ScheduleYearForm(request.GET)
            if not form.is_valid():
                messages.error(request, "Isi tahun rencana antara 2000 dan 2100.")
                return redirect("musrenbang_schedule:index")
            return redirect("musrenbang_schedule:edit", year=form.cleaned_data["year"])
        if not 2000 <= year <= 2100:
            raise Http404
        return self.render_to_response(self.get_context_data(form=self.form()))

    def form(self, data=None):
        return ScheduleForm(data, year=self.year, schedules=MusrenbangSchedule.objects.filter(year=self.year))

    def post(self, request, year):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    self.save(form)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, f"Jadwal musrenbang {year} disimpan.")
                for warning in season.schedule_warnings(year):
                    messages.warning(request, warning)
                return redirect("musrenbang_schedule:index")
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        """With what the dates break of the pokir rule: as typed on a refused form, else as stored."""
        context = super().get_context_data(**kwargs)
        form = context["form"]
        typed = {level: window for level, window in form.windows().items() if window} if form.is_bound and form.is_valid() else None
        context["warnings"] = season.schedule_warnings(self.year, typed)
        return context

    def save(self, form):
        existing = {s.level: s for s in MusrenbangSchedule.objects.select_for_update().filter(year=self.year)}
        user = self.request.user
        for level, window in form.windows().items():
            schedule = existing.get(level)
            if window is None:
                if schedule is not None:
                    log(instance=schedule, action="wagtail.delete", user=user)
                    schedule.delete()
                continue
            if schedule is not None and (schedule.opens_at, schedule.closes_at) == window:
                continue
            action = "wagtail.edit" if schedule is not None else "wagtail.create"
            schedule = schedule or MusrenbangSchedule(year=self.year, level=level)
            policy.require(self.principal, "change", schedule)
            schedule.opens_at, schedule.closes_at = window
            schedule.full_clean()
            schedule.save()
            log(instance=schedule, action=action, user=user)


# ------------------------------------------------------------------------------------------------
# Import: the reference "Impor Data" views with this flow


@dataclass(frozen=True)
class UsulanImportKind:
    key: str = "usulan"
    label: str = "Usulan musrenbang"


USULAN_IMPORT = UsulanImportKind()


class UsulanImportFlow(ImportFlow):
    """Upload a village's sheet of proposals, see what would be imported and what refused (row,
    reason, rupiah), then import it (as Bappeda's admin: `import_usulan` creates through the
    services, and a re-import creates nothing twice)."""

    namespace = "musrenbang_import"
    page_title = "Impor Usulan"
    form_class = UsulanImportForm
    form_template_name = "musrenbang/admin/import_form.html"
    detail_template_name = "musrenbang/admin/import_detail.html"
    REFUSED_PER_PAGE = 100
    WARNINGS_SHOWN = 200

    def kinds(self, user):
        return [USULAN_IMPORT] if policy.principal_for_user(user).role == Role.BAPPEDA_ADMIN else []

    def kind(self, key):
        if key != USULAN_IMPORT.key:
            raise Http404
        return USULAN_IMPORT

    def kind_key(self, form):
        return USULAN_IMPORT.key

    def run(self, staged, *, dry_run, request):
        (source,) = staged.files("source")
        options = staged.state["options"]
        desa = Wilayah.objects.select_related("parent").filter(pk=options["desa"]).first() if options.get("desa") else None
        return import_usulan(source, year=options["year"], principal=policy.principal_for_user(request.user), desa=desa,
                             dry_run=dry_run, name=source.name)

    def serialize(self, report):
        return {
            "summary": report.summary_lines(),
            "has_changes": report.created > 0,
            "rows_read": report.rows_read,
            "created": report.created,
            "existing": report.existing,
            "by_status": [[Status(status).label, n] for status, n in sorted(report.by_status.items())],
            "refused": [[issue.row, issue.field, issue.message, str(cost)] for issue, cost in report.refused],
            "warnings": [[w.row, w.field, w.message] for w in report.warnings],
            "totals": [str(report.sheet_total), str(report.imported_total), str(report.refused_total)],
        }

    def detail_context(self, view, state):
        options = state["options"]
        desa = Wilayah.objects.filter(pk=options.get("desa")).only("name").first() if options.get("desa") else None
        context = {"options": {"year": options["year"], "desa": desa.name if desa else ""}}
        report = state.get("report")
        if report:
            refused = [(row, column, message, rupiah(Decimal(cost))) for row, column, message, cost in report["refused"]]
            sheet, imported, refused_total = (rupiah(Decimal(v)) for v in report["totals"])
            context.update(
                summary=report["summary"], has_changes=report["has_changes"], created=report["created"], existing=report["existing"],
                rows_read=report["rows_read"], by_status=report["by_status"], totals={"sheet": sheet, "imported": imported, "refused": refused_total},
                refused_page=Paginator(refused, self.REFUSED_PER_PAGE).get_page(view.request.GET.get("p")), refused_count=len(refused),
                warnings=report["warnings"][: self.WARNINGS_SHOWN], warning_count=len(report["warnings"]),
            )
        if state["status"] == "done":
            context["listing_url"] = list_url(tahun=options["year"])
        return context

    def finish(self, staged, report, request):
        return f"Impor selesai: {report.created} usulan baru, {report.existing} sudah ada, {len(report.refused)} baris ditolak."


# ------------------------------------------------------------------------------------------------
# Viewsets and the menu


def role_menu_item(roles=None):
    class RoleMenuItem(MenuItem):
        def is_shown(self, request):
            role = principal_of(request).role
            return role is not None and (roles is None or role in roles)

    return RoleMenuItem


class UsulanViewSet(ViewSet):
    name = "musrenbang"
    url_prefix = "musrenbang/usulan"
    menu_label = "Usulan"
    icon = "list-ul"
    menu_item_class = role_menu_item()

    def get_urlpatterns(self):
        return [
            path("", UsulanIndexView.as_view(), name="index"),
            path("tambah/", UsulanFormView.as_view(), name="add"),
            path("ekspor/", UsulanExportView.as_view(), name="export"),
            path("<int:pk>/", UsulanDetailView.as_view(), name="detail"),
            path("<int:pk>/ubah/", UsulanFormView.as_view(), name="edit"),
            path("<int:pk>/tanda-terima/", ReceiptView.as_view(), name="receipt"),
            path("<int:pk>/aksi/<slug:slug>/", UsulanActionView.as_view(), name="action"),
            path("<int:pk>/lampiran/<int:attachment_pk>/", AttachmentView.as_view(), name="attachment"),
        ]


class RankingViewSet(ViewSet):
    name = "musrenbang_ranking"
    url_prefix = "musrenbang/peringkat"
    menu_label = "Peringkat kecamatan"
    icon = "order"
    menu_item_class = role_menu_item(RankingView.allowed_roles)

    def get_urlpatterns(self):
        return [path("", RankingView.as_view(), name="index")]


class ScheduleViewSet(ViewSet):
    name = "musrenbang_schedule"
    url_prefix = "musrenbang/jadwal"
    menu_label = "Jadwal"
    icon = "calendar-alt"
    menu_item_class = role_menu_item(SCHEDULE_READERS)

    def get_urlpatterns(self):
        return [
            path("", ScheduleIndexView.as_view(), name="index"),
            path("tahun/", ScheduleEditView.as_view(), name="year"),
            path("<int:year>/", ScheduleEditView.as_view(), name="edit"),
        ]


class UsulanImportViewSet(ImportViewSet):
    name = "musrenbang_import"
    url_prefix = "musrenbang/impor"
    menu_label = "Impor usulan"
    flow = UsulanImportFlow()


from .admin_season import SEASON_VIEWSETS  # noqa: E402  (built on the base views above)
from .admin_forums import FORUM_VIEWSETS  # noqa: E402  (built on the base views above)


class MusrenbangViewSetGroup(ViewSetGroup):
    menu_label = "Musrenbang"
    menu_name = "musrenbang"
    menu_icon = "group"
    menu_order = 400
    items = (UsulanViewSet, RankingViewSet, ScheduleViewSet, UsulanImportViewSet, *SEASON_VIEWSETS, *FORUM_VIEWSETS)
