from wagtail import hooks

from .admin_views import ELEMENT_VIEWSETS, LOG_ACTIONS as ADMIN_LOG_ACTIONS, PlanningViewSetGroup, construct_homepage_panels
from .services.cycle import LOG_ACTIONS


@hooks.register("register_log_actions")
def register_planning_log_actions(actions):
    for action, label in LOG_ACTIONS.values():
        actions.register_action(action, label, label)
    for action, label in ADMIN_LOG_ACTIONS.items():
        actions.register_action(action, label, label)


# The "Perencanaan" menu (Renja, Renstra, periods, RKPD, ceilings, import, downloads) and the
# forms of the plans' elements, reached from the trees on the detail pages.
@hooks.register("register_admin_viewset")
def register_planning_viewsets():
    return [PlanningViewSetGroup(), *ELEMENT_VIEWSETS]


hooks.register("construct_homepage_panels", construct_homepage_panels)


from . import cycle_admin  # noqa: E402,F401  (registers the annual-cycle admin's hooks)
