"""Peta Usulan in the admin: each role's map shows the proposals its scope allows (the same data
as the GraphQL GeoJSON fields), filtered by year, department and status, with Leaflet served from
the app's own static files."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from backoffice.musrenbang.services import create_usulan

pytestmark = pytest.mark.django_db
MAP = "/admin/musrenbang/peta/"
POINTS = MAP + "titik/"


def client_for(mb, name):
    client = Client()
    client.force_login(mb.users[name])
    return client


def drawn(mb, name, **params):
    response = client_for(mb, name).get(POINTS, {"tahun": 2027, **params})
    assert response.status_code == 200
    return sorted(feature["properties"]["trackingCode"] for feature in response.json()["features"])


@pytest.mark.parametrize("name, expected", [
    ("admin", ["road", "well", "draft", "clinic"]),
    ("verifier", ["road", "well", "draft", "clinic"]),
    ("desa_bolok", ["road", "well", "draft"]),
    ("desa_babau", ["clinic"]),
    ("kec_barat", ["road", "well"]),
    ("kec_timur", ["clinic"]),
    ("opd_pupr", ["road"]),
    ("opd_dinkes", []),
])
def test_each_role_sees_its_scope_on_the_map(mb, mapped, name, expected):
    assert drawn(mb, name) == sorted(mapped[key].tracking_code for key in expected)


def test_filters_by_department_status_and_year(mb, mapped):
    assert drawn(mb, "admin", opd=mb.pupr.code) == [mapped["road"].tracking_code]
    assert drawn(mb, "admin", status=["draft", "rejected_kecamatan"]) == sorted([mapped["draft"].tracking_code, mapped["well"].tracking_code])
    # An unknown year or department is ignored rather than answering an empty map by mistake.
    assert len(drawn(mb, "admin", opd="9.99.0.00.0.00.01.0000")) == 4
    create_usulan(mb.p["desa_bolok"], mb.proposal(year=2028, latitude=Decimal("-10.1"), longitude=Decimal("123.6")))
    assert len(drawn(mb, "admin", tahun=2028)) == 1


def test_counts_the_proposals_that_have_no_point(mb, mapped):
    collection = client_for(mb, "kec_barat").get(POINTS, {"tahun": 2027}).json()
    assert collection["totalCount"] == 3 and collection["withoutLocation"] == 1


def test_page_offers_the_filters_of_the_role_and_loads_leaflet_locally(mb, mapped):
    page = client_for(mb, "opd_pupr").get(MAP, {"tahun": 2027}).content.decode()
    assert "Peta Usulan" in page
    assert '<option value="2027" selected>2027</option>' in page
    # A department's choice is its own queue; the statuses are all offered with their legend.
    assert re.findall(r'<option value="(\d+\.[\d.]+)"', page) == [mb.pupr.code]
    assert "Ditolak kecamatan" in page
    assets = re.findall(r'<script[^>]* src="([^"]+)"', page) + re.findall(r'<link[^>]* href="([^"]+)"', page)
    assert "/static/musrenbang/vendor/leaflet-1.9.4/leaflet.js" in assets
    assert "/static/musrenbang/vendor/leaflet-1.9.4/leaflet.css" in assets
    assert not [url for url in assets if url.startswith(("http:", "https:", "//"))]


def test_bappeda_chooses_among_the_departments_of_the_year(mb, mapped):
    page = client_for(mb, "admin").get(MAP, {"tahun": 2027}).content.decode()
    assert re.findall(r'<option value="(\d+\.[\d.]+)"', page) == [mb.pupr.code]  # only PUPR has proposals routed to it


def test_boundaries_are_served_for_the_map(mb):
    collection = client_for(mb, "desa_bolok").get(MAP + "batas/desa/").json()
    assert [f["id"] for f in collection["features"]] == ["53.01.05.1001", "53.01.05.2010", "53.01.06.1001"]
    assert collection["features"][1]["geometry"]["type"] == "Polygon"


def test_menu_item_and_refusals(mb):
    assert "Peta Usulan" in client_for(mb, "kec_timur").get("/admin/").content.decode()
    staff = Client()
    from tests.factories import make_user

    staff.force_login(make_user("tamu"))
    # Staff without a role have no admin access (to the login page), and nobody reads the data anonymously.
    assert staff.get(MAP)["Location"].startswith("/admin/login/")
    assert staff.get(POINTS)["Location"].startswith("/admin/login/")
    assert Client().get(POINTS)["Location"].startswith("/admin/login/")
