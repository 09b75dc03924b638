"""Forms of the reference admin: the upload form of "Impor Data".

The form checks only what it can know before reading the file (which kind, which files, their
type and size); everything about the content is the importer's job (services.py), whose refusal
the preview page shows row by row.
"""

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator

from . import codes
from .models import NomenclatureEdition

SHEET_EXTENSIONS = ["csv", "xlsx"]
GEOJSON_EXTENSIONS = ["geojson", "json"]
# Same ceiling as the upload settings: the full nomenclature is ~1 MB, a province's boundaries more.
MAX_UPLOAD_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (boundary GeoJSON: kecamatan and desa come as separate files)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def _check_size(upload):
    if upload and upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            "Berkas %(name)s terlalu besar (%(size)d MB); batasnya %(limit)d MB.",
            params={"name": upload.name, "size": upload.size // 2**20, "limit": MAX_UPLOAD_BYTES // 2**20},
        )
    return upload


class ReferenceImportForm(forms.Form):
    # Keys are the kinds the import views know (views.IMPORT_KINDS); labels are what users read.
    KIND_CHOICES = [
        ("nomenklatur", "Nomenklatur"),
        ("wilayah", "Wilayah"),
        ("perangkat_daerah", "Perangkat Daerah"),
    ]

    kind = forms.ChoiceField(label="Jenis data", choices=KIND_CHOICES, widget=forms.RadioSelect)
    source = forms.FileField(
        label="Berkas (CSV atau XLSX)",
        validators=[FileExtensionValidator(SHEET_EXTENSIONS, "Berkas harus CSV atau XLSX.")],
        help_text="Baris judul boleh diawali beberapa baris keterangan; kolom dikenali dari namanya.",
    )

    edition_name = forms.CharField(
        label="Nama edisi (regulasi)",
        max_length=120,
        required=False,
        help_text="Khusus nomenklatur. Contoh: Kepmendagri 050-3708/2020.",
    )
    year = forms.IntegerField(
        label="Tahun berlaku",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="Khusus nomenklatur: tahun anggaran pertama yang memakai edisi ini (wajib untuk edisi baru).",
    )
    level_pemda = forms.ChoiceField(
        label="Jenis pemda",
        choices=NomenclatureEdition.LevelPemda.choices,
        initial=NomenclatureEdition.LevelPemda.KABUPATEN_KOTA,
        required=False,
        help_text="Khusus nomenklatur: baris kabupaten/kota atau provinsi dari berkas.",
    )

    boundaries = MultipleFileField(
        label="Batas wilayah (GeoJSON)",
        required=False,
        validators=[FileExtensionValidator(GEOJSON_EXTENSIONS, "Berkas batas harus GeoJSON (.geojson atau .json).")],
        help_text="Khusus wilayah, opsional; boleh beberapa berkas (mis. kecamatan dan desa). Fitur memuat properti 'kode'.",
    )
    centroids = forms.FileField(
        label="Titik tengah (CSV)",
        required=False,
        validators=[FileExtensionValidator(SHEET_EXTENSIONS, "Berkas titik tengah harus CSV atau XLSX.")],
        help_text="Khusus wilayah, opsional: kolom kode, centroid_lat, centroid_lng.",
    )
    within = forms.CharField(
        label="Hanya wilayah di bawah kode",
        max_length=16,
        required=False,
        help_text="Khusus wilayah, opsional: mis. 53.01 untuk mengimpor satu kabupaten dari daftar nasional.",
    )

    # Which fields belong to which kind, for the template's sections and for clean().
    KIND_FIELDS = {
        "nomenklatur": ("edition_name", "year", "level_pemda"),
        "wilayah": ("boundaries", "centroids", "within"),
        "perangkat_daerah": (),
    }

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [(k, label) for k, label in self.KIND_CHOICES if k in kinds]
        self.fields["within"].initial = settings.REGION_CODE
        if len(self.fields["kind"].choices) == 1:
            self.fields["kind"].initial = self.fields["kind"].choices[0][0]

    def clean_source(self):
        return _check_size(self.cleaned_data["source"])

    def clean_centroids(self):
        return _check_size(self.cleaned_data["centroids"])

    def clean_boundaries(self):
        return [_check_size(f) for f in self.cleaned_data["boundaries"]]

    def clean_edition_name(self):
        return " ".join(self.cleaned_data["edition_name"].split())

    def clean_within(self):
        within = self.cleaned_data["within"].replace(" ", "")
        if within and codes.wilayah_level(within) is None:
            raise forms.ValidationError("Kode wilayah '%(code)s' tidak sesuai format Kemendagri (contoh: 53.01).", params={"code": within})
        return within

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == "nomenklatur":
            if not cleaned.get("edition_name"):
                self.add_error("edition_name", "Isi nama edisi nomenklatur yang diimpor.")
            if not cleaned.get("level_pemda"):
                cleaned["level_pemda"] = NomenclatureEdition.LevelPemda.KABUPATEN_KOTA
        return cleaned

    def options(self):
        """The importer's keyword arguments that the form decides (files are passed separately)."""
        kind = self.cleaned_data["kind"]
        if kind == "nomenklatur":
            return {
                "edition_name": self.cleaned_data["edition_name"],
                "year": self.cleaned_data["year"],
                "level_pemda": self.cleaned_data["level_pemda"],
            }
        if kind == "wilayah":
            return {"within": self.cleaned_data["within"] or None}
        return {}

    def field_sections(self):
        """(heading, bound fields) for the template: common fields first, then each kind's own."""
        labels = dict(self.KIND_CHOICES)
        sections = [("", [self["kind"], self["source"]])]
        for kind, names in self.KIND_FIELDS.items():
            if names and kind in dict(self.fields["kind"].choices):
                sections.append((f"Khusus {labels[kind]}", [self[name] for name in names]))
        return sections
