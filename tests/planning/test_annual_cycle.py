"""A whole planning year, scripted: stages open and close on time, a department submits, a verifier
returns then approves, Bappeda sets the Renja, snapshots and stage diffs exist, quarterly realisation
is reported and verified. Forbidden steps are refused and change nothing."""

import io
from datetime import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from backoffice.access import policy
from backoffice.planning.models import (
    Indicator,
    IndicatorTarget,
    PlanStatus,
    Realisasi,
    Renja,
    RenjaRow,
    RenjaSnapshot,
    ReportingWindow,
    RenstraSasaran,
    Stage,
    VerificationEvent,
)
from backoffice.planning.services import (
    accept_realisasi,
    capaian,
    close_due_stages,
    consistency_findings,
    get_or_create_renja,
    import_renja,
    reopen_stage,
    report_realisasi,
    return_plan,
    return_realisasi,
    save_renja_row,
    set_ceiling,
    set_plan,
    stage_diff,
    submit,
    submit_realisasi,
    verify,
)
from backoffice.reference.models import SubKegiatan
from tests.factories import make_edition
from tests.planning.admin_helpers import WITA, YEAR, at
from tests.planning.admin_helpers import add_row as add_any_row

pytestmark = pytest.mark.django_db


def add_row(world, renja, code, pagu, target=10):
    """A row added by the department's operator (the one the stage locks)."""
    return add_any_row(world, renja, code, pagu, target, principal=world.p["dikbud"])


def test_a_whole_year(world, cycle):
    clock, stages, op, verifier, admin = cycle["clock"], cycle["stages"], world.p["dikbud"], world.p["verifier"], world.p["admin"]
    renja = get_or_create_renja(admin, world.dikbud, YEAR)
    row = add_row(world, renja, "1.01.02.2.01.0001", 1_000_000)

    # Rancangan awal closes: a cron run keeps the Renja as it stood; running it again changes nothing.
    clock["now"] = at(2, 1)
    assert [(s.kind, n) for s, n in close_due_stages()] == [(Stage.Kind.RANCANGAN_AWAL, 1)]
    assert close_due_stages() == []
    call_command("close_due_stages", stdout=io.StringIO())
    assert RenjaSnapshot.objects.count() == 1

    # Between stages the department cannot change its Renja, and says why.
    with pytest.raises(ValidationError, match="Tahapan Rancangan awal 2026 ditutup pada 28 Januari 2025 08:00"):
        add_row(world, renja, "1.01.02.2.01.0002", 500_000)
    # ... nor through an import.
    report = import_renja(io.BytesIO(b"kode_opd,kode_sub_kegiatan,pagu\n1.01.0.00.0.00.01.0000,1.01.02.2.01.0002,500000\n"), year=YEAR, principal=op)
    assert "ditutup" in report.refused[0][0].message and RenjaRow.objects.count() == 1
    # Bappeda reopens the stage for this department only, with a reason that is logged.
    with pytest.raises(ValidationError):
        reopen_stage(admin, stages[Stage.Kind.RANCANGAN_AWAL], world.dikbud, at(2, 3), "")
    reopen_stage(admin, stages[Stage.Kind.RANCANGAN_AWAL], world.dikbud, at(2, 3), "Koreksi pagu sesuai KUA")
    assert ModelLogEntry.objects.filter(action="planning.reopen_stage").exists()
    add_row(world, renja, "1.01.02.2.01.0002", 500_000)

    # Forum perangkat daerah: the department edits, submits; the verifier returns it with a note.
    clock["now"] = at(3, 10)
    RenjaRow.objects.filter(renja=renja, sub_kegiatan__code="1.01.02.2.01.0002").delete()
    save_renja_row(op, row, pendanaan=[(world.dau, 1_200_000)])
    with pytest.raises(PermissionDenied):
        submit(world.p["dinkes"], renja)
    with pytest.raises(PermissionDenied):
        verify(op, renja)
    submit(op, renja, "Mohon diverifikasi")
    with pytest.raises(ValidationError, match="hanya draf atau yang dikembalikan"):
        save_renja_row(op, row, pendanaan=[(world.dau, 1)])
    with pytest.raises(ValidationError, match="Catatan wajib"):
        return_plan(verifier, renja, "")
    return_plan(verifier, renja, "Target keluaran tidak sesuai Renstra")
    renja.refresh_from_db()
    assert renja.status == PlanStatus.RETURNED
    save_renja_row(op, row, pendanaan=[(world.dau, 1_300_000)])
    submit(op, renja)
    verify(verifier, renja, "Sesuai")
    with pytest.raises(PermissionDenied):
        set_plan(verifier, renja)
    clock["now"] = at(4, 1)
    close_due_stages()

    # Penetapan: only in its stage, only by the Bappeda admin; the set Renja is public and immutable.
    with pytest.raises(ValidationError, match="Penetapan hanya dalam tahapan"):
        set_plan(admin, renja)
    clock["now"] = at(6, 10)
    set_plan(admin, renja, "Perkada RKPD")
    renja.refresh_from_db()
    assert renja.status == PlanStatus.SET and renja.is_published
    assert policy.can(world.p["public"], "view", renja)
    with pytest.raises(ValidationError, match="sudah ditetapkan"):
        save_renja_row(admin, row, pendanaan=[(world.dau, 1)])
    assert [e.action for e in VerificationEvent.objects.filter(renja=renja)] == ["submit", "return", "submit", "verify", "set"]
    assert ModelLogEntry.objects.filter(action="planning.set", object_id=str(renja.pk)).exists()

    # The stage diff shows what changed between rancangan awal and forum perangkat daerah.
    diff = stage_diff(renja, stages[Stage.Kind.RANCANGAN_AWAL], stages[Stage.Kind.FORUM_PD])
    assert diff["added"] == [] and diff["removed"] == []
    assert diff["changed"][0]["changes"]["pagu"] == ("1000000.00", "1300000.00")

    # Quarterly monitoring: reported in its window, returned, corrected, accepted; capaian computed.
    ReportingWindow.objects.create(year=YEAR, triwulan=1, opens_at=datetime(YEAR, 4, 1, tzinfo=WITA), closes_at=datetime(YEAR, 4, 15, tzinfo=WITA))
    with pytest.raises(ValidationError, match="baru dibuka"):
        report_realisasi(op, row, 1, physical=3, spent=300_000)
    clock["now"] = datetime(YEAR, 4, 5, tzinfo=WITA)
    with pytest.raises(PermissionDenied):
        report_realisasi(world.p["dinkes"], row, 1, physical=3, spent=300_000)
    report = report_realisasi(op, row, 1, physical=3, spent=300_000, notes="Fondasi selesai")
    submit_realisasi(op, report)
    return_realisasi(verifier, report, "Lampirkan foto")
    report = report_realisasi(op, row, 1, physical=3, spent=325_000)
    submit_realisasi(op, report)
    assert not policy.scope(world.p["public"], Realisasi.objects.all()).exists()
    accept_realisasi(verifier, report, "Lengkap")
    assert policy.scope(world.p["public"], Realisasi.objects.all()).count() == 1
    result = capaian(RenjaRow.objects.prefetch_related("realisasi_list", "indicators__targets").select_related("renja").get(pk=row.pk), 1)
    assert (result.physical_percent, result.spent_percent) == (Decimal("30.00"), Decimal("25.00"))
    with pytest.raises(ValidationError, match="berstatus diterima"):
        report_realisasi(op, row, 1, physical=4, spent=0)
    ReportingWindow.objects.create(year=YEAR, triwulan=2, opens_at=datetime(YEAR, 4, 1, tzinfo=WITA), closes_at=datetime(YEAR, 4, 15, tzinfo=WITA))
    clock["now"] = datetime(YEAR, 4, 20, tzinfo=WITA)
    with pytest.raises(ValidationError, match="Pelaporan triwulan 2 2026 ditutup"):
        report_realisasi(op, row, 2, physical=4, spent=0)


def test_consistency_report_finds_each_planted_break_and_nothing_in_clean_data(world, cycle):
    admin = world.p["admin"]
    clean = get_or_create_renja(admin, world.dikbud, YEAR)
    add_row(world, clean, "1.01.02.2.01.0001", 1_000_000)
    assert consistency_findings(YEAR) == []

    # Planted: a program not in the Renstra, a missing target, a Renja target that differs from the
    # Renstra, pagu over the ceiling, a Renstra sasaran without RPJMD link, a department without Renstra,
    # a program outside the department's bidang and a code no longer in force.
    add_row(world, clean, "1.01.01.2.01.0001", 100_000)
    RenjaRow.objects.filter(sub_kegiatan__code="1.01.01.2.01.0001").first().indicators.all().delete()
    IndicatorTarget.objects.filter(indicator__renja_row__sub_kegiatan__code="1.01.02.2.01.0001").update(value=12)
    set_ceiling(admin, world.dikbud, YEAR, Decimal("1000000"))
    RenstraSasaran.objects.filter(pk=cycle["sasaran"].pk).update(rpjmd_sasaran=None)
    dinkes = get_or_create_renja(admin, world.dinkes, YEAR)
    outside = RenjaRow.objects.create(renja=dinkes, sub_kegiatan=world.subs["1.01.02.2.01.0002"])
    IndicatorTarget.objects.create(indicator=Indicator.objects.create(renja_row=outside, level="keluaran", text="x"), year=YEAR, value=1)
    SubKegiatan.objects.filter(pk=world.subs["1.01.02.2.01.0002"].pk).update(valid_until=make_edition("Edisi 2026", 2026))

    kinds = {f.kind for f in consistency_findings(YEAR)}
    assert kinds == {"not_in_renstra", "missing_indicator", "target_differs", "over_ceiling", "sasaran_unlinked", "no_renstra", "outside_bidang", "code_not_in_force"}
    mine = consistency_findings(YEAR, world.dikbud)
    assert {f.perangkat_daerah for f in mine} == {world.dikbud}
    assert all(f.obj is not None and f.message for f in mine)
    # Blocking findings stop penetapan.
    Renja.objects.filter(pk=clean.pk).update(status=PlanStatus.VERIFIED)
    cycle["clock"]["now"] = at(6, 10)
    with pytest.raises(ValidationError, match="temuan konsistensi"):
        set_plan(admin, clean)
    assert Renja.objects.get(pk=clean.pk).status == PlanStatus.VERIFIED
    # An operator sees only its own findings.
    assert {f.perangkat_daerah for f in consistency_findings(YEAR, principal=world.p["dinkes"])} == {world.dinkes}


def test_year_without_stages_is_not_locked(world):
    renja = get_or_create_renja(world.p["admin"], world.dikbud, 2031)
    add_row(world, renja, "1.01.02.2.01.0001", 10)
    assert RenjaRow.objects.filter(renja=renja).exists()
