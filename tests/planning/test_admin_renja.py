"""The Renja row form: the sub kegiatan search offers only what the department may plan, the keluaran
indicator is proposed from the nomenclature, the service's refusals (ceiling, bidang) appear on the
page with nothing saved, and every change is in the audit log with its user."""

from decimal import Decimal

import pytest
from wagtail.models import ModelLogEntry

from backoffice.planning.models import Indicator, IndicatorTarget, RenjaPendanaan, RenjaRow

from .admin_helpers import login
from .test_admin_permissions import row_data

pytestmark = pytest.mark.django_db


def search(client, renja, q):
    response = client.get(f"/admin/perencanaan/renja/{renja.pk}/sub-kegiatan/", {"q": q})
    assert response.status_code == 200
    return response.json()["results"]


def test_search_offers_only_the_allowed_sub_kegiatan_with_department_codes(client, world, plans):
    login(client, world, "dikbud")
    renja = plans["renja"]
    codes = {r["code"] for r in search(client, renja, "")}
    assert codes == {"1.01.01.2.01.0001", "1.01.01.2.01.0002", "1.01.02.2.01.0001", "1.01.02.2.01.0002", "1.01.01.2.02.0001"}
    assert search(client, renja, "1.02.01") == []  # a program of the Dinas Kesehatan's bidang
    (support,) = search(client, renja, "gaji")  # by name; the support program under the department's bidang
    assert support["code"] == "1.01.01.2.02.0001" and support["name"] == "Penyediaan Gaji dan Tunjangan ASN"
    assert [r["code"] for r in search(client, renja, "1.01.01.2.02")] == ["1.01.01.2.02.0001"]  # typed as the department writes it
    (found,) = search(client, renja, "1.01.02.2.01.0002")
    assert (found["kinerja"], found["indikator"], found["satuan"]) == ("Dokumen tersusun", "Jumlah dokumen", "Dokumen")


def test_keluaran_is_proposed_from_the_nomenclature(client, world, plans):
    login(client, world, "dikbud")
    renja, sub = plans["renja"], world.subs["1.01.02.2.01.0001"]
    page = client.get(f"/admin/perencanaan/renja/{renja.pk}/baris/baru/", {"sub_kegiatan": sub.pk})
    form = page.context["form"]
    assert form["keluaran_text"].value() == "Jumlah dokumen" and form["keluaran_satuan"].value() == "Dokumen"
    assert "1.01.02.2.01.0001 Sub kegiatan 1.01.02.2.01.0001" in page.content.decode()

    # Left empty, the proposal is kept; targets for n and n+1 and the other levels as typed.
    data = row_data(world, "1.01.02.2.01.0001", "150.000")
    data.update({"keluaran_target": "3", "keluaran_target_next": "4", "capaian_text": "Angka partisipasi sekolah", "capaian_satuan": "%", "capaian_target": "92,5",
                 "prakiraan_maju_amount": "175.000"})
    response = client.post(f"/admin/perencanaan/renja/{renja.pk}/baris/baru/", data)
    assert response.status_code == 302
    row = RenjaRow.objects.get(renja=renja, sub_kegiatan=sub)
    assert row.pagu_indikatif == Decimal("150000") and row.prakiraan_maju_amount == Decimal("175000")
    keluaran = Indicator.objects.get(renja_row=row, level="keluaran")
    assert (keluaran.text, keluaran.satuan) == ("Jumlah dokumen", "Dokumen")
    assert {t.year: t.value for t in keluaran.targets.all()} == {2026: Decimal("3"), 2027: Decimal("4")}
    assert IndicatorTarget.objects.get(indicator__renja_row=row, indicator__level="capaian").value == Decimal("92.5")
    assert [str(place) for place in row.lokasi_list.all()] == ["Seluruh kabupaten"]


def test_over_the_ceiling_is_refused_with_the_amount_and_nothing_saved(client, world, plans):
    login(client, world, "dikbud")
    renja = plans["renja"]
    response = client.post(f"/admin/perencanaan/renja/{renja.pk}/baris/baru/", row_data(world, "1.01.01.2.01.0002", "700.000"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Total pagu Rp 1.100.000 melebihi plafon Rp 1.000.000 sebesar Rp 100.000." in html
    assert response.context["funding_errors"]  # on the funding section
    assert not RenjaRow.objects.filter(sub_kegiatan=world.subs["1.01.01.2.01.0002"]).exists()
    assert RenjaPendanaan.objects.count() == 1 and not Indicator.objects.exists()

    # Changing the existing row over the ceiling: refused, the row keeps its pagu.
    row = plans["row"]
    response = client.post(f"/admin/perencanaan/renja/{renja.pk}/baris/{row.pk}/", row_data(world, "1.01.01.2.01.0001", "1.200.000"))
    assert response.status_code == 200 and "melebihi plafon" in response.content.decode()
    assert RenjaRow.objects.get(pk=row.pk).pagu_indikatif == Decimal("400000")


def test_the_renja_page_shows_the_running_total_red_when_over(client, world, plans):
    from backoffice.planning.models import PaguCeiling

    PaguCeiling.objects.create(perangkat_daerah=world.dikbud, year=2026, sumber_dana=world.dau, amount=Decimal("300000"))
    login(client, world, "dikbud")
    html = client.get(f"/admin/perencanaan/renja/inspect/{plans['renja'].pk}/").content.decode()
    assert "Rp 400.000" in html and "Rp 1.000.000" in html and "Rp 600.000" in html  # planned, ceiling, remaining
    assert 'class="planning-over"' in html and "melebihi plafon sebesar Rp 100.000" in html  # DAU over its own ceiling


def test_outside_the_departments_bidang_is_refused_on_the_field(client, world, plans):
    login(client, world, "dikbud")
    renja = plans["renja"]
    response = client.post(f"/admin/perencanaan/renja/{renja.pk}/baris/baru/", row_data(world, "1.02.01.2.01.0001", "1.000"))
    assert response.status_code == 200
    errors = response.context["form"].errors["sub_kegiatan"]
    assert any("di luar bidang urusan Dinas Pendidikan" in e for e in errors)
    assert RenjaRow.objects.filter(renja=renja).count() == 1


def test_every_change_is_in_the_audit_log_with_the_user(client, world, plans):
    login(client, world, "dikbud")
    renja, user = plans["renja"], world.users["dikbud"]
    client.post(f"/admin/perencanaan/renja/{renja.pk}/baris/baru/", row_data(world, "1.01.01.2.01.0002", "10.000"))
    row = RenjaRow.objects.get(sub_kegiatan=world.subs["1.01.01.2.01.0002"])
    client.post(f"/admin/perencanaan/renja/{renja.pk}/baris/{row.pk}/", row_data(world, "1.01.01.2.01.0002", "20.000"))
    client.post(f"/admin/perencanaan/renja/{renja.pk}/baris/{row.pk}/hapus/")
    assert not RenjaRow.objects.filter(pk=row.pk).exists()
    entries = list(ModelLogEntry.objects.filter(object_id=str(row.pk), content_type__model="renjarow").order_by("timestamp", "id"))
    assert [(e.action, e.user_id) for e in entries] == [("wagtail.create", user.pk), ("wagtail.edit", user.pk), ("wagtail.delete", user.pk)]
    # Wagtail's own views log too: a Renja's notes.
    client.post(f"/admin/perencanaan/renja/edit/{renja.pk}/", {"notes": "catatan"})
    assert ModelLogEntry.objects.filter(object_id=str(renja.pk), content_type__model="renja", action="wagtail.edit", user=user).exists()


def test_a_set_renja_cannot_be_changed(client, world, plans):
    from backoffice.planning.models import Renja

    Renja.objects.filter(pk=plans["renja"].pk).update(status="set")
    login(client, world, "admin")
    response = client.post(f"/admin/perencanaan/renja/{plans['renja'].pk}/baris/{plans['row'].pk}/", row_data(world, "1.01.01.2.01.0001", "1"))
    assert response.status_code == 200 and "sudah ditetapkan" in response.content.decode()
    assert RenjaRow.objects.get(pk=plans["row"].pk).pagu_indikatif == Decimal("400000")


def test_renja_page_costs_the_same_for_many_rows(client, world, plans, django_assert_max_num_queries):
    from backoffice.planning.services import save_renja_row

    login(client, world, "dikbud")
    url = f"/admin/perencanaan/renja/inspect/{plans['renja'].pk}/"
    client.get(url)
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    for code in ("1.01.01.2.01.0002", "1.01.02.2.01.0001", "1.01.02.2.01.0002"):
        save_renja_row(world.p["admin"], RenjaRow(renja=plans["renja"], sub_kegiatan=world.subs[code]), pendanaan=[(world.pad, 1)], lokasi=[(None, "")])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
