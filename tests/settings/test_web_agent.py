"""Web Agent tab: the public key, the embed snippet and the domain allowlist."""

import pytest

from backoffice.models import AuditEvent, Organization, SupportRequest
from backoffice.services.base import Actor
from backoffice.services.errors import Forbidden, ValidationFailed
from backoffice.services.web_agent import origin_allowed, parse_allowlist, save_allowlist

from .conftest import actions, text


def test_everyone_sees_the_public_key_and_snippet(member_client, team):
    page = text(member_client.get("/settings/web-agent"))
    assert team.org.public_key.startswith("pk_live_")
    assert f'value="{team.org.public_key}"' in page
    assert 'data-copy-target="#public-key"' in page
    assert "/embed/v1/widget.js" in page
    assert f"data-key=&#34;{team.org.public_key}&#34;" in page
    assert "The allowlist is empty, so all origins are allowed." in page
    assert "Save allowlist" not in page


def test_admin_saves_a_normalised_allowlist(admin_client, team):
    page = text(admin_client.get("/settings/web-agent"))
    assert ">Allowed origins</label>" in page
    lines = "HTTPS://Shop.Example.com:443/\nhttps://*.example.org\n\nhttps://shop.example.com\nhttp://bücher.example:8080"
    response = admin_client.post("/settings/web-agent/allowlist", data={"allowed_origins": lines})
    assert response.status_code == 302
    expected = [
        "https://shop.example.com",
        "https://*.example.org",
        "http://xn--bcher-kva.example:8080",
    ]
    assert Organization.get_by_id(team.org.id).origin_list == expected
    page = text(admin_client.get("/settings/web-agent"))
    assert "The allowlist has been saved: 3 origin(s)." in page
    assert "all origins are allowed" not in page
    event = AuditEvent.get(AuditEvent.action == "web_agent.allowlist_changed")
    assert event.after == {"allowed_origins": expected}


def test_emptying_the_allowlist_allows_all(admin_client, team):
    team.org.allowed_origins = "https://shop.example.com"
    team.org.save()
    admin_client.post("/settings/web-agent/allowlist", data={"allowed_origins": "  \n"})
    assert Organization.get_by_id(team.org.id).allowed_origins == ""
    assert "all origins are allowed" in text(admin_client.get("/settings/web-agent"))


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("shop.example.com", "Line 2 “shop.example.com” is not an origin: start with https://"),
        ("https://shop.example.com/checkout", "give only the scheme, host and port"),
        ("ftp://files.example.com", "start with https:// or http://"),
        ("https://shop.*.example.com", "a wildcard may only be the first label"),
        ("https://exa mple.com", "no spaces"),
        ("https://example.com:99999", "the port is not a number"),
    ],
)
def test_a_bad_line_is_named_and_nothing_saved(admin_client, team, bad_line, message):
    team.org.allowed_origins = "https://keep.example.com"
    team.org.save()
    response = admin_client.post(
        "/settings/web-agent/allowlist",
        data={"allowed_origins": f"https://ok.example.com\n{bad_line}"},
    )
    assert response.status_code == 422
    assert message in text(response)
    assert Organization.get_by_id(team.org.id).allowed_origins == "https://keep.example.com"
    assert actions() == []


def test_allowlist_needs_embedding(app, team):
    Organization.update(embedding_enabled=False).where(Organization.id == team.org.id).execute()
    client = team.client(app, "admin")
    page = text(client.get("/settings/web-agent"))
    assert "Embedding is not enabled for Acme Robotics" in page
    assert "admin@intrlume.tech" in page
    assert "Save allowlist" not in page
    assert 'value="Request embedding"' in page
    refused = client.post(
        "/settings/web-agent/allowlist", data={"allowed_origins": "https://a.example"}
    )
    assert refused.status_code == 403
    assert "Embedding is not enabled for this organization." in text(refused)
    assert Organization.get_by_id(team.org.id).allowed_origins == ""

    assert client.post("/settings/web-agent/request-embedding", data={}).status_code == 302
    request = SupportRequest.get()
    assert (request.kind, request.requested_by_id) == ("enable_embedding", team.admin.id)
    page = text(client.get("/settings/web-agent"))
    assert "Enable embedding requested." in page
    assert "the Intrlume team is on it" in page
    member_page = text(team.client(app, "member").get("/settings/web-agent"))
    assert "Request embedding" not in member_page


def test_embedding_request_note_too_long(app, team):
    Organization.update(embedding_enabled=False).where(Organization.id == team.org.id).execute()
    response = team.client(app, "admin").post(
        "/settings/web-agent/request-embedding", data={"embedding-note": "x" * 2001}
    )
    assert response.status_code == 400
    assert "Field cannot be longer than 2000 characters." in text(response)
    assert SupportRequest.select().count() == 0


def test_allowlist_service(ctx, team):
    assert parse_allowlist("https://A.example.com\nhttps://a.example.com:443") == [
        "https://a.example.com"
    ]
    with pytest.raises(ValidationFailed, match="Line 1"):
        parse_allowlist("javascript:alert(1)")
    assert origin_allowed(["https://*.example.com"], "https://shop.example.com")
    assert not origin_allowed(["https://*.example.com"], "https://example.com.evil.test")
    assert origin_allowed([], "https://anything.example")
    team.org.embedding_enabled = False
    with pytest.raises(Forbidden):
        save_allowlist(Actor.user(team.admin), team.org, "https://a.example")
