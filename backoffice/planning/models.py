"""e-Planning: the cascade RPJMD/RPD -> Renstra PD -> RKPD -> Renja PD, indicators and pagu ceilings.

Money is Decimal rupiah, years are integers. Nomenclature rows (Program, Kegiatan, SubKegiatan) are
the versioned reference rows in force in the plan's year; rules that need more than one row
(ceilings, allowed programs) are checked in `services.py`, which every write goes through.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

RUPIAH = {"max_digits": 18, "decimal_places": 2}


def rupiah_field(label, **kwargs):
    return models.DecimalField(label, validators=[MinValueValidator(Decimal("0"))], **RUPIAH, **kwargs)


class PlanningPeriod(models.Model):
    """A five-year regional plan: RPJMD, or RPD when the head of region is acting."""

    class Kind(models.TextChoices):
        RPJMD = "rpjmd", "RPJMD"
        RPD = "rpd", "RPD"

    kind = models.CharField("jenis", max_length=8, choices=Kind.choices, default=Kind.RPJMD)
    name = models.CharField("nama", max_length=200)
    start_year = models.PositiveSmallIntegerField("tahun awal")
    end_year = models.PositiveSmallIntegerField("tahun akhir")
    visi = models.TextField("visi", blank=True)
    legal_basis = models.CharField("dasar hukum", max_length=200, blank=True, help_text="Contoh: Perda Kabupaten Kupang Nomor ...")
    is_published = models.BooleanField("dipublikasikan", default=False)

    class Meta:
        ordering = ["-start_year"]
        verbose_name = "periode perencanaan (RPJMD/RPD)"
        verbose_name_plural = "periode perencanaan (RPJMD/RPD)"
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="planning_period_years_ordered"),
        ]

    def __str__(self):
        return self.name

    @property
    def years(self):
        return list(range(self.start_year, self.end_year + 1))

    def clean(self):
        if self.start_year and self.end_year and not (0 <= self.end_year - self.start_year <= 4):
            raise ValidationError({"end_year": "Periode perencanaan mencakup paling banyak lima tahun."})


class Misi(models.Model):
    period = models.ForeignKey(PlanningPeriod, models.CASCADE, related_name="misi_list", verbose_name="periode")
    order = models.PositiveSmallIntegerField("urutan")
    text = models.TextField("misi")

    class Meta:
        ordering = ["period", "order"]
        unique_together = [("period", "order")]
        verbose_name = "misi"
        verbose_name_plural = "misi"

    def __str__(self):
        return f"Misi {self.order}: {self.text[:80]}"


class Tujuan(models.Model):
    misi = models.ForeignKey(Misi, models.CASCADE, related_name="tujuan_list", verbose_name="misi")
    code = models.CharField("kode", max_length=20, help_text="Contoh: T1.1")
    text = models.TextField("tujuan")

    class Meta:
        ordering = ["misi", "code"]
        verbose_name = "tujuan"
        verbose_name_plural = "tujuan"

    def __str__(self):
        return f"{self.code} {self.text[:80]}"


class Sasaran(models.Model):
    tujuan = models.ForeignKey(Tujuan, models.CASCADE, related_name="sasaran_list", verbose_name="tujuan")
    code = models.CharField("kode", max_length=20, help_text="Contoh: S1.1.1")
    text = models.TextField("sasaran")

    class Meta:
        ordering = ["tujuan", "code"]
        verbose_name = "sasaran"
        verbose_name_plural = "sasaran"

    def __str__(self):
        return f"{self.code} {self.text[:80]}"


class Strategi(models.Model):
    sasaran = models.ForeignKey(Sasaran, models.CASCADE, related_name="strategi_list", verbose_name="sasaran")
    order = models.PositiveSmallIntegerField("urutan", default=1)
    text = models.TextField("strategi")

    class Meta:
        ordering = ["sasaran", "order"]
        verbose_name = "strategi"
        verbose_name_plural = "strategi"

    def __str__(self):
        return self.text[:80]


class ArahKebijakan(models.Model):
    sasaran = models.ForeignKey(Sasaran, models.CASCADE, related_name="arah_kebijakan_list", verbose_name="sasaran")
    order = models.PositiveSmallIntegerField("urutan", default=1)
    text = models.TextField("arah kebijakan")

    class Meta:
        ordering = ["sasaran", "order"]
        verbose_name = "arah kebijakan"
        verbose_name_plural = "arah kebijakan"

    def __str__(self):
        return self.text[:80]


class ProgramPrioritas(models.Model):
    """A priority program of the regional plan: a nomenclature program and the departments responsible."""

    period = models.ForeignKey(PlanningPeriod, models.CASCADE, related_name="program_prioritas_list", verbose_name="periode")
    sasaran = models.ForeignKey(Sasaran, models.SET_NULL, null=True, blank=True, related_name="program_prioritas_list", verbose_name="sasaran")
    program = models.ForeignKey("reference.Program", models.PROTECT, related_name="+", verbose_name="program")
    perangkat_daerah = models.ManyToManyField("reference.PerangkatDaerah", related_name="+", verbose_name="perangkat daerah penanggung jawab", blank=True)

    class Meta:
        ordering = ["period", "program__code"]
        verbose_name = "program prioritas"
        verbose_name_plural = "program prioritas"

    def __str__(self):
        return f"{self.program.code} {self.program.name}"


class PlanStatus(models.TextChoices):
    """Where a Renstra or Renja stands in verification (draft -> submitted -> verified -> set)."""

    DRAFT = "draft", "Draf"
    SUBMITTED = "submitted", "Diajukan"
    RETURNED = "returned", "Dikembalikan"
    VERIFIED = "verified", "Terverifikasi"
    SET = "set", "Ditetapkan"


# ------------------------------------------------------------------------------------------------
# Renstra PD (five years, one per department per period)


class Renstra(models.Model):
    perangkat_daerah = models.ForeignKey("reference.PerangkatDaerah", models.PROTECT, related_name="renstra_list", verbose_name="perangkat daerah")
    period = models.ForeignKey(PlanningPeriod, models.PROTECT, related_name="renstra_list", verbose_name="periode")
    status = models.CharField("status", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT, editable=False)
    is_published = models.BooleanField("dipublikasikan", default=False)
    notes = models.TextField("catatan", blank=True)

    class Meta:
        ordering = ["period", "perangkat_daerah__code"]
        unique_together = [("perangkat_daerah", "period")]
        verbose_name = "Renstra PD"
        verbose_name_plural = "Renstra PD"

    def __str__(self):
        return f"Renstra {self.perangkat_daerah.name} {self.period.start_year}-{self.period.end_year}"


class RenstraTujuan(models.Model):
    renstra = models.ForeignKey(Renstra, models.CASCADE, related_name="tujuan_list", verbose_name="Renstra")
    code = models.CharField("kode", max_length=20)
    text = models.TextField("tujuan")

    class Meta:
        ordering = ["renstra", "code"]
        verbose_name = "tujuan Renstra"
        verbose_name_plural = "tujuan Renstra"

    def __str__(self):
        return f"{self.code} {self.text[:80]}"


class RenstraSasaran(models.Model):
    tujuan = models.ForeignKey(RenstraTujuan, models.CASCADE, related_name="sasaran_list", verbose_name="tujuan")
    code = models.CharField("kode", max_length=20)
    text = models.TextField("sasaran")
    rpjmd_sasaran = models.ForeignKey(
        Sasaran, models.SET_NULL, null=True, blank=True, related_name="renstra_sasaran_list", verbose_name="sasaran RPJMD yang didukung"
    )

    class Meta:
        ordering = ["tujuan", "code"]
        verbose_name = "sasaran Renstra"
        verbose_name_plural = "sasaran Renstra"

    def __str__(self):
        return f"{self.code} {self.text[:80]}"


class RenstraProgram(models.Model):
    renstra = models.ForeignKey(Renstra, models.CASCADE, related_name="program_list", verbose_name="Renstra")
    sasaran = models.ForeignKey(RenstraSasaran, models.SET_NULL, null=True, blank=True, related_name="program_list", verbose_name="sasaran Renstra")
    program = models.ForeignKey("reference.Program", models.PROTECT, related_name="+", verbose_name="program")

    class Meta:
        ordering = ["renstra", "program__code"]
        unique_together = [("renstra", "program")]
        verbose_name = "program Renstra"
        verbose_name_plural = "program Renstra"

    def __str__(self):
        return f"{self.program.code} {self.program.name}"


class RenstraKegiatan(models.Model):
    renstra_program = models.ForeignKey(RenstraProgram, models.CASCADE, related_name="kegiatan_list", verbose_name="program Renstra")
    kegiatan = models.ForeignKey("reference.Kegiatan", models.PROTECT, related_name="+", verbose_name="kegiatan")

    class Meta:
        ordering = ["renstra_program", "kegiatan__code"]
        unique_together = [("renstra_program", "kegiatan")]
        verbose_name = "kegiatan Renstra"
        verbose_name_plural = "kegiatan Renstra"

    def __str__(self):
        return f"{self.kegiatan.code} {self.kegiatan.name}"


class RenstraSubKegiatan(models.Model):
    renstra_kegiatan = models.ForeignKey(RenstraKegiatan, models.CASCADE, related_name="sub_kegiatan_list", verbose_name="kegiatan Renstra")
    sub_kegiatan = models.ForeignKey("reference.SubKegiatan", models.PROTECT, related_name="+", verbose_name="sub kegiatan")

    class Meta:
        ordering = ["renstra_kegiatan", "sub_kegiatan__code"]
        unique_together = [("renstra_kegiatan", "sub_kegiatan")]
        verbose_name = "sub kegiatan Renstra"
        verbose_name_plural = "sub kegiatan Renstra"

    def __str__(self):
        return f"{self.sub_kegiatan.code} {self.sub_kegiatan.name}"


# ------------------------------------------------------------------------------------------------
# Renja PD (one per department per year), RKPD and pagu ceilings


class Renja(models.Model):
    perangkat_daerah = models.ForeignKey("reference.PerangkatDaerah", models.PROTECT, related_name="renja_list", verbose_name="perangkat daerah")
    year = models.PositiveSmallIntegerField("tahun")
    status = models.CharField("status", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT, editable=False)
    is_published = models.BooleanField("dipublikasikan", default=False)
    notes = models.TextField("catatan", blank=True)

    class Meta:
        ordering = ["-year", "perangkat_daerah__code"]
        unique_together = [("perangkat_daerah", "year")]
        verbose_name = "Renja PD"
        verbose_name_plural = "Renja PD"

    def __str__(self):
        return f"Renja {self.perangkat_daerah.name} {self.year}"


class RenjaRow(ClusterableModel):
    """One sub kegiatan of a Renja (a row of table T-C.33)."""

    renja = models.ForeignKey(Renja, models.CASCADE, related_name="rows", verbose_name="Renja")
    sub_kegiatan = models.ForeignKey("reference.SubKegiatan", models.PROTECT, related_name="+", verbose_name="sub kegiatan")
    target_group = models.CharField("kelompok sasaran", max_length=255, blank=True)
    start_month = models.PositiveSmallIntegerField("bulan mulai", default=1, validators=[MinValueValidator(1), MaxValueValidator(12)])
    end_month = models.PositiveSmallIntegerField("bulan selesai", default=12, validators=[MinValueValidator(1), MaxValueValidator(12)])
    pagu_indikatif = rupiah_field("pagu indikatif", default=Decimal("0"), editable=False, help_text="Jumlah pagu semua sumber dana.")
    prakiraan_maju_amount = rupiah_field("prakiraan maju tahun n+1 (Rp)", null=True, blank=True)
    notes = models.TextField("catatan", blank=True)

    class Meta:
        ordering = ["renja", "sub_kegiatan__code"]
        unique_together = [("renja", "sub_kegiatan")]
        verbose_name = "baris Renja"
        verbose_name_plural = "baris Renja"

    def __str__(self):
        return f"{self.code} {self.sub_kegiatan.name}"

    @property
    def code(self):
        """The code as the department writes it: the support program under its own bidang code."""
        from .services import department_code

        return department_code(self.sub_kegiatan.code, self.renja.perangkat_daerah)

    def clean(self):
        if self.start_month and self.end_month and self.start_month > self.end_month:
            raise ValidationError({"end_month": "Bulan selesai tidak boleh sebelum bulan mulai."})


class RenjaLokasi(models.Model):
    row = ParentalKey(RenjaRow, on_delete=models.CASCADE, related_name="lokasi_list", verbose_name="baris Renja")
    wilayah = models.ForeignKey(
        "reference.Wilayah", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="wilayah",
        help_text="Kecamatan atau desa/kelurahan; kosong berarti seluruh kabupaten.",
    )
    description = models.CharField("keterangan lokasi", max_length=255, blank=True)

    class Meta:
        verbose_name = "lokasi"
        verbose_name_plural = "lokasi"

    def __str__(self):
        return self.wilayah.name if self.wilayah_id else "Seluruh kabupaten"


class RenjaPendanaan(models.Model):
    row = ParentalKey(RenjaRow, on_delete=models.CASCADE, related_name="pendanaan_list", verbose_name="baris Renja")
    sumber_dana = models.ForeignKey("reference.SumberDana", models.PROTECT, related_name="+", verbose_name="sumber dana")
    pagu = rupiah_field("pagu (Rp)")

    class Meta:
        ordering = ["row", "sumber_dana__code"]
        unique_together = [("row", "sumber_dana")]
        verbose_name = "sumber dana"
        verbose_name_plural = "sumber dana"

    def __str__(self):
        return f"{self.sumber_dana.code}: {self.pagu}"


class PaguCeiling(models.Model):
    """The ceiling Bappeda sets for a department's Renja in a year, in total or for one sumber dana."""

    perangkat_daerah = models.ForeignKey("reference.PerangkatDaerah", models.PROTECT, related_name="pagu_ceilings", verbose_name="perangkat daerah")
    year = models.PositiveSmallIntegerField("tahun")
    sumber_dana = models.ForeignKey(
        "reference.SumberDana", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="sumber dana",
        help_text="Kosong: plafon total perangkat daerah.",
    )
    amount = rupiah_field("plafon (Rp)")

    class Meta:
        ordering = ["-year", "perangkat_daerah__code", "sumber_dana__code"]
        verbose_name = "plafon pagu"
        verbose_name_plural = "plafon pagu"
        constraints = [
            models.UniqueConstraint(fields=["perangkat_daerah", "year"], condition=Q(sumber_dana__isnull=True), name="planning_one_total_ceiling"),
            models.UniqueConstraint(fields=["perangkat_daerah", "year", "sumber_dana"], condition=Q(sumber_dana__isnull=False), name="planning_one_ceiling_per_source"),
        ]

    def __str__(self):
        scope = self.sumber_dana.code if self.sumber_dana_id else "total"
        return f"Plafon {self.perangkat_daerah} {self.year} ({scope})"


class Rkpd(models.Model):
    """The region's annual plan: the theme and priorities; its programs are the departments' Renja."""

    year = models.PositiveSmallIntegerField("tahun", unique=True)
    theme = models.TextField("tema pembangunan", blank=True)
    is_published = models.BooleanField("dipublikasikan", default=False)

    class Meta:
        ordering = ["-year"]
        verbose_name = "RKPD"
        verbose_name_plural = "RKPD"

    def __str__(self):
        return f"RKPD {self.year}"


class RkpdPriority(models.Model):
    rkpd = models.ForeignKey(Rkpd, models.CASCADE, related_name="priorities", verbose_name="RKPD")
    order = models.PositiveSmallIntegerField("urutan")
    name = models.CharField("prioritas pembangunan", max_length=255)
    description = models.TextField("uraian", blank=True)

    class Meta:
        ordering = ["rkpd", "order"]
        unique_together = [("rkpd", "order")]
        verbose_name = "prioritas pembangunan"
        verbose_name_plural = "prioritas pembangunan"

    def __str__(self):
        return f"{self.order}. {self.name}"


# ------------------------------------------------------------------------------------------------
# Indicators: one model for every level that carries them


INDICATOR_OWNERS = (
    "tujuan", "sasaran", "program_prioritas", "renstra_tujuan", "renstra_sasaran",
    "renstra_program", "renstra_kegiatan", "renstra_sub_kegiatan", "renja_row",
)


def _exactly_one_owner(fields):
    condition = Q()
    for owner in fields:
        condition |= Q(**{f"{owner}__isnull": False}, **{f"{other}__isnull": True for other in fields if other != owner})
    return condition


class Indicator(models.Model):
    """An indicator (indikator kinerja) of one plan element, with baseline, yearly targets and end target.

    Exactly one owner is set. Where a level carries money, the yearly amount is kept beside the
    target (IndicatorTarget.amount), on one indicator of the owner only, so money is never counted twice.
    """

    class Direction(models.TextChoices):
        HIGHER = "higher", "Semakin tinggi semakin baik"
        LOWER = "lower", "Semakin rendah semakin baik"

    class Level(models.TextChoices):
        GENERAL = "", "Umum"
        CAPAIAN = "capaian", "Capaian program (outcome)"
        HASIL = "hasil", "Hasil kegiatan"
        KELUARAN = "keluaran", "Keluaran sub kegiatan (output)"

    OWNER_FIELDS = INDICATOR_OWNERS

    tujuan = models.ForeignKey(Tujuan, models.CASCADE, null=True, blank=True, related_name="indicators")
    sasaran = models.ForeignKey(Sasaran, models.CASCADE, null=True, blank=True, related_name="indicators")
    program_prioritas = models.ForeignKey(ProgramPrioritas, models.CASCADE, null=True, blank=True, related_name="indicators")
    renstra_tujuan = models.ForeignKey(RenstraTujuan, models.CASCADE, null=True, blank=True, related_name="indicators")
    renstra_sasaran = models.ForeignKey(RenstraSasaran, models.CASCADE, null=True, blank=True, related_name="indicators")
    renstra_program = models.ForeignKey(RenstraProgram, models.CASCADE, null=True, blank=True, related_name="indicators")
    renstra_kegiatan = models.ForeignKey(RenstraKegiatan, models.CASCADE, null=True, blank=True, related_name="indicators")
    renstra_sub_kegiatan = models.ForeignKey(RenstraSubKegiatan, models.CASCADE, null=True, blank=True, related_name="indicators")
    renja_row = ParentalKey(RenjaRow, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators")

    level = models.CharField("tingkat", max_length=10, choices=Level.choices, blank=True, default="")
    text = models.TextField("indikator")
    satuan = models.CharField("satuan", max_length=100, blank=True)
    direction = models.CharField("arah", max_length=6, choices=Direction.choices, default=Direction.HIGHER)
    definition = models.TextField("definisi / formula", blank=True)
    data_source = models.CharField("sumber data", max_length=255, blank=True)
    baseline_value = models.DecimalField("kondisi awal (angka)", max_digits=20, decimal_places=4, null=True, blank=True)
    baseline_text = models.CharField("kondisi awal (teks)", max_length=255, blank=True)
    end_target_value = models.DecimalField("target akhir (angka)", max_digits=20, decimal_places=4, null=True, blank=True)
    end_target_text = models.CharField("target akhir (teks)", max_length=255, blank=True)
    order = models.PositiveSmallIntegerField("urutan", default=1)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "indikator"
        verbose_name_plural = "indikator"
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one_owner(INDICATOR_OWNERS),
                name="planning_indicator_one_owner",
            )
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def owner(self):
        for name in self.OWNER_FIELDS:
            if getattr(self, f"{name}_id"):
                return getattr(self, name)
        return None


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="targets", verbose_name="indikator")
    year = models.PositiveSmallIntegerField("tahun")
    value = models.DecimalField("target (angka)", max_digits=20, decimal_places=4, null=True, blank=True)
    text = models.CharField("target (teks)", max_length=255, blank=True, help_text="Untuk target berupa predikat, contoh: WTP.")
    amount = rupiah_field("pagu (Rp)", null=True, blank=True)

    class Meta:
        ordering = ["indicator", "year"]
        unique_together = [("indicator", "year")]
        verbose_name = "target tahunan"
        verbose_name_plural = "target tahunan"

    def __str__(self):
        return f"{self.year}: {self.value if self.value is not None else self.text}"


# ------------------------------------------------------------------------------------------------
# The annual cycle: stages with deadlines, verification history, snapshots, quarterly monitoring


class TimeWindow(models.Model):
    """A period in which something may be done (a stage, a reporting window, a musrenbang level)."""

    opens_at = models.DateTimeField("dibuka")
    closes_at = models.DateTimeField("ditutup")

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="%(app_label)s_%(class)s_closes_after_opening"),
        ]

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "Waktu tutup harus sesudah waktu buka."})

    def is_open(self, at):
        return self.opens_at <= at < self.closes_at


class Stage(TimeWindow):
    """A stage (tahapan) of one year's cycle, with the window in which departments may change plans."""

    class Kind(models.TextChoices):
        RANCANGAN_AWAL = "rancangan_awal", "Rancangan awal"
        FORUM_PD = "forum_pd", "Forum perangkat daerah"
        MUSRENBANG_KAB = "musrenbang_kab", "Musrenbang kabupaten"
        RANCANGAN_AKHIR = "rancangan_akhir", "Rancangan akhir"
        PENETAPAN = "penetapan", "Penetapan"
        PERUBAHAN = "perubahan", "Perubahan"

    year = models.PositiveSmallIntegerField("tahun rencana")
    kind = models.CharField("tahapan", max_length=20, choices=Kind.choices)
    covers_renja = models.BooleanField("mencakup Renja", default=True)
    covers_renstra = models.BooleanField("mencakup Renstra", default=False)
    closed_at = models.DateTimeField("ditutup dan direkam pada", null=True, blank=True, editable=False)

    class Meta(TimeWindow.Meta):
        ordering = ["year", "opens_at"]
        unique_together = [("year", "kind")]
        verbose_name = "tahapan"
        verbose_name_plural = "tahapan"

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}"


class StageReopening(models.Model):
    """Bappeda reopens a closed stage for one department, until a time, for a logged reason."""

    stage = models.ForeignKey(Stage, models.CASCADE, related_name="reopenings", verbose_name="tahapan")
    perangkat_daerah = models.ForeignKey("reference.PerangkatDaerah", models.PROTECT, related_name="+", verbose_name="perangkat daerah")
    until = models.DateTimeField("dibuka sampai")
    reason = models.TextField("alasan")
    created_by = models.ForeignKey("auth.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="dibuka oleh")
    created_at = models.DateTimeField("dibuat", auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "pembukaan ulang tahapan"
        verbose_name_plural = "pembukaan ulang tahapan"

    def __str__(self):
        return f"{self.stage} dibuka ulang untuk {self.perangkat_daerah}"


class VerificationEvent(models.Model):
    """One step of a Renja's or Renstra's verification: who, when, from which status to which, and why."""

    renja = models.ForeignKey(Renja, models.CASCADE, null=True, blank=True, related_name="events")
    renstra = models.ForeignKey(Renstra, models.CASCADE, null=True, blank=True, related_name="events")
    action = models.CharField("tindakan", max_length=20)
    from_status = models.CharField("dari status", max_length=10, choices=PlanStatus.choices)
    to_status = models.CharField("ke status", max_length=10, choices=PlanStatus.choices)
    actor = models.ForeignKey("auth.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="oleh")
    actor_label = models.CharField("pelaku", max_length=150, help_text="Nama pengguna atau token API saat itu.")
    at = models.DateTimeField("waktu", auto_now_add=True)
    note = models.TextField("catatan", blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "riwayat verifikasi"
        verbose_name_plural = "riwayat verifikasi"
        constraints = [models.CheckConstraint(condition=_exactly_one_owner(("renja", "renstra")), name="planning_event_one_plan")]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()} ({self.actor_label})"


class RenjaSnapshot(models.Model):
    """What a Renja held when a stage closed, kept as data (rows, pagu, targets) for comparisons."""

    stage = models.ForeignKey(Stage, models.CASCADE, related_name="snapshots", verbose_name="tahapan")
    renja = models.ForeignKey(Renja, models.CASCADE, related_name="snapshots", verbose_name="Renja")
    taken_at = models.DateTimeField("direkam", auto_now_add=True)
    total_pagu = rupiah_field("total pagu")
    data = models.JSONField("isi")

    class Meta:
        ordering = ["stage__opens_at"]
        unique_together = [("stage", "renja")]
        verbose_name = "rekaman Renja"
        verbose_name_plural = "rekaman Renja"

    def __str__(self):
        return f"{self.renja} pada akhir {self.stage}"


class ReportingWindow(TimeWindow):
    """When departments may report the realisation of a quarter (triwulan)."""

    year = models.PositiveSmallIntegerField("tahun")
    triwulan = models.PositiveSmallIntegerField("triwulan", validators=[MinValueValidator(1), MaxValueValidator(4)])

    class Meta(TimeWindow.Meta):
        ordering = ["year", "triwulan"]
        unique_together = [("year", "triwulan")]
        verbose_name = "jadwal pelaporan triwulan"
        verbose_name_plural = "jadwal pelaporan triwulan"

    def __str__(self):
        return f"Triwulan {self.triwulan} {self.year}"


class Realisasi(models.Model):
    """A department's report of one quarter for one row of a set Renja: physical output and money spent."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draf"
        SUBMITTED = "submitted", "Diajukan"
        RETURNED = "returned", "Dikembalikan"
        ACCEPTED = "accepted", "Diterima"

    row = models.ForeignKey(RenjaRow, models.CASCADE, related_name="realisasi_list", verbose_name="baris Renja")
    triwulan = models.PositiveSmallIntegerField("triwulan", validators=[MinValueValidator(1), MaxValueValidator(4)])
    physical = models.DecimalField("realisasi fisik (keluaran)", max_digits=20, decimal_places=4, validators=[MinValueValidator(Decimal("0"))])
    spent = rupiah_field("realisasi anggaran (Rp)")
    notes = models.TextField("keterangan perangkat daerah", blank=True)
    document = models.ForeignKey("wagtaildocs.Document", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="dokumen pendukung")
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    verifier_note = models.TextField("catatan verifikator", blank=True, editable=False)
    verified_by = models.ForeignKey("auth.User", models.SET_NULL, null=True, blank=True, related_name="+", editable=False)
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["row", "triwulan"]
        unique_together = [("row", "triwulan")]
        verbose_name = "realisasi triwulan"
        verbose_name_plural = "realisasi triwulan"

    def __str__(self):
        return f"Realisasi TW {self.triwulan} {self.row}"
