"""Customers who write to admin@intrlume.tech, and a one-call import for tests."""

from types import SimpleNamespace

import pytest

from backoffice.models import Membership
from backoffice.services.base import Actor
from backoffice.services.mail_import import import_message

from ..conftest import staff_login
from ..factories import make_admin, make_member, make_org, make_staff
from .mails import as_bytes

TEST_ACTOR = Actor.system("mail-import")


@pytest.fixture
def customers(ctx):
    """Ada (one organization), Bob (two organizations) and Sam of the Intrlume staff."""
    acme = make_org(name="Acme Robotics")
    ada = make_admin(acme, email="ada@acme.example", first_name="Ada", last_name="Lovelace")
    carl = make_member(acme, email="carl@acme.example", first_name="Carl")
    northwind = make_org(name="Northwind Traders")
    contoso = make_org(name="Contoso Labs")
    bob = make_admin(northwind, email="bob@northwind.example", first_name="Bob")
    Membership.create(user=bob, organization=contoso, role="member")
    sam = make_staff(email="sam@intrlume.tech", name="Sam Support")
    return SimpleNamespace(
        acme=acme, ada=ada, carl=carl, northwind=northwind, contoso=contoso, bob=bob, sam=sam
    )


def import_mail(message):
    """Import one built message (or raw bytes) the way every source does."""
    raw = message if isinstance(message, bytes) else as_bytes(message)
    return import_message(raw, actor=TEST_ACTOR)


@pytest.fixture
def staff_client_for(client):
    """The test client signed in as the given staff member."""

    def sign_in(staff):
        staff_login(client, staff)
        return client

    return sign_in
