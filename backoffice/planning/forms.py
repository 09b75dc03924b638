"""Forms of the planning admin. They read and check input; they never write: the views pass what
they cleaned to the planning services (save_renja_row, save_renstra_element, set_ceiling, ...)."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.urls import reverse

from backoffice.access.models import Role
from backoffice.reference.forms import SHEET_EXTENSIONS, _check_size
from backoffice.reference.models import Kegiatan, PerangkatDaerah, Program, SubKegiatan, SumberDana, Wilayah

from .models import (
    ArahKebijakan,
    Indicator,
    Misi,
    PaguCeiling,
    PlanningPeriod,
    ProgramPrioritas,
    Renja,
    RenjaRow,
    Renstra,
    RenstraKegiatan,
    RenstraProgram,
    RenstraSasaran,
    RenstraSubKegiatan,
    RenstraTujuan,
    Rkpd,
    RkpdPriority,
    Sasaran,
    Strategi,
    Tujuan,
)
from .services import GENERIC_BIDANG, department_code, edition_for, parse_rupiah


def parse_target(text):
    """A target as typed: a number (`12`, `12,5`) or a predicate (`WTP`) -> (value, text)."""
    text = (text or "").strip()
    if not text:
        return None, ""
    try:
        return Decimal(text.replace(".", "").replace(",", ".") if "," in text else text), ""
    except InvalidOperation:
        return None, text


def format_target(target):
    if target is None:
        return ""
    if target.value is not None:
        value = target.value.normalize()
        return f"{value:f}".replace(".", ",")
    return target.text


class RupiahField(forms.CharField):
    """Rupiah as Indonesians type it: `1500000`, `1.500.000`, `Rp 1.500.000,00`."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("maxlength", "40")
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("placeholder", "contoh: 1.500.000")

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            text = f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")  # 1.500.000,50
            return text[:-3] if text.endswith(",00") else text
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_rupiah(value)
        except ValueError as error:
            raise ValidationError(str(error)) from None


class PlanForm(forms.ModelForm):
    """A model form that knows who fills it (to narrow choices to the principal's scope)."""

    def __init__(self, *args, principal=None, **kwargs):
        self.principal = principal
        super().__init__(*args, **kwargs)

    def own_unit_only(self, field="perangkat_daerah"):
        """An OPD operator works for its own department: the only choice, fixed."""
        units = PerangkatDaerah.objects.filter(is_active=True).order_by("code")
        if self.principal is not None and self.principal.role != Role.BAPPEDA_ADMIN:
            units = PerangkatDaerah.objects.filter(pk=self.principal.perangkat_daerah_id)
            self.fields[field].initial = self.principal.perangkat_daerah_id
        self.fields[field].queryset = units

    def fix_on_update(self, *names):
        if self.instance.pk:
            for name in names:
                self.fields[name].disabled = True


class CodeChoiceField(forms.ModelChoiceField):
    """Nomenclature rows labelled with the code as the department writes it."""

    def __init__(self, *args, unit=None, **kwargs):
        self.unit = unit
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        code = department_code(obj.code, self.unit) if self.unit else obj.code
        return f"{code} {obj.name}"


# --------------------------------------------------------------------------------------------
# Root plan objects


class PlanningPeriodForm(PlanForm):
    class Meta:
        model = PlanningPeriod
        fields = ["kind", "name", "start_year", "end_year", "visi", "legal_basis"]


class RenstraForm(PlanForm):
    class Meta:
        model = Renstra
        fields = ["period", "perangkat_daerah", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.own_unit_only()
        self.fix_on_update("period", "perangkat_daerah")


class RenjaForm(PlanForm):
    class Meta:
        model = Renja
        fields = ["perangkat_daerah", "year", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.own_unit_only()
        self.fix_on_update("perangkat_daerah", "year")

    def validate_unique(self):
        pass  # an existing Renja of that department and year is opened, not duplicated (get_or_create_renja)


class PaguCeilingForm(PlanForm):
    amount = RupiahField(label="Plafon (Rp)")

    class Meta:
        model = PaguCeiling
        fields = ["perangkat_daerah", "year", "sumber_dana", "amount"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["perangkat_daerah"].queryset = PerangkatDaerah.objects.filter(is_active=True).order_by("code")
        self.fields["sumber_dana"].queryset = SumberDana.objects.filter(is_active=True).order_by("code")
        self.fields["sumber_dana"].empty_label = "Total (semua sumber dana)"
        self.fix_on_update("perangkat_daerah", "year", "sumber_dana")

    def validate_unique(self):
        pass  # set_ceiling updates the ceiling of that department, year and sumber dana


class RkpdForm(PlanForm):
    class Meta:
        model = Rkpd
        fields = ["year", "theme"]


# --------------------------------------------------------------------------------------------
# Elements of a plan's tree (the parent is fixed by the view)


def _in_force(model, year):
    try:
        return model.objects.in_force(edition_for(year))
    except ValidationError:
        return model.objects.none()


def _unit_prefixes(unit):
    return unit.bidang_urusan_codes + [GENERIC_BIDANG]


def _under(queryset, prefixes):
    from django.db.models import Q

    condition = Q(pk__in=[])
    for prefix in prefixes:
        condition |= Q(code__startswith=prefix + ".")
    return queryset.filter(condition)


class ElementForm(PlanForm):
    pass


class MisiForm(ElementForm):
    class Meta:
        model = Misi
        fields = ["order", "text"]


class TujuanForm(ElementForm):
    class Meta:
        model = Tujuan
        fields = ["code", "text"]


class SasaranForm(ElementForm):
    class Meta:
        model = Sasaran
        fields = ["code", "text"]


class StrategiForm(ElementForm):
    class Meta:
        model = Strategi
        fields = ["order", "text"]


class ArahKebijakanForm(ElementForm):
    class Meta:
        model = ArahKebijakan
        fields = ["order", "text"]


class ProgramPrioritasForm(ElementForm):
    class Meta:
        model = ProgramPrioritas
        fields = ["program", "sasaran", "perangkat_daerah"]
        widgets = {"perangkat_daerah": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        period = self.instance.period
        self.fields["program"] = CodeChoiceField(
            queryset=_in_force(Program, period.start_year).order_by("code"), label="Program",
        )
        self.fields["sasaran"].queryset = Sasaran.objects.filter(tujuan__misi__period=period).order_by("code")
        self.fields["perangkat_daerah"].queryset = PerangkatDaerah.objects.filter(is_active=True).order_by("code")


class RkpdPriorityForm(ElementForm):
    class Meta:
        model = RkpdPriority
        fields = ["order", "name", "description"]


class RenstraTujuanForm(ElementForm):
    class Meta:
        model = RenstraTujuan
        fields = ["code", "text"]


class RenstraSasaranForm(ElementForm):
    class Meta:
        model = RenstraSasaran
        fields = ["code", "text", "rpjmd_sasaran"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        period = self.instance.tujuan.renstra.period
        self.fields["rpjmd_sasaran"].queryset = Sasaran.objects.filter(tujuan__misi__period=period).order_by("code")


class RenstraProgramForm(ElementForm):
    class Meta:
        model = RenstraProgram
        fields = ["program", "sasaran"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        renstra = self.instance.renstra
        unit = renstra.perangkat_daerah
        # Offered: the department's bidang and the support program; the service checks again.
        self.fields["program"] = CodeChoiceField(
            queryset=_under(_in_force(Program, renstra.period.start_year), _unit_prefixes(unit)).order_by("code"),
            unit=unit, label="Program",
        )
        self.fields["sasaran"].queryset = RenstraSasaran.objects.filter(tujuan__renstra=renstra)


class RenstraKegiatanForm(ElementForm):
    class Meta:
        model = RenstraKegiatan
        fields = ["kegiatan"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.instance.renstra_program
        renstra = parent.renstra
        self.fields["kegiatan"] = CodeChoiceField(
            queryset=_under(_in_force(Kegiatan, renstra.period.start_year), [parent.program.code]).order_by("code"),
            unit=renstra.perangkat_daerah, label="Kegiatan",
        )


class RenstraSubKegiatanForm(ElementForm):
    class Meta:
        model = RenstraSubKegiatan
        fields = ["sub_kegiatan"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.instance.renstra_kegiatan
        renstra = parent.renstra_program.renstra
        self.fields["sub_kegiatan"] = CodeChoiceField(
            queryset=_under(_in_force(SubKegiatan, renstra.period.start_year), [parent.kegiatan.code]).order_by("code"),
            unit=renstra.perangkat_daerah, label="Sub kegiatan",
        )


class IndicatorForm(ElementForm):
    """An indicator with one target (and, where the owner carries money, Rp) per year of its plan."""

    class Meta:
        model = Indicator
        fields = [
            "text", "satuan", "direction", "definition", "data_source", "baseline_value", "baseline_text",
            "end_target_value", "end_target_text", "order",
        ]

    def __init__(self, *args, years=(), with_amount=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        self.with_amount = with_amount
        targets = {t.year: t for t in self.instance.targets.all()} if self.instance.pk else {}
        for year in self.years:
            target = targets.get(year)
            self.fields[f"target_{year}"] = forms.CharField(
                label=f"Target {year}", required=False, initial=format_target(target),
                help_text="Angka (contoh 12,5) atau predikat (contoh WTP).",
            )
            if with_amount:
                self.fields[f"amount_{year}"] = RupiahField(
                    label=f"Pagu {year} (Rp)", required=False, initial=target.amount if target else None,
                )

    def yearly_targets(self):
        """{year: (value, text, amount)} as cleaned; blank years are left out."""
        result = {}
        for year in self.years:
            value, text = parse_target(self.cleaned_data.get(f"target_{year}"))
            amount = self.cleaned_data.get(f"amount_{year}") if self.with_amount else None
            if value is not None or text or amount is not None:
                result[year] = (value, text, amount)
        return result


# --------------------------------------------------------------------------------------------
# A Renja row: sub kegiatan (searched among the allowed ones), lokasi, funding, three indicators


class SubKegiatanAutocomplete(forms.Widget):
    """A search box over the sub kegiatan the department may choose (the view's JSON search), with
    the chosen row's id in a hidden input. Choosing one proposes its keluaran indicator and satuan."""

    template_name = "planning/admin/widgets/sub_kegiatan_autocomplete.html"

    def __init__(self, search_url, unit, attrs=None):
        super().__init__(attrs)
        self.search_url = search_url
        self.unit = unit

    class Media:
        js = ["planning/js/renja_row.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = None
        if value:
            chosen = SubKegiatan.objects.filter(pk=value).first() if not isinstance(value, SubKegiatan) else value
        context["widget"].update(
            search_url=self.search_url,
            chosen=chosen,
            chosen_label=f"{department_code(chosen.code, self.unit)} {chosen.name}" if chosen else "",
        )
        return context


INDICATOR_LEVELS = [
    (Indicator.Level.CAPAIAN, "Capaian program (outcome)"),
    (Indicator.Level.HASIL, "Hasil kegiatan"),
    (Indicator.Level.KELUARAN, "Keluaran sub kegiatan (output)"),
]


def proposed_output(sub_kegiatan):
    """The keluaran indicator the nomenclature proposes for a sub kegiatan: (text, satuan)."""
    return (sub_kegiatan.indikator or sub_kegiatan.kinerja or "", sub_kegiatan.satuan or "")


class RenjaRowForm(forms.ModelForm):
    prakiraan_maju_amount = RupiahField(label="Prakiraan maju tahun n+1 (Rp)", required=False)

    class Meta:
        model = RenjaRow
        fields = ["sub_kegiatan", "target_group", "start_month", "end_month", "prakiraan_maju_amount", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, renja, search_url, **kwargs):
        super().__init__(*args, **kwargs)
        self.renja = renja
        unit = renja.perangkat_daerah
        # Every sub kegiatan is accepted here; whether this department may plan it in this year is
        # the service's decision (save_renja_row), with its message on this field. The search
        # offers only the allowed ones.
        self.fields["sub_kegiatan"] = CodeChoiceField(
            queryset=SubKegiatan.objects.all(), unit=unit, label="Sub kegiatan",
            widget=SubKegiatanAutocomplete(search_url, unit),
            help_text="Ketik kode atau nama; hanya sub kegiatan bidang urusan perangkat daerah ini (dan program penunjang) yang berlaku pada tahun Renja.",
        )
        year = renja.year
        existing = {}
        if self.instance.pk:
            for indicator in self.instance.indicators.all().prefetch_related("targets"):
                existing.setdefault(indicator.level, indicator)
        for level, label in INDICATOR_LEVELS:
            indicator = existing.get(level)
            targets = {t.year: t for t in indicator.targets.all()} if indicator else {}
            self.fields[f"{level}_text"] = forms.CharField(
                label=f"{label}: indikator", required=False, initial=indicator.text if indicator else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"{level}_satuan"] = forms.CharField(label="Satuan", required=False, max_length=100, initial=indicator.satuan if indicator else "")
            self.fields[f"{level}_target"] = forms.CharField(label=f"Target {year}", required=False, max_length=255, initial=format_target(targets.get(year)))
            self.fields[f"{level}_target_next"] = forms.CharField(
                label=f"Target {year + 1} (prakiraan maju)", required=False, max_length=255, initial=format_target(targets.get(year + 1)),
            )
        self.fields["keluaran_text"].help_text = "Diusulkan dari kinerja/indikator/satuan nomenklatur sub kegiatan yang dipilih; boleh diubah."

    def propose_from(self, sub_kegiatan):
        """Pre-fill the keluaran indicator from the nomenclature (a new row, before the user types)."""
        text, satuan = proposed_output(sub_kegiatan)
        self.initial["sub_kegiatan"] = sub_kegiatan.pk
        self.fields["keluaran_text"].initial = text
        self.fields["keluaran_satuan"].initial = satuan

    def indicator_groups(self):
        return [
            (level, label, [self[f"{level}_{part}"] for part in ("text", "satuan", "target", "target_next")])
            for level, label in INDICATOR_LEVELS
        ]

    def main_fields(self):
        return [self[name] for name in ("sub_kegiatan", "target_group", "start_month", "end_month", "notes")]

    def clean(self):
        cleaned = super().clean()
        sub = cleaned.get("sub_kegiatan")
        if sub is not None:
            duplicate = RenjaRow.objects.filter(renja=self.renja, sub_kegiatan=sub).exclude(pk=self.instance.pk)
            if duplicate.exists():
                self.add_error("sub_kegiatan", "Sub kegiatan ini sudah ada dalam Renja ini: ubah baris yang ada.")
            elif not cleaned.get("keluaran_text"):
                # Left empty: the nomenclature's proposal is kept.
                cleaned["keluaran_text"], proposed_satuan = proposed_output(sub)
                cleaned["keluaran_satuan"] = cleaned.get("keluaran_satuan") or proposed_satuan
        for level, label in INDICATOR_LEVELS:
            if (cleaned.get(f"{level}_target") or cleaned.get(f"{level}_target_next")) and not cleaned.get(f"{level}_text"):
                self.add_error(f"{level}_text", f"Isi indikator {label.lower()} untuk targetnya.")
        return cleaned

    def indicators(self):
        """{level: (text, satuan, {year: (value, text)})} for the row's three indicator levels."""
        year = self.renja.year
        result = {}
        for level, _ in INDICATOR_LEVELS:
            targets = {
                year: parse_target(self.cleaned_data.get(f"{level}_target")),
                year + 1: parse_target(self.cleaned_data.get(f"{level}_target_next")),
            }
            result[level] = (self.cleaned_data.get(f"{level}_text", "").strip(), self.cleaned_data.get(f"{level}_satuan", "").strip(), targets)
        return result


WHOLE_REGION = "*"


def lokasi_choices():
    places = (
        Wilayah.objects.of_region()
        .filter(level__in=[Wilayah.Level.KECAMATAN, Wilayah.Level.DESA_KELURAHAN])
        .order_by("code")
        .values_list("pk", "code", "name", "level")
    )
    return [("", "---------"), (WHOLE_REGION, f"Seluruh {settings.REGION_NAME.lower()}")] + [
        (str(pk), f"{code} {name}" if level == Wilayah.Level.KECAMATAN else f"{code} · {name}") for pk, code, name, level in places
    ]


class LokasiForm(forms.Form):
    wilayah = forms.ChoiceField(label="Kecamatan / desa", required=False)
    description = forms.CharField(label="Keterangan lokasi", required=False, max_length=255)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wilayah"].choices = choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("description") and not cleaned.get("wilayah"):
            self.add_error("wilayah", "Pilih kecamatan/desa atau seluruh kabupaten untuk keterangan ini.")
        return cleaned


class PendanaanForm(forms.Form):
    sumber_dana = forms.ModelChoiceField(label="Sumber dana", queryset=SumberDana.objects.none(), required=False)
    pagu = RupiahField(label="Pagu (Rp)", required=False)

    def __init__(self, *args, sources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sumber_dana"].queryset = sources if sources is not None else SumberDana.objects.filter(is_active=True)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sumber_dana") and cleaned.get("pagu") is None:
            self.add_error("pagu", "Isi pagu sumber dana ini.")
        if cleaned.get("pagu") is not None and not cleaned.get("sumber_dana"):
            self.add_error("sumber_dana", "Pilih sumber dana pagu ini.")
        return cleaned


class BaseLineFormSet(forms.BaseFormSet):
    def filled(self):
        return [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


LokasiFormSet = forms.formset_factory(LokasiForm, formset=BaseLineFormSet, extra=2, can_delete=True)
PendanaanFormSet = forms.formset_factory(PendanaanForm, formset=BaseLineFormSet, extra=2, can_delete=True)


# --------------------------------------------------------------------------------------------
# Import and downloads


class RenjaImportForm(forms.Form):
    year = forms.IntegerField(label="Tahun Renja", min_value=2000, max_value=2100)
    source = forms.FileField(
        label="Berkas (CSV atau XLSX)",
        validators=[FileExtensionValidator(SHEET_EXTENSIONS, "Berkas harus CSV atau XLSX.")],
        help_text=(
            "Kolom: kode OPD (kode unit), kode sub kegiatan, pagu; opsional indikator, target, satuan, lokasi (kode wilayah), "
            "sumber dana (kode). Baris sub kegiatan yang sama dari satu OPD dijumlahkan."
        ),
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_source(self):
        return _check_size(self.cleaned_data["source"])

    def options(self):
        return {"year": self.cleaned_data["year"]}

    def field_sections(self):
        return [("", [self["year"], self["source"]])]


class DownloadForm(forms.Form):
    TABLES = [("tc33", "T-C.33 Renja PD (tahun n dan prakiraan maju)"), ("tc27", "T-C.27 Renstra PD (periode)")]

    table = forms.ChoiceField(label="Tabel", choices=TABLES, widget=forms.RadioSelect, initial="tc33")
    year = forms.IntegerField(label="Tahun (T-C.33)", required=False, min_value=2000, max_value=2100)
    period = forms.ModelChoiceField(label="Periode (T-C.27)", queryset=PlanningPeriod.objects.none(), required=False)
    perangkat_daerah = forms.ModelChoiceField(
        label="Perangkat daerah", queryset=PerangkatDaerah.objects.none(), required=False,
        empty_label="Semua yang dapat Anda lihat",
    )

    def __init__(self, *args, periods, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        self.fields["perangkat_daerah"].queryset = units

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("table") == "tc33" and not cleaned.get("year"):
            self.add_error("year", "Isi tahun Renja.")
        if cleaned.get("table") == "tc27" and not cleaned.get("period"):
            self.add_error("period", "Pilih periode Renstra.")
        return cleaned


def renja_row_search_url(renja):
    return reverse("planning_renja:sub_kegiatan_search", args=[renja.pk])
