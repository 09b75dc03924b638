"""The /graphql/ endpoint as other systems and browsers use it."""

import json

from django.test import Client

from backoffice.reference.models import Satuan

URL = "/graphql/"
QUERY = "{ satuanList { totalCount results { name } } }"


def test_post_json_needs_no_csrf_token(db):
    Satuan.objects.create(name="Dokumen")
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, json.dumps({"query": QUERY}), content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"data": {"satuanList": {"totalCount": 1, "results": [{"name": "Dokumen"}]}}}


def test_post_with_variables_and_operation_name(db):
    Satuan.objects.create(name="Dokumen")
    Satuan.objects.create(name="Unit")
    body = {
        "query": "query A { a: satuanList { totalCount } } query B($n: String) { satuanList(filters: {nameContains: $n}) { results { name } } }",
        "operationName": "B",
        "variables": {"n": "uni"},
    }
    response = Client(enforce_csrf_checks=True).post(URL, json.dumps(body), content_type="application/json")
    assert response.json() == {"data": {"satuanList": {"results": [{"name": "Unit"}]}}}


def test_get_runs_a_query(db):
    Satuan.objects.create(name="Dokumen")
    response = Client().get(URL, {"query": QUERY}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["data"]["satuanList"]["totalCount"] == 1


def test_get_refuses_a_mutation(db):
    """A mutation over GET (a link, a prefetch) is refused before the schema runs it; the same
    document over POST reaches the mutation, which then asks for a village API token."""
    document = (
        'mutation { submitUsulan(idempotencyKey: "k", input: {year: 2027, desaCode: "53.01.01.2001", '
        'solution: "Sumur bor", volume: 1, satuan: "Unit", estimatedCost: 1}) { errors { field } } }'
    )
    response = Client().get(URL, {"query": document}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.content.decode() == "mutations are not allowed when using GET"

    response = Client().post(URL, json.dumps({"query": document}), content_type="application/json")
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_the_browser_gets_graphiql(db):
    response = Client().get(URL, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "graphiql" in response.content.decode().lower()


def test_server_errors_are_masked(db, monkeypatch):
    """An unexpected failure (not a GraphQL error) must not leak details to a public client."""
    from backoffice.reference.models import Satuan as model

    def broken(*args, **kwargs):
        raise RuntimeError("secret SQL detail")

    monkeypatch.setattr(model.objects, "all", broken)
    response = Client().post(URL, json.dumps({"query": QUERY}), content_type="application/json")
    body = response.json()
    assert [e["message"] for e in body["errors"]] == ["Terjadi kesalahan pada server."]
    assert "secret" not in response.content.decode()
