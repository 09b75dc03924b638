"""django-import-export resources: the one definition of each reference sheet's columns.

The Django admin uses them for import (Satuan, SumberDana) and export (everything), and the
Wagtail listings use them for their XLSX/CSV downloads, so a sheet looks the same wherever it is
downloaded. Headers follow the column names our importers (services.py) accept, so an exported
edition, wilayah or perangkat daerah list can be edited in a spreadsheet and imported back.

Codes are text (CharWidget renders a str, which openpyxl stores as a string cell): `1.02` must
never become the number 1.02, nor a NIP lose its leading digits.
"""

from import_export import fields, resources, widgets

from .models import (
    NOMENCLATURE_MODELS,
    ImportRun,
    NomenclatureEdition,
    PerangkatDaerah,
    Satuan,
    SubKegiatan,
    SumberDana,
    Wilayah,
)


class YesNoWidget(widgets.BooleanWidget):
    """Ya/Tidak in exports (what users read and our importers accept); 1/0/true/false also import."""

    TRUE_VALUES = ["Ya", "ya", "YA", *widgets.BooleanWidget.TRUE_VALUES]
    FALSE_VALUES = ["Tidak", "tidak", "TIDAK", *widgets.BooleanWidget.FALSE_VALUES]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "Ya" if value else "Tidak"


def text(attribute, column_name, **kwargs):
    return fields.Field(attribute=attribute, column_name=column_name, widget=widgets.CharWidget(), **kwargs)


def flag(attribute, column_name):
    return fields.Field(attribute=attribute, column_name=column_name, widget=YesNoWidget())


class ReferenceResource(resources.ModelResource):
    # Relations the exported columns follow; joined once instead of once per row.
    export_select_related = ()

    def filter_export(self, queryset, **kwargs):
        queryset = super().filter_export(queryset, **kwargs)
        if self.export_select_related:
            queryset = queryset.select_related(*self.export_select_related)
        return queryset


# --------------------------------------------------------------------------------------------
# Nomenclature: one resource per level, generated (the levels differ only in their parent and,
# for sub kegiatan, kinerja/indikator/satuan). Export only: nomenclature changes by edition import.


class NomenclatureResource(ReferenceResource):
    code = text("code", "kode")
    name = text("name", "nama")
    is_active = flag("is_active", "aktif")
    valid_from = text("valid_from__name", "berlaku sejak edisi", readonly=True)
    valid_until = text("valid_until__name", "diakhiri oleh edisi", readonly=True)


def nomenclature_resource(model):
    declared = {}
    names = ["code", "name"]
    if model.parent_field:
        parent = model._meta.get_field(model.parent_field)
        declared["parent"] = text(f"{model.parent_field}__code", f"kode {parent.verbose_name}", readonly=True)
        names.append("parent")
    if model is SubKegiatan:
        declared.update(
            kinerja=text("kinerja", "kinerja"), indikator=text("indikator", "indikator"), satuan=text("satuan", "satuan")
        )
        names += ["kinerja", "indikator", "satuan"]
    names += ["is_active", "valid_from", "valid_until"]
    meta = type("Meta", (), {"model": model, "fields": tuple(names), "export_order": tuple(names)})
    related = ("valid_from", "valid_until", *([model.parent_field] if model.parent_field else []))
    return type(
        f"{model.__name__}Resource",
        (NomenclatureResource,),
        {**declared, "Meta": meta, "export_select_related": related, "__module__": __name__},
    )


NOMENCLATURE_RESOURCES = {model: nomenclature_resource(model) for model in NOMENCLATURE_MODELS.values()}
UrusanResource, BidangUrusanResource, ProgramResource, KegiatanResource, SubKegiatanResource = NOMENCLATURE_RESOURCES.values()


class NomenclatureEditionResource(ReferenceResource):
    name = text("name", "nama regulasi")
    year = fields.Field("year", "tahun berlaku", widget=widgets.IntegerWidget(coerce_to_string=False))
    level_pemda = text("level_pemda", "jenis pemda")
    description = text("description", "keterangan")
    imported_at = fields.Field("imported_at", "terakhir diimpor", widget=widgets.DateTimeWidget())

    class Meta:
        model = NomenclatureEdition
        fields = ("name", "year", "level_pemda", "description", "imported_at")
        export_order = fields


# --------------------------------------------------------------------------------------------
# Editable reference data


class SatuanResource(ReferenceResource):
    name = text("name", "nama")
    description = text("description", "keterangan")

    class Meta:
        model = Satuan
        fields = ("name", "description")
        export_order = fields
        import_id_fields = ("name",)
        skip_unchanged = True
        report_skipped = True


class SumberDanaResource(ReferenceResource):
    code = text("code", "kode")
    name = text("name", "nama")
    group = text("group", "kelompok")
    is_active = flag("is_active", "aktif")

    class Meta:
        model = SumberDana
        fields = ("code", "name", "group", "is_active")
        export_order = fields
        import_id_fields = ("code",)
        skip_unchanged = True
        report_skipped = True


class PerangkatDaerahResource(ReferenceResource):
    export_select_related = ("parent",)

    code = text("code", "kode unit")
    name = text("name", "nama")
    short_name = text("short_name", "singkatan")
    bidang_urusan_1 = text("bidang_urusan_1", "bidang urusan 1", readonly=True)
    bidang_urusan_2 = text("bidang_urusan_2", "bidang urusan 2", readonly=True)
    bidang_urusan_3 = text("bidang_urusan_3", "bidang urusan 3", readonly=True)
    parent = text("parent__code", "kode induk", readonly=True)
    is_active = flag("is_active", "aktif")
    head_name = text("head_name", "nama kepala")
    head_nip = text("head_nip", "nip kepala")

    class Meta:
        model = PerangkatDaerah
        fields = (
            "code", "name", "short_name", "bidang_urusan_1", "bidang_urusan_2", "bidang_urusan_3",
            "parent", "is_active", "head_name", "head_nip",
        )
        export_order = fields


class WilayahResource(ReferenceResource):
    export_select_related = ("parent",)

    code = text("code", "kode")
    name = text("name", "nama")
    level = text("level", "level")
    parent = text("parent__code", "parent_kode", readonly=True)
    kind = text("kind", "jenis")
    # Coordinates are numbers, not codes: keep them numeric in XLSX.
    centroid_lat = fields.Field("centroid_lat", "centroid_lat", widget=widgets.DecimalWidget(coerce_to_string=False))
    centroid_lng = fields.Field("centroid_lng", "centroid_lng", widget=widgets.DecimalWidget(coerce_to_string=False))

    class Meta:
        model = Wilayah
        fields = ("code", "name", "level", "parent", "kind", "centroid_lat", "centroid_lng")
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        # Boundaries are large GeoJSON documents that no sheet column shows.
        return super().filter_export(queryset, **kwargs).defer("boundary", "parent__boundary")


class ImportRunResource(ReferenceResource):
    export_select_related = ("edition", "user")

    created_at = fields.Field("created_at", "waktu", widget=widgets.DateTimeWidget())
    kind = text("kind", "jenis data")
    source = text("source", "berkas")
    edition = text("edition__name", "edisi", readonly=True)
    user = text("user__username", "pengguna", readonly=True)
    summary = text("summary", "ringkasan")
    warnings = text("warnings", "peringatan")

    class Meta:
        model = ImportRun
        fields = ("created_at", "kind", "source", "edition", "user", "summary", "warnings")
        export_order = fields
