from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from backoffice.access.models import Role
from backoffice.access.policy import Principal, principal_for_user
from backoffice.planning.services import import_renja
from backoffice.reference.management.importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import Renja rows from an SIPD-shaped sheet: department unit code, sub kegiatan code, pagu; "
        "optional indikator, target, satuan, lokasi (wilayah codes separated by ';'), sumber dana code."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--year", type=int, required=True, help="the Renja year")
        parser.add_argument("--as-user", help="import with this user's rights (default: as Bappeda admin)")

    def run_import(self, options, progress):
        principal = Principal(role=Role.BAPPEDA_ADMIN)
        if options["as_user"]:
            user = get_user_model().objects.filter(username=options["as_user"]).first()
            if user is None:
                raise CommandError(f"Pengguna '{options['as_user']}' tidak ada.")
            principal = principal_for_user(user)
        with open(options["file"], "rb") as handle:
            report = import_renja(
                handle, year=options["year"], principal=principal, dry_run=options["dry_run"], name=options["file"], progress=progress
            )
        if options.get("verbosity", 1) > 0:
            for issue, pagu in report.refused:
                self.stdout.write(self.style.WARNING(f"Ditolak: {issue} (pagu {pagu:,.0f})"))
        return report
