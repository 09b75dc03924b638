"""The village's simple form: its desa fixed, field errors on the fields they concern (the form's
and the service's), photos and documents checked by the service, a receipt with the tracking code,
and a returned proposal edited and sent again."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from backoffice.musrenbang.models import Attachment, Status, Usulan

from .test_admin_helpers import *  # noqa: F403  (fixtures)
from .test_admin_helpers import BASE, message_texts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def photo(name="foto.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "green").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(name="rab.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7 rab", content_type="application/pdf")


def form_data(mb, **overrides):
    data = {
        "year": "2027", "solution": "Rabat beton jalan lingkungan RT 03", "problem": "Jalan berlumpur saat hujan",
        "address": "RT 03 Dusun 1", "latitude": "-10.1", "longitude": "123.6", "volume": "150", "satuan": mb.meter.pk,
        "estimated_cost": "Rp 180.000.000", "target_perangkat_daerah": mb.pupr.pk, "land_status": "desa", "beneficiaries": "250",
    }
    data.update(overrides)
    return data


def field_errors(response):
    form = response.context["form"]
    return {name: " ".join(errors) for name, errors in form.errors.items()}


def test_the_village_form_fixes_the_desa(login, mb):
    response = login("desa_bolok").get(BASE + "tambah/")
    assert response.status_code == 200
    form = response.context["form"]
    assert "desa" not in form.fields and "year" in form.fields
    html = response.content.decode()
    assert "Bolok, Kecamatan Kupang Barat" in html
    for label in ("Usulan kegiatan", "Permasalahan", "Lintang", "Bujur", "Satuan", "Perkiraan biaya (Rp)", "Status lahan",
                  "Jumlah penerima manfaat", "Foto lokasi (paling banyak 3)", "Rencana anggaran biaya (RAB)", "Surat pengantar/proposal"):
        assert label in html, label


def test_the_village_creates_a_draft_with_photos_and_rab(login, mb):
    client = login("desa_bolok")
    # A desa chosen in a crafted request is ignored: the operator's own village is used.
    data = form_data(mb, desa=mb.babau.pk, photos=[photo("a.jpg"), photo("b.jpg")], rab=pdf(), letter=pdf("surat.pdf"))
    response = client.post(BASE + "tambah/", data)
    usulan = Usulan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}{usulan.pk}/"
    assert (usulan.desa, usulan.kecamatan, usulan.status) == (mb.bolok, mb.barat, Status.DRAFT)
    assert (usulan.volume, usulan.estimated_cost, usulan.beneficiaries) == (Decimal("150"), Decimal("180000000"), 250)
    assert (usulan.target_perangkat_daerah, usulan.land_status, usulan.year) == (mb.pupr, "desa", 2027)
    assert sorted(usulan.attachments.values_list("kind", flat=True)) == ["letter", "photo", "photo", "rab"]
    assert list(usulan.events.values_list("action", flat=True)) == ["create"]

    page = client.get(response["Location"])
    assert usulan.tracking_code in page.content.decode()
    receipt = client.get(f"{BASE}{usulan.pk}/tanda-terima/")
    html = receipt.content.decode()
    assert receipt.status_code == 200 and usulan.tracking_code in html and "Rp 180.000.000" in html and "Tanda Terima" in html
    attachment = usulan.attachments.filter(kind=Attachment.Kind.RAB).get()
    download = client.get(f"{BASE}{usulan.pk}/lampiran/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.7 rab"
    assert login("desa_babau").get(f"{BASE}{usulan.pk}/lampiran/{attachment.pk}/").status_code == 404


def test_form_errors_are_shown_on_their_fields(login, mb):
    client = login("desa_bolok")
    response = client.post(BASE + "tambah/", form_data(mb, solution=" ", volume="sepuluh", estimated_cost="-5", satuan=""))
    assert response.status_code == 200
    errors = field_errors(response)
    assert errors["solution"] == "Usulan kegiatan wajib diisi."
    assert errors["volume"].startswith("Isi angka")
    assert errors["estimated_cost"] == "Tidak boleh negatif."
    assert errors["satuan"] == "Pilih satuan volume."
    assert not Usulan.objects.exists()


@pytest.mark.parametrize(
    "overrides, field, text",
    [
        ({"volume": "0"}, "volume", "Volume harus lebih dari nol."),
        ({"longitude": ""}, "latitude", "Isi lintang dan bujur bersama-sama."),
        ({"latitude": "-7.8", "longitude": "110.4"}, "latitude", "di luar Kabupaten Kupang"),
    ],
)
def test_the_service_refusal_lands_on_its_field(login, mb, overrides, field, text):
    response = login("desa_bolok").post(BASE + "tambah/", form_data(mb, **overrides))
    assert response.status_code == 200
    assert text in field_errors(response)[field]
    assert not Usulan.objects.exists()


def test_too_many_photos_and_a_broken_one(login, mb):
    client = login("desa_bolok")
    response = client.post(BASE + "tambah/", form_data(mb, photos=[photo(f"{n}.jpg") for n in range(4)]))
    assert "Paling banyak 3 foto" in field_errors(response)["photos"]
    assert not Usulan.objects.exists()

    # A file the service refuses: the proposal is kept as a draft, the error shown on that field.
    fake = SimpleUploadedFile("palsu.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(BASE + "tambah/", form_data(mb, photos=[photo(), fake]))
    usulan = Usulan.objects.get()
    assert response.status_code == 200
    assert field_errors(response)["photos"] == "Berkas gambar rusak atau bukan gambar."
    assert response.context["form"].instance == usulan  # the page is now the proposal's edit form
    assert list(usulan.attachments.values_list("kind", flat=True)) == ["photo"]
    assert any("lampiran ditolak" in text for text in message_texts(response))


def test_bappeda_admin_chooses_the_desa(login, mb):
    client = login("admin")
    assert "desa" in client.get(BASE + "tambah/").context["form"].fields
    response = client.post(BASE + "tambah/", form_data(mb, desa=mb.babau.pk, latitude="", longitude=""))
    assert response.status_code == 302
    assert Usulan.objects.get().kecamatan == mb.timur
    response = client.post(BASE + "tambah/", form_data(mb, desa=""))
    assert field_errors(response)["desa"] == "Pilih desa atau kelurahan pengusul."


def test_a_returned_proposal_is_edited_and_sent_again(login, mb, make):
    usulan = make(Status.RETURNED)
    client = login("desa_bolok")
    page = client.get(f"{BASE}{usulan.pk}/ubah/")
    assert "Dikembalikan oleh kecamatan: Lengkapi foto" in page.content.decode()
    assert "year" not in page.context["form"].fields
    assert page.context["form"]["volume"].value() == Decimal("150.00")
    response = client.post(f"{BASE}{usulan.pk}/ubah/", form_data(mb, solution="Rabat beton, dengan foto", photos=[photo()]))
    assert response.status_code == 302
    usulan.refresh_from_db()
    # Fields the simple form does not show are kept (personal data, internal notes).
    assert (usulan.solution, usulan.proposer_nik, usulan.internal_notes) == ("Rabat beton, dengan foto", "5301051203800001", "Kades minta didahulukan")
    response = client.post(f"{BASE}{usulan.pk}/aksi/ajukan/", {"ajukan-note": "Foto dilengkapi"})
    assert response.status_code == 302
    assert Usulan.objects.get(pk=usulan.pk).status == Status.SUBMITTED
    # Submitted: no more edits, the edit page sends back to the proposal's page.
    response = client.get(f"{BASE}{usulan.pk}/ubah/", follow=True)
    assert any("hanya draf atau yang dikembalikan" in text for text in message_texts(response))


def test_the_list_shows_the_village_its_statuses_and_codes(login, mb, make):
    draft, sent = make(Status.DRAFT, solution="Satu"), make(Status.SUBMITTED, solution="Dua")
    html = login("desa_bolok").get(BASE).content.decode()
    for usulan in (draft, sent):
        assert usulan.tracking_code in html
    assert "Draf" in html and "Diajukan desa/kelurahan" in html
