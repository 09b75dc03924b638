from wagtail import hooks

from .admin_views import MusrenbangViewSetGroup
from .dashboard import usulan_chart_panels
from .maps import with_map
from .services import STEP_NAMES


@hooks.register("register_log_actions")
def register_musrenbang_log_actions(actions):
    actions.register_action("musrenbang.create", "Usulan dibuat", "Usulan dibuat")
    actions.register_action("musrenbang.import", "Usulan diimpor", "Usulan diimpor")
    actions.register_action("musrenbang.carried_from", "Lanjutan usulan tahun lalu", "Lanjutan usulan tahun lalu")
    for action, verb in STEP_NAMES.items():
        label = f"Usulan: {verb}"
        actions.register_action(f"musrenbang.{action}", label, label)


# The "Musrenbang" menu: proposals, the kecamatan's ranking, schedules and the import.
@hooks.register("register_admin_viewset")
def register_musrenbang_viewsets():
    return with_map(MusrenbangViewSetGroup())


hooks.register("construct_homepage_panels", usulan_chart_panels)
