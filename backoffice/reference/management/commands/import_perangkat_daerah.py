from backoffice.reference.management.importing import ImportCommand
from backoffice.reference.services import import_perangkat_daerah


class Command(ImportCommand):
    help = "Import departments (SKPD/OPD) and sub-units by unit code U.BB.U2.B2.U3.B3.NN.SSSS."

    def run_import(self, options, progress):
        with open(options["file"], "rb") as handle:
            return import_perangkat_daerah(handle, dry_run=options["dry_run"], name=options["file"], progress=progress)
