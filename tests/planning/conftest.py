"""A small planning world: a nomenclature with two bidang and the support program, two departments,
funding sources, and one principal per role."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client

from backoffice.access.models import Role
from backoffice.access.policy import PUBLIC, principal_for_user
from backoffice.planning.models import (
    Indicator,
    IndicatorTarget,
    Misi,
    PaguCeiling,
    PlanningPeriod,
    Renja,
    RenjaRow,
    Renstra,
    RenstraKegiatan,
    RenstraProgram,
    RenstraSasaran,
    RenstraSubKegiatan,
    RenstraTujuan,
    Rkpd,
    Sasaran,
    Stage,
    Tujuan,
)
from backoffice.planning.services import save_renja_row, set_ceiling
from backoffice.reference.models import Kegiatan, PerangkatDaerah, Program, SumberDana
from tests.factories import make_edition, make_nomenclature, make_support_program, make_user
from tests.planning.admin_helpers import YEAR, at, login


@pytest.fixture
def world(db):
    edition = make_edition(year=2021)
    subs = make_nomenclature(edition, urusan=1, bidang=2, program=2, kegiatan=1, sub_kegiatan=2)
    support = make_support_program(edition)
    dikbud = PerangkatDaerah.objects.create(code="1.01.0.00.0.00.01.0000", name="Dinas Pendidikan")
    dinkes = PerangkatDaerah.objects.create(code="1.02.0.00.0.00.01.0000", name="Dinas Kesehatan")
    dau = SumberDana.objects.create(code="DAU", name="Dana Alokasi Umum")
    pad = SumberDana.objects.create(code="PAD", name="Pendapatan Asli Daerah")
    users = {
        "admin": make_user("bappeda", Role.BAPPEDA_ADMIN),
        "verifier": make_user("verifikator", Role.BAPPEDA_VERIFIER),
        "dikbud": make_user("op-dikbud", Role.OPD_OPERATOR, dikbud),
        "dinkes": make_user("op-dinkes", Role.OPD_OPERATOR, dinkes),
    }
    principals = {name: principal_for_user(user) for name, user in users.items()}
    principals["public"] = PUBLIC
    return SimpleNamespace(
        edition=edition,
        subs={s.code: s for s in subs},
        support=support,
        dikbud=dikbud,
        dinkes=dinkes,
        dau=dau,
        pad=pad,
        users=users,
        p=principals,
    )


@pytest.fixture
def clock(monkeypatch, settings):
    """Now is 5 January of the cycle's year; tests move it with clock["now"] = ..."""
    # Sessions must outlive the months the tests move the clock over.
    settings.SESSION_COOKIE_AGE = 20 * 365 * 24 * 3600
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


@pytest.fixture
def clients(world):
    """A logged-in test client per role: admin, verifier, dikbud, dinkes."""
    result = {}
    for name, user in world.users.items():
        client = Client()
        client.force_login(user)
        result[name] = client
    return result


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


@pytest.fixture
def admin_client(client, world):
    return login(client, world, "admin")
