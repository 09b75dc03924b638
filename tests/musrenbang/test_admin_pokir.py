"""Pokir DPRD in the Musrenbang admin over HTTP: a legislator enters a pokir from the kamus before the
deadline and is refused after it, submits it; Setwan verifies (or returns with a reason), Bappeda
validates it to a department; who sees which buttons and who is refused."""

from decimal import Decimal

import pytest

from backoffice.musrenbang import services
from backoffice.musrenbang.models import PokirCeiling, Status, Usulan

from .test_admin_helpers import *  # noqa: F403  (fixtures)
from .test_admin_helpers import BASE, message_texts, outcome, pokir_data, snapshot, steps_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted_pokir(season, pokir_clock):
    """Ana's pokir, submitted to Setwan before the deadline."""
    pokir = services.create_usulan(season.p["dprd_ana"], season.pokir(volume="2"))
    return services.submit_usulan(season.p["dprd_ana"], pokir)


def test_a_legislator_enters_a_pokir_before_the_deadline_and_is_refused_after_it(login, season, pokir_clock):
    client = login("dprd_ana")
    page = client.get(BASE + "tambah/")
    assert page.status_code == 200 and page.context["page_title"] == "Pokir baru"
    assert "Pokir DPRD atas nama Ana Manafe (Fraksi Nusa)." in page.content.decode()
    response = client.post(BASE + "tambah/", pokir_data(season))
    assert response.status_code == 302
    pokir = Usulan.objects.get()
    assert (pokir.proposer_level, pokir.anggota_dprd, pokir.kecamatan, pokir.desa) == (Usulan.ProposerLevel.DPRD, season.ana, season.mb.barat, None)
    assert (pokir.kamus, pokir.estimated_cost, pokir.target_perangkat_daerah) == (season.well, Decimal("170000000"), season.mb.pupr)
    assert "Ajukan ke Sekretariat DPRD bila sudah lengkap." in message_texts(client.get(BASE))[0]

    pokir_clock["now"] = season.at(3, 18, 9)
    page = client.get(BASE + "tambah/")
    lock = ("Pemasukan pokir DPRD tahun 2027 ditutup pada 18 Maret 2026 00:00, 7 hari sebelum musrenbang kabupaten dibuka "
            "(25 Maret 2026 00:00).")
    assert lock in page.content.decode()
    response = client.post(BASE + "tambah/", pokir_data(season, solution="Pokir terlambat"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [lock]
    assert Usulan.objects.count() == 1
    # Editing the draft after the deadline is refused too, and changes nothing.
    before = snapshot(pokir)
    response = client.post(f"{BASE}{pokir.pk}/ubah/", pokir_data(season, solution="Diubah terlambat"))
    assert response.context["form"].non_field_errors() == [lock]
    assert snapshot(pokir) == before


def test_a_pokir_needs_a_kecamatan_and_a_desa_operator_never_writes_one(login, season, pokir_clock):
    response = login("dprd_ana").post(BASE + "tambah/", pokir_data(season, kecamatan=""))
    assert response.context["form"].errors["kecamatan"] == ["Pilih kecamatan."]
    response = login("dprd_ana").post(BASE + "tambah/", pokir_data(season, desa=season.mb.babau.pk))
    assert response.context["form"].errors["desa"] == ["Desa Babau tidak berada di Kecamatan Kupang Barat."]
    assert not Usulan.objects.exists()
    # A desa operator's form is the village's: no kecamatan field, and what it saves is no pokir.
    form = login("desa_bolok").get(BASE + "tambah/").context["form"]
    assert "kecamatan" not in form.fields and form.anggota is None


def test_a_dprd_login_without_a_legislator_is_refused(login, season, pokir_clock):
    season.ana.user = None
    season.ana.save()
    assert outcome(login("dprd_ana").get(BASE + "tambah/")) == 403
    assert outcome(login("dprd_ana").post(BASE + "tambah/", pokir_data(season))) == 403
    assert not Usulan.objects.exists()


def test_submitting_over_the_ceiling_is_refused_on_the_cost(login, season, pokir_clock):
    PokirCeiling.objects.create(anggota=season.ana, year=2027, amount=Decimal("100000000"))
    client = login("dprd_ana")
    client.post(BASE + "tambah/", pokir_data(season))
    pokir = Usulan.objects.get()
    detail = client.get(f"{BASE}{pokir.pk}/")
    assert steps_on(detail) == ["submit"]
    assert [item["ui"].label for item in detail.context["steps"]] == ["Ajukan ke Sekretariat DPRD"]
    response = client.post(f"{BASE}{pokir.pk}/aksi/ajukan/")
    assert response.status_code == 200
    assert "melebihi pagu" in response.content.decode()
    assert Usulan.objects.get(pk=pokir.pk).status == Status.DRAFT


def test_setwan_verifies_and_bappeda_validates_to_a_department(login, season, submitted_pokir):
    setwan, admin = login("setwan"), login("admin")
    url = f"{BASE}{submitted_pokir.pk}/"
    assert steps_on(setwan.get(url)) == ["verify_setwan", "return_setwan", "reject_setwan"]
    assert steps_on(login("verifier").get(url)) == []
    assert steps_on(login("dprd_ana").get(url)) == []
    # Bappeda's step is not Setwan's: refused before its form is read.
    assert outcome(setwan.post(f"{url}aksi/validasi-bappeda/", {"validasi-bappeda-perangkat_daerah": season.mb.pupr.pk})) == 403

    response = setwan.post(f"{url}aksi/verifikasi-setwan/", {"verifikasi-setwan-note": "Sesuai hasil reses"})
    assert response["Location"] == url
    assert Usulan.objects.get(pk=submitted_pokir.pk).status == Status.VERIFIED_SETWAN
    assert steps_on(setwan.get(url)) == []
    page = admin.get(url)
    assert steps_on(page) == ["validate_bappeda", "reject_bappeda"]
    assert "Diverifikasi Sekretariat DPRD" in page.content.decode()

    # The kamus item is PUPR's: Dinas Kesehatan is refused on the department field.
    response = admin.post(f"{url}aksi/validasi-bappeda/", {"validasi-bappeda-perangkat_daerah": season.mb.dinkes.pk})
    assert response.status_code == 200
    assert [item["form"].errors for item in response.context["steps"] if item["step"] == "validate_bappeda"] == [
        {"perangkat_daerah": ['Item kamus "Sumur bor" milik perangkat daerah lain.']}]
    assert Usulan.objects.get(pk=submitted_pokir.pk).status == Status.VERIFIED_SETWAN

    response = admin.post(f"{url}aksi/validasi-bappeda/", {"validasi-bappeda-perangkat_daerah": season.mb.pupr.pk})
    assert response["Location"] == url
    pokir = Usulan.objects.get(pk=submitted_pokir.pk)
    assert (pokir.status, pokir.target_perangkat_daerah) == (Status.ROUTED, season.mb.pupr)
    # Now it is the department's, like any proposal.
    assert steps_on(login("opd_pupr").get(url)) == ["accept", "postpone", "reject_opd"]


def test_setwan_returns_with_a_public_reason_and_the_legislator_edits_again(login, season, submitted_pokir):
    setwan = login("setwan")
    url = f"{BASE}{submitted_pokir.pk}/"
    response = setwan.post(f"{url}aksi/kembalikan-setwan/", {"kembalikan-setwan-reason": ""})
    assert response.status_code == 200
    assert Usulan.objects.get(pk=submitted_pokir.pk).status == Status.SUBMITTED
    response = setwan.post(f"{url}aksi/kembalikan-setwan/", {"kembalikan-setwan-reason": "Lokasi belum jelas"})
    assert response["Location"] == url
    pokir = Usulan.objects.get(pk=submitted_pokir.pk)
    assert (pokir.status, pokir.public_reason) == (Status.RETURNED, "Lokasi belum jelas")
    edit = login("dprd_ana").get(f"{url}ubah/")
    assert edit.status_code == 200 and "Dikembalikan oleh Sekretariat DPRD: Lokasi belum jelas" in edit.content.decode()
    response = login("dprd_ana").post(f"{url}ubah/", pokir_data(season, volume="3"))
    assert response.status_code == 302
    assert Usulan.objects.get(pk=submitted_pokir.pk).estimated_cost == Decimal("255000000")


def test_pokir_stay_out_of_village_and_kecamatan_pages(login, season, submitted_pokir):
    for name in ("desa_bolok", "kec_barat"):
        assert login(name).get(f"{BASE}{submitted_pokir.pk}/").status_code == 404
    assert login("dprd_budi").get(f"{BASE}{submitted_pokir.pk}/").status_code == 404
    assert outcome(login("dprd_budi").get(f"{BASE}{submitted_pokir.pk}/ubah/")) == 404


def test_a_legislators_bulk_bar_submits_to_the_secretariat(login, season, pokir_clock):
    pokir = services.create_usulan(season.p["dprd_ana"], season.pokir())
    client = login("dprd_ana")
    choices = dict(client.get(BASE).context["bulk_form"].fields["action"].choices)
    assert choices["submit"] == "Ajukan ke Sekretariat DPRD"
    assert dict(login("desa_bolok").get(BASE).context["bulk_form"].fields["action"].choices)["submit"] == "Ajukan ke kecamatan"
    response = client.post(BASE, {"action": "submit", "usulan": [pokir.pk]}, follow=True)
    assert "1 pokir diajukan ke Sekretariat DPRD." in message_texts(response)
    assert Usulan.objects.get(pk=pokir.pk).status == Status.SUBMITTED
