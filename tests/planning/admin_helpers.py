"""Shared fixtures and helpers of the planning admin tests (this module holds no tests)."""

from decimal import Decimal

import pytest

from backoffice.planning.models import PaguCeiling, PlanningPeriod, Renja, RenjaRow, Renstra, Rkpd
from backoffice.planning.services import save_renja_row
from tests.factories import make_user

__all__ = ["plans", "login", "refused", "admin_client"]


@pytest.fixture
def plans(world):
    """Draft plans of the Dinas Pendidikan (dikbud), a region-wide period and RKPD, a ceiling and a
    staff user without any role."""
    period = PlanningPeriod.objects.create(name="RPJMD 2025-2029", start_year=2025, end_year=2029)
    spare_period = PlanningPeriod.objects.create(name="RPD 2030-2034", start_year=2030, end_year=2034, kind="rpd")
    renstra = Renstra.objects.create(perangkat_daerah=world.dikbud, period=period)
    renja = Renja.objects.create(perangkat_daerah=world.dikbud, year=2026)
    ceiling = PaguCeiling.objects.create(perangkat_daerah=world.dikbud, year=2026, amount=Decimal("1000000"))
    row = save_renja_row(
        world.p["admin"], RenjaRow(renja=renja, sub_kegiatan=world.subs["1.01.01.2.01.0001"]),
        pendanaan=[(world.dau, Decimal("400000"))], lokasi=[(None, "")],
    )
    world.users["norole"] = make_user("tanpa-peran")
    return {
        "period": period, "spare_period": spare_period, "renstra": renstra, "renja": renja,
        "row": row, "ceiling": ceiling, "rkpd": Rkpd.objects.create(year=2026, theme="Tema 2026"),
    }


def login(client, world, role):
    client.force_login(world.users[role])
    return client


@pytest.fixture
def admin_client(client, world):
    return login(client, world, "admin")


def refused(response):
    """The admin refused: not found (another department's draft), a permission refusal (Wagtail
    redirects to the dashboard), no admin access at all (redirect to the login), or 403."""
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and (response["Location"] == "/admin/" or response["Location"].startswith("/admin/login/"))
