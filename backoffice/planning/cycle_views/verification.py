"""Verifikasi: the queues (a verifier sees what was submitted, Bappeda's admin what awaits
penetapan, a department what was returned to it with the verifier's note), a plan's page (status,
why it is locked, the actions allowed, its verification history), the POST actions calling the
services, and the comparison of a Renja between two stages.

The Renja and Renstra editing pages belong to the "Perencanaan" menu; they show this module's
status badge and buttons with `PlanCyclePanel` / `render_plan_cycle` and link here by URL name."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseNotAllowed
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.views import View
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.components import Component
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.viewsets.base import ViewSet

from backoffice.access import policy

from .. import services
from ..cycle_forms import StageCompareForm
from ..models import PlanStatus, Renja, RenjaSnapshot, Renstra, VerificationEvent
from ..services.cycle import TRANSITIONS
from . import notify
from .common import (
    STATUS_CLASSES,
    CycleAccessMixin,
    CycleMenuItem,
    CyclePageView,
    get_visible_plan,
    is_admin,
    is_opd,
    is_verifier,
    own_unit_filter,
    parse_year,
    plan_action_url,
    plan_kind,
    plan_url,
    plan_year_label,
    principal_of,
    service_messages,
    takes_part,
    when,
)

ACTIONS = {
    "submit": {"label": "Ajukan untuk verifikasi", "done": "{plan} diajukan untuk verifikasi.", "primary": True},
    "verify": {"label": "Verifikasi", "done": "{plan} diverifikasi.", "primary": True},
    "return": {"label": "Kembalikan ke perangkat daerah", "done": "{plan} dikembalikan ke perangkat daerah.", "primary": False, "note_required": True},
    "set": {"label": "Tetapkan", "done": "{plan} ditetapkan dan dipublikasikan.", "primary": True},
}
SERVICES = {"submit": services.submit, "verify": services.verify, "return": services.return_plan, "set": services.set_plan}
QUEUE_LIMIT = 100
PLANS_PER_PAGE = 50


def available_actions(principal, plan):
    """The steps this principal may try on the plan now, as the services decide them (role and
    status); the stage and consistency checks stay with the service, which explains a refusal."""
    names = []
    for action, (sources, _target, who) in TRANSITIONS.items():
        if plan.status not in sources:
            continue
        allowed = {"owner": lambda: policy.can(principal, "change", plan), "verifier": lambda: is_verifier(principal), "admin": lambda: is_admin(principal)}[who]()
        if allowed:
            names.append(action)
    return names


def status_badge(plan):
    return {"label": plan.get_status_display(), "classname": STATUS_CLASSES.get(plan.status, "")}


def last_events(plans, action=None):
    """The latest verification event of each plan (optionally of one action): one query."""
    by_kind = defaultdict(list)
    for plan in plans:
        by_kind[plan_kind(plan)].append(plan.pk)
    if not plans:
        return {}
    events = VerificationEvent.objects.filter(Q(renja_id__in=by_kind["renja"]) | Q(renstra_id__in=by_kind["renstra"]))
    if action:
        events = events.filter(action=action)
    latest = {}
    for event in events.order_by("at", "id"):
        key = ("renja", event.renja_id) if event.renja_id else ("renstra", event.renstra_id)
        latest[key] = event
    return latest


def plan_cycle_context(request, plan, next_url=None):
    """What a plan's status box shows: badge, lock reason, the allowed actions as POST forms
    (returning to `next_url`), and the last note a verifier returned it with."""
    principal = principal_of(request)
    actions = [
        {
            "name": name,
            "url": plan_action_url(plan, name),
            "label": ACTIONS[name]["label"],
            "primary": ACTIONS[name]["primary"],
            "note_required": ACTIONS[name].get("note_required", False),
        }
        for name in available_actions(principal, plan)
    ]
    lock_reason = None
    if plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        lock_reason = services.stage_lock_reason(plan)
    returned = None
    if plan.status == PlanStatus.RETURNED:
        returned = last_events([plan], "return").get((plan_kind(plan), plan.pk))
    return {
        "plan": plan,
        "badge": status_badge(plan),
        "lock_reason": lock_reason,
        "actions": actions,
        "returned": returned,
        "plan_url": plan_url(plan),
        "next_url": next_url if next_url is not None else request.get_full_path(),
        "csrf_token": get_token(request),
        "request": request,
    }


class PlanCyclePanel(Component):
    """The status badge, lock reason and verification buttons of one Renja or Renstra, for any
    admin page: `{% component panel %}` with `panel = PlanCyclePanel(plan)` in the view's context."""

    template_name = "planning/cycle/includes/plan_cycle.html"

    def __init__(self, plan, next_url=None):
        self.plan = plan
        self.next_url = next_url

    def get_context_data(self, parent_context):
        return plan_cycle_context(parent_context["request"], self.plan, self.next_url)


def render_plan_cycle(request, plan, next_url=None):
    """The same box as HTML, for views that build their page in Python."""
    return render_to_string(PlanCyclePanel.template_name, plan_cycle_context(request, plan, next_url), request=request)


# ------------------------------------------------------------------------------------------------
# Queues


def _rows(plans, events):
    return [
        {
            "plan": plan,
            "kind": "Renja" if plan_kind(plan) == "renja" else "Renstra",
            "year": plan_year_label(plan),
            "badge": status_badge(plan),
            "url": plan_url(plan),
            "event": events.get((plan_kind(plan), plan.pk)),
        }
        for plan in plans
    ]


def queue_querysets(principal):
    """(Renja, Renstra) querysets of each queue this principal works on: submitted (verifiers),
    verified awaiting penetapan (Bappeda's admin), returned (the department's own)."""
    renja = policy.scope(principal, Renja.objects.select_related("perangkat_daerah"))
    renstra = policy.scope(principal, Renstra.objects.select_related("perangkat_daerah", "period"))
    queues = {}
    if is_verifier(principal):
        queues["submitted"] = (renja.filter(status=PlanStatus.SUBMITTED), renstra.filter(status=PlanStatus.SUBMITTED))
    if is_admin(principal):
        queues["verified"] = (renja.filter(status=PlanStatus.VERIFIED), renstra.filter(status=PlanStatus.VERIFIED))
    if is_opd(principal):
        own = own_unit_filter(principal)
        queues["returned"] = (renja.filter(status=PlanStatus.RETURNED, **own), renstra.filter(status=PlanStatus.RETURNED, **own))
    return queues


QUEUE_TITLES = {
    "submitted": ("Menunggu verifikasi", "Tidak ada Renja atau Renstra yang menunggu verifikasi."),
    "verified": ("Terverifikasi, menunggu penetapan", "Tidak ada yang menunggu penetapan."),
    "returned": ("Dikembalikan kepada Anda", "Tidak ada Renja atau Renstra yang dikembalikan."),
}


class QueueView(CyclePageView):
    template_name = "planning/cycle/verification_queue.html"
    page_title = "Verifikasi"
    header_icon = "tasks"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        principal = self.principal
        sections = []
        for key, (renja, renstra) in queue_querysets(principal).items():
            plans = list(renja.order_by("year", "perangkat_daerah__code")[:QUEUE_LIMIT]) + list(renstra.order_by("period__start_year", "perangkat_daerah__code")[:QUEUE_LIMIT])
            total = renja.count() + renstra.count() if len(plans) >= QUEUE_LIMIT else len(plans)
            events = last_events(plans, "return" if key == "returned" else None)
            title, empty = QUEUE_TITLES[key]
            sections.append({"key": key, "title": title, "empty": empty, "rows": _rows(plans, events), "total": total, "note_label": "Catatan verifikator" if key == "returned" else "Langkah terakhir"})

        year = parse_year(self.request.GET.get("tahun"))
        own = own_unit_filter(principal)
        renja = policy.scope(principal, Renja.objects.filter(year=year, **own).select_related("perangkat_daerah")).order_by("perangkat_daerah__code")
        page = Paginator(renja, PLANS_PER_PAGE).get_page(self.request.GET.get("p"))
        renstra = policy.scope(principal, Renstra.objects.filter(period__start_year__lte=year, period__end_year__gte=year, **own).select_related("perangkat_daerah", "period")).order_by("perangkat_daerah__code")
        renstra_page = Paginator(renstra, PLANS_PER_PAGE).get_page(self.request.GET.get("ps"))
        context.update(
            sections=sections,
            year=year,
            years=[year - 1, year, year + 1],
            renja_rows=_rows(page.object_list, last_events(page.object_list)),
            renja_page=page,
            renstra_rows=_rows(renstra_page.object_list, last_events(renstra_page.object_list)),
            renstra_page=renstra_page,
            compare_url=reverse("cycle_compare:index"),
        )
        return context


# ------------------------------------------------------------------------------------------------
# A plan's page and its actions


class PlanView(CyclePageView):
    template_name = "planning/cycle/plan_detail.html"
    header_icon = "tasks"
    kind = "renja"
    parent_crumbs = (("Verifikasi", "cycle_verification:index"),)

    def dispatch(self, request, *args, **kwargs):
        if not takes_part(principal_of(request)):
            raise PermissionDenied
        self.plan = get_visible_plan(principal_of(request), self.kind, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.plan)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.plan
        owner = {"renja": plan} if self.kind == "renja" else {"renstra": plan}
        context.update(plan_cycle_context(self.request, plan, next_url=plan_url(plan)))
        context.update(
            kind=self.kind,
            year_label=plan_year_label(plan),
            events=VerificationEvent.objects.filter(**owner).select_related("actor").order_by("at", "id"),
            edit_url=AdminURLFinder(self.request.user).get_edit_url(plan),
            when=when,
        )
        if self.kind == "renja":
            snapshots = list(RenjaSnapshot.objects.filter(renja=plan).select_related("stage").order_by("stage__opens_at"))
            context.update(
                snapshots=snapshots,
                compare_url=f"{reverse('cycle_compare:index')}?renja={plan.pk}" if len(snapshots) >= 2 else "",
                consistency_url=f"{reverse('cycle_consistency:index')}?tahun={plan.year}&perangkat_daerah={plan.perangkat_daerah_id}",
                monev_url=reverse("cycle_monev:renja", args=[plan.pk]) if plan.status == PlanStatus.SET else "",
            )
        return context


class RenstraView(PlanView):
    kind = "renstra"


class PlanActionView(CycleAccessMixin, View):
    """POST: one verification step through the service. A refusal is shown with the service's own
    message and changes nothing; either way the user goes back where they came from."""

    kind = "renja"

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, pk, action):
        plan = get_visible_plan(self.principal, self.kind, pk)
        back = get_valid_next_url_from_request(request) or plan_url(plan)
        if action not in SERVICES:
            messages.error(request, f"Tindakan '{action}' tidak dikenal.")
            return redirect(back)
        note = request.POST.get("note", "")
        try:
            plan = SERVICES[action](self.principal, plan, note)
        except (PermissionDenied, ValidationError) as error:
            problems = service_messages(error)
            messages.error(request, f"{ACTIONS[action]['label']} ditolak: " + " ".join(problems))
            return redirect(back)
        messages.success(request, ACTIONS[action]["done"].format(plan=plan))
        notify.notify(action, str(plan), plan.perangkat_daerah_id, note.strip(), request.build_absolute_uri(plan_url(plan)))
        return redirect(back)


class RenstraActionView(PlanActionView):
    kind = "renstra"


# ------------------------------------------------------------------------------------------------
# Perbandingan tahapan


def _money(value):
    return services.rupiah(Decimal(value)) if value not in (None, "") else "-"


def describe_diff(diff):
    """The stage diff as rows for the page: added and removed rows with their pagu, and each
    change (pagu, pendanaan, targets, lokasi) as before -> after text."""
    changed = []
    for item in diff["changed"]:
        lines = []
        for key, (before, after) in item["changes"].items():
            if key == "pagu":
                lines.append({"what": "Pagu", "before": _money(before), "after": _money(after), "key": key})
            elif key == "pendanaan":
                for source in sorted(set(before) | set(after)):
                    if before.get(source) != after.get(source):
                        lines.append({"what": f"Pagu {source}", "before": _money(before.get(source)), "after": _money(after.get(source)), "key": key})
            elif key == "targets":
                for indicator in sorted(set(before) | set(after)):
                    a, b = before.get(indicator, {}), after.get(indicator, {})
                    if a != b:
                        fmt = lambda d: "; ".join(f"{year}: {value}" for year, value in sorted(d.items())) or "-"  # noqa: E731
                        lines.append({"what": f"Target {indicator}", "before": fmt(a), "after": fmt(b), "key": key})
            elif key == "lokasi":
                lines.append({"what": "Lokasi", "before": ", ".join(before) or "-", "after": ", ".join(after) or "-", "key": key})
        changed.append({"code": item["code"], "name": item["name"], "lines": lines})
    return {
        "added": [{"code": r["code"], "name": r["name"], "pagu": _money(r["pagu"])} for r in diff["added"]],
        "removed": [{"code": r["code"], "name": r["name"], "pagu": _money(r["pagu"])} for r in diff["removed"]],
        "changed": changed,
    }


class StageCompareView(CyclePageView):
    template_name = "planning/cycle/stage_compare.html"
    page_title = "Perbandingan tahapan"
    header_icon = "history"
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        renjas = policy.scope(self.principal, Renja.objects.filter(snapshots__isnull=False, **own_unit_filter(self.principal)).distinct()).select_related("perangkat_daerah").order_by("-year", "perangkat_daerah__code")
        form = StageCompareForm(self.request.GET or None, renjas=renjas)
        result = None
        if form.is_bound and form.is_valid() and form.cleaned_data.get("dari") and form.cleaned_data.get("ke"):
            data = form.cleaned_data
            renja, before, after = data["renja"], data["dari"], data["ke"]
            snapshots = {s.stage_id: s for s in RenjaSnapshot.objects.filter(renja=renja, stage__in=[before, after])}
            diff = services.stage_diff(renja, before, after)
            result = {
                "renja": renja,
                "before": before,
                "after": after,
                "before_total": _money(snapshots[before.pk].total_pagu),
                "after_total": _money(snapshots[after.pk].total_pagu),
                "plan_url": plan_url(renja),
                **describe_diff(diff),
            }
        context.update(form=form, result=result, stages=list(form.fields["dari"].queryset))
        return context


class VerificationViewSet(ViewSet):
    name = "cycle_verification"
    url_prefix = "tahapan-monev/verifikasi"
    menu_label = "Verifikasi"
    menu_name = "verifikasi"
    icon = "tasks"
    menu_item_class = CycleMenuItem

    def get_urlpatterns(self):
        return [
            path("", QueueView.as_view(), name="index"),
            path("renja/<int:pk>/", PlanView.as_view(), name="renja"),
            path("renja/<int:pk>/<slug:action>/", PlanActionView.as_view(), name="renja_action"),
            path("renstra/<int:pk>/", RenstraView.as_view(), name="renstra"),
            path("renstra/<int:pk>/<slug:action>/", RenstraActionView.as_view(), name="renstra_action"),
        ]


class StageCompareViewSet(ViewSet):
    """The comparison, also in the menu (it picks a Renja first)."""

    name = "cycle_compare"
    url_prefix = "tahapan-monev/perbandingan"
    menu_label = "Perbandingan Tahapan"
    menu_name = "perbandingan-tahapan"
    icon = "history"
    menu_item_class = CycleMenuItem

    def get_urlpatterns(self):
        return [path("", StageCompareView.as_view(), name="index")]
