"""Reference code formats: what a planner types or a SIPD export prints."""

import pytest
from django.core.exceptions import ValidationError

from backoffice.reference import codes


@pytest.mark.parametrize(
    "raw, code, level, parent",
    [
        ("1", "1", "urusan", None),
        ("1.02", "1.02", "bidang_urusan", "1"),
        ("1.02.02", "1.02.02", "program", "1.02"),
        ("1.02.02.2.01", "1.02.02.2.01", "kegiatan", "1.02.02"),
        ("1.02.02.2.01.0001", "1.02.02.2.01.0001", "sub_kegiatan", "1.02.02.2.01"),
        (" 1.02.02.2.01.01 ", "1.02.02.2.01.0001", "sub_kegiatan", "1.02.02.2.01"),
        ("x.xx.01.2.02.0001", "X.XX.01.2.02.0001", "sub_kegiatan", "X.XX.01.2.02"),
        ("1.02.02.3.01", "1.02.02.3.01", None, "1.02.02"),
        ("1.2", "1.2", None, "1"),
        ("1.02.02.2", "1.02.02.2", None, "1.02.02"),
    ],
)
def test_nomenclature_codes(raw, code, level, parent):
    assert codes.normalize_nomenclature_code(raw) == code
    assert codes.nomenclature_level(code) == level
    assert codes.nomenclature_parent_code(code) == parent


def test_invalid_code_message_names_the_example():
    with pytest.raises(ValidationError) as error:
        codes.validate_nomenclature_code("1.02.2", "program")
    assert "contoh: 1.02.02" in error.value.messages[0]


@pytest.mark.parametrize(
    "code, level, kind",
    [
        ("53", "provinsi", "provinsi"),
        ("53.01", "kabupaten_kota", "kabupaten"),
        ("53.71", "kabupaten_kota", "kota"),
        ("53.01.04", "kecamatan", "kecamatan"),
        ("53.01.05.1001", "desa_kelurahan", "kelurahan"),
        ("53.01.05.2001", "desa_kelurahan", "desa"),
    ],
)
def test_wilayah_codes(code, level, kind):
    assert codes.wilayah_level(code) == level
    assert codes.wilayah_kind(code, level) == kind


def test_wilayah_code_with_lost_leading_zero_is_not_a_code():
    assert codes.wilayah_level("53.1.5.2001") is None


def test_perangkat_daerah_bidang_codes():
    assert codes.perangkat_daerah_bidang_codes("1.01.2.22.0.00.01.0000") == ["1.01", "2.22"]
    assert codes.perangkat_daerah_bidang_codes("5.01.5.05.6.01.01.0000") == ["5.01", "5.05", "6.01"]
    with pytest.raises(ValidationError):
        codes.perangkat_daerah_bidang_codes("0.00.1.01.0.00.01.0000")
