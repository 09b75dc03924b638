"""Maps over GraphQL: proposals as GeoJSON points and region boundaries as GeoJSON polygons.

Both fields answer one GeoJSON FeatureCollection (RFC 7946) as a JSON value, so a portal hands it
to Leaflet as it comes: `L.geoJSON(data.usulanGeoJson)`. The admin's map page (Peta Usulan) serves
the same dictionaries from `usulan_feature_collection` / `wilayah_feature_collection`, so the map
and the API cannot drift apart.

Who sees which proposal is `backoffice.access.policy`'s answer, as for `usulanList`; the
properties are the public ones only (never proposer, phone, NIK or internal notes). Each field
costs a constant number of SQL queries whatever the number of features (tests count them).
"""

from decimal import Decimal
from typing import Annotated, NewType, Optional

import strawberry
from django.db.models import Count, Q

from backoffice.access import policy
from backoffice.musrenbang.models import Status, Usulan
from backoffice.reference import codes
from backoffice.reference.models import Wilayah

from .auth import principal_of
from .musrenbang import UsulanStatus
from .reference import WilayahLevel

# Bounded like every list: a year of a regency is a few thousand proposals at most.
MAX_USULAN_FEATURES = 5000

FeatureCollection = NewType("FeatureCollection", object)

SCALARS = {
    FeatureCollection: strawberry.scalar(
        name="GeoJSONFeatureCollection",
        description=(
            "GeoJSON FeatureCollection (RFC 7946) sebagai nilai JSON: {\"type\": \"FeatureCollection\", \"features\": [...]}; "
            "koordinat bujur, lintang (WGS 84). Dapat langsung diberikan ke Leaflet: L.geoJSON(data)."
        ),
        specified_by_url="https://www.rfc-editor.org/rfc/rfc7946",
        parse_value=lambda value: value,
    )
}

HAS_POINT = Q(latitude__isnull=False, longitude__isnull=False)
USULAN_VALUES = (
    "tracking_code", "year", "solution", "status", "estimated_cost", "latitude", "longitude",
    "desa__code", "desa__name", "kecamatan__code", "kecamatan__name",
    "target_perangkat_daerah__code", "target_perangkat_daerah__name",
)


def _number(value: Decimal):
    """Rupiah as a JSON number (an integer when it has no cents), which map popups format."""
    return int(value) if value == value.to_integral_value() else float(value)


def _usulan_feature(row):
    return {
        "type": "Feature",
        "id": row["tracking_code"],
        "geometry": {"type": "Point", "coordinates": [float(row["longitude"]), float(row["latitude"])]},
        "properties": {
            "trackingCode": row["tracking_code"],
            "year": row["year"],
            "solution": row["solution"],
            "status": row["status"],
            "statusLabel": Status(row["status"]).label,
            "desaCode": row["desa__code"],
            "desaName": row["desa__name"],
            "kecamatanCode": row["kecamatan__code"],
            "kecamatanName": row["kecamatan__name"],
            "perangkatDaerahCode": row["target_perangkat_daerah__code"],
            "perangkatDaerahName": row["target_perangkat_daerah__name"],
            "estimatedCost": _number(row["estimated_cost"]),
        },
    }


def usulan_feature_collection(principal, year, *, kecamatan=None, desa=None, perangkat_daerah=None, statuses=None):
    """The proposals of `year` that `principal` may see, as a FeatureCollection of points.

    Two queries: the counts (all matching, and those with a point) and the located rows with their
    places and department joined in. Proposals without coordinates are counted, never drawn."""
    queryset = Usulan.objects.filter(year=year)
    if kecamatan:
        queryset = queryset.filter(kecamatan__code=kecamatan)
    if desa:
        queryset = queryset.filter(desa__code=desa)
    if perangkat_daerah:
        queryset = queryset.filter(target_perangkat_daerah__code=perangkat_daerah)
    if statuses:
        queryset = queryset.filter(status__in=list(statuses))
    queryset = policy.scope(principal, queryset, "view")
    totals = queryset.aggregate(total=Count("pk"), located=Count("pk", filter=HAS_POINT))
    rows = (
        queryset.filter(HAS_POINT).order_by("kecamatan__code", "desa__code", "tracking_code")
        .values(*USULAN_VALUES)[:MAX_USULAN_FEATURES]
    ) if totals["located"] else []
    features = [_usulan_feature(row) for row in rows]
    # Foreign members (RFC 7946 section 6.1): Leaflet ignores them, a portal can show them.
    return {
        "type": "FeatureCollection",
        "features": features,
        "totalCount": totals["total"],
        "withoutLocation": totals["total"] - totals["located"],
        "truncated": totals["located"] > len(features),
    }


def wilayah_feature_collection(level, parent=None):
    """Kecamatan or desa/kelurahan of the deployment's region (optionally under `parent`, a code
    of any ancestor) with their boundaries as imported; one query."""
    queryset = Wilayah.objects.of_region().filter(level=level)
    if parent:
        queryset = queryset.filter(code__startswith=f"{parent.strip()}.")
    rows = queryset.order_by("code").values_list("code", "name", "level", "kind", "centroid_lat", "centroid_lng", "boundary")
    features = [
        {
            "type": "Feature",
            "id": code,
            "geometry": boundary,
            "properties": {
                "code": code, "name": name, "level": level, "kind": kind,
                "parentCode": codes.wilayah_parent_code(code),
                "centroid": [float(lng), float(lat)] if lat is not None and lng is not None else None,
            },
        }
        for code, name, level, kind, lat, lng, boundary in rows
    ]
    return {"type": "FeatureCollection", "features": features}


USULAN_PROPERTIES = (
    "properties tiap titik: trackingCode (kode lacak), year, solution (usulan kegiatan), status (kode status, sama dengan enum "
    "UsulanStatus dalam huruf kecil, misalnya adopted) dan statusLabel (nama status), desaCode/desaName, kecamatanCode/kecamatanName, "
    "perangkatDaerahCode/perangkatDaerahName (perangkat daerah tujuan; null bila belum ditentukan), estimatedCost (perkiraan biaya, "
    "angka rupiah). Warna per status ditentukan klien dari status. Anggota tambahan koleksi: totalCount (usulan yang cocok), "
    "withoutLocation (usulan tanpa koordinat, tidak digambar), truncated (true bila lebih dari "
    f"{MAX_USULAN_FEATURES} titik; sempitkan filter)."
)


@strawberry.type(description="Kueri peta: titik usulan dan batas wilayah sebagai GeoJSON.")
class Query:
    @strawberry.field(
        description=(
            "Usulan musrenbang sebagai GeoJSON FeatureCollection berisi titik (Point) lokasi usulan yang berkoordinat, untuk peta "
            "(L.geoJSON(data.usulanGeoJson)). Publik melihat usulan yang sudah diajukan, tanpa data pribadi; staf dan token sesuai "
            "cakupan perannya. Urut menurut kecamatan, desa, kode lacak. " + USULAN_PROPERTIES
        )
    )
    def usulan_geo_json(
        self,
        info: strawberry.Info,
        year: Annotated[int, strawberry.argument(description="Tahun rencana (tahun).")],
        kecamatan: Annotated[Optional[str], strawberry.argument(description="Kode kecamatan (kode wilayah), contoh 53.01.05.")] = None,
        desa: Annotated[Optional[str], strawberry.argument(description="Kode desa/kelurahan (kode wilayah), contoh 53.01.05.2010.")] = None,
        perangkat_daerah: Annotated[
            Optional[str], strawberry.argument(description="Kode unit perangkat daerah tujuan (kode unit), contoh 1.03.0.00.0.00.01.0000.")
        ] = None,
        status: Annotated[
            Optional[list[UsulanStatus]], strawberry.argument(description="Satu atau beberapa status usulan (status); kosong: semua status.")
        ] = None,
    ) -> FeatureCollection:
        return usulan_feature_collection(
            principal_of(info), year, kecamatan=kecamatan, desa=desa, perangkat_daerah=perangkat_daerah,
            statuses=[value.value for value in status or []],
        )

    @strawberry.field(
        description=(
            "Batas wilayah daerah ini (kecamatan atau desa/kelurahan) sebagai GeoJSON FeatureCollection berisi Polygon/MultiPolygon "
            "sebagaimana diimpor (tidak disederhanakan), urut kode; geometry null bila batas belum diimpor (Leaflet melewatinya). "
            "properties: code (kode wilayah), name, level (kecamatan atau desa_kelurahan), kind (desa/kelurahan/kecamatan), "
            "parentCode (kode induk), centroid ([bujur, lintang] titik tengah, atau null). Data publik."
        )
    )
    def wilayah_geo_json(
        self,
        level: Annotated[WilayahLevel, strawberry.argument(description="Tingkat wilayah (tingkat), biasanya KECAMATAN atau DESA_KELURAHAN.")],
        parent: Annotated[
            Optional[str], strawberry.argument(description="Kode wilayah induk atau leluhur (kode induk), contoh 53.01.05 untuk desa di satu kecamatan.")
        ] = None,
    ) -> FeatureCollection:
        return wilayah_feature_collection(level.value, parent)
