"""Kamus usulan (each department's menu of proposals with unit prices) and Bappeda's per-year season
settings. A kamus item's new unit price prices again the proposals still with their proposer
(draft or returned); submitted proposals keep what was proposed, as every level's values do.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from backoffice.access import policy
from backoffice.planning.services.rules import check_nomenclature_row

from .models import KamusUsulan, SeasonSetting, Usulan
from .season import kamus_cost
from .services import EDITABLE, FieldErrors, audit

KAMUS_FIELDS = ("year", "perangkat_daerah", "name", "satuan", "unit_price", "sub_kegiatan", "expected_output", "is_active")
SETTING_FIELDS = ("outside_kamus_allowed", "pokir_days_before", "quota_per_desa", "quota_per_kecamatan")


def _validate_item(item):
    errors = {}
    if not (item.name or "").strip():
        errors["name"] = ("required", "Nama item wajib diisi.")
    if item.perangkat_daerah_id is None:
        errors["perangkat_daerah"] = ("required", "Pilih perangkat daerah.")
    if item.satuan_id is None:
        errors["satuan"] = ("required", "Pilih satuan.")
    if item.unit_price is None or Decimal(item.unit_price) < 0:
        errors["unit_price"] = ("invalid", "Harga satuan tidak boleh kosong atau negatif.")
    if not item.year or not 2000 <= item.year <= 2100:
        errors["year"] = ("invalid", "Tahun rencana antara 2000 dan 2100.")
    duplicate = KamusUsulan.objects.filter(year=item.year, perangkat_daerah_id=item.perangkat_daerah_id, name__iexact=(item.name or "").strip())
    if not errors and duplicate.exclude(pk=item.pk).exists():
        errors["name"] = ("duplicate", f"Item \"{item.name}\" sudah ada dalam kamus {item.year} perangkat daerah ini.")
    if not errors and item.sub_kegiatan_id is not None:
        # The sub kegiatan the item feeds must be one the department may plan in that year.
        try:
            check_nomenclature_row(item.perangkat_daerah, item.sub_kegiatan, item.year, "sub_kegiatan")
        except ValidationError as refused:
            errors["sub_kegiatan"] = ("not_allowed", " ".join(refused.messages))
    if errors:
        raise FieldErrors(errors)


@transaction.atomic
def save_kamus_item(principal, item, **values):
    """Create (item=None) or change a kamus item: a department's operator for its own department,
    Bappeda's admin for any. Returns the item; re-prices proposals still being edited."""
    if item is not None:
        item = KamusUsulan.objects.select_for_update().get(pk=item.pk)
        policy.require(principal, "change", item)  # the department it belonged to
    item = item or KamusUsulan()
    for field in KAMUS_FIELDS:
        if field in values:
            setattr(item, field, values[field])
    item.name = (item.name or "").strip()
    policy.require(principal, "change" if item.pk else "add", item)  # and the one it belongs to now
    _validate_item(item)
    created = item.pk is None
    item.save()
    audit(principal, item, created)
    # Lock the proposals only: the default ordering joins the nullable desa, which PostgreSQL will not lock.
    repriced = []
    for usulan in Usulan.objects.select_for_update(of=("self",)).filter(kamus=item, status__in=EDITABLE).only("pk", "volume", "estimated_cost", "satuan_id"):
        cost = kamus_cost(usulan.volume, item.unit_price)
        if cost != usulan.estimated_cost or usulan.satuan_id != item.satuan_id:
            usulan.estimated_cost, usulan.satuan_id = cost, item.satuan_id
            repriced.append(usulan)
    Usulan.objects.bulk_update(repriced, ["estimated_cost", "satuan"])
    return item


def kamus_for(principal, year=None, perangkat_daerah=None, *, active_only=False):
    """The kamus items `principal` may see (the public: active ones), filtered."""
    queryset = policy.scope(principal, KamusUsulan.objects.all())
    condition = Q()
    if year:
        condition &= Q(year=year)
    if perangkat_daerah is not None:
        condition &= Q(perangkat_daerah=perangkat_daerah)
    if active_only:
        condition &= Q(is_active=True)
    return queryset.filter(condition).select_related("perangkat_daerah", "satuan", "sub_kegiatan")


@transaction.atomic
def save_setting(principal, year, **values):
    """Bappeda's rules for one year's season (kamus, pokir deadline, quotas)."""
    setting = SeasonSetting.objects.select_for_update().filter(year=year).first() or SeasonSetting(year=year)
    policy.require(principal, "change" if setting.pk else "add", setting)
    for field in SETTING_FIELDS:
        if field in values:
            setattr(setting, field, values[field])
    errors = {}
    if setting.pokir_days_before is None or not 0 <= setting.pokir_days_before <= 90:
        errors["pokir_days_before"] = ("invalid", "Batas pokir antara 0 dan 90 hari sebelum musrenbang kabupaten.")
    for field in ("quota_per_desa", "quota_per_kecamatan"):
        if getattr(setting, field) is not None and getattr(setting, field) < 1:
            errors[field] = ("invalid", "Kuota paling sedikit 1 usulan; kosongkan bila tanpa kuota.")
    if errors:
        raise FieldErrors(errors)
    created = setting.pk is None
    setting.save()
    audit(principal, setting, created)
    return setting
