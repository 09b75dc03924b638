"""Forms of the annual-cycle admin. They only collect input: every rule (who may act, the stage,
required notes and reasons) is checked by the services, whose messages the views show, so the
fields the services require are not required here."""

import os
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import MinValueValidator
from wagtail.admin.widgets import AdminDateTimeInput

from backoffice.reference.models import PerangkatDaerah

from .models import PlanningPeriod, Renja, Stage

NOTE_WIDGET = forms.Textarea(attrs={"rows": 3})


class NoteForm(forms.Form):
    """A note for a verification step (required by the service when returning)."""

    note = forms.CharField(label="Catatan", required=False, widget=NOTE_WIDGET)


class ReopenForm(forms.Form):
    perangkat_daerah = forms.ModelChoiceField(label="Perangkat daerah", queryset=PerangkatDaerah.objects.none())
    until = forms.DateTimeField(label="Dibuka sampai", widget=AdminDateTimeInput)
    reason = forms.CharField(
        label="Alasan", required=False, widget=NOTE_WIDGET,
        help_text="Wajib: dicatat dalam riwayat tahapan dan log audit.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["perangkat_daerah"].queryset = PerangkatDaerah.objects.filter(is_active=True).order_by("code")


class YearUnitForm(forms.Form):
    """A year and, for Bappeda, optionally one department (departments' staff see only their own)."""

    tahun = forms.IntegerField(label="Tahun", min_value=2000, max_value=2100)
    perangkat_daerah = forms.ModelChoiceField(label="Perangkat daerah", queryset=PerangkatDaerah.objects.none(), required=False, empty_label="Semua perangkat daerah")

    def __init__(self, *args, own_unit_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = PerangkatDaerah.objects.order_by("code")
        if own_unit_id:
            self.fields["perangkat_daerah"].queryset = units.filter(pk=own_unit_id)
            self.fields["perangkat_daerah"].empty_label = None
        else:
            self.fields["perangkat_daerah"].queryset = units.filter(is_active=True)


class PeriodUnitForm(forms.Form):
    periode = forms.ModelChoiceField(label="Periode", queryset=PlanningPeriod.objects.order_by("-start_year"), empty_label=None)
    perangkat_daerah = forms.ModelChoiceField(label="Perangkat daerah", queryset=PerangkatDaerah.objects.none(), required=False, empty_label="Semua perangkat daerah")

    def __init__(self, *args, own_unit_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = PerangkatDaerah.objects.order_by("code")
        if own_unit_id:
            self.fields["perangkat_daerah"].queryset = units.filter(pk=own_unit_id)
            self.fields["perangkat_daerah"].empty_label = None
        else:
            self.fields["perangkat_daerah"].queryset = units.filter(is_active=True)


class StageCompareForm(forms.Form):
    """One Renja and two stages at whose close it was recorded."""

    renja = forms.ModelChoiceField(label="Renja", queryset=Renja.objects.none())
    dari = forms.ModelChoiceField(label="Tahapan awal", queryset=Stage.objects.none(), required=False)
    ke = forms.ModelChoiceField(label="Tahapan pembanding", queryset=Stage.objects.none(), required=False)

    def __init__(self, *args, renjas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["renja"].queryset = renjas
        renja = None
        if self.is_bound:
            try:
                renja = renjas.filter(pk=int(self.data.get("renja"))).first()
            except (TypeError, ValueError):
                renja = None
        stages = Stage.objects.filter(snapshots__renja=renja).order_by("opens_at") if renja else Stage.objects.none()
        for name in ("dari", "ke"):
            self.fields[name].queryset = stages
        self.renja = renja

    def clean(self):
        data = super().clean()
        if self.renja is not None and self.fields["dari"].queryset.count() < 2:
            raise forms.ValidationError("Renja ini belum direkam pada akhir dua tahapan: belum ada yang dapat dibandingkan.")
        if data.get("dari") and data.get("ke") and data["dari"] == data["ke"]:
            raise forms.ValidationError("Pilih dua tahapan yang berbeda.")
        return data


def document_extensions():
    return [e.lower() for e in getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or []]


class RealisasiForm(forms.Form):
    physical = forms.DecimalField(label="Realisasi fisik (keluaran)", max_digits=20, decimal_places=4, validators=[MinValueValidator(Decimal("0"))])
    spent = forms.DecimalField(label="Realisasi anggaran (Rp)", max_digits=18, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    notes = forms.CharField(label="Keterangan perangkat daerah", required=False, widget=NOTE_WIDGET)
    document = forms.FileField(
        label="Dokumen pendukung", required=False,
        help_text="Disimpan sebagai dokumen Wagtail (hanya untuk pengguna yang masuk). Kosongkan untuk mempertahankan dokumen yang ada.",
    )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        allowed = document_extensions()
        if upload and allowed:
            extension = os.path.splitext(upload.name)[1].lstrip(".").lower()
            if extension not in allowed:
                raise forms.ValidationError(f"Jenis berkas tidak diterima; gunakan: {', '.join(allowed)}.")
        return upload
