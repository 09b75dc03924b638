"""What a proposer types is checked field by field; attachments are checked; retries do not duplicate."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from backoffice.access.models import ApiToken, Role
from backoffice.access.policy import principal_for_token
from backoffice.musrenbang.models import Usulan, normalize_tracking_code
from backoffice.musrenbang.services import FieldErrors, add_attachment, create_usulan

pytestmark = pytest.mark.django_db


def codes_of(error):
    return {field: code for field, (code, _) in error.value.errors.items()}


def test_tracking_code_is_short_and_unambiguous(mb):
    usulan = create_usulan(mb.p["desa_bolok"], mb.proposal())
    code = usulan.tracking_code
    assert len(code) == 9 and code.startswith("27-") and not set(code[3:]) & set("01ILOU")
    assert normalize_tracking_code(" " + code.lower().replace("-", " ") + " ") == code


@pytest.mark.parametrize(
    "overrides, field, code",
    [
        ({"desa": "babau"}, "desa", "not_in_kecamatan"),
        ({"solution": "  "}, "solution", "required"),
        ({"volume": Decimal("0")}, "volume", "invalid"),
        ({"estimated_cost": Decimal("-1")}, "estimated_cost", "invalid"),
        ({"proposer_nik": "12345"}, "proposer_nik", "invalid"),
        ({"latitude": Decimal("-7.8"), "longitude": Decimal("110.4")}, "latitude", "outside_region"),
        ({"latitude": Decimal("-10.1")}, "latitude", "incomplete"),
        ({"satuan": None}, "satuan", "required"),
    ],
)
def test_bad_input_names_the_field_with_a_code(mb, overrides, field, code):
    if overrides.get("desa") == "babau":
        overrides["desa"] = mb.babau
    with pytest.raises(FieldErrors) as error:
        create_usulan(mb.p["desa_bolok"] if field != "desa" else mb.p["admin"], mb.proposal(**overrides))
    assert codes_of(error)[field] == code
    assert not Usulan.objects.exists()


def test_point_outside_the_village_is_accepted_with_a_warning(mb):
    inside = create_usulan(mb.p["desa_bolok"], mb.proposal(latitude=Decimal("-10.1"), longitude=Decimal("123.6")))
    outside = create_usulan(mb.p["desa_bolok"], mb.proposal(latitude=Decimal("-9.8"), longitude=Decimal("124.0")))
    assert inside.location_warning == ""
    assert "di luar batas Bolok" in outside.location_warning


def test_village_operator_proposes_only_for_its_village(mb):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        create_usulan(mb.p["desa_babau"], mb.proposal())
    with pytest.raises(PermissionDenied):
        create_usulan(mb.p["kec_barat"], mb.proposal())


def test_retried_submission_with_the_same_key_creates_one_proposal(mb):
    token, _ = ApiToken.issue(name="SID Bolok", role=Role.DESA_OPERATOR, wilayah=mb.bolok)
    principal = principal_for_token(token)
    first = create_usulan(principal, mb.proposal(), token=token, idempotency_key="sid-bolok-0001")
    again = create_usulan(principal, mb.proposal(), token=token, idempotency_key="sid-bolok-0001")
    other = create_usulan(principal, mb.proposal(), token=token, idempotency_key="sid-bolok-0002")
    assert first.pk == again.pk != other.pk
    assert Usulan.objects.count() == 2


def photo(name="foto.jpg", size=(20, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_attachments_are_checked_for_type_size_and_count(mb, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    usulan = create_usulan(mb.p["desa_bolok"], mb.proposal())
    for n in range(3):
        add_attachment(mb.p["desa_bolok"], usulan, "photo", photo(f"foto{n}.jpg"))
    with pytest.raises(FieldErrors) as error:
        add_attachment(mb.p["desa_bolok"], usulan, "photo", photo("keempat.jpg"))
    assert codes_of(error) == {"file": "too_many"}
    with pytest.raises(FieldErrors) as error:
        add_attachment(mb.p["desa_bolok"], usulan, "rab", SimpleUploadedFile("rab.exe", b"MZ...", content_type="application/x-msdownload"))
    assert codes_of(error) == {"file": "invalid_type"}
    usulan.attachments.filter(kind="photo").first().delete()
    with pytest.raises(FieldErrors) as error:
        add_attachment(mb.p["desa_bolok"], usulan, "photo", SimpleUploadedFile("palsu.jpg", b"not an image", content_type="image/jpeg"))
    assert codes_of(error) == {"file": "invalid_content"}
    with pytest.raises(FieldErrors) as error:
        add_attachment(mb.p["desa_bolok"], usulan, "letter", SimpleUploadedFile("surat.pdf", b"<html>", content_type="application/pdf"))
    assert codes_of(error) == {"file": "invalid_content"}
    add_attachment(mb.p["desa_bolok"], usulan, "letter", SimpleUploadedFile("surat.pdf", b"%PDF-1.7 ...", content_type="application/pdf"))
    big = SimpleUploadedFile("besar.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024 + 1), content_type="application/pdf")
    with pytest.raises(FieldErrors) as error:
        add_attachment(mb.p["desa_bolok"], usulan, "rab", big)
    assert codes_of(error) == {"file": "too_large"}
    assert sorted(usulan.attachments.values_list("kind", flat=True)) == ["letter", "photo", "photo"]
