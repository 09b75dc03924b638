"""Kriteria Penilaian and the scoring pages over HTTP: who may open them, scores typed on the page
rank the list with the tie-break shown, an out-of-range score is refused on its field with nothing
written, the ranked order becomes the level's priorities, and a quota refusal shows where the
kecamatan routes."""

from decimal import Decimal

import pytest

from backoffice.musrenbang import scoring, services
from backoffice.musrenbang.models import Level, Score, ScoringCriterion, SeasonSetting, Status, Usulan

from .test_admin_helpers import *  # noqa: F403  (fixtures)
from .test_admin_helpers import BASE, MATRIX_ROLES, status_of

pytestmark = pytest.mark.django_db
KRITERIA = "/admin/musrenbang/kriteria/"
KECAMATAN = "/admin/musrenbang/penilaian/kecamatan/"
OPD = "/admin/musrenbang/penilaian/perangkat-daerah/"


@pytest.fixture
def criteria(season):
    admin = season.p["admin"]
    return {
        "urgensi": scoring.save_criterion(admin, None, year=2027, level=Level.KECAMATAN, name="Urgensi", weight=Decimal("2"), min_score=1, max_score=5, order=1),
        "manfaat": scoring.save_criterion(admin, None, year=2027, level=Level.KECAMATAN, name="Penerima manfaat", weight=Decimal("1"), min_score=1, max_score=5, order=2),
        "kesiapan": scoring.save_criterion(admin, None, year=2027, level=Level.FORUM_OPD, name="Kesiapan lahan", weight=Decimal("3"), min_score=0, max_score=10),
    }


# ------------------------------------------------------------------------------------------------
# Who may open what


EXPECTED = {
    # role: (criteria list, add form, kecamatan scoring, department scoring)
    "admin": (200, 200, 200, 200),
    "verifier": (200, 403, 403, 403),
    "kec_barat": (200, 403, 200, 403),
    "kec_timur": (200, 403, 200, 403),
    "desa_bolok": (403, 403, 403, 403),
    "opd_pupr": (200, 403, 403, 200),
    "opd_dinkes": (200, 403, 403, 200),
    "setwan": (403, 403, 403, 403),
    "dprd_ana": (403, 403, 403, 403),
    "anonymous": ("login", "login", "login", "login"),
}


@pytest.mark.parametrize("name", MATRIX_ROLES)
def test_role_matrix(login, season, criteria, submitted, name):
    urls = [KRITERIA, KRITERIA + "tambah/", KECAMATAN, OPD]
    assert tuple(status_of(login, name, url) for url in urls) == EXPECTED[name]
    before = ScoringCriterion.objects.count()
    post = status_of(login, name, KRITERIA + "tambah/", "post", {"year": 2027, "level": "kecamatan", "name": "Lokus stunting", "weight": "1", "min_score": 1, "max_score": 5})
    assert post == (302 if name == "admin" else EXPECTED[name][1])
    assert ScoringCriterion.objects.count() == before + (name == "admin")


def test_each_kecamatan_scores_only_its_own(login, criteria, submitted):
    barat = login("kec_barat").get(KECAMATAN)
    assert {row["usulan"].solution for row in barat.context["rows"]} == {"Jalan", "Sumur", "Posyandu"}
    timur = login("kec_timur").get(KECAMATAN)
    assert [row["usulan"].solution for row in timur.context["rows"]] == ["Babau"]
    # Another kecamatan's proposal is not on the form: its scores are ignored, nothing is written.
    key = f"skor-{submitted['jalan'].pk}-{criteria['urgensi'].pk}"
    login("kec_timur").post(KECAMATAN, {"tahun": 2027, "action": "simpan", key: "5"})
    assert Score.objects.count() == 0


def test_criteria_list_and_edit_through_the_service(login, criteria):
    page = login("kec_barat").get(KRITERIA)
    assert [c.name for c in page.context["groups"]["Kecamatan"]] == ["Urgensi", "Penerima manfaat"]
    assert not page.context["can_change"]
    client = login("admin")
    response = client.post(f"{KRITERIA}{criteria['urgensi'].pk}/ubah/", {"year": 2027, "level": "kecamatan", "name": "Urgensi", "weight": "3", "min_score": 5, "max_score": 1})
    assert response.context["form"].errors["max_score"] == ["Skor tertinggi harus lebih besar dari skor terendah."]
    response = client.post(KRITERIA + "tambah/", {"year": 2027, "level": "kecamatan", "name": "urgensi", "weight": "1", "min_score": 1, "max_score": 5})
    assert response.context["form"].errors["name"] == ["Kriteria dengan nama ini sudah ada untuk tingkat dan tahun tersebut."]
    response = client.post(f"{KRITERIA}{criteria['urgensi'].pk}/ubah/", {"year": 2027, "level": "kecamatan", "name": "Urgensi", "weight": "2,5", "min_score": 1, "max_score": 5})
    assert response.status_code == 302
    assert ScoringCriterion.objects.get(pk=criteria["urgensi"].pk).weight == Decimal("2.5")


# ------------------------------------------------------------------------------------------------
# Scores rank the list


def scores_post(submitted, criteria, values, action="simpan"):
    data = {"tahun": 2027, "action": action}
    for key, (urgensi, manfaat) in values.items():
        data[f"skor-{submitted[key].pk}-{criteria['urgensi'].pk}"] = urgensi
        data[f"skor-{submitted[key].pk}-{criteria['manfaat'].pk}"] = manfaat
    return data


def test_scores_typed_on_the_page_rank_the_list_and_a_tie_shows_its_note(login, criteria, submitted):
    client = login("kec_barat")
    # Jalan 2x5 + 3 = 13, Sumur 2x4 + 5 = 13 (tie: more beneficiaries first), Posyandu 2x1 + 1 = 3.
    response = client.post(KECAMATAN, scores_post(submitted, criteria, {"jalan": ("5", "3"), "sumur": ("4", "5"), "posyandu": ("1", "1")}))
    assert response.status_code == 302
    page = client.get(KECAMATAN)
    rows = page.context["rows"]
    assert [(r["rank"], r["usulan"].solution, r["total"]) for r in rows] == [(1, "Sumur", "13"), (2, "Jalan", "13"), (3, "Posyandu", "3")]
    note = f"nilai sama dengan {submitted['sumur'].tracking_code}; diurutkan menurut penerima manfaat"
    assert [r["tie_break"] for r in rows] == ["", note, ""]
    assert note in page.content.decode()
    assert Score.objects.get(usulan=submitted["jalan"], criterion=criteria["urgensi"]).assessor.username == "kec-barat"

    # Applying writes the ranked order as the kecamatan's priorities.
    response = client.post(KECAMATAN, {"tahun": 2027, "action": "terapkan"})
    assert response.status_code == 302
    priorities = dict(Usulan.objects.filter(kecamatan=submitted["jalan"].kecamatan).values_list("solution", "priority_kecamatan"))
    assert priorities == {"Sumur": 1, "Jalan": 2, "Posyandu": 3}
    assert Usulan.objects.get(pk=submitted["babau"].pk).priority_kecamatan is None


def test_an_out_of_range_score_is_refused_on_its_field_and_nothing_is_written(login, criteria, submitted):
    client = login("kec_barat")
    response = client.post(KECAMATAN, scores_post(submitted, criteria, {"jalan": ("9", "3"), "sumur": ("4", "5")}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors == {f"skor-{submitted['jalan'].pk}-{criteria['urgensi'].pk}": ["Skor Urgensi harus antara 1 dan 5."]}
    assert "Skor Urgensi harus antara 1 dan 5." in response.content.decode()
    assert Score.objects.count() == 0  # Sumur's valid scores are rolled back with the refused one
    assert set(Usulan.objects.values_list("score_kecamatan", flat=True)) == {None}
    response = client.post(KECAMATAN, scores_post(submitted, criteria, {"jalan": ("-1", "3")}))
    assert "Tidak boleh negatif." in response.context["form"].errors[f"skor-{submitted['jalan'].pk}-{criteria['urgensi'].pk}"]
    assert Score.objects.count() == 0


def test_scoring_after_the_window_is_refused(login, season, clock, criteria, submitted):
    clock["now"] = season.at(3, 5)  # the kecamatan window closed on 28 February
    client = login("kec_barat")
    page = client.get(KECAMATAN)
    assert "ditutup pada" in page.context["lock"]
    response = client.post(KECAMATAN, scores_post(submitted, criteria, {"jalan": ("5", "3")}))
    assert "ditutup pada" in " ".join(response.context["form"].non_field_errors())
    assert Score.objects.count() == 0


def test_department_scores_what_was_routed_to_it(login, season, clock, criteria, submitted):
    p = season.p
    for key in ("jalan", "sumur"):
        services.route_usulan(p["kec_barat"], submitted[key], season.mb.pupr)
    clock["now"] = season.at(3, 5)  # the forum perangkat daerah window
    page = login("opd_pupr").get(OPD)
    assert {r["usulan"].solution for r in page.context["rows"]} == {"Jalan", "Sumur"}
    assert login("opd_dinkes").get(OPD).context["rows"] == []
    key = f"skor-{submitted['sumur'].pk}-{criteria['kesiapan'].pk}"
    response = login("opd_pupr").post(OPD, {"tahun": 2027, "action": "simpan", key: "8"})
    assert response.status_code == 302
    assert Usulan.objects.get(pk=submitted["sumur"].pk).score_opd == Decimal("24")
    login("op_pupr").post(OPD, {"tahun": 2027, "action": "terapkan"})
    assert dict(Usulan.objects.filter(target_perangkat_daerah=season.mb.pupr).values_list("solution", "priority_opd")) == {"Sumur": 1, "Jalan": 2}


def test_a_quota_refusal_shows_where_the_kecamatan_routes(login, season, submitted):
    SeasonSetting.objects.create(year=2027, quota_per_kecamatan=1)
    services.route_usulan(season.p["kec_barat"], submitted["jalan"], season.mb.pupr)
    client = login("kec_barat")
    response = client.post(f"{BASE}{submitted['sumur'].pk}/aksi/teruskan/", {"teruskan-perangkat_daerah": season.mb.pupr.pk})
    assert response.status_code == 200
    route = next(item for item in response.context["steps"] if item["ui"].slug == "teruskan")
    message = (f"Kuota Kecamatan Kupang Barat tahun 2027 sudah penuh: paling banyak 1 usulan diteruskan ke perangkat daerah "
               f"(sudah diteruskan: {submitted['jalan'].tracking_code}).")
    assert route["form"].non_field_errors() == [message]
    assert message in response.content.decode()
    assert Usulan.objects.get(pk=submitted["sumur"].pk).status == Status.SUBMITTED
