"""Forum records (desa, kecamatan, forum perangkat daerah, kabupaten): the event, its participants and
delegates, the signed berita acara, and, when the forum closes, its agreed priority list and the
proposals not agreed, copied as they stood (`ForumItem`): later edits to proposals do not change a
closed forum's lists. Also the kecamatan's priority list grouped by department, for printing.
"""

from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from backoffice.access import policy
from backoffice.reference.models import Wilayah

from .models import Forum, ForumItem, ForumParticipant, Level, Recommendation, Status, Usulan
from .season import FORWARDED_BY_KECAMATAN
from .services import FieldErrors, audit

FORUM_FIELDS = ("level", "year", "desa", "kecamatan", "perangkat_daerah", "held_on", "place", "participant_count", "berita_acara", "notes")
UNIT_FIELD = {Level.DESA: "desa", Level.KECAMATAN: "kecamatan", Level.FORUM_OPD: "perangkat_daerah"}
OPD_AGREED = (Status.ACCEPTED, Status.ACCEPTED_CHANGED, Status.AGREED, Status.ADOPTED, Status.NOT_FUNDED)
KABUPATEN_AGREED = (Status.AGREED, Status.ADOPTED, Status.NOT_FUNDED)
# Per level: (the proposals the forum discussed, those it agreed, the priority that orders them).
LISTS = {
    Level.DESA: (~Q(status=Status.DRAFT), ~Q(status__in=(Status.DRAFT, Status.RETURNED)), "priority_desa"),
    Level.KECAMATAN: (~Q(status__in=(Status.DRAFT, Status.RETURNED)), Q(status__in=FORWARDED_BY_KECAMATAN), "priority_kecamatan"),
    Level.FORUM_OPD: (Q(status__in=(*FORWARDED_BY_KECAMATAN,)), Q(status__in=OPD_AGREED), "priority_opd"),
    Level.KABUPATEN: (Q(status__in=OPD_AGREED), Q(status__in=KABUPATEN_AGREED), "priority_opd"),
}


def _unit_errors(forum):
    errors = {}
    field = UNIT_FIELD.get(forum.level)
    if forum.level not in Level.values:
        errors["level"] = ("invalid", "Pilih tingkat forum.")
    elif field and getattr(forum, f"{field}_id") is None:
        errors[field] = ("required", f"Forum {Level(forum.level).label.lower()} memerlukan {Forum._meta.get_field(field).verbose_name}.")
    if forum.level == Level.DESA and forum.desa_id and forum.desa.level != Wilayah.Level.DESA_KELURAHAN:
        errors["desa"] = ("invalid", "Pilih desa atau kelurahan.")
    if forum.level == Level.KECAMATAN and forum.kecamatan_id and forum.kecamatan.level != Wilayah.Level.KECAMATAN:
        errors["kecamatan"] = ("invalid", "Pilih kecamatan.")
    for name in ("held_on", "place", "participant_count"):
        if getattr(forum, name) in (None, ""):
            errors[name] = ("required", f"{Forum._meta.get_field(name).verbose_name.capitalize()} wajib diisi.")
    if not errors and field:
        same = Forum.objects.filter(level=forum.level, year=forum.year, **{f"{field}_id": getattr(forum, f"{field}_id")})
        if same.exclude(pk=forum.pk).exists():
            errors[field] = ("duplicate", f"Forum ini sudah dicatat untuk tahun {forum.year}.")
    return errors


@transaction.atomic
def save_forum(principal, forum, **values):
    """Record (forum=None) or change a forum while it is open: the unit that held it, or Bappeda."""
    if forum is not None:
        forum = Forum.objects.select_for_update().get(pk=forum.pk)
        policy.require(principal, "change", forum)
        if forum.closed_at:
            raise ValidationError(f"{forum} sudah ditutup: catatannya tidak dapat diubah.")
    forum = forum or Forum()
    for field in FORUM_FIELDS:
        if field in values:
            setattr(forum, field, values[field])
    for field in set(UNIT_FIELD.values()) - {UNIT_FIELD.get(forum.level)}:
        setattr(forum, field, None)
    if forum.level == Level.DESA and forum.desa_id:
        forum.kecamatan_id = forum.desa.parent_id  # so the kecamatan finds its desas' forums
    errors = _unit_errors(forum)
    if errors:
        raise FieldErrors(errors)
    policy.require(principal, "change" if forum.pk else "add", forum)
    created = forum.pk is None
    forum.save()
    audit(principal, forum, created)
    return forum


def _open_forum(principal, forum):
    forum = Forum.objects.select_for_update().get(pk=forum.pk)
    policy.require(principal, "change", forum)
    if forum.closed_at:
        raise ValidationError(f"{forum} sudah ditutup: daftar peserta tidak dapat diubah.")
    return forum


@transaction.atomic
def add_participant(principal, forum, name, institution, *, is_delegate=False):
    forum = _open_forum(principal, forum)
    errors = {}
    if not (name or "").strip():
        errors["name"] = ("required", "Nama peserta wajib diisi.")
    if not (institution or "").strip():
        errors["institution"] = ("required", "Lembaga/unsur peserta wajib diisi.")
    if errors:
        raise FieldErrors(errors)
    participant = ForumParticipant.objects.create(forum=forum, name=name.strip(), institution=institution.strip(), is_delegate=is_delegate)
    audit(principal, forum, participant_added=str(participant))
    return participant


@transaction.atomic
def remove_participant(principal, participant):
    _open_forum(principal, participant.forum)
    audit(principal, participant.forum, participant_removed=str(participant))
    participant.delete()


def forum_usulan(forum):
    """The live proposals of a forum's unit and year that its lists are made of."""
    discussed, _, _ = LISTS[forum.level]
    condition = Q(year=forum.year) & discussed
    if forum.level == Level.DESA:
        condition &= Q(desa_id=forum.desa_id) & ~Q(proposer_level=Usulan.ProposerLevel.DPRD)
    elif forum.level == Level.KECAMATAN:
        condition &= Q(kecamatan_id=forum.kecamatan_id) & ~Q(proposer_level=Usulan.ProposerLevel.DPRD)
    elif forum.level == Level.FORUM_OPD:
        condition &= Q(target_perangkat_daerah_id=forum.perangkat_daerah_id)
    return _with_related(Usulan.objects.filter(condition))


def _with_related(queryset):
    return queryset.select_related("desa", "satuan", "target_perangkat_daerah").defer("desa__boundary").prefetch_related(
        Prefetch("recommendations", queryset=Recommendation.objects.order_by("-at"))
    )


@dataclass
class ListItem:
    """A row of a priority list, from a closed forum's copy or from the live proposal."""

    position: int
    tracking_code: str
    solution: str
    desa_name: str
    perangkat_daerah_code: str
    perangkat_daerah_name: str
    volume: Decimal
    satuan_name: str
    cost: Decimal
    score: Decimal | None
    status_label: str


def _item(position, usulan, score_field="score_kecamatan"):
    latest = next(iter(usulan.recommendations.all()), None)  # prefetched newest first
    unit = usulan.target_perangkat_daerah
    return ListItem(
        position=position, tracking_code=usulan.tracking_code, solution=usulan.solution,
        desa_name=usulan.desa.name if usulan.desa_id else "", perangkat_daerah_code=unit.code if unit else "",
        perangkat_daerah_name=unit.name if unit else "", volume=latest.volume if latest else usulan.volume,
        satuan_name=usulan.satuan.name, cost=latest.cost if latest else usulan.estimated_cost,
        score=getattr(usulan, score_field), status_label=usulan.get_status_display(),
    )


def _ordered(items, priority):
    return sorted(items, key=lambda u: (getattr(u, priority) is None, getattr(u, priority) or 0, u.tracking_code))


@transaction.atomic
def close_forum(principal, forum, *, at=None):
    """Close a forum: its signed berita acara must be attached; the agreed list and the list not
    agreed are copied as they stand now."""
    forum = _open_forum(principal, forum)
    if not forum.berita_acara:
        raise FieldErrors({"berita_acara": ("required", "Unggah berita acara yang sudah ditandatangani sebelum menutup forum.")})
    _, agreed, priority = LISTS[forum.level]
    proposals = list(forum_usulan(forum))
    agreed_ids = set(Usulan.objects.filter(pk__in=[u.pk for u in proposals]).filter(agreed).values_list("pk", flat=True))
    score_field = "score_opd" if forum.level in (Level.FORUM_OPD, Level.KABUPATEN) else "score_kecamatan"
    rows = []
    for is_agreed in (True, False):
        chosen = _ordered([u for u in proposals if (u.pk in agreed_ids) == is_agreed], priority)
        for position, usulan in enumerate(chosen, start=1):
            item = _item(position, usulan, score_field)
            rows.append(ForumItem(forum=forum, usulan=usulan, agreed=is_agreed, **item.__dict__))
    ForumItem.objects.bulk_create(rows)
    forum.closed_at = at or timezone.now()
    forum.closed_by = principal.user
    forum.save(update_fields=["closed_at", "closed_by"])
    audit(principal, forum, closed_at=forum.closed_at.isoformat(), agreed=len([r for r in rows if r.agreed]), not_agreed=len([r for r in rows if not r.agreed]))
    return forum


def priority_list(principal, kecamatan, year):
    """The kecamatan's agreed priority list grouped by department: (source, {(code, name): [items]}).
    From the closed kecamatan forum's copy when there is one the principal may see, else live."""
    forum = policy.scope(principal, Forum.objects.filter(level=Level.KECAMATAN, kecamatan=kecamatan, year=year, closed_at__isnull=False)).first()
    if forum is not None:
        items = [ListItem(**{f: getattr(row, f) for f in ListItem.__dataclass_fields__})
                 for row in forum.items.filter(agreed=True).order_by("position")]
        source = f"Berita acara forum kecamatan, ditutup {timezone.localtime(forum.closed_at):%d-%m-%Y %H:%M}"
    else:
        queryset = policy.scope(principal, Usulan.objects.filter(year=year, kecamatan=kecamatan, status__in=FORWARDED_BY_KECAMATAN)
                                .exclude(proposer_level=Usulan.ProposerLevel.DPRD))
        items = [_item(i, u) for i, u in enumerate(_ordered(_with_related(queryset), "priority_kecamatan"), start=1)]
        source = "Data sementara (forum kecamatan belum ditutup)"
    groups = OrderedDict()
    for item in sorted(items, key=lambda i: (i.perangkat_daerah_code or "~", i.position)):
        groups.setdefault((item.perangkat_daerah_code, item.perangkat_daerah_name or "Belum ditentukan"), []).append(item)
    return source, groups
