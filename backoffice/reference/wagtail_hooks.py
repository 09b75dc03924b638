from wagtail import hooks

from .services import IMPORT_LOG_ACTION


@hooks.register("register_log_actions")
def register_import_log_action(actions):
    actions.register_action(IMPORT_LOG_ACTION, "Impor data referensi", "Impor data referensi")
