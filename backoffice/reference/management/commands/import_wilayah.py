from contextlib import ExitStack

from backoffice.reference.management.importing import ImportCommand
from backoffice.reference.services import import_wilayah


class Command(ImportCommand):
    help = "Import Kemendagri region codes (kode, nama, level, parent_kode) with optional boundaries and centroids."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--within", help="only this region's subtree and its ancestors, e.g. 53.01")
        parser.add_argument("--boundaries", action="append", default=[], help="GeoJSON FeatureCollection (repeatable)")
        parser.add_argument("--centroids", help="CSV with kode, centroid_lat, centroid_lng")

    def run_import(self, options, progress):
        with ExitStack() as stack:
            with open(options["file"], "rb") as handle:
                boundaries = [stack.enter_context(open(path, "rb")) for path in options["boundaries"]]
                centroids = stack.enter_context(open(options["centroids"], "rb")) if options["centroids"] else None
                return import_wilayah(
                    handle,
                    boundaries=boundaries,
                    centroids=centroids,
                    within=options["within"],
                    dry_run=options["dry_run"],
                    name=options["file"],
                    progress=progress,
                )
