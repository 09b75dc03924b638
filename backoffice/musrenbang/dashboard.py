"""The Musrenbang panel on the admin's home page: this year's proposals in the user's scope (the
access policy's, as on the list and the map) by status as a funnel, by kecamatan, by department,
and the money proposed against the money adopted into Renja.

Charts are HTML bars in a table: no script, no CDN, and every number is also written as text for
screen readers and printouts. Four aggregate queries, whatever the number of proposals."""

from django.db.models import Count, Sum
from wagtail.admin.ui.components import Component

from .admin_views import default_year, list_url, number, principal_of, visible
from .models import Status

# How far a proposal has come: each step counts the proposals that reached it or went beyond.
FUNNEL = (
    ("Diajukan desa/kelurahan", None),
    ("Diteruskan kecamatan ke perangkat daerah", {Status.ROUTED, Status.ACCEPTED, Status.ACCEPTED_CHANGED, Status.POSTPONED,
                                                  Status.REJECTED_OPD, Status.AGREED, Status.ADOPTED, Status.NOT_FUNDED}),
    ("Diterima perangkat daerah", {Status.ACCEPTED, Status.ACCEPTED_CHANGED, Status.AGREED, Status.ADOPTED, Status.NOT_FUNDED}),
    ("Disepakati musrenbang kabupaten", {Status.AGREED, Status.ADOPTED, Status.NOT_FUNDED}),
    ("Masuk Renja", {Status.ADOPTED}),
)
TOP = 10


def bars(rows):
    """(label, value, text) rows -> rows with a bar width: the largest value takes 60% of the cell,
    leaving room for its number."""
    largest = max((value for _, value, _ in rows), default=0) or 1
    return [{"label": label, "value": value, "text": text, "width": round(60 * value / largest, 1)} for label, value, text in rows]


def _grouped(queryset, name, empty):
    rows = queryset.values(name).annotate(n=Count("pk")).order_by("-n", name)[:TOP]
    return bars([(row[name] or empty, row["n"], str(row["n"])) for row in rows])


def usulan_charts(principal, year):
    """The figures of the panel for one principal and year."""
    queryset = visible(principal).filter(year=year).exclude(status=Status.DRAFT).order_by()
    by_status = {row["status"]: row for row in queryset.values("status").annotate(n=Count("pk"), cost=Sum("estimated_cost"))}
    total = sum(row["n"] for row in by_status.values())
    funnel = [(label, sum(row["n"] for status, row in by_status.items() if reached is None or status in reached)) for label, reached in FUNNEL]
    proposed = sum(row["cost"] or 0 for row in by_status.values())
    adopted = (by_status.get(Status.ADOPTED) or {}).get("cost") or 0
    return {
        "year": year,
        "total": total,
        "funnel": bars([(label, n, f"{n} ({round(100 * n / total) if total else 0}%)") for label, n in funnel]),
        "status": bars([(Status(status).label, row["n"], str(row["n"])) for status, row in sorted(by_status.items(), key=lambda item: Status.values.index(item[0]))]),
        "kecamatan": _grouped(queryset, "kecamatan__name", "-"),
        "opd": _grouped(queryset, "target_perangkat_daerah__name", "Belum ditentukan"),
        "money": bars([("Biaya diusulkan", float(proposed), f"Rp {number(proposed)}"), ("Biaya usulan yang masuk Renja", float(adopted), f"Rp {number(adopted)}")]),
    }


class UsulanChartsPanel(Component):
    name = "musrenbang_charts"
    order = 160
    template_name = "musrenbang/dashboard_panel.html"

    def __init__(self, charts):
        self.charts = charts

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(self.charts, list_url=list_url(tahun=self.charts["year"]))
        return context


def usulan_chart_panels(request, panels):
    """construct_homepage_panels: the panel for every user with a Musrenbang role."""
    principal = principal_of(request)
    if principal.role is None:
        return
    panels.append(UsulanChartsPanel(usulan_charts(principal, default_year())))
