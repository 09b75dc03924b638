"""What the import commands share: file and dry-run arguments, a progress bar, the report."""

import sys

from django.core.management.base import BaseCommand, CommandError

from backoffice.reference.services import ImportRefused

MAX_ERRORS_SHOWN = 50


class ProgressBar:
    """A one-line text progress bar on stderr, redrawn in place."""

    def __init__(self, stream, width=30):
        self.stream, self.width, self.last = stream, width, None

    def __call__(self, done, total, label=""):
        filled = int(self.width * done / total) if total else self.width
        line = f"\r[{'#' * filled}{'.' * (self.width - filled)}] {label}"
        if line != self.last or done == total:
            line = f"{line} {done}/{total}"
            self.stream.write(line.ljust(70))
            self.stream.flush()
            self.last = line.rsplit(" ", 1)[0]

    def close(self):
        if self.last is not None:
            self.stream.write("\n")


class ImportCommand(BaseCommand):
    """Base for `import_*` commands: subclasses add arguments and implement run_import()."""

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV or XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--no-progress", action="store_true", help="do not draw the progress bar")

    def run_import(self, options, progress):
        raise NotImplementedError

    def handle(self, *args, **options):
        # Only on a terminal: in cron logs and pipes the redraws would be noise.
        show = not options["no_progress"] and options.get("verbosity", 1) > 0 and sys.stderr.isatty()
        progress = ProgressBar(sys.stderr) if show else None
        try:
            report = self.run_import(options, progress)
        except ImportRefused as refused:
            shown = refused.errors[:MAX_ERRORS_SHOWN]
            lines = [str(e) for e in shown]
            if len(refused.errors) > len(shown):
                lines.append(f"... dan {len(refused.errors) - len(shown)} kesalahan lain.")
            raise CommandError(f"Impor ditolak, tidak ada yang ditulis ({len(refused.errors)} kesalahan):\n" + "\n".join(lines))
        except OSError as error:
            raise CommandError(f"Berkas tidak dapat dibuka: {error}")
        finally:
            if progress:
                progress.close()
        for line in report.summary_lines():
            self.stdout.write(line)
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"Peringatan: {warning}"))
        if options.get("verbosity", 1) > 1:
            for change in report.changes:
                self.stdout.write(f"  {change.action} {change.level} {change.code} {change.old} -> {change.new}")
