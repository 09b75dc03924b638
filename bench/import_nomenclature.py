"""Time the import of the full regency nomenclature (Kepmendagri 050-3708/2020) and compare it with
a floor: inserting the same rows with multi-row INSERTs on a raw cursor.

Run by hand: .venv/bin/python bench/import_nomenclature.py  (uses a throwaway SQLite database unless
DATABASE_URL is set; with PostgreSQL it uses the test database name test_bench_import).
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backoffice.settings")
SHARED = Path(os.environ.get("SHARED_DATA", ROOT.parent / "shared" / "data"))
SOURCE = SHARED / "nomenklatur" / "simcan_nomenklatur_permendagri90_kep050-3708.csv"


def main():
    import django
    from django.test.utils import get_runner, setup_test_environment

    django.setup()
    from django.conf import settings
    from django.db import connection

    if not SOURCE.exists():
        sys.exit(f"{SOURCE} is absent (set SHARED_DATA)")
    setup_test_environment()
    runner = get_runner(settings)(verbosity=0)
    old_config = runner.setup_databases()
    try:
        from backoffice.reference.models import NOMENCLATURE_MODELS
        from backoffice.reference.services import import_nomenclature

        started = time.perf_counter()
        report = import_nomenclature(SOURCE, edition_name="Kepmendagri 050-3708/2020", year=2021)
        first = time.perf_counter() - started
        started = time.perf_counter()
        import_nomenclature(SOURCE, edition_name="Kepmendagri 050-3708/2020")
        again = time.perf_counter() - started
        rows = sum(m.objects.count() for m in NOMENCLATURE_MODELS.values())

        # Floor: insert the stored rows into a scratch table with multi-row INSERTs, no parsing or checks.
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_floor (code varchar(32), name text, parent varchar(32))")
            values = []
            for model in NOMENCLATURE_MODELS.values():
                values += [(r.code, r.name, "") for r in model.objects.all()]
            started = time.perf_counter()
            for start in range(0, len(values), 500):
                batch = values[start:start + 500]
                placeholders = ", ".join(["(%s, %s, %s)"] * len(batch))
                cursor.execute(f"INSERT INTO bench_floor VALUES {placeholders}", [v for row in batch for v in row])
            floor = time.perf_counter() - started
            cursor.execute("DROP TABLE bench_floor")

        print(f"database: {connection.vendor}")
        print(f"rows read: {report.rows_read}, rows stored: {rows}")
        print(f"first import:        {first:6.2f} s  ({rows / first:,.0f} rows/s)")
        print(f"re-import (no-op):   {again:6.2f} s")
        print(f"raw INSERT floor   : {floor:6.3f} s  -> import/floor ratio {first / floor:,.1f}x")
    finally:
        runner.teardown_databases(old_config)


if __name__ == "__main__":
    main()
