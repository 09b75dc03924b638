"""The kamus usulan over GraphQL: the public list (active items), a department's own inactive items
for its staff, a constant query count; and submitUsulan from a village system choosing a kamus item
(the service prices it) or giving the reason for a proposal outside the kamus, with per-field errors."""

from decimal import Decimal

import pytest
from django.test import Client

from backoffice.musrenbang.kamus import save_setting
from backoffice.musrenbang.models import KamusUsulan, MusrenbangSchedule, Usulan
from tests.graphql_api.conftest import post
from tests.graphql_api.test_musrenbang import SUBMIT, desa_token, submission
from tests.musrenbang.conftest import mb, season  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

KAMUS = """query($year: Int) { kamusUsulanList(filters: {year: $year}, pagination: {limit: 500}) { totalCount results {
  id name unitPrice isActive expectedOutput subKegiatanCode subKegiatanName perangkatDaerah { code } satuan { name } } } }"""
SUBMITTED = """mutation($input: UsulanSubmissionInput!, $key: String!) {
  submitUsulan(input: $input, idempotencyKey: $key) {
    usulan { trackingCode status estimatedCost satuan { name } targetPerangkatDaerah { code } } errors { field code message } } }"""


def names(body):
    return [item["name"] for item in body["data"]["kamusUsulanList"]["results"]]


def test_the_public_sees_the_active_kamus_and_a_department_its_own_inactive_items_too(season):
    public = post(Client(), KAMUS, {"year": 2027})
    assert sorted(names(public)) == ["Posyandu keliling", "Rabat beton jalan lingkungan", "Sumur bor"]
    road = next(item for item in public["data"]["kamusUsulanList"]["results"] if item["name"] == "Rabat beton jalan lingkungan")
    assert (road["unitPrice"], road["satuan"]["name"], road["perangkatDaerah"]["code"]) == ("1200000.00", "Meter", season.mb.pupr.code)
    KamusUsulan.objects.create(year=2027, perangkat_daerah=season.mb.dinkes, name="Ambulans desa lama", satuan=season.unit,
                               unit_price=Decimal("1"), is_active=False)
    staff = Client()
    staff.force_login(season.mb.users["op_pupr"])
    # Its own inactive "Talud lama", not Dinas Kesehatan's.
    assert sorted(names(post(staff, KAMUS, {"year": 2027}))) == ["Posyandu keliling", "Rabat beton jalan lingkungan", "Sumur bor", "Talud lama"]
    assert "Talud lama" not in names(post(Client(), KAMUS, {"year": 2027}))
    assert names(post(Client(), KAMUS, {"year": 2028})) == []


@pytest.mark.parametrize("count", [3, 300])
def test_the_kamus_list_costs_a_constant_number_of_queries(mb, count, django_assert_num_queries):
    from backoffice.reference.models import Satuan

    unit = Satuan.objects.create(name="Paket")
    KamusUsulan.objects.bulk_create(
        KamusUsulan(year=2027, perangkat_daerah=(mb.pupr, mb.dinkes)[n % 2], name=f"Item {n:03d}", satuan=unit, unit_price=Decimal(n + 1))
        for n in range(count)
    )
    client = Client()
    with django_assert_num_queries(2):  # the count, and a page of items with department, satuan and sub kegiatan
        body = post(client, KAMUS, {"year": 2027})
    assert body["data"]["kamusUsulanList"]["totalCount"] == count


@pytest.fixture
def open_season(season):
    """The season with no schedule windows: the API submits at the real time, and a level without
    a schedule is not restricted."""
    MusrenbangSchedule.objects.all().delete()
    return season


def submit(season, key="sid-k1", **overrides):
    _, token = desa_token(season.mb)
    return post(Client(), SUBMITTED, {"input": submission(**overrides), "key": key}, token=token)["data"]["submitUsulan"]


def test_a_village_system_submits_from_the_kamus_and_the_service_prices_it(open_season):
    season = open_season
    values = submission(kamusId=str(season.road.pk), volume="80.5")
    del values["satuan"], values["estimatedCost"]  # the kamus item gives both
    _, token = desa_token(season.mb)
    result = post(Client(), SUBMITTED, {"input": values, "key": "sid-k1"}, token=token)["data"]["submitUsulan"]
    assert result["errors"] == []
    # 80,5 m x Rp 1.200.000; the kamus item's satuan and department.
    assert result["usulan"]["estimatedCost"] == "96600000.00" and result["usulan"]["status"] == "SUBMITTED"
    assert (result["usulan"]["satuan"]["name"], result["usulan"]["targetPerangkatDaerah"]["code"]) == ("Meter", season.mb.pupr.code)
    assert Usulan.objects.get().kamus == season.road


def test_a_typed_cost_gives_way_to_the_kamus_price(open_season):
    season = open_season
    result = submit(season, kamusId=str(season.well.pk), volume="2", satuan="Meter", estimatedCost="1")
    assert result["usulan"]["estimatedCost"] == "170000000.00" and result["usulan"]["satuan"]["name"] == "Unit"


@pytest.mark.parametrize("overrides, field, code", [
    ({"kamusId": "999999"}, "kamusId", "unknown"),
    ({"kamusId": "abc"}, "kamusId", "unknown"),
    ({"kamusId": "old"}, "kamusId", "inactive"),
    ({"kamusId": "road", "targetPerangkatDaerahCode": "1.02.0.00.0.00.01.0000"}, "targetPerangkatDaerahCode", "kamus_mismatch"),
    ({}, "outsideKamusReason", "required"),
    ({"satuan": None, "outsideKamusReason": "Tidak ada di kamus"}, "satuan", "required"),
    ({"estimatedCost": None, "outsideKamusReason": "Tidak ada di kamus"}, "estimatedCost", "invalid"),
])
def test_kamus_errors_per_field_and_nothing_written(open_season, overrides, field, code):
    season = open_season
    save_setting(season.p["admin"], 2027, outside_kamus_allowed=True)
    items = {"old": str(season.old.pk), "road": str(season.road.pk)}
    if overrides.get("kamusId") in items:
        overrides = {**overrides, "kamusId": items[overrides["kamusId"]]}
    result = submit(season, **overrides)
    assert result["usulan"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [(field, code)], result["errors"]
    assert all(e["message"] for e in result["errors"])
    assert not Usulan.objects.exists()


def test_outside_the_kamus_with_a_reason_or_refused_when_bappeda_requires_the_kamus(open_season):
    season = open_season
    save_setting(season.p["admin"], 2027, outside_kamus_allowed=True)
    result = submit(season, outsideKamusReason="Jembatan gantung belum ada dalam kamus")
    assert result["errors"] == [] and Usulan.objects.get().outside_kamus_reason == "Jembatan gantung belum ada dalam kamus"
    save_setting(season.p["admin"], 2027, outside_kamus_allowed=False)
    result = submit(season, key="sid-k2", outsideKamusReason="Tetap perlu")
    assert result["errors"] == [{"field": "kamusId", "code": "required", "message": "Tahun 2027 usulan wajib dipilih dari kamus usulan."}]
    assert Usulan.objects.count() == 1
