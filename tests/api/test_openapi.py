"""The OpenAPI document describes the API as it answers: schemathesis checks live responses."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from backoffice.api.openapi import openapi_document
from backoffice.clock import utcnow
from backoffice.models import ApiKey
from backoffice.services.api_keys import hash_secret, make_secret

from ..factories import make_agent, make_org
from .conftest import bearer, make_call, make_ledger_entry

PATHS = {
    "/openapi.json": {"get"},
    "/organization": {"get"},
    "/usage": {"get"},
    "/agents": {"get", "post"},
    "/agents/{agent_id}": {"get", "patch"},
    "/calls": {"get"},
    "/ledger": {"get"},
}


# One secret for the whole run, so schemathesis knows it as the configured credentials.
SECRET = make_secret()


@pytest.fixture
def keyed(ctx):
    """SECRET as the key of an organization with an agent, a call and ledger entries."""
    org = make_org(api_access_enabled=True)
    ApiKey.create(
        organization=org, key_hash=hash_secret(SECRET), prefix=SECRET[:12], last_four=SECRET[-4:]
    )
    agent = make_agent(org, name="Existing")
    make_call(org, agent, utcnow(), 1)
    make_ledger_entry(org, utcnow(), 1, call_id="call_0001", agent_id=agent.public_id)
    make_ledger_entry(org, utcnow(), 2, kind="credit_grant", credits=1000)
    return org


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
schema.config.update(headers=bearer(SECRET))


@schema.hook
def filter_query(context, query):
    """Skip generated cursors and backwards date ranges, which the API rightly refuses.

    A cursor is a token the API issues (bad ones are tested apart); `to` before `from` breaks
    a rule between two parameters that the document can state in words only.
    """
    if not query:
        return True
    dates = [query.get("from"), query.get("to")]
    backwards = all(isinstance(day, str) for day in dates) and dates[1] < dates[0]
    return "cursor" not in query and not backwards


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms_to_its_document(app, case, keyed):
    case.operation.schema.app = app  # the session's app exists only once fixtures have run
    case.call_and_validate(app=app)
