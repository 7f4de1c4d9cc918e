"""The OpenAPI document describes the API as it answers: schemathesis checks live responses."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from backoffice.api.openapi import openapi_document
from backoffice.clock import utcnow

from ..factories import make_agent, make_org
from .conftest import key_for, make_call, make_ledger_entry

PATHS = {
    "/openapi.json": {"get"},
    "/organization": {"get"},
    "/usage": {"get"},
    "/agents": {"get", "post"},
    "/agents/{agent_id}": {"get", "patch"},
    "/calls": {"get"},
    "/ledger": {"get"},
}


@pytest.fixture
def keyed(ctx):
    """A key whose organization has an agent, a call and ledger entries to describe."""
    holder = key_for(make_org())
    agent = make_agent(holder.org, name="Existing")
    make_call(holder.org, agent, utcnow(), 1)
    make_ledger_entry(holder.org, utcnow(), 1, call_id="call_0001", agent_id=agent.public_id)
    make_ledger_entry(holder.org, utcnow(), 2, kind="credit_grant", credits=1000)
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
    """Drop generated cursors: the API rightly refuses tokens it never issued (tested apart).

    Put a generated date range the right way round: `to` before `from` is refused, a rule
    between two parameters that the document states in words only.
    """
    if query:
        query.pop("cursor", None)
        dates = [query.get("from"), query.get("to")]
        if all(isinstance(day, str) for day in dates) and dates[1] < dates[0]:
            query["from"], query["to"] = dates[1], dates[0]
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
