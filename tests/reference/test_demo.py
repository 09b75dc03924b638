"""What `make run` does before serving: load the demo data and create the admin user, twice over."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from backoffice.access.management.commands import ensure_admin
from backoffice.reference.models import NomenclatureEdition, PerangkatDaerah, SubKegiatan, SumberDana, Wilayah
from backoffice.reference.services import import_nomenclature

pytestmark = pytest.mark.django_db


def test_demo_data_loads_and_reloads_without_change(capsys):
    call_command("load_demo")
    edition = NomenclatureEdition.objects.get()
    assert SubKegiatan.objects.in_force(edition).count() == 12
    assert Wilayah.objects.get(code="53.01").parent.code == "53"
    assert PerangkatDaerah.objects.get(short_name="RSUD Naibonat").parent.short_name == "Dinkes"
    assert SumberDana.objects.filter(code="DAK-F").exists()
    counts = (SubKegiatan.objects.count(), Wilayah.objects.count(), PerangkatDaerah.objects.count(), SumberDana.objects.count())
    capsys.readouterr()
    call_command("load_demo")
    assert "Tidak ada perubahan" in capsys.readouterr().out
    assert counts == (SubKegiatan.objects.count(), Wilayah.objects.count(), PerangkatDaerah.objects.count(), SumberDana.objects.count())


def test_demo_nomenclature_is_superseded_by_the_official_file(shared_data, capsys):
    call_command("load_demo")
    import_nomenclature(
        shared_data / "nomenklatur/simcan_nomenklatur_permendagri90_kep050-3708.csv",
        edition_name="Kepmendagri 050-3708/2020",
        year=2021,
    )
    call_command("load_demo")
    assert "nomenklatur demo dilewati" in capsys.readouterr().out
    assert SubKegiatan.objects.in_force(NomenclatureEdition.in_force(2026)).count() == 2254


def test_admin_user_is_created_once_and_its_login_printed(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(ensure_admin, "PASSWORD_FILE", tmp_path / ".admin-password")
    call_command("ensure_admin")
    password = (tmp_path / ".admin-password").read_text().strip()
    assert f"admin / {password}" in capsys.readouterr().out
    assert get_user_model().objects.get(username="admin").check_password(password)
    call_command("ensure_admin")
    assert f"admin / {password}" in capsys.readouterr().out
    assert get_user_model().objects.count() == 1


def test_demo_plans_are_loaded_through_the_rules():
    from backoffice.planning.models import PlanningPeriod, Renja, Rkpd
    from backoffice.planning.services import ceiling_status

    call_command("load_demo")
    period = PlanningPeriod.objects.get()
    assert period.is_published and period.misi_list.count() == 2
    dinkes = Renja.objects.get(perangkat_daerah__short_name="Dinkes", year=2026)
    status = ceiling_status(dinkes)
    assert status["total"][0] <= status["total"][1] and status["DAK-NF"][0] <= status["DAK-NF"][1]
    assert Renja.objects.filter(is_published=True).count() == 2
    assert Rkpd.objects.get(year=2026).priorities.count() == 3


def test_demo_musrenbang_season_is_loaded_through_the_services_once(capsys):
    from backoffice.access.policy import PUBLIC
    from backoffice.musrenbang.kamus import kamus_for
    from backoffice.musrenbang.models import AnggotaDprd, KamusUsulan, ScoringCriterion, Score, Status, Usulan, UsulanEvent

    call_command("load_demo")
    usulan = Usulan.objects.filter(year=2027)
    assert dict(usulan.values_list("solution", "status")) == {
        "Rabat beton jalan lingkungan RT 03 Dusun 1": Status.ACCEPTED, "Posyandu keliling untuk dusun terjauh": Status.ROUTED,
        "PMT untuk balita gizi kurang": Status.SUBMITTED, "Tambatan perahu nelayan": Status.DRAFT, "Sumur bor RT 07": Status.RETURNED,
        "Rabat beton jalan menuju pasar": Status.REJECTED_KECAMATAN, "Sumur bor untuk kelompok tani (hasil reses)": Status.VERIFIED_SETWAN,
    }
    road = usulan.get(solution__startswith="Rabat beton jalan lingkungan")
    # Priced from the kamus (150 m x Rp 1.200.000), with its whole history.
    assert road.estimated_cost == 180000000 and road.target_perangkat_daerah.short_name == "PUPR"
    assert list(road.events.values_list("action", flat=True)) == ["create", "submit", "route", "accept"]
    assert road.score_kecamatan == 3 * 5 + 2 * 4 + 2 * 3 + 1 * 4
    assert usulan.get(solution="Sumur bor RT 07").public_reason == "Lengkapi surat pelepasan lahan"
    assert AnggotaDprd.objects.get().ceilings.get(year=2027).amount == 500000000
    assert {item.perangkat_daerah.short_name for item in kamus_for(PUBLIC, 2027)} == {"PUPR", "Dinkes"}
    counts = [model.objects.count() for model in (Usulan, UsulanEvent, KamusUsulan, ScoringCriterion, Score, AnggotaDprd)]
    capsys.readouterr()
    call_command("load_demo")
    assert "Data musrenbang demo 2027 sudah ada." in capsys.readouterr().out
    assert counts == [model.objects.count() for model in (Usulan, UsulanEvent, KamusUsulan, ScoringCriterion, Score, AnggotaDprd)]
