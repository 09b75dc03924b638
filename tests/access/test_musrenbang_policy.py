"""Who may see and change what in a musrenbang season: every role (own unit and another's) against
every kind issue 6 adds, view/add/change/delete, asked of `policy.can` for the object and of
`policy.scope` for a queryset; the two must agree.

"Own" is the unit the objects belong to: Dinas PUPR, Kecamatan Kupang Barat, Desa Bolok and the
legislator Ana Manafe; "other" is Dinas Kesehatan, Kupang Timur, Babau and Budi Lakapu.
"""

from decimal import Decimal

import pytest

from backoffice.access import policy
from backoffice.musrenbang import pokir
from backoffice.musrenbang.models import (
    AnggotaDprd,
    Forum,
    ForumItem,
    ForumParticipant,
    KamusUsulan,
    Level,
    PokirCeiling,
    ScoringCriterion,
    Score,
    SeasonSetting,
    Usulan,
)
from backoffice.musrenbang.services import create_usulan, submit_usulan
from tests.musrenbang.conftest import mb, season  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

ACTIONS = ("view", "add", "change", "delete")
# Role in the matrix -> principal in the `season` fixture.
ROLES = {
    "public": "public", "bappeda_admin": "admin", "bappeda_verifier": "verifier",
    "opd_operator_own": "op_pupr", "opd_operator_other": "op_dinkes", "opd_verifier_own": "opd_pupr",
    "kecamatan_own": "kec_barat", "kecamatan_other": "kec_timur", "desa_own": "desa_bolok", "desa_other": "desa_babau",
    "setwan": "setwan", "dprd_own": "dprd_ana", "dprd_other": "dprd_budi",
}
A, V, N = "vacd", "v", ""


def row(public=N, bappeda_admin=A, bappeda_verifier=V, opd_operator_own=N, opd_operator_other=N, opd_verifier_own=N,
        kecamatan_own=N, kecamatan_other=N, desa_own=N, desa_other=N, setwan=N, dprd_own=N, dprd_other=N):
    return dict(locals())


STAFF_READ = dict(opd_operator_own=V, opd_operator_other=V, opd_verifier_own=V)
KECAMATAN_FORUM = row(kecamatan_own=A)
EXPECTED = {
    # Bappeda's rules of the year: every staff role reads them, the public does not.
    "setting": row(**STAFF_READ, kecamatan_own=V, kecamatan_other=V, desa_own=V, desa_other=V, setwan=V, dprd_own=V, dprd_other=V),
    # A published (active) kamus item is public; its department's operator writes it.
    "kamus_active": row(V, opd_operator_own=A, opd_operator_other=V, opd_verifier_own=V, kecamatan_own=V, kecamatan_other=V,
                        desa_own=V, desa_other=V, setwan=V, dprd_own=V, dprd_other=V),
    "kamus_inactive": row(opd_operator_own=A, opd_verifier_own=V),
    # Legislators and their ceilings: Setwan writes; departments (who review pokir) and legislators read.
    "anggota": row(**STAFF_READ, setwan=A, dprd_own=V, dprd_other=V),
    "ceiling": row(**STAFF_READ, setwan=A, dprd_own=V, dprd_other=V),
    # The criteria: Bappeda writes; the kecamatan (who score) and departments read.
    "criterion": row(**STAFF_READ, kecamatan_own=V, kecamatan_other=V),
    # Forums: the unit that held it writes its record; a kecamatan reads its desas' forums.
    "forum_desa": row(kecamatan_own=V, desa_own=A),
    "forum_kecamatan": KECAMATAN_FORUM,
    "forum_opd": row(opd_operator_own=A, opd_verifier_own=A),
    "forum_kabupaten": row(),
    "participant": KECAMATAN_FORUM,
    "forum_item": KECAMATAN_FORUM,
    # Pokir: the legislator's own; Setwan also enters and edits it while it is a draft (from the recess
    # minutes); Setwan, the department it is routed to and the public follow it once entered; villages
    # and kecamatan never see pokir.
    "pokir_draft": row(setwan="vac", dprd_own=A),
    "pokir_routed": row(V, opd_operator_own=V, opd_verifier_own=V, setwan=V, dprd_own=A),
}
# Scores are read as their proposal is; who writes one is the scoring service's check (the level's
# assessor: tests/musrenbang/test_season.py), not the policy's.
SCORE_VIEW = {"public", "bappeda_admin", "bappeda_verifier", "opd_operator_own", "opd_verifier_own", "kecamatan_own", "desa_own"}


@pytest.fixture
def objects(season):
    mb, p, at = season.mb, season.p, season.at
    proposal = create_usulan(p["desa_bolok"], mb.proposal(kamus=season.road), at=at(1, 6))
    submit_usulan(p["desa_bolok"], proposal, at=at(1, 10))
    criterion = ScoringCriterion.objects.create(year=2027, level=Level.KECAMATAN, name="Urgensi", weight=Decimal("1"))

    def pokir_of(volume):
        data = mb.proposal(desa=None, proposer_level=Usulan.ProposerLevel.DPRD, anggota_dprd=season.ana, kamus=season.well, volume=Decimal(volume))
        return create_usulan(p["dprd_ana"], data, at=at(3, 1))

    routed = pokir_of("1")
    submit_usulan(p["dprd_ana"], routed, at=at(3, 1))
    pokir.verify_by_setwan(p["setwan"], routed, at=at(3, 2))
    pokir.validate_by_bappeda(p["admin"], routed, at=at(3, 2))

    def forum(level, **unit):
        return Forum.objects.create(level=level, year=2027, held_on=at(2, 12).date(), place="Aula", participant_count=30, **unit)

    kecamatan_forum = forum(Level.KECAMATAN, kecamatan=mb.barat)
    return {
        "setting": SeasonSetting.objects.create(year=2027),
        "kamus_active": season.road,
        "kamus_inactive": season.old,
        "anggota": season.ana,
        "ceiling": PokirCeiling.objects.create(anggota=season.ana, year=2027, amount=Decimal("500000000")),
        "criterion": criterion,
        "score": Score.objects.create(usulan=proposal, criterion=criterion, value=Decimal("4")),
        "forum_desa": forum(Level.DESA, desa=mb.bolok, kecamatan=mb.barat),
        "forum_kecamatan": kecamatan_forum,
        "forum_opd": forum(Level.FORUM_OPD, perangkat_daerah=mb.pupr),
        "forum_kabupaten": forum(Level.KABUPATEN),
        "participant": ForumParticipant.objects.create(forum=kecamatan_forum, name="Maria Tefa", institution="Desa Bolok"),
        "forum_item": ForumItem.objects.create(
            forum=kecamatan_forum, usulan=proposal, agreed=True, position=1, tracking_code=proposal.tracking_code,
            solution=proposal.solution, volume=proposal.volume, satuan_name="Meter", cost=proposal.estimated_cost, status_label="Diajukan",
        ),
        "pokir_draft": pokir_of("2"),
        "pokir_routed": routed,
    }


def check(principal, obj, action):
    allowed = policy.can(principal, action, obj)
    in_scope = policy.scope(principal, type(obj).objects.all(), action).filter(pk=obj.pk).exists()
    assert in_scope == allowed, f"scope and can disagree on {action} {type(obj).__name__}"
    return allowed


@pytest.mark.parametrize("kind", list(EXPECTED))
@pytest.mark.parametrize("role", list(ROLES))
def test_permission_matrix(season, objects, role, kind):
    obj = type(objects[kind]).objects.get(pk=objects[kind].pk)  # fresh: no related rows cached by the services
    principal = season.p[ROLES[role]]
    expected = {action for action in ACTIONS if action[0] in EXPECTED[kind][role]}
    allowed = {action for action in ACTIONS if check(principal, obj, action)}
    assert allowed == expected, f"{role} on {kind}"


@pytest.mark.parametrize("role", list(ROLES))
def test_scores_are_read_as_their_proposal_is(season, objects, role):
    score = Score.objects.get(pk=objects["score"].pk)
    assert check(season.p[ROLES[role]], score, "view") == (role in SCORE_VIEW)


# Who sees an "add" button for a kind (the admin asks policy.can_create_any).
@pytest.mark.parametrize("model, creators", [
    (SeasonSetting, {"bappeda_admin"}),
    (KamusUsulan, {"bappeda_admin", "opd_operator_own", "opd_operator_other"}),
    (AnggotaDprd, {"bappeda_admin", "setwan"}),
    (ScoringCriterion, {"bappeda_admin"}),
    (PokirCeiling, {"bappeda_admin", "setwan"}),
    (Usulan, {"bappeda_admin", "desa_own", "desa_other", "setwan", "dprd_own", "dprd_other"}),
    (Forum, {"bappeda_admin", "opd_operator_own", "opd_operator_other", "opd_verifier_own", "kecamatan_own", "kecamatan_other", "desa_own", "desa_other"}),
], ids=lambda value: getattr(value, "__name__", ""))
def test_who_may_create_each_kind(season, model, creators):
    allowed = {role for role, name in ROLES.items() if policy.can_create_any(season.p[name], model)}
    assert allowed == creators
