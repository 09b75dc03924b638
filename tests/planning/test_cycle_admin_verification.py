"""The annual-cycle admin, verification side: stages lock departments out (and the admin says
why), forbidden steps are refused with the service's message and change nothing, allowed steps
land in the history and the audit log, reopening is Bappeda's admin's with a reason, and the stage
comparison shows what changed."""

import pytest
from django.urls import reverse
from django.test import Client
from wagtail.models import ModelLogEntry

from backoffice.planning.cycle_views import PlanCyclePanel, render_plan_cycle
from backoffice.planning.models import PlanStatus, Renja, RenjaRow, ReportingWindow, Stage, StageReopening, VerificationEvent
from backoffice.planning.services import close_due_stages, get_or_create_renja, save_renja_row

from backoffice.access.models import Role
from tests.factories import make_user

from .admin_helpers import YEAR, add_row, at, follow_post, page_text

pytestmark = pytest.mark.django_db


def action_url(renja, action):
    return reverse("cycle_verification:renja_action", args=[renja.pk, action])


def plan_page(renja):
    return reverse("cycle_verification:renja", args=[renja.pk])


@pytest.fixture
def renja(world, cycle):
    renja = get_or_create_renja(world.p["admin"], world.dikbud, YEAR)
    add_row(world, renja, "1.01.02.2.01.0001", 1_000_000)
    return renja


def unchanged(renja, status, events):
    renja.refresh_from_db()
    return renja.status == status and VerificationEvent.objects.filter(renja=renja).count() == events


def test_after_the_deadline_the_operator_is_told_why_and_cannot_submit(world, cycle, renja, clients):
    cycle["clock"]["now"] = at(2, 1)  # rancangan awal closed on 28 January, forum PD opens in March
    reason = "Tahapan Rancangan awal 2026 ditutup pada 28 Januari 2025 08:00."
    page = page_text(clients["dikbud"].get(plan_page(renja)))
    assert reason in page
    text = follow_post(clients["dikbud"], action_url(renja, "submit"), {"note": "Mohon diverifikasi"})
    assert "Ajukan untuk verifikasi ditolak: " + reason in text
    assert unchanged(renja, PlanStatus.DRAFT, 0)
    # The same box renders on any admin page (the Renja page of the Perencanaan menu uses it).
    request = clients["dikbud"].get(plan_page(renja)).wsgi_request
    html = render_plan_cycle(request, renja, next_url="/admin/somewhere/")
    assert reason in html and 'name="next" value="/admin/somewhere/"' in html
    assert reason in PlanCyclePanel(renja).render_html({"request": request})


def test_forbidden_transitions_are_refused_with_the_message_and_change_nothing(world, cycle, renja, clients):
    cycle["clock"]["now"] = at(3, 10)
    assert "diajukan" in follow_post(clients["dikbud"], action_url(renja, "submit"))
    logs = ModelLogEntry.objects.count()

    # An operator verifying its own Renja.
    text = follow_post(clients["dikbud"], action_url(renja, "verify"), {"note": "ok"})
    assert "Verifikasi ditolak: Anda tidak berwenang memverifikasi Renja Dinas Pendidikan 2026." in text
    assert unchanged(renja, PlanStatus.SUBMITTED, 1)
    # Another department cannot even see it.
    assert clients["dinkes"].post(action_url(renja, "return"), {"note": "x"}).status_code == 404
    # Returning without a note.
    text = follow_post(clients["verifier"], action_url(renja, "return"), {"note": "  "})
    assert "Catatan wajib diisi saat mengembalikan" in text
    assert unchanged(renja, PlanStatus.SUBMITTED, 1)

    # A verifier setting (penetapan is Bappeda's admin's).
    follow_post(clients["verifier"], action_url(renja, "verify"), {"note": "Sesuai"})
    cycle["clock"]["now"] = at(6, 10)
    text = follow_post(clients["verifier"], action_url(renja, "set"))
    assert "Tetapkan ditolak: Anda tidak berwenang menetapkan Renja Dinas Pendidikan 2026." in text
    assert unchanged(renja, PlanStatus.VERIFIED, 2)

    # Setting while a blocking consistency finding exists: a program outside the Renstra.
    RenjaRow.objects.create(renja=renja, sub_kegiatan=world.subs["1.01.01.2.01.0001"])
    text = follow_post(clients["admin"], action_url(renja, "set"))
    assert "Tetapkan ditolak: " in text and "temuan konsistensi harus diselesaikan sebelum penetapan" in text
    assert "tidak ada dalam Renstra" in text
    assert unchanged(renja, PlanStatus.VERIFIED, 2) and not Renja.objects.get(pk=renja.pk).is_published
    assert ModelLogEntry.objects.count() == logs + 1  # only the verify step was logged

    # A GET never acts.
    assert clients["admin"].get(action_url(renja, "set")).status_code == 405


def test_allowed_transitions_show_in_the_queues_history_and_audit_log(world, cycle, renja, clients):
    cycle["clock"]["now"] = at(3, 10)
    follow_post(clients["dikbud"], action_url(renja, "submit"), {"note": "Mohon diverifikasi"})
    queue = reverse("cycle_verification:index")
    assert f'data-plan="renja-{renja.pk}"' in page_text(clients["verifier"].get(queue))
    assert "Renja Dinas Pendidikan" not in page_text(clients["dinkes"].get(queue))

    text = follow_post(clients["verifier"], action_url(renja, "return"), {"note": "Target keluaran tidak sesuai Renstra"})
    assert "dikembalikan ke perangkat daerah" in text
    # The department finds it in its queue with the verifier's note, and on the plan's page.
    operator_queue = page_text(clients["dikbud"].get(queue))
    assert "Dikembalikan kepada Anda (1)" in operator_queue and "Target keluaran tidak sesuai Renstra" in operator_queue
    assert "Target keluaran tidak sesuai Renstra" in page_text(clients["dikbud"].get(plan_page(renja)))

    save_renja_row(world.p["dikbud"], RenjaRow.objects.get(renja=renja), pendanaan=[(world.dau, 1_300_000)])
    follow_post(clients["dikbud"], action_url(renja, "submit"))
    follow_post(clients["verifier"], action_url(renja, "verify"), {"note": "Sesuai"})
    cycle["clock"]["now"] = at(6, 10)
    # Back to the page the action was posted from (the Renja page of the other menu, say).
    response = clients["admin"].post(action_url(renja, "set"), {"note": "Perkada RKPD", "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    renja.refresh_from_db()
    assert renja.status == PlanStatus.SET and renja.is_published

    history = page_text(clients["dikbud"].get(plan_page(renja)))
    assert [e.action for e in VerificationEvent.objects.filter(renja=renja)] == ["submit", "return", "submit", "verify", "set"]
    assert history.count("data-event=") == 5
    for note in ("Mohon diverifikasi", "Target keluaran tidak sesuai Renstra", "Sesuai", "Perkada RKPD"):
        assert note in history
    assert "Diajukan → Dikembalikan" in history and "Terverifikasi → Ditetapkan" in history
    logged = list(ModelLogEntry.objects.filter(object_id=str(renja.pk), action__startswith="planning.").order_by("timestamp", "id").values_list("action", "user__username"))
    assert logged == [
        ("planning.submit", "op-dikbud"), ("planning.return", "verifikator"), ("planning.submit", "op-dikbud"),
        ("planning.verify", "verifikator"), ("planning.set", "bappeda"),
    ]
    # A set plan offers no more actions.
    assert "data-plan-action" not in history


def test_actions_offered_follow_the_role(world, cycle, renja, clients):
    cycle["clock"]["now"] = at(3, 10)
    assert 'data-plan-action="submit"' in page_text(clients["dikbud"].get(plan_page(renja)))
    assert "data-plan-action" not in page_text(clients["verifier"].get(plan_page(renja)))
    follow_post(clients["dikbud"], action_url(renja, "submit"))
    verifier_page = page_text(clients["verifier"].get(plan_page(renja)))
    assert 'data-plan-action="verify"' in verifier_page and 'data-plan-action="return"' in verifier_page
    assert 'data-plan-action="set"' not in verifier_page
    assert "data-plan-action" not in page_text(clients["dikbud"].get(plan_page(renja)))
    # Another department's draft does not exist for an operator.
    assert clients["dinkes"].get(plan_page(renja)).status_code == 404


def test_renstra_goes_through_the_same_steps(world, cycle, clients):
    renstra = cycle["renstra"]
    url = lambda action: reverse("cycle_verification:renstra_action", args=[renstra.pk, action])  # noqa: E731
    follow_post(clients["dikbud"], url("submit"))
    text = follow_post(clients["dikbud"], url("verify"))
    assert "Anda tidak berwenang memverifikasi Renstra Dinas Pendidikan 2025-2029" in text
    follow_post(clients["verifier"], url("verify"))
    follow_post(clients["admin"], url("set"), {"note": "Perbup Renstra"})
    renstra.refresh_from_db()
    assert renstra.status == PlanStatus.SET
    page = page_text(clients["admin"].get(reverse("cycle_verification:renstra", args=[renstra.pk])))
    assert "Perbup Renstra" in page and page.count("data-event=") == 3


def test_reopening_is_for_bappeda_admin_only_and_needs_a_reason(world, cycle, renja, clients):
    stage = cycle["stages"][Stage.Kind.RANCANGAN_AWAL]
    cycle["clock"]["now"] = at(2, 1)
    url = reverse("cycle_stage:reopen", args=[stage.pk])
    data = {"perangkat_daerah": world.dikbud.pk, "until": "2025-02-03 08:00", "reason": "Koreksi pagu sesuai KUA"}

    for who in ("dikbud", "verifier"):
        response = clients[who].post(url, data)
        assert response.status_code == 200
        assert "Anda tidak berwenang menambah pembukaan ulang tahapan ini." in page_text(response)
    text = page_text(clients["admin"].post(url, {**data, "reason": " "}))
    assert "Alasan pembukaan ulang wajib diisi." in text
    assert not StageReopening.objects.exists()
    assert not ModelLogEntry.objects.filter(action="planning.reopen_stage").exists()

    text = follow_post(clients["admin"], url, data)
    assert "dibuka ulang untuk Dinas Pendidikan sampai 3 Februari 2025 08:00" in text
    assert "Koreksi pagu sesuai KUA" in text  # listed on the stage's page
    reopening = StageReopening.objects.get()
    assert (reopening.perangkat_daerah, reopening.reason, reopening.created_by) == (world.dikbud, "Koreksi pagu sesuai KUA", world.users["admin"])
    assert ModelLogEntry.objects.filter(action="planning.reopen_stage", user=world.users["admin"]).exists()

    # Dinas Pendidikan may now submit; the lock message is gone from its page.
    assert "ditutup pada" not in page_text(clients["dikbud"].get(plan_page(renja)))
    follow_post(clients["dikbud"], action_url(renja, "submit"))
    assert Renja.objects.get(pk=renja.pk).status == PlanStatus.SUBMITTED
    # The reopen button is offered to the admin only.
    assert url in page_text(clients["admin"].get(reverse("cycle_stage:inspect", args=[stage.pk])))
    assert url not in page_text(clients["dikbud"].get(reverse("cycle_stage:inspect", args=[stage.pk])))


def test_stages_are_defined_by_bappeda_admin_and_read_by_the_others(world, cycle, clients):
    data = {"year": "2027", "kind": "rancangan_awal", "opens_at": "2026-01-01 08:00", "closes_at": "2026-01-31 16:00", "covers_renja": "on"}
    for who in ("dikbud", "verifier"):
        assert clients[who].get(reverse("cycle_stage:index")).status_code == 200
        clients[who].post(reverse("cycle_stage:add"), data)
        stage = cycle["stages"][Stage.Kind.FORUM_PD]
        clients[who].post(reverse("cycle_stage:edit", args=[stage.pk]), {**data, "year": "2026", "kind": "forum_pd"})
    assert not Stage.objects.filter(year=2027).exists()
    assert Stage.objects.get(pk=cycle["stages"][Stage.Kind.FORUM_PD].pk).opens_at == at(3, 1)
    assert reverse("cycle_stage:add") not in page_text(clients["dikbud"].get(reverse("cycle_stage:index")))

    # Closing before opening is refused by the form; a valid stage is saved and logged.
    text = page_text(clients["admin"].post(reverse("cycle_stage:add"), {**data, "closes_at": "2025-12-01 08:00"}))
    assert "Waktu tutup harus sesudah waktu buka." in text
    response = clients["admin"].post(reverse("cycle_stage:add"), data)
    assert response.status_code == 302
    stage = Stage.objects.get(year=2027)
    assert stage.closes_at == at(1, 31, 16, year=2026)
    assert ModelLogEntry.objects.filter(action="wagtail.create", object_id=str(stage.pk), user=world.users["admin"]).exists()
    # No deletion of stages in this admin (their snapshots hang from them).
    assert clients["admin"].post(f"/admin/tahapan-monev/tahapan/delete/{stage.pk}/").status_code == 404


def test_reporting_windows_are_defined_by_bappeda_admin(world, cycle, clients):
    data = {"year": "2026", "triwulan": "1", "opens_at": "2026-04-01 08:00", "closes_at": "2026-04-15 16:00"}
    clients["dikbud"].post(reverse("cycle_reporting_window:add"), data)
    assert not ReportingWindow.objects.exists()
    assert clients["admin"].post(reverse("cycle_reporting_window:add"), data).status_code == 302
    assert "Triwulan 1 2026" in page_text(clients["dikbud"].get(reverse("cycle_reporting_window:index")))


def test_stage_comparison_shows_rows_added_removed_and_pagu_changed(world, cycle, renja, clients):
    clock = cycle["clock"]
    removed = add_row(world, renja, "X.XX.01.2.02.0001", 200_000)
    clock["now"] = at(2, 1)
    close_due_stages()  # rancangan awal recorded
    clock["now"] = at(3, 10)
    row = RenjaRow.objects.get(renja=renja, sub_kegiatan__code="1.01.02.2.01.0001")
    save_renja_row(world.p["dikbud"], row, pendanaan=[(world.dau, 1_300_000)])
    removed.delete()
    add_row(world, renja, "1.01.02.2.01.0002", 500_000, principal=world.p["dikbud"])
    clock["now"] = at(4, 1)
    close_due_stages()  # forum perangkat daerah recorded

    awal, forum = cycle["stages"][Stage.Kind.RANCANGAN_AWAL], cycle["stages"][Stage.Kind.FORUM_PD]
    url = reverse("cycle_compare:index")
    text = page_text(clients["dikbud"].get(url, {"renja": renja.pk, "dari": awal.pk, "ke": forum.pk}))
    assert "Baris berubah (1)" in text and "Baris ditambah (1)" in text and "Baris dihapus (1)" in text
    assert 'data-change="pagu"' in text
    assert "Rp 1.000.000" in text and "Rp 1.300.000" in text
    assert "Pagu DAU" in text
    assert "1.01.02.2.01.0002" in text and "1.01.01.2.02.0001" in text  # added; the support row under the department's bidang
    # The plan's page links to it; the same stage twice is refused; another department sees nothing.
    assert f"{url}?renja={renja.pk}" in page_text(clients["dikbud"].get(plan_page(renja)))
    assert "Pilih dua tahapan yang berbeda." in page_text(clients["dikbud"].get(url, {"renja": renja.pk, "dari": awal.pk, "ke": awal.pk}))
    other = page_text(clients["dinkes"].get(url, {"renja": renja.pk, "dari": awal.pk, "ke": forum.pk}))
    assert "Baris berubah" not in other


def test_menu_is_shown_to_the_cycle_roles_only(world, clients):
    MENU = '"name": "tahapan-monev", "label": "Tahapan \\u0026 Monev"'  # the sidebar's JSON

    for who in ("admin", "verifier", "dikbud"):
        assert MENU in clients[who].get("/admin/").content.decode()
    outsider = Client()
    outsider.force_login(make_user("camat", Role.KECAMATAN_OPERATOR))  # in the admin, not in the planning cycle
    home = outsider.get("/admin/")
    assert home.status_code == 200 and MENU not in home.content.decode()
    refused = outsider.get(reverse("cycle_verification:index"))  # Wagtail turns the refusal into a redirect home
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
