"""Admin for the annual cycle (stages, verification, consistency, monitoring): registered from wagtail_hooks.

The "Tahapan & Monev" menu, beside "Perencanaan":
  Tahapan                    cycle_stage:index / add / edit / inspect, cycle_stage:reopen <stage pk>
  Jadwal Pelaporan Triwulan  cycle_reporting_window:index / add / edit / delete / inspect
  Verifikasi                 cycle_verification:index (queues), :renja / :renstra <pk> (status, actions,
                             history), :renja_action / :renstra_action <pk> <submit|verify|return|set> (POST)
  Perbandingan Tahapan       cycle_compare:index ?renja=&dari=&ke=
  Laporan Konsistensi        cycle_consistency:index ?tahun=&perangkat_daerah=, cycle_consistency:xlsx
  Monev Triwulan             cycle_monev:index, :renja <pk>, :report <row pk> <triwulan>,
                             :submit / :accept / :return <realisasi pk> (POST), :e81 ?tahun=, :e80 ?periode=
Dashboard: notifications (returned / submitted items, deadlines within 7 days) and blocking
consistency findings. Other admin pages show a plan's status and buttons with
`backoffice.planning.cycle_views.PlanCyclePanel`.
"""

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import policy_registry, register_permission_policy

from .cycle_views.common import MENU_GROUP_LABEL
from .cycle_views.consistency import ConsistencyViewSet
from .cycle_views.dashboard import homepage_panels
from .cycle_views.monev import MonevViewSet
from .cycle_views.stages import CycleSchedulePermissionPolicy, ReportingWindowViewSet, StageViewSet
from .cycle_views.verification import StageCompareViewSet, VerificationViewSet
from .models import ReportingWindow, Stage

# Before any viewset asks for them (a fallback Django-permission policy would be created otherwise).
for _model in (Stage, ReportingWindow):
    if policy_registry.get_by_type(_model, fallback=False) is None:
        register_permission_policy(_model, CycleSchedulePermissionPolicy(_model), exact_class=True)


class CycleViewSetGroup(ViewSetGroup):
    menu_label = MENU_GROUP_LABEL
    menu_name = "tahapan-monev"
    menu_icon = "calendar-alt"
    menu_order = 320
    items = (StageViewSet, ReportingWindowViewSet, VerificationViewSet, StageCompareViewSet, ConsistencyViewSet, MonevViewSet)


@hooks.register("register_admin_viewset")
def register_cycle_viewsets():
    return CycleViewSetGroup()


@hooks.register("construct_homepage_panels")
def add_cycle_panels(request, panels):
    homepage_panels(request, panels)
