"""Reference (master) data over GraphQL: the versioned nomenclature, perangkat daerah, wilayah,
satuan and sumber dana. Public and read-only.

The five nomenclature levels (Urusan → BidangUrusan → Program → Kegiatan → SubKegiatan) share
one description table (`LEVELS`) from which their types, filters, orderings, root lists and
lookups are generated; only what differs (the parent link, the child list, sub kegiatan's
kinerja/indikator/satuan) is written per level.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated, NewType, Optional

import strawberry
import strawberry_django
from django.db.models import Q
from strawberry import UNSET
from strawberry_django.optimizer import is_optimized_by_prefetching

from backoffice.reference import codes
from backoffice.reference.models import (
    BidangUrusan,
    Kegiatan,
    NomenclatureEdition,
    PerangkatDaerah,
    Program,
    Satuan,
    SubKegiatan,
    SumberDana,
    Urusan,
    Wilayah,
)

from .editions import EDITION_DESCRIPTION, YEAR_DESCRIPTION, edition_for, select_edition
from .filtering import build, enum_from_choices, filter_by, filter_lookup, filter_type, order_by, order_type
from .pagination import ListField, Page, max_page_size, page_field

# --------------------------------------------------------------------------------------------
# Shared pieces
# --------------------------------------------------------------------------------------------

GeoJSON = NewType("GeoJSON", object)

SCALARS = {
    GeoJSON: strawberry.scalar(
        name="GeoJSON",
        description=(
            "Geometri GeoJSON (RFC 7946), misalnya {\"type\": \"MultiPolygon\", \"coordinates\": [...]}; "
            "koordinat bujur, lintang (WGS 84)."
        ),
        parse_value=lambda value: value,
    )
}


def _code_filters(label, example, normalize=None):
    """code (exact) / codeStartsWith / nameContains: the same three filters on every coded table."""
    padding = " Segmen akhir 2 digit (.01) dibaca 4 digit (.0001)." if example.count(".") == 5 else ""
    return {
        "code": filter_lookup("code", f"Kode {label} persis sama (kode), contoh {example}.{padding}", normalize=normalize),
        "code_starts_with": filter_lookup(
            "code", f"Kode {label} diawali teks ini (awalan kode), contoh \"{example.rsplit('.', 1)[0]}\".", lookup="startswith"
        ),
        "name_contains": filter_lookup(
            "name", f"Nama {label} memuat teks ini, tanpa membedakan huruf besar/kecil (cari nama).", lookup="icontains"
        ),
    }


def _code_orders(label):
    return {
        "code": order_by("code", f"Urut menurut kode {label}."),
        "name": order_by("name", f"Urut menurut nama {label}."),
    }


# --------------------------------------------------------------------------------------------
# Nomenclature editions
# --------------------------------------------------------------------------------------------


@strawberry_django.type(
    NomenclatureEdition,
    name="NomenclatureEdition",
    description=(
        "Edisi nomenklatur (regulasi): Permendagri 90/2019 atau Kepmendagri yang mengubahnya, dengan tahun "
        "anggaran pertama yang memakainya. Sebuah baris nomenklatur termasuk edisi E bila berlaku sejak edisi "
        "bertahun <= E.year dan belum diakhiri oleh edisi bertahun <= E.year."
    ),
)
class NomenclatureEditionType:
    name: str = strawberry_django.field(description="Nama regulasi (nama edisi), contoh \"Kepmendagri 050-3708/2020\".")
    year: int = strawberry_django.field(description="Tahun berlaku: tahun anggaran pertama yang memakai edisi ini.")
    level_pemda: str = strawberry_django.field(
        description="Jenis pemda (tingkat pemerintah daerah) edisi ini: \"kab\" = kabupaten/kota, \"prov\" = provinsi."
    )
    description: str = strawberry_django.field(description="Keterangan edisi (catatan bebas).")
    imported_at: Optional[datetime] = strawberry_django.field(
        description="Waktu terakhir diimpor (terakhir diimpor), zona waktu server; null bila belum pernah."
    )


# --------------------------------------------------------------------------------------------
# Nomenclature: the five levels
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    key: str  # codes.NOMENCLATURE_LEVELS key, also the model's parent/child field stem
    model: type
    gql_name: str  # GraphQL type name: Urusan, BidangUrusan, ...
    label: str  # lower-case Indonesian term: "bidang urusan"
    meaning: str  # what it is, for descriptions
    parent: Optional[str] = None
    child: Optional[str] = None

    @property
    def number(self):
        return codes.NOMENCLATURE_LEVELS.index(self.key) + 1

    @property
    def example(self):
        return codes.NOMENCLATURE_EXAMPLES[self.key]

    @property
    def list_name(self):
        """Django related_name of this level's rows under their parent, also the GraphQL list name."""
        return f"{self.key}_list"


LEVELS = {
    level.key: level
    for level in (
        Level("urusan", Urusan, "Urusan", "urusan", "kelompok urusan pemerintahan; 1-3 urusan, 4-9 unsur pendukung/pengawas/kewilayahan/umum", child="bidang_urusan"),
        Level("bidang_urusan", BidangUrusan, "BidangUrusan", "bidang urusan", "bidang urusan pemerintahan, misalnya kesehatan", parent="urusan", child="program"),
        Level("program", Program, "Program", "program", "program di bawah satu bidang urusan", parent="bidang_urusan", child="kegiatan"),
        Level("kegiatan", Kegiatan, "Kegiatan", "kegiatan", "kegiatan sebuah program; segmen ke-4 kode: 1 = provinsi, 2 = kabupaten/kota", parent="program", child="sub_kegiatan"),
        Level("sub_kegiatan", SubKegiatan, "SubKegiatan", "sub kegiatan", "sub kegiatan, satuan terkecil perencanaan dan penganggaran; segmen akhir 4 digit", parent="kegiatan"),
    )
}

ACTIVE_DEFAULT = (
    "Bawaan: hanya baris yang berlaku (isActive true); filter isActive false: hanya yang usang; "
    "filter includeInactive true: keduanya."
)
EDITION_RULE = (
    "Memuat versi baris pada edisi nomenklatur yang dibaca field akar kueri (argumen year/edition; bawaan: edisi yang berlaku tahun ini)."
)


def _mentions_is_active(filters):
    """Whether the client chose which rows to see by status (isActive or includeInactive, anywhere in AND/OR/NOT)."""
    if filters is None or filters is UNSET:
        return False
    if getattr(filters, "is_active", UNSET) not in (None, UNSET) or getattr(filters, "include_inactive", None) is True:
        return True
    return any(_mentions_is_active(getattr(filters, op, None)) for op in ("AND", "OR", "NOT"))


class NomenclatureListField(ListField):
    """A list of nomenclature rows, root or nested: the rows of the edition the root field chose,
    in force unless the filters ask about isActive.

    The optimizer calls this `get_queryset` for nested lists too (with the nested field's info,
    whose path leads to the root field), so the prefetch of every level is filtered alike.
    Upward links (`SubKegiatan.kegiatan`, ...) are plain foreign keys and are not filtered: they
    show exactly the parent row a version points at.
    """

    def get_queryset(self, queryset, info, **kwargs):
        if not is_optimized_by_prefetching(queryset):
            queryset = queryset.in_edition(edition_for(info))
            if not _mentions_is_active(kwargs.get("filters")):
                queryset = queryset.filter(is_active=True)
        return super().get_queryset(queryset, info, **kwargs)


def _nomenclature_filter(level):
    parent = LEVELS.get(level.parent)
    namespace = {
        **_code_filters(level.label, level.example, normalize=codes.normalize_nomenclature_code),
        "is_active": filter_lookup("is_active", f"Berlaku (status berlaku) menurut regulasi. {ACTIVE_DEFAULT}", bool),
        "include_inactive": filter_by(
            lambda value, prefix: Q(),
            bool,
            "Sertakan baris usang (tidak berlaku) bersama yang berlaku. Perlu untuk menelusuri pohon sampai ke baris "
            "berlaku yang induknya ditandai usang (ada dalam data regulasi).",
        ),
    }
    if parent is not None:
        namespace[f"{parent.key}_code"] = filter_lookup(
            f"{parent.key}__code",
            f"Kode {parent.label} induk (kode induk), contoh {parent.example}.",
            normalize=codes.normalize_nomenclature_code,
        )
    return build(
        filter_type(level.model, name=f"{level.gql_name}Filter", description=f"Filter daftar {level.label} ({level.gql_name})."),
        f"{level.gql_name}Filter",
        namespace,
    )


def _nomenclature_order(level):
    return build(
        order_type(level.model, name=f"{level.gql_name}Order", description=f"Urutan daftar {level.label}: pilih satu kriteria per butir."),
        f"{level.gql_name}Order",
        _code_orders(level.label),
    )


FILTERS = {key: _nomenclature_filter(level) for key, level in LEVELS.items()}
ORDERS = {key: _nomenclature_order(level) for key, level in LEVELS.items()}


def _children_field(key):
    """`Urusan.bidangUrusanList` etc.: the child level's rows under this row, in the root's edition."""
    level, child = LEVELS[key], LEVELS[LEVELS[key].child]
    return strawberry_django.offset_paginated(
        field_cls=NomenclatureListField,
        filters=FILTERS[child.key],
        ordering=ORDERS[child.key],
        description=(
            f"Daftar {child.label} di bawah {level.label} ini (turun satu tingkat). {EDITION_RULE} {ACTIVE_DEFAULT}"
        ),
    )


def _parent_field(key):
    """`SubKegiatan.kegiatan` etc.: the parent row this version points at."""
    level, parent = LEVELS[key], LEVELS[LEVELS[key].parent]
    return strawberry_django.field(
        description=f"{parent.label.capitalize()} induk {level.label} ini (naik satu tingkat): baris yang ditunjuk versi ini."
    )


def nomenclature_type(key):
    """Add the fields every level shares (with level-specific descriptions) and make the type."""
    level = LEVELS[key]

    def wrap(cls):
        shared = {
            "code": (str, f"Kode {level.label} (Kode {level.label.title()}), contoh {level.example}. Teks, bukan angka."),
            "name": (str, f"Nama {level.label} (Nomenklatur {level.label.title()})."),
            "is_active": (
                bool,
                "Berlaku: false bila regulasi menandai baris ini usang (tidak berlaku); baris usang disimpan agar rantai induk tetap utuh.",
            ),
            "valid_from": (NomenclatureEditionType, "Edisi nomenklatur yang memulai versi baris ini (berlaku sejak edisi)."),
            "valid_until": (
                Optional[NomenclatureEditionType],
                "Edisi yang mengakhiri versi baris ini (diakhiri oleh edisi); null bila ini versi terbaru.",
            ),
        }
        cls.__annotations__ = {**{name: type_ for name, (type_, _) in shared.items()}, **cls.__dict__.get("__annotations__", {})}
        for name, (_, description) in shared.items():
            setattr(cls, name, strawberry_django.field(description=description))
        return strawberry_django.type(
            level.model,
            name=level.gql_name,
            description=(
                f"{level.gql_name} ({level.meaning}): tingkat {level.number} nomenklatur Permendagri 90/2019. "
                "Berversi: setiap edisi dapat menambah, mengganti nama atau mengakhiri baris, sehingga satu kode "
                "dapat memiliki beberapa versi (baris)."
            ),
        )(cls)

    return wrap


@nomenclature_type("urusan")
class UrusanType:
    bidang_urusan_list: "Page[BidangUrusanType]" = _children_field("urusan")


@nomenclature_type("bidang_urusan")
class BidangUrusanType:
    urusan: UrusanType = _parent_field("bidang_urusan")
    program_list: "Page[ProgramType]" = _children_field("bidang_urusan")


@nomenclature_type("program")
class ProgramType:
    bidang_urusan: BidangUrusanType = _parent_field("program")
    kegiatan_list: "Page[KegiatanType]" = _children_field("program")


@nomenclature_type("kegiatan")
class KegiatanType:
    program: ProgramType = _parent_field("kegiatan")
    sub_kegiatan_list: "Page[SubKegiatanType]" = _children_field("kegiatan")


@nomenclature_type("sub_kegiatan")
class SubKegiatanType:
    kegiatan: KegiatanType = _parent_field("sub_kegiatan")
    kinerja: str = strawberry_django.field(description="Kinerja: keluaran (output) yang diharapkan dari sub kegiatan ini.")
    indikator: str = strawberry_django.field(description="Indikator: cara keluaran sub kegiatan diukur.")
    satuan: str = strawberry_django.field(description="Satuan ukur indikator (satuan), contoh \"Dokumen\".")


TYPES = {
    "urusan": UrusanType,
    "bidang_urusan": BidangUrusanType,
    "program": ProgramType,
    "kegiatan": KegiatanType,
    "sub_kegiatan": SubKegiatanType,
}


def nomenclature_list(key):
    """Root list of one level (`programList`), in the edition chosen by `year` / `edition`."""
    level = LEVELS[key]

    def resolve(
        info: strawberry.Info,
        year: Annotated[Optional[int], strawberry.argument(description=YEAR_DESCRIPTION)] = None,
        edition: Annotated[Optional[str], strawberry.argument(description=EDITION_DESCRIPTION)] = None,
    ):
        select_edition(info, year=year, edition=edition)
        return level.model.objects.all()

    return strawberry_django.offset_paginated(
        Page[TYPES[key]],
        resolver=resolve,
        field_cls=NomenclatureListField,
        filters=FILTERS[key],
        ordering=ORDERS[key],
        description=(
            f"Daftar {level.label} ({level.gql_name}) pada satu edisi nomenklatur (bawaan: yang berlaku tahun ini). "
            f"{ACTIVE_DEFAULT} Daftar bertingkat di bawahnya memakai edisi yang sama."
        ),
    )


def nomenclature_lookup(key):
    """Root lookup of one row by code (`subKegiatan(code:)`), the version in force in the edition."""
    level = LEVELS[key]

    def resolve(
        info: strawberry.Info,
        code: Annotated[
            str,
            strawberry.argument(
                description=f"Kode {level.label}, contoh {level.example}"
                + (" (segmen akhir 2 digit seperti .01 dibaca .0001)." if key == "sub_kegiatan" else ".")
            ),
        ],
        year: Annotated[Optional[int], strawberry.argument(description=YEAR_DESCRIPTION)] = None,
        edition: Annotated[Optional[str], strawberry.argument(description=EDITION_DESCRIPTION)] = None,
    ):
        chosen = select_edition(info, year=year, edition=edition)
        return level.model.objects.in_force(chosen).filter(code=codes.normalize_nomenclature_code(code))

    return strawberry_django.field(
        resolver=resolve,
        graphql_type=Optional[TYPES[key]],
        description=(
            f"Satu {level.label} menurut kodenya: versi yang berlaku pada edisi yang dipilih (bawaan: edisi tahun ini); "
            "null bila kode itu tidak ada atau tidak berlaku pada edisi tersebut."
        ),
    )


# --------------------------------------------------------------------------------------------
# Wilayah
# --------------------------------------------------------------------------------------------


WilayahLevel = enum_from_choices(Wilayah.Level, "WilayahLevel", "Tingkat wilayah (tingkat): provinsi, kabupaten/kota, kecamatan, desa/kelurahan.")
WilayahKind = enum_from_choices(
    Wilayah.Kind, "WilayahKind", "Jenis wilayah (jenis): membedakan kabupaten dari kota dan desa dari kelurahan."
)

WilayahFilter = build(
    filter_type(Wilayah, name="WilayahFilter", description="Filter daftar wilayah."),
    "WilayahFilter",
    {
        **_code_filters("wilayah", "53.01.05.2001"),
        "level": filter_lookup("level", "Tingkat wilayah (tingkat).", WilayahLevel, normalize=lambda value: value.value),
        "kind": filter_lookup("kind", "Jenis wilayah (jenis).", WilayahKind, normalize=lambda value: value.value),
        "parent_code": filter_lookup("parent__code", "Kode wilayah induk (kode induk), contoh 53.01 untuk kecamatan di Kabupaten Kupang."),
    },
)
WilayahOrder = build(
    order_type(Wilayah, name="WilayahOrder", description="Urutan daftar wilayah: pilih satu kriteria per butir."),
    "WilayahOrder",
    _code_orders("wilayah"),
)


@strawberry_django.type(
    Wilayah,
    name="Wilayah",
    description="Wilayah (daerah) berkode Kemendagri: provinsi, kabupaten/kota, kecamatan, desa/kelurahan.",
)
class WilayahType:
    code: str = strawberry_django.field(
        description="Kode wilayah Kemendagri (kode wilayah), teks: 53 provinsi, 53.01 kabupaten, 53.01.04 kecamatan, 53.01.05.2001 desa/kelurahan."
    )
    name: str = strawberry_django.field(description="Nama wilayah (nama daerah).")
    level: WilayahLevel = strawberry_django.field(description="Tingkat wilayah (tingkat).")
    kind: WilayahKind = strawberry_django.field(description="Jenis wilayah (jenis), contoh DESA atau KELURAHAN.")
    parent: Optional["WilayahType"] = strawberry_django.field(description="Wilayah induk (naik satu tingkat); null untuk provinsi.")
    children: Page["WilayahType"] = strawberry_django.offset_paginated(
        field_cls=ListField,
        filters=WilayahFilter,
        ordering=WilayahOrder,
        description="Wilayah di bawah wilayah ini (turun satu tingkat), misalnya desa/kelurahan sebuah kecamatan.",
    )
    centroid_lat: Optional[Decimal] = strawberry_django.field(
        description="Lintang titik tengah (centroid) dalam derajat desimal (WGS 84); null bila belum ada."
    )
    centroid_lng: Optional[Decimal] = strawberry_django.field(
        description="Bujur titik tengah (centroid) dalam derajat desimal (WGS 84); null bila belum ada."
    )
    boundary: Optional[GeoJSON] = strawberry_django.field(description="Batas wilayah sebagai geometri GeoJSON; null bila belum ada.")


# --------------------------------------------------------------------------------------------
# Perangkat daerah
# --------------------------------------------------------------------------------------------


def _serves_bidang(value, prefix):
    code = codes.normalize_nomenclature_code(value)
    return Q(**{f"{prefix}bidang_urusan_1": code}) | Q(**{f"{prefix}bidang_urusan_2": code}) | Q(**{f"{prefix}bidang_urusan_3": code})


PerangkatDaerahFilter = build(
    filter_type(PerangkatDaerah, name="PerangkatDaerahFilter", description="Filter daftar perangkat daerah."),
    "PerangkatDaerahFilter",
    {
        **_code_filters("unit", "1.02.0.00.0.00.01.0000"),
        "bidang_urusan_code": filter_by(
            _serves_bidang, str, "Perangkat daerah yang melayani bidang urusan ini (kode bidang urusan), contoh 1.02."
        ),
        "is_active": filter_lookup("is_active", "Aktif: unit masih ada (aktif).", bool),
        "parent_code": filter_lookup("parent__code", "Kode unit induk (kode induk), untuk mencari sub-unit sebuah dinas."),
    },
)
PerangkatDaerahOrder = build(
    order_type(PerangkatDaerah, name="PerangkatDaerahOrder", description="Urutan daftar perangkat daerah: pilih satu kriteria per butir."),
    "PerangkatDaerahOrder",
    _code_orders("perangkat daerah"),
)


@strawberry_django.type(
    PerangkatDaerah,
    name="PerangkatDaerah",
    description=(
        "Perangkat daerah (SKPD/OPD): dinas, badan, kecamatan, atau sub-unitnya (UPTD, RSUD, kelurahan), "
        "berkode unit U.BB.U2.B2.U3.B3.NN.SSSS."
    ),
)
class PerangkatDaerahType:
    code: str = strawberry_django.field(description="Kode unit (kode unit), contoh 1.02.0.00.0.00.01.0000 Dinas Kesehatan.")
    name: str = strawberry_django.field(description="Nama perangkat daerah (nama unit).")
    short_name: str = strawberry_django.field(description="Singkatan nama (singkatan), contoh DINKES; kosong bila tidak ada.")
    is_active: bool = strawberry_django.field(description="Aktif: false bila unit sudah tidak ada.")
    head_name: str = strawberry_django.field(description="Nama kepala perangkat daerah (nama kepala); kosong bila belum diisi.")
    parent: Optional["PerangkatDaerahType"] = strawberry_django.field(
        description="Unit induk (unit induk) sebuah sub-unit; null untuk perangkat daerah utama."
    )
    sub_units: Page["PerangkatDaerahType"] = strawberry_django.offset_paginated(
        field_cls=ListField,
        filters=PerangkatDaerahFilter,
        ordering=PerangkatDaerahOrder,
        description="Sub-unit (UPTD, RSUD, kelurahan) di bawah unit ini.",
    )

    @strawberry_django.field(
        only=["bidang_urusan_1", "bidang_urusan_2", "bidang_urusan_3"],
        description="Kode bidang urusan yang dilayani (bidang urusan), 1 sampai 3 kode dari kode unit, contoh [\"1.02\"].",
    )
    def bidang_urusan_codes(self, root: PerangkatDaerah) -> list[str]:
        return root.bidang_urusan_codes


# --------------------------------------------------------------------------------------------
# Satuan, sumber dana
# --------------------------------------------------------------------------------------------

SatuanFilter = build(
    filter_type(Satuan, name="SatuanFilter", description="Filter daftar satuan."),
    "SatuanFilter",
    {"name_contains": filter_lookup("name", "Nama satuan memuat teks ini (cari nama).", lookup="icontains")},
)
SatuanOrder = build(
    order_type(Satuan, name="SatuanOrder", description="Urutan daftar satuan."),
    "SatuanOrder",
    {"name": order_by("name", "Urut menurut nama satuan.")},
)


@strawberry_django.type(Satuan, name="Satuan", description="Satuan ukur (satuan) indikator dan usulan, contoh Dokumen, Unit, Orang.")
class SatuanType:
    name: str = strawberry_django.field(description="Nama satuan (satuan).")
    description: str = strawberry_django.field(description="Keterangan satuan (keterangan); kosong bila tidak ada.")


SumberDanaFilter = build(
    filter_type(SumberDana, name="SumberDanaFilter", description="Filter daftar sumber dana."),
    "SumberDanaFilter",
    {
        **_code_filters("sumber dana", "1.1"),
        "group": filter_lookup("group", "Kelompok sumber dana persis sama (kelompok), contoh \"Pendapatan Transfer\"."),
        "is_active": filter_lookup("is_active", "Aktif: sumber dana masih dipakai.", bool),
    },
)
SumberDanaOrder = build(
    order_type(SumberDana, name="SumberDanaOrder", description="Urutan daftar sumber dana."),
    "SumberDanaOrder",
    _code_orders("sumber dana"),
)


@strawberry_django.type(
    SumberDana, name="SumberDana", description="Sumber dana (sumber pendanaan): PAD, DAU, DAK Fisik, DAK Non Fisik, DBH, Dana Desa, ..."
)
class SumberDanaType:
    code: str = strawberry_django.field(description="Kode sumber dana (kode).")
    name: str = strawberry_django.field(description="Nama sumber dana (nama).")
    group: str = strawberry_django.field(description="Kelompok sumber dana (kelompok), contoh Pendapatan Asli Daerah.")
    is_active: bool = strawberry_django.field(description="Aktif: false bila sumber dana tidak dipakai lagi.")


# --------------------------------------------------------------------------------------------
# Root fields
# --------------------------------------------------------------------------------------------


def _by_code(model, type_, description, argument_description):
    def resolve(code: Annotated[str, strawberry.argument(description=argument_description)]):
        return model.objects.filter(code=code.strip())

    return strawberry_django.field(resolver=resolve, graphql_type=Optional[type_], description=description)


def _editions():
    return NomenclatureEdition.objects.order_by("year")[: max_page_size()]


@strawberry.type(description="Kueri data referensi.")
class Query:
    urusan_list = nomenclature_list("urusan")
    bidang_urusan_list = nomenclature_list("bidang_urusan")
    program_list = nomenclature_list("program")
    kegiatan_list = nomenclature_list("kegiatan")
    sub_kegiatan_list = nomenclature_list("sub_kegiatan")

    urusan = nomenclature_lookup("urusan")
    bidang_urusan = nomenclature_lookup("bidang_urusan")
    program = nomenclature_lookup("program")
    kegiatan = nomenclature_lookup("kegiatan")
    sub_kegiatan = nomenclature_lookup("sub_kegiatan")

    nomenclature_editions: list[NomenclatureEditionType] = strawberry_django.field(
        resolver=_editions,
        description="Semua edisi nomenklatur (regulasi) yang sudah diimpor, urut menurut tahun berlaku.",
    )

    perangkat_daerah_list: Page[PerangkatDaerahType] = page_field(
        PerangkatDaerahType,
        filters=PerangkatDaerahFilter,
        ordering=PerangkatDaerahOrder,
        description="Daftar perangkat daerah (SKPD/OPD) beserta sub-unitnya, urut menurut kode unit.",
    )
    perangkat_daerah = _by_code(
        PerangkatDaerah,
        PerangkatDaerahType,
        "Satu perangkat daerah menurut kode unitnya; null bila tidak ada.",
        "Kode unit, contoh 1.02.0.00.0.00.01.0000.",
    )
    wilayah_list: Page[WilayahType] = page_field(
        WilayahType,
        filters=WilayahFilter,
        ordering=WilayahOrder,
        description="Daftar wilayah (provinsi, kabupaten/kota, kecamatan, desa/kelurahan), urut menurut kode.",
    )
    wilayah = _by_code(
        Wilayah, WilayahType, "Satu wilayah menurut kode Kemendagri-nya; null bila tidak ada.", "Kode wilayah, contoh 53.01.05.2001."
    )
    satuan_list: Page[SatuanType] = page_field(
        SatuanType,
        filters=SatuanFilter,
        ordering=SatuanOrder,
        description="Daftar satuan ukur, urut menurut nama.",
    )
    sumber_dana_list: Page[SumberDanaType] = page_field(
        SumberDanaType,
        filters=SumberDanaFilter,
        ordering=SumberDanaOrder,
        description="Daftar sumber dana, urut menurut kode.",
    )
