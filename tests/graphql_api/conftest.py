"""Helpers for the GraphQL API tests: run a document through the real /graphql/ endpoint."""

import json

import pytest
from django.test import Client

from tests.factories import make_edition, make_nomenclature

URL = "/graphql/"


def post(client, query, variables=None):
    """POST a document as JSON (how other systems call the API) and return the decoded body."""
    response = client.post(URL, json.dumps({"query": query, "variables": variables or {}}), content_type="application/json")
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
