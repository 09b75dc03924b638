from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .services import IMPORT_LOG_ACTION
from .views import ReferenceViewSetGroup


@hooks.register("register_log_actions")
def register_import_log_action(actions):
    actions.register_action(IMPORT_LOG_ACTION, "Impor data referensi", "Impor data referensi")


# The "Data Referensi" menu: every reference listing plus the "Impor Data" view, in one group.
register_snippet(ReferenceViewSetGroup)
