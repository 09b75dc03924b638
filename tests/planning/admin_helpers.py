"""Helpers of the planning tests (this module holds no tests and no fixtures: those are in
conftest.py): the cycle's dates, adding a Renja row with an output target, logging in, reading
admin pages."""

import re
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

from backoffice.planning.models import Indicator, IndicatorTarget, RenjaRow
from backoffice.planning.services import save_renja_row

WITA = ZoneInfo("Asia/Makassar")
YEAR = 2026


def at(month, day, hour=8, year=YEAR - 1):
    """A time of the cycle of YEAR, which is held in the year before."""
    return datetime(year, month, day, hour, tzinfo=WITA)


def add_row(world, renja, code, pagu, target=10, principal=None):
    row = save_renja_row(principal or world.p["admin"], RenjaRow(renja=renja, sub_kegiatan=world.subs.get(code) or world.support), pendanaan=[(world.dau, pagu)])
    IndicatorTarget.objects.create(indicator=Indicator.objects.create(renja_row=row, level="keluaran", text="Ruang kelas dibangun"), year=YEAR, value=target)
    return row


def login(client, world, role):
    client.force_login(world.users[role])
    return client


def refused(response):
    """The admin refused: not found (another department's draft), a permission refusal (Wagtail
    redirects to the dashboard), no admin access at all (redirect to the login), or 403."""
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and (response["Location"] == "/admin/" or response["Location"].startswith("/admin/login/"))


def page_text(response):
    """The response's HTML, unescaped (Wagtail renders messages escaped)."""
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return unescape(response.content.decode())


def follow_post(client, url, data=None, **kwargs):
    response = client.post(url, data or {}, follow=True, **kwargs)
    assert response.status_code == 200, response.status_code
    return page_text(response)


def notifications(client):
    """The counts ({key: n}) and the HTML of the dashboard's annual-cycle notifications panel."""
    text = page_text(client.get("/admin/"))
    panel = re.search(r'(?s)id="cycle-notifications-section".*?</section>', text).group(0)
    counts = {key: int(n) for key, n in re.findall(r'<tr data-notification="([a-z_]+)">.*?<td data-count>(\d+)</td>', panel, re.S)}
    return counts, panel
