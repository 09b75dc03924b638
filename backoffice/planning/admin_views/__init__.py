"""The Wagtail admin of e-Planning: the "Perencanaan" menu (registered from wagtail_hooks)."""

from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSetGroup

from backoffice.access import policy
from backoffice.access.models import Role

from ..models import Renja
from .base import principal_of
from .plans import ELEMENT_VIEWSETS, PaguCeilingViewSet, PlanningPeriodViewSet, RenstraViewSet, RkpdViewSet
from .plans import LOG_ACTIONS as PLAN_LOG_ACTIONS
from .renja import LOG_ACTIONS as RENJA_LOG_ACTIONS
from .renja import DownloadsViewSet, RenjaImportViewSet, RenjaViewSet, ceiling_lines

LOG_ACTIONS = {**PLAN_LOG_ACTIONS, **RENJA_LOG_ACTIONS}


class PlanningViewSetGroup(ViewSetGroup):
    menu_label = "Perencanaan"
    menu_name = "perencanaan"
    menu_icon = "doc-full-inverse"
    menu_order = 150  # before Data Referensi: the planners' daily work
    items = (
        RenjaViewSet,
        RenstraViewSet,
        PlanningPeriodViewSet,
        RkpdViewSet,
        PaguCeilingViewSet,
        RenjaImportViewSet,
        DownloadsViewSet,
    )


class MyRenjaPanel(Component):
    """Dashboard: the user's own department's Renja of the latest years with their ceiling status."""

    name = "planning_my_renja"
    template_name = "planning/admin/home_panel.html"
    order = 50

    def __init__(self, renjas):
        self.renjas = renjas

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["renja_list"] = [(renja, ceiling_lines(renja)) for renja in self.renjas]
        return context


def construct_homepage_panels(request, panels):
    principal = principal_of(request)
    if principal.role not in (Role.OPD_OPERATOR, Role.OPD_VERIFIER) or not principal.perangkat_daerah_id:
        return
    renjas = list(
        policy.scope(principal, Renja.objects.filter(perangkat_daerah=principal.perangkat_daerah_id))
        .select_related("perangkat_daerah").order_by("-year")[:2]
    )
    panels.append(MyRenjaPanel(renjas))


__all__ = ["ELEMENT_VIEWSETS", "LOG_ACTIONS", "PlanningViewSetGroup", "construct_homepage_panels"]
