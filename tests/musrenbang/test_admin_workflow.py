"""The kecamatan ranks and routes, the department decides, Bappeda agrees and adopts; bulk actions
report each refusal; a proposal's page shows proposed against recommended values and its timeline;
schedules close levels; the list costs the same number of queries for 3 or 30 proposals."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from backoffice.musrenbang import services
from backoffice.musrenbang.models import Level, MusrenbangSchedule, Recommendation, Status, Usulan

from .test_admin_helpers import *  # noqa: F403  (fixtures)
from .test_admin_helpers import BASE, message_texts, snapshot

pytestmark = pytest.mark.django_db
RANKING = "/admin/musrenbang/peringkat/"
WITA = ZoneInfo("Asia/Makassar")


def errors_of(response, slug):
    step = next(item for item in response.context["steps"] if item["ui"].slug == slug)
    return {name: " ".join(errors) for name, errors in step["form"].errors.items()}


# ------------------------------------------------------------------------------------------------
# Ranking


def test_kecamatan_ranks_by_typing_numbers(login, mb, make):
    road, clinic, drain = (make(Status.SUBMITTED, solution=s) for s in ("Jalan", "Posyandu", "Drainase"))
    make(Status.SUBMITTED, desa="babau", solution="Babau")  # another kecamatan's: not on this page
    client = login("kec_barat")
    page = client.get(RANKING)
    assert [row["usulan"].solution for row in page.context["rows"]] == ["Jalan", "Posyandu", "Drainase"]
    assert page.context["kecamatan"] == mb.barat and page.context["year"] == 2027

    # Typing 1 on the third moves it to the top; the others keep their order.
    response = client.post(RANKING, {"tahun": 2027, f"urutan-{road.pk}": 1, f"urutan-{clinic.pk}": 2, f"urutan-{drain.pk}": 1})
    assert response.status_code == 302
    priorities = dict(Usulan.objects.values_list("solution", "priority_kecamatan"))
    assert (priorities["Drainase"], priorities["Jalan"], priorities["Posyandu"], priorities["Babau"]) == (1, 2, 3, None)
    page = client.get(RANKING)
    assert [row["usulan"].solution for row in page.context["rows"]] == ["Drainase", "Jalan", "Posyandu"]

    # A bad number is shown on its row; nothing is saved.
    response = client.post(RANKING, {"tahun": 2027, f"urutan-{road.pk}": "x", f"urutan-{clinic.pk}": 0, f"urutan-{drain.pk}": 3})
    form = response.context["form"]
    assert form.errors[f"urutan-{road.pk}"] == ["Isi nomor urut berupa angka."]
    assert form.errors[f"urutan-{clinic.pk}"] == ["Nomor urut mulai dari 1."]
    assert Usulan.objects.get(pk=drain.pk).priority_kecamatan == 1


def test_ranking_outside_the_window_is_refused(login, mb, make):
    road, clinic = make(Status.SUBMITTED), make(Status.SUBMITTED)
    now = timezone.now()
    MusrenbangSchedule.objects.create(year=2027, level=Level.KECAMATAN, opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=1))
    client = login("kec_barat")
    page = client.get(RANKING)
    assert "ditutup pada" in page.context["lock"]
    response = client.post(RANKING, {"tahun": 2027, f"urutan-{road.pk}": 2, f"urutan-{clinic.pk}": 1})
    assert "ditutup pada" in " ".join(response.context["form"].non_field_errors())
    assert set(Usulan.objects.values_list("priority_kecamatan", flat=True)) == {None}


def test_admin_ranks_any_kecamatan(login, mb, make):
    first, second = make(Status.SUBMITTED, desa="babau"), make(Status.ROUTED, desa="babau")
    client = login("admin")
    assert client.get(RANKING).context["rows"] == []
    page = client.get(RANKING, {"kecamatan": mb.timur.pk})
    assert len(page.context["rows"]) == 2
    client.post(RANKING, {"kecamatan": mb.timur.pk, "tahun": 2027, f"urutan-{first.pk}": 2, f"urutan-{second.pk}": 1})
    assert Usulan.objects.get(pk=second.pk).priority_kecamatan == 1


# ------------------------------------------------------------------------------------------------
# Routing and the department's decision


def test_kecamatan_routes_with_its_recommendation(login, mb, make):
    usulan = make(Status.SUBMITTED)
    client = login("kec_barat")
    page = client.get(f"{BASE}{usulan.pk}/")
    route = next(item for item in page.context["steps"] if item["ui"].slug == "teruskan")
    assert route["form"]["volume"].value() == Decimal("150.00")  # starts from the proposal

    # Without a department: the error is on that field, nothing changes.
    before = snapshot(usulan)
    response = client.post(f"{BASE}{usulan.pk}/aksi/teruskan/", {"teruskan-perangkat_daerah": ""})
    assert response.status_code == 200
    assert errors_of(response, "teruskan") == {"perangkat_daerah": "Pilih perangkat daerah tujuan."}
    assert snapshot(usulan) == before

    response = client.post(f"{BASE}{usulan.pk}/aksi/teruskan/", {
        "teruskan-perangkat_daerah": mb.dinkes.pk, "teruskan-priority": 2, "teruskan-volume": "120",
        "teruskan-cost": "150.000.000", "teruskan-note": "Prioritas 2 kecamatan",
    })
    assert response.status_code == 302
    usulan.refresh_from_db()
    assert (usulan.status, usulan.target_perangkat_daerah, usulan.priority_kecamatan) == (Status.ROUTED, mb.dinkes, 2)
    recommendation = usulan.recommendations.get()
    assert (recommendation.level, recommendation.volume, recommendation.cost) == (Level.KECAMATAN, Decimal("120"), Decimal("150000000"))


def test_return_needs_a_public_reason_on_its_field(login, make):
    usulan = make(Status.SUBMITTED)
    before = snapshot(usulan)
    response = login("kec_barat").post(f"{BASE}{usulan.pk}/aksi/kembalikan/", {"kembalikan-reason": "  "})
    assert errors_of(response, "kembalikan") == {"reason": "Alasan wajib diisi: alasan ini dapat dibaca publik."}
    assert snapshot(usulan) == before
    login("kec_barat").post(f"{BASE}{usulan.pk}/aksi/kembalikan/", {"kembalikan-reason": "Lengkapi surat hibah lahan"})
    usulan.refresh_from_db()
    assert (usulan.status, usulan.public_reason) == (Status.RETURNED, "Lengkapi surat hibah lahan")


def test_opd_accepts_with_changes_and_the_proposed_values_stay(login, mb, make):
    usulan = make(Status.SUBMITTED)
    services.route_usulan(mb.p["kec_barat"], usulan, mb.pupr, volume=Decimal("120"), cost=Decimal("150000000"))
    client = login("opd_pupr")
    page = client.get(f"{BASE}{usulan.pk}/")
    accept = next(item for item in page.context["steps"] if item["ui"].slug == "terima")
    assert (accept["form"]["volume"].value(), accept["form"]["cost"].value()) == (Decimal("120.00"), Decimal("150000000.00"))

    # Other values without a reason: the service asks for it on the reason field.
    before = snapshot(usulan)
    response = client.post(f"{BASE}{usulan.pk}/aksi/terima/", {"terima-volume": "100", "terima-cost": "125.000.000"})
    assert errors_of(response, "terima") == {"reason": "Alasan wajib diisi: alasan ini dapat dibaca publik."}
    assert snapshot(usulan) == before

    response = client.post(f"{BASE}{usulan.pk}/aksi/terima/", {
        "terima-volume": "100", "terima-cost": "125.000.000", "terima-reason": "Disesuaikan dengan hasil survei", "terima-priority": "4",
    })
    assert response.status_code == 302
    usulan.refresh_from_db()
    assert (usulan.status, usulan.public_reason, usulan.priority_opd) == (Status.ACCEPTED_CHANGED, "Disesuaikan dengan hasil survei", 4)
    assert (usulan.volume, usulan.estimated_cost) == (Decimal("150.00"), Decimal("180000000.00"))
    assert dict(usulan.recommendations.values_list("level", "cost")) == {Level.KECAMATAN: Decimal("150000000"), Level.FORUM_OPD: Decimal("125000000")}

    # The page: proposed and each level's values, and the timeline with the public reason.
    page = login("verifier").get(f"{BASE}{usulan.pk}/")
    values = [(row["label"], row["volume"], row["cost"]) for row in page.context["values"]]
    assert values == [
        ("Usulan desa/kelurahan (diajukan)", "150", "Rp 180.000.000"),
        ("Rekomendasi kecamatan", "120", "Rp 150.000.000"),
        ("Rekomendasi forum perangkat daerah", "100", "Rp 125.000.000"),
    ]
    timeline = [(e["label"], e["status"]) for e in page.context["events"]]
    assert timeline == [
        ("Dibuat", "Draf"), ("Diajukan ke kecamatan", "Diajukan desa/kelurahan"),
        ("Diteruskan ke perangkat daerah", "Diteruskan ke perangkat daerah"), ("Diterima dengan perubahan", "Diterima dengan perubahan"),
    ]
    assert page.context["events"][-1]["reason"] == "Disesuaikan dengan hasil survei"
    assert page.context["steps"] == []  # the verifier reads only


def test_accepting_as_recommended_is_a_plain_accept(login, mb, make):
    usulan = make(Status.ROUTED)
    page = login("opd_pupr").get(f"{BASE}{usulan.pk}/")
    data = {f"terima-{name}": page.context["steps"][0]["form"][name].value() for name in ("volume", "cost")}
    login("opd_pupr").post(f"{BASE}{usulan.pk}/aksi/terima/", data)
    assert Usulan.objects.get(pk=usulan.pk).status == Status.ACCEPTED


def test_bappeda_agrees_adopts_into_a_renja_row_and_carries_over(login, mb, make, renja_row):
    from backoffice.planning.models import Renja, RenjaRow

    agreed, postponed = make(Status.AGREED), make(Status.POSTPONED)
    other = RenjaRow.objects.create(renja=Renja.objects.create(perangkat_daerah=mb.dinkes, year=2027), sub_kegiatan=renja_row.sub_kegiatan)
    client = login("admin")
    page = client.get(f"{BASE}{agreed.pk}/")
    adopt = next(item for item in page.context["steps"] if item["ui"].slug == "masukkan-renja")
    assert list(adopt["form"].fields["renja_row"].queryset) == [renja_row]  # the department's rows of that year only
    response = client.post(f"{BASE}{agreed.pk}/aksi/masukkan-renja/", {"masukkan-renja-renja_row": other.pk})
    assert "renja_row" in errors_of(response, "masukkan-renja")
    client.post(f"{BASE}{agreed.pk}/aksi/masukkan-renja/", {"masukkan-renja-renja_row": renja_row.pk})
    assert Usulan.objects.get(pk=agreed.pk).renja_row == renja_row

    response = client.post(f"{BASE}{postponed.pk}/aksi/alihkan/", {}, follow=True)
    follow_up = Usulan.objects.get(carried_from=postponed)
    assert (follow_up.year, follow_up.status) == (2028, Status.SUBMITTED)
    assert any(follow_up.tracking_code in text for text in message_texts(response))
    assert response.context["carried_to"] == follow_up


def test_a_closed_window_is_explained_and_changes_nothing(login, mb, make):
    usulan = make(Status.ROUTED)
    now = timezone.now()
    MusrenbangSchedule.objects.create(year=2027, level=Level.FORUM_OPD, opens_at=now - timedelta(days=10), closes_at=now - timedelta(days=2))
    client = login("opd_pupr")
    page = client.get(f"{BASE}{usulan.pk}/")
    assert "ditutup pada" in page.context["lock"]
    before = snapshot(usulan)
    response = client.post(f"{BASE}{usulan.pk}/aksi/tunda/", {"tunda-reason": "Menunggu"})
    step = next(item for item in response.context["steps"] if item["ui"].slug == "tunda")
    assert "ditutup pada" in " ".join(step["form"].non_field_errors()) and step["open"]
    assert snapshot(usulan) == before
    # Bappeda's admin is not bound by the windows.
    login("admin").post(f"{BASE}{usulan.pk}/aksi/tunda/", {"tunda-reason": "Menunggu"})
    assert Usulan.objects.get(pk=usulan.pk).status == Status.POSTPONED


# ------------------------------------------------------------------------------------------------
# Bulk actions


def test_kecamatan_routes_several_to_one_opd_and_hears_of_each_refusal(login, mb, make):
    first, second, draft_elsewhere = make(Status.SUBMITTED), make(Status.SUBMITTED), make(Status.ROUTED)
    client = login("kec_barat")
    url = BASE + "?status=submitted"
    response = client.post(url, {"action": "route", "perangkat_daerah": mb.pupr.pk, "note": "Hasil musrenbang kecamatan",
                                 "usulan": [first.pk, second.pk, draft_elsewhere.pk]}, follow=True)
    texts = message_texts(response)
    assert "2 usulan diteruskan ke Dinas Pekerjaan Umum dan Penataan Ruang." in texts
    assert "1 usulan tidak diproses." in texts
    assert any(t.startswith(f"{draft_elsewhere.tracking_code}: ") and "tidak dapat meneruskan" in t for t in texts)
    assert response.redirect_chain[-1][0] == url  # back to the same filtered list
    assert set(Usulan.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", "target_perangkat_daerah")) == {(Status.ROUTED, mb.pupr.pk)}
    assert Recommendation.objects.filter(usulan__in=[first, second], level=Level.KECAMATAN).count() == 2


def test_bulk_needs_what_its_action_needs(login, mb, make):
    usulan = make(Status.SUBMITTED)
    before = snapshot(usulan)
    client = login("kec_barat")
    response = client.post(BASE, {"action": "route", "usulan": [usulan.pk]})
    assert response.context["bulk_form"].errors == {"perangkat_daerah": ["Pilih perangkat daerah tujuan."]}
    response = client.post(BASE, {"action": "reject_kecamatan", "usulan": [usulan.pk]})
    assert response.context["bulk_form"].errors == {"reason": ["Alasan wajib diisi: alasan ini dapat dibaca publik."]}
    response = client.post(BASE, {"action": "agree", "usulan": [usulan.pk]})  # not a kecamatan action
    assert "action" in response.context["bulk_form"].errors
    response = client.post(BASE, {"action": "return", "reason": "x"})
    assert "Centang usulan yang akan diproses." in response.context["bulk_form"].non_field_errors()
    assert snapshot(usulan) == before
    assert login("verifier").post(BASE, {"action": "agree", "usulan": [usulan.pk]}).status_code == 302  # refused
    assert snapshot(usulan) == before


def test_opd_rejects_several_with_one_reason(login, mb, make):
    items = [make(Status.ROUTED) for _ in range(3)]
    dinkes_item = make(Status.ROUTED, unit=mb.dinkes)
    response = login("opd_pupr").post(BASE, {"action": "reject_opd", "reason": "Di luar kewenangan dinas",
                                             "usulan": [u.pk for u in items] + [dinkes_item.pk]}, follow=True)
    assert "3 usulan ditolak." in message_texts(response)
    assert f"Usulan #{dinkes_item.pk} tidak ditemukan." in message_texts(response)
    assert set(Usulan.objects.filter(pk__in=[u.pk for u in items]).values_list("status", "public_reason")) == {(Status.REJECTED_OPD, "Di luar kewenangan dinas")}
    assert Usulan.objects.get(pk=dinkes_item.pk).status == Status.ROUTED


def test_bappeda_agrees_several(login, make):
    accepted = [make(Status.ACCEPTED) for _ in range(2)]
    rejected = make(Status.ROUTED)
    response = login("admin").post(BASE, {"action": "agree", "usulan": [u.pk for u in accepted] + [rejected.pk]}, follow=True)
    assert "2 usulan disepakati." in message_texts(response)
    assert Usulan.objects.filter(status=Status.AGREED).count() == 2 and Usulan.objects.get(pk=rejected.pk).status == Status.ROUTED


def test_the_bulk_bar_offers_each_role_its_steps(login, world):
    def actions(name):
        form = login(name).get(BASE).context["bulk_form"]
        return [key for key, _ in form.fields["action"].choices if key] if form else []

    assert actions("desa_bolok") == ["submit"]
    assert actions("kec_barat") == ["route", "return", "reject_kecamatan"]
    assert actions("opd_pupr") == ["accept", "postpone", "reject_opd"]
    assert actions("verifier") == []
    assert len(actions("admin")) == 10


# ------------------------------------------------------------------------------------------------
# Filters, waiting list and queries


def test_filters_and_waiting_for_me(login, mb, make, world):
    client = login("kec_barat")
    response = client.get(BASE, {"tindakan": "on"})
    assert {row["usulan"].pk for row in response.context["rows"]} == {world["submitted"].pk}
    response = client.get(BASE, {"q": world["routed"].tracking_code.lower().replace("-", "")})
    assert [row["usulan"].pk for row in response.context["rows"]] == [world["routed"].pk]
    response = login("admin").get(BASE, {"kecamatan": mb.timur.pk})
    assert [row["usulan"].pk for row in response.context["rows"]] == [world["babau"].pk]
    assert "kecamatan" not in login("desa_bolok").get(BASE).context["filters"].fields


def test_the_list_costs_the_same_for_3_or_30_proposals(login, mb, make, django_assert_max_num_queries):
    client = login("admin")
    for n in range(3):
        make(Status.SUBMITTED, solution=f"Usulan {n}")
    client.get(BASE)  # warm caches (content types, site)
    with django_assert_max_num_queries(25) as few:
        client.get(BASE)
    for n in range(27):
        make(Status.ROUTED if n % 2 else Status.SUBMITTED, desa="babau" if n % 3 else "bolok", solution=f"Usulan lagi {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(BASE)
    assert len(response.context["rows"]) == 30


def test_the_export_costs_the_same_for_3_or_30_proposals(login, make, django_assert_max_num_queries):
    client = login("kec_barat")
    for n in range(3):
        make(Status.ROUTED)
    with django_assert_max_num_queries(20) as few:
        client.get(BASE + "ekspor/")
    for n in range(27):
        make(Status.ROUTED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(BASE + "ekspor/")


# ------------------------------------------------------------------------------------------------
# Schedules


def test_bappeda_sets_a_year_schedule(login, mb):
    client = login("admin")
    url = "/admin/musrenbang/jadwal/2027/"
    data = {
        "opens_desa": "2026-01-01 08:00", "closes_desa": "2026-01-28 17:00",
        "opens_kecamatan": "2026-02-01 08:00", "closes_kecamatan": "2026-01-28 17:00",  # closes before it opens
        "opens_forum_opd": "2026-03-01 08:00", "closes_forum_opd": "",
        "opens_kabupaten": "", "closes_kabupaten": "",
    }
    response = client.post(url, data)
    assert response.context["form"].errors == {
        "closes_kecamatan": ["Waktu tutup harus sesudah waktu buka."],
        "closes_forum_opd": ["Isi waktu buka dan waktu tutup bersama-sama."],
    }
    assert not MusrenbangSchedule.objects.exists()
    data.update(closes_kecamatan="2026-02-28 17:00", closes_forum_opd="2026-03-31 17:00")
    assert client.post(url, data).status_code == 302
    windows = {s.level: (s.opens_at, s.closes_at) for s in MusrenbangSchedule.objects.filter(year=2027)}
    assert windows[Level.DESA] == (datetime(2026, 1, 1, 8, tzinfo=WITA), datetime(2026, 1, 28, 17, tzinfo=WITA))
    assert set(windows) == {Level.DESA, Level.KECAMATAN, Level.FORUM_OPD}
    # Emptying a level removes its window.
    data.update(opens_forum_opd="", closes_forum_opd="")
    client.post(url, data)
    assert set(MusrenbangSchedule.objects.values_list("level", flat=True)) == {Level.DESA, Level.KECAMATAN}
    listing = login("opd_pupr").get("/admin/musrenbang/jadwal/")
    assert list(listing.context["years"]) == [2027] and not listing.context["can_edit"]
    assert client.get("/admin/musrenbang/jadwal/tahun/", {"year": "2028"})["Location"] == "/admin/musrenbang/jadwal/2028/"
