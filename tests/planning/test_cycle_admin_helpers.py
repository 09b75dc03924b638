"""Fixtures for the annual-cycle admin tests: the 2026 cycle (held in 2025) with a clock the tests
move, a clean Renstra for Dinas Pendidikan, logged-in clients per role, and small helpers."""

import re
from datetime import datetime
from html import unescape
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from backoffice.planning.models import (
    Indicator,
    IndicatorTarget,
    Misi,
    PlanningPeriod,
    RenjaRow,
    Renstra,
    RenstraKegiatan,
    RenstraProgram,
    RenstraSasaran,
    RenstraSubKegiatan,
    RenstraTujuan,
    Sasaran,
    Stage,
    Tujuan,
)
from backoffice.planning.services import save_renja_row, set_ceiling
from backoffice.reference.models import Kegiatan, Program

WITA = ZoneInfo("Asia/Makassar")
YEAR = 2026


def at(month, day, hour=8, year=YEAR - 1):
    return datetime(year, month, day, hour, tzinfo=WITA)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The world fixture creates a user per role; the default hasher makes that slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The tests move the clock over months: sessions must outlive it.
    settings.SESSION_COOKIE_AGE = 20 * 365 * 24 * 3600


@pytest.fixture
def clock(monkeypatch):
    state = {"now": at(1, 5)}
    monkeypatch.setattr("django.utils.timezone.now", lambda: state["now"])
    return state


@pytest.fixture
def cycle(world, clock):
    """Stages of the 2026 cycle, an RPJMD with a Renstra for Dinas Pendidikan (its program
    1.01.02 and the support program), and a ceiling."""
    stages = {
        kind: Stage.objects.create(year=YEAR, kind=kind, opens_at=at(month, 1), closes_at=at(month, 28))
        for kind, month in [(Stage.Kind.RANCANGAN_AWAL, 1), (Stage.Kind.FORUM_PD, 3), (Stage.Kind.RANCANGAN_AKHIR, 5), (Stage.Kind.PENETAPAN, 6)]
    }
    period = PlanningPeriod.objects.create(name="RPJMD 2025-2029", start_year=2025, end_year=2029, is_published=True)
    rpjmd_sasaran = Sasaran.objects.create(tujuan=Tujuan.objects.create(misi=Misi.objects.create(period=period, order=1, text="M"), code="T", text="T"), code="S", text="S")
    renstra = Renstra.objects.create(perangkat_daerah=world.dikbud, period=period)
    sasaran = RenstraSasaran.objects.create(tujuan=RenstraTujuan.objects.create(renstra=renstra, code="T1", text="T"), code="S1", text="S", rpjmd_sasaran=rpjmd_sasaran)
    program = RenstraProgram.objects.create(renstra=renstra, sasaran=sasaran, program=Program.objects.get(code="1.01.02"))
    kegiatan = RenstraKegiatan.objects.create(renstra_program=program, kegiatan=Kegiatan.objects.get(code="1.01.02.2.01"))
    sub = RenstraSubKegiatan.objects.create(renstra_kegiatan=kegiatan, sub_kegiatan=world.subs["1.01.02.2.01.0001"])
    IndicatorTarget.objects.create(indicator=Indicator.objects.create(renstra_sub_kegiatan=sub, text="Ruang kelas dibangun"), year=YEAR, value=10)
    RenstraProgram.objects.create(renstra=renstra, sasaran=sasaran, program=world.support.kegiatan.program)
    set_ceiling(world.p["admin"], world.dikbud, YEAR, Decimal("5000000"))
    return {"clock": clock, "stages": stages, "period": period, "renstra": renstra, "sasaran": sasaran}


def add_row(world, renja, code, pagu, target=10, principal=None):
    row = save_renja_row(principal or world.p["admin"], RenjaRow(renja=renja, sub_kegiatan=world.subs.get(code) or world.support), pendanaan=[(world.dau, pagu)])
    IndicatorTarget.objects.create(indicator=Indicator.objects.create(renja_row=row, level="keluaran", text="Ruang kelas dibangun"), year=YEAR, value=target)
    return row


@pytest.fixture
def clients(world):
    """A logged-in test client per role: admin, verifier, dikbud, dinkes."""
    result = {}
    for name, user in world.users.items():
        client = Client()
        client.force_login(user)
        result[name] = client
    return result


def page_text(response):
    """The response's HTML, unescaped (Wagtail renders messages escaped)."""
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return unescape(response.content.decode())


def follow_post(client, url, data=None, **kwargs):
    response = client.post(url, data or {}, follow=True, **kwargs)
    assert response.status_code == 200, response.status_code
    return page_text(response)


def notifications(client):
    """The counts ({key: n}) and the HTML of the dashboard's annual-cycle notifications panel."""
    text = page_text(client.get("/admin/"))
    panel = re.search(r'(?s)id="cycle-notifications-section".*?</section>', text).group(0)
    counts = {key: int(n) for key, n in re.findall(r'<tr data-notification="([a-z_]+)">.*?<td data-count>(\d+)</td>', panel, re.S)}
    return counts, panel
