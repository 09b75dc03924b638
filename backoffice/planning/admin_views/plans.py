"""Periods (RPJMD/RPD) with their tree, Renstra PD with theirs, RKPD with its priorities, ceilings.

Each root object's detail page shows its whole tree in a constant number of queries, with links to
add, change and delete its elements where the policy allows. Elements (misi, tujuan, ..., Renstra
program/kegiatan/sub kegiatan, indicators) have their own hidden viewsets: their forms are reached
from the tree, with the parent fixed by `?parent=` (and `?owner=` for indicators).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.db.models import DecimalField, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views import View
from wagtail.admin import messages
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.log_actions import log

from backoffice.access import policy
from backoffice.access.models import Role

from .. import forms as planning_forms
from ..models import (
    ArahKebijakan,
    Indicator,
    IndicatorTarget,
    Misi,
    PaguCeiling,
    PlanningPeriod,
    ProgramPrioritas,
    Renja,
    RenjaPendanaan,
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
from ..services import department_code, save_renstra_element, set_ceiling, set_published
from ..services.cycle import require_editable
from .base import (
    PlanCreateView,
    PlanDeleteView,
    PlanEditView,
    PlanInspectView,
    PlanViewSet,
    principal_of,
    scoped_object,
)

PUBLISH_ACTION = "planning.publish"
UNPUBLISH_ACTION = "planning.unpublish"
LOG_ACTIONS = {
    PUBLISH_ACTION: "Dipublikasikan",
    UNPUBLISH_ACTION: "Publikasi ditarik",
}

INDICATORS = Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets"))


def yearly(indicator, years):
    """Targets of an indicator in the order of `years`: [(year, target or None)]."""
    targets = {t.year: t for t in indicator.targets.all()}
    return [(year, targets.get(year)) for year in years]


def plan_lock(request, plan):
    """Why the user cannot change this Renstra/Renja now (None if they can)."""
    principal = principal_of(request)
    if not policy.can(principal, "change", plan):
        return "Hanya dapat dilihat."
    try:
        require_editable(principal, plan)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


class PublishView(View):
    """Bappeda publishes a plan (or withdraws it) through services.set_published; logged."""

    model = None

    def post(self, request, pk):
        obj = scoped_object(request, self.model._default_manager.all(), pk, "change")
        published = request.POST.get("published") == "1"
        try:
            set_published(principal_of(request), obj, published)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            log(instance=obj, action=PUBLISH_ACTION if published else UNPUBLISH_ACTION, user=request.user)
            messages.success(request, f"{obj} {'dipublikasikan' if published else 'tidak lagi dipublikasikan'}.")
        viewset = type(obj).planning_viewset
        return redirect(viewset.get_url_name("inspect"), quote(obj.pk))


class RootViewSet(PlanViewSet):
    """A root plan object: its detail page is the tree; Bappeda may publish it."""

    publishable = True

    def on_register(self):
        super().on_register()
        self.model.planning_viewset = self

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        if self.publishable:
            patterns.append(path("publish/<int:pk>/", PublishView.as_view(model=self.model), name="publish"))
        return patterns


class TreeInspectView(PlanInspectView):
    """The detail page of a root object: its tree, built by `get_tree()` in a fixed number of queries."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        principal = principal_of(self.request)
        can_change = policy.can(principal, "change", self.object)
        context.update(
            can_change=can_change,
            can_publish=principal.role == Role.BAPPEDA_ADMIN and hasattr(self.object, "is_published"),
            publish_url=reverse(type(self.object).planning_viewset.get_url_name("publish"), args=[self.object.pk])
            if getattr(type(self.object).planning_viewset, "publishable", False) else None,
            history_url=reverse(type(self.object).planning_viewset.get_url_name("history"), args=[self.object.pk]),
            **self.get_tree(),
        )
        return context

    def get_tree(self):
        return {}


def add_url(model, parent, **params):
    from urllib.parse import urlencode

    return reverse(f"planning_{model._meta.model_name}:add") + "?" + urlencode({"parent": parent.pk, **params})


def element_urls(obj):
    name = f"planning_{obj._meta.model_name}"
    return {"edit": reverse(f"{name}:edit", args=[obj.pk]), "delete": reverse(f"{name}:delete", args=[obj.pk])}


# --------------------------------------------------------------------------------------------
# Periods (RPJMD/RPD)


class PeriodInspectView(TreeInspectView):
    template_name = "planning/admin/period_detail.html"

    def get_tree(self):
        period = self.object
        sasaran = Sasaran.objects.prefetch_related(INDICATORS, "strategi_list", "arah_kebijakan_list").order_by("code")
        misi = (
            Misi.objects.filter(period=period)
            .prefetch_related(Prefetch("tujuan_list", queryset=Tujuan.objects.prefetch_related(INDICATORS, Prefetch("sasaran_list", queryset=sasaran)).order_by("code")))
        )
        prioritas = (
            ProgramPrioritas.objects.filter(period=period)
            .select_related("program", "sasaran")
            .prefetch_related("perangkat_daerah", INDICATORS)
        )
        return {"misi_list": list(misi), "prioritas_list": list(prioritas), "years": period.years}


class PlanningPeriodViewSet(RootViewSet):
    model = PlanningPeriod
    name = "planning_period"
    url_prefix = "perencanaan/periode"
    icon = "calendar-alt"
    menu_label = "Periode RPJMD/RPD"
    form_class = planning_forms.PlanningPeriodForm
    inspect_view_class = PeriodInspectView
    list_display = [
        "name",
        Column("kind", label="Jenis", accessor="get_kind_display", sort_key="kind"),
        "start_year",
        "end_year",
        BooleanColumn("is_published", label="Dipublikasikan"),
    ]
    search_fields = ["name"]
    ordering = ["-start_year"]

    def get_form_class(self, for_update=False):
        return self.form_class


# --------------------------------------------------------------------------------------------
# Renstra PD


class RenstraCreateView(PlanCreateView):
    pass


class RenstraEditView(PlanEditView):
    def save_with_service(self, instance):
        require_editable(principal_of(self.request), instance)
        return super().save_with_service(instance)


class RenstraInspectView(TreeInspectView):
    template_name = "planning/admin/renstra_detail.html"

    def get_tree(self):
        renstra = self.object
        unit = renstra.perangkat_daerah
        tujuan = RenstraTujuan.objects.filter(renstra=renstra).prefetch_related(
            INDICATORS, Prefetch("sasaran_list", queryset=RenstraSasaran.objects.select_related("rpjmd_sasaran").prefetch_related(INDICATORS))
        )
        programs = (
            RenstraProgram.objects.filter(renstra=renstra)
            .select_related("program", "sasaran")
            .prefetch_related(
                INDICATORS,
                Prefetch(
                    "kegiatan_list",
                    queryset=RenstraKegiatan.objects.select_related("kegiatan").prefetch_related(
                        INDICATORS, Prefetch("sub_kegiatan_list", queryset=RenstraSubKegiatan.objects.select_related("sub_kegiatan").prefetch_related(INDICATORS))
                    ),
                ),
            )
        )
        programs = list(programs)
        for program in programs:
            program.code = department_code(program.program.code, unit)
            for kegiatan in program.kegiatan_list.all():
                kegiatan.code = department_code(kegiatan.kegiatan.code, unit)
                for sub in kegiatan.sub_kegiatan_list.all():
                    sub.code = department_code(sub.sub_kegiatan.code, unit)
        lock = plan_lock(self.request, renstra)
        return {"tujuan_list": list(tujuan), "program_list": programs, "years": renstra.period.years, "lock_reason": lock, "editable": lock is None}


class RenstraViewSet(RootViewSet):
    model = Renstra
    name = "planning_renstra"
    url_prefix = "perencanaan/renstra"
    icon = "doc-full"
    menu_label = "Renstra PD"
    form_class = planning_forms.RenstraForm
    add_view_class = RenstraCreateView
    edit_view_class = RenstraEditView
    inspect_view_class = RenstraInspectView
    list_display = [
        "__str__",
        Column("period", label="Periode", accessor="period.name", sort_key="period__start_year"),
        Column("status", label="Status", accessor="get_status_display", sort_key="status"),
        BooleanColumn("is_published", label="Dipublikasikan"),
    ]
    list_filter = ["period", "status", "is_published"]
    search_fields = ["perangkat_daerah__name", "perangkat_daerah__code"]
    ordering = ["period", "perangkat_daerah__code"]
    select_related = ("perangkat_daerah", "period")

    def get_form_class(self, for_update=False):
        return self.form_class


# --------------------------------------------------------------------------------------------
# RKPD


class RkpdInspectView(TreeInspectView):
    template_name = "planning/admin/rkpd_detail.html"

    def get_tree(self):
        rkpd = self.object
        principal = principal_of(self.request)
        renjas = ceiling_annotated(policy.scope(principal, Renja.objects.filter(year=rkpd.year)).select_related("perangkat_daerah"))
        renjas = list(renjas.order_by("perangkat_daerah__code"))
        return {
            "priorities": list(rkpd.priorities.all()),
            "renja_list": renjas,
            "renja_total": sum((r.total_pagu for r in renjas), Decimal("0")),
        }


def ceiling_annotated(renjas):
    """Renja rows with total_pagu (sum of their rows) and total_ceiling (the total ceiling), in the same query."""
    ceiling = PaguCeiling.objects.filter(perangkat_daerah=OuterRef("perangkat_daerah"), year=OuterRef("year"), sumber_dana__isnull=True).values("amount")[:1]
    money = DecimalField(max_digits=18, decimal_places=2)
    total = (
        RenjaPendanaan.objects.filter(row__renja=OuterRef("pk")).order_by().values("row__renja").annotate(total=Sum("pagu")).values("total")
    )
    return renjas.annotate(
        total_pagu=Coalesce(Subquery(total, output_field=money), Value(Decimal("0"), output_field=money)),
        total_ceiling=Subquery(ceiling, output_field=money),
    )


class RkpdViewSet(RootViewSet):
    model = Rkpd
    name = "planning_rkpd"
    url_prefix = "perencanaan/rkpd"
    icon = "doc-full-inverse"
    menu_label = "RKPD"
    form_class = planning_forms.RkpdForm
    inspect_view_class = RkpdInspectView
    list_display = ["__str__", "year", BooleanColumn("is_published", label="Dipublikasikan")]
    ordering = ["-year"]

    def get_form_class(self, for_update=False):
        return self.form_class


# --------------------------------------------------------------------------------------------
# Plafon pagu


class CeilingSaveMixin:
    def save_with_service(self, instance):
        data = self.form.cleaned_data
        principal = principal_of(self.request)
        created = instance.pk is None
        ceiling = set_ceiling(
            principal,
            data.get("perangkat_daerah") or instance.perangkat_daerah,
            data.get("year") or instance.year,
            data["amount"],
            data.get("sumber_dana") if created else instance.sumber_dana,
        )
        log(instance=ceiling, action="wagtail.create" if created else "wagtail.edit", user=self.request.user, data={"amount": str(ceiling.amount)})
        return ceiling


class CeilingCreateView(CeilingSaveMixin, PlanCreateView):
    field_map = {"__all__": None}


class CeilingEditView(CeilingSaveMixin, PlanEditView):
    pass


class RupiahColumn(Column):
    def get_value(self, instance):
        value = super().get_value(instance)
        from ..services import rupiah

        return rupiah(value) if value is not None else "-"


class CeilingIndexView(PlanViewSet.index_view_class):
    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        money = DecimalField(max_digits=18, decimal_places=2)
        lines = RenjaPendanaan.objects.filter(
            row__renja__perangkat_daerah=OuterRef("perangkat_daerah"), row__renja__year=OuterRef("year")
        ).order_by()
        total = lines.values("row__renja__perangkat_daerah").annotate(total=Sum("pagu")).values("total")
        per_source = lines.filter(sumber_dana=OuterRef("sumber_dana")).values("row__renja__perangkat_daerah").annotate(total=Sum("pagu")).values("total")
        return queryset.annotate(
            planned_total=Coalesce(Subquery(total, output_field=money), Value(Decimal("0"), output_field=money)),
            planned_source=Coalesce(Subquery(per_source, output_field=money), Value(Decimal("0"), output_field=money)),
        )


class PlannedColumn(RupiahColumn):
    def get_value(self, instance):
        return instance.planned_source if instance.sumber_dana_id else instance.planned_total

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        planned = self.get_value(instance)
        from ..services import rupiah

        context["value"] = rupiah(planned) + (" (melebihi plafon)" if planned > instance.amount else "")
        return context


class PaguCeilingViewSet(PlanViewSet):
    model = PaguCeiling
    name = "planning_ceiling"
    url_prefix = "perencanaan/plafon"
    icon = "tag"
    menu_label = "Plafon Pagu"
    form_class = planning_forms.PaguCeilingForm
    index_view_class = CeilingIndexView
    add_view_class = CeilingCreateView
    edit_view_class = CeilingEditView
    inspect_view_enabled = False
    list_display = [
        Column("perangkat_daerah", label="Perangkat daerah", accessor="perangkat_daerah.name", sort_key="perangkat_daerah__code"),
        "year",
        Column("sumber_dana", label="Sumber dana", accessor=lambda c: c.sumber_dana.code if c.sumber_dana_id else "Total"),
        RupiahColumn("amount", label="Plafon"),
        PlannedColumn("planned", label="Direncanakan dalam Renja"),
    ]
    list_filter = ["year", "sumber_dana"]
    search_fields = ["perangkat_daerah__name", "perangkat_daerah__code"]
    ordering = ["-year", "perangkat_daerah__code", "sumber_dana__code"]
    select_related = ("perangkat_daerah", "sumber_dana")

    def get_form_class(self, for_update=False):
        return self.form_class


# --------------------------------------------------------------------------------------------
# Elements of the trees


@dataclass(frozen=True)
class ElementSpec:
    model: type
    parent_field: str
    root_path: str  # lookups from the element to its root (period, Renstra or RKPD)
    form_class: type
    service: bool = False  # written through save_renstra_element


ELEMENTS = [
    ElementSpec(Misi, "period", "period", planning_forms.MisiForm),
    ElementSpec(Tujuan, "misi", "misi__period", planning_forms.TujuanForm),
    ElementSpec(Sasaran, "tujuan", "tujuan__misi__period", planning_forms.SasaranForm),
    ElementSpec(Strategi, "sasaran", "sasaran__tujuan__misi__period", planning_forms.StrategiForm),
    ElementSpec(ArahKebijakan, "sasaran", "sasaran__tujuan__misi__period", planning_forms.ArahKebijakanForm),
    ElementSpec(ProgramPrioritas, "period", "period", planning_forms.ProgramPrioritasForm),
    ElementSpec(RkpdPriority, "rkpd", "rkpd", planning_forms.RkpdPriorityForm),
    ElementSpec(RenstraTujuan, "renstra", "renstra", planning_forms.RenstraTujuanForm),
    ElementSpec(RenstraSasaran, "tujuan", "tujuan__renstra", planning_forms.RenstraSasaranForm),
    ElementSpec(RenstraProgram, "renstra", "renstra", planning_forms.RenstraProgramForm, service=True),
    ElementSpec(RenstraKegiatan, "renstra_program", "renstra_program__renstra", planning_forms.RenstraKegiatanForm, service=True),
    ElementSpec(RenstraSubKegiatan, "renstra_kegiatan", "renstra_kegiatan__renstra_program__renstra", planning_forms.RenstraSubKegiatanForm, service=True),
]
SPECS = {spec.model: spec for spec in ELEMENTS}

# Indicator owners edited from the trees (a Renja row's indicators are edited in its row form).
INDICATOR_OWNERS = {
    "tujuan": Tujuan, "sasaran": Sasaran, "program_prioritas": ProgramPrioritas,
    "renstra_tujuan": RenstraTujuan, "renstra_sasaran": RenstraSasaran, "renstra_program": RenstraProgram,
    "renstra_kegiatan": RenstraKegiatan, "renstra_sub_kegiatan": RenstraSubKegiatan,
}
MONEY_OWNERS = {"program_prioritas", "renstra_program", "renstra_kegiatan", "renstra_sub_kegiatan"}


def root_of(obj):
    """The period, Renstra or RKPD an element belongs to."""
    if isinstance(obj, Indicator):
        for field in INDICATOR_OWNERS:
            if getattr(obj, f"{field}_id"):
                return root_of(getattr(obj, field))
        raise Http404
    spec = SPECS.get(type(obj))
    if spec is None:
        return obj
    for step in spec.root_path.split("__"):
        obj = getattr(obj, step)
    return obj


def root_url(obj, anchor=""):
    root = root_of(obj)
    url = reverse(type(root).planning_viewset.get_url_name("inspect"), args=[root.pk])
    return f"{url}#{anchor}" if anchor else url


class ElementViewMixin:
    """Shared by an element's create, edit and delete views: the root's stage lock (Renstra) and
    the way back to the root's tree."""

    def check_root(self, obj):
        root = root_of(obj)
        if isinstance(root, Renstra):
            require_editable(principal_of(self.request), root)

    def get_success_url(self):
        return root_url(self.object, f"{self.object._meta.model_name}-{self.object.pk}")


class ElementCreateView(ElementViewMixin, PlanCreateView):
    spec = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        parent_model = self.model._meta.get_field(self.spec.parent_field).related_model
        self.parent = scoped_object(request, parent_model._default_manager.all(), request.GET.get("parent"), "view")
        # Adding under a parent is changing it: refused before any form is shown.
        policy.require(principal_of(request), "add", self.model(**{self.spec.parent_field: self.parent}))

    def get_initial_form_instance(self):
        return self.model(**{self.spec.parent_field: self.parent})

    def get_add_url(self):
        return f"{super().get_add_url()}?parent={self.parent.pk}"

    def get_breadcrumbs_items(self):
        root = root_of(self.parent) if type(self.parent) in SPECS else self.parent
        return self.breadcrumbs_items + [{"url": root_url(self.parent), "label": str(root)}, {"url": "", "label": self.get_page_title()}]

    def get_page_title(self):
        return f"Tambah {self.model._meta.verbose_name}"

    def get_page_subtitle(self):
        return str(self.parent)

    def save_with_service(self, instance):
        self.check_root(instance)
        if self.spec.service:
            save_renstra_element(principal_of(self.request), instance)
            log(instance=instance, action="wagtail.create", user=self.request.user)
            return instance
        return super().save_with_service(instance)


class ElementEditView(ElementViewMixin, PlanEditView):
    spec = None

    def save_with_service(self, instance):
        self.check_root(instance)
        if self.spec.service:
            save_renstra_element(principal_of(self.request), instance)
            log(instance=instance, action="wagtail.edit", user=self.request.user)
            return instance
        return super().save_with_service(instance)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": root_url(self.object), "label": str(root_of(self.object))}, {"url": "", "label": str(self.object)}]


class ElementDeleteView(ElementViewMixin, PlanDeleteView):
    def before_delete(self, instance):
        self.check_root(instance)

    def get_success_url(self):
        return root_url(self.object)


class ElementViewSet(PlanViewSet):
    """An element of a tree: no menu item, no listing of its own (the tree is its listing)."""

    spec = None
    add_view_class = ElementCreateView
    edit_view_class = ElementEditView
    delete_view_class = ElementDeleteView
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return self.spec.form_class

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(spec=self.spec, **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(spec=self.spec, **kwargs)

    def get_urlpatterns(self):
        return [p for p in super().get_urlpatterns() if p.name not in {"index", "index_results", "usage"}]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(**{"index_url_name": None, "usage_url_name": None, **kwargs})

    @cached_property
    def menu_url(self):
        return ""


def element_viewset(spec):
    return type(f"{spec.model.__name__}ElementViewSet", (ElementViewSet,), {
        "model": spec.model,
        "spec": spec,
        "name": f"planning_{spec.model._meta.model_name}",
        "url_prefix": f"perencanaan/elemen/{spec.model._meta.model_name}",
        "icon": "list-ul",
    })()


# Indicators: the owner is named by ?owner= (a field of Indicator), its id by ?parent=.


def indicator_years(indicator):
    root = root_of(indicator)
    period = root if isinstance(root, PlanningPeriod) else root.period
    return period.years


class IndicatorFormMixin:
    def get_object_queryset(self):
        return Indicator.objects.filter(renja_row__isnull=True)  # a Renja row's: in its row form

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        instance = kwargs["instance"]
        owner = next(f for f in INDICATOR_OWNERS if getattr(instance, f"{f}_id"))
        kwargs.update(years=indicator_years(instance), with_amount=owner in MONEY_OWNERS)
        return kwargs

    def save_with_service(self, instance):
        self.check_root(instance)
        policy.require(principal_of(self.request), "change" if instance.pk else "add", instance)
        indicator = self.save_indicator()  # Wagtail's create/edit action: saved and logged
        targets = self.form.yearly_targets()
        IndicatorTarget.objects.filter(indicator=indicator).exclude(year__in=list(targets)).delete()
        for year, (value, text, amount) in targets.items():
            IndicatorTarget.objects.update_or_create(indicator=indicator, year=year, defaults={"value": value, "text": text, "amount": amount})
        return indicator


class IndicatorCreateView(IndicatorFormMixin, ElementCreateView):
    def setup(self, request, *args, **kwargs):
        owner = request.GET.get("owner")
        if owner not in INDICATOR_OWNERS:
            raise Http404
        self.owner_field = owner
        self.spec = ElementSpec(Indicator, owner, "", planning_forms.IndicatorForm)
        super().setup(request, *args, **kwargs)

    def get_add_url(self):
        return f"{super().get_add_url()}&owner={self.owner_field}"

    def get_initial_form_instance(self):
        return Indicator(**{self.owner_field: self.parent}, order=self.parent.indicators.count() + 1)

    def save_indicator(self):
        return generic.CreateView.save_instance(self)


class IndicatorEditView(IndicatorFormMixin, ElementEditView):
    def save_indicator(self):
        return generic.EditView.save_instance(self)


class IndicatorDeleteView(ElementDeleteView):
    def get_object_queryset(self):
        return Indicator.objects.filter(renja_row__isnull=True)


class IndicatorViewSet(ElementViewSet):
    model = Indicator
    name = "planning_indicator"
    url_prefix = "perencanaan/elemen/indikator"
    icon = "list-ul"
    spec = ElementSpec(Indicator, "", "", planning_forms.IndicatorForm)
    add_view_class = IndicatorCreateView
    edit_view_class = IndicatorEditView
    delete_view_class = IndicatorDeleteView


ELEMENT_VIEWSETS = [element_viewset(spec) for spec in ELEMENTS] + [IndicatorViewSet()]
