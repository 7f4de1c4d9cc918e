"""The OpenAPI document describes the API as it answers: schemathesis checks live responses."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from backoffice.api.openapi import openapi_document

from ..factories import make_agent, make_org
from .conftest import key_for

PATHS = {
    "/openapi.json": {"get"},
    "/organization": {"get"},
    "/usage": {"get"},
    "/agents": {"get", "post"},
    "/agents/{agent_id}": {"get", "patch"},
    "/calls": {"get"},
}


@pytest.fixture
def keyed(ctx):
    holder = key_for(make_org())
    make_agent(holder.org, name="Existing")
    return holder


def test_document_lists_every_endpoint(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document == openapi_document("http://localhost/api/v1")
    assert document["openapi"].startswith("3.1")
    described = {path: set(item) - {"parameters"} for path, item in document["paths"].items()}
    assert described == PATHS
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    routes = {
        rule.rule.removeprefix("/api/v1").replace("<public_id>", "{agent_id}")
        for rule in client.application.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
    }
    assert routes == set(PATHS)


# Built from the document itself: schemathesis' lazy fixture loader does not run on pytest 9.
schema = schemathesis.openapi.from_dict(openapi_document("http://localhost/api/v1"))


@schema.hook
def map_query(context, query):
    """Drop generated cursors: the API rightly refuses tokens it never issued (tested apart)."""
    if query:
        query.pop("cursor", None)
    return query


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_document(app, case, keyed):
    case.operation.schema.app = app  # the session's app exists only once fixtures have run
    case.call_and_validate(app=app, headers=keyed.headers)
