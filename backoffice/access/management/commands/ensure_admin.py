import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

PASSWORD_FILE = Path(settings.BASE_DIR) / ".admin-password"


class Command(BaseCommand):
    help = "Create the first admin user with a generated password and print the login (reuses it on later runs)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(username=username, email="", password=password)
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
            self.stdout.write(self.style.SUCCESS(f"Admin dibuat. Login: {username} / {password}"))
        elif PASSWORD_FILE.exists() and user.check_password(PASSWORD_FILE.read_text().strip()):
            self.stdout.write(self.style.SUCCESS(f"Login: {username} / {PASSWORD_FILE.read_text().strip()}"))
        else:
            self.stdout.write(f"Pengguna '{username}' sudah ada; ganti sandinya dengan: python manage.py changepassword {username}")
