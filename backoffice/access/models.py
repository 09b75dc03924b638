"""Who a user (or an external system's API token) is: a role and the scope it acts in.

The rules that turn a role and scope into "which rows may be seen or changed" live in
`backoffice.access.policy`; these models only hold the facts.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    BAPPEDA_ADMIN = "bappeda_admin", "Admin Bappeda"
    BAPPEDA_VERIFIER = "bappeda_verifier", "Verifikator Bappeda"
    OPD_OPERATOR = "opd_operator", "Operator OPD"
    OPD_VERIFIER = "opd_verifier", "Verifikator usulan OPD"
    KECAMATAN_OPERATOR = "kecamatan_operator", "Operator kecamatan"
    DESA_OPERATOR = "desa_operator", "Operator desa/kelurahan"
    ANGGOTA_DPRD = "anggota_dprd", "Anggota DPRD"
    SETWAN_VERIFIER = "setwan_verifier", "Verifikator Sekretariat DPRD"


# Roles that act for one perangkat daerah (and must name it), or for one region.
OPD_ROLES = {Role.OPD_OPERATOR, Role.OPD_VERIFIER}
BAPPEDA_ROLES = {Role.BAPPEDA_ADMIN, Role.BAPPEDA_VERIFIER}
WILAYAH_ROLES = {Role.KECAMATAN_OPERATOR: "kecamatan", Role.DESA_OPERATOR: "desa_kelurahan"}


def _check_scope(role, perangkat_daerah_id, wilayah=None):
    if role in OPD_ROLES and not perangkat_daerah_id:
        raise ValidationError({"perangkat_daerah": "Peran ini bekerja untuk satu perangkat daerah: pilih perangkat daerahnya."})
    if role not in OPD_ROLES and perangkat_daerah_id:
        raise ValidationError({"perangkat_daerah": "Peran ini tidak terikat pada satu perangkat daerah: kosongkan."})
    level = WILAYAH_ROLES.get(role)
    if level and (wilayah is None or wilayah.level != level):
        raise ValidationError({"wilayah": f"Peran ini bekerja untuk satu {level.replace('_', '/')}: pilih wilayahnya."})
    if not level and wilayah is not None:
        raise ValidationError({"wilayah": "Peran ini tidak terikat pada satu wilayah: kosongkan."})


class AccessProfile(models.Model):
    """A staff user's role and the perangkat daerah they work for (one each)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="access_profile", verbose_name="pengguna")
    role = models.CharField("peran", max_length=32, choices=Role.choices)
    perangkat_daerah = models.ForeignKey(
        "reference.PerangkatDaerah", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="perangkat daerah"
    )
    wilayah = models.ForeignKey(
        "reference.Wilayah", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="wilayah",
        help_text="Untuk operator kecamatan atau desa/kelurahan.",
    )

    class Meta:
        verbose_name = "profil akses"
        verbose_name_plural = "profil akses"

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    def clean(self):
        _check_scope(self.role, self.perangkat_daerah_id, self.wilayah)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.sync_group()

    def sync_group(self):
        """Staff reach the Wagtail admin through their role's group; the rows they see come from policy."""
        from django.contrib.auth.models import Group, Permission

        groups = {role: Group.objects.get_or_create(name=Role(role).label)[0] for role in Role.values}
        access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        for group in groups.values():
            group.permissions.add(access_admin)
        self.user.groups.remove(*[g for role, g in groups.items() if role != self.role])
        self.user.groups.add(groups[self.role])


def hash_key(raw_key):
    return hashlib.sha256(raw_key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A key Bappeda issues to an external system, bound to a role and scope.

    Only a hash of the key is stored; the key itself is shown once, when it is issued.
    Sent as `Authorization: Bearer <key>`.
    """

    PREFIX_LENGTH = 8

    name = models.CharField("nama sistem", max_length=120, help_text="Sistem yang memakai token, contoh: Portal Data Kabupaten.")
    role = models.CharField("peran", max_length=32, choices=Role.choices)
    perangkat_daerah = models.ForeignKey(
        "reference.PerangkatDaerah", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="perangkat daerah"
    )
    wilayah = models.ForeignKey(
        "reference.Wilayah", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="wilayah",
        help_text="Untuk sistem informasi desa: token hanya untuk usulan desa ini.",
    )
    key_prefix = models.CharField("awalan kunci", max_length=PREFIX_LENGTH, editable=False, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="dibuat oleh")
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    expires_at = models.DateTimeField("kedaluwarsa", null=True, blank=True)
    last_used_at = models.DateTimeField("terakhir dipakai", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("dicabut", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "token API"
        verbose_name_plural = "token API"

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    def clean(self):
        _check_scope(self.role, self.perangkat_daerah_id, self.wilayah)

    @property
    def is_usable(self):
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())

    @classmethod
    def issue(cls, *, name, role, perangkat_daerah=None, wilayah=None, created_by=None, expires_at=None):
        """Create a token; returns (token, raw key). The raw key is not kept anywhere."""
        raw_key = secrets.token_urlsafe(32)
        token = cls(
            name=name,
            role=role,
            perangkat_daerah=perangkat_daerah,
            wilayah=wilayah,
            created_by=created_by,
            expires_at=expires_at,
            key_prefix=raw_key[: cls.PREFIX_LENGTH],
            key_hash=hash_key(raw_key),
        )
        token.full_clean()
        token.save()
        return token, raw_key

    @classmethod
    def authenticate(cls, raw_key):
        """The usable token for a raw key, or None; records when it was last used."""
        token = cls.objects.usable().filter(key_hash=hash_key(raw_key or "")).first()
        if token is not None:
            now = timezone.now()
            # Written at most once a minute so that a busy portal does not write on every request.
            if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
                cls.objects.filter(pk=token.pk).update(last_used_at=now)
                token.last_used_at = now
        return token

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
