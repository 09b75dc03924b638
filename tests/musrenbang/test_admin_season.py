"""The season's admin pages over HTTP: Kamus Usulan, Pengaturan Musrenbang and Anggota DPRD for every
role (who sees the page, which rows, who may add and edit), saves through the services with their
refusals on the field, the public kamus download, and the schedule page's pokir warning."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from backoffice.access.models import Role
from backoffice.musrenbang import services
from backoffice.musrenbang.models import AnggotaDprd, KamusUsulan, Level, MusrenbangSchedule, PokirCeiling, SeasonSetting, Usulan

from tests.factories import make_user

from .test_admin_helpers import *  # noqa: F403  (fixtures)
from .test_admin_helpers import message_texts, outcome

pytestmark = pytest.mark.django_db

KAMUS = "/admin/musrenbang/kamus/"
SETTING = "/admin/musrenbang/pengaturan/"
DPRD = "/admin/musrenbang/anggota-dprd/"
PUBLIC_KAMUS = "/musrenbang/kamus/{}.xlsx"
ROLES = ["admin", "verifier", "op_pupr", "op_dinkes", "opd_pupr", "desa_bolok", "kec_barat", "setwan", "dprd_ana"]
ACTIVE = {"Rabat beton jalan lingkungan", "Sumur bor", "Posyandu keliling"}

# Which kamus items each role lists: Bappeda all, a department its own (inactive too) and the others'
# active ones, everyone else the active ones (the public kamus).
KAMUS_SEES = {
    "admin": ACTIVE | {"Talud lama"},
    "verifier": ACTIVE | {"Talud lama"},
    "op_pupr": ACTIVE | {"Talud lama"},
    "opd_pupr": ACTIVE | {"Talud lama"},
    "op_dinkes": ACTIVE,
    "desa_bolok": ACTIVE,
    "kec_barat": ACTIVE,
    "setwan": ACTIVE,
    "dprd_ana": ACTIVE,
}
KAMUS_ADDS = {"admin", "op_pupr", "op_dinkes"}
KAMUS_EDITS_PUPR = {"admin", "op_pupr"}
SETTING_EDITS = {"admin"}
DPRD_READS = {"admin", "verifier", "op_pupr", "op_dinkes", "opd_pupr", "setwan", "dprd_ana"}
DPRD_WRITES = {"admin", "setwan"}


def kamus_names(response):
    return {row["cells"][2] for row in response.context["rows"]}


def sheet_names(content):
    """The item names of every sheet of a kamus workbook (below the header and the column numbers)."""
    names = set()
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        header = next(i for i, row in enumerate(rows) if row[0] == "No")
        names |= {row[1] for row in rows[header + 2:]}
    return names


def kamus_data(season, **overrides):
    data = {"year": "2027", "perangkat_daerah": season.mb.pupr.pk, "name": "Jembatan gantung", "satuan": season.unit.pk,
            "unit_price": "250.000.000", "expected_output": "Jembatan terbangun", "is_active": "on"}
    data.update(overrides)
    return data


# ------------------------------------------------------------------------------------------------
# The matrix


@pytest.mark.parametrize("name", ROLES)
def test_kamus_pages_per_role(login, season, name):
    client = login(name)
    listing = client.get(KAMUS)
    assert listing.status_code == 200
    assert kamus_names(listing) == KAMUS_SEES[name]
    assert outcome(client.get(KAMUS + "tambah/")) == (200 if name in KAMUS_ADDS else 403)
    assert outcome(client.get(f"{KAMUS}{season.road.pk}/ubah/")) == (200 if name in KAMUS_EDITS_PUPR else 403)
    # An inactive item of another department is not even there for those who may not see it.
    assert outcome(client.get(f"{KAMUS}{season.old.pk}/ubah/")) == (
        200 if name in KAMUS_EDITS_PUPR else 403 if "Talud lama" in KAMUS_SEES[name] else 404)
    download = client.get(KAMUS + "unduh/?tahun=2027")
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert sheet_names(download.content) == KAMUS_SEES[name]


@pytest.mark.parametrize("name", ROLES)
def test_setting_pages_per_role(login, season, name):
    SeasonSetting.objects.create(year=2027, pokir_days_before=10, quota_per_desa=5)
    client = login(name)
    listing = client.get(SETTING)
    assert listing.status_code == 200
    assert [row["cells"][0] for row in listing.context["rows"]] == [2027]
    assert bool(listing.context["rows"][0]["url"]) == (name in SETTING_EDITS)
    assert outcome(client.get(SETTING + "2027/")) == (200 if name in SETTING_EDITS else 403)
    assert outcome(client.get(SETTING + "2028/")) == (200 if name in SETTING_EDITS else 403)
    response = client.post(SETTING + "2027/", {"pokir_days_before": "3"})
    assert outcome(response) == (302 if name in SETTING_EDITS else 403)
    assert SeasonSetting.objects.get(year=2027).pokir_days_before == (3 if name in SETTING_EDITS else 10)


@pytest.mark.parametrize("name", ROLES)
def test_anggota_pages_per_role(login, season, name):
    client = login(name)
    listing = client.get(DPRD)
    assert outcome(listing) == (200 if name in DPRD_READS else 403)
    if name in DPRD_READS:
        assert [row["cells"][0] for row in listing.context["rows"]] == ["Ana Manafe", "Budi Lakapu"]
    assert outcome(client.get(DPRD + "tambah/")) == (200 if name in DPRD_WRITES else 403)
    assert outcome(client.get(f"{DPRD}{season.ana.pk}/ubah/")) == (200 if name in DPRD_WRITES else 403)
    response = client.post(f"{DPRD}{season.ana.pk}/pagu/", {"year": "2027", "amount": "500.000.000"})
    assert outcome(response) == (302 if name in DPRD_WRITES else 403)
    assert PokirCeiling.objects.filter(anggota=season.ana).exists() == (name in DPRD_WRITES)


def test_anonymous_and_roleless_users_are_sent_to_the_login(login, season):
    urls = [KAMUS, KAMUS + "tambah/", f"{KAMUS}{season.road.pk}/ubah/", KAMUS + "unduh/", SETTING, SETTING + "2027/",
            DPRD, DPRD + "tambah/", f"{DPRD}{season.ana.pk}/ubah/"]
    for client in (Client(), login("staff")):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
        response = client.post(KAMUS + "tambah/", kamus_data(season))
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not KamusUsulan.objects.filter(name="Jembatan gantung").exists()


def test_menu_shows_the_season_items_by_role(login, season):
    admin = login("admin").get("/admin/").content.decode()
    assert "Kamus Usulan" in admin and "Pengaturan Musrenbang" in admin and "Anggota DPRD" in admin
    desa = login("desa_bolok").get("/admin/").content.decode()
    assert "Kamus Usulan" in desa and "Anggota DPRD" not in desa


# ------------------------------------------------------------------------------------------------
# Kamus usulan


def test_list_filters_by_year_department_and_state(login, season):
    KamusUsulan.objects.create(year=2028, perangkat_daerah=season.mb.pupr, name="Rabat beton 2028", satuan=season.mb.meter, unit_price=Decimal("1300000"))
    client = login("admin")
    assert kamus_names(client.get(KAMUS, {"tahun": 2028})) == {"Rabat beton 2028"}
    assert kamus_names(client.get(KAMUS, {"tahun": 2027, "opd": season.mb.dinkes.pk})) == {"Posyandu keliling"}
    assert kamus_names(client.get(KAMUS, {"tahun": 2027, "opd": season.mb.pupr.pk, "aktif": "0"})) == {"Talud lama"}


def test_department_operator_adds_an_item_of_its_own_department(login, season):
    response = login("op_dinkes").post(KAMUS + "tambah/", kamus_data(season, perangkat_daerah=season.mb.dinkes.pk, name="Kelas ibu hamil"))
    assert response.status_code == 302
    item = KamusUsulan.objects.get(name="Kelas ibu hamil")
    assert (item.year, item.perangkat_daerah, item.unit_price, item.is_active) == (2027, season.mb.dinkes, Decimal("250000000"), True)
    # Another department is not among its choices: nothing is written for PUPR.
    response = login("op_dinkes").post(KAMUS + "tambah/", kamus_data(season))
    assert response.status_code == 200 and "perangkat_daerah" in response.context["form"].errors
    assert not KamusUsulan.objects.filter(name="Jembatan gantung").exists()


def test_a_new_unit_price_reprices_a_draft_but_not_a_submitted_proposal(login, season):
    mb = season.mb
    draft = services.create_usulan(mb.p["desa_bolok"], mb.proposal(kamus=season.road))
    submitted = services.submit_usulan(mb.p["admin"], services.create_usulan(mb.p["desa_bolok"], mb.proposal(kamus=season.road, solution="Kedua")))
    assert draft.estimated_cost == Decimal("180000000")  # 150 m x Rp 1.200.000
    data = kamus_data(season, name=season.road.name, satuan=mb.meter.pk, unit_price="1.500.000")
    response = login("op_pupr").post(f"{KAMUS}{season.road.pk}/ubah/", data)
    assert response.status_code == 302
    assert Usulan.objects.get(pk=draft.pk).estimated_cost == Decimal("225000000")
    assert Usulan.objects.get(pk=submitted.pk).estimated_cost == Decimal("180000000")
    assert "Rabat beton jalan lingkungan (2027) disimpan." in message_texts(login("op_pupr").get(KAMUS))


def test_a_refused_save_shows_the_service_message_on_the_field_and_writes_nothing(login, season):
    before = list(KamusUsulan.objects.order_by("pk").values_list("name", "unit_price", "updated_at"))
    response = login("op_pupr").post(f"{KAMUS}{season.road.pk}/ubah/", kamus_data(season, name="Sumur bor", unit_price="2.000.000"))
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ['Item "Sumur bor" sudah ada dalam kamus 2027 perangkat daerah ini.']
    assert "sudah ada dalam kamus 2027" in response.content.decode()
    response = login("op_pupr").post(KAMUS + "tambah/", kamus_data(season, unit_price="-5"))
    assert response.context["form"].errors["unit_price"] == ["Tidak boleh negatif."]
    # Another department's operator may see PUPR's active item but not change it.
    assert outcome(login("op_dinkes").post(f"{KAMUS}{season.road.pk}/ubah/", kamus_data(season, name=season.road.name))) == 403
    assert list(KamusUsulan.objects.order_by("pk").values_list("name", "unit_price", "updated_at")) == before


def test_the_public_kamus_download_lists_only_active_items(client, season):
    response = client.get(PUBLIC_KAMUS.format(2027))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="kamus-usulan-2027.xlsx"'
    assert sheet_names(response.content) == ACTIVE
    assert sheet_names(client.get(PUBLIC_KAMUS.format(2026)).content) == set()
    assert client.get(PUBLIC_KAMUS.format(1999)).status_code == 404
    assert client.post(PUBLIC_KAMUS.format(2027)).status_code == 405


# ------------------------------------------------------------------------------------------------
# Season settings


def test_admin_sets_a_year_and_a_refusal_stays_on_its_field(login, season):
    client = login("admin")
    response = client.post(SETTING + "2027/", {"outside_kamus_allowed": "", "pokir_days_before": "10", "quota_per_desa": "5", "quota_per_kecamatan": ""})
    assert response.status_code == 302
    setting = SeasonSetting.objects.get(year=2027)
    assert (setting.outside_kamus_allowed, setting.pokir_days_before, setting.quota_per_desa, setting.quota_per_kecamatan) == (False, 10, 5, None)
    listing = client.get(SETTING)
    assert listing.context["rows"][0]["cells"][2] == "10 hari sebelum musrenbang kabupaten (15 Maret 2026 00:00)"
    response = client.post(SETTING + "2027/", {"pokir_days_before": "120", "quota_per_desa": "0"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["pokir_days_before"] == ["Batas pokir antara 0 dan 90 hari sebelum musrenbang kabupaten."]
    assert errors["quota_per_desa"] == ["Kuota paling sedikit 1 usulan; kosongkan bila tanpa kuota."]
    assert SeasonSetting.objects.get(year=2027).pokir_days_before == 10
    assert client.get(SETTING + "tahun/", {"year": "2029"})["Location"] == SETTING + "2029/"


def test_outside_kamus_refused_in_the_proposal_form_when_the_year_forbids_it(login, season):
    SeasonSetting.objects.create(year=2027, outside_kamus_allowed=False)
    data = {"year": "2027", "solution": "Lampu jalan tenaga surya", "volume": "4", "satuan": season.unit.pk,
            "estimated_cost": "60.000.000", "land_status": "not_needed"}
    response = login("desa_bolok").post("/admin/musrenbang/usulan/tambah/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["kamus"] == ["Tahun 2027 usulan wajib dipilih dari kamus usulan."]
    assert not Usulan.objects.exists()
    response = login("desa_bolok").post("/admin/musrenbang/usulan/tambah/", {**data, "kamus": season.well.pk, "satuan": "", "estimated_cost": ""})
    assert response.status_code == 302
    usulan = Usulan.objects.get()
    assert (usulan.kamus, usulan.satuan, usulan.estimated_cost, usulan.target_perangkat_daerah) == (season.well, season.unit, Decimal("340000000"), season.mb.pupr)
    detail = login("desa_bolok").get(f"/admin/musrenbang/usulan/{usulan.pk}/").content.decode()
    assert "Sumur bor, harga satuan Rp 85.000.000 per Unit" in detail


def test_the_form_offers_the_active_kamus_of_the_year_with_its_unit_price(login, season):
    form = login("desa_bolok").get("/admin/musrenbang/usulan/tambah/", {"year": "2027"}).context["form"]
    labels = [label for value, label in form.fields["kamus"].choices if value]
    assert "Rabat beton jalan lingkungan: Rp 1.200.000 per Meter (Dinas Pekerjaan Umum dan Penataan Ruang)" in labels
    assert len(labels) == 3 and not any("Talud lama" in label for label in labels)


# ------------------------------------------------------------------------------------------------
# Anggota DPRD


def test_setwan_adds_a_legislator_links_a_login_and_sets_a_ceiling(login, season):
    login_user = make_user("dprd-citra", Role.ANGGOTA_DPRD)
    client = login("setwan")
    form = client.get(DPRD + "tambah/").context["form"]
    assert {u.username for u in form.fields["user"].queryset} == {"dprd-citra"}  # Ana's and Budi's are taken
    data = {"name": "Citra Bani", "fraksi": "Fraksi Sabana", "daerah_pemilihan": "Kupang 3", "period_start": "2024", "period_end": "2029", "user": login_user.pk}
    response = client.post(DPRD + "tambah/", data)
    citra = AnggotaDprd.objects.get(name="Citra Bani")
    assert response["Location"] == f"{DPRD}{citra.pk}/ubah/" and citra.user == login_user
    response = client.post(f"{DPRD}{citra.pk}/pagu/", {"year": "2027", "amount": "750.000.000"})
    assert response.status_code == 302
    assert PokirCeiling.objects.get(anggota=citra, year=2027).amount == Decimal("750000000")
    page = client.get(f"{DPRD}{citra.pk}/ubah/")
    assert page.context["ceilings"] == [(2027, "Rp 750.000.000")]
    client.post(f"{DPRD}{citra.pk}/pagu/", {"year": "2027", "amount": ""})
    assert not PokirCeiling.objects.filter(anggota=citra).exists()


def test_a_refused_legislator_shows_the_service_messages(login, season):
    client = login("setwan")
    response = client.post(f"{DPRD}{season.ana.pk}/ubah/", {"name": " ", "fraksi": "Fraksi Nusa", "daerah_pemilihan": "Kupang 1",
                                                           "period_start": "2029", "period_end": "2024"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["name"] == ["Nama wajib diisi."] and errors["period_end"] == ["Akhir masa jabatan tidak boleh sebelum awalnya."]
    assert AnggotaDprd.objects.get(pk=season.ana.pk).name == "Ana Manafe"
    response = client.post(f"{DPRD}{season.ana.pk}/pagu/", {"year": "2027", "amount": "-1"})
    assert response.status_code == 200 and response.context["ceiling_form"].errors["amount"] == ["Tidak boleh negatif."]
    assert not PokirCeiling.objects.exists()


# ------------------------------------------------------------------------------------------------
# The schedule's pokir warning


def test_schedule_page_warns_when_the_pokir_deadline_falls_before_the_desa_forum(login, season):
    client = login("admin")
    url = "/admin/musrenbang/jadwal/2027/"
    assert client.get(url).context["warnings"] == []
    data = {
        "opens_desa": "2026-03-20 08:00", "closes_desa": "2026-03-24 17:00",
        "opens_kecamatan": "2026-03-21 08:00", "closes_kecamatan": "2026-03-24 17:00",
        "opens_forum_opd": "", "closes_forum_opd": "",
        "opens_kabupaten": "2026-03-25 08:00", "closes_kabupaten": "2026-04-05 17:00",
    }
    response = client.post(url, data, follow=True)
    warning = ("Batas pokir DPRD (18 Maret 2026 08:00, 7 hari sebelum musrenbang kabupaten) jatuh sebelum musrenbang desa "
               "dibuka: anggota DPRD tidak sempat memasukkan pokir.")
    assert warning in message_texts(response)
    assert MusrenbangSchedule.objects.get(year=2027, level=Level.DESA).opens_at.day == 20
    assert warning in client.get(url).content.decode()
