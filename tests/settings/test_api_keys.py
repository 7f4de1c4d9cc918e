"""API keys tab: the secret shown once, regeneration after a confirmation, asking for access."""

import re

from backoffice.models import ApiKey, AuditEvent, Organization, SupportRequest
from backoffice.permissions import SESSION_AUTHENTICATED
from backoffice.services.api_keys import authenticate_key

from .conftest import actions, text

SECRET = re.compile(r'value="(sk_live_[0-9A-Za-z]+)"')


def generate(client, **data):
    return client.post("/settings/api-keys/generate", data=data)


def test_generate_shows_the_secret_once(admin_client, team, mailbox):
    page = text(admin_client.get("/settings/api-keys"))
    assert "This organization has no API key yet." in page
    assert ">Generate key</button>" in page
    response = generate(admin_client)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = text(response)
    secret = SECRET.search(page).group(1)
    assert "It is shown only this once" in page
    assert 'data-copy-target="#api-key-secret"' in page
    key = authenticate_key(secret)
    assert key.organization_id == team.org.id
    assert secret not in str(ApiKey.get().__data__)  # only its hash is stored
    with admin_client.session_transaction() as session:
        assert secret not in str(dict(session))

    later = text(admin_client.get("/settings/api-keys"))
    assert secret not in later
    assert f"{secret[:12]}…{secret[-4:]}" in later
    assert "Ada Lovelace" in later
    assert f'Last used</dt><dd class="col-sm-9">{key.last_used_at:%Y-%m-%d %H:%M}' in later
    assert ">Regenerate key</button>" in later
    assert actions() == ["api_key.generated"]
    assert [m["To"] for m in mailbox] == ["ada@acme.example"]


def test_regenerate_asks_first_and_stops_the_old_key(admin_client, team, mailbox):
    old_secret = SECRET.search(text(generate(admin_client))).group(1)
    confirm_page = generate(admin_client)
    assert confirm_page.status_code == 200
    page = text(confirm_page)
    assert "stops working at once" in page
    assert page.count('name="confirm"') == 1
    assert 'id="confirm" name="confirm" type="hidden" value="yes"' in page
    assert authenticate_key(old_secret) is not None  # nothing happened yet

    new_page = text(generate(admin_client, confirm="yes"))
    new_secret = SECRET.search(new_page).group(1)
    assert new_secret != old_secret
    assert "has stopped working" in new_page
    assert authenticate_key(old_secret) is None
    assert authenticate_key(new_secret) is not None
    assert ApiKey.select().where(ApiKey.revoked_at.is_null()).count() == 1
    assert actions() == ["api_key.generated", "api_key.regenerated"]
    assert "replaced the old one" in mailbox[-1]["Subject"]


def test_key_generation_needs_a_recent_login(admin_client, team):
    with admin_client.session_transaction() as session:
        session[SESSION_AUTHENTICATED] = 0
    response = generate(admin_client)
    assert response.headers["Location"] == "/settings/confirm-password?next=/settings/api-keys"
    assert ApiKey.select().count() == 0


def test_without_api_access_the_admin_can_request_it(app, team):
    Organization.update(api_access_enabled=False).where(Organization.id == team.org.id).execute()
    client = team.client(app, "admin")
    page = text(client.get("/settings/api-keys"))
    assert "API access is not enabled for Acme Robotics" in page
    assert "To enable API access for your organization, contact" in page
    assert "Generate key" not in page
    refused = generate(client)
    assert refused.status_code == 403
    assert "API access is not enabled for this organization." in text(refused)
    assert ApiKey.select().count() == 0

    assert client.post("/settings/api-keys/request-access", data={}).status_code == 302
    page = text(client.get("/settings/api-keys"))
    assert "Enable API access requested." in page
    assert "the Intrlume team is on it" in page
    client.post("/settings/api-keys/request-access", data={})
    assert "already been requested" in text(client.get("/settings/api-keys"))
    assert SupportRequest.select().count() == 1
    assert AuditEvent.select().where(AuditEvent.action == "request.filed").count() == 1


def test_api_access_request_note_too_long(app, team):
    Organization.update(api_access_enabled=False).where(Organization.id == team.org.id).execute()
    response = team.client(app, "admin").post(
        "/settings/api-keys/request-access", data={"api_access-note": "x" * 2001}
    )
    assert response.status_code == 400
    assert "Field cannot be longer than 2000 characters." in text(response)
    assert SupportRequest.select().count() == 0
