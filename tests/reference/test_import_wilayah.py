"""Importing Kemendagri regions with boundaries and centroids."""

import io
import json

import pytest

from backoffice.reference.models import Wilayah
from backoffice.reference.services import ImportRefused, import_wilayah

pytestmark = pytest.mark.django_db

KUPANG = "wilayah/wilayah_kab_kupang_5301.csv"
SMALL = """kode,nama,level,parent_kode,jenis
53,Nusa Tenggara Timur,provinsi,,
53.01,Kabupaten Kupang,kabupaten_kota,53,kabupaten
53.01.05,Kupang Barat,kecamatan,53.01,
53.01.05.1001,Oenesu,desa_kelurahan,53.01.05,kelurahan
53.01.05.2010,Bolok,desa_kelurahan,53.01.05,desa
"""


def small(text=SMALL):
    return io.BytesIO(text.encode())


def test_kabupaten_kupang_with_boundaries(shared_data):
    report = import_wilayah(
        shared_data / KUPANG,
        boundaries=[
            shared_data / "wilayah/kab_kupang_5301_kecamatan_boundaries.geojson",
            shared_data / "wilayah/kab_kupang_5301_desa_boundaries.geojson",
        ],
    )
    kupang = Wilayah.objects.get(code="53.01")
    assert kupang.kind == "kabupaten" and kupang.boundary["type"] in ("Polygon", "MultiPolygon")
    assert Wilayah.objects.filter(level="kecamatan", parent=kupang).count() == 24
    villages = Wilayah.objects.filter(level="desa_kelurahan", code__startswith="53.01.")
    assert villages.count() == 177
    assert villages.filter(kind="desa").count() == 160 and villages.filter(kind="kelurahan").count() == 17
    assert not villages.filter(boundary__isnull=True).exists()
    semau = Wilayah.objects.get(code="53.01.04")
    assert semau.name == "Semau" and -11 < semau.centroid_lat < -9 and 123 < semau.centroid_lng < 125
    # The provinsi is not in this file: the top row is kept unlinked, with a warning naming it.
    assert kupang.parent is None
    assert [w.row for w in report.warnings] == [2]


def test_parent_arriving_later_is_linked(shared_data):
    import_wilayah(shared_data / KUPANG)
    report = import_wilayah(shared_data / "wilayah/wilayah_indonesia.csv", within="53.01")
    assert report.rows_read == 203
    assert Wilayah.objects.get(code="53.01").parent.code == "53"
    assert report.count("added") == 1 and report.count("changed") == 1


def test_within_limits_a_national_file_to_one_region(shared_data):
    import_wilayah(shared_data / "wilayah/wilayah_indonesia.csv", within="35.73")
    malang = Wilayah.objects.get(code="35.73")
    assert malang.kind == "kota" and malang.parent.code == "35"
    assert Wilayah.objects.filter(level="kecamatan").count() == 5
    assert set(Wilayah.objects.values_list("level", flat=True)) == {"provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan"}
    assert not Wilayah.objects.exclude(code__startswith="35").exists()


def test_reimport_changes_nothing_and_renames_are_reported():
    import_wilayah(small())
    assert not import_wilayah(small()).has_changes
    report = import_wilayah(small(SMALL.replace("Bolok", "Bolok Baru")))
    assert [(c.action, c.code, c.old, c.new) for c in report.changes] == [("renamed", "53.01.05.2010", "Bolok", "Bolok Baru")]
    assert Wilayah.objects.get(code="53.01.05.2010").name == "Bolok Baru"


@pytest.mark.parametrize(
    "change, row, needle",
    [
        (("53.01.05.2010,Bolok", "53.01.5.2010,Bolok"), 6, "tidak sesuai format"),
        (("Bolok,desa_kelurahan", "Bolok,kecamatan"), 6, "bukan 'kecamatan'"),
        (("53.01.05.2010,Bolok,desa_kelurahan,53.01.05", "53.01.07.2010,Bolok,desa_kelurahan,53.01.07"), 6, "Induk '53.01.07'"),
        (("53.01.05.2010,Bolok,desa_kelurahan,53.01.05", "53.01.05.2010,Bolok,desa_kelurahan,53.01.04"), 6, "seharusnya '53.01.05'"),
        (("53.01.05.2010,Bolok", "53.01.05.1001,Bolok"), 6, "ganda (juga di baris 5)"),
        (("Bolok,", ","), 6, "kosong"),
    ],
    ids=["malformed", "level-mismatch", "unknown-parent", "wrong-parent", "duplicate", "empty-name"],
)
def test_bad_rows_are_refused_and_nothing_written(change, row, needle):
    with pytest.raises(ImportRefused) as refused:
        import_wilayah(small(SMALL.replace(*change)))
    assert any(e.row == row and needle in e.message for e in refused.value.errors), refused.value.errors
    assert not Wilayah.objects.exists()


def test_boundary_for_unknown_region_or_bad_geometry_is_refused():
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"kode": "53.01.05"}, "geometry": {"type": "Point", "coordinates": [123.5, -10.1]}},
            {"type": "Feature", "properties": {"kode": "99.99"}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}},
        ],
    }
    with pytest.raises(ImportRefused) as refused:
        import_wilayah(small(), boundaries=[io.BytesIO(json.dumps(geojson).encode())])
    messages = [(e.row, e.message) for e in refused.value.errors]
    assert any(row == 1 and "Polygon" in m for row, m in messages)
    assert any(row == 2 and "'99.99' tidak dikenal" in m for row, m in messages)
    assert not Wilayah.objects.exists()
    with pytest.raises(ImportRefused, match="bukan GeoJSON"):
        import_wilayah(small(), boundaries=[io.BytesIO(b"{not json")])


def test_centroids_from_csv(shared_data):
    import_wilayah(small(), centroids=shared_data / "wilayah/kab_kupang_5301_centroids.csv")
    bolok = Wilayah.objects.get(code="53.01.05.2010")
    assert bolok.centroid_lat is not None and -11 < bolok.centroid_lat < -9
    # Centroids of regions outside the import are ignored, not created.
    assert Wilayah.objects.count() == 5
