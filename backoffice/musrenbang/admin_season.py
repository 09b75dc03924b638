"""The season's admin pages in the "Musrenbang" menu: the kamus usulan, Bappeda's yearly settings and
the legislators (anggota DPRD) with their yearly pokir ceilings.

Who sees a page is what `policy.can(..., "view", ...)` says for the role (menus and pages ask the
same), every list is `policy.scope`d, and every write goes through `kamus` and `pokir` services,
whose refusals land on the field they name.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail.admin import messages
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets.button import HeaderButton

from backoffice.access import policy
from backoffice.access.models import Role
from backoffice.planning.services import rupiah
from backoffice.reference.models import PerangkatDaerah, Satuan, SubKegiatan

from . import season, tables
from .admin_views import MusrenbangPageView, default_year, role_menu_item, when
from .forms import NumberField, OpdChoiceField, active_units, apply_service_error
from .kamus import kamus_for, save_kamus_item, save_setting
from .models import AnggotaDprd, KamusUsulan, PokirCeiling, SeasonSetting
from .pokir import save_anggota, set_ceiling
from .views import xlsx_response

YEAR = {"min_value": 2000, "max_value": 2100}


def readers(model):
    """The roles the policy lets read some rows of `model` (for the menu and the page guard)."""
    return frozenset(role for role in Role.values if policy.can(policy.Principal(role=role), "view", model()))


class SeasonPageView(MusrenbangPageView):
    """A page about `model`: refused to roles that may read none of it."""

    model = None
    template_name = "musrenbang/admin/season/list.html"
    PER_PAGE = 50

    def dispatch(self, request, *args, **kwargs):
        self.allowed_roles = readers(self.model)
        return super().dispatch(request, *args, **kwargs)

    def page_of(self, queryset):
        return Paginator(queryset, self.PER_PAGE).get_page(self.request.GET.get("p"))


class SeasonFormView(SeasonPageView):
    """Add or edit one object through its service: a 404 outside the principal's scope, a 403 when
    it may see but not change it (or add none), and the service's refusals on their fields."""

    template_name = "musrenbang/admin/season/form.html"
    header_icon = "form"
    form_class = None
    index_url_name = None
    noun = ""
    lookup = "pk"  # the URL's keyword argument naming the object
    obj = None

    def get_crumbs(self):
        return [(self.model._meta.verbose_name_plural.capitalize(), reverse(self.index_url_name))]

    def get_page_title(self):
        return f"Ubah {self.noun} {self.obj}" if self.obj else f"Tambah {self.noun}"

    def load(self, pk):
        if pk is None:
            if not policy.can_create_any(self.principal, self.model):
                raise PermissionDenied(f"Anda tidak berwenang menambah {self.noun}.")
            return
        self.obj = get_object_or_404(policy.scope(self.principal, self.model.objects.all()), pk=pk)
        policy.require(self.principal, "change", self.obj)

    def get_form(self, data=None):
        return self.form_class(data, principal=self.principal, instance=self.obj)

    def get(self, request, **kwargs):
        self.load(kwargs.get(self.lookup))
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, **kwargs):
        self.load(kwargs.get(self.lookup))
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                obj = self.save(form.cleaned_data)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, f"{obj} disimpan.")
                return redirect(self.success_url(obj))
        return self.render_to_response(self.get_context_data(form=form))

    def success_url(self, obj):
        return reverse(self.index_url_name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse(self.index_url_name)
        return context


def year_choices(queryset, extra=()):
    years = sorted({*queryset.values_list("year", flat=True).distinct(), *extra}, reverse=True)
    return [("", "Semua tahun")] + [(year, str(year)) for year in years]


# ------------------------------------------------------------------------------------------------
# Kamus usulan


class KamusFilterForm(forms.Form):
    tahun = forms.TypedChoiceField(label="Tahun", required=False, coerce=int, empty_value=None)
    opd = OpdChoiceField(label="Perangkat daerah", required=False, queryset=PerangkatDaerah.objects.none(), empty_label="Semua perangkat daerah")
    aktif = forms.ChoiceField(label="Keadaan", required=False, choices=[("", "Aktif dan tidak aktif"), ("1", "Aktif"), ("0", "Tidak aktif")])

    def __init__(self, *args, principal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tahun"].choices = year_choices(kamus_for(principal))
        self.fields["opd"].queryset = PerangkatDaerah.objects.order_by("code")


class KamusForm(forms.Form):
    year = forms.IntegerField(label="Tahun rencana", **YEAR)
    perangkat_daerah = OpdChoiceField(label="Perangkat daerah", queryset=PerangkatDaerah.objects.none(), error_messages={"required": "Pilih perangkat daerah."})
    name = forms.CharField(label="Nama item", max_length=255, error_messages={"required": "Nama item wajib diisi."})
    satuan = forms.ModelChoiceField(label="Satuan", queryset=Satuan.objects.none(), error_messages={"required": "Pilih satuan."})
    unit_price = NumberField(label="Harga satuan (Rp)", error_messages={"required": "Harga satuan wajib diisi."},
                             help_text="Biaya usulan = volume × harga satuan; mengubahnya menghitung ulang usulan yang masih draf.")
    sub_kegiatan = forms.ModelChoiceField(label="Sub kegiatan", queryset=SubKegiatan.objects.none(), required=False)
    expected_output = forms.CharField(label="Keluaran yang diharapkan", max_length=255, required=False)
    is_active = forms.BooleanField(label="Aktif (dapat dipilih pengusul dan terlihat publik)", required=False, initial=True)

    def __init__(self, *args, principal, instance=None, **kwargs):
        if instance is not None:
            kwargs["initial"] = {name: getattr(instance, name) for name in self.base_fields}
        else:
            kwargs["initial"] = {"year": default_year(), "is_active": True, "perangkat_daerah": principal.perangkat_daerah_id}
        super().__init__(*args, **kwargs)
        units = active_units()
        if principal.role != Role.BAPPEDA_ADMIN:  # a department's operator writes its own menu only
            units = units.filter(pk=principal.perangkat_daerah_id)
        self.fields["perangkat_daerah"].queryset = units
        self.fields["satuan"].queryset = Satuan.objects.order_by("name")
        self.fields["sub_kegiatan"].queryset = SubKegiatan.objects.current().filter(is_active=True).order_by("code")


def kamus_row(principal, item):
    return {
        "cells": [item.year, item.perangkat_daerah.name, item.name, item.satuan.name, rupiah(item.unit_price),
                  item.expected_output or "-", "Aktif" if item.is_active else "Tidak aktif"],
        "url": reverse("musrenbang_kamus:edit", args=[item.pk]) if policy.can(principal, "change", item) else "",
    }


class KamusIndexView(SeasonPageView):
    model = KamusUsulan
    page_title = "Kamus Usulan"
    header_icon = "list-ul"
    columns = ("Tahun", "Perangkat daerah", "Nama item", "Satuan", "Harga satuan", "Keluaran", "Keadaan")

    @cached_property
    def filters(self):
        return KamusFilterForm(self.request.GET, principal=self.principal)

    def filtered(self):
        data = self.filters.cleaned_data if self.filters.is_valid() else {}
        queryset = kamus_for(self.principal, data.get("tahun"), data.get("opd"))
        if data.get("aktif"):
            queryset = queryset.filter(is_active=data["aktif"] == "1")
        return queryset

    def get_header_buttons(self):
        buttons = []
        if policy.can_create_any(self.principal, KamusUsulan):
            buttons.append(HeaderButton("Tambah item", url=reverse("musrenbang_kamus:add"), icon_name="plus"))
        query = self.request.GET.urlencode()
        buttons.append(HeaderButton("Unduh XLSX", url=reverse("musrenbang_kamus:export") + (f"?{query}" if query else ""), icon_name="download"))
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = self.page_of(self.filtered())
        year = default_year()
        context.update(filters=self.filters, page=page, columns=self.columns, rows=[kamus_row(self.principal, item) for item in page],
                       noun="item kamus", public_url=reverse("musrenbang_kamus_public", args=[year]), public_year=year)
        return context


class KamusExportView(KamusIndexView):
    """The kamus of one year (the filter's, else the coming one) as XLSX, one sheet per department."""

    def get(self, request):
        data = self.filters.cleaned_data if self.filters.is_valid() else {}
        year = data.get("tahun") or default_year()
        return xlsx_response(tables.kamus_xlsx(self.principal, year, data.get("opd")), f"kamus-usulan-{year}.xlsx")


class KamusFormView(SeasonFormView):
    model = KamusUsulan
    form_class = KamusForm
    index_url_name = "musrenbang_kamus:index"
    noun = "item kamus"

    def save(self, data):
        return save_kamus_item(self.principal, self.obj, **data)


# ------------------------------------------------------------------------------------------------
# Season settings (one per year)


class SettingForm(forms.Form):
    outside_kamus_allowed = forms.BooleanField(label="Usulan di luar kamus diperbolehkan", required=False,
                                               help_text="Bila ya, usulan di luar kamus wajib menyertakan alasan.")
    pokir_days_before = forms.IntegerField(label="Batas pokir (hari sebelum musrenbang kabupaten)",
                                           error_messages={"required": "Isi jumlah hari.", "invalid": "Isi jumlah hari berupa angka."})
    quota_per_desa = forms.IntegerField(label="Kuota usulan per desa ke kecamatan", required=False, help_text="Kosongkan bila tanpa kuota.")
    quota_per_kecamatan = forms.IntegerField(label="Kuota usulan per kecamatan ke perangkat daerah", required=False, help_text="Kosongkan bila tanpa kuota.")

    def __init__(self, *args, principal=None, instance=None, **kwargs):
        instance = instance or SeasonSetting()
        super().__init__(*args, initial={name: getattr(instance, name) for name in self.base_fields}, **kwargs)


class YearForm(forms.Form):
    year = forms.IntegerField(label="Tahun rencana", **YEAR)


class SettingIndexView(SeasonPageView):
    model = SeasonSetting
    page_title = "Pengaturan Musrenbang"
    header_icon = "cog"
    columns = ("Tahun", "Di luar kamus", "Batas pokir", "Kuota per desa", "Kuota per kecamatan")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = self.page_of(policy.scope(self.principal, SeasonSetting.objects.all()).order_by("-year"))
        can_edit = policy.can(self.principal, "change", SeasonSetting())
        rows = []
        for setting in page:
            deadline, _ = season.pokir_deadline(setting.year)
            days = f"{setting.pokir_days_before} hari sebelum musrenbang kabupaten"
            rows.append({
                "cells": [setting.year, "Boleh, dengan alasan" if setting.outside_kamus_allowed else "Tidak boleh",
                          f"{days} ({when(deadline)})" if deadline else days,
                          setting.quota_per_desa or "Tanpa kuota", setting.quota_per_kecamatan or "Tanpa kuota"],
                "url": reverse("musrenbang_setting:edit", args=[setting.year]) if can_edit else "",
            })
        context.update(page=page, columns=self.columns, rows=rows, noun="pengaturan",
                       year_form=YearForm(initial={"year": default_year()}) if can_edit else None)
        return context


class SettingEditView(SeasonFormView):
    """One year's rules (Bappeda's admin); a year without a setting starts from the defaults."""

    model = SeasonSetting
    form_class = SettingForm
    index_url_name = "musrenbang_setting:index"
    noun = "pengaturan musrenbang"
    lookup = "year"

    def get_page_title(self):
        return f"Pengaturan Musrenbang {self.year}"

    def load(self, year):
        if not 2000 <= year <= 2100:
            raise Http404
        self.year = year
        self.obj = SeasonSetting.objects.filter(year=year).first()
        policy.require(self.principal, "change", self.obj or SeasonSetting(year=year))

    def get(self, request, year=None):
        if year is None:  # the list page's "other year" form
            form = YearForm(request.GET)
            if not form.is_valid():
                messages.error(request, "Isi tahun rencana antara 2000 dan 2100.")
                return redirect("musrenbang_setting:index")
            return redirect("musrenbang_setting:edit", year=form.cleaned_data["year"])
        return super().get(request, year=year)

    def save(self, data):
        return save_setting(self.principal, self.year, **data)


# ------------------------------------------------------------------------------------------------
# Anggota DPRD and their pokir ceilings


class AnggotaForm(forms.Form):
    name = forms.CharField(label="Nama", max_length=150, required=False)
    fraksi = forms.CharField(label="Fraksi", max_length=100, required=False)
    daerah_pemilihan = forms.CharField(label="Daerah pemilihan", max_length=100, required=False)
    period_start = forms.IntegerField(label="Awal masa jabatan (tahun)", error_messages={"required": "Isi tahun awal masa jabatan."}, **YEAR)
    period_end = forms.IntegerField(label="Akhir masa jabatan (tahun)", error_messages={"required": "Isi tahun akhir masa jabatan."}, **YEAR)
    user = forms.ModelChoiceField(label="Akun pengguna", queryset=get_user_model().objects.none(), required=False,
                                  help_text="Akun berperan Anggota DPRD yang memasukkan pokir atas nama anggota ini.")

    def __init__(self, *args, principal=None, instance=None, **kwargs):
        if instance is not None:
            kwargs["initial"] = {name: getattr(instance, name) for name in self.base_fields}
        super().__init__(*args, **kwargs)
        # A login acts for one legislator: offer the DPRD logins not yet linked to another one.
        taken = AnggotaDprd.objects.exclude(pk=instance.pk if instance else None).filter(user__isnull=False).values("user")
        self.fields["user"].queryset = (get_user_model().objects.filter(access_profile__role=Role.ANGGOTA_DPRD)
                                        .exclude(pk__in=taken).order_by("username"))


class CeilingForm(forms.Form):
    year = forms.IntegerField(label="Tahun rencana", **YEAR)
    amount = NumberField(label="Pagu pokir (Rp)", required=False, help_text="Kosongkan untuk menghapus pagu tahun ini.")


class AnggotaIndexView(SeasonPageView):
    model = AnggotaDprd
    page_title = "Anggota DPRD"
    header_icon = "user"
    columns = ("Nama", "Fraksi", "Daerah pemilihan", "Masa jabatan", "Akun", "Pagu pokir")

    def get_header_buttons(self):
        if policy.can_create_any(self.principal, AnggotaDprd):
            return [HeaderButton("Tambah anggota DPRD", url=reverse("musrenbang_dprd:add"), icon_name="plus")]
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = policy.scope(self.principal, AnggotaDprd.objects.select_related("user").prefetch_related("ceilings"))
        page = self.page_of(queryset)
        rows = [
            {
                "cells": [a.name, a.fraksi, a.daerah_pemilihan, f"{a.period_start}–{a.period_end}", a.user.username if a.user else "-",
                          ", ".join(f"{c.year}: {rupiah(c.amount)}" for c in a.ceilings.all()) or "-"],
                "url": reverse("musrenbang_dprd:edit", args=[a.pk]) if policy.can(self.principal, "change", a) else "",
            }
            for a in page
        ]
        context.update(page=page, columns=self.columns, rows=rows, noun="anggota DPRD")
        return context


class AnggotaFormView(SeasonFormView):
    """A legislator's data; on the edit page, the yearly pokir ceilings too (`set_ceiling`)."""

    model = AnggotaDprd
    form_class = AnggotaForm
    index_url_name = "musrenbang_dprd:index"
    noun = "anggota DPRD"

    def save(self, data):
        return save_anggota(self.principal, self.obj, **data)

    def success_url(self, obj):
        return reverse("musrenbang_dprd:edit", args=[obj.pk])

    def get_context_data(self, ceiling_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.obj is not None:
            context.update(
                ceilings=[(c.year, rupiah(c.amount)) for c in PokirCeiling.objects.filter(anggota=self.obj).order_by("-year")],
                ceiling_form=ceiling_form or CeilingForm(initial={"year": default_year()}),
                ceiling_url=reverse("musrenbang_dprd:ceiling", args=[self.obj.pk]),
            )
        return context


class AnggotaCeilingView(AnggotaFormView):
    http_method_names = ["post"]

    def post(self, request, pk):
        self.load(pk)
        form = CeilingForm(request.POST)
        if form.is_valid():
            year, amount = form.cleaned_data["year"], form.cleaned_data["amount"]
            try:
                set_ceiling(self.principal, self.obj, year, amount)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                text = f"Pagu pokir {self.obj.name} tahun {year}: {rupiah(amount)}." if amount is not None else f"Pagu pokir {self.obj.name} tahun {year} dihapus."
                messages.success(request, text)
                return redirect(self.success_url(self.obj))
        return self.render_to_response(self.get_context_data(form=self.get_form(), ceiling_form=form))


# ------------------------------------------------------------------------------------------------
# Viewsets (registered in `admin_views.MusrenbangViewSetGroup`)


class KamusViewSet(ViewSet):
    name = "musrenbang_kamus"
    url_prefix = "musrenbang/kamus"
    menu_label = "Kamus Usulan"
    icon = "list-ul"
    menu_item_class = role_menu_item(readers(KamusUsulan))

    def get_urlpatterns(self):
        return [
            path("", KamusIndexView.as_view(), name="index"),
            path("tambah/", KamusFormView.as_view(), name="add"),
            path("unduh/", KamusExportView.as_view(), name="export"),
            path("<int:pk>/ubah/", KamusFormView.as_view(), name="edit"),
        ]


class SettingViewSet(ViewSet):
    name = "musrenbang_setting"
    url_prefix = "musrenbang/pengaturan"
    menu_label = "Pengaturan Musrenbang"
    icon = "cog"
    menu_item_class = role_menu_item(readers(SeasonSetting))

    def get_urlpatterns(self):
        return [
            path("", SettingIndexView.as_view(), name="index"),
            path("tahun/", SettingEditView.as_view(), name="year"),
            path("<int:year>/", SettingEditView.as_view(), name="edit"),
        ]


class AnggotaViewSet(ViewSet):
    name = "musrenbang_dprd"
    url_prefix = "musrenbang/anggota-dprd"
    menu_label = "Anggota DPRD"
    icon = "user"
    menu_item_class = role_menu_item(readers(AnggotaDprd))

    def get_urlpatterns(self):
        return [
            path("", AnggotaIndexView.as_view(), name="index"),
            path("tambah/", AnggotaFormView.as_view(), name="add"),
            path("<int:pk>/ubah/", AnggotaFormView.as_view(), name="edit"),
            path("<int:pk>/pagu/", AnggotaCeilingView.as_view(), name="ceiling"),
        ]


SEASON_VIEWSETS = (KamusViewSet, SettingViewSet, AnggotaViewSet)
