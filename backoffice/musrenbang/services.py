"""Every write to proposals: creation (admin, API, import), the village's edits, and each step of the
life cycle as one function, used by the admin, the GraphQL API and the importer alike.

A step is allowed only for the role that owns it, for proposals in its territory, within its
level's schedule window; it records the status, an event (actor, time, internal note, public reason),
the level's recommendation and the audit log entry, or refuses with a clear message and changes
nothing.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from wagtail.log_actions import log

from backoffice.access import policy
from backoffice.access.models import OPD_ROLES, Role
from backoffice.reference import geo
from backoffice.reference.models import PerangkatDaerah, Satuan, Wilayah

from . import season
from .models import Attachment, Level, MusrenbangSchedule, Recommendation, Status, Usulan, UsulanEvent

EDITABLE = (Status.DRAFT, Status.RETURNED)
MAX_PHOTOS = 3
ATTACHMENT_TYPES = {
    Attachment.Kind.PHOTO: {"image/jpeg", "image/png", "image/webp"},
    Attachment.Kind.RAB: {"application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    Attachment.Kind.LETTER: {"application/pdf", "image/jpeg", "image/png"},
    Attachment.Kind.OTHER: {"application/pdf", "image/jpeg", "image/png"},
}
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024


def _when(moment):
    return formats.date_format(timezone.localtime(moment), "j F Y H:i")


def schedule_lock_reason(year, level, at=None):
    """Why a level cannot act on the year's proposals now (None when it can). A level without a
    schedule for that year is not restricted yet."""
    at = at or timezone.now()
    schedule = MusrenbangSchedule.objects.filter(year=year, level=level).first()
    if schedule is None:
        return None
    if at < schedule.opens_at:
        return f"Musrenbang tingkat {schedule.get_level_display().lower()} {year} baru dibuka pada {_when(schedule.opens_at)}."
    if at >= schedule.closes_at:
        return f"Musrenbang tingkat {schedule.get_level_display().lower()} {year} ditutup pada {_when(schedule.closes_at)}."
    return None


# ------------------------------------------------------------------------------------------------
# Creating and editing (the village's part)


@dataclass
class UsulanInput:
    """What a proposer fills in; the API, the admin form and the importer build one."""

    year: int
    desa: Wilayah | None
    kecamatan: Wilayah | None
    solution: str
    volume: Decimal
    satuan: Satuan | None
    estimated_cost: Decimal
    problem: str = ""
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    category: str = ""
    requested_activity: str = ""
    target_perangkat_daerah: PerangkatDaerah | None = None
    target_text: str = ""
    sub_kegiatan: object = None
    land_status: str = Usulan.LandStatus.NOT_NEEDED
    beneficiaries: int | None = None
    priority_desa: int | None = None
    proposer_level: str = Usulan.ProposerLevel.DESA
    proposer_name: str = ""
    proposer_phone: str = ""
    proposer_nik: str = ""
    internal_notes: str = ""
    kamus: object = None  # a KamusUsulan item: it sets satuan, sub kegiatan, department and the cost
    outside_kamus_reason: str = ""
    anggota_dprd: object = None  # the legislator of a pokir


class FieldErrors(ValidationError):
    """Validation errors per field, each with a code and an Indonesian message."""

    def __init__(self, errors):
        super().__init__({field: [ValidationError(message, code=code)] for field, (code, message) in errors.items()})
        self.errors = errors


def _region_boundary():
    region = Wilayah.objects.filter(code=settings.REGION_CODE).only("boundary").first()
    return region.boundary if region else None


def validate_input(data):
    """Check what a proposer typed; returns the location warning (accepted, but shown). A kamus
    item prices the proposal here: cost = volume x unit price, whatever cost was typed."""
    errors = season.check_kamus(data)
    if data.proposer_level == Usulan.ProposerLevel.DPRD and data.anggota_dprd is None:
        errors["anggota_dprd"] = ("required", "Pilih anggota DPRD pemilik pokir.")
    if data.kecamatan is None or data.kecamatan.level != Wilayah.Level.KECAMATAN:
        errors["kecamatan"] = ("required", "Pilih kecamatan.")
    elif not (data.kecamatan.code + ".").startswith(settings.REGION_CODE + "."):
        errors["kecamatan"] = ("outside_region", f"Kecamatan {data.kecamatan.name} bukan bagian dari {settings.REGION_NAME}.")
    if data.desa is not None:
        if data.desa.level != Wilayah.Level.DESA_KELURAHAN:
            errors["desa"] = ("invalid", "Pilih desa atau kelurahan.")
        elif data.kecamatan is not None and data.desa.parent_id != data.kecamatan.pk:
            errors["desa"] = ("not_in_kecamatan", f"Desa {data.desa.name} tidak berada di Kecamatan {data.kecamatan.name}.")
    elif data.proposer_level == Usulan.ProposerLevel.DESA:
        errors["desa"] = ("required", "Pilih desa atau kelurahan pengusul.")
    if not (data.solution or "").strip():
        errors["solution"] = ("required", "Usulan kegiatan wajib diisi.")
    if data.satuan is None:
        errors["satuan"] = ("required", "Pilih satuan volume.")
    if data.volume is None or data.volume <= 0:
        errors["volume"] = ("invalid", "Volume harus lebih dari nol.")
    if data.estimated_cost is None or data.estimated_cost < 0:
        errors["estimated_cost"] = ("invalid", "Perkiraan biaya tidak boleh kosong atau negatif.")
    if data.proposer_nik and not (data.proposer_nik.isdigit() and len(data.proposer_nik) == 16):
        errors["proposer_nik"] = ("invalid", "NIK terdiri dari 16 angka.")
    warning = ""
    if (data.latitude is None) != (data.longitude is None):
        errors["latitude"] = ("incomplete", "Isi lintang dan bujur bersama-sama.")
    elif data.latitude is not None:
        lat, lng = float(data.latitude), float(data.longitude)
        region = _region_boundary()
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            errors["latitude"] = ("invalid", "Koordinat di luar jangkauan lintang/bujur.")
        elif region and not geo.contains(region, lng, lat):
            errors["latitude"] = ("outside_region", f"Titik ({lat}, {lng}) berada di luar {settings.REGION_NAME}.")
        elif data.desa is not None and data.desa.boundary and not geo.contains(data.desa.boundary, lng, lat):
            warning = f"Titik berada di luar batas {data.desa.name}; periksa kembali lokasinya."
    if errors:
        raise FieldErrors(errors)
    return warning


def _event(usulan, action, source, target, principal, at, note="", public_reason=""):
    UsulanEvent.objects.create(
        usulan=usulan, action=action, from_status=source, to_status=target, actor=principal.user,
        actor_label=str(principal.user or principal.token or "sistem"), at=at, note=note, public_reason=public_reason,
    )
    log(instance=usulan, action=f"musrenbang.{action}", user=principal.user, data={"from": source, "to": target, "note": note, "reason": public_reason})


def audit(principal, instance, created=False, **data):
    """The audit entry of a season record's write (kamus, settings, legislators, criteria, forums),
    with the user, on every path that writes it."""
    log(instance=instance, action="wagtail.create" if created else "wagtail.edit", user=principal.user, data=data or None)


def assign(principal, instance, fields, values):
    """Set the allowed `fields` given in `values` on a season record, then require the right to add
    it (new) or change it (as changed)."""
    for field in fields:
        if field in values:
            setattr(instance, field, values[field])
    policy.require(principal, "change" if instance.pk else "add", instance)
    return instance


def _check_pokir_entry(usulan, at):
    """Pokir are entered until N days before the musrenbang kabupaten opens, by everyone alike:
    the deadline is the regulation's, not a stage Bappeda may reopen."""
    if usulan.proposer_level == Usulan.ProposerLevel.DPRD:
        lock = season.pokir_lock_reason(usulan.year, at)
        if lock:
            raise ValidationError(lock)


def _apply(usulan, data, warning):
    for field in UsulanInput.__dataclass_fields__:
        if field != "year":
            setattr(usulan, field, getattr(data, field))
    usulan.location_warning = warning


@transaction.atomic
def create_usulan(principal, data, *, at=None, token=None, idempotency_key=""):
    """Create a draft proposal. With an API token and an idempotency key, a retried request returns
    the proposal the first request made instead of a second one."""
    at = at or timezone.now()
    if token is not None and idempotency_key:
        existing = Usulan.objects.filter(submitted_by_token=token, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    usulan = Usulan(year=data.year, submitted_by_token=token, idempotency_key=idempotency_key if token else "")
    _apply(usulan, data, "")
    policy.require(principal, "add", usulan)
    _check_pokir_entry(usulan, at)
    _apply(usulan, data, validate_input(data))  # validation prices a kamus item: apply its values
    try:
        with transaction.atomic():
            usulan.save()
    except IntegrityError:
        # A concurrent retry with the same key won the race: answer with its proposal.
        return Usulan.objects.get(submitted_by_token=token, idempotency_key=idempotency_key)
    _event(usulan, "create", "", Status.DRAFT, principal, at)
    return usulan


@transaction.atomic
def update_usulan(principal, usulan, data, *, at=None):
    """The village (or, for a pokir, the legislator or Setwan for it) changes the proposal while it
    is a draft or was returned; a kamus-priced proposal is priced again from its new volume. The
    audit entry names who changed it (Setwan's edit of a legislator's pokir is not the legislator's)."""
    usulan = Usulan.objects.select_for_update().get(pk=usulan.pk)
    policy.require(principal, "change", usulan)
    if usulan.status not in EDITABLE:
        raise ValidationError(f"Usulan {usulan.tracking_code} berstatus {usulan.get_status_display().lower()}: hanya draf atau yang dikembalikan yang dapat diubah.")
    _check_pokir_entry(usulan, at)
    warning = validate_input(data)
    _apply(usulan, data, warning)
    policy.require(principal, "change", usulan)  # as changed too: no moving it to another desa or legislator
    usulan.save()
    audit(principal, usulan)
    return usulan


@transaction.atomic
def add_attachment(principal, usulan, kind, uploaded):
    """Attach a photo or document after checking its type and size (a photo: at most three)."""
    policy.require(principal, "change", usulan)
    if usulan.status not in EDITABLE:
        raise ValidationError("Lampiran hanya dapat ditambahkan pada usulan draf atau yang dikembalikan.")
    content_type = getattr(uploaded, "content_type", "") or ""
    if content_type not in ATTACHMENT_TYPES[kind]:
        raise FieldErrors({"file": ("invalid_type", f"Jenis berkas {content_type or 'tidak dikenal'} tidak diterima untuk {Attachment.Kind(kind).label.lower()}.")})
    if uploaded.size > MAX_ATTACHMENT_BYTES:
        raise FieldErrors({"file": ("too_large", f"Berkas {uploaded.size // 1024} KB melebihi batas {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB.")})
    if kind == Attachment.Kind.PHOTO and usulan.attachments.filter(kind=kind).count() >= MAX_PHOTOS:
        raise FieldErrors({"file": ("too_many", f"Paling banyak {MAX_PHOTOS} foto per usulan.")})
    _check_content(uploaded, content_type)
    return Attachment.objects.create(usulan=usulan, kind=kind, file=uploaded, content_type=content_type, size=uploaded.size)


def _check_content(uploaded, content_type):
    """The declared type is the client's word; the bytes must match it (an image that opens, a PDF
    that starts like one)."""
    from PIL import Image, UnidentifiedImageError

    try:
        if content_type.startswith("image/"):
            try:
                Image.open(uploaded).verify()
            except (UnidentifiedImageError, OSError):
                raise FieldErrors({"file": ("invalid_content", "Berkas gambar rusak atau bukan gambar.")}) from None
        elif content_type == "application/pdf" and uploaded.read(5) != b"%PDF-":
            raise FieldErrors({"file": ("invalid_content", "Berkas bukan PDF.")})
    finally:
        uploaded.seek(0)


# ------------------------------------------------------------------------------------------------
# The life cycle


@dataclass(frozen=True)
class Step:
    sources: tuple
    target: str
    owner: str  # proposer | kecamatan | setwan | opd | bappeda | bappeda_or_opd
    level: str | None  # the schedule window it happens in (pokir: their own deadline instead)
    reason_required: bool = False
    pokir: bool | None = None  # True: pokir only; False: never pokir; None: both


STEPS = {
    "submit": Step((Status.DRAFT, Status.RETURNED), Status.SUBMITTED, "proposer", Level.DESA),
    "route": Step((Status.SUBMITTED,), Status.ROUTED, "kecamatan", Level.KECAMATAN, pokir=False),
    "return": Step((Status.SUBMITTED,), Status.RETURNED, "kecamatan", Level.KECAMATAN, reason_required=True, pokir=False),
    "reject_kecamatan": Step((Status.SUBMITTED,), Status.REJECTED_KECAMATAN, "kecamatan", Level.KECAMATAN, reason_required=True, pokir=False),
    # Pokir DPRD: the secretariat verifies, Bappeda validates and routes to a department.
    "verify_setwan": Step((Status.SUBMITTED,), Status.VERIFIED_SETWAN, "setwan", None, pokir=True),
    "return_setwan": Step((Status.SUBMITTED,), Status.RETURNED, "setwan", None, reason_required=True, pokir=True),
    "reject_setwan": Step((Status.SUBMITTED,), Status.REJECTED_SETWAN, "setwan", None, reason_required=True, pokir=True),
    "validate_bappeda": Step((Status.VERIFIED_SETWAN,), Status.ROUTED, "bappeda", None, pokir=True),
    "reject_bappeda": Step((Status.VERIFIED_SETWAN,), Status.REJECTED_BAPPEDA, "bappeda", None, reason_required=True, pokir=True),
    "accept": Step((Status.ROUTED,), Status.ACCEPTED, "opd", Level.FORUM_OPD),
    "accept_changed": Step((Status.ROUTED,), Status.ACCEPTED_CHANGED, "opd", Level.FORUM_OPD, reason_required=True),
    "postpone": Step((Status.ROUTED,), Status.POSTPONED, "opd", Level.FORUM_OPD, reason_required=True),
    "reject_opd": Step((Status.ROUTED,), Status.REJECTED_OPD, "opd", Level.FORUM_OPD, reason_required=True),
    "agree": Step((Status.ACCEPTED, Status.ACCEPTED_CHANGED), Status.AGREED, "bappeda", Level.KABUPATEN),
    "adopt": Step((Status.AGREED,), Status.ADOPTED, "bappeda_or_opd", None),
    "not_funded": Step((Status.AGREED,), Status.NOT_FUNDED, "bappeda", None, reason_required=True),
    "carry_over": Step((Status.POSTPONED,), Status.CARRIED_OVER, "bappeda", None),
}
STEP_NAMES = {
    "submit": "mengajukan", "route": "meneruskan", "return": "mengembalikan", "reject_kecamatan": "menolak",
    "accept": "menerima", "accept_changed": "menerima dengan perubahan", "postpone": "menunda", "reject_opd": "menolak",
    "agree": "menyepakati", "adopt": "memasukkan ke Renja", "not_funded": "menyatakan tidak didanai", "carry_over": "mengalihkan",
    "verify_setwan": "memverifikasi", "return_setwan": "mengembalikan", "reject_setwan": "menolak",
    "validate_bappeda": "memvalidasi", "reject_bappeda": "menolak",
}


def is_pokir(usulan):
    return usulan.proposer_level == Usulan.ProposerLevel.DPRD


def _owns(principal, owner, usulan):
    if principal.role == Role.BAPPEDA_ADMIN:
        return True
    if owner == "proposer":
        # Whoever may edit the proposal submits it: its village, or for a pokir its legislator and Setwan.
        return policy.can(principal, "change", usulan)
    if owner == "setwan":
        return principal.role == Role.SETWAN_VERIFIER
    if owner == "kecamatan":
        return principal.role == Role.KECAMATAN_OPERATOR and usulan.kecamatan_id == principal.wilayah_id
    if owner in ("opd", "bappeda_or_opd"):
        return principal.role in OPD_ROLES and usulan.target_perangkat_daerah_id == principal.perangkat_daerah_id
    return False


def may_take(principal, usulan, action):
    """Whether the step is the principal's to take on this proposal (role and territory; its status
    aside), for the admin: a step of another role is refused before its form is read."""
    return _owns(principal, STEPS[action].owner, usulan)


def available_steps(principal, usulan):
    """The steps `principal` may try on `usulan` now, by role, territory and status (for the admin's
    buttons). The schedule window and the input are checked when the step is taken."""
    return [name for name, step in STEPS.items()
            if usulan.status in step.sources and _in_flow(step, usulan) and may_take(principal, usulan, name)]


def _in_flow(step, usulan):
    return step.pokir is None or step.pokir == is_pokir(usulan)


def _season_refusal(action, usulan, at):
    """The season's rules at a step: pokir deadline and ceiling at submission, the quotas when a
    desa submits and a kecamatan routes. After the pokir deadline the legislator can no longer fix a
    returned pokir, so Setwan verifies or rejects it instead of returning it."""
    if action == "return_setwan":
        lock = season.pokir_lock_reason(usulan.year, at)
        return ValidationError(f"{lock} Pokir yang dikembalikan tidak dapat diperbaiki lagi: verifikasi atau tolak dengan alasan.") if lock else None
    if action == "submit" and is_pokir(usulan):
        lock = season.pokir_lock_reason(usulan.year, at)
        if lock:
            return ValidationError(lock)
        excess = season.ceiling_error(usulan)
        return FieldErrors({"estimated_cost": ("over_ceiling", excess)}) if excess else None
    message = {"submit": season.desa_quota_error, "route": season.kecamatan_quota_error}.get(action, lambda u: None)(usulan)
    return ValidationError(message, code="quota") if message else None


def _step(principal, usulan, action, *, at=None, note="", reason="", apply=None):
    at = at or timezone.now()
    step = STEPS[action]
    usulan = Usulan.objects.select_for_update().get(pk=usulan.pk)
    if not _owns(principal, step.owner, usulan):
        raise PermissionDenied(f"Anda tidak berwenang {STEP_NAMES[action]} usulan {usulan.tracking_code}.")
    if usulan.status not in step.sources or not _in_flow(step, usulan):
        raise ValidationError(f"Usulan {usulan.tracking_code} berstatus {usulan.get_status_display().lower()}: tidak dapat {STEP_NAMES[action]}.")
    reason = (reason or "").strip()
    if step.reason_required and not reason:
        raise ValidationError({"reason": "Alasan wajib diisi: alasan ini dapat dibaca publik."})
    if step.level and principal.role != Role.BAPPEDA_ADMIN and not is_pokir(usulan):
        lock = schedule_lock_reason(usulan.year, step.level, at)
        if lock:
            raise ValidationError(lock)
    source = usulan.status
    if apply:
        apply(usulan)
    refusal = _season_refusal(action, usulan, at)
    if refusal:
        raise refusal
    usulan.status = step.target
    usulan.public_reason = reason
    usulan.save()
    _event(usulan, action, source, step.target, principal, at, note, reason)
    return usulan


def _recommend(usulan, level, principal, volume, cost, note):
    Recommendation.objects.update_or_create(
        usulan=usulan, level=level,
        defaults={"volume": Decimal(volume), "cost": Decimal(cost), "note": note, "actor": principal.user},
    )


def _latest_recommendation(usulan):
    last = usulan.recommendations.order_by("-at").first()
    return (last.volume, last.cost) if last else (usulan.volume, usulan.estimated_cost)


@transaction.atomic
def submit_usulan(principal, usulan, *, at=None, note=""):
    return _step(principal, usulan, "submit", at=at, note=note)


def check_kamus_department(usulan, perangkat_daerah):
    """A kamus item is one department's menu: a proposal priced from it goes to that department
    only (another's T-C.32 would list an item it never offered)."""
    if usulan.kamus_id and usulan.kamus.perangkat_daerah_id != perangkat_daerah.pk:
        raise ValidationError({"target_perangkat_daerah": f"Item kamus \"{usulan.kamus.name}\" milik perangkat daerah lain."})


@transaction.atomic
def route_usulan(principal, usulan, perangkat_daerah, *, priority=None, volume=None, cost=None, note="", at=None):
    """The kecamatan forwards a proposal to a department, with its ranking and recommendation."""
    if perangkat_daerah is None:
        raise ValidationError({"target_perangkat_daerah": "Pilih perangkat daerah tujuan."})

    def apply(item):
        check_kamus_department(item, perangkat_daerah)
        item.target_perangkat_daerah = perangkat_daerah
        if priority is not None:
            item.priority_kecamatan = priority
        _recommend(item, Level.KECAMATAN, principal, volume if volume is not None else item.volume,
                   cost if cost is not None else item.estimated_cost, note)

    return _step(principal, usulan, "route", at=at, note=note, apply=apply)


@transaction.atomic
def return_usulan(principal, usulan, reason, *, at=None, note=""):
    return _step(principal, usulan, "return", at=at, note=note, reason=reason)


@transaction.atomic
def reject_at_kecamatan(principal, usulan, reason, *, at=None, note=""):
    return _step(principal, usulan, "reject_kecamatan", at=at, note=note, reason=reason)


@transaction.atomic
def rank_at_kecamatan(principal, kecamatan, ordered_usulan, *, at=None):
    """Number the kecamatan's proposals 1..n in the given order (its drag-and-drop list)."""
    # Lock the proposals only: the default ordering joins the nullable desa, which PostgreSQL will not lock.
    stored = Usulan.objects.select_for_update(of=("self",)).in_bulk([usulan.pk for usulan in ordered_usulan])
    ordered_usulan = [stored[usulan.pk] for usulan in ordered_usulan]
    years = {usulan.year for usulan in ordered_usulan}
    if len(years) > 1:
        raise ValidationError("Peringkat disusun untuk usulan satu tahun.")
    for usulan in ordered_usulan:
        if usulan.kecamatan_id != kecamatan.pk or not _owns(principal, "kecamatan", usulan):
            raise PermissionDenied(f"Usulan {usulan.tracking_code} bukan usulan kecamatan Anda.")
        if usulan.status not in (Status.SUBMITTED, Status.ROUTED):
            raise ValidationError(f"Usulan {usulan.tracking_code} berstatus {usulan.get_status_display().lower()}: tidak diperingkat.")
    if years and principal.role != Role.BAPPEDA_ADMIN:
        lock = schedule_lock_reason(years.pop(), Level.KECAMATAN, at)
        if lock:
            raise ValidationError(lock)
    for position, usulan in enumerate(ordered_usulan, start=1):
        usulan.priority_kecamatan = position
    Usulan.objects.bulk_update(ordered_usulan, ["priority_kecamatan"])


@transaction.atomic
def accept_usulan(principal, usulan, *, volume=None, cost=None, note="", reason="", priority=None, at=None):
    """The department accepts a proposal; with a volume or cost other than recommended so far it is
    'accepted with changes', and the reason for the change is public."""
    usulan = Usulan.objects.get(pk=usulan.pk)
    current_volume, current_cost = _latest_recommendation(usulan)
    volume = Decimal(volume) if volume is not None else current_volume
    cost = Decimal(cost) if cost is not None else current_cost
    changed = volume != current_volume or cost != current_cost

    def apply(item):
        if priority is not None:
            item.priority_opd = priority
        _recommend(item, Level.FORUM_OPD, principal, volume, cost, note)

    return _step(principal, usulan, "accept_changed" if changed else "accept", at=at, note=note, reason=reason, apply=apply)


@transaction.atomic
def postpone_usulan(principal, usulan, reason, *, at=None, note=""):
    return _step(principal, usulan, "postpone", at=at, note=note, reason=reason)


@transaction.atomic
def reject_at_opd(principal, usulan, reason, *, at=None, note=""):
    return _step(principal, usulan, "reject_opd", at=at, note=note, reason=reason)


@transaction.atomic
def agree_usulan(principal, usulan, *, at=None, note=""):
    return _step(principal, usulan, "agree", at=at, note=note)


@transaction.atomic
def adopt_usulan(principal, usulan, renja_row, *, at=None, note=""):
    """Link an agreed proposal to the Renja row that funds it (same department and year)."""
    usulan = Usulan.objects.select_related("target_perangkat_daerah").get(pk=usulan.pk)
    renja = renja_row.renja
    if renja.year != usulan.year or renja.perangkat_daerah_id != usulan.target_perangkat_daerah_id:
        raise ValidationError({"renja_row": f"Baris Renja harus milik {usulan.target_perangkat_daerah} tahun {usulan.year}."})

    def apply(item):
        item.renja_row = renja_row

    return _step(principal, usulan, "adopt", at=at, note=note, apply=apply)


@transaction.atomic
def mark_not_funded(principal, usulan, reason, *, at=None, note=""):
    return _step(principal, usulan, "not_funded", at=at, note=note, reason=reason)


@transaction.atomic
def carry_over(principal, usulan, *, at=None, note=""):
    """Carry a postponed proposal into next year's cycle: a new proposal, already submitted, that
    points back at this one (whose history stays with it)."""
    at = at or timezone.now()
    original = _step(principal, usulan, "carry_over", at=at, note=note, reason=f"Dialihkan ke musrenbang tahun {usulan.year + 1}.")
    fields = [f.name for f in Usulan._meta.concrete_fields if f.name not in ("id", "tracking_code", "year", "status", "public_reason", "priority_kecamatan", "priority_opd", "renja_row", "carried_from", "submitted_by_token", "idempotency_key", "created_at", "updated_at")]
    follow_up = Usulan(year=original.year + 1, carried_from=original, status=Status.SUBMITTED, **{f: getattr(original, f) for f in fields})
    follow_up.save()
    _event(follow_up, "carried_from", "", Status.SUBMITTED, principal, at, note, f"Lanjutan usulan {original.tracking_code} tahun {original.year}.")
    return follow_up

