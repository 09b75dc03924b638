"""Impor Data: upload -> dry-run preview (nothing written) -> confirm (the real import)."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from backoffice.reference.models import (
    ImportRun,
    NomenclatureEdition,
    PerangkatDaerah,
    SubKegiatan,
    Urusan,
    Wilayah,
)

from .test_admin_helpers import snippet_url
from .test_admin_helpers import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db

START = "/admin/referensi/impor/"
NOMENCLATURE_FILE = "nomenklatur/simcan_nomenklatur_permendagri90_kep050-3708.csv"


@pytest.fixture(autouse=True)
def upload_storage(settings, tmp_path):
    """Uploads wait between preview and confirm in a private file storage: a temporary one here."""
    settings.STORAGES = {
        **settings.STORAGES,
        "reference_imports": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


def staged_files(root):
    """The kinds of files waiting in the upload storage ("state.json", "source-0", ...)."""
    folder = root / "reference-imports"
    return sorted(p.name.split("-", 1)[1] for p in folder.iterdir()) if folder.exists() else []


def upload(client, kind, name, content, **fields):
    data = {"kind": kind, "source": SimpleUploadedFile(name, content), **fields}
    return client.post(START, data)


def test_upload_form_renders(superuser_client):
    response = superuser_client.get(START)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Impor Data", "Nomenklatur", "Wilayah", "Perangkat Daerah", "Nama edisi", "Batas wilayah (GeoJSON)"):
        assert text in html, text


def test_real_nomenclature_preview_then_confirm(superuser_client, superuser, shared_data, upload_storage):
    content = (shared_data / NOMENCLATURE_FILE).read_bytes()
    response = upload(
        superuser_client, "nomenklatur", "kep050-3708.csv", content,
        edition_name="Kepmendagri 050-3708/2020", year=2021, level_pemda="kab",
    )
    assert response.status_code == 302
    preview_url = response["Location"]

    # The preview: counts per level and action, the changes, nothing written yet.
    response = superuser_client.get(preview_url)
    assert response.status_code == 200
    assert response.context["status"] == "preview"
    in_force = {row["level"]: row["in_force"] for row in response.context["count_rows"]}
    assert in_force == {"urusan": 10, "bidang urusan": 46, "program": 192, "kegiatan": 466, "sub kegiatan": 2254}
    assert response.context["count_headers"] == ["ditambah"]
    assert response.context["change_count"] > 3000
    assert len(response.context["changes_page"]) == 100  # paginated
    html = response.content.decode()
    assert "Uji coba: belum ada data yang ditulis." in html and "Impor sekarang" in html
    assert not SubKegiatan.objects.exists() and not NomenclatureEdition.objects.exists()
    assert not ImportRun.objects.exists()
    assert staged_files(upload_storage) == ["source-0", "state.json"]

    # Pages and the per-action view of the change list.
    response = superuser_client.get(preview_url, {"aksi": "added", "p": 2})
    assert response.context["changes_page"].number == 2

    # Confirm: the real import of the same file.
    token = preview_url.rstrip("/").rsplit("/", 1)[1]
    response = superuser_client.post(f"{START}{token}/konfirmasi/")
    assert response.status_code == 302 and response["Location"] == preview_url
    edition = NomenclatureEdition.objects.get(name="Kepmendagri 050-3708/2020")
    assert edition.year == 2021
    assert SubKegiatan.objects.in_force(edition).count() == 2254
    run = ImportRun.objects.get()
    assert (run.kind, run.user, run.edition) == ("nomenklatur", superuser, edition)

    response = superuser_client.get(preview_url)
    assert response.context["status"] == "done"
    assert response.context["run"] == run
    assert snippet_url("importrun", "inspect", run.pk) in response.content.decode()
    assert staged_files(upload_storage) == ["state.json"]  # the upload itself is gone

    # A second click on confirm does not import again.
    superuser_client.post(f"{START}{token}/konfirmasi/")
    assert ImportRun.objects.count() == 1


BAD_NOMENCLATURE = """kode,nama
1,URUSAN PEMERINTAHAN WAJIB
1.0x,BIDANG DENGAN KODE RUSAK
1.02.02,PROGRAM TANPA INDUK
""".encode()


def test_bad_file_shows_row_errors_and_writes_nothing(superuser_client, upload_storage):
    response = upload(superuser_client, "nomenklatur", "rusak.csv", BAD_NOMENCLATURE, edition_name="Uji", year=2021, level_pemda="kab")
    response = superuser_client.get(response["Location"])
    assert response.status_code == 200
    assert response.context["status"] == "refused"
    errors = list(response.context["errors_page"])
    assert [(row, column) for row, column, _ in errors] == [(3, "kode"), (4, "kode")]
    assert "1.0x" in errors[0][2]
    assert "Induk '1.02'" in errors[1][2]
    html = response.content.decode()
    assert "Berkas ditolak: 2 kesalahan. Tidak ada data yang ditulis." in html
    assert "Impor sekarang" not in html
    assert not Urusan.objects.exists() and not NomenclatureEdition.objects.exists() and not ImportRun.objects.exists()
    assert staged_files(upload_storage) == ["state.json"]  # a refused upload is not kept


def test_file_that_is_not_a_sheet_is_refused(superuser_client):
    response = upload(superuser_client, "perangkat_daerah", "opd.csv", b"\x00\x01\x02binary")
    response = superuser_client.get(response["Location"])
    assert response.context["status"] == "refused"
    assert "bukan lembar kerja" in response.context["errors_page"][0][2]


def test_form_errors_for_missing_edition_and_wrong_file_type(superuser_client):
    response = upload(superuser_client, "nomenklatur", "nomenklatur.pdf", b"%PDF", edition_name="")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["source"] == ["Berkas harus CSV atau XLSX."]
    assert errors["edition_name"] == ["Isi nama edisi nomenklatur yang diimpor."]


def test_perangkat_daerah_import_from_the_admin(superuser_client, shared_data):
    content = (shared_data / "opd/morowali_opd_kode_unit_organisasi.csv").read_bytes()
    response = superuser_client.get(upload(superuser_client, "perangkat_daerah", "opd.csv", content)["Location"])
    assert response.context["status"] == "preview"
    assert not PerangkatDaerah.objects.exists()
    token = response.context["staged"].token
    superuser_client.post(f"{START}{token}/konfirmasi/")
    assert PerangkatDaerah.objects.count() == response.context["count_rows"][0]["cells"][0]


def test_wilayah_import_with_boundaries_and_centroids(superuser_client, shared_data):
    folder = shared_data / "wilayah"
    data = {
        "kind": "wilayah",
        "source": SimpleUploadedFile("wilayah.csv", (folder / "wilayah_kab_kupang_5301.csv").read_bytes()),
        "boundaries": [
            SimpleUploadedFile("kecamatan.geojson", (folder / "kab_kupang_5301_kecamatan_boundaries.geojson").read_bytes()),
            SimpleUploadedFile("desa.geojson", (folder / "kab_kupang_5301_desa_boundaries.geojson").read_bytes()),
        ],
        "centroids": SimpleUploadedFile("centroids.csv", (folder / "kab_kupang_5301_centroids.csv").read_bytes()),
        "within": "53.01",
    }
    response = superuser_client.get(superuser_client.post(START, data)["Location"])
    assert response.context["status"] == "preview", response.context.get("errors_page")
    assert not Wilayah.objects.exists()
    superuser_client.post(f"{START}{response.context['staged'].token}/konfirmasi/")
    assert Wilayah.objects.filter(level="kecamatan").count() == 24
    assert Wilayah.objects.filter(level="desa_kelurahan").count() == 177
    assert Wilayah.objects.filter(level="kecamatan", boundary__isnull=False).count() == 24
    assert ImportRun.objects.get().kind == "wilayah"


def test_cancel_discards_the_upload(superuser_client, upload_storage):
    response = upload(superuser_client, "perangkat_daerah", "opd.csv", b"kode unit,nama\n")
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    superuser_client.post(f"{START}{token}/batal/")
    assert staged_files(upload_storage) == []
    assert superuser_client.get(f"{START}{token}/").status_code == 404


def test_another_session_cannot_reach_an_upload(superuser_client, superuser):
    response = upload(superuser_client, "nomenklatur", "rusak.csv", BAD_NOMENCLATURE, edition_name="Uji", year=2021)
    other = Client()
    other.force_login(superuser)
    assert other.get(response["Location"]).status_code == 404
    assert other.post(response["Location"] + "konfirmasi/").status_code == 404


def test_users_without_permission_are_refused(staff_client, viewer_client):
    assert staff_client.get(START).status_code == 302  # not even an admin user: to the login page
    response = viewer_client.get(START)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    response = viewer_client.post(START, {"kind": "nomenklatur", "source": SimpleUploadedFile("x.csv", BAD_NOMENCLATURE)})
    assert response.status_code == 302
    assert "Impor Data" not in viewer_client.get("/admin/").content.decode()


def test_wilayah_importer_may_import_wilayah_only(viewer, viewer_client):
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=["add_wilayah", "change_wilayah"]))
    response = viewer_client.get(START)
    assert response.status_code == 200
    assert [key for key, _ in response.context["form"].fields["kind"].choices] == ["wilayah"]
    response = upload(viewer_client, "nomenklatur", "x.csv", BAD_NOMENCLATURE, edition_name="Uji", year=2021)
    assert response.status_code == 200 and "kind" in response.context["form"].errors
    assert "Impor Data" in viewer_client.get("/admin/").content.decode()


def test_abandoned_uploads_are_purged_after_a_day(superuser_client, upload_storage):
    import os
    import time

    upload(superuser_client, "perangkat_daerah", "opd.csv", b"kode unit,nama\n1.01.0.00.0.00.01.0000,Dinas\n")
    old = time.time() - 2 * 24 * 3600
    for path in (upload_storage / "reference-imports").iterdir():
        os.utime(path, (old, old))
    upload(superuser_client, "perangkat_daerah", "opd.csv", b"kode unit,nama\n1.01.0.00.0.00.01.0000,Dinas\n")
    assert staged_files(upload_storage) == ["source-0", "state.json"]  # only the new upload
