import pytest

from backoffice.reference.geo import contains

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]]}


@pytest.mark.parametrize("point, inside", [((1, 1), True), ((5, 5), False), ((11, 5), False), ((9.9, 9.9), True)])
def test_polygon_with_hole(point, inside):
    assert contains(SQUARE, *point) is inside


def test_multipolygon_and_other_geometries():
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"], [[[20, 20], [30, 20], [30, 30], [20, 20]]]]}
    assert contains(multi, 28, 22) and not contains(multi, 21, 29)
    assert not contains({"type": "Point", "coordinates": [1, 1]}, 1, 1) and not contains(None, 1, 1)


def test_real_kupang_boundary(shared_data):
    import json

    features = json.loads((shared_data / "wilayah/kab_kupang_5301_kecamatan_boundaries.geojson").read_text())["features"]
    kabupaten = next(f for f in features if f["properties"]["kode"] == "53.01")
    semau = next(f for f in features if f["properties"]["kode"] == "53.01.04")
    lat, lng = semau["properties"]["centroid_lat"], semau["properties"]["centroid_lng"]
    assert contains(semau["geometry"], lng, lat) and contains(kabupaten["geometry"], lng, lat)
    assert not contains(kabupaten["geometry"], 110.0, -7.0)  # Yogyakarta
