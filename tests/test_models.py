"""Constraints the database itself enforces."""

import pytest
from peewee import IntegrityError

from backoffice.extensions import database
from backoffice.models import LedgerEntry, Membership, User

from .factories import make_org, make_user


def test_user_email_is_unique_in_any_case(ctx):
    make_user(email="Someone@Example.com")
    with pytest.raises(IntegrityError), database.atomic():
        make_user(email="someone@EXAMPLE.com")
    assert User.get().email == "someone@example.com"


def test_one_membership_per_user_and_organization(ctx):
    org, user = make_org(), make_user()
    Membership.create(user=user, organization=org, role="member")
    with pytest.raises(IntegrityError), database.atomic():
        Membership.create(user=user, organization=org, role="admin")


def test_ledger_idempotency_key_is_unique(ctx):
    org = make_org()
    entry = {"organization": org, "kind": "call", "credits": -10, "balance_after": -10}
    LedgerEntry.create(idempotency_key="call:call_1", **entry)
    with pytest.raises(IntegrityError), database.atomic():
        LedgerEntry.create(idempotency_key="call:call_1", **entry)


def test_public_ids_are_prefixed_and_random(ctx):
    first, second = make_org(), make_org()
    assert first.public_id.startswith("org_")
    assert len(first.public_id) == 20
    assert first.public_id != second.public_id
    assert first.public_key.startswith("pk_live_")
