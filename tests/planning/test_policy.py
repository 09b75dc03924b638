"""Who may see and change what: every role against every kind of plan object, read/create/change/delete.

The same module serves the admin, GraphQL and exports; here it is asked directly, for one object
(can) and for a queryset (scope), and the two must agree.
"""

import pytest

from backoffice.access import policy
from backoffice.planning.models import (
    Indicator,
    IndicatorTarget,
    Misi,
    PaguCeiling,
    PlanningPeriod,
    Renja,
    RenjaPendanaan,
    RenjaRow,
    Renstra,
    RenstraProgram,
    Rkpd,
    Sasaran,
    Tujuan,
)
from backoffice.reference.models import Program

pytestmark = pytest.mark.django_db

ROLES = ["admin", "verifier", "dikbud", "dinkes", "public"]
ACTIONS = ["view", "add", "change", "delete"]


@pytest.fixture
def objects(world):
    period = PlanningPeriod.objects.create(name="RPJMD 2025-2029", start_year=2025, end_year=2029)
    sasaran = Sasaran.objects.create(tujuan=Tujuan.objects.create(misi=Misi.objects.create(period=period, order=1, text="M"), code="T1", text="T"), code="S1", text="S")
    renja = Renja.objects.create(perangkat_daerah=world.dikbud, year=2026)
    row = RenjaRow.objects.create(renja=renja, sub_kegiatan=world.subs["1.01.01.2.01.0001"])
    renstra = Renstra.objects.create(perangkat_daerah=world.dikbud, period=period)
    indicator = Indicator.objects.create(renja_row=row, level="keluaran", text="Jumlah sekolah")
    return {
        "period": period,
        "sasaran_indicator": Indicator.objects.create(sasaran=sasaran, text="IPM"),
        "rkpd": Rkpd.objects.create(year=2026),
        "renja": renja,
        "renja_row": row,
        "pendanaan": RenjaPendanaan.objects.create(row=row, sumber_dana=world.dau, pagu=10),
        "renstra_program": RenstraProgram.objects.create(renstra=renstra, program=Program.objects.get(code="1.01.01")),
        "renja_indicator_target": IndicatorTarget.objects.create(indicator=indicator, year=2026, value=3),
        "ceiling": PaguCeiling.objects.create(perangkat_daerah=world.dikbud, year=2026, amount=100),
    }


# Expected answers for a draft (unpublished) object of the Dinas Pendidikan (dikbud) or the region.
DRAFT = {
    # kind: {role: allowed actions}
    "period": {"admin": ACTIONS, "verifier": ["view"], "dikbud": ["view"], "dinkes": ["view"], "public": []},
    "sasaran_indicator": {"admin": ACTIONS, "verifier": ["view"], "dikbud": ["view"], "dinkes": ["view"], "public": []},
    "rkpd": {"admin": ACTIONS, "verifier": ["view"], "dikbud": ["view"], "dinkes": ["view"], "public": []},
    "renja": {"admin": ACTIONS, "verifier": ["view"], "dikbud": ACTIONS, "dinkes": [], "public": []},
    "renja_row": {"admin": ACTIONS, "verifier": ["view"], "dikbud": ACTIONS, "dinkes": [], "public": []},
    "pendanaan": {"admin": ACTIONS, "verifier": ["view"], "dikbud": ACTIONS, "dinkes": [], "public": []},
    "renstra_program": {"admin": ACTIONS, "verifier": ["view"], "dikbud": ACTIONS, "dinkes": [], "public": []},
    "renja_indicator_target": {"admin": ACTIONS, "verifier": ["view"], "dikbud": ACTIONS, "dinkes": [], "public": []},
    "ceiling": {"admin": ACTIONS, "verifier": ["view"], "dikbud": ["view"], "dinkes": [], "public": []},
}
# Once published, the public and other departments may read (never write).
PUBLISHED_READERS = {"period", "sasaran_indicator", "rkpd", "renja", "renja_row", "pendanaan", "renstra_program", "renja_indicator_target"}


def publish(objects):
    PlanningPeriod.objects.update(is_published=True)
    Rkpd.objects.update(is_published=True)
    Renja.objects.update(is_published=True)
    Renstra.objects.update(is_published=True)
    for obj in objects.values():
        obj.refresh_from_db()
    # Related instances cached on the objects are reloaded too.
    objects["renja_row"] = RenjaRow.objects.get(pk=objects["renja_row"].pk)


@pytest.mark.parametrize("published", [False, True], ids=["draft", "published"])
@pytest.mark.parametrize("kind", list(DRAFT))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, objects, role, kind, published):
    if published:
        publish(objects)
    obj = type(objects[kind]).objects.get(pk=objects[kind].pk)
    principal = world.p[role]
    expected = set(DRAFT[kind][role])
    if published and kind in PUBLISHED_READERS:
        expected.add("view")
    for action in ACTIONS:
        allowed = policy.can(principal, action, obj)
        assert allowed == (action in expected), f"{role} {action} {kind} (published={published})"
        in_scope = policy.scope(principal, type(obj).objects.all(), action).filter(pk=obj.pk).exists()
        assert in_scope == allowed, f"scope and can disagree: {role} {action} {kind}"


def test_guessing_an_id_does_not_reveal_another_departments_draft(world, objects):
    dinkes = world.p["dinkes"]
    assert not policy.scope(dinkes, RenjaRow.objects.filter(pk=objects["renja_row"].pk)).exists()
    assert not policy.scope(dinkes, Indicator.objects.filter(renja_row=objects["renja_row"])).exists()
    assert policy.scope(dinkes, Indicator.objects.all()).count() == 1  # the region's sasaran indicator


def test_staff_user_without_a_role_is_treated_as_public(world, objects):
    from backoffice.access.policy import principal_for_user
    from tests.factories import make_user

    principal = principal_for_user(make_user("tanpa-peran"))
    assert principal.is_public
    assert not policy.scope(principal, Renja.objects.all()).exists()
