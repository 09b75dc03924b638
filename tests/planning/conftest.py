"""A small planning world: a nomenclature with two bidang and the support program, two departments,
funding sources, and one principal per role."""

from types import SimpleNamespace

import pytest

from backoffice.access.models import Role
from backoffice.access.policy import PUBLIC, principal_for_user
from backoffice.reference.models import PerangkatDaerah, SumberDana
from tests.factories import make_edition, make_nomenclature, make_support_program, make_user


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
