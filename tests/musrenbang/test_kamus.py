"""Kamus usulan: proposals priced from a department's menu (cost = volume x unit price, recomputed
when either changes), Bappeda's yearly rule on proposals outside the kamus, who edits a kamus,
and its XLSX download."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from openpyxl import load_workbook

from backoffice.musrenbang import tables
from backoffice.musrenbang.kamus import save_kamus_item, save_setting
from backoffice.musrenbang.models import KamusUsulan
from backoffice.musrenbang.services import FieldErrors, create_usulan, submit_usulan, update_usulan

pytestmark = pytest.mark.django_db


def test_a_proposal_from_the_kamus_is_priced_by_the_service(season):
    mb, p = season.mb, season.p
    usulan = create_usulan(p["desa_bolok"], mb.proposal(kamus=season.road, volume=Decimal("150"), estimated_cost=Decimal("1"), satuan=season.unit))
    # The typed cost and satuan give way to the kamus: 150 m x Rp 1.200.000.
    assert usulan.estimated_cost == Decimal("180000000")
    assert usulan.satuan == mb.meter and usulan.target_perangkat_daerah == mb.pupr
    update_usulan(p["desa_bolok"], usulan, mb.proposal(kamus=season.road, volume=Decimal("80.5")))
    usulan.refresh_from_db()
    assert usulan.estimated_cost == Decimal("96600000")


def test_a_new_unit_price_reprices_drafts_but_not_submitted_proposals(season):
    mb, p = season.mb, season.p
    draft = create_usulan(p["desa_bolok"], mb.proposal(kamus=season.road, volume=Decimal("10")))
    sent = create_usulan(p["desa_bolok"], mb.proposal(kamus=season.road, volume=Decimal("10")))
    submit_usulan(p["desa_bolok"], sent, at=season.at(1, 10))
    save_kamus_item(p["op_pupr"], season.road, unit_price=Decimal("1500000"))
    draft.refresh_from_db()
    sent.refresh_from_db()
    assert draft.estimated_cost == Decimal("15000000")
    assert sent.estimated_cost == Decimal("12000000")  # what was proposed stays as proposed


def test_kamus_item_must_be_of_the_year_active_and_of_the_target_department(season):
    mb, p = season.mb, season.p
    with pytest.raises(FieldErrors) as refused:
        create_usulan(p["desa_bolok"], mb.proposal(kamus=season.old))
    assert refused.value.errors["kamus"][0] == "inactive"
    with pytest.raises(FieldErrors) as refused:
        create_usulan(p["desa_bolok"], mb.proposal(year=2028, kamus=season.road))
    assert "berlaku untuk tahun 2027" in refused.value.errors["kamus"][1]
    with pytest.raises(FieldErrors) as refused:
        create_usulan(p["desa_bolok"], mb.proposal(kamus=season.road, target_perangkat_daerah=mb.dinkes))
    assert refused.value.errors["target_perangkat_daerah"][1] == 'Item kamus "Rabat beton jalan lingkungan" milik Dinas Pekerjaan Umum dan Penataan Ruang.'


def test_outside_the_kamus_needs_a_reason_or_is_refused_as_bappeda_decides(season):
    mb, p = season.mb, season.p
    create_usulan(p["desa_bolok"], mb.proposal())  # no setting for the year: the kamus is not enforced
    save_setting(p["admin"], 2027, outside_kamus_allowed=True)
    with pytest.raises(FieldErrors) as refused:
        create_usulan(p["desa_bolok"], mb.proposal())
    assert refused.value.errors["outside_kamus_reason"] == ("required", "Usulan di luar kamus wajib menyertakan alasan.")
    assert create_usulan(p["desa_bolok"], mb.proposal(outside_kamus_reason="Jembatan gantung tidak ada di kamus")).pk
    save_setting(p["admin"], 2027, outside_kamus_allowed=False)
    with pytest.raises(FieldErrors) as refused:
        create_usulan(p["desa_bolok"], mb.proposal(outside_kamus_reason="Tetap perlu"))
    assert refused.value.errors["kamus"][1] == "Tahun 2027 usulan wajib dipilih dari kamus usulan."
    with pytest.raises(PermissionDenied):
        save_setting(p["op_pupr"], 2027, outside_kamus_allowed=True)


def test_a_department_edits_only_its_own_kamus(season):
    mb, p = season.mb, season.p
    item = save_kamus_item(p["op_pupr"], None, year=2027, perangkat_daerah=mb.pupr, name="Drainase", satuan=mb.meter, unit_price=Decimal("750000"))
    assert item.pk
    for who in ("op_dinkes", "opd_pupr", "kec_barat", "desa_bolok", "setwan", "dprd_ana", "verifier", "public"):
        with pytest.raises(PermissionDenied):
            save_kamus_item(p[who], item, unit_price=Decimal("1"))
    with pytest.raises(PermissionDenied):  # nor move an item into its own department from another
        save_kamus_item(p["op_dinkes"], season.road, perangkat_daerah=mb.dinkes)
    with pytest.raises(PermissionDenied):
        save_kamus_item(p["op_pupr"], None, year=2027, perangkat_daerah=mb.dinkes, name="X", satuan=mb.meter, unit_price=Decimal("1"))
    with pytest.raises(FieldErrors) as refused:
        save_kamus_item(p["admin"], None, year=2027, perangkat_daerah=mb.pupr, name="sumur BOR", satuan=mb.meter, unit_price=Decimal("-1"))
    assert set(refused.value.errors) == {"unit_price"}
    with pytest.raises(FieldErrors) as refused:
        save_kamus_item(p["admin"], None, year=2027, perangkat_daerah=mb.pupr, name="sumur BOR", satuan=mb.meter, unit_price=Decimal("1"))
    assert refused.value.errors["name"][0] == "duplicate"
    assert KamusUsulan.objects.get(pk=season.road.pk).unit_price == Decimal("1200000")


def test_the_kamus_downloads_per_department_with_prices_as_numbers(season):
    sheets = load_workbook(io.BytesIO(tables.kamus_xlsx(season.p["public"], 2027)))
    pupr = sheets[season.mb.pupr.name[:31]]
    rows = [row for row in pupr.iter_rows(values_only=True)]
    assert rows[0][0] == "Kamus Usulan" and rows[2][0] == "Tahun 2027" and rows[1][0] == season.mb.pupr.name
    data = list(rows[6:])
    # The public sees active items only; the inactive "Talud lama" is the department's own business.
    assert [(r[1], r[3]) for r in data] == [("Rabat beton jalan lingkungan", 1200000), ("Sumur bor", 85000000)]
    staff = load_workbook(io.BytesIO(tables.kamus_xlsx(season.p["op_pupr"], 2027, season.mb.pupr)))
    assert [r[1] for r in staff.worksheets[0].iter_rows(min_row=7, values_only=True)] == ["Rabat beton jalan lingkungan", "Sumur bor", "Talud lama"]
    assert len(staff.worksheets) == 1


def test_a_kamus_item_in_use_cannot_be_deleted(season):
    create_usulan(season.p["desa_bolok"], season.mb.proposal(kamus=season.road))
    # Proposals point at it: the department deactivates it instead (is_active).
    with pytest.raises(ProtectedError):
        season.road.delete()


def test_a_kamus_item_feeds_only_a_sub_kegiatan_its_department_may_plan_that_year(season):
    from tests.factories import make_edition, make_nomenclature

    p, mb = season.p, season.mb
    subs = {row.code: row for row in make_nomenclature(make_edition(year=2021), bidang=3)}
    own, other = subs["1.03.01.2.01.0001"], subs["1.02.01.2.01.0001"]  # PUPR serves 1.03
    item = save_kamus_item(p["op_pupr"], season.road, sub_kegiatan=own)
    assert KamusUsulan.objects.get(pk=item.pk).sub_kegiatan == own
    with pytest.raises(FieldErrors) as refused:
        save_kamus_item(p["op_pupr"], season.road, sub_kegiatan=other)
    code, message = refused.value.errors["sub_kegiatan"]
    assert code == "not_allowed" and "1.02.01.2.01.0001 di luar bidang urusan" in message
    assert KamusUsulan.objects.get(pk=item.pk).sub_kegiatan == own
