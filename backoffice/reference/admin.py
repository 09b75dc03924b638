"""Django admin (/django-admin/) for technical admins: export of every reference list, import of
the small lists (Satuan, Sumber Dana) via django-import-export. Staff work in the Wagtail admin.

Nomenclature, editions and the import history are read-only here too: they change only through
the importers (services.py), which keep versions and record who imported what.
"""

from django.contrib import admin
from import_export.admin import ExportMixin, ImportExportMixin

from . import resources
from .models import ImportRun, NomenclatureEdition, PerangkatDaerah, Satuan, SumberDana, Wilayah


class ExportAdmin(ExportMixin, admin.ModelAdmin):
    pass


class ImportExportAdmin(ImportExportMixin, ExportAdmin):
    pass


class ReadOnlyAdmin(ExportAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NomenclatureAdmin(ReadOnlyAdmin):
    search_fields = ["code", "name"]
    list_filter = ["is_active", "valid_from", "valid_until"]


# One admin per level, generated: the levels differ only in their parent column.
for model, resource in resources.NOMENCLATURE_RESOURCES.items():
    parent = [model.parent_field] if model.parent_field else []
    admin.site.register(model, type(f"{model.__name__}Admin", (NomenclatureAdmin,), {
        "resource_classes": [resource],
        "list_display": ["code", "name", *parent, "is_active", "valid_from", "valid_until"],
        "list_select_related": ["valid_from", "valid_until", *parent],
    }))


@admin.register(NomenclatureEdition)
class NomenclatureEditionAdmin(ReadOnlyAdmin):
    resource_classes = [resources.NomenclatureEditionResource]
    list_display = ["name", "year", "level_pemda", "imported_at"]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    resource_classes = [resources.ImportRunResource]
    list_display = ["created_at", "kind", "source", "edition", "user"]
    list_filter = ["kind", "edition"]
    list_select_related = ["edition", "user"]
    search_fields = ["source", "summary"]


@admin.register(PerangkatDaerah)
class PerangkatDaerahAdmin(ExportAdmin):
    resource_classes = [resources.PerangkatDaerahResource]
    list_display = ["code", "name", "short_name", "parent", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["parent"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["parent"]


@admin.register(Wilayah)
class WilayahAdmin(ExportAdmin):
    resource_classes = [resources.WilayahResource]
    list_display = ["code", "name", "level", "kind", "parent"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    # Boundaries are large GeoJSON documents loaded by the wilayah import, not typed in a form.
    exclude = ["boundary"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent").defer("boundary", "parent__boundary")


@admin.register(Satuan)
class SatuanAdmin(ImportExportAdmin):
    resource_classes = [resources.SatuanResource]
    list_display = ["name", "description"]
    search_fields = ["name", "description"]


@admin.register(SumberDana)
class SumberDanaAdmin(ImportExportAdmin):
    resource_classes = [resources.SumberDanaResource]
    list_display = ["code", "name", "group", "is_active"]
    list_filter = ["is_active", "group"]
    search_fields = ["code", "name", "group"]
