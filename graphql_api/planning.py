"""e-Planning over GraphQL: RPJMD/RPD, Renstra PD, Renja PD and the RKPD with its pagu recaps.
Read-only; what a request sees is what `backoffice.access.policy` lets its principal see.

How scoping works (no N+1, one rule):
- The types of the objects the policy has a rule for (`Rule`: PlanningPeriod, Renstra, Renja, Rkpd)
  scope their querysets in `get_queryset` (the `Scoped` base) with `policy.scope`. strawberry_django
  runs a type's `get_queryset` for root lists and lookups, and for every nested relation that leads
  to the type: the optimizer then prefetches the relation with that scoped queryset (still one
  query per relation, whatever the number of parents). So `PlanningPeriod.renstraList` shows the
  Renstra the principal may see, and `Renstra.period` is null when the period is a draft the
  principal may not see.
- The parts of a plan (`Follows` in the policy: Misi, Tujuan, RenjaRow, Indicator, ...) are only
  reachable from their own plan, whose visibility they share (the policy's own rule: the rows of a
  visible Renja are visible), and are not filtered again. Two kinds of parts are also reached
  through a foreign key rather than from their parent, so their types are scoped too: an RPJMD
  sasaran (`RenstraSasaran.rpjmdSasaran`, across plans; `ProgramPrioritas.sasaran`) and a Renstra
  sasaran (`RenstraProgram.sasaran`): nothing in the database ties such a link to the same plan.
  tests/graphql_api/test_planning_schema.py checks the rule: every relation into a plan type is
  either a parent's list of the children that follow it, or lands on a scoped type.
- Single lookups (`renja(perangkatDaerahCode:, year:)`, `renstra`, `rkpd(year:)`) answer null when
  there is no such plan and a GraphQL error (code FORBIDDEN, "... tidak berwenang ...") when there
  is one the principal may not see. Lists simply hold what the principal may see.

Lists of plans and of the big parts (misi, tujuan, sasaran, program, Renja rows ...) are bounded
pages (`Page`). The small details of one element (indicators and their yearly targets, a row's
lokasi and sumber dana, strategi, arah kebijakan, RKPD priorities) are plain lists: their length
is set by the element (one target per year of the plan, a handful of sources), and keeping them
flat keeps the deepest documents (RPJMD to indicator targets) within the depth limit.
"""

from decimal import Decimal
from typing import Annotated, Optional

import strawberry
import strawberry_django
from django.db.models import Q
from graphql import GraphQLError

from backoffice.planning.models import (
    ArahKebijakan,
    Indicator,
    IndicatorTarget,
    Misi,
    PlanningPeriod,
    ProgramPrioritas,
    Renja,
    RenjaLokasi,
    RenjaPendanaan,
    RenjaRow,
    Renstra,
    RenstraKegiatan,
    RenstraProgram,
    RenstraSasaran,
    RenstraSubKegiatan,
    RenstraTujuan,
    Rkpd,
    RkpdPriority,
    Sasaran,
    Strategi,
    Tujuan,
)
from backoffice.planning.services import department_code

from . import rkpd_summary
from .auth import Scoped, request_cache, require_view, scoped
from .filtering import build, enum_from_choices, filter_by, filter_lookup, filter_type, order_by, order_type
from .pagination import ListField, Page, page_field
from .reference import KegiatanType, PerangkatDaerahType, ProgramType, SubKegiatanType, SumberDanaType, WilayahType

# --------------------------------------------------------------------------------------------
# Scoping
# --------------------------------------------------------------------------------------------


PUBLICATION = (
    "Dipublikasikan (status publikasi): true bila Bappeda sudah mempublikasikannya. Publik hanya melihat "
    "yang dipublikasikan; staf melihat juga draf sesuai perannya."
)


def _plain_list(description):
    return strawberry_django.field(description=description)


def _page(description, filters=None, ordering=None):
    return strawberry_django.offset_paginated(field_cls=ListField, filters=filters, ordering=ordering, description=description)


# --------------------------------------------------------------------------------------------
# Indicators
# --------------------------------------------------------------------------------------------

IndicatorLevel = enum_from_choices(
    Indicator.Level,
    "IndicatorLevel",
    "Tingkat indikator (tingkat) pada baris Renja: capaian program (outcome), hasil kegiatan, keluaran sub kegiatan "
    "(output); GENERAL (umum) untuk indikator tujuan, sasaran dan program di RPJMD/Renstra.",
)
IndicatorDirection = enum_from_choices(
    Indicator.Direction, "IndicatorDirection", "Arah indikator (polaritas): apakah nilai yang lebih tinggi atau lebih rendah yang lebih baik."
)


@strawberry_django.type(
    IndicatorTarget,
    name="IndicatorTarget",
    description="Target tahunan (target) sebuah indikator: angka atau teks, dan pagu rupiah tahun itu bila tingkatnya membawa anggaran.",
)
class IndicatorTargetType:
    year: int = strawberry_django.field(description="Tahun target (tahun).")
    value: Optional[Decimal] = strawberry_django.field(description="Target berupa angka (nilai target); null bila target berupa teks.")
    text: str = strawberry_django.field(description="Target berupa teks (target teks), contoh \"WTP\"; kosong bila berupa angka.")
    amount: Optional[Decimal] = strawberry_django.field(
        description="Pagu indikatif tahun itu dalam rupiah (pagu, Rp); null bila tidak dicatat pada indikator ini."
    )


@strawberry_django.type(
    Indicator,
    name="Indicator",
    description=(
        "Indikator kinerja (indikator) sebuah unsur rencana: tujuan, sasaran, program prioritas RPJMD; tujuan, sasaran, "
        "program, kegiatan, sub kegiatan Renstra; atau baris Renja. Dengan kondisi awal, target tahunan dan target akhir."
    ),
)
class IndicatorType:
    level: IndicatorLevel = strawberry_django.field(description="Tingkat indikator (tingkat): capaian, hasil, keluaran, atau umum.")
    text: str = strawberry_django.field(description="Rumusan indikator (indikator).")
    satuan: str = strawberry_django.field(description="Satuan ukur (satuan), contoh \"%\" atau \"Unit\".")
    direction: IndicatorDirection = strawberry_django.field(description="Arah indikator (polaritas): semakin tinggi atau semakin rendah semakin baik.")
    definition: str = strawberry_django.field(description="Definisi operasional atau rumus perhitungan (definisi/formula).")
    data_source: str = strawberry_django.field(description="Sumber data indikator (sumber data).")
    baseline_value: Optional[Decimal] = strawberry_django.field(description="Kondisi awal berupa angka (kondisi awal, baseline); null bila berupa teks.")
    baseline_text: str = strawberry_django.field(description="Kondisi awal berupa teks (kondisi awal).")
    end_target_value: Optional[Decimal] = strawberry_django.field(description="Target akhir periode berupa angka (target akhir); null bila berupa teks.")
    end_target_text: str = strawberry_django.field(description="Target akhir periode berupa teks (target akhir).")
    order: int = strawberry_django.field(description="Urutan indikator pada unsurnya (urutan).")
    targets: list[IndicatorTargetType] = _plain_list("Target tahunan (target per tahun), urut menurut tahun.")


def _indicators(owner):
    return _plain_list(f"Indikator kinerja {owner} ini (indikator), urut menurut urutan.")


# --------------------------------------------------------------------------------------------
# RPJMD / RPD
# --------------------------------------------------------------------------------------------

PlanningPeriodKind = enum_from_choices(
    PlanningPeriod.Kind,
    "PlanningPeriodKind",
    "Jenis rencana lima tahunan (jenis periode): RPJMD, atau RPD bila kepala daerah dijabat penjabat.",
)


@strawberry_django.type(Strategi, name="Strategi", description="Strategi (strategi) untuk mencapai sebuah sasaran RPJMD.")
class StrategiType:
    order: int = strawberry_django.field(description="Urutan strategi pada sasarannya (urutan).")
    text: str = strawberry_django.field(description="Rumusan strategi (strategi).")


@strawberry_django.type(ArahKebijakan, name="ArahKebijakan", description="Arah kebijakan (arah kebijakan) sebuah sasaran RPJMD.")
class ArahKebijakanType:
    order: int = strawberry_django.field(description="Urutan arah kebijakan pada sasarannya (urutan).")
    text: str = strawberry_django.field(description="Rumusan arah kebijakan (arah kebijakan).")


@strawberry_django.type(
    Sasaran,
    name="Sasaran",
    description="Sasaran RPJMD (sasaran): hasil yang hendak dicapai sebuah tujuan, dengan strategi, arah kebijakan dan indikatornya.",
)
class SasaranType(Scoped):
    code: str = strawberry_django.field(description="Kode sasaran (kode), contoh S1.1.1.")
    text: str = strawberry_django.field(description="Rumusan sasaran (sasaran).")
    strategi_list: list[StrategiType] = _plain_list("Strategi (strategi) sasaran ini, urut menurut urutan.")
    arah_kebijakan_list: list[ArahKebijakanType] = _plain_list("Arah kebijakan (arah kebijakan) sasaran ini, urut menurut urutan.")
    indicators: list[IndicatorType] = _indicators("sasaran")


@strawberry_django.type(
    ProgramPrioritas,
    name="ProgramPrioritas",
    description="Program prioritas (program prioritas) RPJMD: program nomenklatur dan perangkat daerah penanggung jawabnya.",
)
class ProgramPrioritasType:
    program: ProgramType = strawberry_django.field(description="Program nomenklatur (program) yang menjadi prioritas.")
    sasaran: Optional[SasaranType] = strawberry_django.field(description="Sasaran RPJMD yang didukung (sasaran); null bila belum ditautkan.")
    perangkat_daerah: list[PerangkatDaerahType] = _plain_list("Perangkat daerah penanggung jawab (OPD pengampu), urut menurut kode.")
    indicators: list[IndicatorType] = _indicators("program prioritas")


@strawberry_django.type(Tujuan, name="Tujuan", description="Tujuan RPJMD (tujuan) di bawah sebuah misi.")
class TujuanType:
    code: str = strawberry_django.field(description="Kode tujuan (kode), contoh T1.1.")
    text: str = strawberry_django.field(description="Rumusan tujuan (tujuan).")
    sasaran_list: Page[SasaranType] = _page("Sasaran (sasaran) tujuan ini, urut menurut kode.")
    indicators: list[IndicatorType] = _indicators("tujuan")


@strawberry_django.type(Misi, name="Misi", description="Misi (misi) kepala daerah dalam RPJMD/RPD, penjabaran visi.")
class MisiType:
    order: int = strawberry_django.field(description="Nomor urut misi (urutan).")
    text: str = strawberry_django.field(description="Rumusan misi (misi).")
    tujuan_list: Page[TujuanType] = _page("Tujuan (tujuan) misi ini, urut menurut kode.")


PlanningPeriodFilter = build(
    filter_type(PlanningPeriod, name="PlanningPeriodFilter", description="Filter daftar periode perencanaan (RPJMD/RPD)."),
    "PlanningPeriodFilter",
    {
        "year": filter_by(
            lambda value, prefix: Q(**{f"{prefix}start_year__lte": value, f"{prefix}end_year__gte": value}),
            int,
            "Periode yang mencakup tahun ini (tahun), contoh 2026 untuk RPJMD 2025-2029.",
        ),
        "kind": filter_lookup("kind", "Jenis periode (jenis): RPJMD atau RPD.", PlanningPeriodKind, normalize=lambda value: value.value),
        "is_published": filter_lookup("is_published", "Status publikasi (dipublikasikan).", bool),
    },
    __name__,
)
PlanningPeriodOrder = build(
    order_type(PlanningPeriod, name="PlanningPeriodOrder", description="Urutan daftar periode perencanaan: pilih satu kriteria per butir."),
    "PlanningPeriodOrder",
    {
        "start_year": order_by("start_year", "Urut menurut tahun awal periode."),
        "name": order_by("name", "Urut menurut nama periode."),
    },
    __name__,
)


def _period_id(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise GraphQLError(f"ID periode '{value}' tidak valid: pakai `id` dari `planningPeriods`.", extensions={"code": "BAD_ID"}) from None


RenstraFilter = build(
    filter_type(Renstra, name="RenstraFilter", description="Filter daftar Renstra PD."),
    "RenstraFilter",
    {
        "perangkat_daerah_code": filter_lookup(
            "perangkat_daerah__code", "Kode unit perangkat daerah pemilik Renstra (kode unit), contoh 1.02.0.00.0.00.01.0000."
        ),
        "period_id": filter_lookup("period_id", "Periode RPJMD/RPD (ID periode dari `planningPeriods`).", strawberry.ID, normalize=_period_id),
        "year": filter_by(
            lambda value, prefix: Q(**{f"{prefix}period__start_year__lte": value, f"{prefix}period__end_year__gte": value}),
            int,
            "Renstra yang periodenya mencakup tahun ini (tahun).",
        ),
        "is_published": filter_lookup("is_published", "Status publikasi (dipublikasikan).", bool),
    },
    __name__,
)
RenstraOrder = build(
    order_type(Renstra, name="RenstraOrder", description="Urutan daftar Renstra PD: pilih satu kriteria per butir."),
    "RenstraOrder",
    {
        "perangkat_daerah_code": order_by("perangkat_daerah__code", "Urut menurut kode unit perangkat daerah."),
        "period_start_year": order_by("period__start_year", "Urut menurut tahun awal periode."),
    },
    __name__,
)


@strawberry_django.type(
    PlanningPeriod,
    name="PlanningPeriod",
    description=(
        "Periode perencanaan lima tahunan (RPJMD, atau RPD): visi, misi, tujuan, sasaran, strategi, arah kebijakan "
        "dan program prioritas daerah."
    ),
)
class PlanningPeriodType(Scoped):
    id: strawberry.ID = strawberry_django.field(description="ID periode (pengenal), untuk filter `periodId` dan lookup `renstra`.")
    kind: PlanningPeriodKind = strawberry_django.field(description="Jenis periode (jenis): RPJMD atau RPD.")
    name: str = strawberry_django.field(description="Nama periode (nama), contoh \"RPJMD Kabupaten Kupang 2025-2029\".")
    start_year: int = strawberry_django.field(description="Tahun awal periode (tahun awal).")
    end_year: int = strawberry_django.field(description="Tahun akhir periode (tahun akhir).")
    visi: str = strawberry_django.field(description="Visi kepala daerah (visi).")
    legal_basis: str = strawberry_django.field(description="Dasar hukum penetapan (dasar hukum), contoh Perda nomor ...")
    is_published: bool = strawberry_django.field(description=PUBLICATION)
    misi_list: Page[MisiType] = _page("Misi (misi) periode ini, urut menurut nomor urut.")
    program_prioritas_list: Page[ProgramPrioritasType] = _page("Program prioritas (program prioritas) periode ini, urut menurut kode program.")
    renstra_list: Page["RenstraType"] = _page(
        "Renstra PD (rencana strategis perangkat daerah) periode ini yang boleh Anda lihat.", RenstraFilter, RenstraOrder
    )


# --------------------------------------------------------------------------------------------
# Renstra PD
# --------------------------------------------------------------------------------------------


def _code_as_written(owner_path, nomenclature, label):
    """`code`: the nomenclature code as the department writes it (support program under its bidang)."""
    perangkat_daerah = f"{owner_path}perangkat_daerah"

    def resolve(root) -> str:
        owner = root
        for step in owner_path.split("__")[:-1]:
            owner = getattr(owner, step)
        return department_code(getattr(root, nomenclature).code, owner.perangkat_daerah)

    return strawberry_django.field(
        resolver=resolve,
        only=[f"{nomenclature}__code", f"{perangkat_daerah}__bidang_urusan_1"],
        select_related=[nomenclature, perangkat_daerah],
        description=(
            f"Kode {label} (kode) seperti ditulis perangkat daerah: program penunjang X.XX.01… ditulis di bawah kode "
            "bidang urusan perangkat daerah itu sendiri, contoh 1.02.01…"
        ),
    )


@strawberry_django.type(RenstraSubKegiatan, name="RenstraSubKegiatan", description="Sub kegiatan (sub kegiatan) dalam Renstra PD, dengan indikator dan target lima tahun.")
class RenstraSubKegiatanType:
    code: str = _code_as_written("renstra_kegiatan__renstra_program__renstra__", "sub_kegiatan", "sub kegiatan")
    sub_kegiatan: SubKegiatanType = strawberry_django.field(description="Sub kegiatan nomenklatur (sub kegiatan).")
    indicators: list[IndicatorType] = _indicators("sub kegiatan Renstra")


@strawberry_django.type(RenstraKegiatan, name="RenstraKegiatan", description="Kegiatan (kegiatan) dalam Renstra PD, dengan sub kegiatannya.")
class RenstraKegiatanType:
    code: str = _code_as_written("renstra_program__renstra__", "kegiatan", "kegiatan")
    kegiatan: KegiatanType = strawberry_django.field(description="Kegiatan nomenklatur (kegiatan).")
    sub_kegiatan_list: Page[RenstraSubKegiatanType] = _page("Sub kegiatan (sub kegiatan) kegiatan ini, urut menurut kode.")
    indicators: list[IndicatorType] = _indicators("kegiatan Renstra")


@strawberry_django.type(
    RenstraSasaran,
    name="RenstraSasaran",
    description="Sasaran Renstra PD (sasaran perangkat daerah), ditautkan ke sasaran RPJMD yang didukungnya.",
)
class RenstraSasaranType(Scoped):
    code: str = strawberry_django.field(description="Kode sasaran (kode).")
    text: str = strawberry_django.field(description="Rumusan sasaran (sasaran).")
    rpjmd_sasaran: Optional[SasaranType] = strawberry_django.field(
        description=(
            "Sasaran RPJMD yang didukung (sasaran RPJMD); null bila belum ditautkan, atau bila RPJMD-nya masih draf yang "
            "tidak boleh Anda lihat."
        )
    )
    indicators: list[IndicatorType] = _indicators("sasaran Renstra")


@strawberry_django.type(RenstraTujuan, name="RenstraTujuan", description="Tujuan Renstra PD (tujuan perangkat daerah).")
class RenstraTujuanType:
    code: str = strawberry_django.field(description="Kode tujuan (kode).")
    text: str = strawberry_django.field(description="Rumusan tujuan (tujuan).")
    sasaran_list: Page[RenstraSasaranType] = _page("Sasaran (sasaran) tujuan ini, urut menurut kode.")
    indicators: list[IndicatorType] = _indicators("tujuan Renstra")


@strawberry_django.type(RenstraProgram, name="RenstraProgram", description="Program (program) dalam Renstra PD, dengan kegiatannya (tabel T-C.27).")
class RenstraProgramType:
    code: str = _code_as_written("renstra__", "program", "program")
    program: ProgramType = strawberry_django.field(description="Program nomenklatur (program).")
    sasaran: Optional[RenstraSasaranType] = strawberry_django.field(
        description="Sasaran Renstra yang didukung program ini (sasaran); null bila belum ditautkan."
    )
    kegiatan_list: Page[RenstraKegiatanType] = _page("Kegiatan (kegiatan) program ini, urut menurut kode.")
    indicators: list[IndicatorType] = _indicators("program Renstra")


@strawberry_django.type(
    Renstra,
    name="Renstra",
    description="Renstra PD (rencana strategis perangkat daerah): rencana lima tahun satu perangkat daerah dalam satu periode RPJMD/RPD.",
)
class RenstraType(Scoped):
    id: strawberry.ID = strawberry_django.field(description="ID Renstra (pengenal).")
    perangkat_daerah: PerangkatDaerahType = strawberry_django.field(description="Perangkat daerah pemilik Renstra (perangkat daerah).")
    period: Optional[PlanningPeriodType] = strawberry_django.field(
        description="Periode RPJMD/RPD Renstra ini (periode); null bila periode itu masih draf yang tidak boleh Anda lihat."
    )
    is_published: bool = strawberry_django.field(description=PUBLICATION)
    notes: str = strawberry_django.field(description="Catatan (catatan).")
    tujuan_list: Page[RenstraTujuanType] = _page("Tujuan (tujuan) Renstra ini, urut menurut kode.")
    program_list: Page[RenstraProgramType] = _page("Program (program) Renstra ini, urut menurut kode program.")


# --------------------------------------------------------------------------------------------
# Renja PD
# --------------------------------------------------------------------------------------------


@strawberry_django.type(
    RenjaLokasi,
    name="RenjaLokasi",
    description="Lokasi (lokasi) sebuah baris Renja: kecamatan atau desa/kelurahan; tanpa wilayah berarti seluruh kabupaten.",
)
class RenjaLokasiType:
    wilayah: Optional[WilayahType] = strawberry_django.field(
        description="Wilayah lokasi (kecamatan atau desa/kelurahan); null berarti seluruh kabupaten."
    )
    description: str = strawberry_django.field(description="Keterangan lokasi (keterangan), contoh nama dusun atau ruas jalan.")

    @classmethod
    def get_queryset(cls, queryset, info, **kwargs):
        # In the order they were entered (the model has no ordering of its own).
        return queryset.order_by("pk")


@strawberry_django.type(RenjaPendanaan, name="RenjaPendanaan", description="Pendanaan (sumber dana dan pagu) sebuah baris Renja.")
class RenjaPendanaanType:
    sumber_dana: SumberDanaType = strawberry_django.field(description="Sumber dana (sumber dana).")
    pagu: Decimal = strawberry_django.field(description="Pagu dari sumber dana ini dalam rupiah (pagu, Rp).")


RenjaRowFilter = build(
    filter_type(RenjaRow, name="RenjaRowFilter", description="Filter baris Renja."),
    "RenjaRowFilter",
    {
        "code_starts_with": filter_lookup(
            "sub_kegiatan__code",
            "Kode sub kegiatan nomenklatur diawali teks ini (awalan kode), contoh \"1.02.02\"; program penunjang: \"X.XX.01\".",
            lookup="startswith",
            normalize=str.strip,
        ),
        "sumber_dana_code": filter_by(
            lambda value, prefix: Q(**{f"{prefix}pk__in": RenjaPendanaan.objects.filter(sumber_dana__code=value).values("row_id")}),
            str,
            "Baris yang didanai sumber dana ini (kode sumber dana).",
        ),
        "wilayah_code": filter_by(
            lambda value, prefix: Q(
                **{
                    f"{prefix}pk__in": RenjaLokasi.objects.filter(
                        Q(wilayah__code=value.strip()) | Q(wilayah__code__startswith=value.strip() + ".")
                    ).values("row_id")
                }
            ),
            str,
            "Baris berlokasi di wilayah ini atau di bawahnya (kode wilayah), contoh kode kecamatan 53.01.04 juga memuat desanya.",
        ),
    },
    __name__,
)
RenjaRowOrder = build(
    order_type(RenjaRow, name="RenjaRowOrder", description="Urutan baris Renja: pilih satu kriteria per butir."),
    "RenjaRowOrder",
    {
        "sub_kegiatan_code": order_by("sub_kegiatan__code", "Urut menurut kode sub kegiatan nomenklatur."),
        "pagu_indikatif": order_by("pagu_indikatif", "Urut menurut pagu indikatif."),
    },
    __name__,
)


@strawberry_django.type(
    RenjaRow,
    name="RenjaRow",
    description="Baris Renja (baris tabel T-C.33): satu sub kegiatan dengan indikator, lokasi, pendanaan dan prakiraan maju.",
)
class RenjaRowType:
    code: str = _code_as_written("renja__", "sub_kegiatan", "sub kegiatan")
    sub_kegiatan: SubKegiatanType = strawberry_django.field(description="Sub kegiatan nomenklatur (sub kegiatan).")
    target_group: str = strawberry_django.field(description="Kelompok sasaran (kelompok sasaran) kegiatan.")
    start_month: int = strawberry_django.field(description="Bulan mulai pelaksanaan, 1-12 (bulan mulai).")
    end_month: int = strawberry_django.field(description="Bulan selesai pelaksanaan, 1-12 (bulan selesai).")
    pagu_indikatif: Decimal = strawberry_django.field(description="Pagu indikatif tahun n dalam rupiah (pagu indikatif): jumlah pagu semua sumber dana.")
    prakiraan_maju_amount: Optional[Decimal] = strawberry_django.field(
        description="Prakiraan maju tahun n+1 dalam rupiah (prakiraan maju); null bila belum diisi."
    )
    notes: str = strawberry_django.field(description="Catatan (catatan / keterangan).")
    lokasi_list: list[RenjaLokasiType] = _plain_list("Lokasi (lokasi) baris ini, urut menurut urutan pengisian; kosong: tidak dicatat.")
    pendanaan_list: list[RenjaPendanaanType] = _plain_list("Pendanaan (sumber dana dan pagu) baris ini, urut menurut kode sumber dana.")
    indicators: list[IndicatorType] = _indicators("baris Renja (capaian, hasil, keluaran)")


RenjaFilter = build(
    filter_type(Renja, name="RenjaFilter", description="Filter daftar Renja PD."),
    "RenjaFilter",
    {
        "year": filter_lookup("year", "Tahun rencana persis (tahun).", int),
        "year_from": filter_lookup("year", "Tahun rencana paling awal (dari tahun), contoh awal periode RPJMD.", int, lookup="gte"),
        "year_to": filter_lookup("year", "Tahun rencana paling akhir (sampai tahun).", int, lookup="lte"),
        "perangkat_daerah_code": filter_lookup(
            "perangkat_daerah__code", "Kode unit perangkat daerah pemilik Renja (kode unit), contoh 1.02.0.00.0.00.01.0000."
        ),
        "is_published": filter_lookup("is_published", "Status publikasi (dipublikasikan).", bool),
    },
    __name__,
)
RenjaOrder = build(
    order_type(Renja, name="RenjaOrder", description="Urutan daftar Renja PD: pilih satu kriteria per butir."),
    "RenjaOrder",
    {
        "year": order_by("year", "Urut menurut tahun rencana."),
        "perangkat_daerah_code": order_by("perangkat_daerah__code", "Urut menurut kode unit perangkat daerah."),
    },
    __name__,
)


@strawberry_django.type(
    Renja,
    name="Renja",
    description="Renja PD (rencana kerja perangkat daerah): rencana satu tahun satu perangkat daerah, baris per sub kegiatan (T-C.33).",
)
class RenjaType(Scoped):
    id: strawberry.ID = strawberry_django.field(description="ID Renja (pengenal).")
    perangkat_daerah: PerangkatDaerahType = strawberry_django.field(description="Perangkat daerah pemilik Renja (perangkat daerah).")
    year: int = strawberry_django.field(description="Tahun rencana (tahun n).")
    is_published: bool = strawberry_django.field(description=PUBLICATION)
    notes: str = strawberry_django.field(description="Catatan (catatan).")
    rows: Page[RenjaRowType] = _page(
        "Baris Renja (sub kegiatan), bawaan urut menurut kode sub kegiatan nomenklatur (program penunjang X.XX.01… di akhir).",
        RenjaRowFilter,
        RenjaRowOrder,
    )


# --------------------------------------------------------------------------------------------
# RKPD and its recaps
# --------------------------------------------------------------------------------------------


@strawberry_django.type(RkpdPriority, name="RkpdPriority", description="Prioritas pembangunan (prioritas) RKPD.")
class RkpdPriorityType:
    order: int = strawberry_django.field(description="Nomor urut prioritas (urutan).")
    name: str = strawberry_django.field(description="Nama prioritas pembangunan (prioritas).")
    description: str = strawberry_django.field(description="Uraian prioritas (uraian).")


@strawberry.type(
    name="PaguTotal",
    description=(
        "Satu kelompok rekap pagu RKPD (rekap pagu): kode dan nama kelompok (urusan, bidang urusan, program, perangkat "
        "daerah, sumber dana atau kecamatan), jumlah pagu dan jumlah baris Renja di dalamnya."
    ),
)
class PaguTotalType:
    code: Optional[str] = strawberry.field(description="Kode kelompok (kode); null untuk kelompok \"Seluruh kabupaten\" pada rekap kecamatan.")
    name: str = strawberry.field(description="Nama kelompok (nama).")
    total_pagu: Decimal = strawberry.field(description="Jumlah pagu kelompok ini dalam rupiah (jumlah pagu).")
    row_count: int = strawberry.field(description="Jumlah baris Renja (sub kegiatan) dalam kelompok ini (jumlah baris).")

    @classmethod
    def of(cls, totals):
        return [cls(code=t.code, name=t.name, total_pagu=t.total_pagu, row_count=t.row_count) for t in totals]


NOTHING = (rkpd_summary.rupiah(0), 0)
RECAP_RULE = (
    "Dihitung dari baris Renja tahun RKPD yang boleh Anda lihat (publik: Renja yang dipublikasikan saja). "
    "Program penunjang X.XX.01… dihitung pada bidang urusan perangkat daerahnya sendiri."
)


def _in_a_list(info):
    """Whether the object being resolved is one of a list (its path goes through a list index)."""
    path = info.path
    while path is not None:
        if isinstance(path.key, int):
            return True
        path = path.prev
    return False


def _recap_of(info, rkpd, recap):
    """{year: result} of a recap over the Renja rows the principal may see, once per request: for a
    lone RKPD (`rkpd(year:)`) over its year's rows; for RKPDs of a list (`rkpdList`) over the rows of
    every RKPD year the principal may see at once, so a list of years costs what one year costs."""
    rows = scoped(info, RenjaRow.objects.all())
    if _in_a_list(info):
        key, rows = (recap.__name__, "every year"), rows.filter(renja__year__in=scoped(info, Rkpd.objects.all()).values("year"))
    else:
        key, rows = (recap.__name__, rkpd.year), rows.filter(renja__year=rkpd.year)
    cache = request_cache(info)
    if key not in cache:
        cache[key] = recap(rows)
    return cache[key]


def _groups(info, rkpd, recap):
    return PaguTotalType.of(_recap_of(info, rkpd, recap).get(rkpd.year, []))


def _recap(description):
    return strawberry_django.field(only=["year"], description=f"{description} {RECAP_RULE}")


@strawberry_django.type(
    Rkpd,
    name="Rkpd",
    description=(
        "RKPD (rencana kerja pemerintah daerah) satu tahun: tema, prioritas pembangunan, dan rekap pagu dari Renja PD "
        "tahun itu per urusan, bidang urusan, program, perangkat daerah, sumber dana dan kecamatan."
    ),
)
class RkpdType(Scoped):
    year: int = strawberry_django.field(description="Tahun rencana (tahun).")
    theme: str = strawberry_django.field(description="Tema pembangunan (tema) tahun ini.")
    is_published: bool = strawberry_django.field(description=PUBLICATION)
    priorities: list[RkpdPriorityType] = _plain_list("Prioritas pembangunan (prioritas), urut menurut nomor urut.")

    @_recap("Jumlah pagu indikatif (total pagu) semua baris Renja tahun ini, dalam rupiah.")
    def total_pagu(self, root: Rkpd, info: strawberry.Info) -> Decimal:
        return _recap_of(info, root, rkpd_summary.totals).get(root.year, NOTHING)[0]

    @_recap("Jumlah baris Renja (sub kegiatan) tahun ini (jumlah baris).")
    def row_count(self, root: Rkpd, info: strawberry.Info) -> int:
        return _recap_of(info, root, rkpd_summary.totals).get(root.year, NOTHING)[1]

    @_recap("Rekap pagu per urusan (per urusan), urut menurut kode.")
    def by_urusan(self, root: Rkpd, info: strawberry.Info) -> list[PaguTotalType]:
        return _groups(info, root, rkpd_summary.by_urusan)

    @_recap("Rekap pagu per bidang urusan (per bidang urusan), urut menurut kode.")
    def by_bidang_urusan(self, root: Rkpd, info: strawberry.Info) -> list[PaguTotalType]:
        return _groups(info, root, rkpd_summary.by_bidang_urusan)

    @_recap("Rekap pagu per program (per program), urut menurut kode program seperti ditulis perangkat daerah.")
    def by_program(self, root: Rkpd, info: strawberry.Info) -> list[PaguTotalType]:
        return _groups(info, root, rkpd_summary.by_program)

    @_recap("Rekap pagu per perangkat daerah (per OPD), urut menurut kode unit.")
    def by_perangkat_daerah(self, root: Rkpd, info: strawberry.Info) -> list[PaguTotalType]:
        return _groups(info, root, rkpd_summary.by_perangkat_daerah)

    @_recap("Rekap pagu per sumber dana (per sumber dana), dari pendanaan setiap baris; urut menurut kode.")
    def by_sumber_dana(self, root: Rkpd, info: strawberry.Info) -> list[PaguTotalType]:
        return _groups(info, root, rkpd_summary.by_sumber_dana)

    @_recap(
        "Rekap pagu per kecamatan (per kecamatan), urut menurut kode, dengan kelompok \"Seluruh kabupaten\" (kode null) "
        "di akhir. Pagu baris yang berlokasi di beberapa tempat dibagi rata ke setiap lokasinya; lokasi desa/kelurahan "
        "dihitung pada kecamatannya; baris tanpa lokasi atau berlokasi seluruh kabupaten masuk \"Seluruh kabupaten\". "
        "Setiap jumlah dibulatkan ke sen, sehingga totalnya dapat selisih beberapa sen dari totalPagu."
    )
    def by_kecamatan(self, root: Rkpd, info: strawberry.Info) -> list[PaguTotalType]:
        return _groups(info, root, rkpd_summary.by_kecamatan)


# --------------------------------------------------------------------------------------------
# Root fields
# --------------------------------------------------------------------------------------------


def _visible_one(info, queryset):
    """The one object of `queryset` as a queryset for the optimizer; none when there is none; a
    FORBIDDEN error when there is one the principal may not see (not a null that reads as "none")."""
    found = queryset.first()
    if found is None:
        return queryset.none()
    require_view(info, found)
    return queryset.model.objects.filter(pk=found.pk)


UNIT_CODE = "Kode unit perangkat daerah (kode unit), contoh 1.02.0.00.0.00.01.0000."
FORBIDDEN_RULE = "Galat \"tidak berwenang\" bila ada tetapi Anda tidak boleh melihatnya (misalnya draf perangkat daerah lain)."


def _renja(
    info: strawberry.Info,
    perangkat_daerah_code: Annotated[str, strawberry.argument(description=UNIT_CODE)],
    year: Annotated[int, strawberry.argument(description="Tahun rencana (tahun).")],
):
    return _visible_one(info, Renja.objects.filter(perangkat_daerah__code=perangkat_daerah_code.strip(), year=year))


def _renstra(
    info: strawberry.Info,
    perangkat_daerah_code: Annotated[str, strawberry.argument(description=UNIT_CODE)],
    year: Annotated[
        Optional[int],
        strawberry.argument(description="Tahun mana pun dalam periode Renstra (tahun); bila beberapa periode mencakupnya, yang terbaru."),
    ] = None,
    period_id: Annotated[Optional[strawberry.ID], strawberry.argument(description="ID periode RPJMD/RPD (dari `planningPeriods`).")] = None,
):
    if (year is None) == (period_id is None):
        raise GraphQLError("Pilih salah satu: `year` (tahun) atau `periodId` (ID periode).", extensions={"code": "BAD_ARGUMENTS"})
    queryset = Renstra.objects.filter(perangkat_daerah__code=perangkat_daerah_code.strip())
    if period_id is not None:
        queryset = queryset.filter(period_id=_period_id(period_id))
    else:
        queryset = queryset.filter(period__start_year__lte=year, period__end_year__gte=year).order_by("-period__start_year")
    return _visible_one(info, queryset)


def _rkpd(info: strawberry.Info, year: Annotated[int, strawberry.argument(description="Tahun rencana (tahun).")]):
    return _visible_one(info, Rkpd.objects.filter(year=year))


@strawberry.type(description="Kueri e-Planning.")
class Query:
    planning_periods: Page[PlanningPeriodType] = page_field(
        PlanningPeriodType,
        filters=PlanningPeriodFilter,
        ordering=PlanningPeriodOrder,
        description="Daftar periode perencanaan (RPJMD/RPD) yang boleh Anda lihat, bawaan urut dari yang terbaru.",
    )
    renstra_list: Page[RenstraType] = page_field(
        RenstraType,
        filters=RenstraFilter,
        ordering=RenstraOrder,
        description="Daftar Renstra PD yang boleh Anda lihat, bawaan urut menurut periode lalu kode unit.",
    )
    renja_list: Page[RenjaType] = page_field(
        RenjaType,
        filters=RenjaFilter,
        ordering=RenjaOrder,
        description="Daftar Renja PD yang boleh Anda lihat, bawaan urut dari tahun terbaru lalu kode unit.",
    )
    rkpd_list: Page[RkpdType] = page_field(
        RkpdType, description="Daftar RKPD (satu per tahun) yang boleh Anda lihat, urut dari tahun terbaru."
    )
    renja: Optional[RenjaType] = strawberry_django.field(
        resolver=_renja,
        description=f"Renja satu perangkat daerah pada satu tahun; null bila tidak ada. {FORBIDDEN_RULE}",
    )
    renstra: Optional[RenstraType] = strawberry_django.field(
        resolver=_renstra,
        description=f"Renstra satu perangkat daerah pada satu periode (pilih `year` atau `periodId`); null bila tidak ada. {FORBIDDEN_RULE}",
    )
    rkpd: Optional[RkpdType] = strawberry_django.field(
        resolver=_rkpd,
        description=f"RKPD satu tahun dengan rekap pagunya; null bila RKPD tahun itu belum dibuat. {FORBIDDEN_RULE}",
    )

