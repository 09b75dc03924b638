"""Forms of the scoring, forum and regulation-table pages (`admin_forums`). As in `forms`, they check
only what they can know (a number is a number, a file is a document); the services decide the rest,
and their refusals land on the field they name through `apply_service_error`."""

from django import forms
from django.core.validators import FileExtensionValidator
from wagtail.admin.widgets import AdminDateInput

from backoffice.reference.models import PerangkatDaerah, Wilayah

from .forms import NumberField, OpdChoiceField, active_units, region_desa, region_kecamatan
from .models import RANKING_LEVELS, Level

YEAR = {"min_value": 2000, "max_value": 2100}
DOCUMENT_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]


class CriterionForm(forms.Form):
    year = forms.IntegerField(label="Tahun rencana", **YEAR)
    level = forms.ChoiceField(label="Tingkat", choices=[(level.value, level.label) for level in RANKING_LEVELS])
    name = forms.CharField(label="Kriteria", max_length=150, required=False)
    description = forms.CharField(label="Keterangan", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    weight = NumberField(label="Bobot", required=False)
    min_score = forms.IntegerField(label="Skor terendah", min_value=0, initial=1)
    max_score = forms.IntegerField(label="Skor tertinggi", min_value=0, initial=5)
    order = forms.IntegerField(label="Urutan", min_value=0, initial=0, required=False)

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and kwargs.get("initial") is None:  # the views pass initial=None when editing
            kwargs["initial"] = {name: getattr(instance, name) for name in self.base_fields}
        super().__init__(*args, **kwargs)
        self.instance = instance

    def values(self):
        return {**self.cleaned_data, "order": self.cleaned_data.get("order") or 0}


def _typed(score):
    """A stored score as a person types it: 4 rather than 4.00, 4,5 rather than 4.50."""
    return None if score is None else format(score.normalize(), "f").replace(".", ",")


class ScoreForm(forms.Form):
    """One field per proposal and criterion (`skor-<usulan>-<criterion>`), starting from the scores given."""

    def __init__(self, *args, items=(), criteria=(), scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items, self.criteria, self.scores = list(items), list(criteria), scores or {}
        for usulan in self.items:
            for criterion in self.criteria:
                self.fields[self.key(usulan, criterion)] = NumberField(
                    label=f"{criterion.name} {usulan.tracking_code}", required=False,
                    initial=_typed(self.scores.get((usulan.pk, criterion.pk))),
                    # Narrow, so that the total and the tie-break stay on screen beside the criteria.
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "style": "width: 5rem"}),
                )

    @staticmethod
    def key(usulan, criterion):
        return f"skor-{usulan.pk}-{criterion.pk}"

    def changed_values(self, usulan):
        """{criterion: value} of the values typed that differ from the scores given."""
        values = {}
        for criterion in self.criteria:
            value = self.cleaned_data.get(self.key(usulan, criterion))
            if value is not None and value != self.scores.get((usulan.pk, criterion.pk)):
                values[criterion] = value
        return values

    def row(self, usulan):
        return [self[self.key(usulan, criterion)] for criterion in self.criteria]


class ForumForm(forms.Form):
    """A forum's record. The unit choices are the role's own (Bappeda's admin chooses any); the
    service says which one the level needs and whether the record may be written."""

    level = forms.ChoiceField(label="Tingkat forum", choices=Level.choices)
    year = forms.IntegerField(label="Tahun rencana", **YEAR)
    desa = forms.ModelChoiceField(label="Desa/kelurahan", queryset=Wilayah.objects.none(), required=False)
    kecamatan = forms.ModelChoiceField(label="Kecamatan", queryset=Wilayah.objects.none(), required=False)
    perangkat_daerah = OpdChoiceField(label="Perangkat daerah", queryset=PerangkatDaerah.objects.none(), required=False)
    held_on = forms.DateField(label="Tanggal", required=False, widget=AdminDateInput())
    place = forms.CharField(label="Tempat", max_length=255, required=False)
    participant_count = forms.IntegerField(label="Jumlah peserta", min_value=0, required=False)
    berita_acara = forms.FileField(
        label="Berita acara (ditandatangani)", required=False,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS, "Berita acara harus PDF, JPG atau PNG.")],
        help_text="Pindaian berita acara yang sudah ditandatangani; wajib sebelum forum ditutup.",
    )
    notes = forms.CharField(label="Catatan", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, levels=(), units=None, instance=None, **kwargs):
        if instance is not None and kwargs.get("initial") is None:  # the views pass initial=None when editing
            kwargs["initial"] = {name: getattr(instance, name) for name in self.base_fields if name != "berita_acara"}
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(level.value, level.label) for level in levels]
        units = units or {}
        self.fields["desa"].queryset = units.get("desa", region_desa())
        self.fields["kecamatan"].queryset = units.get("kecamatan", region_kecamatan())
        self.fields["perangkat_daerah"].queryset = units.get("perangkat_daerah", active_units())

    def values(self):
        values = dict(self.cleaned_data)
        if not values["berita_acara"]:
            del values["berita_acara"]  # no new upload: keep the one attached
        return values


class ParticipantForm(forms.Form):
    name = forms.CharField(label="Nama", max_length=150, required=False)
    institution = forms.CharField(label="Lembaga/unsur", max_length=150, required=False)
    is_delegate = forms.BooleanField(label="Delegasi ke tingkat berikutnya", required=False)

