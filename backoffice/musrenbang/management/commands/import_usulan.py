from django.core.management.base import CommandError

from backoffice.access.models import Role
from backoffice.access.policy import Principal
from backoffice.musrenbang.imports import import_usulan
from backoffice.reference.management.importing import ImportCommand
from backoffice.reference.models import Wilayah


class Command(ImportCommand):
    help = (
        "Import proposals (usulan) of one year from a sheet: usulan/permasalahan, volume+satuan or koefisien "
        "('35 Orang'), anggaran, optional skpd_tujuan, kode desa, keterangan (Diakomodir/Tidak Diakomodir), jenis, alamat."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--year", type=int, required=True, help="the plan year the proposals are for")
        parser.add_argument("--desa", help="Kemendagri code of the proposing desa/kelurahan when the sheet has no such column")

    def run_import(self, options, progress):
        desa = None
        if options["desa"]:
            desa = Wilayah.objects.filter(code=options["desa"], level=Wilayah.Level.DESA_KELURAHAN).select_related("parent").first()
            if desa is None:
                raise CommandError(f"Desa/kelurahan '{options['desa']}' tidak ada; impor wilayahnya dahulu (import_wilayah).")
        with open(options["file"], "rb") as handle:
            report = import_usulan(handle, year=options["year"], principal=Principal(role=Role.BAPPEDA_ADMIN), desa=desa, dry_run=options["dry_run"], name=options["file"])
        for issue, cost in report.refused:
            self.stdout.write(self.style.WARNING(f"Ditolak: {issue} (biaya {cost:,.0f})"))
        return report
