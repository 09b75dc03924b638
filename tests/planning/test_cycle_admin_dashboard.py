"""Dashboard panels of the annual cycle: a department sees what was returned to it and deadlines
within a week; a verifier sees what was submitted; Bappeda's admin also what awaits penetapan.
E-mail about the same steps is off unless a setting turns it on."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from backoffice.planning.models import ReportingWindow, Stage
from backoffice.planning.services import get_or_create_renja, return_plan, submit, verify

from .admin_helpers import YEAR, add_row, at, follow_post, notifications

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(world, cycle):
    """Dinas Pendidikan's Renja returned, Dinas Kesehatan's submitted, the Renstra verified."""
    p = world.p
    cycle["clock"]["now"] = at(3, 10)
    dikbud = get_or_create_renja(p["admin"], world.dikbud, YEAR)
    add_row(world, dikbud, "1.01.02.2.01.0001", 1_000_000)
    submit(p["dikbud"], dikbud)
    return_plan(p["verifier"], dikbud, "Lengkapi lokasi")
    dinkes = get_or_create_renja(p["admin"], world.dinkes, YEAR)
    submit(p["dinkes"], dinkes)
    submit(p["dikbud"], cycle["renstra"])
    verify(p["verifier"], cycle["renstra"])
    return {"dikbud": dikbud, "dinkes": dinkes}


def test_counts_per_role(world, cycle, waiting, clients):
    counts, panel = notifications(clients["dikbud"])
    assert counts == {"returned_renja": 1, "returned_renstra": 0, "returned_realisasi": 0}
    assert reverse("cycle_verification:index") in panel
    counts, _ = notifications(clients["dinkes"])
    assert counts == {"returned_renja": 0, "returned_renstra": 0, "returned_realisasi": 0}
    counts, _ = notifications(clients["verifier"])
    assert counts == {"submitted_renja": 1, "submitted_renstra": 0, "submitted_realisasi": 0}
    counts, _ = notifications(clients["admin"])
    assert counts == {"submitted_renja": 1, "submitted_renstra": 0, "submitted_realisasi": 0, "verified_renja": 0, "verified_renstra": 1}


def test_a_department_sees_deadlines_within_a_week(world, cycle, clients):
    cycle["clock"]["now"] = at(3, 25)  # forum perangkat daerah closes on 28 March
    ReportingWindow.objects.create(year=YEAR - 1, triwulan=1, opens_at=at(3, 20), closes_at=at(3, 31, 16))
    ReportingWindow.objects.create(year=YEAR - 1, triwulan=2, opens_at=at(6, 20), closes_at=at(7, 10))  # too far
    _, panel = notifications(clients["dikbud"])
    deadlines = re.findall(r"<li data-deadline>(.*?)</li>", panel, re.S)
    text = [re.sub(r"<[^>]+>", "", d).strip() for d in deadlines]
    assert text == [
        "Tahapan Forum perangkat daerah 2026 ditutup 28 Maret 2025 08:00 (3 hari lagi)",
        "Pelaporan Triwulan 1 2025 ditutup 31 Maret 2025 16:00 (6 hari lagi)",
    ]
    assert reverse("cycle_stage:inspect", args=[cycle["stages"][Stage.Kind.FORUM_PD].pk]) in panel
    # Verifiers are not shown the departments' deadlines.
    _, panel = notifications(clients["verifier"])
    assert "data-deadline" not in panel


def test_email_is_off_by_default_and_sent_when_enabled(world, cycle, clients, settings):
    for name, user in world.users.items():
        user.email = f"{name}@kupangkab.go.id"
        user.save()
    cycle["clock"]["now"] = at(3, 10)
    renja = get_or_create_renja(world.p["admin"], world.dikbud, YEAR)
    url = lambda action: reverse("cycle_verification:renja_action", args=[renja.pk, action])  # noqa: E731
    follow_post(clients["dikbud"], url("submit"))
    assert mail.outbox == []
    settings.PLANNING_EMAIL_NOTIFICATIONS = True
    follow_post(clients["verifier"], url("return"), {"note": "Lengkapi lokasi"})
    assert [(m.to, m.subject) for m in mail.outbox] == [(["dikbud@kupangkab.go.id"], "Renja Dinas Pendidikan 2026 dikembalikan")]
    assert "Catatan: Lengkapi lokasi" in mail.outbox[0].body
    follow_post(clients["dikbud"], url("submit"))
    assert sorted(mail.outbox[1].to) == ["admin@kupangkab.go.id", "verifier@kupangkab.go.id"]
