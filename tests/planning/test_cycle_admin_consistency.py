"""The consistency report in the admin: each planted kind of finding, counted and grouped, each
linking to a page of the admin that opens; the XLSX download; departments see only their own;
the dashboard counts blocking findings per kind."""

import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from backoffice.planning.models import Indicator, IndicatorTarget, RenjaRow, RenstraSasaran
from backoffice.planning.services import FINDING_KINDS, consistency_findings, get_or_create_renja, set_ceiling
from backoffice.reference.models import SubKegiatan
from tests.factories import make_edition

from .admin_helpers import YEAR, add_row, at, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def planted(world, cycle):
    """One finding of every kind, as the service's own test plants them."""
    admin = world.p["admin"]
    cycle["clock"]["now"] = at(3, 10)
    dikbud = get_or_create_renja(admin, world.dikbud, YEAR)
    add_row(world, dikbud, "1.01.02.2.01.0001", 1_000_000)
    add_row(world, dikbud, "1.01.01.2.01.0001", 100_000)
    RenjaRow.objects.get(sub_kegiatan__code="1.01.01.2.01.0001").indicators.all().delete()
    IndicatorTarget.objects.filter(indicator__renja_row__sub_kegiatan__code="1.01.02.2.01.0001").update(value=12)
    set_ceiling(admin, world.dikbud, YEAR, Decimal("1000000"))
    RenstraSasaran.objects.filter(pk=cycle["sasaran"].pk).update(rpjmd_sasaran=None)
    dinkes = get_or_create_renja(admin, world.dinkes, YEAR)
    outside = RenjaRow.objects.create(renja=dinkes, sub_kegiatan=world.subs["1.01.02.2.01.0002"])
    IndicatorTarget.objects.create(indicator=Indicator.objects.create(renja_row=outside, level="keluaran", text="x"), year=YEAR, value=1)
    SubKegiatan.objects.filter(pk=world.subs["1.01.02.2.01.0002"].pk).update(valid_until=make_edition("Edisi 2026", 2026))
    return {"dikbud": dikbud, "dinkes": dinkes}


def sections(text):
    """{kind: section html} of the report page."""
    return dict(re.findall(r'(?s)<section class="w-mt-8" id="temuan-([a-z_]+)".*?>(.*?)</section>', text))


def test_report_groups_each_kind_with_counts_and_links_that_open(world, planted, clients):
    url = reverse("cycle_consistency:index")
    text = page_text(clients["admin"].get(url, {"tahun": YEAR}))
    expected = Counter(f.kind for f in consistency_findings(YEAR))
    assert set(expected) == set(FINDING_KINDS)  # every kind planted
    found = sections(text)
    assert set(found) == set(FINDING_KINDS)
    for kind, (label, blocking) in FINDING_KINDS.items():
        assert re.search(rf'<tr data-kind="{kind}">.*?<td data-count>{expected[kind]}</td>', text, re.S), kind
        assert f"{label} ({expected[kind]})" in found[kind]
        assert ("memblokir penetapan" in found[kind]) == blocking
        links = re.findall(r'<a href="([^"]+)" data-finding-link>', found[kind])
        assert len(links) == expected[kind], kind
        for link in set(links):
            assert clients["admin"].get(link).status_code == 200, (kind, link)
    # Each finding names its row.
    assert "Baris Renja 1.01.01.2.01.0001" in found["not_in_renstra"]
    assert "Sasaran Renstra S1" in found["sasaran_unlinked"]
    assert "Renja Dinas Kesehatan 2026" in found["no_renstra"]
    blocking = sum(n for kind, n in expected.items() if FINDING_KINDS[kind][1])
    assert f"<strong data-blocking-total>{blocking}</strong>" in text


def test_report_downloads_as_xlsx(world, planted, clients):
    response = clients["admin"].get(reverse("cycle_consistency:xlsx"), {"tahun": YEAR})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="konsistensi-2026.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]]
    findings = consistency_findings(YEAR)
    assert len(rows) == len(findings)
    assert {row[1] for row in rows} == {label for label, _ in FINDING_KINDS.values()}
    assert all(row[6].startswith("http://testserver/admin/") for row in rows)
    assert {row[3] for row in rows} == {"Dinas Pendidikan", "Dinas Kesehatan"}


def test_a_department_sees_only_its_own_findings(world, planted, clients):
    url = reverse("cycle_consistency:index")
    # Asking for another department's findings still shows one's own.
    text = page_text(clients["dinkes"].get(url, {"tahun": YEAR, "perangkat_daerah": world.dikbud.pk}))
    found = sections(text)
    mine = Counter(f.kind for f in consistency_findings(YEAR, world.dinkes))
    assert set(found) == set(mine) and "no_renstra" in found
    assert "Dinas Pendidikan" not in "".join(found.values())
    sheet = load_workbook(io.BytesIO(clients["dinkes"].get(reverse("cycle_consistency:xlsx"), {"tahun": YEAR, "perangkat_daerah": world.dikbud.pk}).content)).active
    assert {row[3] for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]} == {"Dinas Kesehatan"}
    # Bappeda may narrow the report to one department.
    text = page_text(clients["verifier"].get(url, {"tahun": YEAR, "perangkat_daerah": world.dikbud.pk}))
    assert "no_renstra" not in sections(text) and "not_in_renstra" in sections(text)


def test_dashboard_counts_blocking_findings_per_kind(world, planted, clients):
    def panel_counts(client):
        text = page_text(client.get("/admin/"))
        panel = re.search(r'(?s)id="cycle-consistency-section".*?</section>', text).group(0)
        return {kind: int(n) for kind, n in re.findall(r'<tr data-kind="([a-z_]+)">.*?<td data-count>(\d+)</td>', panel, re.S)}, panel

    counts, panel = panel_counts(clients["admin"])
    expected = Counter(f.kind for f in consistency_findings(YEAR) if f.blocking)
    assert counts == dict(expected) and "target_differs" not in counts
    assert f"{reverse('cycle_consistency:index')}?tahun={YEAR}" in panel
    counts, _ = panel_counts(clients["dinkes"])
    assert counts == dict(Counter(f.kind for f in consistency_findings(YEAR, world.dinkes) if f.blocking))
