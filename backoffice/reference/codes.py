"""Reference codes: formats, normalisation and the level a code belongs to.

Codes are text, never numbers: leading zeros matter (`1.02`, `53.01.05.2001`).
Messages are Indonesian because they reach admin users and importers verbatim.
"""

import re

from django.core.exceptions import ValidationError

# Nomenclature (Permendagri 90/2019): U . BB . PP . K.KK . SSSS
# Urusan "X" / bidang "X.XX" is the generic support program (program penunjang).
_URUSAN = r"(?:[1-9]|X)"
_BIDANG = r"(?:[1-9]\.\d{2}|X\.XX)"
NOMENCLATURE_PATTERNS = {
    "urusan": re.compile(rf"^{_URUSAN}$"),
    "bidang_urusan": re.compile(rf"^{_BIDANG}$"),
    "program": re.compile(rf"^{_BIDANG}\.\d{{2}}$"),
    "kegiatan": re.compile(rf"^{_BIDANG}\.\d{{2}}\.[12]\.\d{{2}}$"),
    "sub_kegiatan": re.compile(rf"^{_BIDANG}\.\d{{2}}\.[12]\.\d{{2}}\.\d{{4}}$"),
}
NOMENCLATURE_EXAMPLES = {
    "urusan": "1",
    "bidang_urusan": "1.02",
    "program": "1.02.02",
    "kegiatan": "1.02.02.2.01",
    "sub_kegiatan": "1.02.02.2.01.0001",
}
# Number of dot-separated segments of each level's code.
_SEGMENTS_TO_LEVEL = {1: "urusan", 2: "bidang_urusan", 3: "program", 5: "kegiatan", 6: "sub_kegiatan"}
NOMENCLATURE_LEVELS = list(NOMENCLATURE_PATTERNS)

# Perangkat daerah unit code: U.BB.U2.B2.U3.B3.NN.SSSS
PERANGKAT_DAERAH_PATTERN = re.compile(r"^(\d\.\d{2})\.(\d\.\d{2})\.(\d\.\d{2})\.(\d{2})\.(\d{4})$")
NO_BIDANG = "0.00"

# Kemendagri region codes: 53 / 53.01 / 53.01.04 / 53.01.05.2001
WILAYAH_PATTERNS = {
    "provinsi": re.compile(r"^\d{2}$"),
    "kabupaten_kota": re.compile(r"^\d{2}\.\d{2}$"),
    "kecamatan": re.compile(r"^\d{2}\.\d{2}\.\d{2}$"),
    "desa_kelurahan": re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"),
}
_WILAYAH_SEGMENTS_TO_LEVEL = {1: "provinsi", 2: "kabupaten_kota", 3: "kecamatan", 4: "desa_kelurahan"}


def clean_text(value):
    """Collapse whitespace (sheets carry stray line breaks and double spaces)."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def normalize_nomenclature_code(raw):
    """Tidy a nomenclature code as typed or exported: trim, upper-case the generic X,
    and pad a sub kegiatan's last segment printed with two digits (SIPD: `.01` -> `.0001`)."""
    code = clean_text(raw).replace(" ", "").rstrip(".")
    if code.lower().startswith("x"):
        code = code.upper()
    parts = code.split(".")
    if len(parts) == 6 and parts[5].isdigit() and len(parts[5]) < 4:
        parts[5] = parts[5].zfill(4)
        code = ".".join(parts)
    return code


def nomenclature_level(code):
    """The level of a normalised code, or None when its shape fits no level."""
    level = _SEGMENTS_TO_LEVEL.get(code.count(".") + 1 if code else 0)
    if level and NOMENCLATURE_PATTERNS[level].match(code):
        return level
    return None


def nomenclature_parent_code(code):
    """Parent code by dropping the last segment (kegiatan drops two: `K.KK`)."""
    parts = code.split(".")
    if len(parts) == 1:
        return None
    if len(parts) == 5:
        return ".".join(parts[:3])
    return ".".join(parts[:-1])


def validate_nomenclature_code(code, level):
    if not NOMENCLATURE_PATTERNS[level].match(code or ""):
        raise ValidationError(
            "Kode '%(code)s' tidak sesuai format %(level)s (contoh: %(example)s).",
            code="invalid_code",
            params={"code": code, "level": level.replace("_", " "), "example": NOMENCLATURE_EXAMPLES[level]},
        )


def wilayah_level(code):
    level = _WILAYAH_SEGMENTS_TO_LEVEL.get(code.count(".") + 1 if code else 0)
    if level and WILAYAH_PATTERNS[level].match(code):
        return level
    return None


def wilayah_parent_code(code):
    return code.rsplit(".", 1)[0] if "." in code else None


def wilayah_kind(code, level, name=""):
    """Kemendagri convention: a village code's 4th segment starts with 1 for kelurahan, 2 for desa;
    kota codes are numbered from 71."""
    if level == "desa_kelurahan":
        return "kelurahan" if code.rsplit(".", 1)[1].startswith("1") else "desa"
    if level == "kabupaten_kota":
        is_kota = name.lower().startswith("kota") or int(code.split(".")[1]) >= 71
        return "kota" if is_kota else "kabupaten"
    return level


def perangkat_daerah_bidang_codes(code):
    """The up to three bidang urusan a unit code names, in order, without the `0.00` placeholders."""
    match = PERANGKAT_DAERAH_PATTERN.match(code or "")
    if not match:
        raise ValidationError(
            "Kode unit '%(code)s' tidak sesuai format U.BB.U2.B2.U3.B3.NN.SSSS (contoh: 1.02.0.00.0.00.01.0000).",
            code="invalid_code",
            params={"code": code},
        )
    bidang = [b for b in match.groups()[:3] if b != NO_BIDANG]
    if not bidang or match.group(1) == NO_BIDANG:
        raise ValidationError(
            "Kode unit '%(code)s' harus menyebut bidang urusan utama (segmen pertama bukan 0.00).",
            code="invalid_code",
            params={"code": code},
        )
    return bidang
