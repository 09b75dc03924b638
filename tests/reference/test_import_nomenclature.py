"""Importing nomenclature editions: the real Kepmendagri file, later editions, and bad input."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook
from wagtail.models import ModelLogEntry

from backoffice.reference.models import (
    BidangUrusan,
    ImportRun,
    Kegiatan,
    NomenclatureEdition,
    Program,
    SubKegiatan,
    Urusan,
)
from backoffice.reference.services import ImportRefused, import_nomenclature

pytestmark = pytest.mark.django_db

SIMCAN = "nomenklatur/simcan_nomenklatur_permendagri90_kep050-3708.csv"
MOROWALI = "nomenklatur/morowali_nomenklatur_permendagri90_kab.csv"
EDITION = "Kepmendagri 050-3708/2020"

SMALL = """kode,nama,kinerja,indikator,satuan
1,URUSAN WAJIB PELAYANAN DASAR,,,
1.02,BIDANG KESEHATAN,,,
1.02.02,PROGRAM UPAYA KESEHATAN,,,
1.02.02.2.02,Penyediaan Layanan Kesehatan,,,
1.02.02.2.02.0001,Pengelolaan Pelayanan Kesehatan Ibu Hamil,Ibu hamil terlayani,Jumlah ibu hamil,Orang
1.02.02.2.02.0002,Pengelolaan Pelayanan Kesehatan Ibu Bersalin,Ibu bersalin terlayani,Jumlah ibu bersalin,Orang
"""


def small(text=SMALL):
    return io.BytesIO(text.encode())


def in_force_counts(edition):
    return [m.objects.in_force(edition).count() for m in (Urusan, BidangUrusan, Program, Kegiatan, SubKegiatan)]


def total_rows():
    return sum(m.objects.count() for m in (Urusan, BidangUrusan, Program, Kegiatan, SubKegiatan))


def test_real_regency_nomenclature_counts(shared_data):
    report = import_nomenclature(shared_data / SIMCAN, edition_name=EDITION, year=2021, level_pemda="kab")
    edition = NomenclatureEdition.objects.get(name=EDITION)
    assert in_force_counts(edition) == [10, 46, 192, 466, 2254]
    assert report.in_force["sub_kegiatan"] == 2254
    # Province rows are left out, not imported.
    assert report.rows_skipped == 3830
    assert NomenclatureEdition.in_force(2021) == edition
    assert NomenclatureEdition.in_force(2020) is None


def test_active_rows_under_obsolete_parents_keep_their_chain(shared_data):
    report = import_nomenclature(shared_data / SIMCAN, edition_name=EDITION, year=2021)
    edition = NomenclatureEdition.objects.get()
    orphans = SubKegiatan.objects.in_force(edition).filter(kegiatan__is_active=False)
    assert orphans.count() == 22
    assert orphans.values("kegiatan").distinct().count() == 8
    programs = Program.objects.filter(kegiatan_list__in=orphans.values("kegiatan")).distinct()
    assert sorted(programs.filter(is_active=False).values_list("code", flat=True)) == ["5.01.04", "5.01.05", "5.07.02"]
    chain_warnings = [w for w in report.warnings if "induknya" in w.message]
    assert len(chain_warnings) == 22
    assert {w.row for w in chain_warnings} >= {6276}
    # The obsolete twins of three rows in force are reported, not imported twice.
    assert SubKegiatan.objects.filter(code="2.12.04.2.01.0004").count() == 1
    assert SubKegiatan.objects.get(code="2.12.04.2.01.0004").is_active


def test_reimporting_the_same_file_changes_nothing(shared_data):
    import_nomenclature(shared_data / SIMCAN, edition_name=EDITION, year=2021)
    before = total_rows(), ImportRun.objects.count()
    report = import_nomenclature(shared_data / SIMCAN, edition_name=EDITION)
    assert not report.has_changes
    assert report.count("unchanged") == before[0]
    assert (total_rows(), ImportRun.objects.count()) == before


def test_later_edition_reports_changes_and_keeps_the_earlier_one(shared_data):
    import_nomenclature(shared_data / SIMCAN, edition_name=EDITION, year=2021)
    first = NomenclatureEdition.objects.get()
    program = Program.objects.in_force(first).get(code="1.02.02")
    report = import_nomenclature(shared_data / MOROWALI, edition_name="Nomenklatur Morowali 2022", year=2022)
    second = NomenclatureEdition.objects.get(year=2022)

    assert report.count("added") and report.count("renamed") and report.count("ended")
    renamed = [c for c in report.changes if c.action == "renamed" and c.level == "sub_kegiatan"]
    assert renamed and all(c.old != c.new for c in renamed)
    # The earlier edition is still whole and unchanged.
    assert in_force_counts(first) == [10, 46, 192, 466, 2254]
    assert Program.objects.get(pk=program.pk).name == program.name
    # The year's nomenclature is the later edition's rows.
    assert in_force_counts(second) == [9, 44, 163, 410, 1983]
    assert NomenclatureEdition.in_force(2023) == second
    # A renamed row is a new version; the old one is ended by the later edition, not overwritten.
    code = renamed[0].code
    versions = SubKegiatan.objects.filter(code=code).order_by("id")
    assert [v.name for v in versions] == [renamed[0].old, renamed[0].new]
    assert versions[0].valid_until == second and versions[1].valid_until is None


def test_children_follow_a_renamed_parent(tmp_path):
    import_nomenclature(small(), edition_name="Edisi A", year=2021)
    renamed = SMALL.replace("PROGRAM UPAYA KESEHATAN", "PROGRAM PEMENUHAN UPAYA KESEHATAN")
    report = import_nomenclature(small(renamed), edition_name="Edisi B", year=2022)
    a, b = NomenclatureEdition.objects.order_by("year")
    assert report.count("renamed", "program") == 1
    assert report.count("relinked", "kegiatan") == 1 and report.count("relinked", "sub_kegiatan") == 2
    sub_b = SubKegiatan.objects.in_edition(b).get(code="1.02.02.2.02.0001")
    sub_a = SubKegiatan.objects.in_edition(a).get(code="1.02.02.2.02.0001")
    assert sub_b.kegiatan.program.name == "PROGRAM PEMENUHAN UPAYA KESEHATAN"
    assert sub_a.kegiatan.program.name == "PROGRAM UPAYA KESEHATAN"
    assert [p.code for p in sub_b.ancestors()] == ["1.02.02.2.02", "1.02.02", "1.02", "1"]


def test_dry_run_writes_nothing():
    report = import_nomenclature(small(), edition_name="Edisi A", year=2021, dry_run=True)
    assert report.count("added") == 6
    assert total_rows() == 0 and not NomenclatureEdition.objects.exists()


def test_two_digit_sub_kegiatan_codes_are_padded():
    import_nomenclature(small(SMALL.replace(".0001,", ".01,")), edition_name="Edisi A", year=2021)
    assert SubKegiatan.objects.filter(code="1.02.02.2.02.0001").exists()


@pytest.mark.parametrize(
    "change, row, needle",
    [
        (("1.02.02.2.02.0002,", "1.02.09.2.02.0002,"), 7, "Induk '1.02.09.2.02'"),
        (("1.02.02.2.02.0002,", "1.02.02.2.0002,"), 7, "tidak sesuai format"),
        (("1.02.02.2.02.0002,", "1.02.02.2.02.0001,"), 7, "ganda (juga di baris 6)"),
        (("Pengelolaan Pelayanan Kesehatan Ibu Bersalin", ""), 7, "kosong"),
        (("1.02.02.2.02.0002,", ","), 7, "Kode kosong"),
    ],
    ids=["unknown-parent", "malformed-code", "duplicate-code", "empty-name", "empty-code"],
)
def test_bad_rows_are_refused_with_row_number_and_nothing_written(change, row, needle):
    import_nomenclature(small(), edition_name="Edisi A", year=2021)
    before = list(SubKegiatan.objects.values_list("id", "code", "name", "valid_until"))
    bad = SMALL.replace(*change).replace("Ibu Hamil,", "Ibu Hamil (baru),")
    with pytest.raises(ImportRefused) as refused:
        import_nomenclature(small(bad), edition_name="Edisi B", year=2022)
    assert any(e.row == row and needle in e.message for e in refused.value.errors), refused.value.errors
    assert list(SubKegiatan.objects.values_list("id", "code", "name", "valid_until")) == before
    assert not NomenclatureEdition.objects.filter(name="Edisi B").exists()


def test_wrong_encoding_is_refused_with_its_row():
    data = SMALL.replace("Ibu Bersalin", "Ibu Bersalin é").encode("latin-1")
    with pytest.raises(ImportRefused) as refused:
        import_nomenclature(io.BytesIO(data), edition_name="Edisi A", year=2021)
    assert refused.value.errors[0].row == 7
    assert "UTF-8" in refused.value.errors[0].message
    assert total_rows() == 0


@pytest.mark.parametrize(
    "data, needle",
    [
        (b"%PDF-1.4\n\x00\x01\x02binary", "bukan lembar kerja"),
        (b"PK\x03\x04not really a zip", "kolom"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", "XLS lama"),
        (b"judul,isi\nfoo,bar\n", "kolom kode, nama"),
        (b"   \n", "kosong"),
    ],
    ids=["pdf", "broken-zip", "old-xls", "no-header", "empty"],
)
def test_a_file_that_is_not_a_nomenclature_sheet_is_refused(data, needle):
    with pytest.raises(ImportRefused) as refused:
        import_nomenclature(io.BytesIO(data), edition_name="Edisi A", year=2021)
    assert needle in refused.value.errors[0].message
    assert total_rows() == 0


def test_xlsx_shaped_like_the_lampiran_imports():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["LAMPIRAN KEPUTUSAN MENTERI DALAM NEGERI"])
    sheet.append([])
    sheet.append(["KODE", "NOMENKLATUR URUSAN KABUPATEN/KOTA", "KINERJA", "INDIKATOR", "SATUAN"])
    for line in SMALL.splitlines()[1:]:
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    import_nomenclature(buffer, edition_name="Edisi A", year=2021, name="lampiran.xlsx")
    sub = SubKegiatan.objects.get(code="1.02.02.2.02.0001")
    assert (sub.kinerja, sub.indikator, sub.satuan) == ("Ibu hamil terlayani", "Jumlah ibu hamil", "Orang")
    assert sub.kegiatan.program.bidang_urusan.urusan.code == "1"


def test_editions_are_imported_oldest_first():
    import_nomenclature(small(), edition_name="Edisi B", year=2022)
    with pytest.raises(ImportRefused) as refused:
        import_nomenclature(small(), edition_name="Edisi A", year=2021)
    assert "lebih baru" in str(refused.value)
    with pytest.raises(ImportRefused) as refused:
        import_nomenclature(small(), edition_name="Edisi C")
    assert "tahun" in str(refused.value)


def test_import_is_logged_with_history_and_audit_entry():
    import_nomenclature(small(), edition_name="Edisi A", year=2021)
    run = ImportRun.objects.get()
    assert run.edition.name == "Edisi A" and "6 baris dibaca" in run.summary
    assert ModelLogEntry.objects.filter(action="reference.import", object_id=str(run.pk)).exists()


def test_command_reports_and_refuses(tmp_path, capsys):
    good = tmp_path / "nomenklatur.csv"
    good.write_text(SMALL)
    call_command("import_nomenclature", str(good), "--edition", "Edisi A", "--year", "2021", "--no-progress")
    out = capsys.readouterr().out
    assert "sub kegiatan: 2 ditambah, 2 berlaku" in out
    bad = tmp_path / "rusak.csv"
    bad.write_text(SMALL.replace("1.02.02.2.02.0002,", "1.02.02.2.0002,"))
    with pytest.raises(CommandError) as error:
        call_command("import_nomenclature", str(bad), "--edition", "Edisi B", "--year", "2022", "--no-progress")
    assert "Baris 7, kolom kode" in str(error.value) and "tidak ada yang ditulis" in str(error.value)
