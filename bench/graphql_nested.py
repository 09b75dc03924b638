"""Benchmark: the whole nomenclature as one nested GraphQL query, against a raw-SQL floor.

    .venv/bin/python bench/graphql_nested.py [--runs 5]
    DATABASE_URL=postgres://... .venv/bin/python bench/graphql_nested.py

Builds a throwaway test database (SQLite in memory, or a `test_` copy of the configured
PostgreSQL database, dropped at the end), imports the real kabupaten/kota nomenclature of
Kepmendagri 050-3708/2020 from ../shared/data (about 2,250 sub kegiatan; a synthetic tree of the
same size when the data folder is absent), then:

- times `urusanList → bidangUrusanList → programList → kegiatanList → subKegiatanList` posted
  to /graphql/ through Django's test client, counting SQL queries;
- times the floor: the same rows (every row of the edition) fetched with one SELECT per level
  through connection.cursor();
- prints both and their ratio.

Run by hand; not a test.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("SHARED_DATA", REPO.parent / "shared" / "data"))
NOMENCLATURE_CSV = SHARED_DATA / "nomenklatur" / "simcan_nomenklatur_permendagri90_kep050-3708.csv"
EDITION_NAME, EDITION_YEAR = "Kepmendagri 050-3708/2020", 2021

sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backoffice.settings")

# Every row of the edition, obsolete ones included: real editions keep in-force sub kegiatan
# under kegiatan marked obsolete, which the default (in force only) tree walk would skip.
PAGE = "pagination: {limit: $limit}, filters: {includeInactive: true}"
QUERY = f"""
query Nomenclature($year: Int!, $limit: Int!) {{
  urusanList(year: $year, {PAGE}) {{ totalCount results {{ code name
    bidangUrusanList({PAGE}) {{ totalCount results {{ code name
      programList({PAGE}) {{ totalCount results {{ code name
        kegiatanList({PAGE}) {{ totalCount results {{ code name
          subKegiatanList({PAGE}) {{ totalCount results {{ code name kinerja indikator satuan }} }}
        }} }}
      }} }}
    }} }}
  }} }}
}}
"""


def load_nomenclature():
    from backoffice.reference.models import NomenclatureEdition
    from backoffice.reference.services import import_nomenclature
    from tests.factories import make_nomenclature

    if NOMENCLATURE_CSV.exists():
        with open(NOMENCLATURE_CSV, "rb") as handle:
            import_nomenclature(handle, edition_name=EDITION_NAME, year=EDITION_YEAR, level_pemda="kab", name=NOMENCLATURE_CSV.name)
        return f"{NOMENCLATURE_CSV.name} (kab rows)"
    edition = NomenclatureEdition.objects.create(name=EDITION_NAME, year=EDITION_YEAR)
    make_nomenclature(edition, urusan=5, bidang=5, program=6, kegiatan=3, sub_kegiatan=5)
    return "synthetic tree (shared data absent)"


def timed(function, runs):
    function()  # warm-up: connection, caches, imports
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return result, times


def graphql_run(client, limit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run():
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                "/graphql/",
                json.dumps({"query": QUERY, "variables": {"year": EDITION_YEAR, "limit": limit}}),
                content_type="application/json",
            )
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"], len(queries), len(response.content)

    return run


def raw_sql_run(edition):
    """The floor: the same rows, one SELECT per level, tuples only."""
    from django.db import connection

    from backoffice.reference.models import NOMENCLATURE_MODELS, NomenclatureEdition

    edition_table = NomenclatureEdition._meta.db_table
    statements = []
    for model in NOMENCLATURE_MODELS.values():
        columns = ["t.id", "t.code", "t.name"]
        if model.parent_field:
            columns.append(f"t.{model.parent_field}_id")
        if model.level == "sub_kegiatan":
            columns += ["t.kinerja", "t.indikator", "t.satuan"]
        statements.append(
            f"SELECT {', '.join(columns)} FROM {model._meta.db_table} t "
            f"JOIN {edition_table} f ON f.id = t.valid_from_id "
            f"LEFT JOIN {edition_table} u ON u.id = t.valid_until_id "
            "WHERE f.year <= %s AND (u.id IS NULL OR u.year > %s) ORDER BY t.code, t.id"
        )

    def run():
        counts = []
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql, [edition.year, edition.year])
                counts.append(len(cursor.fetchall()))
        return counts

    return run


def count_sub_kegiatan(data):
    return sum(
        len(kegiatan["subKegiatanList"]["results"])
        for urusan in data["urusanList"]["results"]
        for bidang in urusan["bidangUrusanList"]["results"]
        for program in bidang["programList"]["results"]
        for kegiatan in program["kegiatanList"]["results"]
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each side (after one warm-up)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment

    from backoffice.reference.models import NomenclatureEdition
    from graphql_api.pagination import max_page_size

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        start = time.perf_counter()
        source = load_nomenclature()
        edition = NomenclatureEdition.objects.get(name=EDITION_NAME)
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
        print(f"data: {source}, loaded in {time.perf_counter() - start:.1f} s")

        floor_counts, floor_times = timed(raw_sql_run(edition), args.runs)
        (data, queries, size), gql_times = timed(graphql_run(Client(), max_page_size()), args.runs)

        levels = "urusan bidang program kegiatan sub_kegiatan".split()
        print("rows of the edition per level: " + ", ".join(f"{name} {count}" for name, count in zip(levels, floor_counts)))
        served = count_sub_kegiatan(data)
        assert served == floor_counts[-1], f"GraphQL served {served} sub kegiatan, the database holds {floor_counts[-1]}"
        print(f"GraphQL: {queries} SQL queries, response {size / 1024:.0f} KiB, {served} sub kegiatan")
        gql_median, floor_median = statistics.median(gql_times), statistics.median(floor_times)
        print(f"GraphQL nested query: median {gql_median * 1000:.0f} ms (min {min(gql_times) * 1000:.0f}, max {max(gql_times) * 1000:.0f}) over {args.runs} runs")
        print(f"raw SQL floor (5 SELECTs): median {floor_median * 1000:.1f} ms (min {min(floor_times) * 1000:.1f}, max {max(floor_times) * 1000:.1f})")
        print(f"ratio GraphQL / floor: {gql_median / floor_median:.1f}x")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
