"""Weighted scoring and the ranked lists of the kecamatan and the departments.

Decision: one score per criterion per proposal. A criterion belongs to one level (kecamatan or
forum perangkat daerah), and the level's forum agrees one value per criterion; the assessor who
entered it last is kept with it. Total = sum of weight x score over the level's criteria (an
unscored criterion adds nothing), stored on the proposal so that lists sort by it in SQL.

Ranking: total (highest first), then the lower level's priority (the desa's for the kecamatan, the
kecamatan's for the department), then more beneficiaries, then earlier entry, then tracking code.
Each item says which of these decided its place against an item with the same total.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from backoffice.access import policy
from backoffice.access.models import Role

from . import services
from .models import Level, ScoringCriterion, Score, Status, Usulan

TOTAL_FIELD = {Level.KECAMATAN: "score_kecamatan", Level.FORUM_OPD: "score_opd"}
PRIORITY_FIELD = {Level.KECAMATAN: "priority_kecamatan", Level.FORUM_OPD: "priority_opd"}
LOWER_PRIORITY = {Level.KECAMATAN: ("priority_desa", "prioritas desa"), Level.FORUM_OPD: ("priority_kecamatan", "prioritas kecamatan")}
SCORABLE = {Level.KECAMATAN: (Status.SUBMITTED, Status.ROUTED), Level.FORUM_OPD: (Status.ROUTED, Status.ACCEPTED, Status.ACCEPTED_CHANGED)}
OWNER = {Level.KECAMATAN: "kecamatan", Level.FORUM_OPD: "opd"}
CRITERION_FIELDS = ("year", "level", "name", "description", "weight", "min_score", "max_score", "order")


@transaction.atomic
def save_criterion(principal, criterion, **values):
    """Create (criterion=None) or change a criterion (Bappeda's admin); a new weight re-totals the
    proposals already scored on it."""
    criterion = services.assign(principal, criterion or ScoringCriterion(), CRITERION_FIELDS, values)
    errors = {}
    if criterion.level not in TOTAL_FIELD:
        errors["level"] = ("invalid", "Kriteria dinilai di tingkat kecamatan atau forum perangkat daerah.")
    if not (criterion.name or "").strip():
        errors["name"] = ("required", "Nama kriteria wajib diisi.")
    elif ScoringCriterion.objects.filter(year=criterion.year, level=criterion.level, name__iexact=criterion.name.strip()).exclude(pk=criterion.pk).exists():
        errors["name"] = ("duplicate", "Kriteria dengan nama ini sudah ada untuk tingkat dan tahun tersebut.")
    if criterion.weight is None or Decimal(criterion.weight) <= 0:
        errors["weight"] = ("invalid", "Bobot harus lebih dari nol.")
    if criterion.min_score is None or criterion.max_score is None or criterion.min_score >= criterion.max_score:
        errors["max_score"] = ("invalid", "Skor tertinggi harus lebih besar dari skor terendah.")
    elif criterion.pk and Score.objects.filter(criterion=criterion).exclude(value__gte=criterion.min_score, value__lte=criterion.max_score).exists():
        errors["max_score"] = ("scores_outside", "Sudah ada skor di luar rentang baru ini; ubah skornya dahulu.")
    # Scores were given at the stored level and year: moving them would leave those totals wrong.
    stored = ScoringCriterion.objects.filter(pk=criterion.pk).values_list("level", "year").first() if criterion.pk else None
    if "level" not in errors and stored and stored != (criterion.level, criterion.year) and Score.objects.filter(criterion=criterion).exists():
        errors["level"] = ("scored", "Kriteria ini sudah dipakai menilai usulan: tingkat dan tahunnya tidak dapat diubah.")
    if errors:
        raise services.FieldErrors(errors)
    created = criterion.pk is None
    criterion.save()
    services.audit(principal, criterion, created)
    _retotal_scored_on(criterion)
    return criterion


def _retotal_scored_on(criterion):
    """Re-total, in two queries whatever their number, the proposals scored on `criterion` (each has
    that score, so each gets a total)."""
    field = TOTAL_FIELD[criterion.level]
    totals = {}
    scores = (Score.objects.filter(usulan__in=Score.objects.filter(criterion=criterion).values("usulan_id"), criterion__level=criterion.level)
              .order_by().values_list("usulan_id", "value", "criterion__weight"))
    for usulan_id, value, weight in scores:
        totals[usulan_id] = totals.get(usulan_id, Decimal("0")) + value * weight
    Usulan.objects.bulk_update([Usulan(pk=pk, **{field: total}) for pk, total in totals.items()], [field])


def _retotal(usulan_id, level):
    scores = Score.objects.filter(usulan_id=usulan_id, criterion__level=level).values_list("value", "criterion__weight")
    total = sum((value * weight for value, weight in scores), Decimal("0")) if scores else None
    Usulan.objects.filter(pk=usulan_id).update(**{TOTAL_FIELD[level]: total})
    return total


def _check_scorer(principal, usulan, level, at):
    if not services._owns(principal, OWNER[level], usulan) or (level == Level.KECAMATAN and services.is_pokir(usulan)):
        raise PermissionDenied(f"Anda tidak berwenang menilai usulan {usulan.tracking_code} di tingkat {Level(level).label.lower()}.")
    if usulan.status not in SCORABLE[level]:
        raise ValidationError(f"Usulan {usulan.tracking_code} berstatus {usulan.get_status_display().lower()}: tidak dinilai di tingkat {Level(level).label.lower()}.")
    if principal.role != Role.BAPPEDA_ADMIN:
        lock = services.schedule_lock_reason(usulan.year, level, at)
        if lock:
            raise ValidationError(lock)


@transaction.atomic
def score_usulan(principal, usulan, level, values, *, at=None):
    """Record one level's scores for a proposal: `values` maps criterion (or its id) to a score.
    Returns the new total. Out-of-range scores are refused per criterion, nothing is written."""
    usulan = Usulan.objects.select_for_update().get(pk=usulan.pk)
    _check_scorer(principal, usulan, level, at)
    criteria = {c.pk: c for c in ScoringCriterion.objects.filter(year=usulan.year, level=level)}
    errors = {}
    cleaned = {}
    for key, value in values.items():
        criterion = criteria.get(getattr(key, "pk", key))
        if criterion is None:
            raise ValidationError(f"Kriteria {key} bukan kriteria {Level(level).label.lower()} tahun {usulan.year}.")
        if value is None:
            continue
        value = Decimal(value)
        if not criterion.min_score <= value <= criterion.max_score:
            errors[f"criterion_{criterion.pk}"] = ("out_of_range", f"Skor {criterion.name} harus antara {criterion.min_score} dan {criterion.max_score}.")
        cleaned[criterion] = value
    if errors:
        raise services.FieldErrors(errors)
    for criterion, value in cleaned.items():
        Score.objects.update_or_create(usulan=usulan, criterion=criterion, defaults={"value": value, "assessor": principal.user})
    return _retotal(usulan.pk, level)


@dataclass
class Ranked:
    usulan: Usulan
    rank: int
    total: Decimal | None
    tie_break: str  # why it stands after an item with the same total ("" when totals differ)


def _key(level):
    lower, _ = LOWER_PRIORITY[level]
    total = TOTAL_FIELD[level]

    def key(u):
        score = getattr(u, total)
        priority = getattr(u, lower)
        return [
            -(score if score is not None else Decimal("-1e12")),
            priority if priority is not None else 10**6,
            -(u.beneficiaries or 0),
            u.created_at,
            u.tracking_code,
        ]
    return key


def _tie_note(level, previous, current):
    lower_label = LOWER_PRIORITY[level][1]
    labels = [None, lower_label, "penerima manfaat", "waktu pengajuan", "kode lacak"]
    key = _key(level)
    for label, a, b in zip(labels, key(previous), key(current)):
        if a != b:
            return "" if label is None else f"nilai sama dengan {previous.tracking_code}; diurutkan menurut {label}"
    return ""


def rank(usulan_list, level):
    """The proposals in ranked order with 1-based positions and the visible tie-breaks."""
    ordered = sorted(usulan_list, key=_key(level))
    return [Ranked(u, i, getattr(u, TOTAL_FIELD[level]), _tie_note(level, ordered[i - 2], u) if i > 1 else "")
            for i, u in enumerate(ordered, start=1)]


def ranking_queryset(principal, level, year, *, kecamatan=None, perangkat_daerah=None):
    """The proposals a level ranks: a kecamatan's submitted or routed ones (not pokir), a
    department's routed or accepted ones; scoped by the access policy."""
    condition = Q(year=year, status__in=SCORABLE[level])
    if level == Level.KECAMATAN:
        condition &= Q(kecamatan=kecamatan) & ~Q(proposer_level=Usulan.ProposerLevel.DPRD)
    else:
        condition &= Q(target_perangkat_daerah=perangkat_daerah)
    return (policy.scope(principal, Usulan.objects.filter(condition))
            .select_related("desa", "kecamatan", "satuan", "target_perangkat_daerah")
            .defer("desa__boundary", "kecamatan__boundary"))


@transaction.atomic
def apply_ranking(principal, level, year, *, kecamatan=None, perangkat_daerah=None, at=None):
    """Write the ranked order as the level's priorities (1..n)."""
    ranked = rank(ranking_queryset(principal, level, year, kecamatan=kecamatan, perangkat_daerah=perangkat_daerah), level)
    if level == Level.KECAMATAN:
        services.rank_at_kecamatan(principal, kecamatan, [r.usulan for r in ranked], at=at)
        return ranked
    for item in ranked:
        if not services._owns(principal, "opd", item.usulan):
            raise PermissionDenied(f"Usulan {item.usulan.tracking_code} bukan usulan perangkat daerah Anda.")
    if ranked and principal.role != Role.BAPPEDA_ADMIN:
        lock = services.schedule_lock_reason(year, Level.FORUM_OPD, at)
        if lock:
            raise ValidationError(lock)
    Usulan.objects.bulk_update([Usulan(pk=item.usulan.pk, priority_opd=item.rank) for item in ranked], ["priority_opd"])
    return ranked
