"""A musrenbang season of 2027 from start to finish, as issue 6 describes it: the kamus published,
proposals priced from it, quotas refusing the extra proposal at submission and at routing, pokir
entered and verified before their deadline (and refused after it, and over the legislator's
ceiling), scores ranking the kecamatan and department lists with ties broken visibly, the kecamatan
forum frozen at closing, and the three regulation tables exported."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from backoffice.access.models import Role
from backoffice.access.policy import principal_for_user
from backoffice.musrenbang import forums, pokir, scoring, tables
from backoffice.musrenbang.kamus import kamus_for, save_setting
from backoffice.musrenbang.models import ForumItem, Level, Status, Usulan, UsulanEvent
from backoffice.musrenbang.services import (
    FieldErrors,
    accept_usulan,
    create_usulan,
    route_usulan,
    submit_usulan,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def fresh(usulan):
    return Usulan.objects.get(pk=usulan.pk)


def rows(sheet, first=7):
    """The data rows under a sheet's title lines, blank line, headers and column numbers."""
    return [row for row in sheet.iter_rows(min_row=first, values_only=True)]


@pytest.fixture
def walked(season, settings, tmp_path):
    """The season played up to the musrenbang kabupaten; returns what the tests look at."""
    settings.MEDIA_ROOT = tmp_path
    mb, p, at = season.mb, season.p, season.at
    oenesu_user = make_user("desa-oenesu", Role.DESA_OPERATOR, wilayah=mb.oenesu)
    p["desa_oenesu"] = principal_for_user(oenesu_user)
    save_setting(p["admin"], 2027, outside_kamus_allowed=True, pokir_days_before=7, quota_per_desa=2, quota_per_kecamatan=2)

    # The villages pick from the published kamus; the service prices them.
    road = create_usulan(p["desa_bolok"], mb.proposal(kamus=season.road, volume=Decimal("150"), estimated_cost=Decimal("0"), priority_desa=2, beneficiaries=120), at=at(1, 6))
    well = create_usulan(p["desa_bolok"], mb.proposal(kamus=season.well, volume=Decimal("2"), solution="Sumur bor dusun 2", priority_desa=1, beneficiaries=300), at=at(1, 6))
    extra = create_usulan(p["desa_bolok"], mb.proposal(kamus=season.clinic, volume=Decimal("1"), solution="Posyandu keliling"), at=at(1, 6))
    drain = create_usulan(p["desa_oenesu"], mb.proposal(desa=mb.oenesu, kamus=season.road, volume=Decimal("100"), solution="Rabat beton gang Oenesu", priority_desa=1, beneficiaries=80), at=at(1, 7))
    for principal, item in ((p["desa_bolok"], road), (p["desa_bolok"], well), (p["desa_oenesu"], drain)):
        submit_usulan(principal, item, at=at(1, 20))

    # The kecamatan scores its list and ranks by it.
    fit = scoring.save_criterion(p["admin"], None, year=2027, level=Level.KECAMATAN, name="Kesesuaian RPJMD", weight=Decimal("2"), min_score=1, max_score=5, order=1)
    urgency = scoring.save_criterion(p["admin"], None, year=2027, level=Level.KECAMATAN, name="Urgensi", weight=Decimal("1.5"), min_score=1, max_score=5, order=2)
    scores = {road: (5, 4), well: (4, 4), drain: (5, 4)}  # road and drain tie at 16
    for item, (a, b) in scores.items():
        scoring.score_usulan(p["kec_barat"], item, Level.KECAMATAN, {fit: a, urgency: b}, at=at(2, 3))
    ranked_kecamatan = scoring.apply_ranking(p["kec_barat"], Level.KECAMATAN, 2027, kecamatan=mb.barat, at=at(2, 4))
    return dict(season=season, p=p, road=road, well=well, extra=extra, drain=drain, ranked_kecamatan=ranked_kecamatan, fit=fit)


def test_the_kamus_is_published_and_prices_the_proposals(walked):
    season = walked["season"]
    public = kamus_for(season.p["public"], 2027)
    assert sorted(item.name for item in public) == ["Posyandu keliling", "Rabat beton jalan lingkungan", "Sumur bor"]
    road, well, drain = fresh(walked["road"]), fresh(walked["well"]), fresh(walked["drain"])
    # 150 m x Rp 1.200.000 whatever was typed; 2 x Rp 85.000.000; 100 m x Rp 1.200.000.
    assert (road.estimated_cost, well.estimated_cost, drain.estimated_cost) == (Decimal("180000000"), Decimal("170000000"), Decimal("120000000"))
    assert road.target_perangkat_daerah == season.mb.pupr and well.satuan == season.unit


def test_the_desa_quota_refuses_the_extra_proposal_at_submission(walked):
    season, extra = walked["season"], walked["extra"]
    events = UsulanEvent.objects.filter(usulan=extra).count()
    with pytest.raises(ValidationError) as refused:
        submit_usulan(season.p["desa_bolok"], extra, at=season.at(1, 21))
    codes = ", ".join(sorted([walked["road"].tracking_code, walked["well"].tracking_code]))
    assert refused.value.messages == [f"Kuota Bolok tahun 2027 sudah penuh: paling banyak 2 usulan diajukan ke kecamatan (sudah diajukan: {codes})."]
    assert fresh(extra).status == Status.DRAFT and UsulanEvent.objects.filter(usulan=extra).count() == events
    # Another village's quota is its own: Oenesu submitted one of its two.
    assert fresh(walked["drain"]).status == Status.SUBMITTED


def test_scores_rank_the_kecamatan_list_with_the_tie_broken_visibly(walked):
    road, well, drain = walked["road"], walked["well"], walked["drain"]
    ranked = walked["ranked_kecamatan"]
    # road and drain both total 2x5 + 1.5x4 = 16; the desa priority (1 before 2) decides.
    assert [(r.usulan.pk, r.rank, r.total) for r in ranked] == [(drain.pk, 1, Decimal("16")), (road.pk, 2, Decimal("16")), (well.pk, 3, Decimal("14"))]
    assert ranked[0].tie_break == "" and ranked[2].tie_break == ""
    assert ranked[1].tie_break == f"nilai sama dengan {drain.tracking_code}; diurutkan menurut prioritas desa"
    assert [fresh(u).priority_kecamatan for u in (drain, road, well)] == [1, 2, 3]


def test_a_score_outside_its_range_is_refused_and_nothing_changes(walked):
    season, road, fit = walked["season"], walked["road"], walked["fit"]
    with pytest.raises(FieldErrors) as refused:
        scoring.score_usulan(season.p["kec_barat"], road, Level.KECAMATAN, {fit: 6}, at=season.at(2, 5))
    assert refused.value.errors == {f"criterion_{fit.pk}": ("out_of_range", "Skor Kesesuaian RPJMD harus antara 1 dan 5.")}
    assert fresh(road).score_kecamatan == Decimal("16")
    # A new weight totals the scored proposals again: 3x5 + 1.5x4.
    scoring.save_criterion(season.p["admin"], fit, weight=Decimal("3"))
    assert fresh(road).score_kecamatan == Decimal("21")
    # Its scores were given at the kecamatan: moving the criterion would leave those totals wrong.
    for change in ({"level": Level.FORUM_OPD}, {"year": 2028}):
        with pytest.raises(FieldErrors) as refused:
            scoring.save_criterion(season.p["admin"], type(fit).objects.get(pk=fit.pk), **change)
        assert refused.value.errors["level"][0] == "scored"
    assert (type(fit).objects.get(pk=fit.pk).level, fresh(road).score_kecamatan) == (Level.KECAMATAN, Decimal("21"))


def test_the_kecamatan_quota_refuses_the_extra_route_and_nothing_changes(walked):
    season, p, at = walked["season"], walked["p"], walked["season"].at
    drain, road, well = walked["drain"], walked["road"], walked["well"]
    route_usulan(p["kec_barat"], drain, season.mb.pupr, at=at(2, 10))
    route_usulan(p["kec_barat"], road, season.mb.pupr, at=at(2, 10))
    events = UsulanEvent.objects.filter(usulan=well).count()
    with pytest.raises(ValidationError) as refused:
        route_usulan(p["kec_barat"], well, season.mb.pupr, volume=Decimal("1"), at=at(2, 11))
    codes = ", ".join(sorted([drain.tracking_code, road.tracking_code]))
    assert refused.value.messages == [
        f"Kuota Kecamatan Kupang Barat tahun 2027 sudah penuh: paling banyak 2 usulan diteruskan ke perangkat daerah (sudah diteruskan: {codes})."
    ]
    well = fresh(well)
    assert well.status == Status.SUBMITTED and UsulanEvent.objects.filter(usulan=well).count() == events
    assert not well.recommendations.exists()  # the recommendation written before the refusal is rolled back


def test_a_kamus_proposal_is_routed_only_to_the_kamus_department(walked):
    season, road = walked["season"], walked["road"]
    with pytest.raises(ValidationError) as refused:
        route_usulan(season.p["kec_barat"], road, season.mb.dinkes, at=season.at(2, 10))
    assert refused.value.message_dict == {"target_perangkat_daerah": ['Item kamus "Rabat beton jalan lingkungan" milik perangkat daerah lain.']}
    assert fresh(road).status == Status.SUBMITTED and fresh(road).target_perangkat_daerah == season.mb.pupr


def _pokir(season, anggota_login, anggota, kamus, volume, at):
    data = season.pokir(anggota=anggota, kamus=kamus, volume=volume, solution=f"Pokir reses {anggota.name}: {kamus.name}")
    return create_usulan(season.p[anggota_login], data, at=at)


def test_pokir_are_entered_verified_and_routed_before_their_deadline_and_refused_after(walked):
    season, p, at = walked["season"], walked["p"], walked["season"].at
    pokir.set_ceiling(p["setwan"], season.ana, 2027, Decimal("200000000"))
    first = _pokir(season, "dprd_ana", season.ana, season.well, "2", at(3, 1))  # Rp 170.000.000
    submit_usulan(p["dprd_ana"], first, at=at(3, 2))
    pokir.verify_by_setwan(p["setwan"], first, at=at(3, 3))
    pokir.validate_by_bappeda(p["admin"], first, at=at(3, 4))
    first = fresh(first)
    assert first.status == Status.ROUTED and first.target_perangkat_daerah == season.mb.pupr
    assert list(first.events.values_list("action", flat=True)) == ["create", "submit", "verify_setwan", "validate_bappeda"]

    # The ceiling refuses the second pokir with the amounts; nothing changes.
    second = _pokir(season, "dprd_ana", season.ana, season.road, "50", at(3, 5))  # Rp 60.000.000
    with pytest.raises(FieldErrors) as refused:
        submit_usulan(p["dprd_ana"], second, at=at(3, 6))
    assert refused.value.errors["estimated_cost"] == ("over_ceiling", (
        "Pagu pokir Ana Manafe tahun 2027 Rp 200.000.000: usulan yang sudah diajukan Rp 170.000.000 ditambah usulan ini "
        "Rp 60.000.000 menjadi Rp 230.000.000, melebihi pagu."))
    assert fresh(second).status == Status.DRAFT
    # Another legislator has no ceiling.
    budi = _pokir(season, "dprd_budi", season.budi, season.road, "50", at(3, 5))
    submit_usulan(p["dprd_budi"], budi, at=at(3, 6))

    # Musrenbang kabupaten opens 25 March: pokir close 7 days before, 18 March 00:00 WITA.
    lock = ("Pemasukan pokir DPRD tahun 2027 ditutup pada 18 Maret 2026 00:00, 7 hari sebelum musrenbang kabupaten dibuka "
            "(25 Maret 2026 00:00).")
    with pytest.raises(ValidationError) as refused:
        _pokir(season, "dprd_ana", season.ana, season.clinic, "1", at(3, 18, 0))
    assert refused.value.messages == [lock]
    pokir.set_ceiling(p["setwan"], season.ana, 2027, None)
    with pytest.raises(ValidationError) as refused:
        submit_usulan(p["dprd_ana"], second, at=at(3, 18, 9))
    assert refused.value.messages == [lock]
    assert Usulan.objects.filter(anggota_dprd=season.ana).count() == 2 and fresh(second).status == Status.DRAFT
    # The secretariat's checks are not bound to the entry deadline.
    pokir.reject_by_setwan(p["setwan"], budi, "Lokasi di luar daerah pemilihan", at=at(3, 20))
    assert fresh(budi).status == Status.REJECTED_SETWAN and fresh(budi).public_reason == "Lokasi di luar daerah pemilihan"


def test_the_department_list_ranks_by_its_own_scores_ties_by_kecamatan_priority(walked):
    season, p, at = walked["season"], walked["p"], walked["season"].at
    drain, road = walked["drain"], walked["road"]
    for item in (drain, road):
        route_usulan(p["kec_barat"], item, season.mb.pupr, at=at(2, 10))
    pokir_item = _pokir(season, "dprd_ana", season.ana, season.well, "1", at(3, 1))
    submit_usulan(p["dprd_ana"], pokir_item, at=at(3, 1))
    pokir.verify_by_setwan(p["setwan"], pokir_item, at=at(3, 2))
    pokir.validate_by_bappeda(p["admin"], pokir_item, at=at(3, 2))
    need = scoring.save_criterion(p["admin"], None, year=2027, level=Level.FORUM_OPD, name="Kebutuhan teknis", weight=Decimal("1"), min_score=0, max_score=10)
    for item, value in ((drain, 7), (road, 7), (pokir_item, 9)):
        scoring.score_usulan(p["opd_pupr"], item, Level.FORUM_OPD, {need: value}, at=at(3, 5))
    with pytest.raises(PermissionDenied) as refused:  # Dinas Kesehatan does not score PUPR's list
        scoring.score_usulan(p["opd_dinkes"], road, Level.FORUM_OPD, {need: 1}, at=at(3, 5))
    assert "tidak berwenang menilai" in str(refused.value)
    ranked = scoring.apply_ranking(p["op_pupr"], Level.FORUM_OPD, 2027, perangkat_daerah=season.mb.pupr, at=at(3, 6))
    assert [r.usulan.pk for r in ranked] == [pokir_item.pk, drain.pk, road.pk]
    assert ranked[2].tie_break == f"nilai sama dengan {drain.tracking_code}; diurutkan menurut prioritas kecamatan"
    assert [fresh(u).priority_opd for u in (pokir_item, drain, road)] == [1, 2, 3]


def test_the_forum_closes_only_with_its_berita_acara_and_freezes_the_agreed_list(walked):
    season, p, at = walked["season"], walked["p"], walked["season"].at
    drain, road, well = walked["drain"], walked["road"], walked["well"]
    for item in (drain, road):
        route_usulan(p["kec_barat"], item, season.mb.pupr, at=at(2, 10))
    forum = forums.save_forum(p["kec_barat"], None, level=Level.KECAMATAN, year=2027, kecamatan=season.mb.barat,
                              held_on=at(2, 12).date(), place="Aula Kantor Camat Kupang Barat", participant_count=45)
    forums.add_participant(p["kec_barat"], forum, "Maria Tefa", "Desa Bolok", is_delegate=True)
    with pytest.raises(FieldErrors) as refused:
        forums.close_forum(p["kec_barat"], forum, at=at(2, 12, 15))
    assert refused.value.errors == {"berita_acara": ("required", "Unggah berita acara yang sudah ditandatangani sebelum menutup forum.")}
    assert not ForumItem.objects.exists()
    forums.save_forum(p["kec_barat"], forum, berita_acara=SimpleUploadedFile("ba.pdf", b"%PDF-1.4 signed", "application/pdf"))
    forums.close_forum(p["kec_barat"], forum, at=at(2, 12, 16))

    agreed = list(forum.items.filter(agreed=True).values_list("position", "tracking_code", "volume", "cost", "score"))
    assert agreed == [(1, drain.tracking_code, Decimal("100"), Decimal("120000000"), Decimal("16")),
                      (2, road.tracking_code, Decimal("150"), Decimal("180000000"), Decimal("16"))]
    assert list(forum.items.filter(agreed=False).values_list("tracking_code", flat=True)) == [well.tracking_code]

    # The department later accepts the road with less volume: the live proposal moves on, the forum's copy does not.
    accept_usulan(p["opd_pupr"], road, volume=Decimal("100"), cost=Decimal("120000000"), reason="Disesuaikan dengan pagu", at=at(3, 5))
    assert fresh(road).status == Status.ACCEPTED_CHANGED
    frozen = forum.items.get(tracking_code=road.tracking_code)
    assert (frozen.volume, frozen.cost, frozen.status_label) == (Decimal("150"), Decimal("180000000"), "Diteruskan ke perangkat daerah")
    source, groups = forums.priority_list(p["kec_barat"], season.mb.barat, 2027)
    assert source.startswith("Berita acara forum kecamatan, ditutup 12-02-2026 16:00")
    assert [(i.tracking_code, i.cost) for i in groups[(season.mb.pupr.code, season.mb.pupr.name)]] == [
        (drain.tracking_code, Decimal("120000000")), (road.tracking_code, Decimal("180000000"))]
    # A closed forum's record and participants are frozen too.
    with pytest.raises(ValidationError) as refused:
        forums.save_forum(p["kec_barat"], forum, place="Tempat lain")
    assert refused.value.messages == [f"{forum} sudah ditutup: catatannya tidak dapat diubah."]
    with pytest.raises(ValidationError) as refused:
        forums.add_participant(p["kec_barat"], forum, "Terlambat", "Desa Oenesu")
    assert refused.value.messages == [f"{forum} sudah ditutup: daftar peserta tidak dapat diubah."]
    forum.refresh_from_db()
    assert forum.place == "Aula Kantor Camat Kupang Barat"
    assert list(forum.participants.values_list("name", flat=True)) == ["Maria Tefa"]


def test_the_three_regulation_tables_export_with_numbers_as_numbers(walked):
    season, p, at = walked["season"], walked["p"], walked["season"].at
    drain, road = walked["drain"], walked["road"]
    for item in (drain, road):
        route_usulan(p["kec_barat"], item, season.mb.pupr, priority=None, at=at(2, 10))
    accept_usulan(p["opd_pupr"], road, volume=Decimal("100"), cost=Decimal("120000000"), reason="Disesuaikan dengan pagu", at=at(3, 5))
    accept_usulan(p["opd_pupr"], drain, at=at(3, 5))
    first = _pokir(season, "dprd_ana", season.ana, season.well, "2", at(3, 1))
    submit_usulan(p["dprd_ana"], first, at=at(3, 2))
    pokir.verify_by_setwan(p["setwan"], first, at=at(3, 3))

    tc32 = load_workbook(io.BytesIO(tables.tc32(p["admin"], 2027, season.mb.pupr)))
    sheet = tc32.worksheets[0]
    titles = [sheet.cell(n, 1).value for n in (1, 2, 3)]
    assert titles == ["Tabel T-C.32 Usulan Program dan Kegiatan dari Para Pemangku Kepentingan", season.mb.pupr.name, "Tahun 2027"]
    assert sheet.cell(5, 1).value == "No" and sheet.cell(5, 5).value == "Besaran/Volume"
    data = {row[7]: row for row in rows(sheet)}
    assert set(data) == {drain.tracking_code, road.tracking_code}
    # The department's changed volume and cost, as numbers; the source of the proposal in the notes.
    assert (data[road.tracking_code][4], data[road.tracking_code][8]) == (100, 120000000)
    assert data[road.tracking_code][6] == "Musrenbang Kec. Kupang Barat, Bolok; Diterima dengan perubahan"
    assert data[road.tracking_code][3] == "Jalan lingkungan terbangun"  # the kamus item's expected output

    tb57 = load_workbook(io.BytesIO(tables.tb57(p["setwan"], 2027)))
    sheet = tb57.worksheets[0]
    assert sheet.title == "T-B.57 2027" and sheet.cell(3, 1).value == "Tahun 2027"
    (row,) = rows(sheet)
    assert row[1:2] == (f"Sumur bor\nPokir reses Ana Manafe: Sumur bor",)
    assert (row[3], row[4], row[8], row[9], row[10], row[11]) == (2, "Unit", "Ana Manafe", "Fraksi Nusa", 170000000, first.tracking_code)
    assert row[7] == "Diverifikasi Sekretariat DPRD"

    priority = load_workbook(io.BytesIO(tables.priority_xlsx(p["kec_barat"], season.mb.barat, 2027)))
    sheet = priority.worksheets[0]
    assert sheet.title == "Kupang Barat" and [sheet.cell(n, 1).value for n in (2, 3)] == ["Kecamatan Kupang Barat", "Tahun 2027"]
    listed = rows(sheet, first=8)
    assert listed[0][0] == season.mb.pupr.name
    assert [(r[1], r[4], r[6], r[7]) for r in listed[1:3]] == [(drain.tracking_code, 100, 120000000, 16), (road.tracking_code, 100, 120000000, 16)]
    assert listed[3][3] == f"Jumlah {season.mb.pupr.name}" and listed[3][6] == 240000000
    assert all(isinstance(r[6], (int, float)) for r in listed[1:4])
