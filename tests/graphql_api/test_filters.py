"""Filters and ordering of the reference lists."""

import pytest

from backoffice.reference.models import PerangkatDaerah, Satuan, SumberDana, Wilayah
from tests.factories import make_nomenclature


def codes(page):
    return [row["code"] for row in page["results"]]


@pytest.fixture
def tree(edition):
    # urusan 1-2, bidang x.01-x.02, program x.0y.01-02, kegiatan ...2.01-02, sub kegiatan ...0001-0002
    return make_nomenclature(edition, urusan=2, bidang=2, program=2, kegiatan=2, sub_kegiatan=2)


@pytest.mark.parametrize(
    "field, filters, expected",
    [
        ("bidangUrusanList", {"urusanCode": "2"}, ["2.01", "2.02"]),
        ("programList", {"bidangUrusanCode": "1.02"}, ["1.02.01", "1.02.02"]),
        ("kegiatanList", {"programCode": "2.01.02"}, ["2.01.02.2.01", "2.01.02.2.02"]),
        ("subKegiatanList", {"kegiatanCode": "1.01.01.2.02"}, ["1.01.01.2.02.0001", "1.01.01.2.02.0002"]),
        ("subKegiatanList", {"code": "1.02.01.2.01.02"}, ["1.02.01.2.01.0002"]),  # 2-digit last segment padded
        ("programList", {"codeStartsWith": "2.02"}, ["2.02.01", "2.02.02"]),
        ("urusanList", {"nameContains": "urusan 2"}, ["2"]),
        ("subKegiatanList", {"nameContains": "1.01.01.2.01.000", "NOT": {"code": "1.01.01.2.01.0001"}}, ["1.01.01.2.01.0002"]),
        ("programList", {"code": "1.01.01", "OR": {"code": "2.02.02"}}, ["1.01.01", "2.02.02"]),
    ],
)
def test_nomenclature_filters(gql, tree, field, filters, expected):
    data = gql("query($f: %sFilter) { %s(filters: $f) { totalCount results { code } } }" % (field[0].upper() + field[1:-4], field), f=filters)
    assert codes(data[field]) == expected
    assert data[field]["totalCount"] == len(expected)


def test_nested_lists_take_filters_and_ordering(gql, tree):
    data = gql(
        """{ bidangUrusanList(filters: {code: "1.01"}) { results {
               programList(ordering: [{code: DESC}], filters: {codeStartsWith: "1.01"}) { totalCount results { code } } } } }"""
    )
    assert codes(data["bidangUrusanList"]["results"][0]["programList"]) == ["1.01.02", "1.01.01"]


def test_ordering_with_several_criteria(gql, tree, edition):
    tree[0].__class__.objects.filter(code__in=["1.01.01.2.01.0001", "1.01.01.2.01.0002"]).update(name="Sama")
    data = gql(
        """{ subKegiatanList(filters: {kegiatanCode: "1.01.01.2.01"}, ordering: [{name: ASC}, {code: DESC}]) { results { code } }
             desc: urusanList(ordering: [{code: DESC}]) { results { code } } }"""
    )
    assert codes(data["subKegiatanList"]) == ["1.01.01.2.01.0002", "1.01.01.2.01.0001"]
    assert codes(data["desc"]) == ["2", "1"]


@pytest.fixture
def wilayah(db):
    def make(code, name, level, kind, parent=None):
        return Wilayah.objects.create(code=code, name=name, level=level, kind=kind, parent=parent)

    prov = make("53", "Nusa Tenggara Timur", "provinsi", "provinsi")
    kab = make("53.01", "Kupang", "kabupaten_kota", "kabupaten", prov)
    semau = make("53.01.04", "Semau", "kecamatan", "kecamatan", kab)
    make("53.01.04.2001", "Uitao", "desa_kelurahan", "desa", semau)
    make("53.01.04.1001", "Batuinan", "desa_kelurahan", "kelurahan", semau)
    make("53.01.05", "Kupang Barat", "kecamatan", "kecamatan", kab)


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"level": "KECAMATAN"}, ["53.01.04", "53.01.05"]),
        ({"kind": "KELURAHAN"}, ["53.01.04.1001"]),
        ({"parentCode": "53.01.04"}, ["53.01.04.1001", "53.01.04.2001"]),
        ({"codeStartsWith": "53.01.0", "level": "DESA_KELURAHAN"}, ["53.01.04.1001", "53.01.04.2001"]),
        ({"nameContains": "kupang"}, ["53.01", "53.01.05"]),
        ({"code": "53"}, ["53"]),
    ],
)
def test_wilayah_filters(gql, wilayah, filters, expected):
    data = gql("query($f: WilayahFilter) { wilayahList(filters: $f) { results { code } } }", f=filters)
    assert codes(data["wilayahList"]) == expected


def test_wilayah_navigation(gql, wilayah):
    data = gql(
        """{ wilayah(code: "53.01.04") { name level kind parent { code }
               children(filters: {kind: DESA}) { totalCount results { code kind parent { name } } } }
             missing: wilayah(code: "99.99") { code } }"""
    )
    assert data["wilayah"] == {
        "name": "Semau",
        "level": "KECAMATAN",
        "kind": "KECAMATAN",
        "parent": {"code": "53.01"},
        "children": {"totalCount": 1, "results": [{"code": "53.01.04.2001", "kind": "DESA", "parent": {"name": "Semau"}}]},
    }
    assert data["missing"] is None


@pytest.fixture
def perangkat_daerah(db):
    dinkes = PerangkatDaerah.objects.create(code="1.02.0.00.0.00.01.0000", name="Dinas Kesehatan", short_name="DINKES", head_nip="197001012000031001")
    PerangkatDaerah.objects.create(code="1.02.0.00.0.00.01.0001", name="RSUD Naibonat", parent=dinkes)
    PerangkatDaerah.objects.create(code="1.01.0.00.0.00.02.0000", name="Dinas Pendidikan", is_active=False)
    PerangkatDaerah.objects.create(code="2.07.3.31.0.00.03.0000", name="Dinas Perindustrian dan Perdagangan")
    return dinkes


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"bidangUrusanCode": "1.02"}, ["1.02.0.00.0.00.01.0000", "1.02.0.00.0.00.01.0001"]),
        ({"bidangUrusanCode": "3.31"}, ["2.07.3.31.0.00.03.0000"]),  # the second bidang it serves
        ({"isActive": False}, ["1.01.0.00.0.00.02.0000"]),
        ({"parentCode": "1.02.0.00.0.00.01.0000"}, ["1.02.0.00.0.00.01.0001"]),
        ({"nameContains": "dinas", "isActive": True}, ["1.02.0.00.0.00.01.0000", "2.07.3.31.0.00.03.0000"]),
    ],
)
def test_perangkat_daerah_filters(gql, perangkat_daerah, filters, expected):
    data = gql("query($f: PerangkatDaerahFilter) { perangkatDaerahList(filters: $f) { results { code } } }", f=filters)
    assert codes(data["perangkatDaerahList"]) == expected


def test_perangkat_daerah_lookup_and_navigation(gql, perangkat_daerah):
    data = gql(
        """{ perangkatDaerah(code: "1.02.0.00.0.00.01.0000") { name shortName bidangUrusanCodes isActive
               subUnits { totalCount results { name parent { shortName } } } }
             missing: perangkatDaerah(code: "9.99.0.00.0.00.99.0000") { code } }"""
    )
    assert data["perangkatDaerah"] == {
        "name": "Dinas Kesehatan",
        "shortName": "DINKES",
        "bidangUrusanCodes": ["1.02"],
        "isActive": True,
        "subUnits": {"totalCount": 1, "results": [{"name": "RSUD Naibonat", "parent": {"shortName": "DINKES"}}]},
    }
    assert data["missing"] is None


def test_the_head_nip_is_not_in_the_public_api(gql_errors, perangkat_daerah):
    assert "headNip" in gql_errors('{ perangkatDaerah(code: "1.02.0.00.0.00.01.0000") { headNip } }')[0]


def test_satuan_and_sumber_dana(gql, db):
    for name in ("Dokumen", "Unit", "Orang"):
        Satuan.objects.create(name=name)
    SumberDana.objects.create(code="1.1", name="Pendapatan Asli Daerah", group="PAD")
    SumberDana.objects.create(code="2.1", name="Dana Alokasi Umum", group="Pendapatan Transfer")
    SumberDana.objects.create(code="2.2", name="Dana Otonomi Khusus", group="Pendapatan Transfer", is_active=False)
    data = gql(
        """{ satuanList(filters: {nameContains: "u"}) { results { name } }
             sumberDanaList(filters: {group: "Pendapatan Transfer", isActive: true}) { results { code name group isActive } }
             ordered: sumberDanaList(ordering: [{name: ASC}]) { results { code } } }"""
    )
    assert [r["name"] for r in data["satuanList"]["results"]] == ["Dokumen", "Unit"]
    assert data["sumberDanaList"]["results"] == [
        {"code": "2.1", "name": "Dana Alokasi Umum", "group": "Pendapatan Transfer", "isActive": True}
    ]
    assert codes(data["ordered"]) == ["2.1", "2.2", "1.1"]


@pytest.mark.parametrize("size", [2, 30])
def test_wilayah_and_perangkat_daerah_trees_cost_constant_queries(gql, db, django_assert_num_queries, size):
    prov = Wilayah.objects.create(code="53", name="NTT", level="provinsi", kind="provinsi")
    kab = Wilayah.objects.create(code="53.01", name="Kupang", level="kabupaten_kota", kind="kabupaten", parent=prov)
    for k in range(1, size + 1):
        kec = Wilayah.objects.create(code=f"53.01.{k:02d}", name=f"Kec {k}", level="kecamatan", kind="kecamatan", parent=kab)
        Wilayah.objects.bulk_create(
            Wilayah(code=f"53.01.{k:02d}.{2000 + d}", name=f"Desa {d}", level="desa_kelurahan", kind="desa", parent=kec)
            for d in range(1, size + 1)
        )
    for n in range(1, size + 1):
        unit = PerangkatDaerah.objects.create(code=f"1.02.0.00.0.00.{n:02d}.0000", name=f"Dinas {n}")
        for s in range(1, 4):
            PerangkatDaerah.objects.create(code=f"1.02.0.00.0.00.{n:02d}.{s:04d}", name=f"UPTD {n}.{s}", parent=unit)

    # wilayah: count, rows (parent joined), then one prefetch per children level (3);
    # perangkat daerah: count, rows, sub units. Upward links are joins.
    with django_assert_num_queries(8):
        data = gql(
            """{ wilayahList(filters: {level: PROVINSI}) { totalCount results { code parent { code }
                   children { totalCount results { code children { totalCount results { code parent { code }
                     children { totalCount results { code kind } } } } } } } }
                 perangkatDaerahList(filters: {codeStartsWith: "1.02", parentCode: null}) { totalCount results {
                   code bidangUrusanCodes parent { code } subUnits { totalCount results { code bidangUrusanCodes parent { name } } } } } }"""
        )
    kecamatan = data["wilayahList"]["results"][0]["children"]["results"][0]["children"]
    assert kecamatan["totalCount"] == size
    assert kecamatan["results"][0]["children"]["totalCount"] == size
    units = data["perangkatDaerahList"]
    assert units["totalCount"] == size * 4
    assert units["results"][0]["subUnits"]["totalCount"] == 3
    assert units["results"][0]["subUnits"]["results"][0]["bidangUrusanCodes"] == ["1.02"]
