"""The Musrenbang menu's scoring, forum and regulation-table pages.

- Kriteria Penilaian: Bappeda's weighted criteria per year and level (`scoring.save_criterion`);
  the kecamatan and the departments read them.
- Penilaian & peringkat (one page per level): the kecamatan scores its proposals, a department the
  ones routed to it, per criterion (`scoring.score_usulan`); the list is ranked by total with the
  tie-break shown (`scoring.rank`) and the order can be applied as the level's priorities
  (`scoring.apply_ranking`). The kecamatan's manual order stays on "Peringkat kecamatan".
- Forum: the records of the forums the user may see (`forums.save_forum`), participants, closing
  (`forums.close_forum`), and the lists frozen at closing.
- Tabel Regulasi: T-C.32, T-B.57 and the kecamatan's priority list (print page and XLSX).

Reads go through `policy.scope` (a forum outside the scope is a 404), pages refuse roles that have
no use for them (403), and a service's refusal is shown on the field it names.
"""

from collections import OrderedDict
from pathlib import PurePosixPath
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets.button import HeaderButton

from backoffice.access import policy
from backoffice.access.models import BAPPEDA_ROLES, OPD_ROLES, Role
from backoffice.planning.services import rupiah
from backoffice.reference.models import PerangkatDaerah

from . import forums, scoring, services, tables
from .admin_season import readers
from .admin_views import ROLE_OWNERS, MusrenbangAccessMixin, MusrenbangPageView, default_year, number, role_menu_item, status_badge, visible, when
from .forms import active_units, apply_service_error, region_desa, region_kecamatan
from .forum_forms import CriterionForm, ForumForm, ParticipantForm, ScoreForm
from .models import Forum, ForumParticipant, Level, ScoringCriterion, Score
from .views import xlsx_response

NO_BOUNDARIES = ("desa__boundary", "kecamatan__boundary")

CRITERION_READERS = readers(ScoringCriterion)
# Who scores a level: the roles that play its step (the service checks the proposal itself).
SCORERS = {level: {role for role, owners in ROLE_OWNERS.items() if owner in owners} for level, owner in scoring.OWNER.items()}
SCORING_SLUGS = {"kecamatan": Level.KECAMATAN, "perangkat-daerah": Level.FORUM_OPD}
FORUM_LEVELS = {
    Role.DESA_OPERATOR: (Level.DESA,), Role.KECAMATAN_OPERATOR: (Level.KECAMATAN,), Role.OPD_OPERATOR: (Level.FORUM_OPD,),
    Role.OPD_VERIFIER: (Level.FORUM_OPD,), Role.BAPPEDA_ADMIN: tuple(Level),
}
FORUM_READERS = BAPPEDA_ROLES | OPD_ROLES | {Role.KECAMATAN_OPERATOR, Role.DESA_OPERATOR}
PRIORITY_READERS = BAPPEDA_ROLES | {Role.KECAMATAN_OPERATOR}
TC32_READERS = BAPPEDA_ROLES | OPD_ROLES
TB57_READERS = BAPPEDA_ROLES | OPD_ROLES | {Role.SETWAN_VERIFIER, Role.ANGGOTA_DPRD}
TABLE_READERS = PRIORITY_READERS | TC32_READERS | TB57_READERS


def year_of(params, default=None):
    value = str(params.get("tahun", ""))
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else default


def with_query(url, **params):
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def refuse_unless(allowed, message="Anda tidak berwenang melakukan tindakan ini."):
    if not allowed:
        raise PermissionDenied(message)


# ------------------------------------------------------------------------------------------------
# Kriteria Penilaian


class CriterionIndexView(MusrenbangPageView):
    allowed_roles = CRITERION_READERS
    template_name = "musrenbang/admin/forum/criteria.html"
    page_title = "Kriteria Penilaian"
    header_icon = "tasks"

    def get_header_buttons(self):
        if policy.can_create_any(self.principal, ScoringCriterion):
            return [HeaderButton("Tambah kriteria", url=reverse("musrenbang_kriteria:add"), icon_name="plus")]
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        criteria = policy.scope(self.principal, ScoringCriterion.objects.all())
        years = list(criteria.order_by("-year").values_list("year", flat=True).distinct())
        year = year_of(self.request.GET, years[0] if years else None)
        groups = OrderedDict()
        for criterion in criteria.filter(year=year).order_by("level", "order", "id"):
            groups.setdefault(criterion.get_level_display(), []).append(criterion)
        context.update(years=years, year=year, groups=groups, can_change=policy.can(self.principal, "change", ScoringCriterion()))
        return context


class CriterionFormView(MusrenbangPageView):
    allowed_roles = {Role.BAPPEDA_ADMIN}
    template_name = "musrenbang/admin/forum/form.html"
    header_icon = "tasks"
    criterion = None

    def get_page_title(self):
        return f"Ubah kriteria {self.criterion.name}" if self.criterion else "Kriteria penilaian baru"

    def get_crumbs(self):
        return [("Kriteria Penilaian", reverse("musrenbang_kriteria:index"))]

    def get(self, request, pk=None):
        self.criterion = get_object_or_404(ScoringCriterion, pk=pk) if pk else None
        return self.render_to_response(self.get_context_data(form=CriterionForm(instance=self.criterion, initial=None if pk else {"year": default_year()})))

    def post(self, request, pk=None):
        self.criterion = get_object_or_404(ScoringCriterion, pk=pk) if pk else None
        form = CriterionForm(request.POST, instance=self.criterion)
        if form.is_valid():
            try:
                criterion = scoring.save_criterion(self.principal, self.criterion, **form.values())
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, f"Kriteria {criterion.name} ({criterion.get_level_display()} {criterion.year}) disimpan.")
                return redirect(with_query(reverse("musrenbang_kriteria:index"), tahun=criterion.year))
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(cancel_url=reverse("musrenbang_kriteria:index"), submit_label="Simpan kriteria", multipart=False)
        return context


# ------------------------------------------------------------------------------------------------
# Penilaian & peringkat


class ScoringView(MusrenbangPageView):
    """One level's proposals of one unit and year: a score field per criterion, ranked by total.
    "Simpan nilai" scores every changed proposal (all or nothing: a refused score writes none);
    "Terapkan urutan" writes the ranked order as the level's priorities."""

    template_name = "musrenbang/admin/forum/scoring.html"
    header_icon = "order"

    def dispatch(self, request, *args, level, **kwargs):
        if level not in SCORING_SLUGS:
            raise Http404
        self.slug, self.level = level, SCORING_SLUGS[level]
        self.allowed_roles = SCORERS[self.level]
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Penilaian {self.level.label.lower()}"

    def get_page_subtitle(self):
        return f"{self.unit.name} {self.year or ''}".strip() if self.unit else ""

    def setup_scope(self, params):
        if self.level == Level.KECAMATAN:
            own, choices, field = self.principal.wilayah_id, region_kecamatan(), "kecamatan"
        else:
            own, choices, field = self.principal.perangkat_daerah_id, active_units(), "target_perangkat_daerah"
        if self.principal.role == Role.BAPPEDA_ADMIN:
            self.unit_choices = list(choices)
            self.unit = next((u for u in self.unit_choices if str(u.pk) == params.get("unit", "")), None)
        else:
            self.unit_choices = []
            self.unit = choices.model.objects.filter(pk=own).defer(*(("boundary",) if field == "kecamatan" else ())).first()
        base = visible(self.principal).filter(status__in=scoring.SCORABLE[self.level], **{field: self.unit})
        self.years = list(base.order_by("-year").values_list("year", flat=True).distinct()) if self.unit else []
        chosen = year_of(params)
        self.year = chosen if chosen in self.years else (self.years[0] if self.years else None)
        unit_kwargs = {"kecamatan": self.unit} if self.level == Level.KECAMATAN else {"perangkat_daerah": self.unit}
        self.unit_kwargs = unit_kwargs
        items = list(scoring.ranking_queryset(self.principal, self.level, self.year, **unit_kwargs)) if self.year else []
        self.ranked = scoring.rank(items, self.level)
        self.criteria = list(ScoringCriterion.objects.filter(year=self.year, level=self.level).order_by("order", "id")) if self.year else []
        scores = Score.objects.filter(usulan__in=[u.pk for u in items], criterion__in=self.criteria)
        self.scores = {(s.usulan_id, s.criterion_id): s.value for s in scores}

    def page_url(self):
        return with_query(reverse("musrenbang_scoring:level", args=[self.slug]), unit=self.unit.pk if self.unit_choices and self.unit else None, tahun=self.year)

    def form(self, data=None):
        return ScoreForm(data, items=[r.usulan for r in self.ranked], criteria=self.criteria, scores=self.scores)

    def get(self, request, level=None):
        self.setup_scope(request.GET)
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, level=None):
        self.setup_scope(request.POST)
        if not self.ranked:
            raise Http404
        if request.POST.get("action") == "terapkan":
            return self.apply()
        form = self.form(request.POST)
        if form.is_valid():
            saved = self.save(form)
            if saved is not None:
                messages.success(request, f"Nilai {saved} usulan disimpan; daftar diurutkan menurut nilai.")
                return redirect(self.page_url())
        messages.error(request, "Nilai tidak disimpan; periksa isian di bawah.")
        return self.render_to_response(self.get_context_data(form=form))

    def save(self, form):
        """The number of proposals scored, or None when a refusal rolled every score back."""
        saved, refused = 0, False
        with transaction.atomic():
            for item in self.ranked:
                values = form.changed_values(item.usulan)
                if not values:
                    continue
                try:
                    with transaction.atomic():
                        scoring.score_usulan(self.principal, item.usulan, self.level, values)
                except ValidationError as error:
                    refused = True
                    fields = {f"criterion_{c.pk}": form.key(item.usulan, c) for c in self.criteria}
                    apply_service_error(form, error, fields)
                else:
                    saved += 1
            if refused:
                transaction.set_rollback(True)
        return None if refused else saved

    def apply(self):
        try:
            ranked = scoring.apply_ranking(self.principal, self.level, self.year, **self.unit_kwargs)
        except ValidationError as error:
            for text in error.messages:
                messages.error(self.request, text)
        else:
            messages.success(self.request, f"Urutan menurut nilai diterapkan sebagai prioritas {self.level.label.lower()} ({len(ranked)} usulan).")
        return redirect(self.page_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        priority = scoring.PRIORITY_FIELD[self.level]
        lock = services.schedule_lock_reason(self.year, self.level) if self.year and self.principal.role != Role.BAPPEDA_ADMIN else None
        context.update(
            unit=self.unit, unit_choices=self.unit_choices, years=self.years, year=self.year, criteria=self.criteria, lock=lock,
            unit_label="Kecamatan" if self.level == Level.KECAMATAN else "Perangkat daerah", page_url=self.page_url(),
            rows=[{
                "rank": r.rank, "usulan": r.usulan, "fields": form.row(r.usulan), "total": number(r.total), "tie_break": r.tie_break,
                "priority": getattr(r.usulan, priority), "badge": status_badge(r.usulan), "cost": rupiah(r.usulan.estimated_cost),
            } for r in self.ranked],
        )
        return context


# ------------------------------------------------------------------------------------------------
# Forum


def visible_forums(principal):
    return policy.scope(principal, Forum.objects.select_related("desa", "kecamatan", "perangkat_daerah").defer(*NO_BOUNDARIES))


def forum_url(forum):
    return reverse("musrenbang_forum:detail", args=[forum.pk])


class ForumIndexView(MusrenbangPageView):
    allowed_roles = FORUM_READERS
    template_name = "musrenbang/admin/forum/index.html"
    page_title = "Forum Musrenbang"
    header_icon = "group"
    PER_PAGE = 50

    def get_header_buttons(self):
        if policy.can_create_any(self.principal, Forum):
            return [HeaderButton("Catat forum", url=reverse("musrenbang_forum:add"), icon_name="plus")]
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        forums_seen = visible_forums(self.principal)
        years = list(forums_seen.order_by("-year").values_list("year", flat=True).distinct())
        year = year_of(self.request.GET)
        if year:
            forums_seen = forums_seen.filter(year=year)
        page = Paginator(forums_seen.order_by("-year", "level", "-held_on", "id"), self.PER_PAGE).get_page(self.request.GET.get("p"))
        context.update(page=page, years=years, year=year, rows=[{"forum": f, "closed": when(f.closed_at)} for f in page])
        return context


class ForumFormView(MusrenbangPageView):
    """Record a forum (the unit that held it, or Bappeda's admin) or change it while it is open."""

    allowed_roles = set(FORUM_LEVELS)
    template_name = "musrenbang/admin/forum/form.html"
    header_icon = "group"
    forum = None

    def get_page_title(self):
        return f"Ubah {self.forum}" if self.forum else "Catat forum"

    def get_crumbs(self):
        crumbs = [("Forum Musrenbang", reverse("musrenbang_forum:index"))]
        if self.forum:
            crumbs.append((str(self.forum), forum_url(self.forum)))
        return crumbs

    def load(self, pk):
        if pk is None:
            return None
        self.forum = get_object_or_404(visible_forums(self.principal), pk=pk)
        refuse_unless(policy.can(self.principal, "change", self.forum), "Anda tidak berwenang mengubah catatan forum ini.")
        if self.forum.closed_at:
            messages.error(self.request, f"{self.forum} sudah ditutup: catatannya tidak dapat diubah.")
            return redirect(forum_url(self.forum))
        return None

    def own_units(self):
        p = self.principal
        if p.role == Role.DESA_OPERATOR:
            return {"desa": region_desa().filter(pk=p.wilayah_id)}
        if p.role == Role.KECAMATAN_OPERATOR:
            return {"kecamatan": region_kecamatan().filter(pk=p.wilayah_id)}
        if p.role in OPD_ROLES:
            return {"perangkat_daerah": PerangkatDaerah.objects.filter(pk=p.perangkat_daerah_id)}
        return {}

    def get_form(self, data=None, files=None):
        levels = FORUM_LEVELS[self.principal.role]
        initial = None
        if self.forum is None:
            initial = {"level": levels[0], "year": default_year(), "held_on": timezone.localdate()}
            initial.update({name: units.first() for name, units in self.own_units().items()})
        return ForumForm(data, files, levels=levels, units=self.own_units(), instance=self.forum, initial=initial)

    def get(self, request, pk=None):
        return self.load(pk) or self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, pk=None):
        refused = self.load(pk)
        if refused:
            return refused
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                forum = forums.save_forum(self.principal, self.forum, **form.values())
            except ValidationError as error:
                apply_service_error(form, error, {"kecamatan": "kecamatan"})  # the usulan form's mapping to desa does not apply
            else:
                messages.success(request, f"{forum} disimpan.")
                return redirect(forum_url(forum))
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(cancel_url=forum_url(self.forum) if self.forum else reverse("musrenbang_forum:index"), submit_label="Simpan forum", multipart=True)
        return context


class ForumDetailView(MusrenbangPageView):
    """The record, its participants (added and removed while open) and, once closed, the agreed list
    and the list not agreed as they stood at closing."""

    allowed_roles = FORUM_READERS
    template_name = "musrenbang/admin/forum/detail.html"
    header_icon = "group"

    def get_page_title(self):
        return str(self.forum)

    def get_crumbs(self):
        return [("Forum Musrenbang", reverse("musrenbang_forum:index"))]

    def get_header_buttons(self):
        buttons = []
        if self.can_change:
            buttons.append(HeaderButton("Ubah", url=reverse("musrenbang_forum:edit", args=[self.forum.pk]), icon_name="edit"))
        if self.forum.level == Level.KECAMATAN and self.principal.role in PRIORITY_READERS:
            url = with_query(reverse("musrenbang_tables:priority"), kecamatan=self.forum.kecamatan_id, tahun=self.forum.year)
            buttons.append(HeaderButton("Cetak daftar prioritas", url=url, icon_name="doc-full", attrs={"target": "_blank"}))
        return buttons

    def load(self, pk):
        self.forum = get_object_or_404(visible_forums(self.principal), pk=pk)
        self.can_change = policy.can(self.principal, "change", self.forum) and not self.forum.closed_at

    def get(self, request, pk):
        self.load(pk)
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, participant_form=None, close_errors=(), **kwargs):
        context = super().get_context_data(**kwargs)
        forum = self.forum
        items = list(forum.items.order_by("-agreed", "position")) if forum.closed_at else []
        context.update(
            forum=forum, can_change=self.can_change, close_errors=close_errors, closed=when(forum.closed_at),
            participants=list(forum.participants.all()), participant_form=participant_form or (ParticipantForm() if self.can_change else None),
            agreed=[(i, number(i.volume), rupiah(i.cost), number(i.score)) for i in items if i.agreed],
            not_agreed=[(i, number(i.volume), rupiah(i.cost), number(i.score)) for i in items if not i.agreed],
            pending_count=forums.forum_usulan(forum).count() if not forum.closed_at else None,
            berita_acara_name=PurePosixPath(forum.berita_acara.name).name if forum.berita_acara else "",
        )
        return context


class ForumActionView(ForumDetailView):
    """POST a participant, a removal or the closing; a refusal re-renders the forum's page."""

    http_method_names = ["post"]
    action = None

    def post(self, request, pk, participant_pk=None):
        self.load(pk)
        refuse_unless(policy.can(self.principal, "change", self.forum), "Anda tidak berwenang mengubah catatan forum ini.")
        try:
            if self.action == "add":
                form = ParticipantForm(request.POST)
                form.is_valid()
                try:
                    data = form.cleaned_data
                    forums.add_participant(self.principal, self.forum, data.get("name"), data.get("institution"), is_delegate=data.get("is_delegate", False))
                except ValidationError as error:
                    apply_service_error(form, error)
                    return self.render_to_response(self.get_context_data(participant_form=form))
                messages.success(request, f"Peserta {data['name'].strip()} ditambahkan.")
            elif self.action == "remove":
                participant = get_object_or_404(ForumParticipant, pk=participant_pk, forum=self.forum)
                forums.remove_participant(self.principal, participant)
                messages.success(request, f"Peserta {participant.name} dihapus.")
            else:
                forums.close_forum(self.principal, self.forum)
                messages.success(request, f"{self.forum} ditutup; daftar usulan yang disepakati dan yang tidak disepakati dibekukan.")
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(close_errors=error.messages))
        return redirect(forum_url(self.forum))


class BeritaAcaraView(MusrenbangAccessMixin, View):
    allowed_roles = FORUM_READERS

    def get(self, request, pk):
        forum = get_object_or_404(visible_forums(self.principal), pk=pk)
        if not forum.berita_acara:
            raise Http404
        return FileResponse(forum.berita_acara.open("rb"), filename=PurePosixPath(forum.berita_acara.name).name, as_attachment=True)


# ------------------------------------------------------------------------------------------------
# Tabel Regulasi


def own_kecamatan(principal, params):
    """The kecamatan whose priority list is asked for: the operator's own (another is a 404), any for Bappeda."""
    chosen = str(params.get("kecamatan", ""))
    if principal.role == Role.KECAMATAN_OPERATOR:
        if chosen and chosen != str(principal.wilayah_id):
            raise Http404
        chosen = str(principal.wilayah_id)
    if not chosen.isdigit():
        return None
    return region_kecamatan().filter(pk=chosen).first() or None


def own_unit(principal, params):
    """The department of a T-C.32: a department's staff their own, Bappeda any (None: all)."""
    if principal.role in OPD_ROLES:
        return PerangkatDaerah.objects.get(pk=principal.perangkat_daerah_id)
    chosen = str(params.get("opd", ""))
    return PerangkatDaerah.objects.filter(pk=chosen).first() if chosen.isdigit() else None


class TablesIndexView(MusrenbangPageView):
    allowed_roles = TABLE_READERS
    template_name = "musrenbang/admin/forum/tables.html"
    page_title = "Tabel Regulasi"
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        role = self.principal.role
        context.update(
            year=default_year(),
            tc32=role in TC32_READERS, tb57=role in TB57_READERS, priority=role in PRIORITY_READERS,
            units=list(PerangkatDaerah.objects.order_by("code")) if role in BAPPEDA_ROLES else [],
            kecamatan_choices=list(region_kecamatan()) if role in BAPPEDA_ROLES else [],
        )
        return context


class TableDownloadView(MusrenbangAccessMixin, View):
    """One regulation table as XLSX, with the rows the access policy lets the user see."""

    table = None

    def dispatch(self, request, *args, **kwargs):
        self.allowed_roles = {"tc32": TC32_READERS, "tb57": TB57_READERS, "priority": PRIORITY_READERS}[self.table]
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        year = year_of(request.GET, default_year())
        if self.table == "tc32":
            unit = own_unit(self.principal, request.GET)
            return xlsx_response(tables.tc32(self.principal, year, unit), f"T-C.32-{year}-{unit.code if unit else 'semua'}.xlsx")
        if self.table == "tb57":
            return xlsx_response(tables.tb57(self.principal, year), f"T-B.57-{year}.xlsx")
        kecamatan = own_kecamatan(self.principal, request.GET)
        if kecamatan is None:
            raise Http404
        return xlsx_response(tables.priority_xlsx(self.principal, kecamatan, year), f"prioritas-{kecamatan.code}-{year}.xlsx")


class PriorityPrintView(MusrenbangAccessMixin, TemplateView):
    """The kecamatan's priority list grouped by department, to print (from the closed forum's copy)."""

    allowed_roles = PRIORITY_READERS
    template_name = "musrenbang/admin/forum/priority_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kecamatan = own_kecamatan(self.principal, self.request.GET)
        if kecamatan is None:
            raise Http404
        year = year_of(self.request.GET, default_year())
        source, groups = forums.priority_list(self.principal, kecamatan, year)
        context.update(
            kecamatan=kecamatan, year=year, source=source, region_name=settings.REGION_NAME, printed=when(timezone.now()),
            xlsx_url=with_query(reverse("musrenbang_tables:priority_xlsx"), kecamatan=kecamatan.pk, tahun=year),
            groups=[{
                "name": name, "total": rupiah(sum(i.cost for i in items)),
                "items": [(i, number(i.volume), rupiah(i.cost), number(i.score)) for i in items],
            } for (_, name), items in groups.items()],
        )
        return context


# ------------------------------------------------------------------------------------------------
# Viewsets


class CriterionViewSet(ViewSet):
    name = "musrenbang_kriteria"
    url_prefix = "musrenbang/kriteria"
    menu_label = "Kriteria Penilaian"
    icon = "tasks"
    menu_item_class = role_menu_item(CRITERION_READERS)

    def get_urlpatterns(self):
        return [
            path("", CriterionIndexView.as_view(), name="index"),
            path("tambah/", CriterionFormView.as_view(), name="add"),
            path("<int:pk>/ubah/", CriterionFormView.as_view(), name="edit"),
        ]


class ScoringViewSet(ViewSet):
    name = "musrenbang_scoring"
    url_prefix = "musrenbang/penilaian"
    menu_label = "Penilaian usulan"
    icon = "order"
    menu_item_class = role_menu_item(SCORERS[Level.KECAMATAN] | SCORERS[Level.FORUM_OPD])

    def get_urlpatterns(self):
        return [
            path("", ScoringIndexView.as_view(), name="index"),
            path("<slug:level>/", ScoringView.as_view(), name="level"),
        ]


class ScoringIndexView(MusrenbangAccessMixin, View):
    """The menu's entry: the page of the user's level (Bappeda's admin starts at the kecamatan's)."""

    allowed_roles = SCORERS[Level.KECAMATAN] | SCORERS[Level.FORUM_OPD]

    def get(self, request):
        slug = "perangkat-daerah" if self.principal.role in OPD_ROLES else "kecamatan"
        return redirect("musrenbang_scoring:level", level=slug)


class ForumViewSet(ViewSet):
    name = "musrenbang_forum"
    url_prefix = "musrenbang/forum"
    menu_label = "Forum"
    icon = "group"
    menu_item_class = role_menu_item(FORUM_READERS)

    def get_urlpatterns(self):
        return [
            path("", ForumIndexView.as_view(), name="index"),
            path("tambah/", ForumFormView.as_view(), name="add"),
            path("<int:pk>/", ForumDetailView.as_view(), name="detail"),
            path("<int:pk>/ubah/", ForumFormView.as_view(), name="edit"),
            path("<int:pk>/peserta/", ForumActionView.as_view(action="add"), name="add_participant"),
            path("<int:pk>/peserta/<int:participant_pk>/hapus/", ForumActionView.as_view(action="remove"), name="remove_participant"),
            path("<int:pk>/tutup/", ForumActionView.as_view(action="close"), name="close"),
            path("<int:pk>/berita-acara/", BeritaAcaraView.as_view(), name="berita_acara"),
        ]


class TablesViewSet(ViewSet):
    name = "musrenbang_tables"
    url_prefix = "musrenbang/tabel"
    menu_label = "Tabel Regulasi"
    icon = "table"
    menu_item_class = role_menu_item(TABLE_READERS)

    def get_urlpatterns(self):
        return [
            path("", TablesIndexView.as_view(), name="index"),
            path("t-c32/", TableDownloadView.as_view(table="tc32"), name="tc32"),
            path("t-b57/", TableDownloadView.as_view(table="tb57"), name="tb57"),
            path("prioritas/", PriorityPrintView.as_view(), name="priority"),
            path("prioritas/xlsx/", TableDownloadView.as_view(table="priority"), name="priority_xlsx"),
        ]


FORUM_VIEWSETS = (CriterionViewSet, ScoringViewSet, ForumViewSet, TablesViewSet)
