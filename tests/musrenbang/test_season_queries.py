"""Season writes that touch many proposals cost a constant number of SQL queries, whatever the
number of proposals: a criterion's new weight re-totals the scored proposals, a kamus item's new
unit price re-prices the drafts, and a ranking numbers the list."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backoffice.musrenbang import scoring
from backoffice.musrenbang.kamus import save_kamus_item
from backoffice.musrenbang.models import Level, Score, Usulan
from backoffice.musrenbang.services import create_usulan, rank_at_kecamatan

pytestmark = pytest.mark.django_db


def _queries(action):
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def _drafts(season, count, **overrides):
    return [create_usulan(season.p["desa_bolok"], season.mb.proposal(**overrides)) for _ in range(count)]


def test_a_new_weight_retotals_the_scored_proposals_in_constant_queries(season):
    p = season.p
    fit = scoring.save_criterion(p["admin"], None, year=2027, level=Level.KECAMATAN, name="Kesesuaian", weight=Decimal("2"), min_score=1, max_score=5)
    urgency = scoring.save_criterion(p["admin"], None, year=2027, level=Level.KECAMATAN, name="Urgensi", weight=Decimal("1.5"), min_score=1, max_score=5)
    counts = []
    for size in (2, 6):
        usulan = _drafts(season, size)
        for item in usulan:
            Score.objects.create(usulan=item, criterion=fit, value=Decimal("4"))
            Score.objects.create(usulan=item, criterion=urgency, value=Decimal("3"))
        counts.append(_queries(lambda: scoring.save_criterion(p["admin"], fit, weight=Decimal(size))))
        assert {Usulan.objects.get(pk=u.pk).score_kecamatan for u in usulan} == {Decimal(size) * 4 + Decimal("4.5")}
    assert counts[0] == counts[1]


def test_a_new_unit_price_reprices_the_drafts_in_constant_queries(season):
    save_kamus_item(season.p["op_pupr"], season.road, unit_price=Decimal("1400000"))  # warms the content-type cache
    counts = []
    for size, price in ((2, "1500000"), (6, "1600000")):
        drafts = _drafts(season, size, kamus=season.road, volume=Decimal("10"))
        counts.append(_queries(lambda: save_kamus_item(season.p["op_pupr"], season.road, unit_price=Decimal(price))))
        assert {Usulan.objects.get(pk=u.pk).estimated_cost for u in drafts} == {Decimal(price) * 10}
    assert counts[0] == counts[1]


def test_ranking_the_kecamatan_list_costs_constant_queries(season):
    from backoffice.musrenbang.services import submit_usulan

    p = season.p
    counts = []
    for size in (2, 6):
        Usulan.objects.all().delete()
        usulan = _drafts(season, size)
        for item in usulan:
            submit_usulan(p["desa_bolok"], item, at=season.at(1, 10))
        ordered = list(reversed(usulan))
        counts.append(_queries(lambda: rank_at_kecamatan(p["admin"], season.mb.barat, ordered, at=season.at(2, 4))))
        assert [Usulan.objects.get(pk=u.pk).priority_kecamatan for u in ordered] == list(range(1, size + 1))
    assert counts[0] == counts[1]


def test_ranking_the_department_list_costs_constant_queries(season):
    from backoffice.musrenbang.models import Status

    counts = []
    for size in (2, 6):
        usulan = _drafts(season, size)
        Usulan.objects.filter(pk__in=[u.pk for u in usulan]).update(status=Status.ROUTED, target_perangkat_daerah=season.mb.pupr)
        ranked = []
        counts.append(_queries(lambda: ranked.extend(scoring.apply_ranking(season.p["admin"], Level.FORUM_OPD, 2027, perangkat_daerah=season.mb.pupr))))
        assert sorted(Usulan.objects.filter(status=Status.ROUTED).values_list("priority_opd", flat=True)) == [r.rank for r in ranked]
    assert counts[0] == counts[1]
