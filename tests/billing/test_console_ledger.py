"""No update or delete of a ledger entry succeeds from the staff console, for any staff role."""

import pytest

from backoffice.models import LedgerEntry
from backoffice.services import ledger

from ..conftest import staff_login
from ..factories import make_org, make_staff
from .helpers import STAFF, assert_balanced


@pytest.mark.parametrize("role", ["support", "superuser"])
def test_console_cannot_edit_create_or_delete_ledger_entries(client, role):
    org = make_org()
    entry = ledger.grant_credits(STAFF, org, 250, "Goodwill").entry
    staff_login(client, make_staff(role))
    listing = client.get("/admin/ledger/")
    assert listing.status_code == 200
    assert "Goodwill" in listing.get_data(as_text=True)
    attempts = [
        client.post(
            f"/admin/ledger/edit/?id={entry.id}",
            data={"credits": "999999", "balance_after": "999999", "description": "Edited"},
        ),
        client.get(f"/admin/ledger/edit/?id={entry.id}"),
        client.post("/admin/ledger/delete/", data={"id": str(entry.id)}),
        client.post("/admin/ledger/action/", data={"action": "delete", "rowid": str(entry.id)}),
        client.post(
            "/admin/ledger/new/",
            data={"organization": str(org.id), "kind": "credit_grant", "credits": "1000000"},
        ),
    ]
    for response in attempts:
        assert response.status_code != 500
        assert response.status_code in (302, 403, 404, 405)
    stored = LedgerEntry.get_by_id(entry.id)
    assert (stored.credits, stored.balance_after, stored.description) == (250, 250, "Goodwill")
    assert LedgerEntry.select().count() == 1
    assert_balanced(org)
