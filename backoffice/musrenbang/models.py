"""e-Musrenbang: proposals (usulan) from villages, sub-districts, departments and legislators, their
life cycle from desa to a Renja row, each level's recommendation, and the public timeline.

Proposed values are never overwritten: each level's recommendation is its own row. Every step is
an UsulanEvent with actor, time, an internal note and the reason the public may read.
"""

import secrets
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from backoffice.planning.models import TimeWindow, rupiah_field

# Crockford-like alphabet without 0/O, 1/I/L and U: nothing a citizen can misread on a receipt.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKING_LENGTH = 6


def new_tracking_code(year):
    return f"{year % 100:02d}-" + "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def normalize_tracking_code(text):
    """Accept what a citizen types: any case, spaces, with or without the dash."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return f"{cleaned[:2]}-{cleaned[2:]}" if len(cleaned) == 2 + TRACKING_LENGTH else cleaned


class Level(models.TextChoices):
    """The forum levels of a musrenbang season, in order."""

    DESA = "desa", "Desa/kelurahan"
    KECAMATAN = "kecamatan", "Kecamatan"
    FORUM_OPD = "forum_opd", "Forum perangkat daerah"
    KABUPATEN = "kabupaten", "Musrenbang kabupaten"


class MusrenbangSchedule(TimeWindow):
    """When each level works on the year's proposals (set by Bappeda; every year differs)."""

    year = models.PositiveSmallIntegerField("tahun rencana")
    level = models.CharField("tingkat", max_length=12, choices=Level.choices)

    class Meta(TimeWindow.Meta):
        ordering = ["year", "opens_at"]
        unique_together = [("year", "level")]
        verbose_name = "jadwal musrenbang"
        verbose_name_plural = "jadwal musrenbang"

    def __str__(self):
        return f"{self.get_level_display()} {self.year}"


class Status(models.TextChoices):
    DRAFT = "draft", "Draf"
    SUBMITTED = "submitted", "Diajukan desa/kelurahan"
    RETURNED = "returned", "Dikembalikan ke desa/kelurahan"
    REJECTED_KECAMATAN = "rejected_kecamatan", "Ditolak kecamatan"
    ROUTED = "routed", "Diteruskan ke perangkat daerah"
    ACCEPTED = "accepted", "Diterima perangkat daerah"
    ACCEPTED_CHANGED = "accepted_changed", "Diterima dengan perubahan"
    POSTPONED = "postponed", "Ditunda"
    REJECTED_OPD = "rejected_opd", "Ditolak perangkat daerah"
    AGREED = "agreed", "Disepakati musrenbang kabupaten"
    ADOPTED = "adopted", "Masuk Renja"
    NOT_FUNDED = "not_funded", "Tidak didanai"
    CARRIED_OVER = "carried_over", "Dialihkan ke tahun berikutnya"
    # Pokir DPRD pass the secretariat and Bappeda instead of the kecamatan.
    VERIFIED_SETWAN = "verified_setwan", "Diverifikasi Sekretariat DPRD"
    REJECTED_SETWAN = "rejected_setwan", "Ditolak Sekretariat DPRD"
    REJECTED_BAPPEDA = "rejected_bappeda", "Ditolak Bappeda"


class Usulan(models.Model):
    """A development proposal and where it stands."""

    class ProposerLevel(models.TextChoices):
        DESA = "desa", "Desa/kelurahan"
        KECAMATAN = "kecamatan", "Kecamatan"
        OPD = "opd", "Perangkat daerah"
        DPRD = "dprd", "Anggota DPRD (pokir)"

    class Category(models.TextChoices):
        SARPRAS = "sarpras", "Sarana dan prasarana"
        LINGKUNGAN = "lingkungan", "Lingkungan dan kemasyarakatan"
        PEMBERDAYAAN = "pemberdayaan", "Pemberdayaan masyarakat"
        EKONOMI = "ekonomi", "Ekonomi"
        SOSIAL_BUDAYA = "sosial_budaya", "Sosial budaya"

    class LandStatus(models.TextChoices):
        NOT_NEEDED = "not_needed", "Tidak memerlukan lahan"
        PEMDA = "pemda", "Milik pemerintah daerah"
        DESA = "desa", "Milik desa"
        HIBAH = "hibah", "Hibah/surat pelepasan tersedia"
        UNCLEAR = "unclear", "Belum jelas"

    tracking_code = models.CharField("kode lacak", max_length=12, unique=True, editable=False)
    year = models.PositiveSmallIntegerField("tahun rencana")
    proposer_level = models.CharField("tingkat pengusul", max_length=10, choices=ProposerLevel.choices, default=ProposerLevel.DESA)
    proposer_perangkat_daerah = models.ForeignKey(
        "reference.PerangkatDaerah", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="perangkat daerah pengusul"
    )
    # Personal data: never public.
    proposer_name = models.CharField("nama pengusul", max_length=150, blank=True)
    proposer_phone = models.CharField("telepon pengusul", max_length=30, blank=True)
    proposer_nik = models.CharField("NIK pengusul", max_length=16, blank=True)
    internal_notes = models.TextField("catatan internal", blank=True)

    desa = models.ForeignKey("reference.Wilayah", models.PROTECT, null=True, blank=True, related_name="usulan_desa", verbose_name="desa/kelurahan")
    kecamatan = models.ForeignKey("reference.Wilayah", models.PROTECT, related_name="usulan_kecamatan", verbose_name="kecamatan")
    address = models.CharField("alamat/lokasi", max_length=255, blank=True)
    latitude = models.DecimalField("lintang", max_digits=10, decimal_places=7, null=True, blank=True)
    longitude = models.DecimalField("bujur", max_digits=10, decimal_places=7, null=True, blank=True)
    location_warning = models.CharField("peringatan lokasi", max_length=255, blank=True, editable=False)

    category = models.CharField("jenis usulan", max_length=16, choices=Category.choices, blank=True)
    requested_activity = models.CharField("kegiatan yang dituju", max_length=255, blank=True, help_text="Nama kegiatan/sub kegiatan sasaran seperti ditulis pengusul.")
    problem = models.TextField("permasalahan", blank=True)
    solution = models.TextField("usulan kegiatan")
    sub_kegiatan = models.ForeignKey("reference.SubKegiatan", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="sub kegiatan")
    volume = models.DecimalField("volume", max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    satuan = models.ForeignKey("reference.Satuan", models.PROTECT, related_name="+", verbose_name="satuan")
    estimated_cost = rupiah_field("perkiraan biaya (Rp)")
    target_perangkat_daerah = models.ForeignKey(
        "reference.PerangkatDaerah", models.PROTECT, null=True, blank=True, related_name="usulan_list", verbose_name="perangkat daerah tujuan"
    )
    target_text = models.CharField("perangkat daerah tujuan (teks asli)", max_length=255, blank=True, editable=False)
    land_status = models.CharField("status lahan", max_length=12, choices=LandStatus.choices, default=LandStatus.NOT_NEEDED)
    beneficiaries = models.PositiveIntegerField("jumlah penerima manfaat", null=True, blank=True)
    kamus = models.ForeignKey("KamusUsulan", models.PROTECT, null=True, blank=True, related_name="usulan_list", verbose_name="kamus usulan")
    outside_kamus_reason = models.TextField("alasan di luar kamus", blank=True)
    anggota_dprd = models.ForeignKey("AnggotaDprd", models.PROTECT, null=True, blank=True, related_name="pokir", verbose_name="anggota DPRD (pokir)")
    # Weighted totals of each ranking level's scores (scoring.py keeps them current).
    score_kecamatan = models.DecimalField("nilai kecamatan", max_digits=9, decimal_places=2, null=True, blank=True, editable=False)
    score_opd = models.DecimalField("nilai perangkat daerah", max_digits=9, decimal_places=2, null=True, blank=True, editable=False)

    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False, db_index=True)
    public_reason = models.TextField("alasan (publik)", blank=True, editable=False, help_text="Alasan penolakan, pengembalian atau penundaan yang dapat dibaca publik.")
    priority_desa = models.PositiveSmallIntegerField("prioritas desa", null=True, blank=True)
    priority_kecamatan = models.PositiveSmallIntegerField("prioritas kecamatan", null=True, blank=True, editable=False)
    priority_opd = models.PositiveSmallIntegerField("prioritas perangkat daerah", null=True, blank=True, editable=False)
    renja_row = models.ForeignKey("planning.RenjaRow", models.SET_NULL, null=True, blank=True, related_name="usulan_list", editable=False, verbose_name="baris Renja")
    carried_from = models.OneToOneField("self", models.SET_NULL, null=True, blank=True, related_name="carried_to", editable=False, verbose_name="lanjutan dari")

    submitted_by_token = models.ForeignKey("access.ApiToken", models.SET_NULL, null=True, blank=True, related_name="+", editable=False)
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    updated_at = models.DateTimeField("diubah", auto_now=True)

    class Meta:
        ordering = ["-year", "kecamatan__code", "desa__code", "priority_desa", "id"]
        verbose_name = "usulan"
        verbose_name_plural = "usulan"
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by_token", "idempotency_key"], condition=~Q(idempotency_key=""), name="musrenbang_one_usulan_per_idempotency_key"
            ),
        ]

    def __str__(self):
        return f"{self.tracking_code} {self.solution[:60]}"

    def save(self, *args, **kwargs):
        if not self.tracking_code:
            self.tracking_code = new_tracking_code(self.year)
            while type(self).objects.filter(tracking_code=self.tracking_code).exists():
                self.tracking_code = new_tracking_code(self.year)
        super().save(*args, **kwargs)


class Recommendation(models.Model):
    """What one level recommends (volume, cost), beside what was proposed, which stays as it was."""

    usulan = models.ForeignKey(Usulan, models.CASCADE, related_name="recommendations", verbose_name="usulan")
    level = models.CharField("tingkat", max_length=12, choices=Level.choices)
    volume = models.DecimalField("volume", max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    cost = rupiah_field("biaya (Rp)")
    note = models.TextField("catatan", blank=True)
    actor = models.ForeignKey("auth.User", models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField("waktu", auto_now=True)

    class Meta:
        ordering = ["usulan", "at"]
        unique_together = [("usulan", "level")]
        verbose_name = "rekomendasi"
        verbose_name_plural = "rekomendasi"

    def __str__(self):
        return f"{self.get_level_display()}: {self.volume} / {self.cost}"


class UsulanEvent(models.Model):
    """One step in a proposal's life: the public timeline shows action, time and public reason."""

    usulan = models.ForeignKey(Usulan, models.CASCADE, related_name="events", verbose_name="usulan")
    action = models.CharField("tindakan", max_length=30)
    from_status = models.CharField("dari status", max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField("ke status", max_length=20, choices=Status.choices)
    actor = models.ForeignKey("auth.User", models.SET_NULL, null=True, blank=True, related_name="+")
    actor_label = models.CharField("pelaku", max_length=150)
    at = models.DateTimeField("waktu")
    note = models.TextField("catatan internal", blank=True)
    public_reason = models.TextField("alasan publik", blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "riwayat usulan"
        verbose_name_plural = "riwayat usulan"

    def __str__(self):
        return f"{self.usulan.tracking_code}: {self.get_to_status_display()}"


def attachment_path(instance, filename):
    return f"usulan/{instance.usulan.year}/{instance.usulan.tracking_code}/{filename}"


class Attachment(models.Model):
    """A photo (up to three per proposal) or a document (RAB cost sheet, cover letter)."""

    class Kind(models.TextChoices):
        PHOTO = "photo", "Foto"
        RAB = "rab", "Rencana anggaran biaya (RAB)"
        LETTER = "letter", "Surat pengantar/proposal"
        OTHER = "other", "Lainnya"

    usulan = models.ForeignKey(Usulan, models.CASCADE, related_name="attachments", verbose_name="usulan")
    kind = models.CharField("jenis", max_length=8, choices=Kind.choices)
    file = models.FileField("berkas", upload_to=attachment_path)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField("ukuran (bita)", editable=False, validators=[MaxValueValidator(10 * 1024 * 1024)])
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["usulan", "kind", "id"]
        verbose_name = "lampiran"
        verbose_name_plural = "lampiran"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.file.name}"


# ------------------------------------------------------------------------------------------------
# The season's rules, the kamus, pokir DPRD, scoring and forum records


class SeasonSetting(models.Model):
    """Bappeda's rules for one year's season. A year without a setting does not enforce the kamus
    or quotas (seasons and imports from before these rules)."""

    year = models.PositiveSmallIntegerField("tahun rencana", unique=True)
    outside_kamus_allowed = models.BooleanField(
        "usulan di luar kamus diperbolehkan", default=True, help_text="Bila ya, usulan di luar kamus wajib menyertakan alasan."
    )
    pokir_days_before = models.PositiveSmallIntegerField(
        "batas pokir (hari sebelum musrenbang kabupaten)", default=7, validators=[MaxValueValidator(90)]
    )
    quota_per_desa = models.PositiveSmallIntegerField("kuota usulan per desa ke kecamatan", null=True, blank=True)
    quota_per_kecamatan = models.PositiveSmallIntegerField("kuota usulan per kecamatan ke perangkat daerah", null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "pengaturan musrenbang"
        verbose_name_plural = "pengaturan musrenbang"

    def __str__(self):
        return f"Pengaturan musrenbang {self.year}"


class KamusUsulan(models.Model):
    """One item of a department's menu of proposals it will consider in a year, with its price."""

    year = models.PositiveSmallIntegerField("tahun rencana")
    perangkat_daerah = models.ForeignKey("reference.PerangkatDaerah", models.PROTECT, related_name="kamus_usulan", verbose_name="perangkat daerah")
    name = models.CharField("nama item", max_length=255)
    satuan = models.ForeignKey("reference.Satuan", models.PROTECT, related_name="+", verbose_name="satuan")
    unit_price = rupiah_field("harga satuan (Rp)")
    sub_kegiatan = models.ForeignKey("reference.SubKegiatan", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="sub kegiatan")
    expected_output = models.CharField("keluaran yang diharapkan", max_length=255, blank=True)
    is_active = models.BooleanField("aktif", default=True)
    updated_at = models.DateTimeField("diubah", auto_now=True)

    class Meta:
        ordering = ["-year", "perangkat_daerah__code", "name", "id"]
        unique_together = [("year", "perangkat_daerah", "name")]
        verbose_name = "kamus usulan"
        verbose_name_plural = "kamus usulan"

    def __str__(self):
        return f"{self.name} ({self.year})"


class AnggotaDprd(models.Model):
    """A legislator who enters pokok-pokok pikiran; `user` is the login that acts for them."""

    name = models.CharField("nama", max_length=150)
    fraksi = models.CharField("fraksi", max_length=100)
    daerah_pemilihan = models.CharField("daerah pemilihan", max_length=100)
    period_start = models.PositiveSmallIntegerField("awal masa jabatan")
    period_end = models.PositiveSmallIntegerField("akhir masa jabatan")
    user = models.OneToOneField("auth.User", models.SET_NULL, null=True, blank=True, related_name="anggota_dprd", verbose_name="akun pengguna")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "anggota DPRD"
        verbose_name_plural = "anggota DPRD"

    def __str__(self):
        return f"{self.name} ({self.fraksi})"


class PokirCeiling(models.Model):
    """The most a legislator's pokir may cost in one year (optional, a local policy)."""

    anggota = models.ForeignKey(AnggotaDprd, models.CASCADE, related_name="ceilings", verbose_name="anggota DPRD")
    year = models.PositiveSmallIntegerField("tahun rencana")
    amount = rupiah_field("pagu pokir (Rp)")

    class Meta:
        ordering = ["-year", "anggota"]
        unique_together = [("anggota", "year")]
        verbose_name = "pagu pokir"
        verbose_name_plural = "pagu pokir"

    def __str__(self):
        return f"{self.anggota.name} {self.year}: {self.amount}"


RANKING_LEVELS = (Level.KECAMATAN, Level.FORUM_OPD)


class ScoringCriterion(models.Model):
    """A weighted criterion a ranking level scores proposals on (kecamatan or forum perangkat daerah)."""

    year = models.PositiveSmallIntegerField("tahun rencana")
    level = models.CharField("tingkat", max_length=12, choices=[(level.value, level.label) for level in RANKING_LEVELS])
    name = models.CharField("kriteria", max_length=150)
    description = models.TextField("keterangan", blank=True)
    weight = models.DecimalField("bobot", max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    min_score = models.PositiveSmallIntegerField("skor terendah", default=1)
    max_score = models.PositiveSmallIntegerField("skor tertinggi", default=5)
    order = models.PositiveSmallIntegerField("urutan", default=0)

    class Meta:
        ordering = ["year", "level", "order", "id"]
        unique_together = [("year", "level", "name")]
        verbose_name = "kriteria penilaian"
        verbose_name_plural = "kriteria penilaian"

    def __str__(self):
        return f"{self.name} ({self.get_level_display()} {self.year})"


class Score(models.Model):
    """The score a level gives one proposal on one criterion: one per criterion and proposal (the
    level's forum agrees one value; the assessor who entered it last is kept)."""

    usulan = models.ForeignKey(Usulan, models.CASCADE, related_name="scores", verbose_name="usulan")
    criterion = models.ForeignKey(ScoringCriterion, models.PROTECT, related_name="scores", verbose_name="kriteria")
    value = models.DecimalField("skor", max_digits=6, decimal_places=2)
    assessor = models.ForeignKey("auth.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="penilai")
    at = models.DateTimeField("waktu", auto_now=True)

    class Meta:
        ordering = ["usulan", "criterion__order", "criterion_id"]
        unique_together = [("usulan", "criterion")]
        verbose_name = "skor usulan"
        verbose_name_plural = "skor usulan"

    def __str__(self):
        return f"{self.criterion.name}: {self.value}"


def berita_acara_path(instance, filename):
    return f"forum/{instance.year}/{instance.level}/{filename}"


class Forum(models.Model):
    """A musrenbang forum held by one unit: what was agreed is frozen in its items when it closes."""

    level = models.CharField("tingkat", max_length=12, choices=Level.choices)
    year = models.PositiveSmallIntegerField("tahun rencana")
    desa = models.ForeignKey("reference.Wilayah", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="desa/kelurahan")
    kecamatan = models.ForeignKey("reference.Wilayah", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="kecamatan")
    perangkat_daerah = models.ForeignKey("reference.PerangkatDaerah", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="perangkat daerah")
    held_on = models.DateField("tanggal")
    place = models.CharField("tempat", max_length=255)
    participant_count = models.PositiveIntegerField("jumlah peserta")
    berita_acara = models.FileField("berita acara (ditandatangani)", upload_to=berita_acara_path, blank=True)
    notes = models.TextField("catatan", blank=True)
    closed_at = models.DateTimeField("ditutup", null=True, blank=True, editable=False)
    closed_by = models.ForeignKey("auth.User", models.SET_NULL, null=True, blank=True, related_name="+", editable=False)

    class Meta:
        ordering = ["-year", "level", "id"]
        verbose_name = "forum musrenbang"
        verbose_name_plural = "forum musrenbang"

    def __str__(self):
        return f"Forum {self.get_level_display().lower()} {self.unit_name} {self.year}"

    @property
    def unit_name(self):
        unit = {Level.DESA: self.desa, Level.KECAMATAN: self.kecamatan, Level.FORUM_OPD: self.perangkat_daerah}.get(self.level)
        return unit.name if unit else "kabupaten"


class ForumParticipant(models.Model):
    forum = models.ForeignKey(Forum, models.CASCADE, related_name="participants", verbose_name="forum")
    name = models.CharField("nama", max_length=150)
    institution = models.CharField("lembaga/unsur", max_length=150)
    is_delegate = models.BooleanField("delegasi ke tingkat berikutnya", default=False)

    class Meta:
        ordering = ["forum", "-is_delegate", "id"]
        verbose_name = "peserta forum"
        verbose_name_plural = "peserta forum"

    def __str__(self):
        return f"{self.name} ({self.institution})"


class ForumItem(models.Model):
    """A proposal on a closed forum's list, copied as it stood at closing: later edits to the
    proposal do not change it."""

    forum = models.ForeignKey(Forum, models.CASCADE, related_name="items", verbose_name="forum")
    usulan = models.ForeignKey(Usulan, models.SET_NULL, null=True, related_name="+", verbose_name="usulan")
    agreed = models.BooleanField("disepakati")
    position = models.PositiveIntegerField("urutan")
    tracking_code = models.CharField("kode lacak", max_length=12)
    solution = models.TextField("usulan kegiatan")
    desa_name = models.CharField("desa/kelurahan", max_length=150, blank=True)
    perangkat_daerah_code = models.CharField("kode perangkat daerah", max_length=40, blank=True)
    perangkat_daerah_name = models.CharField("perangkat daerah", max_length=255, blank=True)
    volume = models.DecimalField("volume", max_digits=14, decimal_places=2)
    satuan_name = models.CharField("satuan", max_length=100)
    cost = rupiah_field("biaya (Rp)")
    score = models.DecimalField("nilai", max_digits=9, decimal_places=2, null=True, blank=True)
    status_label = models.CharField("status saat ditutup", max_length=60)

    class Meta:
        ordering = ["forum", "-agreed", "position"]
        verbose_name = "daftar usulan forum"
        verbose_name_plural = "daftar usulan forum"

    def __str__(self):
        return f"{self.position}. {self.tracking_code}"
