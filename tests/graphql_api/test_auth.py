"""Who asks the GraphQL API and what they see: the permission matrix over every root field and kind
of plan object, for the public, each role logged in to the admin (Django session) and each role's
API token; refused tokens; lookups of plans one may not see; the issue_token command."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from backoffice.access.models import ApiToken, Role, hash_key
from tests.factories import make_user
from tests.graphql_api.conftest import URL, post

DIKBUD = "1.01.0.00.0.00.01.0000"
DINKES = "1.02.0.00.0.00.01.0000"
RPJMD, RPD = "RPJMD 2025-2029", "RPD 2030-2031"

MATRIX = """{
  planningPeriods { totalCount results { name } }
  renstraList { totalCount results { perangkatDaerah { code } period { name } } }
  renjaList { totalCount results { perangkatDaerah { code } rows { totalCount } } }
  rkpdList { totalCount results { year } }
  rkpd(year: 2026) { totalPagu rowCount byPerangkatDaerah { code totalPagu } }
}"""

PUBLIC = {
    "periods": [RPJMD],
    "renstra": [(DIKBUD, None), (DIKBUD, RPJMD)],  # the Renstra of the draft RPD is published, the RPD is not
    "renja": [(DIKBUD, 3)],
    "rkpd": [2026],
    "recap": ("1600000.00", 3, [DIKBUD]),
}
BAPPEDA = {
    "periods": [RPD, RPJMD],
    "renstra": [(DIKBUD, RPD), (DIKBUD, RPJMD), (DINKES, RPJMD)],
    "renja": [(DIKBUD, 3), (DINKES, 1)],
    "rkpd": [2027, 2026],
    "recap": ("2100000.00", 4, [DIKBUD, DINKES]),
}
# An OPD operator reads region-wide plans (drafts too), its own department's drafts and the other
# departments' published plans.
OPERATOR_DIKBUD = {**BAPPEDA, "renstra": [(DIKBUD, RPD), (DIKBUD, RPJMD)], "renja": [(DIKBUD, 3)], "recap": PUBLIC["recap"]}
OPERATOR_DINKES = BAPPEDA
EXPECTED = {"admin": BAPPEDA, "verifier": BAPPEDA, "dikbud": OPERATOR_DIKBUD, "dinkes": OPERATOR_DINKES}

WHO = ["public"] + [f"{kind}:{name}" for kind in ("session", "token") for name in ("admin", "verifier", "dikbud", "dinkes")]


def seen(data):
    rkpd = data["rkpd"]
    return {
        "periods": [p["name"] for p in data["planningPeriods"]["results"]],
        "renstra": [(r["perangkatDaerah"]["code"], (r["period"] or {}).get("name")) for r in data["renstraList"]["results"]],
        "renja": [(r["perangkatDaerah"]["code"], r["rows"]["totalCount"]) for r in data["renjaList"]["results"]],
        "rkpd": [r["year"] for r in data["rkpdList"]["results"]],
        "recap": (rkpd["totalPagu"], rkpd["rowCount"], [g["code"] for g in rkpd["byPerangkatDaerah"]]),
    }


@pytest.mark.parametrize("who", WHO)
def test_permission_matrix(ask, plans, who):
    body = ask(who, MATRIX)
    assert "errors" not in body, body["errors"]
    expected = PUBLIC if who == "public" else EXPECTED[who.partition(":")[2]]
    assert seen(body["data"]) == expected
    assert body["data"]["renjaList"]["totalCount"] == len(expected["renja"])


LOOKUPS = {
    "renja of dinkes 2026 (draft)": ('{ renja(perangkatDaerahCode: "%s", year: 2026) { year } }' % DINKES, "renja"),
    "renstra of dinkes 2025-2029 (draft)": ('{ renstra(perangkatDaerahCode: "%s", year: 2026) { id } }' % DINKES, "renstra"),
    "rkpd 2027 (draft)": ("{ rkpd(year: 2027) { year totalPagu } }", "rkpd"),
}
# Who may see each draft looked up by its key.
MAY_SEE = {
    "renja of dinkes 2026 (draft)": {"admin", "verifier", "dinkes"},
    "renstra of dinkes 2025-2029 (draft)": {"admin", "verifier", "dinkes"},
    "rkpd 2027 (draft)": {"admin", "verifier", "dikbud", "dinkes"},
}


@pytest.mark.parametrize("lookup", list(LOOKUPS))
@pytest.mark.parametrize("who", WHO)
def test_looking_up_a_draft_one_may_not_see_is_an_error_not_a_null(ask, plans, who, lookup):
    query, field = LOOKUPS[lookup]
    body = ask(who, query)
    if who.partition(":")[2] in MAY_SEE[lookup]:
        assert "errors" not in body, body["errors"]
        assert body["data"][field] is not None
    else:
        assert body["data"] == {field: None}
        [error] = body["errors"]
        assert "tidak berwenang" in error["message"]
        assert error["extensions"] == {"code": "FORBIDDEN"}
        assert error["path"] == [field]


def test_an_operator_guessing_another_departments_draft_is_refused(ask, plans):
    body = ask("session:dikbud", '{ renja(perangkatDaerahCode: "%s", year: 2026) { rows { results { paguIndikatif } } } }' % DINKES)
    assert body["errors"][0]["message"] == "Anda tidak berwenang melihat Renja PD ini."
    assert body["data"] == {"renja": None}
    # while its own draft is there for it
    own = ask("session:dinkes", '{ renja(perangkatDaerahCode: "%s", year: 2026) { isPublished rows { totalCount } } }' % DINKES)
    assert own["data"]["renja"] == {"isPublished": False, "rows": {"totalCount": 1}}


def test_staff_without_a_role_see_what_the_public_sees(client, plans):
    client.force_login(make_user("tamu"))
    assert seen(post(client, MATRIX)["data"]) == PUBLIC


def test_a_superuser_session_acts_as_bappeda_admin(client, plans):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("root", password="rahasia-123"))
    assert seen(post(client, MATRIX)["data"]) == BAPPEDA


def test_a_logged_out_session_is_the_public(client, world, plans):
    client.force_login(world.users["verifier"])
    client.logout()
    assert seen(post(client, MATRIX)["data"]) == PUBLIC


# --------------------------------------------------------------------------------------------
# API tokens

INVALID = "Token API tidak sah atau sudah dicabut."


def issue(world, role=Role.BAPPEDA_VERIFIER, unit=None, **extra):
    return ApiToken.issue(name="Portal Data", role=role, perangkat_daerah=unit, **extra)


def call(key=None, query=MATRIX, header=None, client=None):
    client = client or Client(enforce_csrf_checks=True)
    headers = {"Authorization": header if header is not None else f"Bearer {key}"} if (key or header is not None) else {}
    return client.post(URL, json.dumps({"query": query}), content_type="application/json", headers=headers)


def refused(response, message=INVALID):
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {"data": None, "errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]}
    return True


def test_a_bearer_token_acts_in_its_role_and_records_its_use(world, plans):
    token, key = issue(world)
    assert token.last_used_at is None
    response = call(key)
    assert response.status_code == 200
    assert seen(response.json()["data"]) == BAPPEDA
    token.refresh_from_db()
    assert token.last_used_at is not None and timezone.now() - token.last_used_at < timedelta(minutes=1)


def test_an_operator_token_sees_its_own_departments_drafts(world, plans):
    _, key = issue(world, Role.OPD_OPERATOR, world.dinkes)
    assert seen(call(key).json()["data"]) == OPERATOR_DINKES


def test_a_token_works_over_get_too(world, plans):
    _, key = issue(world)
    response = Client().get(URL, {"query": "{ renjaList { totalCount } }"}, HTTP_ACCEPT="application/json", headers={"Authorization": f"Bearer {key}"})
    assert response.json() == {"data": {"renjaList": {"totalCount": 2}}}


def test_a_revoked_token_is_refused(world, plans):
    token, key = issue(world)
    assert call(key).status_code == 200
    token.revoke()
    assert refused(call(key))


def test_an_expired_token_is_refused(world, plans):
    _, key = issue(world, expires_at=timezone.now() - timedelta(seconds=1))
    assert refused(call(key))


@pytest.mark.parametrize(
    "header, message",
    [
        ("Bearer not-a-key", INVALID),
        ("Bearer ", INVALID),
        ("bearer   ", INVALID),
        ("Basic dXNlcjpwYXNz", 'Header Authorization harus berbentuk "Bearer <token API>".'),
        ("Token abc", 'Header Authorization harus berbentuk "Bearer <token API>".'),
    ],
)
def test_bad_credentials_are_refused_not_served_as_public(db, header, message):
    assert refused(call(header=header), message)


def test_a_bad_token_is_refused_even_with_a_logged_in_session(world, plans):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["verifier"])
    assert refused(call(header="Bearer revoked-or-mistyped", client=client))


def test_a_token_takes_precedence_over_the_session(world, plans):
    """A page of the admin logged in as the dikbud operator that calls with a verifier's token acts
    as the token: the credentials a request names explicitly are the ones it acts with."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["dikbud"])
    _, key = issue(world)
    assert seen(call(key, client=client).json()["data"]) == BAPPEDA


def test_the_principal_is_resolved_once_per_request(world, plans, monkeypatch):
    from graphql_api import views

    calls = []
    real = views.principal_for_request

    def counting(request):
        calls.append(request)
        return real(request)

    monkeypatch.setattr(views, "principal_for_request", counting)
    _, key = issue(world)
    assert call(key).status_code == 200
    assert len(calls) == 1


def test_the_browser_still_gets_graphiql_with_a_session(client, world):
    client.force_login(world.users["verifier"])
    response = client.get(URL, HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and "graphiql" in response.content.decode().lower()


# --------------------------------------------------------------------------------------------
# manage.py issue_token


def run_issue_token(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("issue_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_issue_token_prints_the_key_once_and_stores_only_its_hash(world):
    out, err = run_issue_token("--name", "Portal", "--role", "bappeda_verifier")
    key = out.strip()
    assert out == key + "\n" and len(key) >= 40
    assert "Portal" in err and "Verifikator Bappeda" in err and key not in err
    token = ApiToken.objects.get()
    assert (token.name, token.role, token.perangkat_daerah, token.expires_at) == ("Portal", "bappeda_verifier", None, None)
    assert token.key_hash == hash_key(key) and key not in (token.key_prefix + token.key_hash)
    assert ApiToken.authenticate(key) == token


def test_issue_token_for_a_department_with_an_expiry(world):
    out, _ = run_issue_token(
        "--name", "Aplikasi Dinkes", "--role", "opd_operator", "--perangkat-daerah", DINKES, "--expires-in-days", "30", "--created-by", "bappeda"
    )
    token = ApiToken.authenticate(out.strip())
    assert (token.perangkat_daerah, token.created_by) == (world.dinkes, world.users["admin"])
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)


def test_issue_token_for_a_village_system(world):
    from backoffice.reference.models import Wilayah

    kecamatan = Wilayah.objects.create(code="53.01.05", name="Kupang Barat", level="kecamatan", kind="kecamatan")
    desa = Wilayah.objects.create(code="53.01.05.2001", name="Oelnasi", level="desa_kelurahan", kind="desa", parent=kecamatan)
    out, err = run_issue_token("--name", "SID Oelnasi", "--role", "desa_operator", "--wilayah", "53.01.05.2001")
    assert ApiToken.authenticate(out.strip()).wilayah == desa
    assert "untuk Oelnasi" in err


@pytest.mark.parametrize(
    "args, message",
    [
        (["--role", "opd_operator"], "pilih perangkat daerahnya"),
        (["--role", "desa_operator"], "pilih wilayahnya"),
        (["--role", "desa_operator", "--wilayah", "53.99.99.2999"], "Wilayah dengan kode 53.99.99.2999 tidak ada"),
        (["--role", "bappeda_verifier", "--perangkat-daerah", DINKES], "kosongkan"),
        (["--role", "opd_operator", "--perangkat-daerah", "9.99.0.00.0.00.01.0000"], "tidak ada"),
        (["--role", "bappeda_admin", "--expires-in-days", "0"], "lebih dari 0"),
    ],
)
def test_issue_token_refuses_a_bad_scope(world, args, message):
    with pytest.raises(CommandError, match=message):
        run_issue_token("--name", "Portal", *args)
    assert not ApiToken.objects.exists()


def test_an_issued_token_works_against_the_api(world, plans):
    out, _ = run_issue_token("--name", "Portal", "--role", "opd_operator", "--perangkat-daerah", DIKBUD)
    assert seen(call(out.strip()).json()["data"]) == OPERATOR_DIKBUD
