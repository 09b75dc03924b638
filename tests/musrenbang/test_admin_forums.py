"""Forum records and the regulation tables over HTTP: who may open which page, a forum closes only
with its berita acara and then keeps its lists as they stood, participants are added and removed
while it is open, and T-C.32, T-B.57 and the priority list download as XLSX with numbers as
numbers and each sheet naming its year and unit."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from backoffice.musrenbang import forums, services
from backoffice.musrenbang.models import Forum, ForumItem, Level, Usulan

from .test_admin_helpers import *  # noqa: F403  (fixtures)
from .test_admin_helpers import MATRIX_ROLES, outcome, status_of

pytestmark = pytest.mark.django_db
FORUM = "/admin/musrenbang/forum/"
TABEL = "/admin/musrenbang/tabel/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(name="berita-acara.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 ditandatangani", content_type="application/pdf")


@pytest.fixture
def records(season, submitted):
    """Kupang Barat's kecamatan forum (Jalan routed to PUPR, the others still submitted) and PUPR's forum."""
    p, mb = season.p, season.mb
    services.route_usulan(p["kec_barat"], submitted["jalan"], mb.pupr, priority=1)
    kecamatan = forums.save_forum(p["kec_barat"], None, level=Level.KECAMATAN, year=2027, kecamatan=mb.barat, held_on=season.at(2, 12).date(),
                                  place="Aula Kantor Camat", participant_count=40)
    opd = forums.save_forum(p["opd_pupr"], None, level=Level.FORUM_OPD, year=2027, perangkat_daerah=mb.pupr, held_on=season.at(3, 5).date(),
                            place="Aula Dinas PUPR", participant_count=25)
    return {"kecamatan": kecamatan, "opd": opd}


# ------------------------------------------------------------------------------------------------
# Who may open what


EXPECTED = {
    # role: (forum list, new forum, Kupang Barat's forum, PUPR's forum, tables page, T-C.32, T-B.57, priority page, priority XLSX)
    "admin": (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "verifier": (200, 403, 200, 200, 200, 200, 200, 200, 200),
    "kec_barat": (200, 200, 200, 404, 200, 403, 403, 200, 200),
    "kec_timur": (200, 200, 404, 404, 200, 403, 403, 404, 404),
    "desa_bolok": (200, 200, 404, 404, 403, 403, 403, 403, 403),
    "opd_pupr": (200, 200, 404, 200, 200, 200, 200, 403, 403),
    "opd_dinkes": (200, 200, 404, 404, 200, 200, 200, 403, 403),
    "setwan": (403, 403, 403, 403, 200, 403, 200, 403, 403),
    "dprd_ana": (403, 403, 403, 403, 200, 403, 200, 403, 403),
    "anonymous": ("login",) * 9,
}


@pytest.mark.parametrize("name", MATRIX_ROLES)
def test_role_matrix(login, season, records, name):
    barat = season.mb.barat.pk
    urls = [FORUM, FORUM + "tambah/", f"{FORUM}{records['kecamatan'].pk}/", f"{FORUM}{records['opd'].pk}/", TABEL,
            TABEL + "t-c32/?tahun=2027", TABEL + "t-b57/?tahun=2027", f"{TABEL}prioritas/?kecamatan={barat}&tahun=2027",
            f"{TABEL}prioritas/xlsx/?kecamatan={barat}&tahun=2027"]
    assert tuple(status_of(login, name, url) for url in urls) == EXPECTED[name]


@pytest.mark.parametrize("name, expected", [("admin", {"kecamatan", "opd"}), ("verifier", {"kecamatan", "opd"}), ("kec_barat", {"kecamatan"}),
                                            ("kec_timur", set()), ("opd_pupr", {"opd"}), ("opd_dinkes", set())])
def test_forum_list_is_scoped(login, records, name, expected):
    rows = login(name).get(FORUM).context["rows"]
    assert {row["forum"].pk for row in rows} == {records[key].pk for key in expected}


@pytest.mark.parametrize("name", ["verifier", "kec_timur", "opd_dinkes", "desa_bolok"])
def test_others_cannot_change_close_or_add_participants(login, records, name):
    forum = records["kecamatan"]
    client = login(name)
    for url in [f"{FORUM}{forum.pk}/ubah/", f"{FORUM}{forum.pk}/peserta/", f"{FORUM}{forum.pk}/tutup/"]:
        assert outcome(client.post(url, {"name": "Penyusup", "institution": "-"})) in (403, 404)
    assert (Forum.objects.get(pk=forum.pk).closed_at, forum.participants.count()) == (None, 0)


# ------------------------------------------------------------------------------------------------
# A forum's record


def test_kecamatan_records_a_forum_on_the_page(login, season):
    client = login("kec_barat")
    form = client.get(FORUM + "tambah/").context["form"]
    assert [value for value, _ in form.fields["level"].choices] == ["kecamatan"]
    assert list(form.fields["kecamatan"].queryset) == [season.mb.barat]
    response = client.post(FORUM + "tambah/", {"level": "kecamatan", "year": 2027, "kecamatan": season.mb.barat.pk, "held_on": "2026-02-12", "place": "", "participant_count": "40"})
    assert response.context["form"].errors == {"place": ["Tempat wajib diisi."]}
    assert Forum.objects.count() == 0
    response = client.post(FORUM + "tambah/", {"level": "kecamatan", "year": 2027, "kecamatan": season.mb.barat.pk, "held_on": "2026-02-12",
                                               "place": "Aula Kantor Camat", "participant_count": "40", "berita_acara": pdf()})
    forum = Forum.objects.get()
    assert response["Location"] == f"{FORUM}{forum.pk}/"
    assert (forum.kecamatan, forum.place, forum.participant_count, forum.berita_acara.name.endswith(".pdf")) == (season.mb.barat, "Aula Kantor Camat", 40, True)
    assert client.get(f"{FORUM}{forum.pk}/berita-acara/").status_code == 200
    assert login("kec_timur").get(f"{FORUM}{forum.pk}/berita-acara/").status_code == 404
    # The same kecamatan and year twice is refused on the field.
    response = client.post(FORUM + "tambah/", {"level": "kecamatan", "year": 2027, "kecamatan": season.mb.barat.pk, "held_on": "2026-02-13",
                                               "place": "Balai", "participant_count": "10"})
    assert response.context["form"].errors == {"kecamatan": ["Forum ini sudah dicatat untuk tahun 2027."]}


def test_participants_are_added_and_removed_while_open(login, records):
    forum = records["kecamatan"]
    client = login("kec_barat")
    response = client.post(f"{FORUM}{forum.pk}/peserta/", {"name": "", "institution": ""})
    assert response.context["participant_form"].errors == {"name": ["Nama peserta wajib diisi."], "institution": ["Lembaga/unsur peserta wajib diisi."]}
    client.post(f"{FORUM}{forum.pk}/peserta/", {"name": "Maria Tefa", "institution": "PKK Desa Bolok", "is_delegate": "on"})
    client.post(f"{FORUM}{forum.pk}/peserta/", {"name": "Yakob Bana", "institution": "Tokoh masyarakat"})
    assert list(forum.participants.values_list("name", "is_delegate")) == [("Maria Tefa", True), ("Yakob Bana", False)]
    yakob = forum.participants.get(name="Yakob Bana")
    assert client.post(f"{FORUM}{forum.pk}/peserta/{yakob.pk}/hapus/").status_code == 302
    page = client.get(f"{FORUM}{forum.pk}/")
    assert [p.name for p in page.context["participants"]] == ["Maria Tefa"]


def test_a_forum_closes_only_with_berita_acara_and_its_lists_stay_frozen(login, season, records, submitted):
    forum = records["kecamatan"]
    client = login("kec_barat")
    response = client.post(f"{FORUM}{forum.pk}/tutup/")
    assert response.status_code == 200
    assert response.context["close_errors"] == ["Unggah berita acara yang sudah ditandatangani sebelum menutup forum."]
    assert "Unggah berita acara yang sudah ditandatangani sebelum menutup forum." in response.content.decode()
    assert Forum.objects.get(pk=forum.pk).closed_at is None and ForumItem.objects.count() == 0

    edit = {"level": "kecamatan", "year": 2027, "kecamatan": season.mb.barat.pk, "held_on": "2026-02-12", "place": "Aula Kantor Camat",
            "participant_count": "42", "berita_acara": pdf()}
    assert client.post(f"{FORUM}{forum.pk}/ubah/", edit).status_code == 302
    assert client.post(f"{FORUM}{forum.pk}/tutup/").status_code == 302
    forum.refresh_from_db()
    assert forum.closed_at is not None and forum.participant_count == 42

    # The proposals change after closing; the forum's page still shows them as they were.
    Usulan.objects.filter(pk=submitted["jalan"].pk).update(solution="Diubah sesudah forum", volume=Decimal("1"))
    Usulan.objects.filter(pk=submitted["sumur"].pk).update(solution="Sumur diubah")
    page = client.get(f"{FORUM}{forum.pk}/")
    agreed = [(item.tracking_code, item.solution, volume) for item, volume, _, _ in page.context["agreed"]]
    assert agreed == [(submitted["jalan"].tracking_code, "Jalan", "150")]
    assert {item.solution for item, *_ in page.context["not_agreed"]} == {"Sumur", "Posyandu"}
    html = page.content.decode()
    assert "Diubah sesudah forum" not in html and "Sumur diubah" not in html and "Jalan" in html

    # Closed: no more edits, participants or closing.
    response = client.get(f"{FORUM}{forum.pk}/ubah/")
    assert response.status_code == 302 and response["Location"] == f"{FORUM}{forum.pk}/"
    response = client.post(f"{FORUM}{forum.pk}/peserta/", {"name": "Terlambat", "institution": "-"})
    assert response.context["participant_form"].non_field_errors() == [f"{forum} sudah ditutup: daftar peserta tidak dapat diubah."]
    assert ForumItem.objects.filter(forum=forum).count() == 3

    # The printable priority list reads the frozen copy, grouped by department.
    page = client.get(f"{TABEL}prioritas/?tahun=2027")
    assert page.context["source"].startswith("Berita acara forum kecamatan, ditutup")
    assert [(g["name"], [i.solution for i, *_ in g["items"]]) for g in page.context["groups"]] == [("Dinas Pekerjaan Umum dan Penataan Ruang", ["Jalan"])]


# ------------------------------------------------------------------------------------------------
# The regulation tables


def rows_of(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    return workbook, [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_three_tables_download_with_numbers_as_numbers_and_their_year_and_unit(login, season, clock, records, submitted):
    p, mb = season.p, season.mb
    clock["now"] = season.at(3, 5)  # the forum perangkat daerah window
    services.accept_usulan(p["opd_pupr"], submitted["jalan"], volume=Decimal("120"), cost=Decimal("150000000"), reason="Disesuaikan dengan lebar jalan")

    workbook, rows = rows_of(login("opd_pupr").get(TABEL + "t-c32/?tahun=2027"))
    titles = [row[0] for row in rows[:3]]
    assert titles[1:] == [mb.pupr.name, "Tahun 2027"] and titles[0].startswith("Tabel T-C.32")
    data = next(row for row in rows if row[7] == submitted["jalan"].tracking_code)
    assert (data[4], data[8]) == (120, 150000000) and isinstance(data[4], (int, float)) and isinstance(data[8], (int, float))
    assert login("opd_dinkes").get(TABEL + "t-c32/?tahun=2027").status_code == 200
    _, other = rows_of(login("opd_dinkes").get(TABEL + "t-c32/?tahun=2027"))
    assert submitted["jalan"].tracking_code not in {row[7] for row in other}

    pokir = services.create_usulan(p["dprd_ana"], mb.proposal(desa=None, proposer_level=Usulan.ProposerLevel.DPRD, anggota_dprd=season.ana,
                                                               volume=Decimal("2"), estimated_cost=Decimal("170000000"), solution="Pokir sumur bor"))
    services.submit_usulan(p["dprd_ana"], pokir)
    _, rows = rows_of(login("setwan").get(TABEL + "t-b57/?tahun=2027"))
    assert rows[2][0] == "Tahun 2027" and rows[0][0].startswith("Tabel T-B.57")
    data = next(row for row in rows if row[11] == pokir.tracking_code)
    assert (data[3], data[8], data[10]) == (2, "Ana Manafe", 170000000) and isinstance(data[10], (int, float))

    workbook, rows = rows_of(login("kec_barat").get(TABEL + "prioritas/xlsx/?tahun=2027"))
    assert workbook.active.title == "Kupang Barat"
    assert [row[0] for row in rows[1:3]] == ["Kecamatan Kupang Barat", "Tahun 2027"]
    data = next(row for row in rows if row[1] == submitted["jalan"].tracking_code)
    assert (data[4], data[6]) == (120, 150000000) and isinstance(data[6], (int, float))
