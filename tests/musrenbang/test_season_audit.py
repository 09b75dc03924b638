"""Every write of a season record leaves an entry in Wagtail's audit log with its user, whichever
path made it (the admin, an import, a script): the services write the entry, not the views."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from backoffice.musrenbang import forums, pokir, scoring
from backoffice.musrenbang.kamus import save_kamus_item, save_setting
from backoffice.musrenbang.models import Level
from backoffice.musrenbang.services import FieldErrors

pytestmark = pytest.mark.django_db


def entries(obj):
    return list(ModelLogEntry.objects.for_instance(obj).order_by("timestamp", "pk").values_list("action", "user__username", "data"))


def test_kamus_settings_legislators_and_criteria_are_logged_with_their_user(season):
    p, mb = season.p, season.mb
    item = save_kamus_item(p["op_pupr"], None, year=2027, perangkat_daerah=mb.pupr, name="Drainase", satuan=mb.meter, unit_price=Decimal("750000"))
    save_kamus_item(p["op_pupr"], item, unit_price=Decimal("800000"))
    assert [(a, u) for a, u, _ in entries(item)] == [("wagtail.create", "op-pupr"), ("wagtail.edit", "op-pupr")]

    setting = save_setting(p["admin"], 2027, quota_per_desa=3)
    assert [(a, u) for a, u, _ in entries(setting)] == [("wagtail.create", "bappeda")]

    pokir.set_ceiling(p["setwan"], season.ana, 2027, Decimal("500000000"))
    pokir.set_ceiling(p["setwan"], season.ana, 2027, None)
    logged = entries(season.ana)
    assert [(a, u) for a, u, _ in logged] == [("wagtail.edit", "setwan"), ("wagtail.edit", "setwan")]
    assert [d["pagu_pokir"] for _, _, d in logged] == [{"year": 2027, "amount": "500000000"}, {"year": 2027, "amount": None}]

    criterion = scoring.save_criterion(p["admin"], None, year=2027, level=Level.KECAMATAN, name="Urgensi", weight=Decimal("2"), min_score=1, max_score=5)
    assert [(a, u) for a, u, _ in entries(criterion)] == [("wagtail.create", "bappeda")]


def test_a_refused_write_leaves_no_entry(season):
    p, mb = season.p, season.mb
    with pytest.raises(FieldErrors) as refused:
        save_kamus_item(p["op_pupr"], season.road, unit_price=Decimal("-1"))
    assert set(refused.value.errors) == {"unit_price"}
    with pytest.raises(FieldErrors) as refused:
        pokir.set_ceiling(p["setwan"], season.ana, 1999, Decimal("1"))
    assert set(refused.value.errors) == {"year"}
    assert entries(season.road) == [] and entries(season.ana) == []


def test_a_forum_logs_its_record_participants_and_closing(season, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    p, at = season.p, season.at
    forum = forums.save_forum(p["kec_barat"], None, level=Level.KECAMATAN, year=2027, kecamatan=season.mb.barat,
                              held_on=at(2, 12).date(), place="Aula Kantor Camat", participant_count=30)
    participant = forums.add_participant(p["kec_barat"], forum, "Maria Tefa", "Desa Bolok")
    forums.remove_participant(p["kec_barat"], participant)
    forums.save_forum(p["kec_barat"], forum, berita_acara=SimpleUploadedFile("ba.pdf", b"%PDF-1.4 signed", "application/pdf"))
    forums.close_forum(p["kec_barat"], forum, at=at(2, 12, 16))
    logged = entries(forum)
    assert [(a, u) for a, u, _ in logged] == [("wagtail.create", "kec-barat")] + [("wagtail.edit", "kec-barat")] * 4
    assert logged[1][2] == {"participant_added": "Maria Tefa (Desa Bolok)"}
    assert logged[2][2] == {"participant_removed": "Maria Tefa (Desa Bolok)"}
    assert logged[4][2]["closed_at"].startswith("2026-02-12") and (logged[4][2]["agreed"], logged[4][2]["not_agreed"]) == (0, 0)
