import importlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = (
        "Load the small demo data set from fixtures/ (safe to run again: it changes nothing the second time). "
        "Each app with a demo.py module contributes, in INSTALLED_APPS order."
    )

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                module.load(FIXTURES, self.write)

    def write(self, *lines):
        for line in lines:
            self.stdout.write(line)
