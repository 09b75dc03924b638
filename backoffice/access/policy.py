"""The one place that answers "which rows may this user (or API token) see or change".

Wagtail permission policies, admin querysets, GraphQL resolvers, exports and the services all ask
here. A `Principal` is who acts: a role and a scope (the perangkat daerah), or the public.

The matrix, per kind of object:
- region-wide plans (RPJMD/RPD and its tree, RKPD): Bappeda admin writes; all staff read;
  the public reads what is published.
- a department's plans (Renstra, Renja and their rows): Bappeda admin writes all; an OPD operator
  writes and reads its own department's, and reads other departments' only once published;
  a Bappeda verifier reads all; the public reads what is published.
- pagu ceilings: Bappeda admin writes; Bappeda reads all; an OPD reads its own; never public.
- musrenbang proposals (usulan): territorial, see `Territorial`; pokir DPRD: the legislator works on
  its own, the DPRD secretariat (Setwan) reads all and enters or edits any legislator's while it is
  with the proposer (it types them in from the recess minutes); villages and kecamatan never see
  pokir. Kamus usulan: a department's operator writes its own, the public reads active items.
  Legislators and their ceilings: Bappeda admin and Setwan write. Scoring criteria: Bappeda admin
  writes; scores follow their proposal (who may score is a service check). Forums: see `ForumUnit`.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from .models import BAPPEDA_ROLES, OPD_ROLES, AccessProfile, Role

ACTIONS = ("view", "add", "change", "delete")


@dataclass(frozen=True)
class Principal:
    role: str | None = None  # None: the public
    perangkat_daerah_id: int | None = None
    wilayah_id: int | None = None
    anggota_dprd_id: int | None = None  # the legislator an ANGGOTA_DPRD login acts for
    user: object = None
    token: object = None

    @property
    def is_public(self):
        return self.role is None

    @property
    def is_bappeda(self):
        return self.role in BAPPEDA_ROLES

    def __str__(self):
        who = self.user or self.token or "publik"
        return f"{who} ({Role(self.role).label if self.role else 'publik'})"


PUBLIC = Principal()


def principal_for_user(user):
    """Superusers act as Bappeda admin; staff with a profile act in their role; others are public."""
    if user is None or not user.is_authenticated or not user.is_active:
        return PUBLIC
    if user.is_superuser:
        return Principal(role=Role.BAPPEDA_ADMIN, user=user)
    try:
        profile = user.access_profile
    except AccessProfile.DoesNotExist:
        return Principal(user=user)
    anggota = None
    if profile.role == Role.ANGGOTA_DPRD:
        from backoffice.musrenbang.models import AnggotaDprd  # musrenbang depends on access, not back

        anggota = AnggotaDprd.objects.filter(user=user).values_list("pk", flat=True).first()
    return Principal(role=profile.role, perangkat_daerah_id=profile.perangkat_daerah_id, wilayah_id=profile.wilayah_id,
                     anggota_dprd_id=anggota, user=user)


def principal_for_token(token):
    return Principal(role=token.role, perangkat_daerah_id=token.perangkat_daerah_id, wilayah_id=token.wilayah_id, token=token)


@dataclass(frozen=True)
class Rule:
    """How a root kind of object is scoped: lookups to its department and its publication flag
    (None: region-wide / never public), and whether a department's operator writes it."""

    opd: str | None
    published: str | None
    opd_writes: bool = True
    writers: tuple = ()  # roles besides Bappeda's admin that write every row (Setwan: legislators)
    readers: tuple = ()  # roles that read every row (a kecamatan reads the scoring criteria)


@dataclass(frozen=True)
class Follows:
    """A part of a larger object (a Renja row of a Renja): seen with it, written as changing it.
    Several paths: the part belongs to whichever of them is set (an indicator's owner)."""

    paths: tuple
    # Extra conditions on the part itself before anyone outside its department (the public, other
    # departments) may read it, e.g. only verified realisation of a published Renja.
    public_when: tuple = ()


@dataclass(frozen=True)
class Territorial:
    """A proposal: its village works on it, its sub-district and the department it is routed to
    read it, and once it leaves draft everyone may follow it (the API shows the public only public
    fields). Steps beyond the village's own edits are transitions, checked in the services."""

    desa: str
    kecamatan: str
    opd: str
    status: str
    hidden: tuple = ("draft",)
    # Pokir: proposals of a legislator (`dprd` path), told apart by `pokir` = (path, value).
    dprd: str | None = None
    pokir: tuple | None = None
    # While a pokir is with its proposer (services.EDITABLE) Setwan writes it too; after that Setwan
    # acts only through its verification steps, so its write right ends with the status.
    with_proposer: tuple = ("draft", "returned")


@dataclass(frozen=True)
class ForumUnit:
    """A forum record: the unit that held it writes it (a desa its desa forum, a kecamatan its own,
    a department its forum perangkat daerah, Bappeda the kabupaten); a kecamatan also reads its desas'
    forums; Bappeda reads all. Closed forums are frozen by the services."""

    level: str
    desa: str
    kecamatan: str
    opd: str


_PERIOD = Rule(opd=None, published="is_published")
RULES = {
    "planning.PlanningPeriod": _PERIOD,
    "planning.Misi": Follows(("period",)),
    "planning.Tujuan": Follows(("misi",)),
    "planning.Sasaran": Follows(("tujuan",)),
    "planning.Strategi": Follows(("sasaran",)),
    "planning.ArahKebijakan": Follows(("sasaran",)),
    "planning.ProgramPrioritas": Follows(("period",)),
    "planning.Rkpd": Rule(opd=None, published="is_published"),
    "planning.RkpdPriority": Follows(("rkpd",)),
    "planning.Renstra": Rule(opd="perangkat_daerah", published="is_published"),
    "planning.RenstraTujuan": Follows(("renstra",)),
    "planning.RenstraSasaran": Follows(("tujuan",)),
    "planning.RenstraProgram": Follows(("renstra",)),
    "planning.RenstraKegiatan": Follows(("renstra_program",)),
    "planning.RenstraSubKegiatan": Follows(("renstra_kegiatan",)),
    "planning.Renja": Rule(opd="perangkat_daerah", published="is_published"),
    "planning.RenjaRow": Follows(("renja",)),
    "planning.RenjaLokasi": Follows(("row",)),
    "planning.RenjaPendanaan": Follows(("row",)),
    "planning.PaguCeiling": Rule(opd="perangkat_daerah", published=None, opd_writes=False),
    "planning.Indicator": Follows((
        "tujuan", "sasaran", "program_prioritas", "renstra_tujuan", "renstra_sasaran",
        "renstra_program", "renstra_kegiatan", "renstra_sub_kegiatan", "renja_row",
    )),
    "planning.IndicatorTarget": Follows(("indicator",)),
    "planning.Stage": Rule(opd=None, published=None),
    "planning.StageReopening": Rule(opd="perangkat_daerah", published=None, opd_writes=False),
    "planning.ReportingWindow": Rule(opd=None, published=None),
    "planning.VerificationEvent": Follows(("renja", "renstra")),
    "planning.RenjaSnapshot": Follows(("renja",)),
    "planning.Realisasi": Follows(("row",), public_when=(("status", "accepted"),)),
    "musrenbang.Recommendation": Follows(("usulan",)),
    "musrenbang.UsulanEvent": Follows(("usulan",)),
    "musrenbang.Attachment": Follows(("usulan",)),
    "musrenbang.MusrenbangSchedule": Rule(opd=None, published=None),
    "musrenbang.Usulan": Territorial(desa="desa", kecamatan="kecamatan", opd="target_perangkat_daerah", status="status",
                                     dprd="anggota_dprd", pokir=("proposer_level", "dprd")),
    "musrenbang.SeasonSetting": Rule(opd=None, published=None, readers=(Role.KECAMATAN_OPERATOR, Role.DESA_OPERATOR, Role.SETWAN_VERIFIER, Role.ANGGOTA_DPRD)),
    "musrenbang.KamusUsulan": Rule(opd="perangkat_daerah", published="is_active"),
    "musrenbang.AnggotaDprd": Rule(opd=None, published=None, writers=(Role.SETWAN_VERIFIER,), readers=(Role.ANGGOTA_DPRD,)),
    "musrenbang.PokirCeiling": Follows(("anggota",)),
    "musrenbang.ScoringCriterion": Rule(opd=None, published=None, readers=(Role.KECAMATAN_OPERATOR,)),
    "musrenbang.Score": Follows(("usulan",)),
    "musrenbang.Forum": ForumUnit(level="level", desa="desa", kecamatan="kecamatan", opd="perangkat_daerah"),
    "musrenbang.ForumParticipant": Follows(("forum",)),
    "musrenbang.ForumItem": Follows(("forum",)),
}

_ALL = Q()
_NONE = Q(pk__in=[])


def _rule(model):
    try:
        return RULES[model._meta.label]
    except KeyError:
        raise LookupError(f"No access rule for {model._meta.label}") from None


def _roots(model, prefix=""):
    """(lookup prefix, Rule) for every root the rows of `model` may hang from."""
    rule = _rule(model)
    if isinstance(rule, (Rule, Territorial, ForumUnit)):
        return [(prefix, rule)]
    roots = []
    for path in rule.paths:
        related = model._meta.get_field(path).related_model
        roots += _roots(related, f"{prefix}{path}__")
    return roots


def _territorial_filter(principal, rule, action, prefix):
    def lookup(path, value):
        return Q(**{f"{prefix}{path}": value})

    visible = ~Q(**{f"{prefix}{rule.status}__in": rule.hidden})
    pokir = lookup(*rule.pokir) if rule.pokir else _NONE
    if principal.role == Role.BAPPEDA_ADMIN:
        return _ALL
    if principal.role == Role.ANGGOTA_DPRD:
        return lookup(rule.dprd, principal.anggota_dprd_id) & pokir if rule.dprd and principal.anggota_dprd_id else _NONE
    if principal.role == Role.DESA_OPERATOR:
        return lookup(rule.desa, principal.wilayah_id) & ~pokir
    if principal.role == Role.SETWAN_VERIFIER:
        if action == "view":
            return pokir
        return pokir & lookup(f"{rule.status}__in", rule.with_proposer) if action in ("add", "change") else _NONE
    if action != "view":
        return _NONE
    if principal.role == Role.BAPPEDA_VERIFIER:
        return _ALL
    if principal.role == Role.KECAMATAN_OPERATOR:
        return lookup(rule.kecamatan, principal.wilayah_id) & visible & ~pokir
    if principal.role in OPD_ROLES:
        return lookup(rule.opd, principal.perangkat_daerah_id) & visible
    return visible


def _rule_filter(principal, rule, action, prefix, public_when=()):
    def lookup(path, value):
        return Q(**{f"{prefix}{path}": value})

    if isinstance(rule, Territorial):
        return _territorial_filter(principal, rule, action, prefix)
    if isinstance(rule, ForumUnit):
        return _forum_filter(principal, rule, action, prefix)
    if principal.role == Role.BAPPEDA_ADMIN or principal.role in rule.writers:
        return _ALL
    if action == "view" and principal.role in rule.readers:
        return _ALL
    if action != "view":
        if principal.role == Role.OPD_OPERATOR and rule.opd and rule.opd_writes:
            return lookup(rule.opd, principal.perangkat_daerah_id)
        return _NONE
    if principal.is_bappeda:
        return _ALL
    published = lookup(rule.published, True) & Q(*public_when) if rule.published else _NONE
    if principal.role in OPD_ROLES:
        return _ALL if rule.opd is None else lookup(rule.opd, principal.perangkat_daerah_id) | published
    return published


def _forum_filter(principal, rule, action, prefix):
    def lookup(path, value):
        return Q(**{f"{prefix}{path}": value})

    if principal.role == Role.BAPPEDA_ADMIN:
        return _ALL
    if principal.role == Role.BAPPEDA_VERIFIER and action == "view":
        return _ALL
    if principal.role == Role.DESA_OPERATOR:
        return lookup(rule.level, "desa") & lookup(rule.desa, principal.wilayah_id)
    if principal.role == Role.KECAMATAN_OPERATOR:
        own = lookup(rule.level, "kecamatan") & lookup(rule.kecamatan, principal.wilayah_id)
        return own if action != "view" else own | (lookup(rule.level, "desa") & lookup(f"{rule.desa}__parent", principal.wilayah_id))
    if principal.role in OPD_ROLES:
        return lookup(rule.level, "forum_opd") & lookup(rule.opd, principal.perangkat_daerah_id)
    return _NONE


def scope(principal, queryset, action="view"):
    """The rows of `queryset` that `principal` may act on with `action`."""
    own_rule = _rule(queryset.model)
    public_when = own_rule.public_when if isinstance(own_rule, Follows) else ()
    roots = _roots(queryset.model)
    if len(roots) == 1:
        prefix, rule = roots[0]
        return queryset.filter(_rule_filter(principal, rule, action, prefix, public_when))
    condition = _NONE
    for prefix, rule in roots:
        condition |= Q(**{f"{prefix[:-2]}__isnull": False}) & _rule_filter(principal, rule, action, prefix, public_when)
    return queryset.filter(condition)


def _read(obj, path):
    """The value at a lookup path on an instance; a final foreign key is read as its id."""
    *steps, last = path.split("__")
    for step in steps:
        obj = getattr(obj, step)
        if obj is None:
            return None
    return getattr(obj, obj._meta.get_field(last).attname)


def can(principal, action, obj):
    """Whether `principal` may act on one object (saved, or about to be created)."""
    rule = _rule(type(obj))
    if isinstance(rule, Follows):
        for path in rule.paths:
            if getattr(obj, obj._meta.get_field(path).attname) is not None:
                parent = getattr(obj, path)
                if action == "view" and rule.public_when and not can(principal, "change", parent) and not principal.is_bappeda:
                    if any(getattr(obj, name) != value for name, value in rule.public_when):
                        return False
                return can(principal, "view" if action == "view" else "change", parent)
        return principal.role == Role.BAPPEDA_ADMIN
    if isinstance(rule, Territorial):
        return _territorial_can(principal, rule, action, obj)
    if isinstance(rule, ForumUnit):
        return _forum_can(principal, rule, action, obj)
    if principal.role == Role.BAPPEDA_ADMIN or principal.role in rule.writers:
        return True
    if action == "view" and principal.role in rule.readers:
        return True
    own = rule.opd is not None and principal.perangkat_daerah_id is not None and _read(obj, rule.opd) == principal.perangkat_daerah_id
    if action != "view":
        return principal.role == Role.OPD_OPERATOR and rule.opd_writes and own
    if principal.is_bappeda:
        return True
    published = bool(rule.published and _read(obj, rule.published))
    if principal.role in OPD_ROLES:
        return rule.opd is None or own or published
    return published


def _territorial_can(principal, rule, action, obj):
    visible = _read(obj, rule.status) not in rule.hidden
    pokir = bool(rule.pokir) and _read(obj, rule.pokir[0]) == rule.pokir[1]
    if principal.role == Role.BAPPEDA_ADMIN:
        return True
    if principal.role == Role.ANGGOTA_DPRD:
        return pokir and principal.anggota_dprd_id is not None and _read(obj, rule.dprd) == principal.anggota_dprd_id
    if principal.role == Role.DESA_OPERATOR:
        return not pokir and principal.wilayah_id is not None and _read(obj, rule.desa) == principal.wilayah_id
    if principal.role == Role.SETWAN_VERIFIER:
        if action == "view":
            return pokir
        return pokir and action in ("add", "change") and _read(obj, rule.status) in rule.with_proposer
    if action != "view":
        return False
    if principal.role == Role.BAPPEDA_VERIFIER:
        return True
    if principal.role == Role.KECAMATAN_OPERATOR:
        return not pokir and visible and _read(obj, rule.kecamatan) == principal.wilayah_id
    if principal.role in OPD_ROLES:
        return visible and _read(obj, rule.opd) == principal.perangkat_daerah_id
    return visible


def _forum_can(principal, rule, action, obj):
    level = _read(obj, rule.level)
    if principal.role == Role.BAPPEDA_ADMIN:
        return True
    if principal.role == Role.BAPPEDA_VERIFIER:
        return action == "view"
    if principal.role == Role.DESA_OPERATOR:
        return level == "desa" and principal.wilayah_id is not None and _read(obj, rule.desa) == principal.wilayah_id
    if principal.role == Role.KECAMATAN_OPERATOR and principal.wilayah_id is not None:
        if level == "kecamatan":
            return _read(obj, rule.kecamatan) == principal.wilayah_id
        desa = getattr(obj, rule.desa) if level == "desa" else None
        return action == "view" and desa is not None and desa.parent_id == principal.wilayah_id
    if principal.role in OPD_ROLES:
        return level == "forum_opd" and _read(obj, rule.opd) == principal.perangkat_daerah_id
    return False


def can_create_any(principal, model):
    """Whether `principal` may create some object of this kind (to show an "add" button)."""
    if principal.role == Role.BAPPEDA_ADMIN:
        return True
    roots = [rule for _, rule in _roots(model)]
    if any(isinstance(rule, Territorial) for rule in roots):
        return principal.role in (Role.DESA_OPERATOR, Role.ANGGOTA_DPRD, Role.SETWAN_VERIFIER)
    if any(isinstance(rule, ForumUnit) for rule in roots):
        return principal.role in (Role.DESA_OPERATOR, Role.KECAMATAN_OPERATOR, *OPD_ROLES)
    if any(isinstance(rule, Rule) and principal.role in rule.writers for rule in roots):
        return True
    return principal.role == Role.OPD_OPERATOR and any(rule.opd and rule.opd_writes for rule in roots)


ACTION_LABELS = {"view": "melihat", "add": "menambah", "change": "mengubah", "delete": "menghapus"}


def require(principal, action, obj):
    """Raise PermissionDenied, with an Indonesian reason, unless `principal` may act on `obj`."""
    if not can(principal, action, obj):
        raise PermissionDenied(
            f"Anda tidak berwenang {ACTION_LABELS.get(action, action)} {obj._meta.verbose_name} ini."
        )
