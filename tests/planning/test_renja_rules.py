"""The rules every Renja write keeps, whoever writes: scope, nomenclature in force, ceilings."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from backoffice.planning.models import Renja, RenjaRow
from backoffice.planning.services import ceiling_status, get_or_create_renja, save_renja_row, set_ceiling
from backoffice.reference.models import BidangUrusan, Kegiatan, Program, SubKegiatan, Urusan
from backoffice.reference.services import import_nomenclature

pytestmark = pytest.mark.django_db


def renja_of(world, unit, year=2022):
    return get_or_create_renja(world.p["admin"], unit, year)


def test_operator_plans_a_sub_kegiatan_of_its_bidang(world):
    renja = renja_of(world, world.dikbud)
    row = save_renja_row(
        world.p["dikbud"],
        RenjaRow(renja=renja, sub_kegiatan=world.subs["1.01.01.2.01.0001"]),
        pendanaan=[(world.dau, 1_000_000), (world.pad, 250_000)],
        lokasi=[(None, "Seluruh kabupaten")],
    )
    assert row.pagu_indikatif == Decimal("1250000")
    assert RenjaRow.objects.get(pk=row.pk).pagu_indikatif == Decimal("1250000")
    assert [str(place) for place in row.lokasi_list.all()] == ["Seluruh kabupaten"]


def test_program_outside_the_departments_bidang_is_refused(world):
    renja = renja_of(world, world.dikbud)
    with pytest.raises(ValidationError) as error:
        save_renja_row(world.p["dikbud"], RenjaRow(renja=renja, sub_kegiatan=world.subs["1.02.01.2.01.0001"]), pendanaan=[])
    assert "di luar bidang urusan Dinas Pendidikan (1.01)" in error.value.message_dict["sub_kegiatan"][0]
    assert not RenjaRow.objects.exists()


def test_support_program_is_written_under_the_departments_bidang(world):
    row = save_renja_row(world.p["dinkes"], RenjaRow(renja=renja_of(world, world.dinkes), sub_kegiatan=world.support), pendanaan=[(world.dau, 5)])
    assert row.code == "1.02.01.2.02.0001"


def test_code_not_in_force_in_the_plans_year_is_refused(world):
    # A later edition (2023) ends sub kegiatan 1.01.01.2.01.0002.
    rows = [
        "kode,nama",
        *(f"{r.code},{r.name}" for model in (Urusan, BidangUrusan, Program, Kegiatan) for r in model.objects.all()),
        *(f"{s.code},{s.name}" for s in SubKegiatan.objects.exclude(code="1.01.01.2.01.0002")),
    ]
    import_nomenclature(io.BytesIO("\n".join(rows).encode()), edition_name="Edisi 2023", year=2023)
    ended = world.subs["1.01.01.2.01.0002"]
    # Fine in 2022, refused in 2023.
    save_renja_row(world.p["dikbud"], RenjaRow(renja=renja_of(world, world.dikbud, 2022), sub_kegiatan=ended), pendanaan=[])
    with pytest.raises(ValidationError) as error:
        save_renja_row(world.p["dikbud"], RenjaRow(renja=renja_of(world, world.dikbud, 2023), sub_kegiatan=ended), pendanaan=[])
    assert "tidak berlaku pada nomenklatur tahun 2023" in error.value.message_dict["sub_kegiatan"][0]


def test_ceiling_refuses_the_save_with_the_amount_over_and_keeps_nothing(world):
    renja = renja_of(world, world.dikbud)
    set_ceiling(world.p["admin"], world.dikbud, 2022, Decimal("1000000"))
    set_ceiling(world.p["admin"], world.dikbud, 2022, Decimal("300000"), sumber_dana=world.pad)
    first = save_renja_row(world.p["dikbud"], RenjaRow(renja=renja, sub_kegiatan=world.subs["1.01.01.2.01.0001"]), pendanaan=[(world.dau, 600_000)])
    with pytest.raises(ValidationError) as error:
        save_renja_row(world.p["dikbud"], RenjaRow(renja=renja, sub_kegiatan=world.subs["1.01.01.2.01.0002"]), pendanaan=[(world.dau, 500_000)])
    assert error.value.message_dict["pendanaan"] == ["Total pagu Rp 1.100.000 melebihi plafon Rp 1.000.000 sebesar Rp 100.000."]
    assert list(RenjaRow.objects.values_list("pk", flat=True)) == [first.pk]
    with pytest.raises(ValidationError) as error:
        save_renja_row(world.p["dikbud"], first, pendanaan=[(world.dau, 100_000), (world.pad, 400_000)])
    assert "Pagu sumber dana PAD Rp 400.000 melebihi plafon Rp 300.000 sebesar Rp 100.000." in error.value.message_dict["pendanaan"]
    first.refresh_from_db()
    assert first.pagu_indikatif == Decimal("600000")
    assert ceiling_status(renja)["total"] == (Decimal("600000"), Decimal("1000000"))


def test_operator_cannot_touch_another_departments_renja(world):
    renja = renja_of(world, world.dinkes)
    with pytest.raises(PermissionDenied):
        save_renja_row(world.p["dikbud"], RenjaRow(renja=renja, sub_kegiatan=world.support), pendanaan=[])
    with pytest.raises(PermissionDenied):
        get_or_create_renja(world.p["dikbud"], world.dinkes, 2023)
    assert not Renja.objects.filter(year=2023).exists()


@pytest.mark.parametrize("who", ["verifier", "dikbud", "public"])
def test_only_bappeda_admin_sets_ceilings(world, who):
    with pytest.raises(PermissionDenied):
        set_ceiling(world.p[who], world.dikbud, 2022, Decimal("1"))
