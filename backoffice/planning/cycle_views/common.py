"""What every annual-cycle admin view shares: who acts (the access principal), which plans they
see, how a service's refusal becomes a message, the cycle year, and the URLs of the plan pages."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from backoffice.access import policy
from backoffice.access.models import BAPPEDA_ROLES, OPD_ROLES, Role

from ..models import PlanStatus, Renja, Renstra, Stage

CYCLE_ROLES = BAPPEDA_ROLES | OPD_ROLES
MENU_GROUP_LABEL = "Tahapan & Monev"

STATUS_CLASSES = {
    PlanStatus.DRAFT: "",
    PlanStatus.SUBMITTED: "w-status--primary",
    PlanStatus.RETURNED: "w-status--label",
    PlanStatus.VERIFIED: "w-status--primary",
    PlanStatus.SET: "w-status--primary",
}


def principal_of(request):
    if not hasattr(request, "_cycle_principal"):
        request._cycle_principal = policy.principal_for_user(request.user)
    return request._cycle_principal


def takes_part(principal):
    """Whether this principal works in the annual cycle at all (Bappeda and the departments)."""
    return principal.role in CYCLE_ROLES


def is_admin(principal):
    return principal.role == Role.BAPPEDA_ADMIN


def is_verifier(principal):
    return principal.role in BAPPEDA_ROLES


def is_opd(principal):
    return principal.role in OPD_ROLES


def service_messages(error):
    """The Indonesian messages of a service's refusal, as a flat list."""
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error) or "Anda tidak berwenang melakukan tindakan ini."]


def apply_service_error(form, error):
    """Put a service's refusal on a form: on the field it names when the form has it, else on top."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in service_messages(error):
            form.add_error(None, message)


def when(moment):
    return formats.date_format(timezone.localtime(moment), "j F Y H:i") if moment else ""


def current_cycle_year(at=None):
    """The plan year the cycle is working on: the year of a stage open now, else of the next stage
    to close, else of the last stage defined; without any stage, next year (plans are made a year ahead)."""
    at = at or timezone.now()
    open_now = Stage.objects.filter(opens_at__lte=at, closes_at__gt=at).order_by("closes_at").values_list("year", flat=True).first()
    if open_now:
        return open_now
    upcoming = Stage.objects.filter(closes_at__gt=at).order_by("closes_at").values_list("year", flat=True).first()
    if upcoming:
        return upcoming
    last = Stage.objects.order_by("-year").values_list("year", flat=True).first()
    return last or timezone.localtime(at).year + 1


def parse_year(value, default=None):
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default if default is not None else current_cycle_year()
    return year if 2000 <= year <= 2100 else (default if default is not None else current_cycle_year())


# ------------------------------------------------------------------------------------------------
# Plans (Renja or Renstra) and their pages

PLAN_MODELS = {"renja": Renja, "renstra": Renstra}


def plan_kind(plan):
    return "renja" if isinstance(plan, Renja) else "renstra"


def plan_url(plan):
    """The annual-cycle page of a plan: its status, the actions allowed, its verification history."""
    return reverse(f"cycle_verification:{plan_kind(plan)}", args=[plan.pk])


def plan_action_url(plan, action):
    return reverse(f"cycle_verification:{plan_kind(plan)}_action", args=[plan.pk, action])


def plan_year_label(plan):
    if isinstance(plan, Renja):
        return str(plan.year)
    return f"{plan.period.start_year}-{plan.period.end_year}"


def get_visible_plan(principal, kind, pk):
    """The plan if the principal may see it (404 otherwise: a draft of another department is not
    even said to exist)."""
    model = PLAN_MODELS[kind]
    queryset = policy.scope(principal, model.objects.select_related("perangkat_daerah", *(["period"] if kind == "renstra" else [])))
    return get_object_or_404(queryset, pk=pk)


def own_unit_filter(principal):
    """Departments' staff work on their own department's plans in these pages."""
    return {"perangkat_daerah_id": principal.perangkat_daerah_id} if is_opd(principal) else {}


# ------------------------------------------------------------------------------------------------
# Views and menu items


class CycleAccessMixin:
    """Only Bappeda and department staff reach the annual-cycle pages; each page then shows only
    what the access policy lets the principal see."""

    def dispatch(self, request, *args, **kwargs):
        self.principal = principal_of(request)
        if not takes_part(self.principal):
            raise PermissionDenied("Halaman ini hanya untuk Bappeda dan perangkat daerah.")
        return super().dispatch(request, *args, **kwargs)


class CyclePageView(CycleAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "calendar-alt"
    parent_crumbs = ()  # (label, url name) between the home page and this page

    def get_breadcrumbs_items(self):
        crumbs = [{"url": reverse(name), "label": label} for label, name in self.parent_crumbs]
        return self.breadcrumbs_items + crumbs + [{"url": "", "label": self.get_page_title()}]

    @cached_property
    def is_admin(self):
        return is_admin(self.principal)

    @cached_property
    def is_verifier(self):
        return is_verifier(self.principal)

    @cached_property
    def is_opd(self):
        return is_opd(self.principal)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(principal=self.principal, is_admin=self.is_admin, is_verifier=self.is_verifier, is_opd=self.is_opd)
        return context


class CycleMenuItem(MenuItem):
    def is_shown(self, request):
        return takes_part(principal_of(request))


def email_notifications_enabled():
    """E-mail about returned and submitted items is off unless PLANNING_EMAIL_NOTIFICATIONS is set."""
    return bool(getattr(settings, "PLANNING_EMAIL_NOTIFICATIONS", False))
