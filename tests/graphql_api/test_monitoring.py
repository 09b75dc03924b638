"""The annual cycle over GraphQL: quarterly realisation (`realisasiList`, public once accepted for a
set Renja) and the consistency report (`consistencyFindings`, staff only, a department its own)."""

import pytest

from backoffice.access.models import ApiToken, Role
from backoffice.planning.models import PlanStatus, Realisasi, Renja
from backoffice.planning.services import consistency_findings
from tests.graphql_api.conftest import post

DIKBUD = "1.01.0.00.0.00.01.0000"
DINKES = "1.02.0.00.0.00.01.0000"
WHO = ["public"] + [f"{kind}:{name}" for kind in ("session", "token") for name in ("admin", "verifier", "dikbud", "dinkes")]

REALISASI = """query($filters: RealisasiFilter) {
  realisasiList(filters: $filters) {
    totalCount
    results {
      triwulan status physical spent notes
      row { code paguIndikatif }
      capaian { target pagu physical spent physicalPercent spentPercent }
    }
  }
}"""


@pytest.fixture
def reports(plans):
    """Dikbud's 2026 Renja is set and published: row 1 has an accepted TW I and a submitted TW II,
    row 3 a draft TW I. Dinkes' Renja is a draft with an accepted report (never public)."""
    r1, _, r3, r4 = plans.rows
    Renja.objects.filter(pk=plans.renja_dikbud.pk).update(status=PlanStatus.SET)
    accepted, submitted, draft = Realisasi.Status.ACCEPTED, Realisasi.Status.SUBMITTED, Realisasi.Status.DRAFT
    return {
        "r1-1": Realisasi.objects.create(row=r1, triwulan=1, physical=1, spent=300_000, notes="Fondasi", status=accepted),
        "r1-2": Realisasi.objects.create(row=r1, triwulan=2, physical=2, spent=400_000, status=submitted),
        "r3-1": Realisasi.objects.create(row=r3, triwulan=1, physical=0, spent=0, status=draft),
        "r4-1": Realisasi.objects.create(row=r4, triwulan=1, physical=5, spent=100_000, status=accepted),
    }


def seen(body):
    assert "errors" not in body, body["errors"]
    return [(r["row"]["code"], r["triwulan"]) for r in body["data"]["realisasiList"]["results"]]


# Sorted by year, department code, sub kegiatan code, triwulan.
R1, R3, R4 = "1.01.02.2.01.0001", "1.01.02.2.01.0002", "1.02.01.2.01.0001"
EXPECTED = {
    "public": [(R1, 1)],
    "admin": [(R1, 1), (R1, 2), (R3, 1), (R4, 1)],
    "verifier": [(R1, 1), (R1, 2), (R3, 1), (R4, 1)],
    "dikbud": [(R1, 1), (R1, 2), (R3, 1)],  # its own reports at every status
    "dinkes": [(R1, 1), (R4, 1)],  # its own, and what the public sees of others
}


@pytest.mark.parametrize("who", WHO)
def test_realisasi_permission_matrix(ask, reports, who):
    assert seen(ask(who, REALISASI)) == EXPECTED[who.partition(":")[2] or "public"]


def test_public_realisasi_with_computed_capaian(ask, reports):
    [report] = ask("public", REALISASI)["data"]["realisasiList"]["results"]
    assert report == {
        "triwulan": 1, "status": "ACCEPTED", "physical": "1.0000", "spent": "300000.00", "notes": "Fondasi",
        "row": {"code": R1, "paguIndikatif": "1200000.00"},
        # target 4 units, pagu Rp 1,200,000: 1 unit and Rp 300,000 are 25 %.
        "capaian": {"target": "4.0000", "pagu": "1200000.00", "physical": "1.0000", "spent": "300000.00", "physicalPercent": "25.00", "spentPercent": "25.00"},
    }


def test_capaian_counts_only_accepted_quarters(ask, reports):
    body = ask("session:admin", REALISASI, filters={"perangkatDaerahCode": DIKBUD, "triwulan": 2})
    [report] = body["data"]["realisasiList"]["results"]
    assert report["status"] == "SUBMITTED"
    assert report["capaian"]["physical"] == "1.0000" and report["capaian"]["physicalPercent"] == "25.00"
    Realisasi.objects.filter(pk=reports["r1-2"].pk).update(status=Realisasi.Status.ACCEPTED)
    [report] = ask("session:admin", REALISASI, filters={"perangkatDaerahCode": DIKBUD, "triwulan": 2})["data"]["realisasiList"]["results"]
    assert report["capaian"]["physical"] == "3.0000" and report["capaian"]["physicalPercent"] == "75.00"


def test_realisasi_filters_and_ordering(ask, reports):
    assert seen(ask("session:admin", REALISASI, filters={"status": "ACCEPTED"})) == [(R1, 1), (R4, 1)]
    assert seen(ask("session:admin", REALISASI, filters={"year": 2027})) == []
    assert seen(ask("session:admin", REALISASI, filters={"subKegiatanCode": "1.01.02.2.01.0002"})) == [(R3, 1)]
    body = ask("session:admin", "{ realisasiList(ordering: [{triwulan: DESC}]) { results { triwulan } } }")
    assert [r["triwulan"] for r in body["data"]["realisasiList"]["results"]][0] == 2


def test_realisasi_list_costs_the_same_for_few_and_many_reports(ask, reports, django_assert_num_queries, plans):
    ask("token:admin", REALISASI)  # issues the token outside the count
    # token, count, page of reports with rows, accepted reports, indicators, targets
    with django_assert_num_queries(6):
        ask("token:admin", REALISASI)
    for triwulan in (3, 4):
        for row in plans.rows:
            Realisasi.objects.create(row=row, triwulan=triwulan, physical=1, spent=1, status=Realisasi.Status.ACCEPTED)
    with django_assert_num_queries(6):
        assert ask("token:admin", REALISASI)["data"]["realisasiList"]["totalCount"] == 12


FINDINGS = """query($year: Int!, $unit: String, $blocking: Boolean! = false) {
  consistencyFindings(year: $year, perangkatDaerahCode: $unit, blockingOnly: $blocking) {
    kind label blocking perangkatDaerah { code } subject message adminUrl
  }
}"""


def codes(body):
    assert "errors" not in body, body["errors"]
    return {f["perangkatDaerah"]["code"] for f in body["data"]["consistencyFindings"]}


def error_code(body):
    return body["errors"][0]["extensions"]["code"]


def test_consistency_findings_are_the_services_findings(ask, plans):
    expected = consistency_findings(2026)
    assert expected, "the plans fixture has breaks in its cascade (rows without indicators, no Renstra for Dinkes ...)"
    findings = ask("token:verifier", FINDINGS, year=2026)["data"]["consistencyFindings"]
    assert [(f["kind"].lower(), f["message"]) for f in findings] == [(f.kind, f.message) for f in expected]
    assert all(f["adminUrl"].startswith("http://testserver/admin/") for f in findings)
    assert all(f["label"] and f["subject"] for f in findings)

    blocking = ask("token:verifier", FINDINGS, year=2026, blocking=True)["data"]["consistencyFindings"]
    assert blocking and all(f["blocking"] for f in blocking)
    assert len(blocking) == sum(1 for f in expected if f.blocking)


@pytest.mark.parametrize("who", ["session:admin", "session:verifier", "token:admin", "token:verifier"])
def test_bappeda_sees_the_region_or_one_department(ask, plans, who):
    assert codes(ask(who, FINDINGS, year=2026)) == {DIKBUD, DINKES}
    assert codes(ask(who, FINDINGS, year=2026, unit=DINKES)) == {DINKES}


@pytest.mark.parametrize("who", ["session:dikbud", "token:dikbud"])
def test_a_department_sees_only_its_own_findings(ask, plans, who):
    assert codes(ask(who, FINDINGS, year=2026)) == {DIKBUD}
    assert codes(ask(who, FINDINGS, year=2026, unit=DIKBUD)) == {DIKBUD}
    body = ask(who, FINDINGS, year=2026, unit=DINKES)
    assert error_code(body) == "FORBIDDEN" and "perangkat daerah Anda sendiri" in body["errors"][0]["message"]


def test_the_public_and_territorial_roles_get_no_findings(ask, plans, client):
    body = ask("public", FINDINGS, year=2026)
    assert error_code(body) == "FORBIDDEN" and body["data"] is None
    _, key = ApiToken.issue(name="Sistem kecamatan", role=Role.KECAMATAN_OPERATOR, wilayah=plans.region.a)
    body = post(client, FINDINGS, {"year": 2026}, token=key)
    assert error_code(body) == "FORBIDDEN"


def test_unknown_department_is_named(ask, plans):
    body = ask("session:admin", FINDINGS, year=2026, unit="9.99.0.00.0.00.01.0000")
    assert error_code(body) == "NOT_FOUND" and "9.99.0.00.0.00.01.0000" in body["errors"][0]["message"]


def test_a_year_without_renja_has_no_findings(ask, plans):
    assert ask("session:admin", FINDINGS, year=2031)["data"]["consistencyFindings"] == []
