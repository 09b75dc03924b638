"""Quarterly monitoring in the admin: the department reports a row's triwulan (with a supporting
document kept as a Wagtail document), submits; the verifier returns it with a note, then accepts the
corrected report; capaian is computed; refusals show the service's message; E.81 and E.80 download."""

import io
import re
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.documents import get_document_model

from backoffice.planning.models import PlanStatus, Realisasi, Renja, RenjaRow, ReportingWindow
from backoffice.planning.services import accept_realisasi, get_or_create_renja, report_realisasi, submit_realisasi

from .admin_helpers import WITA, YEAR, add_row, follow_post, notifications, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def monev(world, cycle):
    """Dinas Pendidikan's 2026 Renja, set, one row (target 10, pagu 1.300.000), and the first
    quarter's reporting window open."""
    renja = get_or_create_renja(world.p["admin"], world.dikbud, YEAR)
    row = add_row(world, renja, "1.01.02.2.01.0001", 1_300_000)
    Renja.objects.filter(pk=renja.pk).update(status=PlanStatus.SET, is_published=True)
    ReportingWindow.objects.create(year=YEAR, triwulan=1, opens_at=datetime(YEAR, 4, 1, tzinfo=WITA), closes_at=datetime(YEAR, 4, 15, tzinfo=WITA))
    cycle["clock"]["now"] = datetime(YEAR, 4, 5, 9, tzinfo=WITA)
    return {"renja": Renja.objects.get(pk=renja.pk), "row": row}


def report_url(row, triwulan=1):
    return reverse("cycle_monev:report", args=[row.pk, triwulan])


def test_report_return_correct_accept(world, monev, clients):
    row = monev["row"]
    op, verifier = clients["dikbud"], clients["verifier"]
    assert "Laporkan realisasi" in page_text(op.get(report_url(row)))
    assert "Laporkan realisasi" not in page_text(verifier.get(report_url(row)))  # the verifier does not report

    document = SimpleUploadedFile("foto-fondasi.pdf", b"%PDF-1.4 foto", content_type="application/pdf")
    text = follow_post(op, report_url(row), {"physical": "3", "spent": "300000", "notes": "Fondasi selesai", "document": document})
    assert "Realisasi triwulan 1 disimpan sebagai draf" in text
    report = Realisasi.objects.get(row=row, triwulan=1)
    assert (report.status, report.physical, report.spent, report.notes) == (Realisasi.Status.DRAFT, 3, 300_000, "Fondasi selesai")
    assert report.document.collection.name == "Dokumen Monev" and report.document.collection.get_view_restrictions().exists()
    assert report.document.uploaded_by_user == world.users["dikbud"]

    # The verifier cannot write the department's report; another department sees the published
    # Renja's row but neither the draft report nor a form.
    text = follow_post(verifier, report_url(row), {"physical": "9", "spent": "1"})
    assert "Anda tidak berwenang mengubah realisasi triwulan ini." in text
    other = page_text(clients["dinkes"].get(report_url(row)))
    assert "Belum dilaporkan." in other and "Fondasi selesai" not in other and "Laporkan realisasi" not in other
    report.refresh_from_db()
    assert report.physical == 3

    follow_post(op, reverse("cycle_monev:submit", args=[report.pk]))
    assert Realisasi.objects.get(pk=report.pk).status == Realisasi.Status.SUBMITTED
    assert notifications(verifier)[0]["submitted_realisasi"] == 1
    assert "Realisasi menunggu verifikasi (1)" in page_text(verifier.get(reverse("cycle_monev:index")))

    # Returning needs a note; the department accepting its own report is refused.
    text = follow_post(verifier, reverse("cycle_monev:return", args=[report.pk]), {"note": ""})
    assert "Pengembalian realisasi ditolak: Catatan wajib diisi saat mengembalikan realisasi." in text
    text = follow_post(op, reverse("cycle_monev:accept", args=[report.pk]), {"note": "ok"})
    assert "Penerimaan realisasi ditolak: Anda tidak berwenang atas realisasi ini." in text
    assert Realisasi.objects.get(pk=report.pk).status == Realisasi.Status.SUBMITTED
    follow_post(verifier, reverse("cycle_monev:return", args=[report.pk]), {"note": "Lampirkan foto progres"})
    assert Realisasi.objects.get(pk=report.pk).status == Realisasi.Status.RETURNED

    # The department sees it returned, with the note, on its dashboard and pages.
    assert notifications(op)[0]["returned_realisasi"] == 1
    assert "Lampirkan foto progres" in page_text(op.get(reverse("cycle_monev:index")))
    assert "Lampirkan foto progres" in page_text(op.get(report_url(row)))

    # Corrected (the document is kept when none is uploaded), submitted, accepted.
    follow_post(op, report_url(row), {"physical": "3", "spent": "325000", "notes": "Fondasi selesai"})
    assert Realisasi.objects.get(pk=report.pk).document_id == report.document_id
    follow_post(op, reverse("cycle_monev:submit", args=[report.pk]))
    text = follow_post(verifier, reverse("cycle_monev:accept", args=[report.pk]), {"note": "Lengkap"})
    assert "Realisasi triwulan 1 diterima." in text
    report.refresh_from_db()
    assert (report.status, report.spent, report.verifier_note, report.verified_by) == (Realisasi.Status.ACCEPTED, 325_000, "Lengkap", world.users["verifier"])

    # Capaian is computed: 3 of 10 = 30 %, Rp 325.000 of Rp 1.300.000 = 25 %.
    page = page_text(op.get(reverse("cycle_monev:renja", args=[monev["renja"].pk])))
    assert re.search(r"<td data-capaian-physical>30,00%</td>\s*<td data-capaian-spent>25,00%</td>", page)
    assert "kinerja 30,00%, anggaran 25,00%" in page_text(op.get(report_url(row)))
    # Accepted means closed: no form, and a post is refused by the service.
    assert "Ubah laporan" not in page_text(op.get(report_url(row)))
    text = follow_post(op, report_url(row), {"physical": "4", "spent": "0"})
    assert "berstatus diterima: tidak dapat diubah" in text
    assert Realisasi.objects.get(pk=report.pk).physical == 3
    assert notifications(op)[0]["returned_realisasi"] == 0 and notifications(verifier)[0]["submitted_realisasi"] == 0


def test_refusals_keep_nothing(world, monev, clients):
    row, op = monev["row"], clients["dikbud"]
    # Over the pagu: refused, and the uploaded document is not kept either.
    document = SimpleUploadedFile("rab.pdf", b"%PDF-1.4 rab", content_type="application/pdf")
    text = page_text(op.post(report_url(row), {"physical": "1", "spent": "2000000", "document": document}))
    assert "melebihi pagu Rp 1.300.000" in text
    assert not Realisasi.objects.exists() and not get_document_model().objects.exists()
    # Outside a reporting window, the page says why and the service refuses.
    text = page_text(op.get(report_url(row, 2)))
    assert "Jadwal pelaporan triwulan 2 2026 belum ditetapkan Bappeda." in text
    text = follow_post(op, report_url(row, 2), {"physical": "1", "spent": "1"})
    assert "Realisasi tidak disimpan: Jadwal pelaporan triwulan 2 2026 belum ditetapkan Bappeda." in text
    assert not Realisasi.objects.exists()
    # A Renja not yet set takes no report.
    Renja.objects.filter(pk=monev["renja"].pk).update(status=PlanStatus.VERIFIED)
    text = follow_post(op, report_url(row), {"physical": "1", "spent": "1"})
    assert "Realisasi hanya dilaporkan untuk Renja yang sudah ditetapkan." in text
    assert not Realisasi.objects.exists()


def test_e81_and_e80_download(world, cycle, monev, clients):
    row = RenjaRow.objects.get(pk=monev["row"].pk)
    report = report_realisasi(world.p["dikbud"], row, 1, physical=3, spent=325_000, notes="Fondasi selesai")
    submit_realisasi(world.p["dikbud"], report)
    accept_realisasi(world.p["verifier"], report, "Lengkap")

    response = clients["dikbud"].get(reverse("cycle_monev:e81"), {"tahun": YEAR})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="E81-evaluasi-renja-2026-dinas-pendidikan.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Tabel E.81 Evaluasi Hasil Renja Perangkat Daerah Tahun 2026"
    row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "1.01.02.2.01.0001")
    assert (row[4], row[5], row[6], row[7]) == (10, 1_300_000, 3, 325_000)
    assert "Fondasi selesai" in row[-1]
    # Linked from the monev pages.
    assert f"{reverse('cycle_monev:e81')}?tahun={YEAR}&perangkat_daerah={world.dikbud.pk}" in page_text(clients["dikbud"].get(reverse("cycle_monev:renja", args=[monev["renja"].pk])))

    response = clients["verifier"].get(reverse("cycle_monev:e80"), {"periode": cycle["period"].pk})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value.startswith("Tabel E.80 Evaluasi terhadap Hasil Renstra Perangkat Daerah 2025-2029")
    # A department's download holds its own sheets only, whatever it asks for.
    response = clients["dinkes"].get(reverse("cycle_monev:e81"), {"tahun": YEAR, "perangkat_daerah": world.dikbud.pk})
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Kosong"]
