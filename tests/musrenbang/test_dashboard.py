"""The Musrenbang panel on the admin home page: this year's proposals in the user's scope as a
funnel, by status, kecamatan and department, and money proposed against adopted, with every number
written as text."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from backoffice.musrenbang.dashboard import usulan_charts
from backoffice.musrenbang.models import Level, MusrenbangSchedule

from tests.musrenbang.conftest import add_proposals

pytestmark = pytest.mark.django_db


def figures(rows):
    return [(row["label"], row["text"]) for row in rows]


def test_bappeda_sees_the_whole_season(mb, mapped):
    charts = usulan_charts(mb.p["admin"], 2027)
    assert charts["total"] == 4  # the draft is the village's own business
    assert figures(charts["funnel"]) == [
        ("Diajukan desa/kelurahan", "4 (100%)"), ("Diteruskan kecamatan ke perangkat daerah", "1 (25%)"),
        ("Diterima perangkat daerah", "0 (0%)"), ("Disepakati musrenbang kabupaten", "0 (0%)"), ("Masuk Renja", "0 (0%)"),
    ]
    assert figures(charts["status"]) == [("Diajukan desa/kelurahan", "2"), ("Ditolak kecamatan", "1"), ("Diteruskan ke perangkat daerah", "1")]
    assert figures(charts["kecamatan"]) == [("Kupang Barat", "3"), ("Kupang Timur", "1")]
    assert figures(charts["opd"]) == [("Belum ditentukan", "3"), ("Dinas Pekerjaan Umum dan Penataan Ruang", "1")]
    assert figures(charts["money"]) == [("Biaya diusulkan", "Rp 720.000.000"), ("Biaya usulan yang masuk Renja", "Rp 0")]
    assert [row["width"] for row in charts["kecamatan"]] == [60.0, 20.0]


def test_each_role_counts_its_scope(mb, mapped):
    assert usulan_charts(mb.p["kec_timur"], 2027)["total"] == 1
    assert figures(usulan_charts(mb.p["opd_pupr"], 2027)["opd"]) == [("Dinas Pekerjaan Umum dan Penataan Ruang", "1")]
    assert usulan_charts(mb.p["opd_dinkes"], 2027)["total"] == 0


@pytest.mark.parametrize("extra", [0, 60])
def test_figures_cost_three_queries(mb, mapped, extra, django_assert_num_queries):
    add_proposals(mb, extra)
    with django_assert_num_queries(3):
        usulan_charts(mb.p["admin"], 2027)


def test_home_page_shows_the_panel_with_numbers_as_text(mb, mapped):
    # The panel shows the year whose village window is open now.
    now = timezone.now()
    MusrenbangSchedule.objects.create(year=2027, level=Level.DESA, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1))
    client = Client()
    client.force_login(mb.users["kec_barat"])
    page = client.get("/admin/").content.decode()
    panel = page[page.index('id="musrenbang-charts-title"'):]
    assert "Usulan musrenbang 2027" in panel
    assert "Kupang Barat" in panel and "3 (100%)" in panel and "Rp 540.000.000" in panel
    staff = Client()
    from tests.factories import make_user

    staff.force_login(make_user("tamu", is_superuser=False))
    assert "musrenbang-charts" not in staff.get("/admin/", follow=True).content.decode()
