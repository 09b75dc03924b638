from django.core.management.base import BaseCommand

from backoffice.planning.services import close_due_stages


class Command(BaseCommand):
    help = (
        "Close every stage (tahapan) whose close time has passed and keep a snapshot of each Renja of its year. "
        "Idempotent: run it from cron every few minutes, e.g. */5 * * * * cd /srv/app && .venv/bin/python manage.py close_due_stages"
    )

    def handle(self, *args, **options):
        closed = close_due_stages()
        for stage, count in closed:
            self.stdout.write(f"Tahapan {stage} ditutup; {count} Renja direkam.")
        if not closed:
            self.stdout.write("Tidak ada tahapan yang jatuh tempo.")
