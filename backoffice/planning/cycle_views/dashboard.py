"""Dashboard panels: what waits for this user in the annual cycle (returned or submitted items,
deadlines within a week) and the blocking consistency findings of the cycle's year."""

from collections import Counter
from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from backoffice.access import policy
from backoffice.reference.models import PerangkatDaerah

from .. import services
from ..models import PlanStatus, Realisasi, Renja, Renstra, ReportingWindow, Stage, StageReopening
from .common import current_cycle_year, is_admin, is_opd, is_verifier, takes_part, when

DEADLINE_WINDOW = timedelta(days=7)


def _days_left(moment, now):
    days = (timezone.localdate(moment) - timezone.localdate(now)).days
    return "hari ini" if days <= 0 else ("besok" if days == 1 else f"{days} hari lagi")


def deadlines(principal, at=None):
    """Stages, reopenings for the principal's department and reporting windows closing within a week."""
    now = at or timezone.now()
    soon = Q(closes_at__gt=now, closes_at__lte=now + DEADLINE_WINDOW)
    items = []
    for stage in Stage.objects.filter(soon).order_by("closes_at"):
        items.append({"label": f"Tahapan {stage}", "at": stage.closes_at, "url": reverse("cycle_stage:inspect", args=[stage.pk])})
    reopenings = policy.scope(principal, StageReopening.objects.filter(until__gt=now, until__lte=now + DEADLINE_WINDOW)).select_related("stage")
    if is_opd(principal):
        reopenings = reopenings.filter(perangkat_daerah_id=principal.perangkat_daerah_id)
    for reopening in reopenings.order_by("until"):
        items.append({"label": f"Pembukaan ulang {reopening.stage}", "at": reopening.until, "url": reverse("cycle_stage:inspect", args=[reopening.stage_id])})
    for window in ReportingWindow.objects.filter(soon).order_by("closes_at"):
        items.append({"label": f"Pelaporan {window}", "at": window.closes_at, "url": reverse("cycle_reporting_window:inspect", args=[window.pk])})
    items.sort(key=lambda item: item["at"])
    for item in items:
        item["when"] = when(item["at"])
        item["left"] = _days_left(item["at"], now)
    return items


def notification_items(principal):
    """(key, label, count, url) of what waits for the principal: a department its returned items,
    a verifier what was submitted, Bappeda's admin also what awaits penetapan."""
    renja = policy.scope(principal, Renja.objects.all())
    renstra = policy.scope(principal, Renstra.objects.all())
    realisasi = policy.scope(principal, Realisasi.objects.all())
    verification = reverse("cycle_verification:index")
    monev = reverse("cycle_monev:index")
    items = []
    if is_opd(principal):
        own = principal.perangkat_daerah_id
        items += [
            ("returned_renja", "Renja dikembalikan", renja.filter(status=PlanStatus.RETURNED, perangkat_daerah_id=own).count(), verification),
            ("returned_renstra", "Renstra dikembalikan", renstra.filter(status=PlanStatus.RETURNED, perangkat_daerah_id=own).count(), verification),
            ("returned_realisasi", "Realisasi triwulan dikembalikan", realisasi.filter(status=Realisasi.Status.RETURNED, row__renja__perangkat_daerah_id=own).count(), monev),
        ]
    if is_verifier(principal):
        items += [
            ("submitted_renja", "Renja menunggu verifikasi", renja.filter(status=PlanStatus.SUBMITTED).count(), verification),
            ("submitted_renstra", "Renstra menunggu verifikasi", renstra.filter(status=PlanStatus.SUBMITTED).count(), verification),
            ("submitted_realisasi", "Realisasi triwulan menunggu verifikasi", realisasi.filter(status=Realisasi.Status.SUBMITTED).count(), monev),
        ]
    if is_admin(principal):
        items += [
            ("verified_renja", "Renja menunggu penetapan", renja.filter(status=PlanStatus.VERIFIED).count(), verification),
            ("verified_renstra", "Renstra menunggu penetapan", renstra.filter(status=PlanStatus.VERIFIED).count(), verification),
        ]
    return [{"key": key, "label": label, "count": count, "url": url} for key, label, count, url in items]


class CycleNotificationsPanel(Component):
    name = "cycle_notifications"
    template_name = "planning/cycle/panels/notifications.html"
    order = 40

    def __init__(self, principal):
        self.principal = principal

    def get_context_data(self, parent_context):
        items = notification_items(self.principal)
        upcoming = deadlines(self.principal) if is_opd(self.principal) else []
        return {
            "items": items,
            "waiting": sum(item["count"] for item in items),
            "deadlines": upcoming,
        }


class ConsistencyPanel(Component):
    name = "cycle_consistency"
    template_name = "planning/cycle/panels/consistency.html"
    order = 45

    def __init__(self, principal):
        self.principal = principal

    def get_context_data(self, parent_context):
        year = current_cycle_year()
        unit = None
        if is_opd(self.principal):
            unit = PerangkatDaerah.objects.filter(pk=self.principal.perangkat_daerah_id).first()
        findings = services.consistency_findings(year, unit, principal=self.principal)
        counts = Counter(f.kind for f in findings if f.blocking)
        url = reverse("cycle_consistency:index") + f"?tahun={year}" + (f"&perangkat_daerah={unit.pk}" if unit else "")
        kinds = [
            {"kind": kind, "label": label, "count": counts[kind], "url": f"{url}#temuan-{kind}"}
            for kind, (label, blocking) in services.FINDING_KINDS.items() if blocking
        ]
        return {
            "year": year,
            "unit": unit,
            "kinds": kinds,
            "blocking": sum(counts.values()),
            "others": sum(1 for f in findings if not f.blocking),
            "url": url,
        }


def homepage_panels(request, panels):
    principal = policy.principal_for_user(request.user)
    if takes_part(principal):
        panels.append(CycleNotificationsPanel(principal))
        panels.append(ConsistencyPanel(principal))
