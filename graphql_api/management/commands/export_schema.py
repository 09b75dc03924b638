"""Write the GraphQL schema as SDL to schema.graphql at the repository root (the API contract).

    .venv/bin/python manage.py export_schema           # rewrite schema.graphql
    .venv/bin/python manage.py export_schema --check   # exit 1 when schema.graphql is stale
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SCHEMA_FILE = Path(settings.BASE_DIR) / "schema.graphql"


def schema_sdl():
    from graphql_api.schema import schema

    return schema.as_str().rstrip("\n") + "\n"


class Command(BaseCommand):
    help = "Export the GraphQL schema (SDL) to schema.graphql, or check that the file is current."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(SCHEMA_FILE), help="where to write (default: schema.graphql at the repo root)")
        parser.add_argument("--check", action="store_true", help="do not write; fail when the file differs from the schema")

    def handle(self, *args, path, check, **options):
        path = Path(path)
        sdl = schema_sdl()
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != sdl:
                raise CommandError(f"{path} is stale: run `.venv/bin/python manage.py export_schema`.")
            self.stdout.write(f"{path} is current.")
            return
        path.write_text(sdl, encoding="utf-8")
        self.stdout.write(f"Wrote {path} ({len(sdl.splitlines())} lines).")
