"""XLSX/CSV downloads of reference listings (Wagtail) and import/export in the Django admin.

Downloads apply the listing's filters and search; codes stay text (a code "1.02" must not become
the number 1.02 in a spreadsheet)."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backoffice.reference.models import PerangkatDaerah, Satuan, SumberDana

from .test_admin_helpers import snippet_url
from .test_admin_helpers import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def xlsx_sheet(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(io.BytesIO(body(response))).active


def test_csv_export_of_a_filtered_listing(superuser_client, tree):
    params = {"program": tree["program"].pk, "edisi": 2021, "export": "csv"}
    response = superuser_client.get(snippet_url("kegiatan"), params)
    assert response["Content-Disposition"] == 'attachment; filename="kegiatan-2021.csv"'
    header, *rows = csv_rows(response)
    assert header == ["kode", "nama", "kode program", "aktif", "berlaku sejak edisi", "diakhiri oleh edisi"]
    assert rows == [
        ["1.01.01.2.01", "Kegiatan 1.01.01.2.01", "1.01.01", "Ya", "Kepmendagri 050-3708/2020", ""],
        ["1.01.01.2.02", "Kegiatan 1.01.01.2.02", "1.01.01", "Ya", "Kepmendagri 050-3708/2020", "Kepmendagri 050-5889/2021"],
    ]


def test_csv_export_follows_search_and_edition(superuser_client, tree):
    rows = csv_rows(superuser_client.get(snippet_url("kegiatan"), {"q": "1.01.01.2.02", "export": "csv"}))[1:]
    assert [r[1] for r in rows] == ["Kegiatan baru 2023"]  # the edition in force only
    rows = csv_rows(superuser_client.get(snippet_url("kegiatan"), {"q": "1.01.01.2.02", "edisi": "semua", "export": "csv"}))[1:]
    assert sorted(r[1] for r in rows) == ["Kegiatan 1.01.01.2.02", "Kegiatan baru 2023"]


def test_xlsx_export_keeps_codes_as_text(superuser_client, tree):
    response = superuser_client.get(snippet_url("bidangurusan"), {"export": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="bidang-urusan-2023.xlsx"'
    sheet = xlsx_sheet(response)
    rows = list(sheet.iter_rows(min_row=2))
    assert [(r[0].value, r[0].data_type) for r in rows] == [("1.01", "s"), ("1.02", "s")]
    assert (rows[0][2].value, rows[0][2].data_type) == ("1", "s")  # kode urusan

    sheet = xlsx_sheet(superuser_client.get(snippet_url("subkegiatan"), {"kegiatan": tree["kegiatan"].pk, "export": "xlsx"}))
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[:6] == ["kode", "nama", "kode kegiatan", "kinerja", "indikator", "satuan"]
    codes = [(row[0].value, row[0].data_type) for row in sheet.iter_rows(min_row=2)]
    assert codes == [(f"1.01.01.2.01.000{n}", "s") for n in (1, 2, 3)]


def test_xlsx_export_of_perangkat_daerah_keeps_nip_and_codes_as_text(superuser_client, perangkat_daerah):
    PerangkatDaerah.objects.filter(pk=perangkat_daerah["dinas"].pk).update(head_nip="196801011990031001")
    sheet = xlsx_sheet(superuser_client.get(snippet_url("perangkatdaerah"), {"bidang_urusan": "1.02", "export": "xlsx"}))
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows == [("1.02.1.01.0.00.02.0000", "Dinas Gabungan", None, "1.02", "1.01", None, None, "Ya", None, None)]

    sheet = xlsx_sheet(superuser_client.get(snippet_url("perangkatdaerah"), {"q": "disdik", "export": "xlsx"}))
    (row,) = list(sheet.iter_rows(min_row=2))
    assert (row[-1].value, row[-1].data_type) == ("196801011990031001", "s")


def test_wilayah_export_follows_filters_with_numeric_coordinates(superuser_client, wilayah):
    wilayah["desa"].centroid_lat, wilayah["desa"].centroid_lng = "-10.2345678", "123.4567890"
    wilayah["desa"].save()
    response = superuser_client.get(snippet_url("wilayah"), {"parent": wilayah["kecamatan"].pk, "kind": "desa", "export": "xlsx"})
    rows = list(xlsx_sheet(response).iter_rows(min_row=2))
    assert [[c.value for c in r] for r in rows] == [["53.01.04.2001", "Uitao", "desa_kelurahan", "53.01.04", "desa", -10.2345678, 123.456789]]
    assert rows[0][0].data_type == "s" and rows[0][5].data_type == "n"


def test_exported_nomenclature_reads_back_with_the_importer_columns(superuser_client, tree):
    # The headers are those the nomenclature importer accepts (kode, nama, aktif).
    from backoffice.reference.services import NOMENCLATURE_COLUMNS
    from backoffice.reference.sheets import read_sheet

    content = body(superuser_client.get(snippet_url("subkegiatan"), {"export": "xlsx"}))
    sheet = read_sheet(content, required=["code", "name", "active"], aliases=NOMENCLATURE_COLUMNS)
    assert len(sheet.rows) == 24
    assert sheet.rows[0][1]["code"] == "1.01.01.2.01.0001"


def test_import_history_and_editions_export(superuser_client, editions):
    rows = csv_rows(superuser_client.get(snippet_url("nomenclatureedition"), {"export": "csv"}))
    assert rows[0][:2] == ["nama regulasi", "tahun berlaku"]
    assert [r[0] for r in rows[1:]] == ["Kepmendagri 050-5889/2021", "Kepmendagri 050-3708/2020"]
    assert csv_rows(superuser_client.get(snippet_url("importrun"), {"export": "csv"}))[0][:3] == ["waktu", "jenis data", "berkas"]


# --------------------------------------------------------------------------------------------
# Django admin (django-import-export)


def test_django_admin_export_of_sumber_dana(superuser_client):
    SumberDana.objects.create(code="1.1", name="Pendapatan Asli Daerah", group="PAD")
    SumberDana.objects.create(code="2.1", name="Dana Alokasi Umum", group="Transfer", is_active=False)
    url = "/django-admin/reference/sumberdana/export/"
    form = superuser_client.get(url).context["form"]
    data = {name: "on" for name, f in form.fields.items() if getattr(f, "is_selectable_field", False)}
    data["format"] = next(value for value, label in form.fields["format"].choices if "csv" in str(label).lower())
    if "resource" in form.fields:
        data["resource"] = 0
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert csv_rows(response) == [
        ["kode", "nama", "kelompok", "aktif"],
        ["1.1", "Pendapatan Asli Daerah", "PAD", "Ya"],
        ["2.1", "Dana Alokasi Umum", "Transfer", "Tidak"],
    ]


def test_django_admin_import_of_satuan(superuser_client):
    Satuan.objects.create(name="Dokumen", description="lama")
    sheet = "nama,keterangan\nDokumen,Naskah tersusun\nUnit,\n".encode()
    form = superuser_client.get("/django-admin/reference/satuan/import/").context["form"]
    data = {
        "import_file": SimpleUploadedFile("satuan.csv", sheet, content_type="text/csv"),
        "format": next(value for value, label in form.fields["format"].choices if "csv" in str(label).lower()),
    }
    if "resource" in form.fields:
        data["resource"] = 0
    response = superuser_client.post("/django-admin/reference/satuan/import/", data)
    assert response.status_code == 200
    assert not Satuan.objects.filter(name="Unit").exists()  # confirmation first
    confirm = response.context["confirm_form"]
    response = superuser_client.post("/django-admin/reference/satuan/process_import/", confirm.initial)
    assert response.status_code == 302
    assert dict(Satuan.objects.values_list("name", "description")) == {"Dokumen": "Naskah tersusun", "Unit": ""}


def test_django_admin_pages_render(superuser_client, tree):
    for url in ("/django-admin/", "/django-admin/auth/user/", "/django-admin/auth/group/",
                "/django-admin/reference/subkegiatan/export/", "/django-admin/reference/wilayah/",
                "/django-admin/reference/perangkatdaerah/", "/django-admin/reference/importrun/"):
        assert superuser_client.get(url).status_code == 200, url
