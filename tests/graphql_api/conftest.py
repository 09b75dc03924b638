"""Helpers for the GraphQL API tests: run a document through the real /graphql/ endpoint.

The planning `world` (tests/planning/conftest.py: nomenclature, two departments, sumber dana, one
user per role) is imported here so the e-Planning API tests can use it as it is.
"""

import json

import pytest
from django.test import Client

from tests.factories import make_edition, make_nomenclature
from tests.planning.conftest import world  # noqa: F401  (a fixture, used by the planning API tests)

URL = "/graphql/"


def post(client, query, variables=None, token=None):
    """POST a document as JSON (how other systems call the API) and return the decoded body;
    `token`: send it as `Authorization: Bearer <token>`."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post(
        URL, json.dumps({"query": query, "variables": variables or {}}), content_type="application/json", headers=headers
    )
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    return response.json()


@pytest.fixture
def client():
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def gql(client, db):
    """gql(query, **variables) -> data; fails the test on any GraphQL error."""

    def run(query, **variables):
        body = post(client, query, variables)
        assert "errors" not in body, body["errors"]
        return body["data"]

    return run


@pytest.fixture
def gql_errors(client, db):
    """gql_errors(query, **variables) -> the list of error messages (asserts there is at least one)."""

    def run(query, **variables):
        body = post(client, query, variables)
        assert body.get("errors"), f"expected an error, got {body}"
        return [error["message"] for error in body["errors"]]

    return run


@pytest.fixture
def edition(db):
    return make_edition("Permendagri 90/2019", 2021)


@pytest.fixture
def tree(edition):
    """A small tree: urusan 1-2, bidang x2, program x2, kegiatan x2, sub kegiatan x2 (32 sub kegiatan)."""
    return make_nomenclature(edition, urusan=2, bidang=2, program=2, kegiatan=2, sub_kegiatan=2)


@pytest.fixture
def plans(world):
    """Published and draft plans with hand-computable amounts (see tests/graphql_api/plans.py)."""
    from tests.graphql_api.plans import build_plans

    return build_plans(world)


@pytest.fixture
def ask(world):
    """ask(who, query, **variables) -> the decoded body (data and errors), where `who` is
    - "public": no credentials;
    - "session:<name>": the world's user <name> (admin, verifier, dikbud, dinkes) logged in;
    - "token:<name>": an API token with the role and perangkat daerah of that user's profile."""
    from backoffice.access.models import ApiToken

    keys = {}

    def run(who, query, **variables):
        client = Client(enforce_csrf_checks=True)
        kind, _, name = who.partition(":")
        token = None
        if kind == "session":
            client.force_login(world.users[name])
        elif kind == "token":
            if name not in keys:
                profile = world.users[name].access_profile
                keys[name] = ApiToken.issue(name=f"Sistem {name}", role=profile.role, perangkat_daerah=profile.perangkat_daerah)[1]
            token = keys[name]
        else:
            assert who == "public", who
        return post(client, query, variables, token=token)

    return run
