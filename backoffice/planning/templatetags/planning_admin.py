"""Template helpers of the planning admin: rupiah amounts, targets, element links."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from ..forms import format_target
from ..services import rupiah as _rupiah

register = template.Library()


@register.filter
def rupiah(amount):
    return "-" if amount is None or amount == "" else _rupiah(amount)


@register.filter
def targets_for(indicator, years):
    """[(year, shown target, amount or None)] of an indicator (targets prefetched)."""
    by_year = {t.year: t for t in indicator.targets.all()}
    return [(year, format_target(by_year.get(year)), by_year[year].amount if year in by_year else None) for year in years]


@register.simple_tag
def add_element_url(model_name, parent, owner=""):
    params = {"parent": parent.pk}
    if owner:
        params["owner"] = owner
    return reverse(f"planning_{model_name}:add") + "?" + urlencode(params)


@register.simple_tag
def element_url(obj, view="edit"):
    return reverse(f"planning_{obj._meta.model_name}:{view}", args=[obj.pk])


@register.filter
def target(value):
    """An IndicatorTarget as shown: 12,5 or WTP."""
    return format_target(value)
