"""Forms of the e-Musrenbang admin: the village's simple proposal form, each step's form (route,
decide, adopt, ...), the bulk action bar, a year's schedule and the import upload.

Forms check only what they can know (a number is a number, a file is a sheet); the rules (territory,
status, schedule window, region, coordinates, attachment types) are the services', whose refusal is
put on the field it names by `apply_service_error`.
"""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from wagtail.admin.widgets import AdminDateTimeInput

from backoffice.planning.services import parse_rupiah, rupiah
from backoffice.reference.forms import MAX_UPLOAD_BYTES, SHEET_EXTENSIONS, MultipleFileField
from backoffice.reference.models import PerangkatDaerah, Satuan, Wilayah

from .models import Attachment, KamusUsulan, Level, Usulan
from .services import MAX_PHOTOS, UsulanInput

# Where a service's field keys land in the proposal form (the kecamatan follows from the desa).
SERVICE_FIELDS = {"kecamatan": "desa", "longitude": "latitude"}


def apply_service_error(form, error, fields=None):
    """Put a service's refusal on the form: on the field it names when the form has it, else on top."""
    fields = {**SERVICE_FIELDS, **(fields or {})}
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            name = fields.get(key, key)
            for item in errors:
                form.add_error(name if name in form.fields else None, item.messages)
    elif isinstance(error, ValidationError):
        for message in error.messages:
            form.add_error(None, message)
    else:
        form.add_error(None, str(error) or "Anda tidak berwenang melakukan tindakan ini.")


def plain_number(value):
    """A Decimal as typed back into a field: 150, 12.5 (no trailing zeros, no exponent)."""
    if value in (None, ""):
        return ""
    if not isinstance(value, Decimal):
        return value
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class NumberInput(forms.TextInput):
    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", **(attrs or {})})

    def format_value(self, value):
        return plain_number(value) or None


class NumberField(forms.Field):
    """A non-negative number as Indonesians type it: 150, 12,5, 1.500.000, Rp 180.000.000."""

    widget = NumberInput
    default_error_messages = {"invalid": "Isi angka, contoh 150 atau 1.500.000."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if str(value).strip().startswith("-"):
            raise ValidationError("Tidak boleh negatif.", code="negative")
        try:
            number = parse_rupiah(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if number is None:
            return None
        if abs(number) >= Decimal("1e12"):
            raise ValidationError("Angka terlalu besar.", code="too_large")
        return number.quantize(Decimal("0.01"))


def region_desa():
    """Villages of this deployment's region (no boundaries: large documents a choice never needs)."""
    return (
        Wilayah.objects.filter(level=Wilayah.Level.DESA_KELURAHAN, code__startswith=settings.REGION_CODE + ".")
        .select_related("parent").defer("boundary", "parent__boundary").order_by("code")
    )


def region_kecamatan():
    return Wilayah.objects.filter(level=Wilayah.Level.KECAMATAN, code__startswith=settings.REGION_CODE + ".").defer("boundary").order_by("code")


class DesaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} (Kec. {obj.parent.name})" if obj.parent_id else obj.name


class OpdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class KamusChoiceField(forms.ModelChoiceField):
    """An item with what prices the proposal: its unit price per satuan, and its department."""

    def label_from_instance(self, obj):
        return f"{obj.name}: {rupiah(obj.unit_price)} per {obj.satuan.name} ({obj.perangkat_daerah.name})"


def active_units():
    return PerangkatDaerah.objects.filter(is_active=True).order_by("code")


# ------------------------------------------------------------------------------------------------
# The proposal


class UsulanForm(forms.Form):
    """What a village operator fills in. Their desa is fixed (shown, not chosen); Bappeda's admin
    chooses one. Attachments are checked by the service, one by one."""

    year = forms.IntegerField(label="Tahun rencana", min_value=2000, max_value=2100)
    desa = DesaChoiceField(label="Desa/kelurahan", queryset=Wilayah.objects.none(), error_messages={"required": "Pilih desa atau kelurahan pengusul."})
    solution = forms.CharField(
        label="Usulan kegiatan", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Apa yang diusulkan, contoh: Rabat beton jalan lingkungan RT 03.",
        error_messages={"required": "Usulan kegiatan wajib diisi."},
    )
    problem = forms.CharField(label="Permasalahan", widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="Masalah yang ingin diselesaikan.")
    address = forms.CharField(label="Alamat/lokasi", max_length=255, required=False, help_text="RT/RW, dusun, nama jalan.")
    latitude = forms.DecimalField(label="Lintang", max_digits=10, decimal_places=7, required=False, help_text="Contoh: -10.1234567 (kosongkan bila belum ada).")
    longitude = forms.DecimalField(label="Bujur", max_digits=10, decimal_places=7, required=False, help_text="Contoh: 123.6543210.")
    kecamatan = forms.ModelChoiceField(label="Kecamatan", queryset=Wilayah.objects.none(), error_messages={"required": "Pilih kecamatan."})
    kamus = KamusChoiceField(
        label="Item kamus usulan", queryset=None, required=False, empty_label="Di luar kamus",
        help_text="Dengan item kamus, satuan dan perangkat daerah mengikuti kamus dan biaya = volume × harga satuan.",
    )
    outside_kamus_reason = forms.CharField(label="Alasan usulan di luar kamus", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    volume = NumberField(label="Volume", error_messages={"required": "Volume wajib diisi."})
    satuan = forms.ModelChoiceField(label="Satuan", queryset=Satuan.objects.none(), required=False, help_text="Kosongkan bila memilih item kamus.")
    estimated_cost = NumberField(label="Perkiraan biaya (Rp)", required=False, help_text="Kosongkan bila memilih item kamus: biaya dihitung dari harga satuannya.")
    target_perangkat_daerah = OpdChoiceField(
        label="Perangkat daerah tujuan (usulan)", queryset=PerangkatDaerah.objects.none(), required=False,
        help_text="Saran desa; kecamatan yang memutuskan saat meneruskan.",
    )
    land_status = forms.ChoiceField(label="Status lahan", choices=Usulan.LandStatus.choices, initial=Usulan.LandStatus.NOT_NEEDED)
    beneficiaries = forms.IntegerField(label="Jumlah penerima manfaat", min_value=0, required=False)
    photos = MultipleFileField(
        label=f"Foto lokasi (paling banyak {MAX_PHOTOS})", required=False,
        widget=MultipleFileField.widget(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text="JPEG, PNG atau WebP, masing-masing paling besar 5 MB.",
    )
    rab = forms.FileField(label="Rencana anggaran biaya (RAB)", required=False, help_text="PDF atau XLSX, paling besar 5 MB.")
    letter = forms.FileField(label="Surat pengantar/proposal", required=False, help_text="PDF, JPEG atau PNG, paling besar 5 MB.")

    FILE_FIELDS = {"photos": Attachment.Kind.PHOTO, "rab": Attachment.Kind.RAB, "letter": Attachment.Kind.LETTER}

    def __init__(self, *args, fixed_desa=None, instance=None, photo_count=0, kamus_items=None, anggota=None, anggota_choices=None, **kwargs):
        """`anggota`: the legislator of a pokir; `anggota_choices`: the legislators a pokir may be
        entered for (Setwan, Bappeda's admin). A pokir form chooses a kecamatan, the desa is optional."""
        self.fixed_desa = fixed_desa
        self.instance = instance
        self.photo_count = photo_count
        self.anggota = anggota
        if instance is not None:
            kwargs.setdefault("initial", self.initial_from(instance))
        super().__init__(*args, **kwargs)
        if anggota_choices is not None:
            self.fields["anggota_dprd"] = forms.ModelChoiceField(
                label="Anggota DPRD", queryset=anggota_choices, help_text="Pemilik pokir; hanya anggota yang menjabat pada tahun rencana.",
                error_messages={"required": "Pilih anggota DPRD pemilik pokir.", "invalid_choice": "Pilih anggota DPRD yang menjabat pada tahun rencana."},
            )
        if fixed_desa is not None:
            del self.fields["desa"]
        else:
            self.fields["desa"].queryset = region_desa()
        if anggota is None and anggota_choices is None:
            del self.fields["kecamatan"]  # it follows from the desa
        else:
            self.fields["kecamatan"].queryset = region_kecamatan()
            self.fields["desa"].required = False
            self.fields["desa"].help_text = "Boleh dikosongkan bila pokir untuk satu kecamatan."
        self.fields["kamus"].queryset = kamus_items if kamus_items is not None else KamusUsulan.objects.none()
        if instance is not None:
            del self.fields["year"]  # a proposal stays in its year
        self.fields["satuan"].queryset = Satuan.objects.order_by("name")
        self.fields["target_perangkat_daerah"].queryset = active_units()

    @staticmethod
    def initial_from(usulan):
        names = ["desa", "kecamatan", "solution", "problem", "address", "latitude", "longitude", "volume", "satuan",
                 "target_perangkat_daerah", "land_status", "beneficiaries", "kamus", "outside_kamus_reason"]
        initial = {name: getattr(usulan, name) for name in names}
        initial["estimated_cost"] = usulan.estimated_cost
        return initial

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if len(photos) + self.photo_count > MAX_PHOTOS:
            left = MAX_PHOTOS - self.photo_count
            raise ValidationError(f"Paling banyak {MAX_PHOTOS} foto per usulan" + (f"; masih bisa {left} lagi." if self.photo_count else "."))
        return photos

    def clean(self):
        """Without a kamus item the proposer gives the satuan and the cost (with one, the service takes them from it)."""
        cleaned = super().clean()
        if cleaned.get("kamus") is None:
            for name, message in (("satuan", "Pilih satuan volume."), ("estimated_cost", "Perkiraan biaya wajib diisi.")):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, message)
        return cleaned

    def to_input(self):
        """The service's input: what the form holds over what the proposal already had."""
        data = self.cleaned_data
        desa = self.fixed_desa or data.get("desa")
        anggota = self.anggota or data.get("anggota_dprd")
        kecamatan = data["kecamatan"] if anggota is not None else (desa.parent if desa else None)
        if self.instance is not None:
            values = {name: getattr(self.instance, name) for name in UsulanInput.__dataclass_fields__}
        else:
            values = {"year": data["year"]}
        values.update(
            desa=desa, kecamatan=kecamatan, solution=data["solution"].strip(), problem=data["problem"].strip(),
            address=data["address"].strip(), latitude=data["latitude"], longitude=data["longitude"], volume=data["volume"],
            satuan=data["satuan"], estimated_cost=data["estimated_cost"], target_perangkat_daerah=data["target_perangkat_daerah"],
            land_status=data["land_status"], beneficiaries=data["beneficiaries"],
            kamus=data["kamus"], outside_kamus_reason=data["outside_kamus_reason"].strip(),
        )
        if anggota is not None:
            values.update(proposer_level=Usulan.ProposerLevel.DPRD, anggota_dprd=anggota)
        if data["target_perangkat_daerah"] is not None:
            values["target_text"] = ""
        return UsulanInput(**values)

    def uploads(self):
        """(field, kind, file) for every file sent, photos first."""
        items = [("photos", Attachment.Kind.PHOTO, f) for f in self.cleaned_data.get("photos") or []]
        for name in ("rab", "letter"):
            if self.cleaned_data.get(name):
                items.append((name, self.FILE_FIELDS[name], self.cleaned_data[name]))
        return items

    def sections(self):
        """(heading, bound fields) for the template."""
        where = [self[n] for n in ("kecamatan", "desa", "address", "latitude", "longitude") if n in self.fields]
        what = [self[n] for n in ("anggota_dprd", "year", "solution", "problem") if n in self.fields]
        return [
            ("Usulan", what),
            ("Lokasi", where),
            ("Kamus usulan", [self["kamus"], self["outside_kamus_reason"]]),
            ("Volume dan biaya", [self["volume"], self["satuan"], self["estimated_cost"]]),
            ("Keterangan lain", [self["target_perangkat_daerah"], self["land_status"], self["beneficiaries"]]),
            ("Lampiran", [self["photos"], self["rab"], self["letter"]]),
        ]


# ------------------------------------------------------------------------------------------------
# The steps


class NoteForm(forms.Form):
    note = forms.CharField(label="Catatan internal", required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Tidak ditampilkan kepada publik.")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Alasan (dapat dibaca publik)", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Alasan wajib diisi: alasan ini dapat dibaca publik."},
    )
    note = NoteForm.base_fields["note"]


class ValidateForm(forms.Form):
    """Sending a proposal on to a department (Bappeda validating a pokir), starting from its target."""

    perangkat_daerah = OpdChoiceField(label="Perangkat daerah tujuan", queryset=PerangkatDaerah.objects.none(), error_messages={"required": "Pilih perangkat daerah tujuan."})
    note = NoteForm.base_fields["note"]

    def __init__(self, *args, usulan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["perangkat_daerah"].queryset = active_units()
        if usulan is not None and not self.is_bound:
            self.initial["perangkat_daerah"] = usulan.target_perangkat_daerah_id


class RouteForm(ValidateForm):
    """The kecamatan's routing, with its ranking and recommended values."""

    priority = forms.IntegerField(label="Prioritas kecamatan", min_value=1, required=False, help_text="Kosongkan untuk memakai urutan peringkat.")
    volume = NumberField(label="Volume rekomendasi", required=False, help_text="Kosongkan bila sama dengan usulan.")
    cost = NumberField(label="Biaya rekomendasi (Rp)", required=False, help_text="Kosongkan bila sama dengan usulan.")
    field_order = ["perangkat_daerah", "priority", "volume", "cost", "note"]

    def __init__(self, *args, usulan=None, **kwargs):
        super().__init__(*args, usulan=usulan, **kwargs)
        if usulan is not None and not self.is_bound:
            self.initial.update(priority=usulan.priority_kecamatan, volume=usulan.volume, cost=usulan.estimated_cost)

    def service_kwargs(self):
        data = self.cleaned_data
        return {"priority": data["priority"], "volume": data["volume"], "cost": data["cost"], "note": data["note"]}


class AcceptForm(forms.Form):
    """Accepting with a volume or cost other than recommended so far is "accepted with changes"
    (decided by the service); the reason for the change is then required and public."""

    volume = NumberField(label="Volume yang diterima", required=False)
    cost = NumberField(label="Biaya yang diterima (Rp)", required=False)
    reason = forms.CharField(label="Alasan perubahan (dapat dibaca publik)", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="Wajib bila volume atau biaya diubah.")
    priority = forms.IntegerField(label="Prioritas perangkat daerah", min_value=1, required=False)
    note = NoteForm.base_fields["note"]

    def __init__(self, *args, current=None, usulan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if current is not None and not self.is_bound:
            self.initial.update(volume=current[0], cost=current[1], priority=usulan.priority_opd if usulan else None)


class AdoptForm(forms.Form):
    renja_row = forms.ModelChoiceField(label="Baris Renja", queryset=None, error_messages={"required": "Pilih baris Renja yang mendanai usulan ini."})
    note = NoteForm.base_fields["note"]

    def __init__(self, *args, rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["renja_row"].queryset = rows


class BulkForm(forms.Form):
    """The bar above the list: one action for the ticked proposals, with what that action needs."""

    action = forms.ChoiceField(label="Tindakan", choices=[], error_messages={"required": "Pilih tindakan."})
    perangkat_daerah = OpdChoiceField(label="Perangkat daerah tujuan", queryset=PerangkatDaerah.objects.none(), required=False)
    reason = forms.CharField(label="Alasan (dapat dibaca publik)", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label="Catatan internal", required=False)

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = dict(actions)  # key -> BulkAction
        self.fields["action"].choices = [("", "Pilih tindakan…")] + [(key, a.label) for key, a in self.actions.items()]
        self.fields["perangkat_daerah"].queryset = active_units()

    def clean(self):
        cleaned = super().clean()
        action = self.actions.get(cleaned.get("action"))
        if action is not None:
            if action.needs_unit and not cleaned.get("perangkat_daerah"):
                self.add_error("perangkat_daerah", "Pilih perangkat daerah tujuan.")
            if action.needs_reason and not (cleaned.get("reason") or "").strip():
                self.add_error("reason", "Alasan wajib diisi: alasan ini dapat dibaca publik.")
        return cleaned


class UsulanFilterForm(forms.Form):
    """The list's filters (GET); fields the role has no use for are removed by the view."""

    q = forms.CharField(label="Cari", required=False, widget=forms.TextInput(attrs={"placeholder": "Kode lacak atau usulan"}))
    tahun = forms.TypedChoiceField(label="Tahun", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Semua status")] + [(k, v) for k, v in Usulan._meta.get_field("status").choices])
    kecamatan = forms.ModelChoiceField(label="Kecamatan", required=False, queryset=Wilayah.objects.none(), empty_label="Semua kecamatan")
    desa = DesaChoiceField(label="Desa/kelurahan", required=False, queryset=Wilayah.objects.none(), empty_label="Semua desa/kelurahan")
    opd = OpdChoiceField(label="Perangkat daerah tujuan", required=False, queryset=PerangkatDaerah.objects.none(), empty_label="Semua perangkat daerah")
    tindakan = forms.BooleanField(label="Hanya yang menunggu tindakan saya", required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tahun"].choices = [("", "Semua tahun")] + [(y, str(y)) for y in years]
        if "kecamatan" in self.fields:
            self.fields["kecamatan"].queryset = region_kecamatan()
        if "desa" in self.fields:
            self.fields["desa"].queryset = region_desa()
        if "opd" in self.fields:
            self.fields["opd"].queryset = PerangkatDaerah.objects.order_by("code")


class RankForm(forms.Form):
    """The kecamatan's order: one number per proposal (the drag-and-drop list fills them in)."""

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for position, usulan in enumerate(self.items, start=1):
            self.fields[f"urutan-{usulan.pk}"] = forms.IntegerField(
                label=f"Urutan {usulan.tracking_code}", min_value=1, initial=usulan.priority_kecamatan or position,
                error_messages={"required": "Isi nomor urut.", "invalid": "Isi nomor urut berupa angka.", "min_value": "Nomor urut mulai dari 1."},
                widget=forms.NumberInput(attrs={"class": "rank-input", "min": 1}),
            )

    def rows(self):
        return [(usulan, self[f"urutan-{usulan.pk}"]) for usulan in self.items]

    def ordered(self):
        """The proposals by the numbers typed; on equal numbers the one whose number was changed
        goes first (typing 1 moves a proposal to the top), then the previous order."""
        keyed = []
        for position, usulan in enumerate(self.items):
            number = self.cleaned_data[f"urutan-{usulan.pk}"]
            changed = number != (usulan.priority_kecamatan or position + 1)
            keyed.append((number, 0 if changed else 1, position, usulan))
        return [usulan for *_, usulan in sorted(keyed, key=lambda k: k[:3])]


# ------------------------------------------------------------------------------------------------
# Schedules


class ScheduleForm(forms.Form):
    """The four levels' windows of one year; a level left empty has no window (is not restricted)."""

    def __init__(self, *args, year=None, schedules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        existing = {s.level: s for s in schedules}
        self.levels = list(Level)
        for level in self.levels:
            current = existing.get(level)
            self.fields[f"opens_{level}"] = forms.DateTimeField(
                label=f"{level.label}: dibuka", required=False, widget=AdminDateTimeInput(),
                initial=current.opens_at if current else None,
            )
            self.fields[f"closes_{level}"] = forms.DateTimeField(
                label=f"{level.label}: ditutup", required=False, widget=AdminDateTimeInput(),
                initial=current.closes_at if current else None,
            )

    def clean(self):
        cleaned = super().clean()
        for level in self.levels:
            opens, closes = cleaned.get(f"opens_{level}"), cleaned.get(f"closes_{level}")
            if (opens is None) != (closes is None) and f"opens_{level}" not in self.errors and f"closes_{level}" not in self.errors:
                self.add_error(f"closes_{level}" if closes is None else f"opens_{level}", "Isi waktu buka dan waktu tutup bersama-sama.")
            elif opens and closes and closes <= opens:
                self.add_error(f"closes_{level}", "Waktu tutup harus sesudah waktu buka.")
        return cleaned

    def windows(self):
        """{level: (opens, closes) or None}."""
        return {
            level: (self.cleaned_data[f"opens_{level}"], self.cleaned_data[f"closes_{level}"]) if self.cleaned_data.get(f"opens_{level}") else None
            for level in self.levels
        }

    def rows(self):
        return [(level.label, self[f"opens_{level}"], self[f"closes_{level}"]) for level in self.levels]


class ScheduleYearForm(forms.Form):
    year = forms.IntegerField(label="Tahun rencana", min_value=2000, max_value=2100)


# ------------------------------------------------------------------------------------------------
# Import


class UsulanImportForm(forms.Form):
    source = forms.FileField(
        label="Berkas (CSV atau XLSX)",
        validators=[FileExtensionValidator(SHEET_EXTENSIONS, "Berkas harus CSV atau XLSX.")],
        help_text="Kolom dikenali dari namanya: usulan kegiatan, permasalahan, volume dan satuan (atau koefisien), anggaran, "
                  "skpd tujuan, kode desa, keterangan (Diakomodir / Tidak Diakomodir).",
    )
    year = forms.IntegerField(label="Tahun rencana", min_value=2000, max_value=2100)
    desa = DesaChoiceField(
        label="Desa/kelurahan pengusul", queryset=Wilayah.objects.none(), required=False,
        help_text="Desa semua baris, kecuali berkas memiliki kolom kode desa.",
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desa"].queryset = region_desa()

    def clean_source(self):
        source = self.cleaned_data["source"]
        if source.size > MAX_UPLOAD_BYTES:
            raise ValidationError(f"Berkas terlalu besar; batasnya {MAX_UPLOAD_BYTES // 2**20} MB.")
        return source

    def options(self):
        desa = self.cleaned_data["desa"]
        return {"year": self.cleaned_data["year"], "desa": desa.pk if desa else None}

    def field_sections(self):
        return [("", [self["source"], self["year"], self["desa"]])]
