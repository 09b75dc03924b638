"""The annual cycle: stage windows that lock plans, reopening, snapshots at close, and verification
(draft -> submitted -> verified -> set, or returned with a note).

Each transition is one function here, used by the admin, the API and the command line alike: it
checks the role (through the access policy) and the stage, writes the status, the verification
history and the audit log entry, or refuses with a clear message and changes nothing.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import formats, timezone
from wagtail.log_actions import log

from backoffice.access import policy
from backoffice.access.models import Role

from ..models import Indicator, PlanStatus, Renja, RenjaRow, RenjaSnapshot, Stage, StageReopening, VerificationEvent

LOG_ACTIONS = {
    "submit": ("planning.submit", "Diajukan untuk verifikasi"),
    "verify": ("planning.verify", "Diverifikasi"),
    "return": ("planning.return", "Dikembalikan ke perangkat daerah"),
    "set": ("planning.set", "Ditetapkan"),
    "reopen": ("planning.reopen_stage", "Tahapan dibuka ulang untuk perangkat daerah"),
}


def _when(moment):
    return formats.date_format(timezone.localtime(moment), "j F Y H:i")


def _plan_year_and_unit(plan):
    if isinstance(plan, Renja):
        return plan.year, plan.perangkat_daerah_id, "covers_renja"
    return plan.period.start_year, plan.perangkat_daerah_id, "covers_renstra"


def stage_lock_reason(plan, at=None):
    """Why a department cannot change `plan` now (None when it can): outside every open stage of
    the plan's year and without a reopening. A year without any stage is not scheduled yet: open."""
    at = at or timezone.now()
    year, unit_id, covers = _plan_year_and_unit(plan)
    stages = list(Stage.objects.filter(year=year, **{covers: True}).order_by("opens_at"))
    if not stages or any(stage.is_open(at) for stage in stages):
        return None
    if StageReopening.objects.filter(stage__in=stages, perangkat_daerah_id=unit_id, until__gt=at).exists():
        return None
    past = [stage for stage in stages if stage.closes_at <= at]
    if past:
        last = past[-1]
        return f"Tahapan {last.get_kind_display()} {year} ditutup pada {_when(last.closes_at)}."
    first = stages[0]
    return f"Tahapan {first.get_kind_display()} {year} baru dibuka pada {_when(first.opens_at)}."


def require_editable(principal, plan, at=None):
    """Refuse a change to a plan's content: a set plan is immutable; a department changes its plan
    only while it is a draft or returned, and within an open stage (or a reopening)."""
    if plan.pk:
        # The caller may hold a stale copy (a row's cached Renja): the stored status decides.
        plan.status = type(plan).objects.filter(pk=plan.pk).values_list("status", flat=True).get()
    if plan.status == PlanStatus.SET:
        raise ValidationError(f"{plan} sudah ditetapkan dan tidak dapat diubah.")
    if principal.role == Role.BAPPEDA_ADMIN:
        return
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
        raise ValidationError(f"{plan} berstatus {plan.get_status_display().lower()}: hanya draf atau yang dikembalikan yang dapat diubah.")
    reason = stage_lock_reason(plan, at)
    if reason:
        raise ValidationError(reason)


@transaction.atomic
def reopen_stage(principal, stage, perangkat_daerah, until, reason):
    """Bappeda reopens a stage for one department until a time; the reason is kept and logged."""
    reopening = StageReopening(stage=stage, perangkat_daerah=perangkat_daerah, until=until, reason=(reason or "").strip(), created_by=principal.user)
    policy.require(principal, "add", reopening)
    if not reopening.reason:
        raise ValidationError({"reason": "Alasan pembukaan ulang wajib diisi."})
    reopening.full_clean()
    reopening.save()
    log(instance=stage, action=LOG_ACTIONS["reopen"][0], user=principal.user, data={"perangkat_daerah": perangkat_daerah.code, "until": until.isoformat(), "reason": reopening.reason})
    return reopening


# ------------------------------------------------------------------------------------------------
# Verification

# action: (statuses it starts from, status it leads to, who may do it)
TRANSITIONS = {
    "submit": ({PlanStatus.DRAFT, PlanStatus.RETURNED}, PlanStatus.SUBMITTED, "owner"),
    "verify": ({PlanStatus.SUBMITTED}, PlanStatus.VERIFIED, "verifier"),
    "return": ({PlanStatus.SUBMITTED, PlanStatus.VERIFIED}, PlanStatus.RETURNED, "verifier"),
    "set": ({PlanStatus.VERIFIED}, PlanStatus.SET, "admin"),
}
ACTION_NAMES = {"submit": "mengajukan", "verify": "memverifikasi", "return": "mengembalikan", "set": "menetapkan"}


def _check_role(principal, action, plan, who):
    allowed = {
        "owner": policy.can(principal, "change", plan),
        "verifier": principal.role in (Role.BAPPEDA_ADMIN, Role.BAPPEDA_VERIFIER),
        "admin": principal.role == Role.BAPPEDA_ADMIN,
    }[who]
    if not allowed:
        raise PermissionDenied(f"Anda tidak berwenang {ACTION_NAMES[action]} {plan}.")


def _check_stage(action, plan, at):
    if action == "submit":
        reason = stage_lock_reason(plan, at)
        if reason:
            raise ValidationError(reason)
    if action == "set" and isinstance(plan, Renja):
        penetapan = Stage.objects.filter(year=plan.year, kind=Stage.Kind.PENETAPAN).first()
        if penetapan is not None and not penetapan.is_open(at):
            raise ValidationError(f"Penetapan hanya dalam tahapan {penetapan} ({_when(penetapan.opens_at)} – {_when(penetapan.closes_at)}).")
        from .consistency import consistency_findings

        blocking = [f for f in consistency_findings(plan.year, plan.perangkat_daerah) if f.blocking]
        if blocking:
            raise ValidationError([f"{len(blocking)} temuan konsistensi harus diselesaikan sebelum penetapan:"] + [f.message for f in blocking[:10]])


@transaction.atomic
def transition(principal, plan, action, note="", at=None):
    """Move a Renja or Renstra one step; refused whole with a clear message when not allowed."""
    at = at or timezone.now()
    if action not in TRANSITIONS:
        raise ValidationError(f"Tindakan '{action}' tidak dikenal.")
    sources, target, who = TRANSITIONS[action]
    plan = type(plan).objects.select_for_update().get(pk=plan.pk)
    _check_role(principal, action, plan, who)
    if plan.status not in sources:
        raise ValidationError(f"{plan} berstatus {plan.get_status_display().lower()}: tidak dapat {ACTION_NAMES[action]}.")
    note = (note or "").strip()
    if action == "return" and not note:
        raise ValidationError({"note": "Catatan wajib diisi saat mengembalikan: perangkat daerah perlu tahu apa yang harus diperbaiki."})
    _check_stage(action, plan, at)
    source = plan.status
    plan.status = target
    fields = ["status"]
    if target == PlanStatus.SET:
        plan.is_published = True  # a set plan is an official act: public from now on
        fields.append("is_published")
    plan.save(update_fields=fields)
    owner = {"renja": plan} if isinstance(plan, Renja) else {"renstra": plan}
    VerificationEvent.objects.create(
        **owner, action=action, from_status=source, to_status=target, actor=principal.user,
        actor_label=str(principal.user or principal.token), note=note,
    )
    log(instance=plan, action=LOG_ACTIONS[action][0], user=principal.user, data={"from": source, "to": target, "note": note})
    return plan


def submit(principal, plan, note=""):
    return transition(principal, plan, "submit", note)


def verify(principal, plan, note=""):
    return transition(principal, plan, "verify", note)


def return_plan(principal, plan, note):
    return transition(principal, plan, "return", note)


def set_plan(principal, plan, note=""):
    return transition(principal, plan, "set", note)


# ------------------------------------------------------------------------------------------------
# Snapshots at stage close


def snapshot_data(renja):
    """A Renja as plain data: rows by department code, with pagu per sumber dana, lokasi and targets."""
    rows = (
        RenjaRow.objects.filter(renja=renja)
        .select_related("sub_kegiatan", "renja__perangkat_daerah")
        .prefetch_related("pendanaan_list__sumber_dana", "lokasi_list__wilayah", Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets")))
    )
    data = {}
    for row in rows:
        data[row.code] = {
            "name": row.sub_kegiatan.name,
            "pagu": str(row.pagu_indikatif),
            "pendanaan": {line.sumber_dana.code: str(line.pagu) for line in row.pendanaan_list.all()},
            "lokasi": sorted(str(place) for place in row.lokasi_list.all()),
            "targets": {
                f"{i.level or 'umum'}: {i.text}": {str(t.year): str(t.value) if t.value is not None else t.text for t in i.targets.all()}
                for i in row.indicators.all()
            },
        }
    return {"status": renja.status, "rows": data}


def take_snapshot(stage, renja):
    data = snapshot_data(renja)
    total = sum((Decimal(r["pagu"]) for r in data["rows"].values()), Decimal("0"))
    snapshot, _ = RenjaSnapshot.objects.update_or_create(stage=stage, renja=renja, defaults={"data": data, "total_pagu": total})
    return snapshot


def close_due_stages(at=None):
    """Close every stage whose time has come and keep each Renja of its year as it stood.
    Safe to run as often as cron likes: a closed stage is not closed again."""
    at = at or timezone.now()
    closed = []
    with transaction.atomic():
        for stage in Stage.objects.select_for_update().filter(closes_at__lte=at, closed_at__isnull=True).order_by("closes_at"):
            renjas = list(Renja.objects.filter(year=stage.year)) if stage.covers_renja else []
            for renja in renjas:
                take_snapshot(stage, renja)
            stage.closed_at = at
            stage.save(update_fields=["closed_at"])
            closed.append((stage, len(renjas)))
    return closed


def diff_snapshots(before, after):
    """Rows added and removed, and pagu, funding and target changes between two Renja snapshots."""
    old, new = before["rows"], after["rows"]
    changed = []
    for code in sorted(set(old) & set(new)):
        a, b = old[code], new[code]
        changes = {}
        if a["pagu"] != b["pagu"]:
            changes["pagu"] = (a["pagu"], b["pagu"])
        if a["pendanaan"] != b["pendanaan"]:
            changes["pendanaan"] = (a["pendanaan"], b["pendanaan"])
        if a["targets"] != b["targets"]:
            changes["targets"] = (a["targets"], b["targets"])
        if a["lokasi"] != b["lokasi"]:
            changes["lokasi"] = (a["lokasi"], b["lokasi"])
        if changes:
            changed.append({"code": code, "name": b["name"], "changes": changes})
    return {
        "added": [{"code": c, **new[c]} for c in sorted(set(new) - set(old))],
        "removed": [{"code": c, **old[c]} for c in sorted(set(old) - set(new))],
        "changed": changed,
    }


def stage_diff(renja, stage_before, stage_after):
    """The difference between what a Renja held at the close of two stages."""
    before = RenjaSnapshot.objects.get(stage=stage_before, renja=renja).data
    after = RenjaSnapshot.objects.get(stage=stage_after, renja=renja).data
    return diff_snapshots(before, after)

