"""The annual cycle over GraphQL: the consistency report (`consistencyFindings`, staff only) and the
quarterly realisation of set Renja (`realisasiList`, public once a verifier accepted it).

Both answer with what `backoffice.access.policy` lets the principal see: realisation follows its
Renja row (the public sees accepted reports of published Renja; a department also its own drafts),
and the consistency report is computed by the same service the admin report uses, over the
department's own Renja for department staff.
"""

import enum
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Optional

import strawberry
import strawberry_django
from django.db.models import Prefetch
from graphql import GraphQLError

from backoffice.access.models import BAPPEDA_ROLES, OPD_ROLES
from backoffice.planning.cycle_views.consistency import FindingLinks, object_label
from backoffice.planning.models import Indicator, IndicatorTarget, Realisasi
from backoffice.planning.services import FINDING_KINDS, consistency_findings
from backoffice.planning.services.monev import capaian
from backoffice.reference.models import PerangkatDaerah

from .auth import Scoped, principal_of, scoped
from .filtering import build, enum_from_choices, filter_lookup, filter_type, order_by, order_type
from .pagination import Page, page_field
from .planning import UNIT_CODE, RenjaRowType
from .reference import PerangkatDaerahType

# --------------------------------------------------------------------------------------------
# Quarterly realisation
# --------------------------------------------------------------------------------------------

RealisasiStatus = enum_from_choices(
    Realisasi.Status,
    "RealisasiStatus",
    "Status laporan realisasi triwulan (status): draf dan diajukan oleh perangkat daerah, dikembalikan atau diterima oleh verifikator Bappeda.",
)


@strawberry.type(
    name="Capaian",
    description=(
        "Capaian kumulatif sebuah baris Renja sampai triwulan laporan ini, dihitung dari laporan yang sudah diterima "
        "verifikator (bukan diketik): realisasi fisik terhadap target keluaran tahun itu dan realisasi anggaran terhadap pagu."
    ),
)
class CapaianType:
    target: Optional[Decimal] = strawberry.field(description="Target keluaran (output) baris ini pada tahun Renja (target); null bila tidak ada target angka.")
    pagu: Decimal = strawberry.field(description="Pagu indikatif baris ini dalam rupiah (pagu).")
    physical: Decimal = strawberry.field(description="Realisasi fisik kumulatif sampai triwulan ini (realisasi fisik).")
    spent: Decimal = strawberry.field(description="Realisasi anggaran kumulatif sampai triwulan ini dalam rupiah (realisasi anggaran).")
    physical_percent: Optional[Decimal] = strawberry.field(description="Capaian fisik dalam persen target, dua desimal; null bila tidak ada target.")
    spent_percent: Optional[Decimal] = strawberry.field(description="Capaian anggaran dalam persen pagu, dua desimal; null bila pagu nol.")


@strawberry_django.type(
    Realisasi,
    name="Realisasi",
    description="Laporan realisasi satu triwulan untuk satu baris Renja yang sudah ditetapkan (monev, tabel E.81).",
)
class RealisasiType(Scoped):
    id: strawberry.ID = strawberry_django.field(description="ID laporan (pengenal).")
    row: RenjaRowType = strawberry_django.field(description="Baris Renja (sub kegiatan) yang dilaporkan.")
    triwulan: int = strawberry_django.field(description="Triwulan (triwulan), 1-4.")
    physical: Decimal = strawberry_django.field(description="Realisasi fisik (keluaran) pada triwulan ini saja, dalam satuan indikator keluaran.")
    spent: Decimal = strawberry_django.field(description="Realisasi anggaran pada triwulan ini saja, dalam rupiah.")
    notes: str = strawberry_django.field(description="Keterangan perangkat daerah (keterangan).")
    status: RealisasiStatus = strawberry_django.field(description="Status laporan (status).")
    verified_at: Optional[datetime] = strawberry_django.field(description="Waktu verifikator menerima atau mengembalikan laporan (waktu verifikasi); null bila belum.")

    @classmethod
    def get_queryset(cls, queryset, info, **kwargs):
        # The reading order of table E.81; a client's `ordering` is applied after this and wins.
        return scoped(info, queryset).order_by("row__renja__year", "row__renja__perangkat_daerah__code", "row__sub_kegiatan__code", "triwulan")

    @strawberry_django.field(
        description="Capaian kumulatif baris ini sampai triwulan laporan ini, dari laporan yang sudah diterima.",
        only=["triwulan", "row__pagu_indikatif", "row__renja__year"],
        select_related=["row__renja"],
        prefetch_related=[
            # Only accepted reports count towards capaian; fetched in one query for the page.
            Prefetch("row__realisasi_list", queryset=Realisasi.objects.filter(status=Realisasi.Status.ACCEPTED).order_by()),
            Prefetch("row__indicators", queryset=Indicator.objects.prefetch_related(Prefetch("targets", queryset=IndicatorTarget.objects.all()))),
        ],
    )
    def capaian(self, root: Realisasi) -> CapaianType:
        result = capaian(root.row, up_to=root.triwulan, accepted_only=True)
        return CapaianType(
            target=result.target,
            pagu=result.pagu,
            physical=result.physical,
            spent=result.spent,
            physical_percent=result.physical_percent,
            spent_percent=result.spent_percent,
        )


RealisasiFilter = build(
    filter_type(Realisasi, name="RealisasiFilter", description="Filter laporan realisasi triwulan."),
    "RealisasiFilter",
    {
        "year": filter_lookup("row__renja__year", "Tahun Renja (tahun).", int),
        "perangkat_daerah_code": filter_lookup("row__renja__perangkat_daerah__code", f"Perangkat daerah pemilik Renja. {UNIT_CODE}", normalize=str.strip),
        "sub_kegiatan_code": filter_lookup("row__sub_kegiatan__code", "Kode sub kegiatan baris Renja diawali teks ini (awalan kode).", lookup="startswith", normalize=str.strip),
        "triwulan": filter_lookup("triwulan", "Triwulan (triwulan), 1-4.", int),
        "status": filter_lookup("status", "Status laporan (status); publik hanya melihat yang diterima.", RealisasiStatus, normalize=lambda status: status.value),
    },
    __name__,
)
RealisasiOrder = build(
    order_type(Realisasi, name="RealisasiOrder", description="Urutan laporan realisasi: pilih satu kriteria per butir."),
    "RealisasiOrder",
    {
        "year": order_by("row__renja__year", "Urut menurut tahun Renja."),
        "perangkat_daerah_code": order_by("row__renja__perangkat_daerah__code", "Urut menurut kode unit perangkat daerah."),
        "sub_kegiatan_code": order_by("row__sub_kegiatan__code", "Urut menurut kode sub kegiatan."),
        "triwulan": order_by("triwulan", "Urut menurut triwulan."),
    },
    __name__,
)

# --------------------------------------------------------------------------------------------
# Consistency findings
# --------------------------------------------------------------------------------------------

ConsistencyFindingKind = strawberry.enum(
    enum.Enum(
        "ConsistencyFindingKind",
        {kind.upper(): strawberry.enum_value(kind, description=label) for kind, (label, _blocking) in FINDING_KINDS.items()},
    ),
    name="ConsistencyFindingKind",
    description="Jenis temuan konsistensi (jenis temuan).",
)


@strawberry.type(
    name="ConsistencyFinding",
    description="Satu putusnya rantai RPJMD -> Renstra -> Renja (temuan konsistensi), dengan baris yang dimaksud dan tautannya di admin.",
)
class ConsistencyFindingType:
    kind: ConsistencyFindingKind = strawberry.field(description="Jenis temuan (jenis).")
    label: str = strawberry.field(description="Nama jenis temuan dalam bahasa Indonesia (label), contoh \"Pagu melebihi plafon\".")
    blocking: bool = strawberry.field(description="Menghalangi penetapan (memblokir): Renja tidak dapat ditetapkan selama ada temuan seperti ini.")
    perangkat_daerah: PerangkatDaerahType = strawberry.field(description="Perangkat daerah yang memiliki baris ini (perangkat daerah).")
    subject: str = strawberry.field(description="Baris yang dimaksud (objek), contoh \"Baris Renja 1.02.02.2.01.0001 ...\" atau \"Sasaran Renstra 1.1\".")
    message: str = strawberry.field(description="Uraian temuan (pesan), menyebut baris, kode dan angka yang berselisih.")
    admin_url: str = strawberry.field(description="Alamat halaman baris ini di admin (tautan admin); perlu masuk sebagai staf.")


def _unit(principal, code):
    """The department the report is about: a department's staff always get their own (asking for
    another one is refused); Bappeda any department, or the whole region when no code is given."""
    unit = None
    if code:
        unit = PerangkatDaerah.objects.filter(code=code.strip()).first()
        if unit is None:
            raise GraphQLError(f"Tidak ada perangkat daerah dengan kode unit {code.strip()}.", extensions={"code": "NOT_FOUND"})
    if principal.role in OPD_ROLES:
        if unit is not None and unit.pk != principal.perangkat_daerah_id:
            raise GraphQLError("Anda hanya boleh melihat temuan konsistensi perangkat daerah Anda sendiri.", extensions={"code": "FORBIDDEN"})
        return PerangkatDaerah.objects.get(pk=principal.perangkat_daerah_id)
    return unit


def _consistency_findings(
    info: strawberry.Info,
    year: Annotated[int, strawberry.argument(description="Tahun Renja (tahun).")],
    perangkat_daerah_code: Annotated[
        Optional[str],
        strawberry.argument(description=f"Satu perangkat daerah; kosong: seluruh kabupaten (hanya Bappeda). {UNIT_CODE}"),
    ] = None,
    blocking_only: Annotated[bool, strawberry.argument(description="Hanya temuan yang menghalangi penetapan (memblokir).")] = False,
) -> list[ConsistencyFindingType]:
    principal = principal_of(info)
    if principal.role not in BAPPEDA_ROLES | OPD_ROLES:
        raise GraphQLError(
            "Laporan konsistensi hanya untuk staf Bappeda dan perangkat daerah (sesi admin atau token API).", extensions={"code": "FORBIDDEN"}
        )
    findings = consistency_findings(year, _unit(principal, perangkat_daerah_code), principal=principal)
    links = FindingLinks(principal.user)
    request = getattr(info.context, "request", None)

    def absolute(url):
        return request.build_absolute_uri(url) if request is not None and url else url

    return [
        ConsistencyFindingType(
            kind=ConsistencyFindingKind(f.kind),
            label=f.label,
            blocking=f.blocking,
            perangkat_daerah=f.perangkat_daerah,
            subject=object_label(f.obj),
            message=f.message,
            admin_url=absolute(links.url(f.obj)),
        )
        for f in findings
        if f.blocking or not blocking_only
    ]


@strawberry.type(description="Kueri siklus tahunan e-Planning: konsistensi dan monev triwulan.")
class Query:
    realisasi_list: Page[RealisasiType] = page_field(
        RealisasiType,
        filters=RealisasiFilter,
        ordering=RealisasiOrder,
        description=(
            "Laporan realisasi triwulan (monev) yang boleh Anda lihat: publik melihat laporan yang sudah diterima "
            "verifikator untuk Renja yang ditetapkan dan dipublikasikan; perangkat daerah juga laporannya sendiri yang "
            "belum diterima. Bawaan urut menurut tahun, kode unit, kode sub kegiatan lalu triwulan."
        ),
    )
    consistency_findings: list[ConsistencyFindingType] = strawberry.field(
        resolver=_consistency_findings,
        description=(
            "Temuan konsistensi (laporan konsistensi) Renja satu tahun: program di luar Renstra atau bidang urusan, kode "
            "yang tidak berlaku, pagu melebihi plafon, indikator/target kosong, target berbeda dengan Renstra, sasaran "
            "Renstra tanpa sasaran RPJMD. Hanya untuk staf: Bappeda untuk seluruh kabupaten atau satu perangkat daerah; "
            "staf perangkat daerah untuk perangkat daerahnya sendiri. Publik mendapat galat FORBIDDEN."
        ),
    )

