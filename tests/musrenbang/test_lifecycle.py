"""Proposals walked from a village through the kecamatan and a department into a Renja row, with
returns, rejections and a postponement carried over; forbidden steps refused, nothing changed."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from backoffice.access import policy
from backoffice.musrenbang.models import Level, MusrenbangSchedule, Status, Usulan
from backoffice.musrenbang.services import (
    accept_usulan,
    adopt_usulan,
    agree_usulan,
    carry_over,
    create_usulan,
    mark_not_funded,
    postpone_usulan,
    rank_at_kecamatan,
    reject_at_kecamatan,
    reject_at_opd,
    return_usulan,
    route_usulan,
    submit_usulan,
    update_usulan,
)
from backoffice.planning.models import Renja, RenjaRow
from tests.factories import make_edition, make_nomenclature

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")


def at(month, day):
    return datetime(2026, month, day, 9, tzinfo=WITA)


@pytest.fixture
def season(mb):
    for level, month in [(Level.DESA, 1), (Level.KECAMATAN, 2), (Level.FORUM_OPD, 3), (Level.KABUPATEN, 4)]:
        MusrenbangSchedule.objects.create(year=2027, level=level, opens_at=at(month, 1), closes_at=at(month, 28))
    return mb


def status(usulan):
    return Usulan.objects.get(pk=usulan.pk).status


def test_from_village_to_renja_row(season):
    mb, p = season, season.p
    road, clinic, drain, lamp, hall, well = (
        create_usulan(p["desa_bolok"], mb.proposal(solution=text), at=at(1, 5))
        for text in ["Rabat beton jalan", "Posyandu", "Saluran drainase", "Lampu jalan", "Balai dusun", "Sumur bor"]
    )
    for item in (road, clinic, drain, lamp, hall, well):
        submit_usulan(p["desa_bolok"], item, at=at(1, 20))
    # After the desa window closes, the village cannot submit any more.
    late = create_usulan(p["desa_bolok"], mb.proposal(solution="Terlambat"), at=at(2, 2))
    with pytest.raises(ValidationError, match="ditutup pada 28 Januari 2026"):
        submit_usulan(p["desa_bolok"], late, at=at(2, 2))
    assert status(late) == Status.DRAFT

    # Kecamatan: another kecamatan may not touch it; returns one (public reason), rejects one, ranks and routes.
    with pytest.raises(PermissionDenied):
        route_usulan(p["kec_timur"], road, mb.pupr, at=at(2, 5))
    with pytest.raises(ValidationError, match="Alasan wajib"):
        return_usulan(p["kec_barat"], hall, "", at=at(2, 5))
    return_usulan(p["kec_barat"], hall, "Lengkapi foto lokasi dan surat hibah lahan", at=at(2, 5))
    reject_at_kecamatan(p["kec_barat"], well, "Sudah dibiayai Dana Desa 2026", at=at(2, 5))
    rank_at_kecamatan(p["kec_barat"], mb.barat, [drain, road, clinic, lamp], at=at(2, 6))
    assert Usulan.objects.get(pk=road.pk).priority_kecamatan == 2
    route_usulan(p["kec_barat"], road, mb.pupr, volume=Decimal("120"), cost=Decimal("150000000"), note="Prioritas 2", at=at(2, 6))
    for item in (drain, lamp):
        route_usulan(p["kec_barat"], item, mb.pupr, at=at(2, 6))
    route_usulan(p["kec_barat"], clinic, mb.dinkes, at=at(2, 6))
    # The village edits the returned one and sends it again, within its window only.
    with pytest.raises(ValidationError, match="ditutup"):
        submit_usulan(p["desa_bolok"], hall, at=at(2, 7))

    # Forum perangkat daerah: each department decides on its own queue.
    with pytest.raises(PermissionDenied):
        accept_usulan(p["opd_dinkes"], road, at=at(3, 5))
    accept_usulan(p["opd_pupr"], road, volume=Decimal("100"), cost=Decimal("125000000"), reason="Volume disesuaikan dengan hasil survei", at=at(3, 5))
    accept_usulan(p["opd_pupr"], drain, at=at(3, 5))
    postpone_usulan(p["opd_pupr"], lamp, "Menunggu jaringan listrik PLN", at=at(3, 5))
    reject_at_opd(p["opd_dinkes"], clinic, "Posyandu sudah ada dalam radius 1 km", at=at(3, 5))
    assert [status(x) for x in (road, drain, lamp, clinic)] == [Status.ACCEPTED_CHANGED, Status.ACCEPTED, Status.POSTPONED, Status.REJECTED_OPD]
    # Proposed values stay; each level's recommendation is kept beside them.
    road = Usulan.objects.get(pk=road.pk)
    assert (road.volume, road.estimated_cost) == (Decimal("150.00"), Decimal("180000000.00"))
    assert {r.level: (r.volume, r.cost) for r in road.recommendations.all()} == {
        Level.KECAMATAN: (Decimal("120.00"), Decimal("150000000.00")),
        Level.FORUM_OPD: (Decimal("100.00"), Decimal("125000000.00")),
    }

    # Musrenbang kabupaten agrees; the road is adopted into a PUPR Renja row, the drain is not funded.
    with pytest.raises(PermissionDenied):
        agree_usulan(p["opd_pupr"], road, at=at(4, 5))
    agree_usulan(p["admin"], road, at=at(4, 5))
    agree_usulan(p["admin"], drain, at=at(4, 5))
    edition = make_edition(year=2027)
    sub = make_nomenclature(edition, urusan=1, bidang=3)[-1]
    row = RenjaRow.objects.create(renja=Renja.objects.create(perangkat_daerah=mb.pupr, year=2027), sub_kegiatan=sub)
    other = RenjaRow.objects.create(renja=Renja.objects.create(perangkat_daerah=mb.dinkes, year=2027), sub_kegiatan=sub)
    with pytest.raises(ValidationError, match="Baris Renja harus milik"):
        adopt_usulan(p["admin"], road, other, at=at(5, 1))
    adopt_usulan(p["opd_pupr"], road, row, at=at(5, 1))
    assert list(row.usulan_list.all()) == [Usulan.objects.get(pk=road.pk)]
    mark_not_funded(p["admin"], drain, "Pagu PUPR 2027 tidak mencukupi", at=at(5, 1))

    # The postponed lamp goes to next year's cycle with its history.
    follow_up = carry_over(p["admin"], lamp, at=at(5, 2))
    assert (follow_up.year, follow_up.status, follow_up.carried_from_id) == (2028, Status.SUBMITTED, lamp.pk)
    assert status(lamp) == Status.CARRIED_OVER
    assert follow_up.tracking_code != lamp.tracking_code

    timeline = [(e.action, e.to_status) for e in Usulan.objects.get(pk=road.pk).events.all()]
    assert timeline == [("create", "draft"), ("submit", "submitted"), ("route", "routed"), ("accept_changed", "accepted_changed"), ("agree", "agreed"), ("adopt", "adopted")]
    assert ModelLogEntry.objects.filter(action="musrenbang.adopt", object_id=str(road.pk)).exists()


def test_forbidden_steps_change_nothing(season):
    mb, p = season, season.p
    item = create_usulan(p["desa_bolok"], mb.proposal(), at=at(1, 5))
    with pytest.raises(ValidationError, match="berstatus draf"):
        route_usulan(p["kec_barat"], item, mb.pupr, at=at(2, 5))
    with pytest.raises(PermissionDenied):
        submit_usulan(p["desa_babau"], item, at=at(1, 6))
    submit_usulan(p["desa_bolok"], item, at=at(1, 6))
    with pytest.raises(ValidationError, match="hanya draf atau yang dikembalikan"):
        update_usulan(p["desa_bolok"], item, mb.proposal(solution="Diubah"))
    with pytest.raises(PermissionDenied):
        route_usulan(p["desa_bolok"], item, mb.pupr, at=at(2, 5))
    with pytest.raises(ValidationError, match="baru dibuka"):
        route_usulan(p["kec_barat"], item, mb.pupr, at=at(1, 30))
    item.refresh_from_db()
    assert (item.status, item.solution, item.target_perangkat_daerah) == (Status.SUBMITTED, "Rabat beton jalan lingkungan RT 03", None)
    assert item.events.count() == 2


def test_who_sees_which_proposal(season):
    mb, p = season, season.p
    draft = create_usulan(p["desa_bolok"], mb.proposal(solution="Draf"), at=at(1, 5))
    sent = create_usulan(p["desa_bolok"], mb.proposal(solution="Dikirim"), at=at(1, 5))
    submit_usulan(p["desa_bolok"], sent, at=at(1, 6))
    route_usulan(p["kec_barat"], sent, mb.pupr, at=at(2, 6))
    babau = create_usulan(p["desa_babau"], mb.proposal(desa=mb.babau, kecamatan=mb.timur, solution="Babau"), at=at(1, 5))

    def seen(name):
        return set(policy.scope(p[name], Usulan.objects.all()).values_list("solution", flat=True))

    assert seen("admin") == seen("verifier") == {"Draf", "Dikirim", "Babau"}
    assert seen("desa_bolok") == {"Draf", "Dikirim"} and seen("desa_babau") == {"Babau"}
    assert seen("kec_barat") == {"Dikirim"} and seen("kec_timur") == set()
    assert seen("opd_pupr") == {"Dikirim"} and seen("opd_dinkes") == set()
    assert seen("public") == {"Dikirim"}
    assert not policy.can(p["desa_babau"], "change", draft) and policy.can(p["desa_bolok"], "change", draft)
    assert not policy.can(p["kec_barat"], "change", sent) and not policy.can(p["public"], "view", babau)
