"""Pokir DPRD beyond the season walk (test_season.py): who may take each step, a return to the
legislator and the resubmission, the ceiling freed by a rejection, and the legislator records."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from backoffice.musrenbang import pokir
from backoffice.musrenbang.models import PokirCeiling, Status, Usulan
from backoffice.musrenbang.services import FieldErrors, create_usulan, submit_usulan, update_usulan

pytestmark = pytest.mark.django_db


def test_only_the_legislator_enters_and_submits_its_pokir(season):
    """Besides Setwan and Bappeda's admin (test_pokir_setwan.py)."""
    p, at = season.p, season.at
    with pytest.raises(PermissionDenied):  # Budi cannot enter a pokir in Ana's name
        create_usulan(p["dprd_budi"], season.pokir(), at=at(3, 1))
    for who in ("desa_bolok", "kec_barat", "op_pupr", "verifier"):
        with pytest.raises(PermissionDenied):
            create_usulan(p[who], season.pokir(), at=at(3, 1))
    with pytest.raises(FieldErrors) as refused:
        create_usulan(p["admin"], season.mb.proposal(desa=None, proposer_level=Usulan.ProposerLevel.DPRD, kamus=season.well), at=at(3, 1))
    assert refused.value.errors["anggota_dprd"] == ("required", "Pilih anggota DPRD pemilik pokir.")
    item = create_usulan(p["dprd_ana"], season.pokir(), at=at(3, 1))
    with pytest.raises(PermissionDenied):
        submit_usulan(p["dprd_budi"], item, at=at(3, 2))
    submit_usulan(p["dprd_ana"], item, at=at(3, 2))
    assert Usulan.objects.get(pk=item.pk).status == Status.SUBMITTED


def test_setwan_returns_the_legislator_edits_and_resubmits(season):
    p, at = season.p, season.at
    item = create_usulan(p["dprd_ana"], season.pokir(), at=at(3, 1))
    submit_usulan(p["dprd_ana"], item, at=at(3, 2))
    for who in ("kec_barat", "op_pupr", "dprd_ana"):  # the secretariat's step only
        with pytest.raises(PermissionDenied):
            pokir.verify_by_setwan(p[who], item, at=at(3, 3))
    with pytest.raises(ValidationError) as refused:
        pokir.return_by_setwan(p["setwan"], item, "  ", at=at(3, 3))  # the public reason is required
    assert refused.value.message_dict == {"reason": ["Alasan wajib diisi: alasan ini dapat dibaca publik."]}
    assert Usulan.objects.get(pk=item.pk).status == Status.SUBMITTED
    pokir.return_by_setwan(p["setwan"], item, "Lokasi belum jelas", at=at(3, 3))
    update_usulan(p["dprd_ana"], item, season.pokir(volume="3", address="Dusun 2, Bolok"), at=at(3, 4))
    submit_usulan(p["dprd_ana"], item, at=at(3, 5))
    item = Usulan.objects.get(pk=item.pk)
    assert (item.status, item.estimated_cost) == (Status.SUBMITTED, Decimal("255000000"))
    with pytest.raises(PermissionDenied):  # Bappeda validates only after Setwan; and only Bappeda's admin
        pokir.validate_by_bappeda(p["verifier"], item, at=at(3, 6))
    with pytest.raises(ValidationError) as refused:
        pokir.validate_by_bappeda(p["admin"], item, at=at(3, 6))
    assert refused.value.messages[0].startswith(f"Usulan {item.tracking_code} berstatus ")
    assert refused.value.messages[0].endswith(": tidak dapat memvalidasi.")
    # A pokir does not go through the kecamatan.
    assert Usulan.objects.get(pk=item.pk).status == Status.SUBMITTED


def test_a_rejected_pokir_frees_its_share_of_the_ceiling(season):
    p, at = season.p, season.at
    pokir.set_ceiling(p["setwan"], season.ana, 2027, Decimal("200000000"))
    first = create_usulan(p["dprd_ana"], season.pokir(volume="2"), at=at(3, 1))  # Rp 170.000.000
    submit_usulan(p["dprd_ana"], first, at=at(3, 1))
    second = create_usulan(p["dprd_ana"], season.pokir(kamus=season.clinic, volume="3"), at=at(3, 1))  # Rp 45.000.000
    with pytest.raises(FieldErrors) as refused:  # 170 + 45 > 200 million
        submit_usulan(p["dprd_ana"], second, at=at(3, 2))
    assert refused.value.errors["estimated_cost"][0] == "over_ceiling"
    assert Usulan.objects.get(pk=second.pk).status == Status.DRAFT
    pokir.verify_by_setwan(p["setwan"], first, at=at(3, 2))
    pokir.reject_by_bappeda(p["admin"], first, "Bukan kewenangan kabupaten", at=at(3, 3))
    submit_usulan(p["dprd_ana"], second, at=at(3, 4))
    assert Usulan.objects.get(pk=second.pk).status == Status.SUBMITTED


def test_legislators_and_ceilings_are_kept_by_setwan_and_bappeda(season):
    p = season.p
    with pytest.raises(FieldErrors) as refused:
        pokir.save_anggota(p["setwan"], None, name="Yakob", fraksi="", daerah_pemilihan="Kupang 3", period_start=2024, period_end=2019)
    assert set(refused.value.errors) == {"fraksi", "period_end"}
    anggota = pokir.save_anggota(p["setwan"], None, name="Yakob Nenotek", fraksi="Fraksi Timor", daerah_pemilihan="Kupang 3", period_start=2024, period_end=2029)
    for who in ("dprd_ana", "op_pupr", "kec_barat", "verifier"):
        with pytest.raises(PermissionDenied):
            pokir.set_ceiling(p[who], anggota, 2027, Decimal("1"))
    with pytest.raises(FieldErrors) as refused:
        pokir.set_ceiling(p["admin"], anggota, 2027, Decimal("-1"))
    assert refused.value.errors == {"amount": ("invalid", "Pagu pokir tidak boleh negatif.")}
    assert not PokirCeiling.objects.filter(anggota=anggota).exists()
    pokir.set_ceiling(p["admin"], anggota, 2027, Decimal("300000000"))
    pokir.set_ceiling(p["setwan"], anggota, 2027, Decimal("250000000"))
    assert PokirCeiling.objects.get(anggota=anggota, year=2027).amount == Decimal("250000000")
    pokir.set_ceiling(p["setwan"], anggota, 2027, None)
    assert not PokirCeiling.objects.filter(anggota=anggota).exists()


def test_after_the_deadline_setwan_verifies_or_rejects_but_cannot_return(season):
    """A returned pokir could never be fixed after the deadline (18 March, 7 days before the
    kabupaten musrenbang opens), so the return is refused and the pokir stays with Setwan."""
    p, at = season.p, season.at
    item = create_usulan(p["dprd_ana"], season.pokir(), at=at(3, 1))
    submit_usulan(p["dprd_ana"], item, at=at(3, 2))
    with pytest.raises(ValidationError) as refused:
        pokir.return_by_setwan(p["setwan"], item, "Lokasi belum jelas", at=at(3, 19))
    assert "Pemasukan pokir DPRD tahun 2027 ditutup" in refused.value.messages[0]
    assert "verifikasi atau tolak" in refused.value.messages[0]
    item = Usulan.objects.get(pk=item.pk)
    assert (item.status, item.public_reason, item.events.count()) == (Status.SUBMITTED, "", 2)
    pokir.verify_by_setwan(p["setwan"], item, at=at(3, 19))
    assert Usulan.objects.get(pk=item.pk).status == Status.VERIFIED_SETWAN
