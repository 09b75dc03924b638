"""e-Musrenbang over GraphQL: public tracking without personal data, bounded lists with a constant
query count, the yearly summary, and the submission API (token per desa, idempotent, field errors)."""

import io
import json
from decimal import Decimal

import pytest
from django.test import Client
from PIL import Image

from backoffice.access.models import ApiToken, Role
from backoffice.access.policy import principal_for_token
from backoffice.musrenbang.models import Usulan
from backoffice.musrenbang.services import (
    accept_usulan,
    agree_usulan,
    adopt_usulan,
    create_usulan,
    reject_at_kecamatan,
    route_usulan,
    submit_usulan,
)
from backoffice.planning.models import Renja, RenjaRow
from tests.factories import make_edition, make_nomenclature
from tests.graphql_api.conftest import URL, post
from tests.musrenbang.conftest import mb  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

TRACK = """query($code: String!) { usulan(trackingCode: $code) {
  trackingCode year status publicReason solution volume estimatedCost
  desa { code name } kecamatan { code name } targetPerangkatDaerah { code name }
  recommendations { level volume cost }
  timeline { action toStatus at publicReason }
  adoptedInto { year perangkatDaerahCode subKegiatanCode }
} }"""


@pytest.fixture
def walked(mb):
    p = mb.p
    road = create_usulan(p["desa_bolok"], mb.proposal())
    submit_usulan(p["desa_bolok"], road)
    route_usulan(p["kec_barat"], road, mb.pupr, volume=Decimal("120"), cost=Decimal("150000000"))
    accept_usulan(p["opd_pupr"], road, volume=Decimal("100"), cost=Decimal("125000000"), reason="Disesuaikan survei")
    agree_usulan(p["admin"], road)
    sub = make_nomenclature(make_edition(year=2027), urusan=1, bidang=3)[-1]
    row = RenjaRow.objects.create(renja=Renja.objects.create(perangkat_daerah=mb.pupr, year=2027, is_published=True), sub_kegiatan=sub)
    adopt_usulan(p["admin"], road, row)
    well = create_usulan(p["desa_bolok"], mb.proposal(solution="Sumur bor"))
    submit_usulan(p["desa_bolok"], well)
    reject_at_kecamatan(p["kec_barat"], well, "Sudah dibiayai Dana Desa")
    draft = create_usulan(p["desa_bolok"], mb.proposal(solution="Masih draf"))
    return road, well, draft


def test_public_tracking_shows_the_story_and_no_personal_data(mb, walked):
    road, well, draft = walked
    client = Client()
    body = post(client, TRACK, {"code": road.tracking_code.lower().replace("-", " ")})
    usulan = body["data"]["usulan"]
    assert usulan["status"] == "ADOPTED" and usulan["targetPerangkatDaerah"]["code"] == mb.pupr.code
    assert [e["action"] for e in usulan["timeline"]] == ["create", "submit", "route", "accept_changed", "agree", "adopt"]
    assert usulan["timeline"][3]["publicReason"] == "Disesuaikan survei"
    assert (usulan["volume"], usulan["estimatedCost"]) == ("150.00", "180000000.00")
    assert [(r["level"], r["volume"]) for r in usulan["recommendations"]] == [("KECAMATAN", "120.00"), ("FORUM_OPD", "100.00")]
    assert usulan["adoptedInto"]["perangkatDaerahCode"] == mb.pupr.code
    raw = json.dumps(body)
    for secret in ("Yohanis Bana", "081234567890", "5301051203800001", "Kades minta didahulukan"):
        assert secret not in raw
    rejected = post(client, TRACK, {"code": well.tracking_code})["data"]["usulan"]
    assert rejected["status"] == "REJECTED_KECAMATAN" and rejected["publicReason"] == "Sudah dibiayai Dana Desa"
    # A draft is the village's own: the public is refused, an unknown code is null.
    assert post(client, TRACK, {"code": draft.tracking_code})["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert post(client, TRACK, {"code": "99-ZZZZZZ"})["data"]["usulan"] is None


def test_personal_fields_are_not_in_the_schema(client):
    names = {f["name"] for f in post(client, '{ __type(name: "Usulan") { fields { name } } }')["data"]["__type"]["fields"]}
    assert not names & {"proposerName", "proposerPhone", "proposerNik", "internalNotes", "note", "actor"}


def test_list_filters_and_summary(mb, walked):
    client = Client()
    data = post(client, """{ usulanList(filters: {year: 2027, kecamatanCode: "53.01.05"}) { totalCount results { trackingCode status } }
        usulanSummary(year: 2027) { totalCount totalCost byStatus { key count cost } byPerangkatDaerah { key count } } }""")["data"]
    assert data["usulanList"]["totalCount"] == 2  # the draft is not public
    summary = data["usulanSummary"]
    assert summary["totalCount"] == 2 and summary["totalCost"] == "360000000.00"
    assert {s["key"]: s["count"] for s in summary["byStatus"]} == {"adopted": 1, "rejected_kecamatan": 1}
    assert {s["key"]: s["count"] for s in summary["byPerangkatDaerah"]} == {mb.pupr.code: 1, "-": 1}


LIST = "{ usulanList(pagination: {limit: 500}) { totalCount results { trackingCode status desa { name } kecamatan { name } satuan { name } targetPerangkatDaerah { name } recommendations { volume } timeline { action at } adoptedInto { year } } } }"


@pytest.mark.parametrize("count", [10, 1000])
def test_public_list_costs_a_constant_number_of_queries(mb, count, django_assert_num_queries):
    usulan = [Usulan(year=2027, desa=mb.bolok, kecamatan=mb.barat, solution=f"Usulan {n}", volume=1, satuan=mb.meter,
                     estimated_cost=1000, status="submitted", tracking_code=f"27-{n:06d}") for n in range(count)]
    Usulan.objects.bulk_create(usulan)
    client = Client()
    with django_assert_num_queries(4):  # count, a page of rows (with places, unit, department, Renja row), recommendations, timeline
        body = post(client, LIST)
    assert body["data"]["usulanList"]["totalCount"] == count


def desa_token(mb, wilayah=None):
    token, key = ApiToken.issue(name="SID Bolok", role=Role.DESA_OPERATOR, wilayah=wilayah or mb.bolok)
    return token, key


SUBMIT = """mutation($input: UsulanSubmissionInput!, $key: String!) {
  submitUsulan(input: $input, idempotencyKey: $key) { usulan { trackingCode status desa { code } } errors { field code message } } }"""


def submission(**overrides):
    values = {"year": 2027, "desaCode": "53.01.05.2010", "solution": "Rabat beton jalan", "volume": "150", "satuan": "meter",
              "estimatedCost": "180000000", "proposerName": "Yohanis", "proposerNik": "5301051203800001"}
    values.update(overrides)
    return values


def test_a_retried_submission_creates_one_proposal(mb):
    _, key = desa_token(mb)
    client = Client()
    first = post(client, SUBMIT, {"input": submission(), "key": "sid-0001"}, token=key)["data"]["submitUsulan"]
    again = post(client, SUBMIT, {"input": submission(), "key": "sid-0001"}, token=key)["data"]["submitUsulan"]
    assert first["errors"] == [] and first["usulan"]["status"] == "SUBMITTED"
    assert again["usulan"]["trackingCode"] == first["usulan"]["trackingCode"]
    assert Usulan.objects.count() == 1 and Usulan.objects.get().events.count() == 2


@pytest.mark.parametrize(
    "overrides, field, code",
    [
        ({"desaCode": "53.01.06.1001"}, None, None),
        ({"volume": "0"}, "volume", "invalid"),
        ({"satuan": "ember"}, "satuan", "unknown"),
        ({"desaCode": "99.99.99.9999"}, "desaCode", "unknown"),
        ({"latitude": "-7.8", "longitude": "110.4"}, "latitude", "outside_region"),
        ({"proposerNik": "123"}, "proposerNik", "invalid"),
    ],
)
def test_validation_errors_per_field_and_nothing_written(mb, overrides, field, code):
    _, key = desa_token(mb)
    body = post(Client(), SUBMIT, {"input": submission(**overrides), "key": "k"}, token=key)
    if field is None:
        # Another desa than the token's: refused as a permission error.
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    else:
        result = body["data"]["submitUsulan"]
        assert result["usulan"] is None and (result["errors"][0]["field"], result["errors"][0]["code"]) == (field, code)
        assert result["errors"][0]["message"]
    assert not Usulan.objects.exists()


def test_submission_needs_a_desa_token_and_post(mb):
    client = Client()
    assert post(client, SUBMIT, {"input": submission(), "key": "k"})["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    client.force_login(mb.users["desa_bolok"])
    assert post(client, SUBMIT, {"input": submission(), "key": "k"})["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    _, key = desa_token(mb)
    response = Client().get(URL, {"query": SUBMIT, "variables": json.dumps({"input": submission(), "key": "k"})}, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code in (400, 405)
    assert not Usulan.objects.exists()


def test_photos_are_uploaded_with_the_submission(mb, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _, key = desa_token(mb)
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(buffer, "JPEG")
    query = """mutation($input: UsulanSubmissionInput!, $key: String!, $photos: [Upload!]) {
      submitUsulan(input: $input, idempotencyKey: $key, photos: $photos) { usulan { trackingCode } errors { field code } } }"""
    operations = json.dumps({"query": query, "variables": {"input": submission(), "key": "foto-1", "photos": [None]}})
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = Client().post(
        URL, {"operations": operations, "map": json.dumps({"0": ["variables.photos.0"]}),
              "0": SimpleUploadedFile("jalan.jpg", buffer.getvalue(), content_type="image/jpeg")},
        headers={"Authorization": f"Bearer {key}"},
    )
    result = response.json()["data"]["submitUsulan"]
    assert result["errors"] == []
    assert Usulan.objects.get().attachments.get().kind == "photo"


def test_a_desa_token_sees_its_own_drafts(mb, walked):
    _, _, draft = walked
    _, key = desa_token(mb)
    assert principal_for_token(ApiToken.objects.get()).wilayah_id == mb.bolok.pk
    body = post(Client(), TRACK, {"code": draft.tracking_code}, token=key)
    assert body["data"]["usulan"]["status"] == "DRAFT"
