"""Console fixtures: staff of each role signed in, and a counter of executed SQL."""

import logging
from contextlib import contextmanager

import pytest

from backoffice.models import AuditEvent

from ..conftest import staff_login
from ..factories import make_staff


@pytest.fixture
def support(ctx):
    return make_staff("support", email="sam@intrlume.tech")


@pytest.fixture
def superuser(ctx):
    return make_staff("superuser", email="rita@intrlume.tech")


@pytest.fixture
def support_client(client, support):
    staff_login(client, support)
    return client


@pytest.fixture
def superuser_client(client, superuser):
    staff_login(client, superuser)
    return client


class QueryCounter(logging.Handler):
    """Counts the statements peewee sends to the database (it logs each one at DEBUG)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record):
        sql = record.msg[0] if isinstance(record.msg, tuple) else str(record.msg)
        self.statements.append(str(sql))


@contextmanager
def counting_queries():
    counter = QueryCounter()
    logger = logging.getLogger("peewee")
    previous = logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(previous)


def staff_events(staff, action=None):
    """Audit events written with this staff member as the actor (optionally of one action)."""
    query = AuditEvent.select().where(
        AuditEvent.actor_type == "staff", AuditEvent.actor_id == staff.id
    )
    if action:
        query = query.where(AuditEvent.action == action)
    return list(query.order_by(AuditEvent.id))


def changes_since(staff, before_id: int) -> list[AuditEvent]:
    """Events by this staff member after the audit row id before_id (not logins)."""
    return [
        e
        for e in staff_events(staff)
        if e.id > before_id and e.action not in ("staff.logged_in", "staff.logged_out")
    ]


def last_event_id() -> int:
    last = AuditEvent.select(AuditEvent.id).order_by(AuditEvent.id.desc()).first()
    return last.id if last else 0
