"""Tahapan (stages) and Jadwal Pelaporan Triwulan (reporting windows): Bappeda's admin defines them
per year with plain model forms; everyone in the cycle reads them. Reopening a stage for one
department goes through `services.reopen_stage` (reason required, logged)."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.views import generic
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.widgets import Button
from wagtail.permission_policies.base import BasePermissionPolicy

from backoffice.access import policy
from backoffice.access.models import Role

from .. import services
from ..cycle_forms import ReopenForm
from ..models import ReportingWindow, Stage, StageReopening
from .common import CycleMenuItem, CyclePageView, apply_service_error, principal_of, service_messages, takes_part, when


class CycleSchedulePermissionPolicy(BasePermissionPolicy):
    """Stages and reporting windows, as the access policy says: Bappeda's admin writes them,
    Bappeda and the departments read them."""

    def user_has_permission(self, user, action):
        principal = principal_of_user(user)
        if action == "view":
            return takes_part(principal)
        return policy.can_create_any(principal, self.model) if action == "add" else principal.role == Role.BAPPEDA_ADMIN

    def user_has_permission_for_instance(self, user, action, instance):
        principal = principal_of_user(user)
        return takes_part(principal) and policy.can(principal, action, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        principal = principal_of_user(user)
        queryset = self.model._default_manager.all()
        if not takes_part(principal):
            return queryset.none()
        return policy.scope(principal, queryset, "view" if "view" in actions else actions[0])

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        admins = Q(is_superuser=True) | Q(access_profile__role=Role.BAPPEDA_ADMIN)
        if "view" in actions:
            return users.filter(admins | Q(access_profile__isnull=False)).exclude(access_profile__role__in=["kecamatan_operator", "desa_operator"])
        return users.filter(admins)


def principal_of_user(user):
    return policy.principal_for_user(user)


# ------------------------------------------------------------------------------------------------
# Tahapan


def stage_state(stage, at=None):
    at = at or timezone.now()
    if stage.is_open(at):
        return "Dibuka"
    if at < stage.opens_at:
        return "Belum dibuka"
    return "Ditutup" + (" dan direkam" if stage.closed_at else "")


class StageStateColumn(Column):
    def get_value(self, instance):
        return stage_state(instance)


class StageIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if principal_of(self.request).role == Role.BAPPEDA_ADMIN:
            buttons.append(MenuItem(
                "Buka ulang untuk satu perangkat daerah", url=reverse("cycle_stage:reopen", args=[instance.pk]), icon_name="lock-open", priority=30,
            ))
        return buttons


class ScheduleInspectView(generic.InspectView):
    """Times in the region's time zone as "j F Y H:i", yes/no in Indonesian."""

    def get_field_display_value(self, field_name, field):
        value = getattr(self.object, field_name, None)
        if isinstance(value, datetime):
            return when(value)
        if isinstance(value, bool):
            return "Ya" if value else "Tidak"
        if value is None:
            return "-"
        return super().get_field_display_value(field_name, field)


class StageInspectView(ScheduleInspectView):
    template_name = "planning/cycle/stage_inspect.html"

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if principal_of(self.request).role == Role.BAPPEDA_ADMIN:
            buttons.append(Button("Buka ulang untuk satu perangkat daerah", url=reverse("cycle_stage:reopen", args=[self.object.pk]), icon_name="lock-open", priority=30))
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        principal = principal_of(self.request)
        reopenings = policy.scope(principal, StageReopening.objects.filter(stage=self.object)).select_related("perangkat_daerah", "created_by")
        context.update(
            state=stage_state(self.object),
            reopenings=reopenings[:100],
            snapshot_count=self.object.snapshots.count(),
            when=when,
        )
        return context


class StageViewSet(ModelViewSet):
    model = Stage
    name = "cycle_stage"
    url_prefix = "tahapan-monev/tahapan"
    icon = "calendar-alt"
    menu_label = "Tahapan"
    menu_name = "tahapan"
    menu_item_class = CycleMenuItem
    index_view_class = StageIndexView
    inspect_view_class = StageInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    form_fields = ["year", "kind", "opens_at", "closes_at", "covers_renja", "covers_renstra"]
    list_display = ["kind", "year", "opens_at", "closes_at", StageStateColumn("state", label="Keadaan"), BooleanColumn("covers_renja", label="Renja"), BooleanColumn("covers_renstra", label="Renstra")]
    list_filter = ["year", "kind"]
    ordering = ["-year", "opens_at"]
    inspect_view_fields = ["year", "kind", "opens_at", "closes_at", "covers_renja", "covers_renstra", "closed_at"]

    def get_urlpatterns(self):
        # A stage's snapshots hang from it: stages are corrected, never deleted here.
        patterns = [p for p in super().get_urlpatterns() if p.name != "delete"]
        return patterns + [path("<int:pk>/buka-ulang/", StageReopenView.as_view(), name="reopen")]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(**{"delete_url_name": None, **kwargs})


class StageReopenView(CyclePageView, FormView):
    """Reopen a stage for one department until a time: a POST form calling `reopen_stage`."""

    template_name = "planning/cycle/stage_reopen.html"
    form_class = ReopenForm
    page_title = "Buka ulang tahapan"
    header_icon = "lock-open"

    def dispatch(self, request, *args, **kwargs):
        self.stage = get_object_or_404(Stage, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.stage)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("cycle_stage:index"), "label": "Tahapan"},
            {"url": reverse("cycle_stage:inspect", args=[self.stage.pk]), "label": str(self.stage)},
            {"url": "", "label": self.page_title},
        ]

    def get_initial(self):
        return {"until": timezone.localtime() + timezone.timedelta(days=3)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            stage=self.stage, state=stage_state(self.stage), closes_at=when(self.stage.closes_at),
            action_url=self.request.path, submit_button_label="Buka ulang",
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            reopening = services.reopen_stage(self.principal, self.stage, data["perangkat_daerah"], data["until"], data["reason"])
        except (PermissionDenied, ValidationError) as error:
            apply_service_error(form, error)
            messages.error(self.request, "Tahapan tidak dibuka ulang: " + " ".join(service_messages(error)))
            return self.form_invalid(form)
        messages.success(self.request, f"{self.stage} dibuka ulang untuk {reopening.perangkat_daerah.name} sampai {when(reopening.until)}.")
        return redirect("cycle_stage:inspect", self.stage.pk)


# ------------------------------------------------------------------------------------------------
# Jadwal pelaporan triwulan


class WindowStateColumn(Column):
    def get_value(self, instance):
        now = timezone.now()
        if instance.opens_at <= now < instance.closes_at:
            return "Dibuka"
        return "Belum dibuka" if now < instance.opens_at else "Ditutup"


class ReportingWindowViewSet(ModelViewSet):
    model = ReportingWindow
    name = "cycle_reporting_window"
    url_prefix = "tahapan-monev/jadwal-pelaporan"
    icon = "date"
    menu_label = "Jadwal Pelaporan Triwulan"
    menu_name = "jadwal-pelaporan"
    menu_item_class = CycleMenuItem
    inspect_view_class = ScheduleInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    form_fields = ["year", "triwulan", "opens_at", "closes_at"]
    list_display = ["__str__", "year", "triwulan", "opens_at", "closes_at", WindowStateColumn("state", label="Keadaan")]
    list_filter = ["year"]
    ordering = ["-year", "triwulan"]


SCHEDULE_MODELS = (Stage, ReportingWindow, StageReopening)
