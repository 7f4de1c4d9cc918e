"""The widget's configuration, frame and loader, guarded by the organization's allowlist."""

import pytest

from backoffice.models import Organization

from ..factories import make_agent, make_org


def embeddable(origins="", **overrides):
    return make_org(name="Shop Ltd", embedding_enabled=True, allowed_origins=origins, **overrides)


def get_config(client, org_or_key, method="get", **headers):
    key = org_or_key if isinstance(org_or_key, str) else org_or_key.public_key
    return getattr(client, method)(f"/embed/v1/config?key={key}", headers=headers)


def assert_allowed(response, origin):
    assert response.status_code in (200, 204), response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert "Origin" in response.vary


def assert_refused(response, code, status=403):
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert not any(name.startswith("Access-Control-") for name, _ in response.headers)


def test_config_tells_the_widget_who_to_talk_to(client, ctx):
    org = embeddable("https://shop.example.com", country="DE", currency="EUR")
    first = make_agent(org, name="Reception")
    make_agent(org, name="Later")
    response = get_config(client, org, Origin="https://shop.example.com")
    assert_allowed(response, "https://shop.example.com")
    assert response.get_json() == {
        "organization": {"name": "Shop Ltd"},
        "agent": {"id": first.public_id, "name": "Reception"},
        "locale": {"country": "DE", "currency": "EUR", "timezone": "UTC"},
    }
    assert response.headers["Cache-Control"] == "no-store"


def test_config_without_agents_names_none(client, ctx):
    org = embeddable()
    response = get_config(client, org, Origin="https://anywhere.example")
    assert_allowed(response, "https://anywhere.example")
    assert response.get_json()["agent"] is None


ALLOWLIST = "\n".join(
    [
        "https://shop.example.com",
        "https://*.brand.example",
        "http://localhost:8080",
        "https://xn--bcher-kva.example",
    ]
)


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("https://shop.example.com", True),  # exact
        ("https://SHOP.example.com", True),  # host names have no case
        ("https://shop.example.com:443", True),  # the default port is no port
        ("http://shop.example.com", False),  # another scheme is another origin
        ("https://shop.example.com:8443", False),  # another port too
        ("https://evil-shop.example.com", False),
        ("https://shop.example.com.evil.example", False),
        ("https://www.brand.example", True),  # wildcard: any subdomain
        ("https://a.b.brand.example", True),
        ("https://brand.example", False),  # …but not the bare domain
        ("https://notbrand.example", False),
        ("http://www.brand.example", False),
        ("http://localhost:8080", True),  # port
        ("http://localhost", False),
        ("http://localhost:8081", False),
        ("https://bücher.example", True),  # IDNA: the Unicode form of an allowed host
        ("https://xn--bcher-kva.example", True),
        ("null", False),  # sandboxed frames and file:// pages
        ("https://*.brand.example", False),
        ("not an origin", False),
    ],
)
def test_origin_matching(client, ctx, origin, allowed):
    org = embeddable(ALLOWLIST)
    response = get_config(client, org, Origin=origin)
    if allowed:
        assert_allowed(response, origin)
    else:
        assert_refused(response, "origin_not_allowed")
        assert "Origin" in response.vary


def test_without_origin_the_referer_decides(client, ctx):
    org = embeddable("https://shop.example.com")
    allowed = get_config(client, org, Referer="https://shop.example.com/products/42?x=1")
    assert_allowed(allowed, "https://shop.example.com")
    refused = get_config(client, org, Referer="https://elsewhere.example/shop.example.com")
    assert_refused(refused, "origin_not_allowed")


def test_origin_wins_over_referer(client, ctx):
    org = embeddable("https://shop.example.com")
    response = get_config(
        client, org, Origin="https://evil.example", Referer="https://shop.example.com/"
    )
    assert_refused(response, "origin_not_allowed")


def test_no_origin_and_no_referer_is_refused(client, ctx):
    assert_refused(get_config(client, embeddable()), "origin_not_allowed")


def test_empty_allowlist_allows_any_real_origin(client, ctx):
    org = embeddable("")
    for origin in ("https://a.example", "http://127.0.0.1:9000"):
        assert_allowed(get_config(client, org, Origin=origin), origin)
    assert_refused(get_config(client, org, Origin="null"), "origin_not_allowed")


def test_embedding_disabled_is_403(client, ctx):
    org = make_org(embedding_enabled=False)
    assert_refused(get_config(client, org, Origin="https://a.example"), "embedding_disabled")
    assert_refused(client.get(f"/embed/v1/frame?key={org.public_key}"), "embedding_disabled")


def test_suspended_organization_is_403(client, ctx):
    org = embeddable(status="suspended")
    assert_refused(get_config(client, org, Origin="https://a.example"), "organization_suspended")


@pytest.mark.parametrize(
    "key", ["pk_live_doesnotexist0000000000000000", "pk_live_", "sk_live_abc", "x' OR 1=1 --"]
)
def test_unknown_key_is_404(client, ctx, key):
    embeddable()
    response = client.get("/embed/v1/config", query_string={"key": key})
    assert_refused(response, "unknown_key", status=404)
    frame = client.get("/embed/v1/frame", query_string={"key": key})
    assert_refused(frame, "unknown_key", status=404)


def test_missing_key_is_400(client, ctx):
    assert_refused(client.get("/embed/v1/config"), "key_required", status=400)


def test_preflight_is_answered_the_same_way(client, ctx):
    org = embeddable("https://shop.example.com")
    headers = {"Access-Control-Request-Method": "GET"}
    allowed = get_config(client, org, "options", Origin="https://shop.example.com", **headers)
    assert allowed.status_code == 204
    assert_allowed(allowed, "https://shop.example.com")
    assert allowed.headers["Access-Control-Allow-Methods"] == "GET"
    refused = get_config(client, org, "options", Origin="https://evil.example", **headers)
    assert_refused(refused, "origin_not_allowed")
    Organization.update(embedding_enabled=False).where(Organization.id == org.id).execute()
    disabled = get_config(client, org, "options", Origin="https://shop.example.com", **headers)
    assert_refused(disabled, "embedding_disabled")


def test_allowlist_change_applies_at_once(client, ctx):
    org = embeddable("https://old.example")
    assert get_config(client, org, Origin="https://new.example").status_code == 403
    Organization.update(allowed_origins="https://new.example").where(
        Organization.id == org.id
    ).execute()
    assert_allowed(get_config(client, org, Origin="https://new.example"), "https://new.example")


def test_frame_may_be_framed_only_by_the_allowlist(client, ctx):
    org = embeddable("https://shop.example.com\nhttps://*.brand.example")
    make_agent(org, name="Reception")
    response = client.get(f"/embed/v1/frame?key={org.public_key}")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["frame-ancestors"] == "https://shop.example.com https://*.brand.example"
    page = response.get_data(as_text=True)
    assert "Shop Ltd" in page
    assert "Reception" in page
    # No inline script at all, and the one inline style carries the policy's nonce.
    assert "<script" not in page
    nonce = directives["style-src"].removeprefix("'nonce-").removesuffix("'")
    assert f'<style nonce="{nonce}">' in page


def test_frame_with_empty_allowlist_may_be_framed_anywhere(client, ctx):
    org = embeddable("")
    response = client.get(f"/embed/v1/frame?key={org.public_key}")
    assert response.status_code == 200
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers


def test_other_pages_still_refuse_framing(client, ctx):
    response = client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_loader_script_matches_the_settings_snippet(client, ctx):
    response = client.get("/embed/v1/widget.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    script = response.get_data(as_text=True)
    assert 'getAttribute("data-key")' in script
    assert 'new URL("config" + query, script.src)' in script
    assert 'new URL("frame" + query, script.src)' in script
    assert "public" in response.headers["Cache-Control"]
