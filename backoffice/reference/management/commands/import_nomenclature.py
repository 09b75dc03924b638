from backoffice.reference.management.importing import ImportCommand
from backoffice.reference.services import import_nomenclature


class Command(ImportCommand):
    help = (
        "Import a nomenclature edition (Permendagri 90/2019 and its amending decrees) from CSV/XLSX: "
        "a code column and a name column; optional kinerja, indikator, satuan, jns_pemda, aktif."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--edition", required=True, help='regulation name, e.g. "Kepmendagri 050-3708/2020"')
        parser.add_argument("--year", type=int, help="first budget year the edition governs (required for a new edition)")
        parser.add_argument("--level-pemda", choices=["kab", "prov"], default="kab", help="regency/city or province rows")

    def run_import(self, options, progress):
        with open(options["file"], "rb") as handle:
            return import_nomenclature(
                handle,
                edition_name=options["edition"],
                year=options["year"],
                level_pemda=options["level_pemda"],
                dry_run=options["dry_run"],
                name=options["file"],
                progress=progress,
            )
