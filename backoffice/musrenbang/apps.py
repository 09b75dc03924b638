from django.apps import AppConfig


class MusrenbangConfig(AppConfig):
    name = "backoffice.musrenbang"
    label = "musrenbang"
    verbose_name = "Musrenbang"
