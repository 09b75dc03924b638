"""Reference (master) data: the versioned nomenclature, perangkat daerah, wilayah, satuan, sumber dana.

Nomenclature rows are never renamed or deleted in place: an edition (a regulation) adds rows and
ends the validity of the rows it changes, so plans of earlier years keep pointing at what they used.
A row is valid from `valid_from` (an edition) until `valid_until` (the edition that ended it).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from . import codes


class NomenclatureEdition(models.Model):
    """An edition of the nomenclature: one regulation and the year it takes effect."""

    class LevelPemda(models.TextChoices):
        KABUPATEN_KOTA = "kab", "Kabupaten/Kota"
        PROVINSI = "prov", "Provinsi"

    name = models.CharField("nama regulasi", max_length=120, unique=True, help_text="Contoh: Kepmendagri 050-3708/2020")
    year = models.PositiveSmallIntegerField("tahun berlaku", unique=True, help_text="Tahun anggaran pertama yang memakai edisi ini.")
    level_pemda = models.CharField("jenis pemda", max_length=4, choices=LevelPemda.choices, default=LevelPemda.KABUPATEN_KOTA)
    description = models.TextField("keterangan", blank=True)
    imported_at = models.DateTimeField("terakhir diimpor", null=True, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = "edisi nomenklatur"
        verbose_name_plural = "edisi nomenklatur"

    def __str__(self):
        return f"{self.name} (berlaku {self.year})"

    @classmethod
    def in_force(cls, year=None):
        """The edition that governs year `year` (default: this year), or None before the first one."""
        year = year or timezone.localdate().year
        return cls.objects.filter(year__lte=year).order_by("-year").first()


class NomenclatureQuerySet(models.QuerySet):
    def in_edition(self, edition):
        """Rows that belong to `edition`: valid from it or earlier, not ended by it or earlier."""
        return self.filter(valid_from__year__lte=edition.year).filter(
            Q(valid_until__isnull=True) | Q(valid_until__year__gt=edition.year)
        )

    def in_force(self, edition):
        """Rows of `edition` that the regulation has not marked obsolete."""
        return self.in_edition(edition).filter(is_active=True)

    def current(self):
        """The newest version of every code (not yet ended by any edition)."""
        return self.filter(valid_until__isnull=True)


class NomenclatureNode(models.Model):
    code = models.CharField("kode", max_length=32, db_index=True)
    name = models.TextField("nama")
    is_active = models.BooleanField(
        "berlaku",
        default=True,
        help_text="Tidak berlaku: baris yang ditandai usang oleh regulasi, disimpan agar rantai induk tetap utuh.",
    )
    valid_from = models.ForeignKey(
        NomenclatureEdition, models.PROTECT, related_name="+", verbose_name="berlaku sejak edisi"
    )
    valid_until = models.ForeignKey(
        NomenclatureEdition,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="diakhiri oleh edisi",
    )

    objects = NomenclatureQuerySet.as_manager()

    level = None  # set by each level: key in codes.NOMENCLATURE_LEVELS
    parent_field = None

    class Meta:
        abstract = True
        ordering = ["code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_until__isnull=True),
                name="%(app_label)s_%(class)s_one_current_version",
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def parent(self):
        return getattr(self, self.parent_field) if self.parent_field else None

    def clean(self):
        self.code = codes.normalize_nomenclature_code(self.code)
        codes.validate_nomenclature_code(self.code, self.level)
        parent = self.parent if self.parent_field and getattr(self, f"{self.parent_field}_id") else None
        if parent is not None and codes.nomenclature_parent_code(self.code) != parent.code:
            raise ValidationError({"code": f"Kode '{self.code}' tidak berada di bawah induk '{parent.code}'."})

    def ancestors(self):
        """The chain upward, nearest first (sub kegiatan -> kegiatan -> program -> bidang -> urusan)."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class Urusan(NomenclatureNode):
    level = "urusan"

    class Meta(NomenclatureNode.Meta):
        verbose_name = "urusan"
        verbose_name_plural = "urusan"


class BidangUrusan(NomenclatureNode):
    level = "bidang_urusan"
    parent_field = "urusan"
    urusan = models.ForeignKey(Urusan, models.PROTECT, related_name="bidang_urusan_list", verbose_name="urusan")

    class Meta(NomenclatureNode.Meta):
        verbose_name = "bidang urusan"
        verbose_name_plural = "bidang urusan"


class Program(NomenclatureNode):
    level = "program"
    parent_field = "bidang_urusan"
    bidang_urusan = models.ForeignKey(
        BidangUrusan, models.PROTECT, related_name="program_list", verbose_name="bidang urusan"
    )

    class Meta(NomenclatureNode.Meta):
        verbose_name = "program"
        verbose_name_plural = "program"


class Kegiatan(NomenclatureNode):
    level = "kegiatan"
    parent_field = "program"
    program = models.ForeignKey(Program, models.PROTECT, related_name="kegiatan_list", verbose_name="program")

    class Meta(NomenclatureNode.Meta):
        verbose_name = "kegiatan"
        verbose_name_plural = "kegiatan"


class SubKegiatan(NomenclatureNode):
    level = "sub_kegiatan"
    parent_field = "kegiatan"
    kegiatan = models.ForeignKey(Kegiatan, models.PROTECT, related_name="sub_kegiatan_list", verbose_name="kegiatan")
    kinerja = models.TextField("kinerja", blank=True, help_text="Keluaran (output) yang diharapkan.")
    indikator = models.TextField("indikator", blank=True, help_text="Cara keluaran diukur.")
    satuan = models.CharField("satuan", max_length=100, blank=True)

    class Meta(NomenclatureNode.Meta):
        verbose_name = "sub kegiatan"
        verbose_name_plural = "sub kegiatan"


# Top-down order: an edition is imported level by level so that parents exist before children.
NOMENCLATURE_MODELS = {m.level: m for m in (Urusan, BidangUrusan, Program, Kegiatan, SubKegiatan)}
# Attributes whose change makes a new version of a row (besides its parent).
VERSIONED_FIELDS = {
    "urusan": ("name", "is_active"),
    "bidang_urusan": ("name", "is_active"),
    "program": ("name", "is_active"),
    "kegiatan": ("name", "is_active"),
    "sub_kegiatan": ("name", "is_active", "kinerja", "indikator", "satuan"),
}


class WilayahQuerySet(models.QuerySet):
    def of_region(self):
        """The deployment's own region (settings.REGION_CODE) and everything below it."""
        code = settings.REGION_CODE
        return self.filter(Q(code=code) | Q(code__startswith=f"{code}."))



class Wilayah(models.Model):
    """A region with its Kemendagri code: provinsi, kabupaten/kota, kecamatan, desa/kelurahan."""

    class Level(models.TextChoices):
        PROVINSI = "provinsi", "Provinsi"
        KABUPATEN_KOTA = "kabupaten_kota", "Kabupaten/Kota"
        KECAMATAN = "kecamatan", "Kecamatan"
        DESA_KELURAHAN = "desa_kelurahan", "Desa/Kelurahan"

    class Kind(models.TextChoices):
        PROVINSI = "provinsi", "Provinsi"
        KABUPATEN = "kabupaten", "Kabupaten"
        KOTA = "kota", "Kota"
        KECAMATAN = "kecamatan", "Kecamatan"
        DESA = "desa", "Desa"
        KELURAHAN = "kelurahan", "Kelurahan"

    code = models.CharField("kode", max_length=16, unique=True)
    name = models.CharField("nama", max_length=200)
    level = models.CharField("tingkat", max_length=16, choices=Level.choices, db_index=True)
    kind = models.CharField("jenis", max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="induk"
    )
    centroid_lat = models.DecimalField("lintang titik tengah", max_digits=10, decimal_places=7, null=True, blank=True)
    centroid_lng = models.DecimalField("bujur titik tengah", max_digits=10, decimal_places=7, null=True, blank=True)
    boundary = models.JSONField("batas wilayah (GeoJSON)", null=True, blank=True)

    objects = WilayahQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "wilayah"
        verbose_name_plural = "wilayah"

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        level = codes.wilayah_level(self.code)
        if level is None:
            raise ValidationError({"code": f"Kode wilayah '{self.code}' tidak sesuai format Kemendagri (contoh: 53.01.05.2001)."})
        if self.level and level != self.level:
            raise ValidationError({"level": f"Kode '{self.code}' adalah kode {level.replace('_', '/')}, bukan {self.level.replace('_', '/')}."})
        self.level = level
        expected_parent = codes.wilayah_parent_code(self.code)
        if expected_parent and (self.parent is None or self.parent.code != expected_parent):
            raise ValidationError({"parent": f"Induk wilayah '{self.code}' harus '{expected_parent}'."})


class PerangkatDaerah(models.Model):
    """A department (SKPD/OPD) or one of its sub-units, identified by its unit code."""

    code = models.CharField(
        "kode unit",
        max_length=32,
        unique=True,
        validators=[RegexValidator(codes.PERANGKAT_DAERAH_PATTERN, "Format kode unit: U.BB.U2.B2.U3.B3.NN.SSSS")],
        help_text="U.BB.U2.B2.U3.B3.NN.SSSS, contoh 1.02.0.00.0.00.01.0000",
    )
    name = models.CharField("nama", max_length=255)
    short_name = models.CharField("singkatan", max_length=60, blank=True)
    bidang_urusan_1 = models.CharField("bidang urusan 1", max_length=8, editable=False)
    bidang_urusan_2 = models.CharField("bidang urusan 2", max_length=8, blank=True, editable=False)
    bidang_urusan_3 = models.CharField("bidang urusan 3", max_length=8, blank=True, editable=False)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_units",
        verbose_name="unit induk",
        help_text="Untuk sub-unit (UPTD, RSUD, kelurahan).",
    )
    is_active = models.BooleanField("aktif", default=True)
    head_name = models.CharField("nama kepala", max_length=150, blank=True)
    head_nip = models.CharField(
        "NIP kepala",
        max_length=18,
        blank=True,
        validators=[RegexValidator(r"^\d{18}$", "NIP terdiri dari 18 angka.")],
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "perangkat daerah"
        verbose_name_plural = "perangkat daerah"

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def bidang_urusan_codes(self):
        return [c for c in (self.bidang_urusan_1, self.bidang_urusan_2, self.bidang_urusan_3) if c]

    @property
    def is_sub_unit(self):
        return not self.code.endswith(".0000")

    def derive_bidang_urusan(self):
        bidang = codes.perangkat_daerah_bidang_codes(self.code) + ["", ""]
        self.bidang_urusan_1, self.bidang_urusan_2, self.bidang_urusan_3 = bidang[:3]

    def clean(self):
        try:
            self.derive_bidang_urusan()
        except ValidationError as error:
            raise ValidationError({"code": error.messages})
        edition = NomenclatureEdition.in_force()
        if edition is not None:
            known = set(BidangUrusan.objects.in_edition(edition).filter(code__in=self.bidang_urusan_codes).values_list("code", flat=True))
            unknown = [c for c in self.bidang_urusan_codes if c not in known]
            if unknown:
                raise ValidationError({"code": f"Bidang urusan {', '.join(unknown)} tidak ada dalam nomenklatur {edition.name}."})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "Unit tidak dapat menjadi induk dirinya sendiri."})

    def save(self, *args, **kwargs):
        self.derive_bidang_urusan()
        super().save(*args, **kwargs)


class NaturalKeyManager(models.Manager):
    """Lets fixtures and imports find lookups by their natural key (re-loading updates, never duplicates)."""

    def __init__(self, key):
        super().__init__()
        self.key = key

    def get_by_natural_key(self, value):
        return self.get(**{self.key: value})


class Satuan(models.Model):
    """A unit of measure (satuan) used by indicators and proposals."""

    name = models.CharField("nama", max_length=60, unique=True)
    description = models.CharField("keterangan", max_length=200, blank=True)

    objects = NaturalKeyManager("name")

    class Meta:
        ordering = ["name"]
        verbose_name = "satuan"
        verbose_name_plural = "satuan"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class SumberDana(models.Model):
    """A funding source (sumber dana): PAD, DAU, DAK Fisik, Dana Desa, ..."""

    code = models.CharField("kode", max_length=20, unique=True)
    name = models.CharField("nama", max_length=150)
    group = models.CharField("kelompok", max_length=100, blank=True, help_text="Contoh: Pendapatan Asli Daerah, Pendapatan Transfer.")
    is_active = models.BooleanField("aktif", default=True)

    objects = NaturalKeyManager("code")

    class Meta:
        ordering = ["code"]
        verbose_name = "sumber dana"
        verbose_name_plural = "sumber dana"

    def __str__(self):
        return f"{self.code} {self.name}"

    def natural_key(self):
        return (self.code,)


class ImportRun(models.Model):
    """One import of reference data that changed something: the history Bappeda audits."""

    kind = models.CharField("jenis data", max_length=40)
    source = models.CharField("berkas", max_length=255)
    edition = models.ForeignKey(
        NomenclatureEdition, models.SET_NULL, null=True, blank=True, related_name="import_runs", verbose_name="edisi"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="pengguna"
    )
    created_at = models.DateTimeField("waktu", auto_now_add=True)
    summary = models.TextField("ringkasan")
    warnings = models.TextField("peringatan", blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "riwayat impor"
        verbose_name_plural = "riwayat impor"
        permissions = [("import_reference_data", "Boleh mengimpor data referensi")]

    def __str__(self):
        return f"Impor {self.kind} {self.source} ({timezone.localtime(self.created_at):%d-%m-%Y %H:%M})"
