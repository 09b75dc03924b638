from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "backoffice.planning"
    label = "planning"
    verbose_name = "Perencanaan"

