"""Every write to reference data that is more than a form save: the imports.

Each import reads the whole file, validates every row, and only then writes, inside one
transaction: a file with any error is refused whole (ImportRefused lists each row and reason),
and a dry run reports what would change without writing. The management commands and the
admin's import views call these functions; nothing else writes reference data in bulk.
"""

import json
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from . import codes
from .models import (
    NOMENCLATURE_MODELS,
    VERSIONED_FIELDS,
    BidangUrusan,
    ImportRun,
    NomenclatureEdition,
    PerangkatDaerah,
    Wilayah,
)
from .sheets import SheetError, read_sheet

IMPORT_LOG_ACTION = "reference.import"
BATCH_SIZE = 1000

LEVEL_LABELS = {
    "urusan": "urusan",
    "bidang_urusan": "bidang urusan",
    "program": "program",
    "kegiatan": "kegiatan",
    "sub_kegiatan": "sub kegiatan",
    "provinsi": "provinsi",
    "kabupaten_kota": "kabupaten/kota",
    "kecamatan": "kecamatan",
    "desa_kelurahan": "desa/kelurahan",
    "perangkat_daerah": "perangkat daerah",
}
ACTION_LABELS = {
    "added": "ditambah",
    "renamed": "berganti nama",
    "changed": "berubah",
    "relinked": "versi baru karena induknya berubah",
    "ended": "diakhiri",
    "unchanged": "tidak berubah",
}


@dataclass
class RowIssue:
    """One problem in one row of an imported file (row numbers as the spreadsheet shows them)."""

    row: int | None
    field: str
    message: str

    def __str__(self):
        where = f"Baris {self.row}" if self.row else "Berkas"
        return f"{where}, kolom {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ImportRefused(Exception):
    """The file was refused whole; nothing was written."""

    def __init__(self, errors):
        self.errors = sorted(errors, key=lambda e: (e.row or 0, e.field))
        super().__init__("\n".join(str(e) for e in self.errors[:20]))


@dataclass
class Change:
    action: str  # a key of ACTION_LABELS
    level: str
    code: str
    old: str = ""
    new: str = ""


@dataclass
class ImportReport:
    kind: str
    source: str
    dry_run: bool
    rows_read: int = 0
    rows_skipped: int = 0
    counts: Counter = field(default_factory=Counter)  # (level, action) -> n
    in_force: Counter = field(default_factory=Counter)  # level -> rows the file puts in force
    changes: list = field(default_factory=list)  # Change, except unchanged and relinked rows
    warnings: list = field(default_factory=list)  # RowIssue
    edition: NomenclatureEdition | None = None
    run: ImportRun | None = None  # the history entry a real import that changed something wrote

    def count(self, action, level=None):
        return sum(n for (lvl, act), n in self.counts.items() if act == action and (level is None or lvl == level))

    @property
    def has_changes(self):
        return any(n for (_, action), n in self.counts.items() if action != "unchanged")

    def record(self, level, action, code="", old="", new=""):
        self.counts[(level, action)] += 1
        if action not in ("unchanged", "relinked"):
            self.changes.append(Change(action, level, code, old, new))

    def summary_lines(self):
        head = "UJI COBA (tidak ada yang ditulis)" if self.dry_run else "Selesai"
        lines = [f"{head}: {self.kind} dari {self.source}, {self.rows_read} baris dibaca"
                 + (f", {self.rows_skipped} baris dilewati" if self.rows_skipped else "") + "."]
        levels = list(dict.fromkeys(level for level, _ in self.counts))
        for level in levels:
            parts = [f"{self.counts[(level, a)]} {label}" for a, label in ACTION_LABELS.items() if self.counts[(level, a)]]
            if level in self.in_force:
                parts.append(f"{self.in_force[level]} berlaku")
            lines.append(f"  {LEVEL_LABELS.get(level, level)}: " + ", ".join(parts))
        if not self.has_changes:
            lines.append("  Tidak ada perubahan.")
        return lines

    def as_log_data(self):
        return {
            "kind": self.kind,
            "source": self.source,
            "rows": self.rows_read,
            "counts": {f"{level}.{action}": n for (level, action), n in self.counts.items()},
            "warnings": len(self.warnings),
        }


def _noop_progress(done, total, label=""):
    pass


def read_import_sheet(source, name, required, aliases):
    try:
        return read_sheet(source, name=name, required=required, aliases=aliases)
    except SheetError as error:
        raise ImportRefused([RowIssue(error.row, "", error.message)]) from error


_TRUE = {"1", "y", "ya", "true", "aktif", "berlaku"}
_FALSE = {"0", "n", "t", "tidak", "false", "non-aktif", "nonaktif", "tidak aktif", "tidak berlaku"}


def parse_flag(value, row, column, errors):
    text = (value or "").strip().lower()
    if text == "" or text in _TRUE:
        return True
    if text in _FALSE:
        return False
    errors.append(RowIssue(row, column, f"Nilai '{value}' tidak dikenali; isi 1/ya atau 0/tidak."))
    return True


def _record_run(report, user):
    """Keep the import in the history and in Wagtail's audit log (who imported what, when)."""
    run = ImportRun.objects.create(
        kind=report.kind,
        source=report.source[:255],
        edition=report.edition,
        user=user if getattr(user, "pk", None) else None,
        summary="\n".join(report.summary_lines()),
        warnings="\n".join(str(w) for w in report.warnings),
    )
    log(instance=run, action=IMPORT_LOG_ACTION, user=run.user, data=report.as_log_data())
    return run


# --------------------------------------------------------------------------------------------
# Nomenclature

NOMENCLATURE_COLUMNS = {
    "code": ["kode", "kode rekening", "kode nomenklatur"],
    "name": ["nama", "nomenklatur*", "uraian", "nama nomenklatur"],
    "kinerja": ["kinerja"],
    "indikator": ["indikator"],
    "satuan": ["satuan"],
    "level_pemda": ["jns_pemda", "jenis pemda", "jenis_pemda"],
    "active": ["aktif", "status aktif"],
}
LEVEL_PEMDA_VALUES = {
    "kab": {"2", "kab", "kabupaten", "kota", "kabupaten/kota", "kab/kota"},
    "prov": {"1", "prov", "provinsi"},
}


@dataclass
class _NomenclatureRow:
    row: int
    level: str
    code: str
    name: str
    is_active: bool
    kinerja: str = ""
    indikator: str = ""
    satuan: str = ""

    def value(self, attribute):
        return getattr(self, attribute)


def _read_nomenclature_rows(sheet, level_pemda, report, errors):
    entries = {}
    wanted = LEVEL_PEMDA_VALUES[level_pemda]
    for row, values in sheet.rows:
        pemda = values.get("level_pemda", "")
        if "level_pemda" in sheet.headers and pemda.lower() not in wanted:
            report.rows_skipped += 1
            continue
        report.rows_read += 1
        raw = values.get("code", "")
        code = codes.normalize_nomenclature_code(raw)
        level = codes.nomenclature_level(code)
        if not code:
            errors.append(RowIssue(row, "kode", "Kode kosong."))
            continue
        if level is None:
            errors.append(RowIssue(row, "kode", f"Kode '{raw}' tidak sesuai format nomenklatur (contoh: 1, 1.02, 1.02.02, 1.02.02.2.01, 1.02.02.2.01.0001)."))
            continue
        if not values.get("name"):
            errors.append(RowIssue(row, "nama", f"Nama untuk kode '{code}' kosong."))
            continue
        entry = _NomenclatureRow(
            row, level, code, values["name"], parse_flag(values.get("active"), row, "aktif", errors),
            values.get("kinerja", ""), values.get("indikator", ""), values.get("satuan", ""),
        )
        previous = entries.get(code)
        if previous is None:
            entries[code] = entry
        elif previous.is_active != entry.is_active:
            # The source keeps an obsolete twin of a row in force: the row in force wins.
            kept, dropped = (previous, entry) if previous.is_active else (entry, previous)
            entries[code] = kept
            report.warnings.append(RowIssue(dropped.row, "kode", f"Kode '{code}' juga ada di baris {kept.row} yang berlaku; baris tidak berlaku ini diabaikan."))
        else:
            errors.append(RowIssue(row, "kode", f"Kode '{code}' ganda (juga di baris {previous.row})."))
    return entries


def _check_chain(entries, report, errors):
    for entry in entries.values():
        parent_code = codes.nomenclature_parent_code(entry.code)
        if parent_code is None:
            continue
        if parent_code not in entries:
            errors.append(RowIssue(entry.row, "kode", f"Induk '{parent_code}' dari kode '{entry.code}' tidak ada dalam berkas."))
            continue
        if entry.is_active:
            parent = entries[parent_code]
            while parent is not None and parent.is_active:
                grand = codes.nomenclature_parent_code(parent.code)
                parent = entries.get(grand) if grand else None
            if parent is not None:
                report.warnings.append(RowIssue(
                    entry.row, "kode",
                    f"{LEVEL_LABELS[entry.level].capitalize()} '{entry.code}' berlaku tetapi induknya '{parent.code}' "
                    "ditandai tidak berlaku; induk disimpan (tidak berlaku) agar rantai tetap utuh.",
                ))


def _resolve_edition(edition_name, year, level_pemda, errors):
    """The edition to import into; None when it is new (created at write time)."""
    edition = NomenclatureEdition.objects.filter(name=edition_name).first()
    later = NomenclatureEdition.objects.filter(year__gt=edition.year if edition else (year or 0))
    if edition is None:
        if not year:
            errors.append(RowIssue(None, "tahun", f"Edisi '{edition_name}' baru: sebutkan tahun berlakunya (--year)."))
        elif NomenclatureEdition.objects.filter(year=year).exists():
            other = NomenclatureEdition.objects.get(year=year)
            errors.append(RowIssue(None, "tahun", f"Tahun {year} sudah dipakai edisi '{other.name}'."))
    else:
        if year and year != edition.year:
            errors.append(RowIssue(None, "tahun", f"Edisi '{edition.name}' berlaku sejak {edition.year}, bukan {year}."))
        if edition.level_pemda != level_pemda:
            errors.append(RowIssue(None, "jenis pemda", f"Edisi '{edition.name}' berisi nomenklatur {edition.get_level_pemda_display()}."))
    if later.exists():
        errors.append(RowIssue(None, "edisi", f"Sudah ada edisi yang lebih baru ({later.last().name}): edisi diimpor berurutan dari yang terlama."))
    return edition


def import_nomenclature(source, *, edition_name, year=None, level_pemda="kab", dry_run=False, user=None, name=None, progress=None):
    """Import a whole nomenclature edition (a full snapshot, as the Kepmendagri lampiran prints it).

    Rows absent from the file are ended by this edition; changed rows get a new version valid from
    it, and so do their descendants (a child points at its parent's version); unchanged rows stay.
    """
    progress = progress or _noop_progress
    sheet = read_import_sheet(source, name, ["code", "name"], NOMENCLATURE_COLUMNS)
    report = ImportReport(kind="nomenklatur", source=name or str(getattr(source, "name", source)), dry_run=dry_run)
    errors = []
    if level_pemda not in LEVEL_PEMDA_VALUES:
        raise ImportRefused([RowIssue(None, "jenis pemda", "Pilih kab atau prov.")])
    entries = _read_nomenclature_rows(sheet, level_pemda, report, errors)
    _check_chain(entries, report, errors)
    edition = _resolve_edition(edition_name, year, level_pemda, errors)
    if not entries and not errors:
        errors.append(RowIssue(None, "", "Tidak ada baris nomenklatur untuk diimpor."))
    if errors:
        raise ImportRefused(errors)

    report.in_force.update(e.level for e in entries.values() if e.is_active)
    plan = _plan_nomenclature(entries, report)
    report.edition = edition
    if dry_run or not report.has_changes:
        return report
    with transaction.atomic():
        if edition is None:
            edition = NomenclatureEdition.objects.create(name=edition_name, year=year, level_pemda=level_pemda)
        _write_nomenclature(plan, edition, progress)
        edition.imported_at = timezone.now()
        edition.save(update_fields=["imported_at"])
        report.edition = edition
        report.run = _record_run(report, user)
    return report


@dataclass
class _LevelPlan:
    model: type
    current: dict  # code -> current row
    new_entries: list  # _NomenclatureRow to create
    ended_pks: list  # current rows that this edition ends (absent or replaced)


def _plan_nomenclature(entries, report):
    by_level = {level: [] for level in NOMENCLATURE_MODELS}
    for entry in entries.values():
        by_level[entry.level].append(entry)
    plan, replaced_parents = [], set()
    for level, model in NOMENCLATURE_MODELS.items():
        current = {row.code: row for row in model.objects.current()}
        level_plan = _LevelPlan(model, current, [], [])
        replaced = set()
        for entry in sorted(by_level[level], key=lambda e: e.code):
            old = current.get(entry.code)
            if old is None:
                report.record(level, "added", entry.code, new=entry.name)
            else:
                differs = [f for f in VERSIONED_FIELDS[level] if getattr(old, f) != entry.value(f)]
                if not differs and codes.nomenclature_parent_code(entry.code) not in replaced_parents:
                    report.record(level, "unchanged")
                    continue
                if "name" in differs:
                    report.record(level, "renamed", entry.code, old.name, entry.name)
                elif differs:
                    detail = ", ".join(f"{f}: {getattr(old, f)} → {entry.value(f)}" for f in differs)
                    report.record(level, "changed", entry.code, new=detail)
                else:
                    report.record(level, "relinked")
                level_plan.ended_pks.append(old.pk)
            level_plan.new_entries.append(entry)
            replaced.add(entry.code)
        for code, old in current.items():
            if code not in entries or entries[code].level != level:
                report.record(level, "ended", code, old=old.name)
                level_plan.ended_pks.append(old.pk)
        plan.append(level_plan)
        replaced_parents = replaced
    return plan


def _write_nomenclature(plan, edition, progress):
    total = sum(len(p.new_entries) + 1 for p in plan)
    done, parent_pks = 0, {}
    for level_plan in plan:
        model = level_plan.model
        for start in range(0, len(level_plan.ended_pks), BATCH_SIZE):
            model.objects.filter(pk__in=level_plan.ended_pks[start:start + BATCH_SIZE]).update(valid_until=edition)
        ended = set(level_plan.ended_pks)
        pks = {code: row.pk for code, row in level_plan.current.items() if row.pk not in ended}
        for start in range(0, len(level_plan.new_entries), BATCH_SIZE):
            batch = level_plan.new_entries[start:start + BATCH_SIZE]
            rows = []
            for entry in batch:
                row = model(code=entry.code, name=entry.name, is_active=entry.is_active, valid_from=edition)
                for attribute in VERSIONED_FIELDS[model.level][2:]:
                    setattr(row, attribute, entry.value(attribute))
                if model.parent_field:
                    setattr(row, f"{model.parent_field}_id", parent_pks[codes.nomenclature_parent_code(entry.code)])
                rows.append(row)
            for row in model.objects.bulk_create(rows):
                pks[row.code] = row.pk
            done += len(batch)
            progress(done, total, LEVEL_LABELS[model.level])
        done += 1
        progress(done, total, LEVEL_LABELS[model.level])
        parent_pks = pks


# --------------------------------------------------------------------------------------------
# Wilayah

WILAYAH_COLUMNS = {
    "code": ["kode", "kode wilayah", "kode_wilayah", "kode_kemendagri"],
    "name": ["nama", "nama wilayah", "nama_wilayah"],
    "level": ["level", "tingkat"],
    "parent": ["parent_kode", "kode induk", "kode_induk"],
    "kind": ["jenis"],
}
CENTROID_COLUMNS = {"code": ["kode"], "lat": ["centroid_lat", "lat", "lintang"], "lng": ["centroid_lng", "lng", "lon", "bujur"]}
_WILAYAH_LEVEL_TEXT = {
    "provinsi": "provinsi",
    "kabupaten_kota": "kabupaten_kota", "kabupaten/kota": "kabupaten_kota", "kabupaten": "kabupaten_kota", "kota": "kabupaten_kota",
    "kecamatan": "kecamatan",
    "desa_kelurahan": "desa_kelurahan", "desa/kelurahan": "desa_kelurahan", "desa": "desa_kelurahan", "kelurahan": "desa_kelurahan",
}
_WILAYAH_ORDER = ["provinsi", "kabupaten_kota", "kecamatan", "desa_kelurahan"]


def _within(code, prefix):
    """A code belongs to the import when it is the prefix region, below it, or one of its ancestors."""
    return not prefix or code == prefix or code.startswith(prefix + ".") or prefix.startswith(code + ".")


def _read_wilayah_rows(sheet, within, report, errors):
    entries = {}
    for row, values in sheet.rows:
        code = values.get("code", "").replace(" ", "")
        if code and not _within(code, within):
            report.rows_skipped += 1
            continue
        report.rows_read += 1
        level = codes.wilayah_level(code)
        if level is None:
            errors.append(RowIssue(row, "kode", f"Kode wilayah '{code}' tidak sesuai format Kemendagri (contoh: 53, 53.01, 53.01.04, 53.01.05.2001)."))
            continue
        stated = values.get("level", "").lower()
        if stated and _WILAYAH_LEVEL_TEXT.get(stated) != level:
            errors.append(RowIssue(row, "level", f"Kode '{code}' adalah {level.replace('_', '/')}, bukan '{stated}'."))
            continue
        parent = values.get("parent", "")
        if parent and parent != codes.wilayah_parent_code(code):
            errors.append(RowIssue(row, "parent_kode", f"Induk '{parent}' tidak sesuai kode '{code}' (seharusnya '{codes.wilayah_parent_code(code)}')."))
            continue
        if not values.get("name"):
            errors.append(RowIssue(row, "nama", f"Nama wilayah '{code}' kosong."))
            continue
        if code in entries:
            errors.append(RowIssue(row, "kode", f"Kode '{code}' ganda (juga di baris {entries[code]['row']})."))
            continue
        stated_kind = values.get("kind", "").lower()
        kind = codes.wilayah_kind(code, level, values["name"])
        if level == "kabupaten_kota" and stated_kind in ("kabupaten", "kota"):
            kind = stated_kind
        entries[code] = {"row": row, "code": code, "name": values["name"], "level": level, "kind": kind}
    return entries


def _read_centroids(source, entries, existing, errors):
    sheet = read_import_sheet(source, None, ["code", "lat", "lng"], CENTROID_COLUMNS)
    for row, values in sheet.rows:
        code = values["code"]
        if code not in entries and code not in existing:
            continue  # centroids of regions outside this import (another kabupaten) are not ours
        try:
            lat, lng = float(values["lat"]), float(values["lng"])
        except ValueError:
            errors.append(RowIssue(row, "centroid", f"Koordinat '{values['lat']}, {values['lng']}' bukan angka."))
            continue
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            errors.append(RowIssue(row, "centroid", f"Koordinat '{lat}, {lng}' di luar jangkauan lintang/bujur."))
            continue
        entries.setdefault(code, {"code": code})["centroid"] = (lat, lng)


def _read_boundaries(source, entries, existing, errors):
    name = getattr(source, "name", str(source))
    try:
        if hasattr(source, "read"):
            data = json.loads(source.read())
        else:
            with open(source, encoding="utf-8") as handle:
                data = json.load(handle)
    except (ValueError, UnicodeDecodeError) as error:
        errors.append(RowIssue(None, "batas", f"Berkas batas {name} bukan GeoJSON yang sah: {error}"))
        return
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        errors.append(RowIssue(None, "batas", f"Berkas batas {name} bukan GeoJSON FeatureCollection."))
        return
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") or {}
        code = str(properties.get("kode") or properties.get("code") or "")
        geometry = feature.get("geometry") or {}
        if code not in entries and code not in existing:
            errors.append(RowIssue(number, "batas", f"Fitur ke-{number} dari {name}: kode wilayah '{code}' tidak dikenal."))
            continue
        if geometry.get("type") not in ("Polygon", "MultiPolygon") or not geometry.get("coordinates"):
            errors.append(RowIssue(number, "batas", f"Fitur ke-{number} ('{code}') dari {name}: geometri harus Polygon atau MultiPolygon."))
            continue
        entry = entries.setdefault(code, {"code": code})
        entry["boundary"] = geometry
        if "centroid_lat" in properties and "centroid_lng" in properties and "centroid" not in entry:
            entry["centroid"] = (float(properties["centroid_lat"]), float(properties["centroid_lng"]))


def import_wilayah(source, *, boundaries=(), centroids=None, within=None, dry_run=False, user=None, name=None, progress=None):
    """Add or update regions from a Kemendagri code list (codes are never deleted: plans point at them).

    `within` limits the import to one region's subtree (plus its ancestors), e.g. "53.01";
    `boundaries` are GeoJSON FeatureCollections whose features carry `kode`; `centroids` a CSV.
    """
    progress = progress or _noop_progress
    sheet = read_import_sheet(source, name, ["code", "name"], WILAYAH_COLUMNS)
    report = ImportReport(kind="wilayah", source=name or str(getattr(source, "name", source)), dry_run=dry_run)
    errors = []
    entries = _read_wilayah_rows(sheet, within, report, errors)
    existing = {w.code: w for w in Wilayah.objects.defer("boundary")}
    top_depth = min((code.count(".") for code in entries), default=0)
    for code, entry in entries.items():
        parent = codes.wilayah_parent_code(code)
        if parent and parent not in entries and parent not in existing:
            if code.count(".") == top_depth:
                # The top of a one-region file (a kabupaten without its provinsi): linked when the parent arrives.
                report.warnings.append(RowIssue(entry["row"], "parent_kode", f"Induk '{parent}' dari '{code}' belum ada; '{code}' disimpan tanpa induk dan ditautkan saat induknya diimpor."))
            else:
                errors.append(RowIssue(entry["row"], "parent_kode", f"Induk '{parent}' dari '{code}' tidak ada dalam berkas maupun basis data."))
    if centroids:
        _read_centroids(centroids, entries, existing, errors)
    for boundary_file in boundaries:
        _read_boundaries(boundary_file, entries, existing, errors)
    if errors:
        raise ImportRefused(errors)

    with_boundary = {c for c, e in entries.items() if "boundary" in e}
    old_boundaries = dict(Wilayah.objects.filter(code__in=with_boundary).values_list("code", "boundary")) if with_boundary else {}
    to_create, to_update = [], []
    for code in sorted(entries, key=lambda c: (c.count("."), c)):
        entry, old = entries[code], existing.get(code)
        level = entry.get("level") or old.level
        if old is None:
            old = Wilayah(code=code, level=level)
            to_create.append(old)
            report.record(level, "added", code, new=entry["name"])
        renamed = old.pk and "name" in entry and old.name != entry["name"]
        if renamed:
            report.record(level, "renamed", code, old.name, entry["name"])
        changed = False
        for attribute in ("name", "kind", "level"):
            if attribute in entry and getattr(old, attribute) != entry[attribute]:
                setattr(old, attribute, entry[attribute])
                changed = True
        if "centroid" in entry:
            lat, lng = (round(v, 7) for v in entry["centroid"])
            if old.centroid_lat is None or (float(old.centroid_lat), float(old.centroid_lng)) != (lat, lng):
                old.centroid_lat, old.centroid_lng = lat, lng
                changed = True
        if "boundary" in entry and old_boundaries.get(code) != entry["boundary"]:
            old.boundary = entry["boundary"]
            changed = True
        parent_code = codes.wilayah_parent_code(code)
        if old.pk and old.parent_id is None and parent_code and (parent_code in entries or parent_code in existing):
            changed = True  # its parent was missing at an earlier import and is known now
        if old.pk and changed:
            to_update.append(old)
            if not renamed:
                report.record(level, "changed", code, new=old.name)
        elif old.pk:
            report.record(level, "unchanged")
    if dry_run or not report.has_changes:
        return report
    with transaction.atomic():
        _write_wilayah(to_create, to_update, existing, progress)
        report.run = _record_run(report, user)
    return report


def _write_wilayah(to_create, to_update, existing, progress):
    total, done = len(to_create) + len(to_update), 0
    pks = {code: w.pk for code, w in existing.items()}
    # Parents before children: a level at a time, so each row's parent already has its key.
    for level in _WILAYAH_ORDER:
        rows = [w for w in to_create if w.level == level]
        for row in rows:
            parent = codes.wilayah_parent_code(row.code)
            row.parent_id = pks.get(parent) if parent else None
        for start in range(0, len(rows), BATCH_SIZE):
            for row in Wilayah.objects.bulk_create(rows[start:start + BATCH_SIZE]):
                pks[row.code] = row.pk
            done += len(rows[start:start + BATCH_SIZE])
            progress(done, total, "wilayah")
    for row in to_update:
        parent = codes.wilayah_parent_code(row.code)
        row.parent_id = pks.get(parent) if parent else None
    for start in range(0, len(to_update), BATCH_SIZE):
        Wilayah.objects.bulk_update(
            to_update[start:start + BATCH_SIZE], ["name", "kind", "level", "parent", "centroid_lat", "centroid_lng", "boundary"]
        )
        done += len(to_update[start:start + BATCH_SIZE])
        progress(done, total, "wilayah")


# --------------------------------------------------------------------------------------------
# Perangkat daerah

PERANGKAT_DAERAH_COLUMNS = {
    "code": ["kode_unit_organisasi", "kode unit organisasi", "kode unit", "kode_unit", "kode opd", "kode_opd", "kode"],
    "name": ["nama_opd", "nama opd", "nama unit", "nama_unit", "nama perangkat daerah", "nama"],
    "short_name": ["singkatan", "nama singkat"],
    "parent": ["kode_induk", "kode induk", "kode unit induk"],
    "head_name": ["nama kepala", "nama_kepala", "kepala"],
    "head_nip": ["nip kepala", "nip_kepala", "nip"],
    "active": ["aktif"],
    "bidang_1": ["kode_bidang_urusan_1", "bidang urusan 1", "bidang_urusan_1"],
    "bidang_2": ["kode_bidang_urusan_2", "bidang urusan 2", "bidang_urusan_2"],
    "bidang_3": ["kode_bidang_urusan_3", "bidang urusan 3", "bidang_urusan_3"],
}
_PD_FIELDS = ("name", "short_name", "head_name", "head_nip", "is_active")


def _known_bidang_codes():
    edition = NomenclatureEdition.in_force() or NomenclatureEdition.objects.last()
    if edition is None:
        return None, None
    return edition, set(BidangUrusan.objects.in_edition(edition).values_list("code", flat=True))


def _read_perangkat_daerah_rows(sheet, report, errors):
    edition, known_bidang = _known_bidang_codes()
    if edition is None:
        report.warnings.append(RowIssue(None, "", "Nomenklatur belum diimpor: bidang urusan dari kode unit belum diperiksa."))
    entries = {}
    for row, values in sheet.rows:
        report.rows_read += 1
        code = values.get("code", "").replace(" ", "")
        try:
            bidang = codes.perangkat_daerah_bidang_codes(code)
        except Exception as error:  # ValidationError with an Indonesian message
            errors.append(RowIssue(row, "kode", " ".join(getattr(error, "messages", [str(error)]))))
            continue
        stated = [values.get(f"bidang_{i}", "") for i in (1, 2, 3)]
        stated = [b for b in stated if b and b != codes.NO_BIDANG]
        if any(values.get(f"bidang_{i}") for i in (1, 2, 3)) and stated != bidang:
            errors.append(RowIssue(row, "kode_bidang_urusan", f"Bidang urusan {', '.join(stated) or '-'} tidak sesuai kode unit '{code}' ({', '.join(bidang)})."))
            continue
        if known_bidang is not None and (unknown := [b for b in bidang if b not in known_bidang]):
            errors.append(RowIssue(row, "kode", f"Bidang urusan {', '.join(unknown)} dari kode '{code}' tidak ada dalam nomenklatur {edition.name}."))
            continue
        if not values.get("name"):
            errors.append(RowIssue(row, "nama", f"Nama perangkat daerah '{code}' kosong."))
            continue
        nip = values.get("head_nip", "").replace(" ", "")
        if nip and not (nip.isdigit() and len(nip) == 18):
            errors.append(RowIssue(row, "nip", f"NIP '{nip}' harus 18 angka."))
            continue
        if code in entries:
            errors.append(RowIssue(row, "kode", f"Kode '{code}' ganda (juga di baris {entries[code]['row']})."))
            continue
        entries[code] = {
            "row": row, "code": code, "name": values["name"], "short_name": values.get("short_name", ""),
            "head_name": values.get("head_name", ""), "head_nip": nip,
            "is_active": parse_flag(values.get("active"), row, "aktif", errors), "parent": values.get("parent", ""),
        }
    return entries


def _resolve_parents(entries, existing, report, errors):
    known = set(entries) | set(existing)
    for code, entry in entries.items():
        parent = entry.pop("parent")
        if parent:
            if parent not in known:
                errors.append(RowIssue(entry["row"], "kode_induk", f"Unit induk '{parent}' tidak ada dalam berkas maupun basis data."))
            elif parent == code:
                errors.append(RowIssue(entry["row"], "kode_induk", "Unit tidak dapat menjadi induk dirinya sendiri."))
        elif not code.endswith(".0000"):
            # A sub-unit (UPTD, RSUD) hangs below the unit with the same number and sub-unit 0000.
            derived = code[:-4] + "0000"
            if derived in known:
                parent = derived
            else:
                report.warnings.append(RowIssue(entry["row"], "kode_induk", f"Sub-unit '{code}' tanpa unit induk ('{derived}' tidak ada); isi kolom kode_induk bila ada."))
        entry["parent"] = parent or None


def import_perangkat_daerah(source, *, dry_run=False, user=None, name=None, progress=None):
    """Add or update departments and sub-units by unit code (a department is never deleted here:
    plans point at it; mark it inactive instead)."""
    progress = progress or _noop_progress
    sheet = read_import_sheet(source, name, ["code", "name"], PERANGKAT_DAERAH_COLUMNS)
    report = ImportReport(kind="perangkat daerah", source=name or str(getattr(source, "name", source)), dry_run=dry_run)
    errors = []
    entries = _read_perangkat_daerah_rows(sheet, report, errors)
    existing = {pd.code: pd for pd in PerangkatDaerah.objects.select_related("parent")}
    _resolve_parents(entries, existing, report, errors)
    if errors:
        raise ImportRefused(errors)

    to_save = []
    for code, entry in sorted(entries.items()):
        old = existing.get(code)
        unit = old or PerangkatDaerah(code=code)
        before = {f: getattr(unit, f) for f in _PD_FIELDS}
        old_parent = unit.parent.code if old and unit.parent_id else None
        for attribute in _PD_FIELDS:
            setattr(unit, attribute, entry[attribute])
        if old is None:
            report.record("perangkat_daerah", "added", code, new=entry["name"])
        elif before["name"] != entry["name"]:
            report.record("perangkat_daerah", "renamed", code, before["name"], entry["name"])
        elif before != {f: entry[f] for f in _PD_FIELDS} or old_parent != entry["parent"]:
            report.record("perangkat_daerah", "changed", code, new=entry["name"])
        else:
            report.record("perangkat_daerah", "unchanged")
            continue
        to_save.append((unit, entry["parent"]))
    if dry_run or not to_save:
        return report
    with transaction.atomic():
        saved = {code: pd for code, pd in existing.items()}
        # Units first, then parent links: a parent may come later in the file than its sub-unit.
        for number, (unit, _) in enumerate(to_save, start=1):
            unit.save()
            saved[unit.code] = unit
            progress(number, len(to_save) * 2, "perangkat daerah")
        for number, (unit, parent) in enumerate(to_save, start=len(to_save) + 1):
            parent_id = saved[parent].pk if parent else None
            if unit.parent_id != parent_id:
                unit.parent_id = parent_id
                unit.save(update_fields=["parent"])
            progress(number, len(to_save) * 2, "perangkat daerah")
        report.run = _record_run(report, user)
    return report
