"""Setwan (and Bappeda's admin) types pokir in for a legislator from the recess minutes: naming the
legislator, under the same deadline and ceiling as the legislator; never a desa proposal, and a
legislator still only for itself. The services first, then the admin over HTTP."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from backoffice.access import policy
from backoffice.musrenbang import pokir, services
from backoffice.musrenbang.models import AnggotaDprd, PokirCeiling, Status, Usulan
from backoffice.musrenbang.services import FieldErrors, create_usulan, submit_usulan, update_usulan

from .test_admin_helpers import *  # noqa: F403  (fixtures)
from .test_admin_helpers import BASE, message_texts, pokir_data, snapshot, steps_on

pytestmark = pytest.mark.django_db

LOCK = "Pemasukan pokir DPRD tahun 2027 ditutup pada 18 Maret 2026 00:00"


def actors(item):
    return [(event.action, event.actor) for event in Usulan.objects.get(pk=item.pk).events.order_by("at", "pk")]


def test_setwan_enters_a_pokir_for_ana_submits_it_then_verifies_it(season):
    p, at, setwan = season.p, season.at, season.mb.users["setwan"]
    with pytest.raises(FieldErrors) as refused:  # the legislator must be named
        create_usulan(p["setwan"], season.mb.proposal(desa=None, proposer_level=Usulan.ProposerLevel.DPRD, kamus=season.well), at=at(3, 1))
    assert refused.value.errors["anggota_dprd"] == ("required", "Pilih anggota DPRD pemilik pokir.")

    item = create_usulan(p["setwan"], season.pokir(), at=at(3, 1))
    assert (item.proposer_level, item.anggota_dprd, item.status, item.estimated_cost) == (Usulan.ProposerLevel.DPRD, season.ana, Status.DRAFT, Decimal("85000000"))
    # Setwan reads the draft it entered; so does Ana, whose pokir it is (she may still edit it).
    assert policy.scope(p["setwan"], Usulan.objects.all()).get() == item
    assert policy.can(p["dprd_ana"], "change", item)
    update_usulan(p["setwan"], item, season.pokir(volume="2"), at=at(3, 2))
    assert ModelLogEntry.objects.get(object_id=str(item.pk), action="wagtail.edit").user == setwan
    submit_usulan(p["setwan"], item, at=at(3, 2))
    assert Usulan.objects.get(pk=item.pk).status == Status.SUBMITTED
    # Once submitted it is Setwan's to verify, no longer to edit.
    with pytest.raises(PermissionDenied):
        update_usulan(p["setwan"], item, season.pokir(volume="3"), at=at(3, 3))
    pokir.verify_by_setwan(p["setwan"], item, at=at(3, 3))
    item = Usulan.objects.get(pk=item.pk)
    assert (item.status, item.estimated_cost) == (Status.VERIFIED_SETWAN, Decimal("170000000"))
    # Every record names the user who acted, not the legislator.
    assert actors(item) == [("create", setwan), ("submit", setwan), ("verify_setwan", setwan)]
    assert set(ModelLogEntry.objects.filter(object_id=str(item.pk)).values_list("user", flat=True)) == {setwan.pk}


def test_bappeda_admin_enters_and_submits_a_pokir_for_a_legislator(season):
    p, at = season.p, season.at
    item = create_usulan(p["admin"], season.pokir(anggota=season.budi), at=at(3, 1))
    submit_usulan(p["admin"], item, at=at(3, 2))
    item = Usulan.objects.get(pk=item.pk)
    assert (item.anggota_dprd, item.status) == (season.budi, Status.SUBMITTED)
    assert actors(item) == [("create", season.mb.users["admin"]), ("submit", season.mb.users["admin"])]


def test_setwan_cannot_create_or_change_a_desa_proposal(season):
    p, at = season.p, season.at
    with pytest.raises(PermissionDenied):
        create_usulan(p["setwan"], season.mb.proposal(), at=at(1, 6))
    desa_draft = create_usulan(p["desa_bolok"], season.mb.proposal(), at=at(1, 6))
    before = snapshot(desa_draft)
    with pytest.raises(PermissionDenied):
        update_usulan(p["setwan"], desa_draft, season.mb.proposal(solution="Diubah Setwan"), at=at(1, 7))
    with pytest.raises(PermissionDenied):
        submit_usulan(p["setwan"], desa_draft, at=at(1, 7))
    assert snapshot(desa_draft) == before
    assert not policy.scope(p["setwan"], Usulan.objects.filter(pk=desa_draft.pk)).exists()
    # Nor turn a pokir into one.
    item = create_usulan(p["setwan"], season.pokir(), at=at(3, 1))
    with pytest.raises(PermissionDenied):
        update_usulan(p["setwan"], item, season.mb.proposal(kamus=season.well, volume=Decimal("1")), at=at(3, 2))
    assert Usulan.objects.get(pk=item.pk).proposer_level == Usulan.ProposerLevel.DPRD


def test_after_the_deadline_setwan_is_refused_too(season):
    p, at = season.p, season.at
    draft = create_usulan(p["setwan"], season.pokir(), at=at(3, 1))
    before = snapshot(draft)
    for enter in (lambda: create_usulan(p["setwan"], season.pokir(solution="Terlambat"), at=at(3, 19)),
                  lambda: update_usulan(p["setwan"], draft, season.pokir(volume="2"), at=at(3, 19)),
                  lambda: submit_usulan(p["setwan"], draft, at=at(3, 19))):
        with pytest.raises(ValidationError) as refused:
            enter()
        assert refused.value.messages[0].startswith(LOCK)
    assert snapshot(draft) == before


def test_a_legislator_still_cannot_enter_for_another(season):
    p, at = season.p, season.at
    with pytest.raises(PermissionDenied):
        create_usulan(p["dprd_budi"], season.pokir(), at=at(3, 1))
    entered = create_usulan(p["setwan"], season.pokir(), at=at(3, 1))  # Ana's, typed in by Setwan
    before = snapshot(entered)
    with pytest.raises(PermissionDenied):
        submit_usulan(p["dprd_budi"], entered, at=at(3, 2))
    with pytest.raises(PermissionDenied):  # Ana cannot hand her pokir to Budi either
        update_usulan(p["dprd_ana"], entered, season.pokir(anggota=season.budi), at=at(3, 2))
    assert snapshot(entered) == before
    assert Usulan.objects.get(pk=entered.pk).anggota_dprd == season.ana


def test_over_the_ceiling_is_refused_for_setwan_as_well(season):
    p, at = season.p, season.at
    PokirCeiling.objects.create(anggota=season.ana, year=2027, amount=Decimal("100000000"))
    item = create_usulan(p["setwan"], season.pokir(volume="2"), at=at(3, 1))  # Rp 170.000.000
    with pytest.raises(FieldErrors) as refused:
        submit_usulan(p["setwan"], item, at=at(3, 2))
    code, message = refused.value.errors["estimated_cost"]
    assert code == "over_ceiling" and message.startswith("Pagu pokir Ana Manafe tahun 2027")
    assert Usulan.objects.get(pk=item.pk).status == Status.DRAFT


def test_setwan_writes_pokir_exactly_while_the_services_let_them_be_edited():
    assert set(policy.RULES["musrenbang.Usulan"].with_proposer) == set(services.EDITABLE)


# ------------------------------------------------------------------------------------------------
# The admin


def button_labels(response):
    return [button.label for button in response.context["header_buttons"]]


@pytest.fixture
def retired(season):
    """A legislator whose term ended before 2027: never offered for a 2027 pokir."""
    return AnggotaDprd.objects.create(name="Yosef Kase", fraksi="Fraksi Nusa", daerah_pemilihan="Kupang 1", period_start=2019, period_end=2024)


def test_setwan_chooses_the_legislator_in_the_pokir_form_and_submits(login, season, pokir_clock, retired):
    client = login("setwan")
    assert "Tambah usulan" in button_labels(client.get(BASE))
    page = client.get(BASE + "tambah/")
    assert page.status_code == 200 and page.context["page_title"] == "Pokir baru"
    form = page.context["form"]
    assert list(form.fields["anggota_dprd"].queryset) == [season.ana, season.budi]
    assert form.fields["anggota_dprd"].required and "kecamatan" in form.fields

    response = client.post(BASE + "tambah/", pokir_data(season))  # no legislator
    assert response.status_code == 200
    assert response.context["form"].errors["anggota_dprd"] == ["Pilih anggota DPRD pemilik pokir."]
    response = client.post(BASE + "tambah/", pokir_data(season, anggota_dprd=retired.pk))
    assert response.context["form"].errors["anggota_dprd"] == ["Pilih anggota DPRD yang menjabat pada tahun rencana."]
    assert not Usulan.objects.exists()

    response = client.post(BASE + "tambah/", pokir_data(season, anggota_dprd=season.ana.pk))
    assert response.status_code == 302
    item = Usulan.objects.get()
    assert (item.proposer_level, item.anggota_dprd, item.kecamatan, item.estimated_cost) == (Usulan.ProposerLevel.DPRD, season.ana, season.mb.barat, Decimal("170000000"))
    assert "Ajukan ke Sekretariat DPRD bila sudah lengkap." in message_texts(client.get(BASE))[0]

    detail = client.get(f"{BASE}{item.pk}/")
    assert [step["ui"].label for step in detail.context["steps"]] == ["Ajukan ke Sekretariat DPRD"]
    assert "Ubah" in button_labels(detail)
    edit = client.get(f"{BASE}{item.pk}/ubah/")
    assert "anggota_dprd" not in edit.context["form"].fields and "Pokir DPRD atas nama Ana Manafe (Fraksi Nusa)." in edit.content.decode()
    response = client.post(f"{BASE}{item.pk}/aksi/ajukan/")
    assert response["Location"] == f"{BASE}{item.pk}/"
    assert Usulan.objects.get(pk=item.pk).status == Status.SUBMITTED
    detail = client.get(f"{BASE}{item.pk}/")
    assert steps_on(detail) == ["verify_setwan", "return_setwan", "reject_setwan"]
    assert "Ubah" not in button_labels(detail)
    assert steps_on(login("dprd_ana").get(f"{BASE}{item.pk}/")) == []


def test_bappeda_admin_enters_a_pokir_from_its_own_button(login, season, pokir_clock):
    client = login("admin")
    assert {"Tambah usulan", "Tambah pokir DPRD"} <= set(button_labels(client.get(BASE)))
    assert "anggota_dprd" not in client.get(BASE + "tambah/").context["form"].fields  # the desa form stays the desa form
    page = client.get(BASE + "tambah/?jenis=pokir")
    assert page.context["page_title"] == "Pokir baru" and page.context["action_url"] == BASE + "tambah/?jenis=pokir"
    response = client.post(BASE + "tambah/?jenis=pokir", pokir_data(season, anggota_dprd=season.budi.pk))
    assert response.status_code == 302
    assert Usulan.objects.get().anggota_dprd == season.budi


def test_after_the_deadline_the_setwan_form_is_refused(login, season, pokir_clock):
    pokir_clock["now"] = season.at(3, 18, 9)
    client = login("setwan")
    assert LOCK in client.get(BASE + "tambah/").content.decode()
    response = client.post(BASE + "tambah/", pokir_data(season, anggota_dprd=season.ana.pk))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()[0].startswith(LOCK)
    assert not Usulan.objects.exists()
