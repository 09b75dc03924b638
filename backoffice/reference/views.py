"""Wagtail admin for reference data: the "Data Referensi" menu.

- Nomenclature (five levels) and its editions are read-only here: they change only by an edition
  import, because plans point at the rows. Their viewsets have no add/edit/delete views at all and a
  permission policy that refuses those actions to everyone, superusers included.
- Satuan, Sumber Dana, Perangkat Daerah and Wilayah are edited as snippets (Wagtail logs each edit
  with its user in the audit log).
- Every listing downloads as XLSX/CSV through the import-export resources (resources.py), with the
  listing's search and filters applied.
- "Impor Data" uploads a file, shows the importer's dry run, and imports on confirmation.
"""

import io
import json
import re
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

import django_filters
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst, slugify
from django.views.generic import FormView, TemplateView, View
from import_export.formats import base_formats
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, BulkActionsCheckboxColumn, Column, DateColumn, TitleColumn
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import BooleanRadioSelect, Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import resources, services
from .forms import ReferenceImportForm
from .models import (
    NOMENCLATURE_MODELS,
    ImportRun,
    NomenclatureEdition,
    NomenclatureNode,
    PerangkatDaerah,
    Satuan,
    SubKegiatan,
    SumberDana,
    Wilayah,
)

# How many children an inspect page lists before pointing to the filtered listing.
RELATED_LIMIT = 50


def detail_url(obj, edition=None):
    """The admin detail (inspect) page of a reference row; nomenclature pages take the edition."""
    url = reverse(type(obj).snippet_viewset.get_url_name("inspect"), args=[quote(obj.pk)])
    return f"{url}?{urlencode({'edisi': edition.year})}" if edition else url


def listing_url(model, **params):
    url = reverse(model.snippet_viewset.get_url_name("list"))
    return f"{url}?{urlencode(params)}" if params else url


# --------------------------------------------------------------------------------------------
# Editions: which one a page shows


def default_edition(editions):
    """The edition in force this year; before the first one takes effect, the earliest."""
    year = timezone.localdate().year
    in_force = [e for e in editions if e.year <= year]
    return in_force[-1] if in_force else (editions[0] if editions else None)


def editions_of(row, editions):
    """The editions a nomenclature row belongs to (valid from its edition until the one that ended it)."""
    return [
        e for e in editions
        if row.valid_from.year <= e.year and (row.valid_until is None or e.year < row.valid_until.year)
    ]


# --------------------------------------------------------------------------------------------
# Permissions


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only "view": rows that change through an import are refused to every admin form, even to
    superusers (whose has_perm is always true)."""

    WRITE_ACTIONS = {"add", "change", "delete", "copy", "publish", "lock", "unlock"}

    def user_has_permission(self, user, action):
        return action not in self.WRITE_ACTIONS and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = [a for a in actions if a not in self.WRITE_ACTIONS]
        return super().users_with_any_permission(allowed) if allowed else get_user_model().objects.none()


# --------------------------------------------------------------------------------------------
# Listing building blocks


class LinkColumn(Column):
    """A related row's code linking to its detail page (for nomenclature, in the edition chosen in
    the listing; without a choice the detail page defaults to the edition in force, as the listing)."""

    cell_template_name = "reference/admin/link_cell.html"

    def __init__(self, name, model, **kwargs):
        related = model._meta.get_field(name)
        kwargs.setdefault("label", capfirst(related.verbose_name))
        kwargs.setdefault("sort_key", f"{name}__code")
        super().__init__(name, accessor=f"{name}.code", **kwargs)
        self.relation = name

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        related = getattr(instance, self.relation)
        if related is not None:
            url = detail_url(related)
            year = parent_context["request"].GET.get("edisi", "")
            if isinstance(related, NomenclatureNode) and year.isdigit():
                url = f"{url}?{urlencode({'edisi': year})}"
            context.update(link_url=url, link_title=related.name)
        return context


def edition_name_column(name, label):
    return Column(name, label=label, accessor=f"{name}.name", sort_key=f"{name}__year")


class ReferenceIndexView(snippet_views.IndexView):
    """Listing whose title links to the detail page (where the hierarchy is) and whose downloads
    use the import-export resource."""

    resource_class = None
    edition = None  # nomenclature listings set it
    bulk_actions = True

    @cached_property
    def columns(self):
        columns = super().columns
        if not self.bulk_actions:  # nothing to act on in bulk in a read-only listing
            columns = [c for c in columns if not isinstance(c, BulkActionsCheckboxColumn)]
        return columns

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        view = self

        class DetailTitleColumn(column_class):
            def get_link_url(self, instance, parent_context):
                return view.get_inspect_url(instance) or super().get_link_url(instance, parent_context)

        return super()._get_title_column(field_name, DetailTitleColumn, **kwargs)

    @cached_property
    def show_export_buttons(self):
        return self.resource_class is not None

    def get_filename(self):
        return f"{self.export_filename}-{self.edition.year}" if self.edition else self.export_filename

    def as_spreadsheet(self, queryset, spreadsheet_format):
        formats = {self.FORMAT_CSV: base_formats.CSV(), self.FORMAT_XLSX: base_formats.XLSX()}
        export_format = formats[spreadsheet_format]
        data = export_format.export_data(self.resource_class().export(queryset=queryset))
        if isinstance(data, str):
            data = data.encode("utf-8-sig")  # with a BOM, so Excel reads the Indonesian text right
        content_type = export_format.get_content_type() + ("; charset=utf-8" if spreadsheet_format == self.FORMAT_CSV else "")
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.{export_format.get_extension()}"'
        return response


# Whoever may see a reference row may see its history and where plans use it (Wagtail asks for
# "change", which nobody has on read-only rows).
VIEW_ACTIONS = ["view", "add", "change", "delete"]


class ReferenceHistoryView(snippet_views.HistoryView):
    any_permission_required = VIEW_ACTIONS


class ReferenceUsageView(snippet_views.UsageView):
    permission_required = None
    any_permission_required = VIEW_ACTIONS


class ReferenceInspectView(snippet_views.InspectView):
    """Detail page: the row's fields, then sections of related rows (chain up, children)."""

    template_name = "reference/admin/inspect.html"
    select_related = ()
    history_url_name = None
    usage_url_name = None

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        args = (quote(self.object.pk),)
        if self.history_url_name:
            buttons.append(Button("Riwayat", url=reverse(self.history_url_name, args=args), icon_name="history", priority=30))
        if self.usage_url_name:
            buttons.append(Button("Penggunaan", url=reverse(self.usage_url_name, args=args), icon_name="link", priority=40))
        return buttons

    def get_object(self, queryset=None):
        queryset = self.model._default_manager.select_related(*self.select_related)
        return get_object_or_404(queryset, pk=unquote(str(self.pk)))

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, bool):
            return "Ya" if value else "Tidak"
        return "-" if value is None or value == "" else value

    def get_sections(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = self.get_sections()
        return context


@dataclass
class Section:
    """A titled list of related rows on a detail page, bounded, with a link to the full listing."""

    title: str
    rows: list = field(default_factory=list)  # (label, url, note)
    total: int | None = None
    more_url: str = ""
    more_label: str = ""
    empty: str = "Tidak ada."


def related_section(title, queryset, url_for, *, more_url="", more_label="", limit=RELATED_LIMIT):
    rows = list(queryset[:limit])
    total = len(rows) if len(rows) < limit else queryset.count()
    return Section(
        title,
        [(str(row), url_for(row), "" if getattr(row, "is_active", True) else "tidak berlaku") for row in rows],
        total=total,
        more_url=more_url if total else "",
        more_label=more_label.format(n=total),
    )


class ReferenceViewSet(SnippetViewSet):
    index_view_class = ReferenceIndexView
    inspect_view_class = ReferenceInspectView
    history_view_class = ReferenceHistoryView
    usage_view_class = ReferenceUsageView
    inspect_view_enabled = True
    list_per_page = 50
    resource_class = None
    select_related = ()  # joined in the listing and its export (no query per row)
    inspect_select_related = None  # joined on the detail page; default: select_related

    def get_queryset(self, request):
        return self.model._default_manager.select_related(*self.select_related)

    @cached_property
    def menu_label(self):
        return self.model._meta.verbose_name_plural.title()  # "Sub Kegiatan", "Riwayat Impor"

    @cached_property
    def export_filename(self):
        return slugify(self.model._meta.verbose_name_plural)

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(resource_class=self.resource_class, **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        related = self.select_related if self.inspect_select_related is None else self.inspect_select_related
        return super().get_inspect_view_kwargs(select_related=related, **kwargs)


class ReadOnlyViewSet(ReferenceViewSet):
    """Rows written only by an import: no add, edit, copy or delete views (their URLs do not exist,
    so they are refused, not just hidden), and a policy refusing those actions elsewhere (bulk
    actions, choosers)."""

    copy_view_enabled = False
    WRITE_VIEWS = {"add", "edit", "delete", "copy"}

    def on_register(self):
        # Before the parent registers a fallback ModelPermissionPolicy for the model.
        if policy_registry.get_by_type(self.model, fallback=False) is None:
            register_permission_policy(self.model, ReadOnlyPermissionPolicy(self.model), exact_class=True)
        super().on_register()

    def get_urlpatterns(self):
        return [p for p in super().get_urlpatterns() if p.name not in self.WRITE_VIEWS]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(bulk_actions=False, **kwargs)

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "edit_url_name": None, "delete_url_name": None, "copy_url_name": None, **kwargs}
        )

    def get_permissions_to_register(self):
        # Only "view" is meaningful to grant (group permission editor).
        return super().get_permissions_to_register().filter(codename__startswith="view_")

    @property
    def url_finder_class(self):
        # Links to "edit" a row (audit log, references) lead to its detail page instead.
        inspect_url_name = self.get_url_name("inspect")

        class InspectURLFinder(ModelAdminURLFinder):
            def construct_edit_url(self, instance):
                return reverse(inspect_url_name, args=(quote(instance.pk),))

            def get_edit_url(self, instance):
                policy = policy_registry.get(instance)
                if self.user and not policy.user_has_permission(self.user, "view"):
                    return None
                return self.construct_edit_url(instance)

        return InspectURLFinder


# --------------------------------------------------------------------------------------------
# Nomenclature: five levels generated from one base


def ancestor_models(model):
    """The levels above `model`, nearest first (sub kegiatan: kegiatan, program, bidang, urusan)."""
    chain = []
    while model.parent_field:
        model = model._meta.get_field(model.parent_field).related_model
        chain.append(model)
    return chain


def child_model(model):
    levels = list(NOMENCLATURE_MODELS.values())
    index = levels.index(model)
    return levels[index + 1] if index + 1 < len(levels) else None


class EditionFilter(django_filters.ChoiceFilter):
    """Rows of one edition (keyed by its year), or every version. Choices come from the filterset."""

    ALL = "semua"

    def __init__(self, **kwargs):
        super().__init__(label="Edisi", choices=[], empty_label=None, widget=forms.RadioSelect, **kwargs)

    def filter(self, queryset, value):
        edition = self.parent.edition
        return queryset.in_edition(edition) if edition else queryset


class AncestorFilter(django_filters.ModelChoiceFilter):
    """Rows below a chosen ancestor. By code prefix (a code extends its parent's), which holds in
    every edition; the choices are the ancestor level's rows in the chosen edition."""

    def filter(self, queryset, value):
        return queryset.filter(code__startswith=f"{value.code}.") if value else queryset


class NomenclatureFilterSet(WagtailFilterSet):
    edisi = EditionFilter()

    ancestors = {}  # filter name -> ancestor model, set by nomenclature_filterset()

    def __init__(self, data=None, *args, **kwargs):
        self.editions = list(NomenclatureEdition.objects.order_by("year"))
        default = default_edition(self.editions)
        # Without an explicit choice the listing shows the edition in force this year; making it
        # the field's initial value keeps Wagtail from reporting it as an active filter.
        if data is not None and default is not None and not data.get("edisi"):
            data = data.copy()
            data["edisi"] = str(default.year)
        super().__init__(data, *args, **kwargs)
        edisi = self.filters["edisi"]
        edisi.extra["choices"] = [(str(e.year), f"{e.name} (berlaku {e.year})") for e in self.editions]
        edisi.extra["choices"].append((EditionFilter.ALL, "Semua versi"))
        edisi.extra["initial"] = str(default.year) if default else EditionFilter.ALL
        chosen = self.data.get("edisi") if self.data is not None else None
        self.edition = next((e for e in self.editions if str(e.year) == chosen), None)
        for name, model in self.ancestors.items():
            rows = model.objects.order_by("code", "valid_from__year")
            self.filters[name].queryset = rows.in_edition(self.edition) if self.edition else rows


def nomenclature_filterset(model):
    # The parent (what "lihat N ..." links filter by) and the bidang urusan (an OPD's scope); the
    # other levels would only add long option lists.
    ancestors = {
        m.level: m for m in reversed(ancestor_models(model)) if m.level in ("bidang_urusan", model.parent_field)
    }
    declared = {
        name: AncestorFilter(label=capfirst(m._meta.verbose_name), queryset=m.objects.none())
        for name, m in ancestors.items()
    }
    declared["is_active"] = django_filters.BooleanFilter(label="Berlaku", widget=BooleanRadioSelect)
    meta = type("Meta", (), {"model": model, "fields": []})
    return type(f"{model.__name__}FilterSet", (NomenclatureFilterSet,), {**declared, "Meta": meta, "ancestors": ancestors})


class NomenclatureIndexView(ReferenceIndexView):
    @cached_property
    def edition(self):
        return getattr(self.filters, "edition", None) if self.filters and self.filters.is_valid() else None

    def get_inspect_url(self, instance):
        url = super().get_inspect_url(instance)
        if url and self.edition:
            url = f"{url}?{urlencode({'edisi': self.edition.year})}"
        return url


class NomenclatureInspectView(ReferenceInspectView):
    """A row in one edition (from ?edisi=, else the one in force, else its last): its chain up,
    its children in that edition, and the other versions of its code."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        editions = list(NomenclatureEdition.objects.order_by("year"))
        own = editions_of(self.object, editions)
        requested = request.GET.get("edisi")
        default = default_edition(editions)
        self.edition = (
            next((e for e in own if str(e.year) == requested), None)
            or (default if default in own else None)
            or (own[-1] if own else None)
        )

    def get_page_subtitle(self):
        return f"{self.object.code} {self.object.name}"

    def get_sections(self):
        row, edition = self.object, self.edition
        sections = []
        chain = row.ancestors()  # parents are select_related: no extra query
        if chain:
            sections.append(Section(
                "Rantai induk",
                [(f"{capfirst(a._meta.verbose_name)}: {a}", detail_url(a, edition), "") for a in chain],
            ))
        child = child_model(type(row))
        if child is not None:
            children = getattr(row, child._meta.get_field(child.parent_field).remote_field.get_accessor_name())
            children = children.select_related("valid_from", "valid_until").order_by("code")
            if edition:
                children = children.in_edition(edition)
            label = child._meta.verbose_name
            params = {child.parent_field: row.pk, **({"edisi": edition.year} if edition else {})}
            sections.append(related_section(
                f"{capfirst(label)}" + (f" dalam edisi {edition.name}" if edition else ""),
                children,
                lambda c: detail_url(c, edition),
                more_url=listing_url(child, **params),
                more_label=f"Lihat {{n}} {label}",
            ))
        versions = list(
            type(row).objects.filter(code=row.code).exclude(pk=row.pk)
            .select_related("valid_from", "valid_until").order_by("valid_from__year")
        )
        if versions:
            sections.append(Section("Versi lain kode ini", [(v.name, detail_url(v), self.validity(v)) for v in versions]))
        return sections

    @staticmethod
    def validity(row):
        until = f" sampai sebelum {row.valid_until.name}" if row.valid_until else ""
        return f"berlaku sejak {row.valid_from.name}{until}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["edition"] = self.edition
        return context


class NomenclatureViewSet(ReadOnlyViewSet):
    index_view_class = NomenclatureIndexView
    inspect_view_class = NomenclatureInspectView
    search_fields = ["code", "name"]
    ordering = "code"
    icon = "list-ul"


def nomenclature_viewset(model):
    related = ["valid_from", "valid_until"]
    columns = ["code", "name"]
    if model.parent_field:
        columns.append(LinkColumn(model.parent_field, model))
    columns += [
        BooleanColumn("is_active", label="Berlaku"),
        edition_name_column("valid_from", "Berlaku sejak"),
        edition_name_column("valid_until", "Diakhiri oleh"),
    ]
    chain = [m.level for m in ancestor_models(model)]
    inspect_fields = ["code", "name", "is_active", "valid_from", "valid_until"]
    if model is SubKegiatan:
        inspect_fields[2:2] = ["kinerja", "indikator", "satuan"]
    return type(f"{model.__name__}ViewSet", (NomenclatureViewSet,), {
        "model": model,
        "list_display": columns,
        "filterset_class": nomenclature_filterset(model),
        "resource_class": resources.NOMENCLATURE_RESOURCES[model],
        "select_related": tuple(related + chain[:1]),
        # The detail page walks the chain up: every ancestor joined in its one query.
        "inspect_select_related": tuple(related + ["__".join(chain[: i + 1]) for i in range(len(chain))]),
        "inspect_view_fields": inspect_fields,
    })


NOMENCLATURE_VIEWSETS = [nomenclature_viewset(model) for model in NOMENCLATURE_MODELS.values()]


class EditionInspectView(ReferenceInspectView):
    def get_sections(self):
        edition = self.object
        rows = []
        for level, model in NOMENCLATURE_MODELS.items():
            in_edition = model.objects.in_edition(edition)
            note = f"{in_edition.filter(is_active=True).count()} berlaku dari {in_edition.count()} baris"
            rows.append((capfirst(model._meta.verbose_name), listing_url(model, edisi=edition.year), note))
        runs = ImportRun.objects.filter(edition=edition).select_related("user")
        return [
            Section("Isi edisi", rows),
            related_section("Riwayat impor edisi ini", runs, detail_url),
        ]


class EditionViewSet(ReadOnlyViewSet):
    model = NomenclatureEdition
    icon = "calendar-alt"
    inspect_view_class = EditionInspectView
    list_display = ["name", "year", "level_pemda", DateColumn("imported_at", label="Terakhir diimpor")]
    search_fields = ["name"]
    ordering = "-year"
    resource_class = resources.NomenclatureEditionResource


# --------------------------------------------------------------------------------------------
# Editable reference data


class PerangkatDaerahFilterSet(WagtailFilterSet):
    bidang_urusan = django_filters.ChoiceFilter(label="Bidang urusan", method="filter_bidang_urusan")
    parent = django_filters.ModelChoiceFilter(
        label="Unit induk",
        queryset=lambda request: PerangkatDaerah.objects.filter(sub_units__isnull=False).distinct().order_by("code"),
    )
    is_active = django_filters.BooleanFilter(label="Aktif", widget=BooleanRadioSelect)

    class Meta:
        model = PerangkatDaerah
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The bidang urusan of the nomenclature in force; older codes still match typed URLs.
        edition = default_edition(list(NomenclatureEdition.objects.order_by("year")))
        bidang = NOMENCLATURE_MODELS["bidang_urusan"].objects.order_by("code")
        bidang = bidang.in_edition(edition) if edition else bidang.current()
        self.filters["bidang_urusan"].extra["choices"] = lambda: [(b.code, str(b)) for b in bidang]

    def filter_bidang_urusan(self, queryset, name, value):
        return queryset.filter(Q(bidang_urusan_1=value) | Q(bidang_urusan_2=value) | Q(bidang_urusan_3=value))


class PerangkatDaerahInspectView(ReferenceInspectView):
    def get_sections(self):
        unit = self.object
        sections = []
        if unit.parent:
            sections.append(Section("Unit induk", [(str(unit.parent), detail_url(unit.parent), "")]))
        editions = list(NomenclatureEdition.objects.order_by("year"))
        edition = default_edition(editions)
        bidang_model = NOMENCLATURE_MODELS["bidang_urusan"]
        known = bidang_model.objects.filter(code__in=unit.bidang_urusan_codes)
        known = {b.code: b for b in (known.in_edition(edition) if edition else known.current())}
        sections.append(Section(
            "Bidang urusan",
            [
                (str(known[c]), detail_url(known[c], edition), "") if c in known
                else (c, "", "tidak ada dalam nomenklatur yang berlaku")
                for c in unit.bidang_urusan_codes
            ],
        ))
        sections.append(related_section(
            "Sub-unit",
            unit.sub_units.order_by("code"),
            detail_url,
            more_url=listing_url(PerangkatDaerah, parent=unit.pk),
            more_label="Lihat {n} sub-unit",
        ))
        return sections


class PerangkatDaerahViewSet(ReferenceViewSet):
    model = PerangkatDaerah
    icon = "group"
    inspect_view_class = PerangkatDaerahInspectView
    filterset_class = PerangkatDaerahFilterSet
    list_display = ["code", "name", "short_name", LinkColumn("parent", PerangkatDaerah), BooleanColumn("is_active", label="Aktif")]
    search_fields = ["code", "name", "short_name"]
    ordering = "code"
    select_related = ("parent",)
    resource_class = resources.PerangkatDaerahResource
    inspect_view_fields = [
        "code", "name", "short_name", "is_active", "head_name", "head_nip",
        "bidang_urusan_1", "bidang_urusan_2", "bidang_urusan_3",
    ]


class WilayahFilterSet(WagtailFilterSet):
    parent = django_filters.ModelChoiceFilter(
        label="Induk",
        # Regions that can have children; boundaries (large JSON) are never needed for a choice.
        queryset=lambda request: Wilayah.objects.exclude(level=Wilayah.Level.DESA_KELURAHAN).only("id", "code", "name"),
    )

    class Meta:
        model = Wilayah
        fields = ["level", "kind", "parent"]


class WilayahInspectView(ReferenceInspectView):
    def get_boundary_display_value(self):
        boundary = self.object.boundary
        return f"Ada ({boundary.get('type', 'GeoJSON')})" if boundary else "Tidak ada"

    def get_sections(self):
        region = self.object
        chain, node = [], region.parent
        while node is not None:  # at most three levels up
            chain.append(node)
            node = node.parent
        children = region.children.defer("boundary").order_by("code")
        return [
            Section("Rantai induk", [(f"{a.get_level_display()}: {a}", detail_url(a), "") for a in chain], empty="Wilayah tingkat teratas."),
            related_section(
                "Wilayah di bawahnya",
                children,
                detail_url,
                more_url=listing_url(Wilayah, parent=region.pk),
                more_label="Lihat {n} wilayah di bawahnya",
            ),
        ]


class WilayahChooserViewSet(SnippetChooserViewSet):
    def get_object_list(self):
        return Wilayah.objects.defer("boundary")


class WilayahViewSet(ReferenceViewSet):
    model = Wilayah
    icon = "site"
    inspect_view_class = WilayahInspectView
    filterset_class = WilayahFilterSet
    list_display = ["code", "name", "level", "kind", LinkColumn("parent", Wilayah)]
    search_fields = ["code", "name"]
    ordering = "code"
    select_related = ("parent",)
    resource_class = resources.WilayahResource
    chooser_viewset_class = WilayahChooserViewSet
    # Level follows from the code (Wilayah.clean); boundaries come from GeoJSON imports.
    exclude_form_fields = ["level", "boundary"]
    inspect_view_fields = ["code", "name", "level", "kind", "centroid_lat", "centroid_lng", "boundary"]

    def get_queryset(self, request):
        # A boundary is a large GeoJSON document the listing never shows.
        return super().get_queryset(request).defer("boundary", "parent__boundary")


class SatuanViewSet(ReferenceViewSet):
    model = Satuan
    icon = "tag"
    list_display = ["name", "description"]
    search_fields = ["name", "description"]
    ordering = "name"
    resource_class = resources.SatuanResource


class SumberDanaViewSet(ReferenceViewSet):
    model = SumberDana
    icon = "tag"
    list_display = ["code", "name", "group", BooleanColumn("is_active", label="Aktif")]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "group"]
    ordering = "code"
    resource_class = resources.SumberDanaResource


# --------------------------------------------------------------------------------------------
# Import history


class ImportRunFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label="Jenis data",
        choices=[("nomenklatur", "Nomenklatur"), ("wilayah", "Wilayah"), ("perangkat daerah", "Perangkat Daerah")],
        widget=forms.RadioSelect,
    )
    edition = django_filters.ModelChoiceFilter(label="Edisi", queryset=NomenclatureEdition.objects.all())

    class Meta:
        model = ImportRun
        fields = []


class ImportRunInspectView(ReferenceInspectView):
    def get_summary_display_value(self):
        return format_html("<pre>{}</pre>", self.object.summary)

    def get_warnings_display_value(self):
        return format_html("<pre>{}</pre>", self.object.warnings) if self.object.warnings else "-"

    def get_sections(self):
        if self.object.edition:
            return [Section("Edisi", [(str(self.object.edition), detail_url(self.object.edition), "")])]
        return []


class ImportRunViewSet(ReadOnlyViewSet):
    model = ImportRun
    icon = "history"
    inspect_view_class = ImportRunInspectView
    filterset_class = ImportRunFilterSet
    list_display = [
        "created_at",
        "kind", "source", "edition",
        Column("user", label="Pengguna", sort_key="user__username"),
    ]
    search_fields = ["source", "summary"]
    ordering = "-created_at"
    select_related = ("edition", "user")
    resource_class = resources.ImportRunResource
    inspect_view_fields = ["created_at", "kind", "source", "edition", "user", "summary", "warnings"]

    def get_permissions_to_register(self):
        # The import permission, once declared on a model's Meta, becomes grantable to groups here.
        from django.contrib.auth.models import Permission

        return super().get_permissions_to_register() | Permission.objects.filter(
            content_type__app_label="reference", codename=IMPORT_PERMISSION.split(".")[1]
        )


# --------------------------------------------------------------------------------------------
# Impor Data: upload -> dry-run preview -> confirm

IMPORT_PERMISSION = "reference.import_reference_data"


@dataclass(frozen=True)
class ImportKind:
    key: str  # the upload form's choice
    permissions: tuple  # enough, without IMPORT_PERMISSION, to import this kind
    listing: type  # where the imported rows are listed

    @property
    def label(self):
        return dict(ReferenceImportForm.KIND_CHOICES)[self.key]


IMPORT_KINDS = {
    kind.key: kind
    for kind in (
        # Only an edition import changes the nomenclature, so its gate is creating an edition.
        ImportKind("nomenklatur", ("reference.add_nomenclatureedition",), SubKegiatan),
        ImportKind("wilayah", ("reference.add_wilayah", "reference.change_wilayah"), Wilayah),
        ImportKind("perangkat_daerah", ("reference.add_perangkatdaerah", "reference.change_perangkatdaerah"), PerangkatDaerah),
    )
}


def importable_kinds(user):
    if not (user.is_authenticated and user.is_active):
        return []
    if user.is_superuser or user.has_perm(IMPORT_PERMISSION):
        return list(IMPORT_KINDS.values())
    return [kind for kind in IMPORT_KINDS.values() if user.has_perms(kind.permissions)]


def import_storage():
    """Where uploads wait between preview and confirm: shared file storage, not the app server's
    disk (the confirm may reach another process). A "reference_imports" storage, when configured,
    keeps them apart from public media."""
    return storages["reference_imports"] if "reference_imports" in settings.STORAGES else default_storage


class StagedImport:
    """An upload between preview and confirm: its files and a JSON state (options, dry-run report,
    result) under an unguessable token that only the uploading session may use."""

    PREFIX = "reference-imports"
    SESSION_KEY = "reference_imports"
    TOKEN = re.compile(r"^[0-9a-f]{32}$")
    MAX_AGE = timedelta(days=1)

    def __init__(self, token, state, flow=None):
        self.token = token
        self.state = state
        self.storage = import_storage()
        self.flow = flow or ReferenceImportFlow()

    @property
    def kind(self):
        return self.flow.kind(self.state["kind"])

    def path(self, name):
        # Flat names (no folder per upload) so that purging leaves no empty folders behind.
        return f"{self.PREFIX}/{self.token}-{name}"

    @classmethod
    def create(cls, request, kind, options, uploads, flow=None):
        cls.purge_stale()
        staged = cls(secrets.token_hex(16), {
            "kind": kind,
            "options": options,
            "user": request.user.pk,
            "status": "new",
            "source_name": uploads["source"][0].name,
            "files": {},
        }, flow)
        for slot, files in uploads.items():
            staged.state["files"][slot] = [
                # Stored under a name we choose; the user's file name is kept for messages only.
                {"path": staged.storage.save(staged.path(f"{slot}-{n}"), upload), "name": upload.name}
                for n, upload in enumerate(files)
            ]
        staged.save()
        tokens = request.session.get(cls.SESSION_KEY, [])[-9:]
        request.session[cls.SESSION_KEY] = [*tokens, staged.token]
        return staged

    @classmethod
    def load(cls, request, token, flow=None):
        if not cls.TOKEN.match(token) or token not in request.session.get(cls.SESSION_KEY, []):
            raise Http404
        staged = cls(token, None, flow)
        try:
            with staged.storage.open(staged.path("state.json"), "rb") as handle:
                staged.state = json.load(handle)
        except (FileNotFoundError, OSError):
            raise Http404
        if staged.state["user"] != request.user.pk:
            raise Http404
        return staged

    def save(self):
        name = self.path("state.json")
        if self.storage.exists(name):
            self.storage.delete(name)
        self.storage.save(name, ContentFile(json.dumps(self.state).encode()))

    def files(self, slot):
        """The uploads of one slot as named in-memory files (the importers read them whole anyway)."""
        opened = []
        for item in self.state["files"].get(slot, []):
            with self.storage.open(item["path"], "rb") as handle:
                data = io.BytesIO(handle.read())
            data.name = item["name"]
            opened.append(data)
        return opened

    def discard_files(self):
        for items in self.state["files"].values():
            for item in items:
                self.storage.delete(item["path"])
        self.state["files"] = {}

    def discard(self):
        self.discard_files()
        self.storage.delete(self.path("state.json"))

    @classmethod
    def purge_stale(cls):
        """Forget uploads abandoned at the preview, and old results (a day old; the import history
        keeps what was imported)."""
        storage = import_storage()
        try:
            names = storage.listdir(cls.PREFIX)[1]
        except (FileNotFoundError, NotImplementedError):
            return
        limit = timezone.now() - cls.MAX_AGE
        for name in names:
            path = f"{cls.PREFIX}/{name}"
            try:
                if storage.get_modified_time(path) < limit:
                    storage.delete(path)
            except (FileNotFoundError, NotImplementedError, OSError):
                continue

    def record(self, outcome, *, report=None, errors=None):
        """Keep how the upload ended: `report` is the flow's JSON form of the importer's report."""
        self.state["status"] = outcome
        if report is not None:
            self.state["report"] = report
        if errors is not None:
            self.state["errors"] = [[e.row, e.field, e.message] for e in errors]
        self.save()


class ImportFlow:
    """What one upload -> preview -> confirm screen needs to know: its kinds, upload form, importer
    and report. The views and StagedImport are shared: "Impor Data" is `ReferenceImportFlow`; other
    apps (the Renja import) subclass this and reuse ImportViewSet with their own flow."""

    namespace = "reference_import"  # URL namespace of the flow's ImportViewSet
    page_title = "Impor Data"
    form_class = ReferenceImportForm
    form_template_name = "reference/admin/import_form.html"
    detail_template_name = "reference/admin/import_detail.html"

    def kinds(self, user):
        """The kinds `user` may import (objects with `key` and `label`); none: no access."""
        raise NotImplementedError

    def kind(self, key):
        raise NotImplementedError

    def form_kwargs(self, view):
        return {"kinds": [kind.key for kind in view.kinds]}

    def kind_key(self, form):
        return form.cleaned_data["kind"]

    def uploads(self, form):
        """{slot: [files]} to keep until the confirm; slot "source" holds the main file."""
        return {"source": [form.cleaned_data["source"]]}

    def start_context(self, view):
        return {}

    def run(self, staged, *, dry_run, request):
        """Call the importer on the stored files; returns its report or raises ImportRefused."""
        raise NotImplementedError

    def serialize(self, report):
        """The report as JSON-able data for the preview and result pages."""
        raise NotImplementedError

    def detail_context(self, view, state):
        return {}

    def finish(self, staged, report, request):
        """After the real import: anything to keep in the state; returns the success message."""
        return "Impor selesai."


class ReferenceImportFlow(ImportFlow):
    def kinds(self, user):
        return importable_kinds(user)

    def kind(self, key):
        return IMPORT_KINDS[key]

    def uploads(self, form):
        uploads = super().uploads(form)
        if form.cleaned_data["kind"] == "wilayah":
            uploads["boundaries"] = form.cleaned_data["boundaries"]
            uploads["centroids"] = [form.cleaned_data["centroids"]] if form.cleaned_data["centroids"] else []
        return uploads

    def start_context(self, view):
        return {"editions": NomenclatureEdition.objects.order_by("-year")}

    def run(self, staged, *, dry_run, request):
        (source,) = staged.files("source")
        options = dict(staged.state["options"], dry_run=dry_run, user=request.user, name=source.name)
        if staged.state["kind"] == "nomenklatur":
            return services.import_nomenclature(source, **options)
        if staged.state["kind"] == "wilayah":
            centroids = staged.files("centroids")
            return services.import_wilayah(
                source, boundaries=staged.files("boundaries"), centroids=centroids[0] if centroids else None, **options
            )
        return services.import_perangkat_daerah(source, **options)

    def serialize(self, report):
        return {
            "summary": report.summary_lines(),
            "has_changes": report.has_changes,
            "counts": [[level, action, n] for (level, action), n in report.counts.items()],
            "in_force": dict(report.in_force),
            "changes": [[c.action, c.level, c.code, c.old, c.new] for c in report.changes],
            "warnings": [[w.row, w.field, w.message] for w in report.warnings],
            "edition": report.edition.pk if report.edition else None,
        }

    def detail_context(self, view, state):
        options = dict(state["options"])
        if "level_pemda" in options:
            options["level_pemda"] = NomenclatureEdition.LevelPemda(options["level_pemda"]).label
        context = {"options": options}
        report = state.get("report")
        if report:
            context.update(self.report_context(view, report))
        if state["status"] == "done":
            context["run"] = ImportRun.objects.filter(pk=state.get("run")).first()
            edition = NomenclatureEdition.objects.filter(pk=(report or {}).get("edition")).first()
            context["listing_url"] = listing_url(view.staged.kind.listing, **({"edisi": edition.year} if edition else {}))
        return context

    def report_context(self, view, report):
        counts = {(level, action): n for level, action, n in report["counts"]}
        levels = list(dict.fromkeys(level for level, _, _ in report["counts"]))
        actions = [a for a in services.ACTION_LABELS if any((level, a) in counts for level in levels)]
        table = [
            {
                "level": services.LEVEL_LABELS.get(level, level),
                "cells": [counts.get((level, a), 0) for a in actions],
                "in_force": report["in_force"].get(level, ""),
            }
            for level in levels
        ]
        action = view.request.GET.get("aksi", "")
        changes = [
            (services.ACTION_LABELS.get(a, a), services.LEVEL_LABELS.get(lv, lv), code, old, new)
            for a, lv, code, old, new in report["changes"]
            if not action or a == action
        ]
        by_action = Counter(change[0] for change in report["changes"])
        return {
            "summary": report["summary"],
            "has_changes": report["has_changes"],
            "count_headers": [services.ACTION_LABELS[a] for a in actions],
            "count_rows": table,
            "show_in_force": bool(report["in_force"]),
            "action": action,
            "action_links": [(a, services.ACTION_LABELS[a], n) for a, n in by_action.items()],
            "change_count": len(report["changes"]),
            "changes_page": Paginator(changes, view.CHANGES_PER_PAGE).get_page(view.request.GET.get("p")),
            "warnings": report["warnings"][: view.WARNINGS_SHOWN],
            "warning_count": len(report["warnings"]),
        }

    def finish(self, staged, report, request):
        staged.state["run"] = report.run.pk if report.run else None
        return "Impor selesai." if report.has_changes else "Tidak ada perubahan; tidak ada yang ditulis."


class ImportAccessMixin:
    """Import views are for users who may import at least one kind of their flow; a staged upload is
    reachable only by its own session and user, and only while they may still import its kind."""

    flow = None  # an ImportFlow, given by the ImportViewSet

    def dispatch(self, request, *args, **kwargs):
        self.kinds = self.flow.kinds(request.user)
        if not self.kinds:
            raise PermissionDenied
        if "token" in kwargs:
            self.staged = StagedImport.load(request, kwargs["token"], self.flow)
            if self.staged.state["kind"] not in {kind.key for kind in self.kinds}:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def flow_url(self, name, *args):
        return reverse(f"{self.flow.namespace}:{name}", args=args)


class ImportStartView(ImportAccessMixin, WagtailAdminTemplateMixin, FormView):
    header_icon = "upload"

    def get_template_names(self):
        return [self.flow.form_template_name]

    def get_page_title(self):
        return self.flow.page_title

    def get_form_class(self):
        return self.flow.form_class

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.flow.form_kwargs(self)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=self.flow_url("start"),
            form_is_multipart=True,
            submit_button_label="Unggah dan periksa",
            submit_button_active_label="Memeriksa…",
            **self.flow.start_context(self),
        )
        return context

    def form_valid(self, form):
        staged = StagedImport.create(self.request, self.flow.kind_key(form), form.options(), self.flow.uploads(form), self.flow)
        try:
            report = self.flow.run(staged, dry_run=True, request=self.request)
        except services.ImportRefused as refused:
            staged.discard_files()  # a refused file is never imported: nothing to keep
            staged.record("refused", errors=refused.errors)
        else:
            staged.record("preview", report=self.flow.serialize(report))
        return redirect(f"{self.flow.namespace}:detail", token=staged.token)


class ImportDetailView(ImportAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    """The preview (dry-run report), the refusal (row errors) or the result of an upload."""

    header_icon = "upload"
    CHANGES_PER_PAGE = 100
    ERRORS_PER_PAGE = 100
    WARNINGS_SHOWN = 200
    TITLES = {"preview": "Pratinjau impor", "refused": "Impor ditolak", "done": "Impor selesai"}

    def get_template_names(self):
        return [self.flow.detail_template_name]

    def get_page_title(self):
        return self.TITLES.get(self.staged.state["status"], self.flow.page_title)

    def get_page_subtitle(self):
        return f"{self.staged.kind.label}: {self.staged.state['source_name']}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": self.flow_url("start"), "label": self.flow.page_title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = self.staged.state
        token = self.staged.token
        context.update(
            staged=self.staged, status=state["status"], kind=self.staged.kind,
            start_url=self.flow_url("start"), confirm_url=self.flow_url("confirm", token), cancel_url=self.flow_url("cancel", token),
        )
        if state.get("errors"):
            context["errors_page"] = Paginator(state["errors"], self.ERRORS_PER_PAGE).get_page(self.request.GET.get("p"))
            context["error_count"] = len(state["errors"])
        context.update(self.flow.detail_context(self, state))
        return context


class ImportConfirmView(ImportAccessMixin, View):
    """Runs the real import on the files the preview read."""

    def post(self, request, token):
        staged = self.staged
        if staged.state["status"] != "preview":
            # Already imported or refused (a second click): show where it ended.
            return redirect(f"{self.flow.namespace}:detail", token=token)
        try:
            report = self.flow.run(staged, dry_run=False, request=request)
        except services.ImportRefused as refused:
            # The data changed since the preview (e.g. another import): nothing was written.
            staged.record("refused", errors=refused.errors)
            messages.error(request, "Impor ditolak; tidak ada yang ditulis.")
        else:
            message = self.flow.finish(staged, report, request)
            staged.discard_files()
            staged.record("done", report=self.flow.serialize(report))
            messages.success(request, message)
        return redirect(f"{self.flow.namespace}:detail", token=token)


class ImportCancelView(ImportAccessMixin, View):
    def post(self, request, token):
        if self.staged.state["status"] == "preview":
            self.staged.discard()
            messages.success(request, "Impor dibatalkan; berkas yang diunggah dihapus.")
        return redirect(f"{self.flow.namespace}:start")


class ImportViewSet(ViewSet):
    """The import views of one flow, registered with the admin and shown in a menu (here: Data
    Referensi). Another app's import sets its own name, url_prefix, menu_label and flow."""

    name = "reference_import"
    url_prefix = "referensi/impor"
    menu_label = "Impor Data"
    menu_icon = "upload"
    icon = "upload"
    flow = ReferenceImportFlow()

    def get_urlpatterns(self):
        flow = self.flow
        return [
            path("", ImportStartView.as_view(flow=flow), name="start"),
            path("<str:token>/", ImportDetailView.as_view(flow=flow), name="detail"),
            path("<str:token>/konfirmasi/", ImportConfirmView.as_view(flow=flow), name="confirm"),
            path("<str:token>/batal/", ImportCancelView.as_view(flow=flow), name="cancel"),
        ]

    @cached_property
    def menu_item_class(self):
        flow = self.flow

        class ImportMenuItem(MenuItem):
            def is_shown(self, request):
                return bool(flow.kinds(request.user))

        return ImportMenuItem


class ReferenceViewSetGroup(SnippetViewSetGroup):
    menu_label = "Data Referensi"
    menu_name = "data-referensi"
    menu_icon = "folder-open-inverse"
    menu_order = 200  # right after Pages: the first thing Bappeda's admins maintain
    items = (
        EditionViewSet,
        *NOMENCLATURE_VIEWSETS,
        PerangkatDaerahViewSet,
        WilayahViewSet,
        SatuanViewSet,
        SumberDanaViewSet,
        ImportRunViewSet,
        ImportViewSet,
    )
