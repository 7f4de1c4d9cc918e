"""API fixtures: an organization with API access and its freshly generated key."""

import logging
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from backoffice.extensions import limiter
from backoffice.models import ApiKey, Call, LedgerEntry, Organization
from backoffice.services.api_keys import generate_key
from backoffice.services.base import Actor

from ..conftest import another_app
from ..factories import make_org


@dataclass
class KeyHolder:
    """An organization and the secret of its active key, as a CRM integration would hold them."""

    org: Organization
    key: ApiKey
    secret: str

    @property
    def headers(self) -> dict:
        return bearer(self.secret)


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def key_for(org: Organization) -> KeyHolder:
    """Enable API access for org and generate its key, as the Settings tab does."""
    if not org.api_access_enabled:
        Organization.update(api_access_enabled=True).where(Organization.id == org.id).execute()
        org.api_access_enabled = True
    key, secret = generate_key(Actor.system("test"), org, None)
    return KeyHolder(org, key, secret)


def make_call(org, agent, started_at, n):
    return Call.create(
        public_id=f"call_{n:04d}",
        organization=org,
        agent=agent,
        started_at=started_at,
        duration_seconds=60 + n,
        direction="inbound",
        from_number="+14155550100",
        to_number="+14155550199",
    )


def make_ledger_entry(org, when, n, **values):
    return LedgerEntry.create(
        organization=org,
        created_at=when,
        kind=values.pop("kind", "call"),
        credits=values.pop("credits", -10),
        balance_after=values.pop("balance_after", 0),
        idempotency_key=f"test-{org.id}-{n}",
        **values,
    )


@pytest.fixture
def holder(ctx) -> KeyHolder:
    return key_for(make_org(name="Acme Calls"))


@pytest.fixture
def api(client, holder):
    """The test client, with the key sent on every request."""

    class KeyedClient:
        def __getattr__(self, method):
            def send(path, **kwargs):
                headers = {**holder.headers, **kwargs.pop("headers", {})}
                return getattr(client, method)(f"/api/v1{path}", headers=headers, **kwargs)

            return send

    return KeyedClient()


class QueryLog(logging.Handler):
    """Collects the SQL statements peewee runs."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.queries: list[str] = []

    def emit(self, record):
        if record.name == "peewee":  # not peewee.pool's connection messages
            self.queries.append(record.getMessage())


@contextmanager
def counting_queries():
    peewee_log = logging.getLogger("peewee")
    handler, level = QueryLog(), peewee_log.level
    peewee_log.addHandler(handler)
    peewee_log.setLevel(logging.DEBUG)
    try:
        yield handler.queries
    finally:
        peewee_log.removeHandler(handler)
        peewee_log.setLevel(level)


@contextmanager
def rate_limited_app(app, **overrides):
    """A second app with rate limits on, under a key prefix of its own."""
    config = {"RATELIMIT_ENABLED": True, "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    with another_app(app, **config, **overrides) as limited:
        yield limited
        if limiter.storage.check():  # a test may have pointed it at a Redis that is down
            limiter.reset()
