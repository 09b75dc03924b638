"""Peta Usulan: the proposals a user may see as points coloured by status over the kecamatan and
desa/kelurahan boundaries, filtered by year, department and status.

The page draws with Leaflet 1.9.4, vendored under static/musrenbang/vendor/ (no CDN: installations
may be offline; django-leaflet was not used because its admin module needs GDAL). Its data comes
from two JSON views that return what the GraphQL fields `usulanGeoJson` and `wilayahGeoJson`
return, built by the same functions (`graphql_api.geo`), so the admin map and the public API show
the same thing; which proposals is `policy.scope`'s answer (a desa its own, a kecamatan its desas'
once submitted, a department its queue, Bappeda everything).
"""

from django.conf import settings
from django.http import JsonResponse
from django.urls import path, re_path, reverse
from django.views.generic import View
from wagtail.admin.viewsets.base import ViewSet

from backoffice.access.models import OPD_ROLES
from backoffice.reference.models import PerangkatDaerah, Wilayah
from graphql_api.geo import usulan_feature_collection, wilayah_feature_collection

from .admin_views import MusrenbangAccessMixin, MusrenbangPageView, default_year, role_menu_item, visible
from .models import Status

# One colour per status, readable on white and on a base map; the legend also names each status.
STATUS_COLOURS = {
    Status.DRAFT: "#9e9e9e",
    Status.SUBMITTED: "#1f78b4",
    Status.RETURNED: "#a6cee3",
    Status.REJECTED_KECAMATAN: "#e31a1c",
    Status.ROUTED: "#6a3d9a",
    Status.ACCEPTED: "#33a02c",
    Status.ACCEPTED_CHANGED: "#b2df8a",
    Status.POSTPONED: "#ff7f00",
    Status.REJECTED_OPD: "#fb9a99",
    Status.AGREED: "#cab2d6",
    Status.ADOPTED: "#005a32",
    Status.NOT_FUNDED: "#6b4423",
    Status.CARRIED_OVER: "#fdbf6f",
}
# Statuses added later (e.g. the pokir steps) take the next unused colour until they get their own.
SPARE_COLOURS = ("#8dd3c7", "#bebada", "#80b1d3", "#fccde5", "#bc80bd", "#ccebc5", "#ffed6f", "#d9d9d9")


def status_colours():
    spare = iter(SPARE_COLOURS * 4)
    return {value: STATUS_COLOURS.get(value) or next(spare) for value in Status.values}


BOUNDARY_LEVELS = {"kecamatan": Wilayah.Level.KECAMATAN, "desa": Wilayah.Level.DESA_KELURAHAN}


def map_filters(principal, params):
    """The year, department and statuses asked for in `params` (the page's query string), with
    the choices the user has: years and departments of the proposals in the user's scope."""
    scoped = visible(principal)
    years = sorted(set(scoped.order_by().values_list("year", flat=True).distinct()) | {default_year()}, reverse=True)
    asked = params.get("tahun", "")
    year = int(asked) if asked.isdigit() and int(asked) in years else default_year()
    if principal.role in OPD_ROLES:
        units = PerangkatDaerah.objects.filter(pk=principal.perangkat_daerah_id)
    else:
        units = PerangkatDaerah.objects.filter(pk__in=scoped.filter(year=year).values("target_perangkat_daerah"))
    units = list(units.order_by("code").values_list("code", "name"))
    opd = params.get("opd", "")
    opd = opd if opd in {code for code, _ in units} else ""
    statuses = [value for value in params.getlist("status") if value in Status.values]
    return {"year": year, "years": years, "opd": opd, "units": units, "statuses": statuses}


class MapView(MusrenbangPageView):
    template_name = "musrenbang/map.html"
    page_title = "Peta Usulan"
    header_icon = "site"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = map_filters(self.principal, self.request.GET)
        colours = status_colours()
        legend = [{"value": value, "label": label, "colour": colours[value]} for value, label in Status.choices]
        config = {
            "points": reverse("musrenbang_map:points"),
            "boundaries": {level: reverse("musrenbang_map:boundaries", args=[level]) for level in BOUNDARY_LEVELS},
            "colours": colours,
            "tiles": [{"url": settings.MAP_TILE_URL, "options": {"attribution": settings.MAP_TILE_ATTRIBUTION}}] if settings.MAP_TILE_URL else [],
        }
        context.update(filters, legend=legend, map_config=config)
        return context


class PointsView(MusrenbangAccessMixin, View):
    """The proposals on the map: `usulanGeoJson` for the logged-in user."""

    def get(self, request):
        filters = map_filters(self.principal, request.GET)
        collection = usulan_feature_collection(
            self.principal, filters["year"], perangkat_daerah=filters["opd"] or None, statuses=filters["statuses"]
        )
        return JsonResponse(collection)


class BoundariesView(MusrenbangAccessMixin, View):
    """Kecamatan or desa/kelurahan boundaries (public reference data): `wilayahGeoJson`."""

    def get(self, request, level):
        response = JsonResponse(wilayah_feature_collection(BOUNDARY_LEVELS[level]))
        # Boundaries change only with a new import: let the browser keep them for an hour.
        response["Cache-Control"] = "private, max-age=3600"
        return response


class MapViewSet(ViewSet):
    name = "musrenbang_map"
    url_prefix = "musrenbang/peta"
    menu_label = "Peta Usulan"
    icon = "site"
    menu_item_class = role_menu_item()

    def get_urlpatterns(self):
        return [
            path("", MapView.as_view(), name="index"),
            path("titik/", PointsView.as_view(), name="points"),
            re_path(r"^batas/(?P<level>kecamatan|desa)/$", BoundariesView.as_view(), name="boundaries"),
        ]


def with_map(group):
    """The Musrenbang menu group with Peta Usulan added (its viewsets register with the group)."""
    group.registerables.append(MapViewSet())
    return group
