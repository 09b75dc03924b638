"""The permission matrix in the admin: each role x each kind of plan object x read/create/change/delete,
as HTTP outcomes (listing contains or omits, object pages 200 or refused, POSTs refused with nothing
written), including another department's draft reached by guessing its id."""

from decimal import Decimal

import pytest

from backoffice.planning.models import PaguCeiling, PlanningPeriod, Renja, RenjaRow, Renstra, Rkpd

from .admin_helpers import login, refused

pytestmark = pytest.mark.django_db

ROLES = ["admin", "verifier", "dikbud", "dinkes", "norole"]
ALL = {"read", "create", "change", "delete"}
# Draft objects of the Dinas Pendidikan (dikbud) or of the whole region.
EXPECTED = {
    "period": {"admin": ALL, "verifier": {"read"}, "dikbud": {"read"}, "dinkes": {"read"}, "norole": set()},
    "renstra": {"admin": ALL, "verifier": {"read"}, "dikbud": ALL, "dinkes": set(), "norole": set()},
    "renja": {"admin": ALL, "verifier": {"read"}, "dikbud": ALL, "dinkes": set(), "norole": set()},
    "row": {"admin": ALL, "verifier": {"read"}, "dikbud": ALL, "dinkes": set(), "norole": set()},
    "ceiling": {"admin": ALL, "verifier": {"read"}, "dikbud": {"read"}, "dinkes": set(), "norole": set()},
    "rkpd": {"admin": ALL, "verifier": {"read"}, "dikbud": {"read"}, "dinkes": {"read"}, "norole": set()},
}


def kinds(world, plans):
    """Per kind: listing URL and a text only the object's row shows, its detail URL, and the add,
    edit and delete requests with a check of what they wrote."""
    period, renstra, renja, row, ceiling, rkpd = (plans[k] for k in ("period", "renstra", "renja", "row", "ceiling", "rkpd"))
    base = "/admin/perencanaan"
    return {
        "period": dict(
            listing=(f"{base}/periode/", "RPJMD 2025-2029"), detail=f"{base}/periode/inspect/{period.pk}/",
            add=(f"{base}/periode/new/", {"kind": "rpjmd", "name": "RPJMD Baru", "start_year": 2035, "end_year": 2039}),
            created=lambda: PlanningPeriod.objects.filter(name="RPJMD Baru").exists(),
            edit=(f"{base}/periode/edit/{period.pk}/", {"kind": "rpjmd", "name": "RPJMD Diubah", "start_year": 2025, "end_year": 2029}),
            changed=lambda: PlanningPeriod.objects.filter(name="RPJMD Diubah").exists(),
            # The spare period: one a Renstra points at is protected (tested below).
            delete=f"{base}/periode/delete/{plans['spare_period'].pk}/", gone=lambda: not PlanningPeriod.objects.filter(pk=plans["spare_period"].pk).exists(),
        ),
        "renstra": dict(
            listing=(f"{base}/renstra/", f"/renstra/inspect/{renstra.pk}/"), detail=f"{base}/renstra/inspect/{renstra.pk}/",
            add=(f"{base}/renstra/new/", {"period": plans["spare_period"].pk, "perangkat_daerah": world.dikbud.pk, "notes": ""}),
            created=lambda: Renstra.objects.filter(period=plans["spare_period"]).exists(),
            edit=(f"{base}/renstra/edit/{renstra.pk}/", {"notes": "diubah"}),
            changed=lambda: Renstra.objects.filter(pk=renstra.pk, notes="diubah").exists(),
            delete=f"{base}/renstra/delete/{renstra.pk}/", gone=lambda: not Renstra.objects.filter(pk=renstra.pk).exists(),
        ),
        "renja": dict(
            listing=(f"{base}/renja/", f"/renja/inspect/{renja.pk}/"), detail=f"{base}/renja/inspect/{renja.pk}/",
            add=(f"{base}/renja/new/", {"perangkat_daerah": world.dikbud.pk, "year": 2027, "notes": ""}),
            created=lambda: Renja.objects.filter(year=2027).exists(),
            edit=(f"{base}/renja/edit/{renja.pk}/", {"notes": "diubah"}),
            changed=lambda: Renja.objects.filter(pk=renja.pk, notes="diubah").exists(),
            delete=f"{base}/renja/delete/{renja.pk}/", gone=lambda: not Renja.objects.filter(pk=renja.pk).exists(),
        ),
        "row": dict(
            listing=(f"{base}/renja/inspect/{renja.pk}/", "1.01.01.2.01.0001"), detail=f"{base}/renja/inspect/{renja.pk}/",
            add=(f"{base}/renja/{renja.pk}/baris/baru/", row_data(world, "1.01.01.2.01.0002", "100000")),
            created=lambda: RenjaRow.objects.filter(sub_kegiatan=world.subs["1.01.01.2.01.0002"]).exists(),
            edit=(f"{base}/renja/{renja.pk}/baris/{row.pk}/", row_data(world, "1.01.01.2.01.0001", "450000")),
            changed=lambda: RenjaRow.objects.filter(pk=row.pk, pagu_indikatif=Decimal("450000")).exists(),
            delete=f"{base}/renja/{renja.pk}/baris/{row.pk}/hapus/", gone=lambda: not RenjaRow.objects.filter(pk=row.pk).exists(),
        ),
        "ceiling": dict(
            listing=(f"{base}/plafon/", "Rp 1.000.000"), detail=None,
            add=(f"{base}/plafon/new/", {"perangkat_daerah": world.dikbud.pk, "year": 2027, "sumber_dana": "", "amount": "500.000"}),
            created=lambda: PaguCeiling.objects.filter(year=2027).exists(),
            edit=(f"{base}/plafon/edit/{ceiling.pk}/", {"amount": "2.000.000"}),
            changed=lambda: PaguCeiling.objects.filter(pk=ceiling.pk, amount=Decimal("2000000")).exists(),
            delete=f"{base}/plafon/delete/{ceiling.pk}/", gone=lambda: not PaguCeiling.objects.filter(pk=ceiling.pk).exists(),
        ),
        "rkpd": dict(
            listing=(f"{base}/rkpd/", f"/rkpd/inspect/{rkpd.pk}/"), detail=f"{base}/rkpd/inspect/{rkpd.pk}/",
            add=(f"{base}/rkpd/new/", {"year": 2027, "theme": "Tema 2027"}),
            created=lambda: Rkpd.objects.filter(year=2027).exists(),
            edit=(f"{base}/rkpd/edit/{rkpd.pk}/", {"year": 2026, "theme": "Tema diubah"}),
            changed=lambda: Rkpd.objects.filter(pk=rkpd.pk, theme="Tema diubah").exists(),
            delete=f"{base}/rkpd/delete/{rkpd.pk}/", gone=lambda: not Rkpd.objects.filter(pk=rkpd.pk).exists(),
        ),
    }


def row_data(world, code, pagu):
    data = {
        "sub_kegiatan": world.subs[code].pk, "target_group": "", "start_month": 1, "end_month": 12, "notes": "",
        "prakiraan_maju_amount": "",
        "lokasi-TOTAL_FORMS": 1, "lokasi-INITIAL_FORMS": 0, "lokasi-0-wilayah": "*", "lokasi-0-description": "",
        "pendanaan-TOTAL_FORMS": 1, "pendanaan-INITIAL_FORMS": 0, "pendanaan-0-sumber_dana": world.dau.pk, "pendanaan-0-pagu": pagu,
    }
    for level in ("capaian", "hasil", "keluaran"):
        data.update({f"{level}_text": "", f"{level}_satuan": "", f"{level}_target": "", f"{level}_target_next": ""})
    return data


@pytest.mark.parametrize("kind", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, world, plans, role, kind):
    spec = kinds(world, plans)[kind]
    expected = EXPECTED[kind][role]
    login(client, world, role)

    # Read: the listing contains or omits the object; its detail page opens or is refused.
    url, marker = spec["listing"]
    response = client.get(url)
    if "read" in expected:
        assert response.status_code == 200, (role, kind)
        assert marker in response.content.decode(), f"{role} should see {kind} in {url}"
    else:
        assert refused(response) or marker not in response.content.decode(), f"{role} must not see {kind}"
    if spec["detail"]:
        response = client.get(spec["detail"])
        assert (response.status_code == 200) == ("read" in expected), (role, kind, response.status_code)
        if "read" not in expected:
            assert refused(response)

    # Change: the edit page and its POST.
    url, data = spec["edit"]
    page = client.get(url)
    response = client.post(url, data)
    if "change" in expected:
        assert page.status_code == 200, (role, kind)
        assert response.status_code == 302 and spec["changed"](), (role, kind, response.status_code)
    else:
        assert refused(page), (role, kind, page.status_code)
        assert refused(response) and not spec["changed"](), (role, kind)

    # Create (for the Dinas Pendidikan, or region-wide).
    url, data = spec["add"]
    page = client.get(url)
    response = client.post(url, data)
    if "create" in expected:
        assert page.status_code == 200, (role, kind)
        assert response.status_code == 302 and spec["created"](), (role, kind, response.status_code)
    else:
        # Refused outright, or (an OPD operator's form offers only its own department) not valid.
        assert refused(page) or page.status_code == 200, (role, kind)
        assert refused(response) or response.status_code == 200, (role, kind)
        assert not spec["created"](), f"{role} created a {kind}"

    # Delete last.
    page = client.get(spec["delete"])
    response = client.post(spec["delete"])
    if "delete" in expected:
        assert page.status_code == 200, (role, kind)
        assert response.status_code == 302 and spec["gone"](), (role, kind)
    else:
        assert refused(page) and refused(response), (role, kind)
        assert not spec["gone"](), f"{role} deleted a {kind}"


def test_another_departments_draft_by_guessed_id_is_not_found(client, world, plans):
    """The Dinas Kesehatan's operator types the ids of the Dinas Pendidikan's drafts: 404, nothing written."""
    login(client, world, "dinkes")
    renja, row, renstra = plans["renja"], plans["row"], plans["renstra"]
    for url in [
        f"/admin/perencanaan/renja/inspect/{renja.pk}/", f"/admin/perencanaan/renja/edit/{renja.pk}/",
        f"/admin/perencanaan/renja/history/{renja.pk}/", f"/admin/perencanaan/renja/{renja.pk}/baris/{row.pk}/",
        f"/admin/perencanaan/renja/{renja.pk}/sub-kegiatan/?q=1", f"/admin/perencanaan/renstra/inspect/{renstra.pk}/",
    ]:
        assert client.get(url).status_code == 404, url
    # Ceilings are never an operator's to change: refused before any lookup.
    assert refused(client.get(f"/admin/perencanaan/plafon/edit/{plans['ceiling'].pk}/"))
    response = client.post(f"/admin/perencanaan/renja/{renja.pk}/baris/{row.pk}/", row_data(world, "1.01.01.2.01.0001", "1"))
    assert response.status_code == 404
    assert RenjaRow.objects.get(pk=row.pk).pagu_indikatif == Decimal("400000")
    # Another department's row under the operator's own Renja id: still not found.
    own = Renja.objects.create(perangkat_daerah=world.dinkes, year=2026)
    assert client.get(f"/admin/perencanaan/renja/{own.pk}/baris/{row.pk}/").status_code == 404


def test_published_renja_of_another_department_is_read_only(client, world, plans):
    Renja.objects.filter(pk=plans["renja"].pk).update(is_published=True)
    login(client, world, "dinkes")
    renja = plans["renja"]
    assert f"/renja/inspect/{renja.pk}/" in client.get("/admin/perencanaan/renja/").content.decode()
    page = client.get(f"/admin/perencanaan/renja/inspect/{renja.pk}/")
    assert page.status_code == 200 and "Tambah baris" not in page.content.decode()
    assert refused(client.get(f"/admin/perencanaan/renja/edit/{renja.pk}/"))
    assert refused(client.post(f"/admin/perencanaan/renja/{renja.pk}/baris/{plans['row'].pk}/", row_data(world, "1.01.01.2.01.0001", "1")))
    assert RenjaRow.objects.get(pk=plans["row"].pk).pagu_indikatif == Decimal("400000")


def test_publication_is_bappedas(client, world, plans):
    renja = plans["renja"]
    login(client, world, "dikbud")
    client.post(f"/admin/perencanaan/renja/publish/{renja.pk}/", {"published": "1"})
    assert not Renja.objects.get(pk=renja.pk).is_published
    login(client, world, "admin")
    assert client.post(f"/admin/perencanaan/renja/publish/{renja.pk}/", {"published": "1"}).status_code == 302
    assert Renja.objects.get(pk=renja.pk).is_published


@pytest.mark.parametrize("url", ["/admin/perencanaan/renja/", "/admin/perencanaan/renstra/", "/admin/perencanaan/plafon/", "/admin/perencanaan/periode/", "/admin/perencanaan/rkpd/"])
def test_listings_cost_the_same_for_one_or_many_rows(client, world, plans, url, django_assert_max_num_queries):
    from backoffice.reference.models import PerangkatDaerah

    login(client, world, "admin")
    client.get(url)  # warm caches (content types, site)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for n in range(12):
        unit = PerangkatDaerah.objects.create(code=f"1.01.0.00.0.00.{n + 10:02d}.0000", name=f"Unit {n}")
        Renja.objects.create(perangkat_daerah=unit, year=2026)
        Renstra.objects.create(perangkat_daerah=unit, period=plans["period"])
        PaguCeiling.objects.create(perangkat_daerah=unit, year=2026, amount=1)
        PlanningPeriod.objects.create(name=f"Periode {n}", start_year=2040 + n, end_year=2044 + n)
        Rkpd.objects.create(year=2030 + n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_period_a_renstra_points_at_is_not_deleted(client, world, plans):
    login(client, world, "admin")
    response = client.post(f"/admin/perencanaan/periode/delete/{plans['period'].pk}/", follow=True)
    assert "masih dipakai" in response.content.decode()
    assert PlanningPeriod.objects.filter(pk=plans["period"].pk).exists()
