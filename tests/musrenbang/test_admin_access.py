"""The permission matrix in the Musrenbang admin: each role (and a staff user without one) against
the list, a proposal's page, its edit form, the export and every step, on proposals of its own and
of another territory. Forbidden means a 403 (visible, not yours to act on) or a 404 (not even
visible: guessing another desa's id), and nothing changed."""

import io

import pytest
from openpyxl import load_workbook

from backoffice.musrenbang.models import Status, Usulan

from .test_admin_helpers import *  # noqa: F403  (fixtures)
from .test_admin_helpers import BASE, ROLES, SEES, codes_in, outcome, snapshot

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"


@pytest.mark.parametrize("name", ROLES)
def test_list_shows_exactly_the_role_scope(login, world, name):
    response = login(name).get(BASE)
    assert response.status_code == 200
    assert codes_in(response) == {world[key].tracking_code for key in SEES[name]}


@pytest.mark.parametrize("name", ROLES)
def test_export_rows_match_the_scope(login, world, name):
    response = login(name).get(BASE + "ekspor/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = next(i for i, row in enumerate(sheet.iter_rows(values_only=True), start=1) if row[0] == "Kode lacak")
    codes = {row[0] for row in sheet.iter_rows(min_row=header + 1, values_only=True)}
    assert codes == {world[key].tracking_code for key in SEES[name]}


@pytest.mark.parametrize("name", ROLES)
def test_detail_page_is_a_404_outside_the_scope(login, world, name):
    client = login(name)
    for key, usulan in world.items():
        response = client.get(f"{BASE}{usulan.pk}/")
        assert response.status_code == (200 if key in SEES[name] else 404), (name, key)
        receipt = client.get(f"{BASE}{usulan.pk}/tanda-terima/")
        assert receipt.status_code == (200 if key in SEES[name] else 404), (name, key)
    assert client.get(f"{BASE}999999/").status_code == 404


def test_staff_without_a_role_gets_nothing(login, world):
    client = login("staff")
    before = {key: snapshot(u) for key, u in world.items()}
    for url in [BASE, BASE + "ekspor/", BASE + "tambah/", f"{BASE}{world['submitted'].pk}/", f"{BASE}{world['draft'].pk}/ubah/",
                "/admin/musrenbang/peringkat/", "/admin/musrenbang/jadwal/", "/admin/musrenbang/impor/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), url
    response = client.post(f"{BASE}{world['draft'].pk}/aksi/ajukan/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    response = client.post(BASE, {"action": "submit", "usulan": [world["draft"].pk]})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert {key: snapshot(u) for key, u in world.items()} == before


def test_menu_shows_each_role_its_pages(login, world):
    def menu(name):
        html = login(name).get("/admin/").content.decode()
        return {label for label in ("Musrenbang", "Peringkat kecamatan", "Jadwal", "Impor usulan") if f'"{label}"' in html or f">{label}<" in html}

    assert menu("admin") == {"Musrenbang", "Peringkat kecamatan", "Jadwal", "Impor usulan"}
    assert menu("verifier") == {"Musrenbang", "Jadwal"}
    assert menu("kec_barat") == {"Musrenbang", "Peringkat kecamatan"}
    assert menu("desa_bolok") == {"Musrenbang"}
    assert menu("opd_pupr") == {"Musrenbang", "Jadwal"}


# ------------------------------------------------------------------------------------------------
# Editing

EDIT_DATA = {
    "solution": "Diubah lewat admin", "problem": "", "address": "", "latitude": "", "longitude": "", "volume": "10",
    "estimated_cost": "1.000.000", "target_perangkat_daerah": "", "land_status": "not_needed", "beneficiaries": "",
}


@pytest.mark.parametrize(
    "name, key, expected",
    [
        ("admin", "draft", 200), ("desa_bolok", "draft", 200),
        ("desa_babau", "draft", 404), ("kec_barat", "draft", 404), ("opd_pupr", "draft", 404),
        ("verifier", "draft", 403), ("kec_barat", "submitted", 403), ("opd_pupr", "routed", 403), ("kec_timur", "babau", 403),
        ("desa_bolok", "submitted", 302), ("admin", "routed", 302),  # not editable once submitted: back to its page
    ],
)
def test_edit_matrix(login, world, mb, name, key, expected):
    usulan = world[key]
    client = login(name)
    url = f"{BASE}{usulan.pk}/ubah/"
    response = client.get(url)
    assert outcome(response) == expected
    if expected == 302:
        assert response["Location"] == f"{BASE}{usulan.pk}/"
    before = snapshot(usulan)
    response = client.post(url, {**EDIT_DATA, "satuan": mb.meter.pk, "desa": usulan.desa_id})
    if expected == 200:
        assert response.status_code == 302
        assert Usulan.objects.get(pk=usulan.pk).solution == "Diubah lewat admin"
    else:
        assert outcome(response) == expected
        assert snapshot(usulan) == before


@pytest.mark.parametrize("name, expected", [("admin", 200), ("desa_bolok", 200), ("verifier", 403), ("kec_barat", 403), ("opd_pupr", 403)])
def test_only_villages_and_bappeda_add(login, mb, name, expected):
    assert outcome(login(name).get(BASE + "tambah/")) == expected


# ------------------------------------------------------------------------------------------------
# Every step, for every role, on a Bolok proposal routed (when it gets that far) to PUPR

STEP_CASES = [
    # slug, status it needs, status it leads to, roles that may take it
    ("ajukan", Status.DRAFT, Status.SUBMITTED, {"admin", "desa_bolok"}),
    ("teruskan", Status.SUBMITTED, Status.ROUTED, {"admin", "kec_barat"}),
    ("kembalikan", Status.SUBMITTED, Status.RETURNED, {"admin", "kec_barat"}),
    ("tolak-kecamatan", Status.SUBMITTED, Status.REJECTED_KECAMATAN, {"admin", "kec_barat"}),
    ("terima", Status.ROUTED, Status.ACCEPTED, {"admin", "opd_pupr"}),
    ("tunda", Status.ROUTED, Status.POSTPONED, {"admin", "opd_pupr"}),
    ("tolak-opd", Status.ROUTED, Status.REJECTED_OPD, {"admin", "opd_pupr"}),
    ("sepakati", Status.ACCEPTED, Status.AGREED, {"admin"}),
    ("masukkan-renja", Status.AGREED, Status.ADOPTED, {"admin", "opd_pupr"}),
    ("tidak-didanai", Status.AGREED, Status.NOT_FUNDED, {"admin"}),
    ("alihkan", Status.POSTPONED, Status.CARRIED_OVER, {"admin"}),
]


def visible_to(name, status):
    """Who sees a Bolok proposal in `status` (routed to PUPR once past the kecamatan)."""
    if name in ("admin", "verifier", "desa_bolok"):
        return True
    if name == "kec_barat":
        return status != Status.DRAFT
    if name == "opd_pupr":
        return status not in (Status.DRAFT, Status.SUBMITTED)
    return False


def step_data(slug, mb, renja_row):
    return {
        "teruskan": {"teruskan-perangkat_daerah": mb.pupr.pk},
        "kembalikan": {"kembalikan-reason": "Lengkapi foto lokasi"},
        "tolak-kecamatan": {"tolak-kecamatan-reason": "Sudah dibiayai Dana Desa"},
        "tunda": {"tunda-reason": "Menunggu jaringan listrik"},
        "tolak-opd": {"tolak-opd-reason": "Di luar kewenangan"},
        "masukkan-renja": {"masukkan-renja-renja_row": renja_row.pk},
        "tidak-didanai": {"tidak-didanai-reason": "Pagu tidak mencukupi"},
    }.get(slug, {})


@pytest.mark.parametrize("slug, source, target, owners", STEP_CASES, ids=[case[0] for case in STEP_CASES])
@pytest.mark.parametrize("name", ROLES)
def test_each_step_for_each_role(login, make, mb, renja_row, slug, source, target, owners, name):
    usulan = make(source)
    before = snapshot(usulan)
    response = login(name).post(f"{BASE}{usulan.pk}/aksi/{slug}/", step_data(slug, mb, renja_row))
    if name in owners:
        assert response.status_code == 302 and response["Location"] == f"{BASE}{usulan.pk}/"
        assert Usulan.objects.get(pk=usulan.pk).status == target
    else:
        assert outcome(response) == (403 if visible_to(name, source) else 404)
        assert snapshot(usulan) == before


def test_step_buttons_follow_role_and_status(login, world):
    def slugs(name, key):
        return [item["ui"].slug for item in login(name).get(f"{BASE}{world[key].pk}/").context["steps"]]

    assert slugs("desa_bolok", "draft") == ["ajukan"]
    assert slugs("kec_barat", "submitted") == ["teruskan", "kembalikan", "tolak-kecamatan"]
    assert slugs("opd_pupr", "routed") == ["terima", "tunda", "tolak-opd"]
    assert slugs("kec_barat", "routed") == slugs("verifier", "submitted") == slugs("desa_bolok", "submitted") == []


def test_a_step_outside_the_role_scope_by_bulk_is_refused_per_item(login, world):
    """Ids of other territories in a bulk request are named as not found and left alone."""
    before = snapshot(world["babau"])
    response = login("kec_barat").post(BASE, {"action": "return", "reason": "Lengkapi", "usulan": [world["babau"].pk, world["submitted"].pk]}, follow=True)
    texts = [str(m).strip() for m in response.context["messages"]]
    assert f"Usulan #{world['babau'].pk} tidak ditemukan." in texts
    assert snapshot(world["babau"]) == before
    assert Usulan.objects.get(pk=world["submitted"].pk).status == Status.RETURNED


@pytest.mark.parametrize("name", ["verifier", "kec_barat", "desa_bolok", "opd_pupr"])
def test_schedules_and_import_are_bappeda_admin_pages(login, name):
    client = login(name)
    assert outcome(client.get("/admin/musrenbang/jadwal/2027/")) == 403
    assert outcome(client.post("/admin/musrenbang/jadwal/2027/", {})) == 403
    assert outcome(client.get("/admin/musrenbang/impor/")) == 403


@pytest.mark.parametrize("name, expected", [("admin", 200), ("kec_barat", 200), ("verifier", 403), ("desa_bolok", 403), ("opd_pupr", 403)])
def test_ranking_page_is_for_the_kecamatan(login, world, name, expected):
    assert outcome(login(name).get("/admin/musrenbang/peringkat/")) == expected
