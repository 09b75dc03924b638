"""Demo reference data from fixtures/: lookups, a nomenclature excerpt, regions, departments."""

from django.core.management import call_command

from .models import NomenclatureEdition
from .services import import_nomenclature, import_perangkat_daerah, import_wilayah

# An older edition than any official file, so importing the real nomenclature later simply
# supersedes it (the importer takes editions oldest first).
DEMO_EDITION = "Permendagri 90/2019"
DEMO_EDITION_YEAR = 2020


def load(fixtures, write):
    call_command("loaddata", fixtures / "lookups.json", verbosity=0)
    write("Satuan dan sumber dana dimuat.")
    editions = NomenclatureEdition.objects.all()
    if not editions.exists() or editions.filter(name=DEMO_EDITION).exists() and editions.count() == 1:
        report = import_nomenclature(
            fixtures / "nomenklatur_demo.csv", edition_name=DEMO_EDITION, year=DEMO_EDITION_YEAR, name="nomenklatur_demo.csv"
        )
        write(*report.summary_lines())
    else:
        write("Nomenklatur resmi sudah diimpor; nomenklatur demo dilewati.")
    write(*import_wilayah(fixtures / "wilayah_demo.csv", name="wilayah_demo.csv").summary_lines())
    write(*import_perangkat_daerah(fixtures / "perangkat_daerah_demo.csv", name="perangkat_daerah_demo.csv").summary_lines())
