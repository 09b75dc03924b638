from wagtail import hooks

from .services.cycle import LOG_ACTIONS


@hooks.register("register_log_actions")
def register_planning_log_actions(actions):
    for action, label in LOG_ACTIONS.values():
        actions.register_action(action, label, label)


from . import cycle_admin  # noqa: E402,F401  (registers the annual-cycle admin's hooks)
