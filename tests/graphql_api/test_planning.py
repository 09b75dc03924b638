"""e-Planning over GraphQL: what the public sees, the nested plans, filters, lookups, the RKPD recaps
(checked against hand-computed amounts, see tests/graphql_api/plans.py) and constant query counts."""

from decimal import Decimal

import pytest

from backoffice.planning.models import Indicator, IndicatorTarget, Renja, RenjaLokasi, RenjaPendanaan, RenjaRow, Rkpd, RkpdPriority
from backoffice.planning.services import save_renja_row
from backoffice.reference.models import PerangkatDaerah
from graphql_api.pagination import max_page_size

DIKBUD = "1.01.0.00.0.00.01.0000"
DINKES = "1.02.0.00.0.00.01.0000"


def data_of(body):
    assert "errors" not in body, body["errors"]
    return body["data"]


def results(page, *keys):
    """The rows of a page, reduced to `keys` (nested keys as "a.b")."""

    def pick(row, key):
        for part in key.split("."):
            row = row[part] if row is not None else None
        return row

    return [tuple(pick(row, key) for key in keys) if len(keys) > 1 else pick(row, keys[0]) for row in page["results"]]


# --------------------------------------------------------------------------------------------
# What the public sees


def test_the_public_sees_published_plans_only(ask, plans):
    data = data_of(
        ask(
            "public",
            """{
              planningPeriods { totalCount results { name isPublished } }
              renstraList { totalCount results { perangkatDaerah { code } period { name } isPublished } }
              renjaList { totalCount results { perangkatDaerah { code } year isPublished } }
              rkpdList { totalCount results { year } }
            }""",
        )
    )
    assert results(data["planningPeriods"], "name", "isPublished") == [("RPJMD 2025-2029", True)]
    assert results(data["renstraList"], "perangkatDaerah.code", "period.name") == [(DIKBUD, None), (DIKBUD, "RPJMD 2025-2029")]
    assert results(data["renjaList"], "perangkatDaerah.code", "year", "isPublished") == [(DIKBUD, 2026, True)]
    assert results(data["rkpdList"], "year") == [2026]
    assert [data[name]["totalCount"] for name in ("planningPeriods", "renstraList", "renjaList", "rkpdList")] == [1, 2, 1, 1]


def test_a_published_plan_does_not_show_a_draft_it_links_to(ask, plans):
    """The dikbud Renstra of the draft RPD is published: the public sees it, not the draft period or
    the draft RPJMD-level sasaran it links to; a verifier sees both."""
    query = """query($unit: String!) { renstra(perangkatDaerahCode: $unit, year: 2030) {
        period { name } tujuanList { results { sasaranList { results { code rpjmdSasaran { code text } } } } } } }"""
    public = data_of(ask("public", query, unit=DIKBUD))["renstra"]
    assert public["period"] is None
    assert public["tujuanList"]["results"][0]["sasaranList"]["results"] == [{"code": "RS9", "rpjmdSasaran": None}]
    staff = data_of(ask("session:verifier", query, unit=DIKBUD))["renstra"]
    assert staff["period"] == {"name": "RPD 2030-2031"}
    assert staff["tujuanList"]["results"][0]["sasaranList"]["results"][0]["rpjmdSasaran"] == {"code": "S9.9.9", "text": "Sasaran RPD 2030-2031"}


def test_a_periods_renstra_list_holds_what_the_principal_may_see(ask, plans):
    query = "{ planningPeriods(filters: {year: 2026}) { results { renstraList { totalCount results { perangkatDaerah { code } isPublished } } } } }"
    public = data_of(ask("public", query))["planningPeriods"]["results"][0]["renstraList"]
    assert results(public, "perangkatDaerah.code", "isPublished") == [(DIKBUD, True)]
    own = data_of(ask("session:dinkes", query))["planningPeriods"]["results"][0]["renstraList"]
    assert results(own, "perangkatDaerah.code", "isPublished") == [(DIKBUD, True), (DINKES, False)]
    assert own["totalCount"] == 2


# --------------------------------------------------------------------------------------------
# The nested plans


def test_the_rpjmd_tree(ask, plans):
    data = data_of(
        ask(
            "public",
            """{ planningPeriods { results {
                id kind name startYear endYear visi
                misiList { results { order text tujuanList { results { code sasaranList { results {
                    code text strategiList { text } arahKebijakanList { text }
                    indicators { level text satuan direction baselineValue targets { year value } } } } } } } }
                programPrioritasList { results { program { code } perangkatDaerah { code } sasaran { code } } }
            } } }""",
        )
    )
    period = data["planningPeriods"]["results"][0]
    assert period["id"] == str(plans.rpjmd.pk)
    assert (period["kind"], period["startYear"], period["endYear"], period["visi"]) == ("RPJMD", 2025, 2029, "Visi RPJMD 2025-2029")
    misi = period["misiList"]["results"][0]
    sasaran = misi["tujuanList"]["results"][0]["sasaranList"]["results"][0]
    assert sasaran["strategiList"] == [{"text": "Perluasan akses sekolah"}]
    assert sasaran["arahKebijakanList"] == [{"text": "Pembangunan ruang kelas"}]
    assert sasaran["indicators"] == [
        {
            "level": "GENERAL",
            "text": "Angka partisipasi sekolah",
            "satuan": "%",
            "direction": "HIGHER",
            "baselineValue": "80.0000",
            "targets": [{"year": 2025, "value": "81.0000"}, {"year": 2026, "value": "83.0000"}],
        }
    ]
    assert period["programPrioritasList"]["results"] == [{"program": {"code": "1.01.02"}, "perangkatDaerah": [{"code": DIKBUD}], "sasaran": {"code": "S1.1.1"}}]


def test_the_renstra_tree_writes_the_support_program_under_the_departments_bidang(ask, plans):
    data = data_of(
        ask(
            "public",
            """{ renstra(perangkatDaerahCode: "%s", year: 2026) {
                perangkatDaerah { name } period { name }
                programList { results { code program { code } sasaran { code }
                    kegiatanList { results { code subKegiatanList { results { code subKegiatan { code name } } } } } } }
                tujuanList { results { code text sasaranList { results { code rpjmdSasaran { code } } } } }
            } }"""
            % DIKBUD,
        )
    )["renstra"]
    assert data["period"] == {"name": "RPJMD 2025-2029"}
    program = data["programList"]["results"][0]
    assert (program["code"], program["program"]["code"], program["sasaran"]) == ("1.01.01", "X.XX.01", {"code": "RS1"})
    kegiatan = program["kegiatanList"]["results"][0]
    assert kegiatan["code"] == "1.01.01.2.02"
    assert kegiatan["subKegiatanList"]["results"] == [
        {"code": "1.01.01.2.02.0001", "subKegiatan": {"code": "X.XX.01.2.02.0001", "name": "Penyediaan Gaji dan Tunjangan ASN"}}
    ]
    assert data["tujuanList"]["results"][0]["sasaranList"]["results"] == [{"code": "RS1", "rpjmdSasaran": {"code": "S1.1.1"}}]


def test_renja_rows_with_lokasi_pendanaan_and_indicators(ask, plans):
    RenjaRow.objects.filter(pk=plans.rows[0].pk).update(prakiraan_maju_amount=Decimal("1300000"), start_month=3, end_month=11)
    data = data_of(
        ask(
            "public",
            """{ renja(perangkatDaerahCode: "%s", year: 2026) { year isPublished rows { totalCount results {
                code subKegiatan { code } targetGroup startMonth endMonth paguIndikatif prakiraanMajuAmount
                lokasiList { description wilayah { code level parent { code } } }
                pendanaanList { pagu sumberDana { code } }
                indicators { level text satuan targets { year value text amount } } } } } }"""
            % DIKBUD,
        )
    )["renja"]
    assert data["rows"]["totalCount"] == 3
    first, third, support = data["rows"]["results"]  # by nomenclature code: X.XX sorts last
    assert (first["code"], first["targetGroup"], first["startMonth"], first["endMonth"]) == ("1.01.02.2.01.0001", "Siswa SD", 3, 11)
    assert (first["paguIndikatif"], first["prakiraanMajuAmount"]) == ("1200000.00", "1300000.00")
    assert first["lokasiList"] == [
        {"description": "", "wilayah": {"code": "53.01.01", "level": "KECAMATAN", "parent": {"code": "53.01"}}},
        {"description": "", "wilayah": {"code": "53.01.02", "level": "KECAMATAN", "parent": {"code": "53.01"}}},
    ]
    assert first["pendanaanList"] == [{"pagu": "1000000.00", "sumberDana": {"code": "DAU"}}, {"pagu": "200000.00", "sumberDana": {"code": "PAD"}}]
    assert first["indicators"] == [
        {
            "level": "KELUARAN",
            "text": "Jumlah ruang kelas dibangun",
            "satuan": "Unit",
            "targets": [
                {"year": 2026, "value": "4.0000", "text": "", "amount": None},
                {"year": 2027, "value": "6.0000", "text": "", "amount": None},
            ],
        }
    ]
    assert third["lokasiList"] == [{"description": "Dusun 1", "wilayah": {"code": "53.01.01.2001", "level": "DESA_KELURAHAN", "parent": {"code": "53.01.01"}}}]
    assert (support["code"], support["subKegiatan"]["code"], support["lokasiList"]) == ("1.01.01.2.02.0001", "X.XX.01.2.02.0001", [])


# --------------------------------------------------------------------------------------------
# Filters, ordering, pages


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"perangkatDaerahCode": DINKES}, [(DINKES, 2026)]),
        ({"year": 2026}, [(DIKBUD, 2026), (DINKES, 2026)]),
        ({"year": 2027}, []),
        ({"yearFrom": 2025, "yearTo": 2029}, [(DIKBUD, 2026), (DINKES, 2026)]),
        ({"yearFrom": 2027}, []),
        ({"isPublished": False}, [(DINKES, 2026)]),
    ],
)
def test_renja_list_filters(ask, plans, filters, expected):
    data = data_of(ask("session:admin", "query($f: RenjaFilter) { renjaList(filters: $f) { results { perangkatDaerah { code } year } } }", f=filters))
    assert results(data["renjaList"], "perangkatDaerah.code", "year") == expected


def test_renja_list_ordering(ask, plans):
    query = "query($o: [RenjaOrder!]) { renjaList(ordering: $o) { results { perangkatDaerah { code } } } }"
    data = data_of(ask("session:admin", query, o=[{"perangkatDaerahCode": "DESC"}]))
    assert results(data["renjaList"], "perangkatDaerah.code") == [DINKES, DIKBUD]


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"year": 2030}, ["RPD 2030-2031"]),
        ({"year": 2026}, ["RPJMD 2025-2029"]),
        ({"kind": "RPD"}, []),
        ({"isPublished": False}, ["RPD 2030-2031"]),
    ],
)
def test_planning_period_filters(ask, plans, filters, expected):
    data = data_of(ask("session:verifier", "query($f: PlanningPeriodFilter) { planningPeriods(filters: $f) { results { name } } }", f=filters))
    assert results(data["planningPeriods"], "name") == expected


def test_renstra_list_filters_by_period_year_and_unit(ask, plans):
    query = "query($f: RenstraFilter) { renstraList(filters: $f) { results { perangkatDaerah { code } period { name } } } }"
    by_period = data_of(ask("session:admin", query, f={"periodId": str(plans.rpd.pk)}))
    assert results(by_period["renstraList"], "perangkatDaerah.code", "period.name") == [(DIKBUD, "RPD 2030-2031")]
    by_year = data_of(ask("session:admin", query, f={"year": 2027, "perangkatDaerahCode": DINKES}))
    assert results(by_year["renstraList"], "perangkatDaerah.code", "period.name") == [(DINKES, "RPJMD 2025-2029")]
    errors = ask("session:admin", query, f={"periodId": "abc"})["errors"]
    assert "ID periode 'abc' tidak valid" in errors[0]["message"]


@pytest.mark.parametrize(
    "filters, ordering, expected",
    [
        ({"sumberDanaCode": "PAD"}, None, ["1.01.02.2.01.0001", "1.01.02.2.01.0002"]),
        ({"wilayahCode": "53.01.01"}, None, ["1.01.02.2.01.0001", "1.01.02.2.01.0002"]),  # kecamatan A and its desa
        ({"wilayahCode": "53.01.02"}, None, ["1.01.02.2.01.0001"]),
        ({"codeStartsWith": "X.XX.01"}, None, ["1.01.01.2.02.0001"]),
        (None, [{"paguIndikatif": "DESC"}], ["1.01.02.2.01.0001", "1.01.01.2.02.0001", "1.01.02.2.01.0002"]),
    ],
)
def test_renja_row_filters_and_ordering(ask, plans, filters, ordering, expected):
    query = """query($f: RenjaRowFilter, $o: [RenjaRowOrder!]) { renja(perangkatDaerahCode: "%s", year: 2026) {
        rows(filters: $f, ordering: $o) { totalCount results { code } } } }""" % DIKBUD
    rows = data_of(ask("public", query, f=filters, o=ordering or []))["renja"]["rows"]
    assert results(rows, "code") == expected
    assert rows["totalCount"] == len(expected)


def test_lists_of_plans_are_bounded(ask, plans):
    body = ask("public", "query($n: Int!) { renjaList(pagination: {limit: $n}) { totalCount } }", n=max_page_size() + 1)
    assert "pagination.limit" in body["errors"][0]["message"]
    nested = data_of(ask("public", "{ renjaList { results { rows(pagination: {offset: 1, limit: 1}) { totalCount pageInfo { offset limit } results { code } } } } }"))
    assert nested["renjaList"]["results"][0]["rows"] == {"totalCount": 3, "pageInfo": {"offset": 1, "limit": 1}, "results": [{"code": "1.01.02.2.01.0002"}]}


# --------------------------------------------------------------------------------------------
# Lookups


def test_lookups_answer_null_when_there_is_no_such_plan(ask, plans):
    data = data_of(
        ask(
            "public",
            """{ renja(perangkatDaerahCode: "%s", year: 2031) { year }
                 renstra(perangkatDaerahCode: "9.99.0.00.0.00.01.0000", year: 2026) { id }
                 rkpd(year: 2040) { year } }"""
            % DIKBUD,
        )
    )
    assert data == {"renja": None, "renstra": None, "rkpd": None}


def test_renstra_lookup_by_period_id_or_year(ask, plans):
    by_id = data_of(ask("public", 'query($p: ID) { renstra(perangkatDaerahCode: "%s", periodId: $p) { id } }' % DIKBUD, p=str(plans.rpjmd.pk)))
    by_year = data_of(ask("public", '{ renstra(perangkatDaerahCode: "%s", year: 2029) { id } }' % DIKBUD))
    assert by_id["renstra"] == by_year["renstra"] == {"id": str(plans.renstra_dikbud.pk)}
    both = ask("public", '{ renstra(perangkatDaerahCode: "%s", year: 2029, periodId: "1") { id } }' % DIKBUD)
    assert both["errors"][0]["message"] == "Pilih salah satu: `year` (tahun) atau `periodId` (ID periode)."


# --------------------------------------------------------------------------------------------
# RKPD recaps

RECAPS = """query($year: Int!) { rkpd(year: $year) {
    year theme priorities { order name } totalPagu rowCount
    byUrusan { code name totalPagu rowCount }
    byBidangUrusan { code name totalPagu rowCount }
    byProgram { code name totalPagu rowCount }
    byPerangkatDaerah { code name totalPagu rowCount }
    bySumberDana { code name totalPagu rowCount }
    byKecamatan { code name totalPagu rowCount } } }"""

SUPPORT_PROGRAM = "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA"


def totals(groups):
    return [(g["code"], g["name"], g["totalPagu"], g["rowCount"]) for g in groups]


def test_rkpd_recaps_for_the_public_count_published_renja_only(ask, plans):
    rkpd = data_of(ask("public", RECAPS, year=2026))["rkpd"]
    assert (rkpd["year"], rkpd["theme"]) == (2026, "Pemulihan ekonomi")
    assert rkpd["priorities"] == [{"order": 1, "name": "Pendidikan"}, {"order": 2, "name": "Kesehatan"}]
    assert (rkpd["totalPagu"], rkpd["rowCount"]) == ("1600000.00", 3)
    assert totals(rkpd["byUrusan"]) == [("1", "URUSAN 1", "1600000.00", 3)]
    assert totals(rkpd["byBidangUrusan"]) == [("1.01", "BIDANG 1.01", "1600000.00", 3)]
    assert totals(rkpd["byProgram"]) == [("1.01.01", SUPPORT_PROGRAM, "300000.00", 1), ("1.01.02", "PROGRAM 1.01.02", "1300000.00", 2)]
    assert totals(rkpd["byPerangkatDaerah"]) == [(DIKBUD, "Dinas Pendidikan", "1600000.00", 3)]
    assert totals(rkpd["bySumberDana"]) == [("DAU", "Dana Alokasi Umum", "1300000.00", 2), ("PAD", "Pendapatan Asli Daerah", "300000.00", 2)]
    assert totals(rkpd["byKecamatan"]) == [
        ("53.01.01", "Kecamatan A", "700000.00", 2),  # half of r1 + all of r3 (desa A1)
        ("53.01.02", "Kecamatan B", "600000.00", 1),  # half of r1
        (None, "Seluruh kabupaten", "300000.00", 1),  # r2, without lokasi
    ]


def test_rkpd_recaps_for_bappeda_count_every_renja(ask, plans):
    rkpd = data_of(ask("session:verifier", RECAPS, year=2026))["rkpd"]
    assert (rkpd["totalPagu"], rkpd["rowCount"]) == ("2100000.00", 4)
    assert totals(rkpd["byUrusan"]) == [("1", "URUSAN 1", "2100000.00", 4)]
    assert totals(rkpd["byBidangUrusan"]) == [("1.01", "BIDANG 1.01", "1600000.00", 3), ("1.02", "BIDANG 1.02", "500000.00", 1)]
    assert totals(rkpd["byProgram"])[-1] == ("1.02.01", "PROGRAM 1.02.01", "500000.00", 1)
    assert totals(rkpd["byPerangkatDaerah"]) == [(DIKBUD, "Dinas Pendidikan", "1600000.00", 3), (DINKES, "Dinas Kesehatan", "500000.00", 1)]
    assert totals(rkpd["bySumberDana"]) == [("DAU", "Dana Alokasi Umum", "1800000.00", 3), ("PAD", "Pendapatan Asli Daerah", "300000.00", 2)]
    assert totals(rkpd["byKecamatan"])[-1] == (None, "Seluruh kabupaten", "800000.00", 2)  # r2 + r4 (lokasi "seluruh kabupaten")
    kecamatan_sum = sum(Decimal(g["totalPagu"]) for g in rkpd["byKecamatan"])
    assert kecamatan_sum == Decimal(rkpd["totalPagu"])


def test_kecamatan_shares_are_split_per_lokasi_and_rounded_to_the_sen(ask, world, plans):
    """A row of Rp 100.000 at kecamatan A, desa A1 (in A) and kecamatan B: a third per lokasi, so
    A gets two thirds; rounded to the sen the shares differ from the total by one sen."""
    region = plans.region
    save_renja_row(
        world.p["admin"],
        RenjaRow(renja=plans.renja_dinkes, sub_kegiatan=world.subs["1.02.02.2.01.0001"]),
        pendanaan=[(world.pad, 100_000)],
        lokasi=[(region.a, ""), (region.a1, ""), (region.b, "")],
    )
    rkpd = data_of(ask("session:admin", "{ rkpd(year: 2026) { totalPagu byKecamatan { code totalPagu rowCount } } }"))["rkpd"]
    assert rkpd["totalPagu"] == "2200000.00"
    assert [(g["code"], g["totalPagu"], g["rowCount"]) for g in rkpd["byKecamatan"]] == [
        ("53.01.01", "766666.67", 3),  # 600.000 + 100.000 + 66.666,67
        ("53.01.02", "633333.33", 2),  # 600.000 + 33.333,33
        (None, "800000.00", 2),
    ]


def test_an_rkpd_year_without_renja_has_empty_recaps(ask, plans):
    rkpd = data_of(ask("session:admin", RECAPS, year=2027))["rkpd"]
    assert (rkpd["totalPagu"], rkpd["rowCount"]) == ("0.00", 0)
    assert [rkpd[name] for name in ("byUrusan", "byBidangUrusan", "byProgram", "byPerangkatDaerah", "bySumberDana", "byKecamatan")] == [[]] * 6


# --------------------------------------------------------------------------------------------
# Constant query counts

NESTED_RKPD = """query($year: Int!) {
  rkpd(year: $year) {
    year theme priorities { order name } totalPagu rowCount
    byUrusan { code name totalPagu } byBidangUrusan { code name totalPagu } byProgram { code name totalPagu }
    byPerangkatDaerah { code name totalPagu rowCount } bySumberDana { code name totalPagu } byKecamatan { code name totalPagu }
  }
  renjaList(filters: {year: $year}, pagination: {limit: 100}) {
    totalCount
    results {
      year perangkatDaerah { code name }
      rows { totalCount results {
        code paguIndikatif subKegiatan { code name }
        lokasiList { description wilayah { code name parent { code name } } }
        pendanaanList { pagu sumberDana { code name } }
        indicators { level text targets { year value } }
      } }
    }
  }
}"""

# rkpd (3): existence/permission check, the RKPD, its priorities;
# recaps (9): totals (totalPagu and rowCount share it), urusan (+ names of the versions in force
#   that year), bidang urusan (+ names), program, perangkat daerah, sumber dana, kecamatan;
# renjaList (7): count, Renja (perangkat daerah joined), rows (windowed page; sub kegiatan and the
#   department of `code` joined), lokasi (wilayah and parent joined), pendanaan (sumber dana
#   joined), indicators, targets.
NESTED_RKPD_QUERIES = 19


def build_departments(world, count):
    """`count` departments, each with a published Renja 2026 of 2 rows; each row with 2 lokasi
    (kecamatan A, desa A1), 2 sources and 2 indicators of 2 targets each."""
    from tests.graphql_api.plans import make_region

    region = make_region()
    Rkpd.objects.filter(year=2026).delete()
    RkpdPriority.objects.create(rkpd=Rkpd.objects.create(year=2026, theme="Tema", is_published=True), order=1, name="Prioritas")
    units = PerangkatDaerah.objects.bulk_create(
        PerangkatDaerah(code=f"1.01.0.00.0.00.{n + 10:02d}.0000", name=f"Dinas {n}", bidang_urusan_1="1.01") for n in range(count)
    )
    renjas = Renja.objects.bulk_create(Renja(perangkat_daerah=unit, year=2026, is_published=True) for unit in units)
    subs = [world.subs["1.01.01.2.01.0001"], world.subs["1.01.01.2.01.0002"]]
    rows = RenjaRow.objects.bulk_create(
        RenjaRow(renja=renja, sub_kegiatan=sub, pagu_indikatif=Decimal("300")) for renja in renjas for sub in subs
    )
    RenjaLokasi.objects.bulk_create(RenjaLokasi(row=row, wilayah=place) for row in rows for place in (region.a, region.a1))
    RenjaPendanaan.objects.bulk_create(
        RenjaPendanaan(row=row, sumber_dana=source, pagu=amount) for row in rows for source, amount in ((world.dau, 200), (world.pad, 100))
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(renja_row=row, level=level, text=f"Indikator {level}") for row in rows for level in ("capaian", "keluaran")
    )
    IndicatorTarget.objects.bulk_create(IndicatorTarget(indicator=i, year=year, value=1) for i in indicators for year in (2026, 2027))
    return rows


@pytest.mark.parametrize("departments", [1, 30])
def test_the_nested_rkpd_query_costs_a_constant_number_of_queries(ask, world, django_assert_num_queries, departments):
    build_departments(world, departments)
    ask("public", "{ __typename }")  # nothing per-process (content types, editions) in the count

    with django_assert_num_queries(NESTED_RKPD_QUERIES):
        data = data_of(ask("public", NESTED_RKPD, year=2026))

    assert data["renjaList"]["totalCount"] == departments
    rows = [row for renja in data["renjaList"]["results"] for row in renja["rows"]["results"]]
    assert len(rows) == 2 * departments
    assert all(len(row["lokasiList"]) == 2 and len(row["pendanaanList"]) == 2 for row in rows)
    assert all(len(indicator["targets"]) == 2 for row in rows for indicator in row["indicators"])
    rkpd = data["rkpd"]
    assert (rkpd["totalPagu"], rkpd["rowCount"]) == (f"{600 * departments}.00", 2 * departments)
    assert len(rkpd["byPerangkatDaerah"]) == departments
    assert rkpd["byKecamatan"] == [{"code": "53.01.01", "name": "Kecamatan A", "totalPagu": f"{600 * departments}.00"}]
    assert rkpd["bySumberDana"] == [
        {"code": "DAU", "name": "Dana Alokasi Umum", "totalPagu": f"{400 * departments}.00"},
        {"code": "PAD", "name": "Pendapatan Asli Daerah", "totalPagu": f"{200 * departments}.00"},
    ]


@pytest.mark.parametrize("departments", [1, 30])
def test_the_nested_query_with_a_token_costs_one_more_query(ask, world, django_assert_num_queries, departments):
    """The token is looked up once per request (its last use is written at most once a minute)."""
    build_departments(world, departments)
    ask("token:verifier", "{ __typename }")

    with django_assert_num_queries(NESTED_RKPD_QUERIES + 1):
        data = data_of(ask("token:verifier", NESTED_RKPD, year=2026))

    assert data["renjaList"]["totalCount"] == departments


RKPD_LIST = """{ rkpdList { totalCount results {
    year totalPagu rowCount byUrusan { code name totalPagu } bySumberDana { code totalPagu } byKecamatan { code name totalPagu rowCount } } } }"""


@pytest.mark.parametrize("years", [1, 3])
def test_recaps_of_a_list_of_rkpd_years_cost_what_one_year_costs(ask, world, django_assert_num_queries, years):
    """Each year's recaps hold that year's rows only; the list computes every year in one query per recap."""
    for offset in range(years):
        year = 2026 + offset
        Rkpd.objects.create(year=year, is_published=True)
        renja = Renja.objects.create(perangkat_daerah=world.dikbud, year=year, is_published=True)
        row = RenjaRow.objects.create(renja=renja, sub_kegiatan=world.subs["1.01.01.2.01.0001"], pagu_indikatif=1000 * (offset + 1))
        RenjaPendanaan.objects.create(row=row, sumber_dana=world.dau, pagu=1000 * (offset + 1))
    Renja.objects.create(perangkat_daerah=world.dinkes, year=2026)  # a draft: not in the public's recaps
    ask("public", "{ __typename }")

    # list count, RKPD rows, totals, urusan (+ names), sumber dana, kecamatan
    with django_assert_num_queries(7):
        data = data_of(ask("public", RKPD_LIST))

    assert data["rkpdList"]["totalCount"] == years
    for rkpd in data["rkpdList"]["results"]:
        amount = f"{1000 * (rkpd['year'] - 2025)}.00"
        assert (rkpd["totalPagu"], rkpd["rowCount"]) == (amount, 1)
        assert rkpd["byUrusan"] == [{"code": "1", "name": "URUSAN 1", "totalPagu": amount}]
        assert rkpd["bySumberDana"] == [{"code": "DAU", "totalPagu": amount}]
        assert rkpd["byKecamatan"] == [{"code": None, "name": "Seluruh kabupaten", "totalPagu": amount, "rowCount": 1}]
