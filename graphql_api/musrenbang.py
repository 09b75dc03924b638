"""e-Musrenbang over GraphQL: public tracking of proposals, published figures, and the submission
API for village information systems.

Public means: a proposal's status, timeline with dates and public reasons, places, department and
the Renja row it was adopted into — never personal data (proposer name, phone, NIK), internal notes,
or who did each step. The public sees proposals once they leave draft; staff and tokens see what
`backoffice.access.policy` lets them. Submissions need an API token (never a browser session, so no
cross-site request can submit): a token scoped to one desa submits that desa's proposals.
"""

from decimal import Decimal
from typing import Annotated, Optional

import strawberry
import strawberry_django
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from graphql import GraphQLError
from strawberry.file_uploads import Upload

from backoffice.access.models import Role
from backoffice.musrenbang.models import Attachment, KamusUsulan, Level, Recommendation, Status, Usulan, UsulanEvent, normalize_tracking_code
from backoffice.musrenbang.services import FieldErrors, UsulanInput, add_attachment, create_usulan, submit_usulan
from backoffice.reference.models import PerangkatDaerah, Satuan, Wilayah

from .auth import Scoped, principal_of, require_view, scoped
from .filtering import build, enum_from_choices, filter_lookup, filter_type, order_by, order_type
from .pagination import Page, page_field
from .reference import PerangkatDaerahType, SatuanType, WilayahType

UsulanStatus = enum_from_choices(Status, "UsulanStatus", "Status usulan (status) dalam alur musrenbang, dari draf sampai masuk Renja.")
MusrenbangLevel = enum_from_choices(Level, "MusrenbangLevel", "Tingkat forum musrenbang (tingkat): desa/kelurahan, kecamatan, forum perangkat daerah, kabupaten.")
UsulanLandStatus = enum_from_choices(Usulan.LandStatus, "UsulanLandStatus", "Status lahan (status lahan) untuk usulan fisik.")
UsulanCategory = enum_from_choices(Usulan.Category, "UsulanCategory", "Jenis usulan (jenis).")


@strawberry_django.type(Recommendation, name="UsulanRecommendation", description="Rekomendasi satu tingkat (rekomendasi): volume dan biaya yang disarankan, di samping nilai usulan asli.")
class RecommendationType:
    level: MusrenbangLevel = strawberry_django.field(description="Tingkat yang merekomendasikan (tingkat).")
    volume: Decimal = strawberry_django.field(description="Volume yang direkomendasikan (volume).")
    cost: Decimal = strawberry_django.field(description="Biaya yang direkomendasikan dalam rupiah (biaya, Rp).")
    at: strawberry.auto = strawberry_django.field(description="Waktu rekomendasi terakhir diubah (waktu).")


@strawberry_django.type(UsulanEvent, name="UsulanTimelineEntry", description="Satu langkah riwayat usulan (linimasa): tindakan, status baru, waktu, dan alasan yang boleh dibaca publik.")
class TimelineEntryType:
    action: str = strawberry_django.field(description="Tindakan (tindakan), contoh submit, route, accept, reject_opd, adopt.")
    to_status: UsulanStatus = strawberry_django.field(description="Status sesudah langkah ini (status).")
    at: strawberry.auto = strawberry_django.field(description="Waktu langkah (waktu), zona waktu daerah.")
    public_reason: str = strawberry_django.field(description="Alasan yang dapat dibaca publik (alasan), wajib untuk penolakan, pengembalian dan penundaan.")


@strawberry.type(name="UsulanAdoption", description="Baris Renja tempat usulan diakomodasi (masuk Renja).")
class AdoptionType:
    year: int = strawberry.field(description="Tahun Renja (tahun).")
    perangkat_daerah_code: str = strawberry.field(description="Kode unit perangkat daerah pemilik Renja (kode unit).")
    perangkat_daerah_name: str = strawberry.field(description="Nama perangkat daerah pemilik Renja.")
    sub_kegiatan_code: str = strawberry.field(description="Kode sub kegiatan baris Renja sebagaimana ditulis perangkat daerah (kode).")
    sub_kegiatan_name: str = strawberry.field(description="Nama sub kegiatan baris Renja.")


@strawberry_django.type(
    Usulan,
    name="Usulan",
    description="Usulan musrenbang (usulan) sebagaimana boleh dilihat publik: tanpa data pribadi pengusul dan catatan internal.",
)
class UsulanType(Scoped):
    tracking_code: str = strawberry_django.field(description="Kode lacak (kode lacak) yang tercetak pada tanda terima, contoh 27-7K3Q9X.")
    year: int = strawberry_django.field(description="Tahun rencana yang diusulkan (tahun).")
    status: UsulanStatus = strawberry_django.field(description="Status usulan sekarang (status).")
    public_reason: str = strawberry_django.field(description="Alasan penolakan, pengembalian atau penundaan terakhir (alasan publik).")
    desa: Optional[WilayahType] = strawberry_django.field(description="Desa/kelurahan pengusul (desa/kelurahan).")
    kecamatan: WilayahType = strawberry_django.field(description="Kecamatan lokasi usulan (kecamatan).")
    address: str = strawberry_django.field(description="Alamat atau lokasi usulan (alamat).")
    latitude: Optional[Decimal] = strawberry_django.field(description="Lintang titik lokasi (lintang), WGS84.")
    longitude: Optional[Decimal] = strawberry_django.field(description="Bujur titik lokasi (bujur), WGS84.")
    category: Optional[UsulanCategory] = strawberry_django.field(description="Jenis usulan (jenis); null bila tidak diisi.")
    requested_activity: str = strawberry_django.field(description="Kegiatan yang dituju menurut pengusul (kegiatan yang dituju).")
    problem: str = strawberry_django.field(description="Permasalahan yang hendak diatasi (permasalahan).")
    solution: str = strawberry_django.field(description="Usulan kegiatan (usulan).")
    volume: Decimal = strawberry_django.field(description="Volume yang diusulkan (volume), tidak pernah ditimpa rekomendasi.")
    satuan: SatuanType = strawberry_django.field(description="Satuan volume (satuan).")
    estimated_cost: Decimal = strawberry_django.field(description="Perkiraan biaya yang diusulkan dalam rupiah (perkiraan biaya, Rp).")
    target_perangkat_daerah: Optional[PerangkatDaerahType] = strawberry_django.field(description="Perangkat daerah tujuan (perangkat daerah).")
    land_status: UsulanLandStatus = strawberry_django.field(description="Status lahan (status lahan).")
    beneficiaries: Optional[int] = strawberry_django.field(description="Jumlah penerima manfaat (penerima manfaat).")
    recommendations: list[RecommendationType] = strawberry_django.field(description="Rekomendasi tiap tingkat (rekomendasi), urut waktu.")
    timeline: list[TimelineEntryType] = strawberry_django.field(field_name="events", description="Riwayat usulan (linimasa) dengan tanggal dan alasan publik, urut waktu.")

    @strawberry_django.field(
        description="Baris Renja tempat usulan ini diakomodasi (masuk Renja); null bila belum atau bila Renja itu belum boleh Anda lihat.",
        select_related=["renja_row__renja__perangkat_daerah", "renja_row__sub_kegiatan"],
        only=["renja_row__renja__year", "renja_row__renja__is_published", "renja_row__renja__perangkat_daerah__code",
              "renja_row__renja__perangkat_daerah__name", "renja_row__renja__perangkat_daerah__bidang_urusan_1",
              "renja_row__sub_kegiatan__code", "renja_row__sub_kegiatan__name"],
    )
    def adopted_into(self, root: Usulan, info: strawberry.Info) -> Optional[AdoptionType]:
        from backoffice.access import policy

        row = root.renja_row
        if row is None or not policy.can(principal_of(info), "view", row.renja):
            return None
        unit = row.renja.perangkat_daerah
        return AdoptionType(year=row.renja.year, perangkat_daerah_code=unit.code, perangkat_daerah_name=unit.name,
                            sub_kegiatan_code=row.code, sub_kegiatan_name=row.sub_kegiatan.name)



UsulanFilter = build(
    filter_type(Usulan, name="UsulanFilter", description="Filter daftar usulan musrenbang."),
    "UsulanFilter",
    {
        "year": filter_lookup("year", "Tahun rencana (tahun).", int),
        "kecamatan_code": filter_lookup("kecamatan__code", "Kode kecamatan (kode wilayah), contoh 53.01.05."),
        "desa_code": filter_lookup("desa__code", "Kode desa/kelurahan (kode wilayah), contoh 53.01.05.2010."),
        "perangkat_daerah_code": filter_lookup("target_perangkat_daerah__code", "Kode unit perangkat daerah tujuan (kode unit)."),
        "status": filter_lookup("status", "Status usulan (status).", UsulanStatus, normalize=lambda value: value.value),
    },
    __name__,
)
UsulanOrder = build(
    order_type(Usulan, name="UsulanOrder", description="Urutan daftar usulan: pilih satu kriteria per butir."),
    "UsulanOrder",
    {
        "year": order_by("year", "Urut menurut tahun rencana."),
        "tracking_code": order_by("tracking_code", "Urut menurut kode lacak."),
        "estimated_cost": order_by("estimated_cost", "Urut menurut perkiraan biaya."),
        "priority_kecamatan": order_by("priority_kecamatan", "Urut menurut peringkat kecamatan."),
    },
    __name__,
)


@strawberry.type(name="UsulanCount", description="Jumlah usulan dan biayanya dalam satu kelompok (rekap).")
class CountType:
    key: str = strawberry.field(description="Kunci kelompok: kode status, kode wilayah atau kode unit (kunci).")
    label: str = strawberry.field(description="Nama kelompok (nama).")
    count: int = strawberry.field(description="Jumlah usulan (jumlah).")
    cost: Decimal = strawberry.field(description="Jumlah perkiraan biaya yang diusulkan dalam rupiah (biaya, Rp).")


@strawberry.type(name="UsulanSummary", description="Rekap usulan satu tahun (rekap): jumlah dan biaya menurut status, kecamatan dan perangkat daerah.")
class SummaryType:
    year: int = strawberry.field(description="Tahun rencana (tahun).")
    total_count: int = strawberry.field(description="Jumlah usulan yang boleh Anda lihat (jumlah).")
    total_cost: Decimal = strawberry.field(description="Jumlah perkiraan biaya (biaya, Rp).")
    by_status: list[CountType] = strawberry.field(description="Menurut status (status).")
    by_kecamatan: list[CountType] = strawberry.field(description="Menurut kecamatan (kecamatan).")
    by_perangkat_daerah: list[CountType] = strawberry.field(description="Menurut perangkat daerah tujuan; tanpa tujuan dikelompokkan sebagai \"-\".")


def _rupiah(value):
    # SQLite sums decimals without their scale; answer "1500.00" on every database.
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _groups(queryset, key, label):
    rows = queryset.values(key, label).annotate(n=Count("pk"), cost=Sum("estimated_cost")).order_by(key)
    return [CountType(key=row[key] or "-", label=row[label] or "Belum ditentukan", count=row["n"], cost=_rupiah(row["cost"])) for row in rows]


def _summary(info: strawberry.Info, year: Annotated[int, strawberry.argument(description="Tahun rencana (tahun).")]) -> SummaryType:
    queryset = scoped(info, Usulan.objects.filter(year=year))
    totals = queryset.aggregate(n=Count("pk"), cost=Sum("estimated_cost"))
    by_status = [CountType(key=c.key, label=Status(c.key).label, count=c.count, cost=c.cost) for c in _groups(queryset, "status", "status")]
    return SummaryType(
        year=year, total_count=totals["n"], total_cost=_rupiah(totals["cost"]), by_status=by_status,
        by_kecamatan=_groups(queryset, "kecamatan__code", "kecamatan__name"),
        by_perangkat_daerah=_groups(queryset, "target_perangkat_daerah__code", "target_perangkat_daerah__name"),
    )


def _usulan(info: strawberry.Info, tracking_code: Annotated[str, strawberry.argument(description="Kode lacak dari tanda terima (kode lacak); huruf besar/kecil, spasi dan tanda hubung bebas.")]):
    queryset = Usulan.objects.filter(tracking_code=normalize_tracking_code(tracking_code))
    found = queryset.first()
    if found is None:
        return queryset.none()
    require_view(info, found)
    return queryset


@strawberry_django.type(
    KamusUsulan,
    name="KamusUsulan",
    description="Satu item kamus usulan (kamus usulan): menu usulan yang diterima perangkat daerah pada satu tahun, dengan harga satuannya. Publik melihat item yang aktif.",
)
class KamusUsulanType(Scoped):
    id: strawberry.ID = strawberry_django.field(description="Pengenal item kamus, dipakai sistem desa saat mengajukan usulan dari kamus (id).")
    year: int = strawberry_django.field(description="Tahun rencana (tahun).")
    name: str = strawberry_django.field(description="Nama item (nama item), contoh Rabat beton jalan lingkungan.")
    perangkat_daerah: PerangkatDaerahType = strawberry_django.field(description="Perangkat daerah pemilik kamus (perangkat daerah).")
    satuan: SatuanType = strawberry_django.field(description="Satuan volume (satuan).")
    unit_price: Decimal = strawberry_django.field(description="Harga satuan dalam rupiah (harga satuan, Rp); biaya usulan = volume x harga satuan.")
    expected_output: str = strawberry_django.field(description="Keluaran yang diharapkan (keluaran).")
    is_active: bool = strawberry_django.field(description="Aktif (aktif): hanya item aktif yang dapat dipilih.")

    @strawberry_django.field(description="Kode sub kegiatan yang diisi item ini (kode sub kegiatan); null bila belum ditentukan.", only=["sub_kegiatan__code"], select_related=["sub_kegiatan"])
    def sub_kegiatan_code(self, root: KamusUsulan) -> Optional[str]:
        return root.sub_kegiatan.code if root.sub_kegiatan_id else None

    @strawberry_django.field(description="Nama sub kegiatan yang diisi item ini (sub kegiatan); null bila belum ditentukan.", only=["sub_kegiatan__name"], select_related=["sub_kegiatan"])
    def sub_kegiatan_name(self, root: KamusUsulan) -> Optional[str]:
        return root.sub_kegiatan.name if root.sub_kegiatan_id else None



KamusUsulanFilter = build(
    filter_type(KamusUsulan, name="KamusUsulanFilter", description="Filter daftar kamus usulan."),
    "KamusUsulanFilter",
    {
        "year": filter_lookup("year", "Tahun rencana (tahun).", int),
        "perangkat_daerah": filter_lookup("perangkat_daerah__code", "Kode unit perangkat daerah pemilik kamus (kode unit), contoh 1.03.0.00.0.00.01.0000."),
        "name": filter_lookup("name", "Bagian nama item (nama item), tanpa membedakan huruf besar/kecil.", lookup="icontains"),
    },
    __name__,
)
KamusUsulanOrder = build(
    order_type(KamusUsulan, name="KamusUsulanOrder", description="Urutan daftar kamus usulan: pilih satu kriteria per butir."),
    "KamusUsulanOrder",
    {
        "year": order_by("year", "Urut menurut tahun rencana."),
        "name": order_by("name", "Urut menurut nama item."),
        "unit_price": order_by("unit_price", "Urut menurut harga satuan."),
    },
    __name__,
)


@strawberry.type(description="Kueri e-Musrenbang.")
class Query:
    usulan: Optional[UsulanType] = strawberry_django.field(
        resolver=_usulan,
        description="Satu usulan menurut kode lacaknya: status, linimasa, lokasi, perangkat daerah dan baris Renja; null bila kode tidak ada. Usulan draf hanya terlihat oleh desanya.",
    )
    usulan_list: Page[UsulanType] = page_field(
        UsulanType, filters=UsulanFilter, ordering=UsulanOrder, description="Daftar usulan yang boleh Anda lihat (publik: semua usulan yang sudah diajukan)."
    )
    kamus_usulan_list: Page[KamusUsulanType] = page_field(
        KamusUsulanType, filters=KamusUsulanFilter, ordering=KamusUsulanOrder,
        description="Kamus usulan perangkat daerah (kamus usulan) dengan harga satuan; publik melihat item aktif. Filter tahun dan perangkat daerah.",
    )
    usulan_summary: SummaryType = strawberry.field(resolver=_summary, description="Rekap jumlah dan biaya usulan satu tahun menurut status, kecamatan dan perangkat daerah.")


# --------------------------------------------------------------------------------------------
# Submission API
# --------------------------------------------------------------------------------------------


@strawberry.input(name="UsulanSubmissionInput", description="Isian usulan dari sistem informasi desa (usulan baru).")
class SubmissionInput:
    year: int = strawberry.field(description="Tahun rencana yang diusulkan (tahun).")
    desa_code: str = strawberry.field(description="Kode desa/kelurahan pengusul (kode wilayah); harus desa token Anda.")
    solution: str = strawberry.field(description="Usulan kegiatan (usulan).")
    volume: Decimal = strawberry.field(description="Volume (volume), lebih dari nol.")
    satuan: Optional[str] = strawberry.field(default=None, description="Nama satuan volume (satuan), contoh Meter, Unit, Orang; harus ada dalam daftar satuan. Wajib bila tanpa item kamus; dengan item kamus, satuan item itu yang dipakai.")
    estimated_cost: Optional[Decimal] = strawberry.field(default=None, description="Perkiraan biaya dalam rupiah (perkiraan biaya, Rp). Wajib bila tanpa item kamus; dengan item kamus, biaya dihitung volume x harga satuan.")
    kamus_id: Optional[strawberry.ID] = strawberry.field(default=None, description="Id item kamus usulan yang dipilih (lihat kamusUsulanList); menentukan satuan, sub kegiatan, perangkat daerah tujuan dan biaya.")
    outside_kamus_reason: str = strawberry.field(default="", description="Alasan usulan di luar kamus (alasan di luar kamus); wajib bila tanpa item kamus dan Bappeda mewajibkannya untuk tahun itu.")
    problem: str = strawberry.field(default="", description="Permasalahan (permasalahan).")
    address: str = strawberry.field(default="", description="Alamat/lokasi (alamat).")
    latitude: Optional[Decimal] = strawberry.field(default=None, description="Lintang (lintang), WGS84; di luar kabupaten ditolak.")
    longitude: Optional[Decimal] = strawberry.field(default=None, description="Bujur (bujur), WGS84.")
    category: Optional[UsulanCategory] = strawberry.field(default=None, description="Jenis usulan (jenis).")
    target_perangkat_daerah_code: Optional[str] = strawberry.field(default=None, description="Kode unit perangkat daerah tujuan yang disarankan (kode unit).")
    land_status: Optional[UsulanLandStatus] = strawberry.field(default=None, description="Status lahan (status lahan).")
    beneficiaries: Optional[int] = strawberry.field(default=None, description="Jumlah penerima manfaat (penerima manfaat).")
    priority_desa: Optional[int] = strawberry.field(default=None, description="Peringkat usulan di desa (prioritas desa).")
    proposer_name: str = strawberry.field(default="", description="Nama pengusul (tidak pernah ditampilkan publik).")
    proposer_phone: str = strawberry.field(default="", description="Telepon pengusul (tidak pernah ditampilkan publik).")
    proposer_nik: str = strawberry.field(default="", description="NIK pengusul, 16 angka (tidak pernah ditampilkan publik).")


@strawberry.type(name="FieldError", description="Kesalahan isian (galat isian): nama isian, kode mesin dan pesan berbahasa Indonesia.")
class FieldErrorType:
    field: str = strawberry.field(description="Nama isian masukan yang salah (isian), contoh desaCode, volume, photos.")
    code: str = strawberry.field(description="Kode kesalahan untuk mesin (kode), contoh required, invalid, not_in_kecamatan, outside_region, too_large.")
    message: str = strawberry.field(description="Pesan kesalahan berbahasa Indonesia (pesan).")


@strawberry.type(name="SubmitUsulanPayload", description="Hasil pengajuan usulan: usulan yang tercatat, atau daftar kesalahan isian (tidak ada yang ditulis).")
class SubmitPayload:
    usulan: Optional[UsulanType] = strawberry.field(description="Usulan yang tercatat (diajukan); sama untuk permintaan ulang dengan kunci idempotensi yang sama.")
    errors: list[FieldErrorType] = strawberry.field(description="Kesalahan isian; kosong bila berhasil.")


# Service field names -> input field names (camelCase as the client sent them).
INPUT_FIELDS = {
    "desa": "desaCode", "kecamatan": "desaCode", "solution": "solution", "volume": "volume", "satuan": "satuan",
    "estimated_cost": "estimatedCost", "latitude": "latitude", "longitude": "longitude", "proposer_nik": "proposerNik",
    "target_perangkat_daerah": "targetPerangkatDaerahCode", "file": "photos", "__all__": "input",
    "kamus": "kamusId", "outside_kamus_reason": "outsideKamusReason",
}


class _Refused(Exception):
    def __init__(self, errors):
        self.errors = errors


def _lookup(model, errors, field, **filters):
    found = model.objects.filter(**filters).first()
    if found is None:
        errors.append(FieldErrorType(field=field, code="unknown", message=f"{model._meta.verbose_name.capitalize()} '{next(iter(filters.values()))}' tidak dikenal."))
    return found


def _input(data: SubmissionInput):
    errors = []
    desa = _lookup(Wilayah, errors, "desaCode", code=data.desa_code.strip(), level=Wilayah.Level.DESA_KELURAHAN)
    satuan = None
    if data.satuan:
        satuan = Satuan.objects.filter(name__iexact=data.satuan.strip()).first()
        if satuan is None:
            errors.append(FieldErrorType(field="satuan", code="unknown", message=f"Satuan '{data.satuan}' tidak ada dalam daftar satuan (lihat satuanList)."))
    target = None
    if data.target_perangkat_daerah_code:
        target = _lookup(PerangkatDaerah, errors, "targetPerangkatDaerahCode", code=data.target_perangkat_daerah_code.strip())
    kamus = None
    if data.kamus_id:
        # Any item by id: the service says why one of another year or an inactive one cannot be used.
        kamus_pk = str(data.kamus_id).strip()
        kamus = KamusUsulan.objects.select_related("perangkat_daerah", "satuan").filter(pk=kamus_pk).first() if kamus_pk.isdigit() else None
        if kamus is None:
            errors.append(FieldErrorType(field="kamusId", code="unknown", message=f"Item kamus usulan '{data.kamus_id}' tidak dikenal (lihat kamusUsulanList)."))
    if errors:
        raise _Refused(errors)
    return UsulanInput(
        year=data.year, desa=desa, kecamatan=desa.parent, solution=data.solution, problem=data.problem, address=data.address,
        volume=data.volume, satuan=satuan, estimated_cost=data.estimated_cost, latitude=data.latitude, longitude=data.longitude,
        category=data.category.value if data.category else "", target_perangkat_daerah=target,
        land_status=data.land_status.value if data.land_status else Usulan.LandStatus.NOT_NEEDED,
        beneficiaries=data.beneficiaries, priority_desa=data.priority_desa, proposer_name=data.proposer_name,
        proposer_phone=data.proposer_phone, proposer_nik=data.proposer_nik, kamus=kamus, outside_kamus_reason=data.outside_kamus_reason,
    )


def _field_errors(error):
    if isinstance(error, FieldErrors):
        return [FieldErrorType(field=INPUT_FIELDS.get(f, f), code=code, message=message) for f, (code, message) in error.errors.items()]
    if hasattr(error, "error_dict"):
        return [FieldErrorType(field=INPUT_FIELDS.get(f, f), code=e.code or "invalid", message=m)
                for f, items in error.error_dict.items() for e in items for m in e.messages]
    return [FieldErrorType(field="input", code="refused", message=m) for m in error.messages]


@strawberry.type(description="Mutasi e-Musrenbang (hanya dengan token API; tidak melalui GET).")
class Mutation:
    @strawberry.mutation(
        description=(
            "Ajukan satu usulan desa dari sistem informasi desa (token API berperan operator desa untuk desa itu). "
            "Kunci idempotensi wajib: permintaan ulang dengan kunci yang sama mengembalikan usulan yang sama, tidak membuat usulan kedua. "
            "Foto (paling banyak 3; JPEG/PNG/WebP, paling besar 5 MB) dikirim sebagai unggahan multipart. "
            "Kesalahan isian dikembalikan per isian dengan kode dan pesan; bila ada kesalahan, tidak ada yang ditulis."
        )
    )
    def submit_usulan(
        self,
        info: strawberry.Info,
        input: Annotated[SubmissionInput, strawberry.argument(description="Isian usulan.")],
        idempotency_key: Annotated[str, strawberry.argument(description="Kunci unik dari sistem pengirim untuk usulan ini (kunci idempotensi), 1-100 karakter.")],
        photos: Annotated[Optional[list[Upload]], strawberry.argument(description="Foto usulan (unggahan multipart), paling banyak 3.")] = None,
    ) -> SubmitPayload:
        principal = principal_of(info)
        if principal.token is None or principal.role != Role.DESA_OPERATOR:
            raise GraphQLError("Pengajuan usulan memerlukan token API operator desa (Authorization: Bearer).", extensions={"code": "FORBIDDEN"})
        key = (idempotency_key or "").strip()
        if not 0 < len(key) <= 100:
            return SubmitPayload(usulan=None, errors=[FieldErrorType(field="idempotencyKey", code="invalid", message="Kunci idempotensi wajib diisi, 1-100 karakter.")])
        existing = Usulan.objects.filter(submitted_by_token=principal.token, idempotency_key=key).first()
        if existing is not None:
            return SubmitPayload(usulan=existing, errors=[])
        if photos and len(photos) > 3:
            return SubmitPayload(usulan=None, errors=[FieldErrorType(field="photos", code="too_many", message="Paling banyak 3 foto per usulan.")])
        try:
            with transaction.atomic():
                usulan = create_usulan(principal, _input(input), token=principal.token, idempotency_key=key)
                for photo in photos or []:
                    add_attachment(principal, usulan, Attachment.Kind.PHOTO, photo)
                usulan = submit_usulan(principal, usulan)
        except _Refused as refused:
            return SubmitPayload(usulan=None, errors=refused.errors)
        except PermissionDenied as denied:
            raise GraphQLError(str(denied), extensions={"code": "FORBIDDEN"}) from None
        except ValidationError as error:
            return SubmitPayload(usulan=None, errors=_field_errors(error))
        return SubmitPayload(usulan=usulan, errors=[])

