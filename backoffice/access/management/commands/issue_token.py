"""Issue an API token for an external system and print its key once.

    python manage.py issue_token --name "Portal Data" --role bappeda_verifier
    python manage.py issue_token --name "Aplikasi Dinkes" --role opd_operator --perangkat-daerah 1.02.0.00.0.00.01.0000
    python manage.py issue_token --name "SID Desa Oelnasi" --role desa_operator --wilayah 53.01.05.2001
    python manage.py issue_token --name "Uji coba" --role bappeda_verifier --expires-in-days 30

The raw key goes to standard output alone on one line (so a script can capture it); the notes go
to standard error. Only a hash of the key is stored: it cannot be shown again. The system sends it
as `Authorization: Bearer <key>`.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from backoffice.access.models import ApiToken, Role
from backoffice.reference.models import PerangkatDaerah, Wilayah


class Command(BaseCommand):
    help = (
        "Issue an API token (a role and, for an OPD role, its perangkat daerah; for a kecamatan or desa role, its "
        "wilayah); prints the raw key once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="the system that uses the token, e.g. \"Portal Data Kabupaten\"")
        parser.add_argument("--role", required=True, choices=Role.values, help="the role the token acts in")
        parser.add_argument("--perangkat-daerah", dest="perangkat_daerah", help="unit code, required for the OPD roles")
        parser.add_argument("--wilayah", help="wilayah code, required for the kecamatan and desa roles")
        parser.add_argument("--expires-in-days", dest="expires_in_days", type=int, help="expire after this many days (default: never)")
        parser.add_argument("--created-by", dest="created_by", help="username of the staff member issuing the token")

    def handle(self, *args, name, role, perangkat_daerah, wilayah, expires_in_days, created_by, **options):
        unit = place = None
        if perangkat_daerah:
            unit = PerangkatDaerah.objects.filter(code=perangkat_daerah.strip()).first()
            if unit is None:
                raise CommandError(f"Perangkat daerah dengan kode {perangkat_daerah} tidak ada.")
        if wilayah:
            place = Wilayah.objects.filter(code=wilayah.strip()).first()
            if place is None:
                raise CommandError(f"Wilayah dengan kode {wilayah} tidak ada.")
        user = None
        if created_by:
            user = get_user_model().objects.filter(username=created_by).first()
            if user is None:
                raise CommandError(f"Pengguna {created_by} tidak ada.")
        if expires_in_days is not None and expires_in_days <= 0:
            raise CommandError("--expires-in-days harus lebih dari 0.")
        expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
        try:
            token, raw_key = ApiToken.issue(
                name=name, role=role, perangkat_daerah=unit, wilayah=place, created_by=user, expires_at=expires_at
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        scope = f" untuk {unit.name}" if unit else f" untuk {place.name}" if place else ""
        until = f", berlaku sampai {timezone.localtime(expires_at):%Y-%m-%d %H:%M}" if expires_at else ""
        self.stderr.write(
            f"Token API \"{token.name}\" ({Role(role).label}{scope}{until}) dibuat, awalan {token.key_prefix}. "
            "Simpan kunci di bawah ini sekarang: kunci tidak disimpan dan tidak dapat ditampilkan lagi. "
            "Kirim sebagai header `Authorization: Bearer <kunci>`."
        )
        self.stdout.write(raw_key)
