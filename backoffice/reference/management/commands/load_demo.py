from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from backoffice.reference.models import NomenclatureEdition
from backoffice.reference.services import import_nomenclature, import_perangkat_daerah, import_wilayah

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
# An older edition than any official file, so importing the real nomenclature later simply
# supersedes it (the importer takes editions oldest first).
DEMO_EDITION = "Permendagri 90/2019"
DEMO_EDITION_YEAR = 2020


class Command(BaseCommand):
    help = "Load the small demo data set from fixtures/ (safe to run again: it changes nothing the second time)."

    def handle(self, *args, **options):
        call_command("loaddata", FIXTURES / "lookups.json", verbosity=0)
        self.stdout.write("Satuan dan sumber dana dimuat.")
        editions = NomenclatureEdition.objects.all()
        if not editions.exists() or editions.filter(name=DEMO_EDITION).exists() and editions.count() == 1:
            report = import_nomenclature(
                FIXTURES / "nomenklatur_demo.csv", edition_name=DEMO_EDITION, year=DEMO_EDITION_YEAR, name="nomenklatur_demo.csv"
            )
            self._report(report)
        else:
            self.stdout.write("Nomenklatur resmi sudah diimpor; nomenklatur demo dilewati.")
        self._report(import_wilayah(FIXTURES / "wilayah_demo.csv", name="wilayah_demo.csv"))
        self._report(import_perangkat_daerah(FIXTURES / "perangkat_daerah_demo.csv", name="perangkat_daerah_demo.csv"))

    def _report(self, report):
        for line in report.summary_lines():
            self.stdout.write(line)
