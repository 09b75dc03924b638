"""Importing departments (perangkat daerah) by unit code, checked against the nomenclature."""

import io

import pytest
from django.core.exceptions import ValidationError

from backoffice.reference.models import PerangkatDaerah
from backoffice.reference.services import ImportRefused, import_nomenclature, import_perangkat_daerah
from tests.factories import make_edition, make_nomenclature

pytestmark = pytest.mark.django_db

MOROWALI_OPD = "opd/morowali_opd_kode_unit_organisasi.csv"
SMALL = """kode_unit_organisasi,nama_opd,singkatan,kode_induk,nip kepala
1.01.0.00.0.00.01.0000,Dinas Pendidikan,Dikbud,,196807121994031005
1.01.0.00.0.00.01.0001,UPTD Sanggar Kegiatan Belajar,SKB,,
1.01.0.00.0.00.02.0000,Dinas Perpustakaan,,,
"""


def small(text=SMALL):
    return io.BytesIO(text.encode())


@pytest.fixture
def nomenclature():
    edition = make_edition(year=2021)
    make_nomenclature(edition, urusan=1, bidang=2)  # bidang 1.01 and 1.02
    return edition


def test_morowali_departments_import_with_bidang_from_their_codes(shared_data):
    import_nomenclature(shared_data / "nomenklatur/simcan_nomenklatur_permendagri90_kep050-3708.csv", edition_name="Kepmendagri 050-3708/2020", year=2021)
    report = import_perangkat_daerah(shared_data / MOROWALI_OPD)
    assert report.count("added") == 39
    dikbud = PerangkatDaerah.objects.get(code="1.01.2.22.0.00.01.0000")
    assert dikbud.bidang_urusan_codes == ["1.01", "2.22"]
    bappeda = PerangkatDaerah.objects.get(name__startswith="Badan Perencanaan")
    assert bappeda.bidang_urusan_codes == ["5.01", "5.05"]
    # RSUD and RS Pratama are sub-units whose parent unit code is not in the file: kept, reported.
    assert {w.row for w in report.warnings} == {3, 4}
    assert not import_perangkat_daerah(shared_data / MOROWALI_OPD).has_changes


def test_sub_unit_hangs_below_its_unit(nomenclature):
    import_perangkat_daerah(small())
    uptd = PerangkatDaerah.objects.get(code="1.01.0.00.0.00.01.0001")
    assert uptd.parent.code == "1.01.0.00.0.00.01.0000" and uptd.is_sub_unit
    assert PerangkatDaerah.objects.get(short_name="Dikbud").head_nip == "196807121994031005"


@pytest.mark.parametrize(
    "change, row, needle",
    [
        (("1.01.0.00.0.00.02.0000", "1.01.0.00.0.02.0000"), 4, "U.BB.U2.B2.U3.B3.NN.SSSS"),
        (("1.01.0.00.0.00.02.0000", "1.05.0.00.0.00.02.0000"), 4, "Bidang urusan 1.05"),
        (("196807121994031005", "19680712"), 2, "18 angka"),
        (("Dinas Perpustakaan", ""), 4, "kosong"),
        (("1.01.0.00.0.00.02.0000", "1.01.0.00.0.00.01.0000"), 4, "ganda"),
        (("SKB,", "SKB,1.01.0.00.0.00.09.0000"), 3, "Unit induk '1.01.0.00.0.00.09.0000'"),
    ],
    ids=["malformed", "unknown-bidang", "bad-nip", "empty-name", "duplicate", "unknown-parent"],
)
def test_bad_rows_are_refused_and_nothing_written(nomenclature, change, row, needle):
    with pytest.raises(ImportRefused) as refused:
        import_perangkat_daerah(small(SMALL.replace(*change)))
    assert any(e.row == row and needle in e.message for e in refused.value.errors), refused.value.errors
    assert not PerangkatDaerah.objects.exists()


def test_bidang_columns_must_agree_with_the_code(nomenclature):
    text = "kode_unit_organisasi,nama_opd,kode_bidang_urusan_1,kode_bidang_urusan_2\n1.01.1.02.0.00.01.0000,Dinas Gabungan,1.01,1.03\n"
    with pytest.raises(ImportRefused, match="tidak sesuai kode unit"):
        import_perangkat_daerah(small(text))


def test_model_validation_names_the_field(nomenclature):
    unit = PerangkatDaerah(code="1.01.0.00.0.00.1.0000", name="Dinas X")
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert "code" in error.value.message_dict
    unit = PerangkatDaerah(code="1.09.0.00.0.00.01.0000", name="Dinas X")
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert "1.09" in error.value.message_dict["code"][0]
    unit = PerangkatDaerah(code="1.01.1.02.0.00.01.0000", name="Dinas Pendidikan dan Kesehatan")
    unit.full_clean()
    unit.save()
    assert unit.bidang_urusan_codes == ["1.01", "1.02"]
