from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "backoffice.reference"
    label = "reference"
    verbose_name = "Data Referensi"
