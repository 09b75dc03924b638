"""Every page of the "Tahapan & Monev" menu opens for each role in the cycle, empty or not, and
the dashboard shows its panels."""

import pytest
from django.urls import reverse

from backoffice.planning.models import PlanStatus, Renja, ReportingWindow, Stage
from backoffice.planning.services import close_due_stages, get_or_create_renja

from .admin_helpers import YEAR, add_row, at, page_text

pytestmark = pytest.mark.django_db

ROLES = ("admin", "verifier", "dikbud", "dinkes")


def urls(cycle, renja, row, window):
    stage = cycle["stages"][Stage.Kind.RANCANGAN_AWAL]
    return [
        reverse("cycle_stage:index"),
        reverse("cycle_stage:index") + "?year=2026&kind=forum_pd",
        reverse("cycle_stage:inspect", args=[stage.pk]),
        reverse("cycle_reporting_window:index"),
        reverse("cycle_reporting_window:inspect", args=[window.pk]),
        reverse("cycle_verification:index"),
        reverse("cycle_verification:index") + "?tahun=2026&p=2",
        reverse("cycle_verification:renja", args=[renja.pk]),
        reverse("cycle_verification:renstra", args=[cycle["renstra"].pk]),
        reverse("cycle_compare:index"),
        reverse("cycle_compare:index") + f"?renja={renja.pk}",
        reverse("cycle_consistency:index"),
        reverse("cycle_consistency:index") + "?tahun=abc",
        reverse("cycle_monev:index"),
        reverse("cycle_monev:index") + "?tahun=2026",
        reverse("cycle_monev:renja", args=[renja.pk]),
        reverse("cycle_monev:report", args=[row.pk, 1]),
        reverse("cycle_monev:report", args=[row.pk, 4]),
        "/admin/",
    ]


def test_every_page_opens_for_every_role(world, cycle, clients):
    renja = get_or_create_renja(world.p["admin"], world.dikbud, YEAR)
    row = add_row(world, renja, "1.01.02.2.01.0001", 1_000_000)
    window = ReportingWindow.objects.create(year=YEAR, triwulan=1, opens_at=at(4, 1, year=YEAR), closes_at=at(4, 15, year=YEAR))
    cycle["clock"]["now"] = at(4, 1)
    close_due_stages()
    Renja.objects.filter(pk=renja.pk).update(status=PlanStatus.SET, is_published=True)
    renstra = reverse("cycle_verification:renstra", args=[cycle["renstra"].pk])
    for role in ROLES:
        for url in urls(cycle, renja, row, window):
            expected = 404 if (role, url) == ("dinkes", renstra) else 200  # another department's unpublished Renstra
            assert clients[role].get(url).status_code == expected, (role, url)
    # Writing pages are Bappeda's admin's.
    stage = cycle["stages"][Stage.Kind.RANCANGAN_AWAL]
    for url in (reverse("cycle_stage:add"), reverse("cycle_stage:edit", args=[stage.pk]), reverse("cycle_stage:reopen", args=[stage.pk]),
                reverse("cycle_reporting_window:add"), reverse("cycle_reporting_window:edit", args=[window.pk])):
        assert clients["admin"].get(url).status_code == 200, url
        assert clients["dikbud"].get(url).status_code in (200, 302), url  # reopen shows the form; the service refuses a post
    assert clients["dikbud"].get(reverse("cycle_stage:add")).status_code == 302


def test_dashboard_shows_the_panels_without_anything_waiting(world, clients):
    for role in ROLES:
        text = page_text(clients[role].get("/admin/"))
        assert "Tidak ada yang perlu ditindaklanjuti." in text
        assert "Temuan konsistensi yang memblokir penetapan" in text
