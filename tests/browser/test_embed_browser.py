"""The widget in Chromium, pasted on a customer's page served from another localhost port."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from ..factories import PASSWORD, make_admin, make_agent, make_org


class CustomerSite:
    """A static site on its own port (so its own origin) whose pages the test writes."""

    def __init__(self):
        self.pages: dict[str, str] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the name http.server calls
                body = site.pages.get(self.path)
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write((body or "not found").encode())

            def log_message(self, *args):
                """Keep the test output quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def publish(self, path: str, html: str) -> str:
        self.pages[path] = html
        return self.origin + path

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture(scope="module")
def site():
    customer_site = CustomerSite()
    yield customer_site
    customer_site.close()


def shop_page(live_server, public_key: str) -> str:
    """The customer's page with the snippet from Settings → Web Agent pasted in."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body>
<h1>Welcome to the shop</h1>
<script src="{live_server.url}/embed/v1/widget.js" data-key="{public_key}" async></script>
</body></html>"""


def embeddable_org(origins: str):
    org = make_org(name="Shop Ltd", embedding_enabled=True, allowed_origins=origins)
    make_agent(org, name="Reception")
    return org


def watch_config_requests(page) -> dict:
    """What became of the widget's configuration requests: answered (with status) or blocked."""
    seen = {"answered": [], "blocked": []}

    def is_config(request):
        return "/embed/v1/config" in request.url

    page.on(
        "requestfinished",
        lambda r: is_config(r) and seen["answered"].append(r.response().status),
    )
    page.on("requestfailed", lambda r: is_config(r) and seen["blocked"].append(r.failure))
    return seen


def test_widget_appears_on_an_allowed_site(page, live_server, site):
    org = embeddable_org(site.origin)
    answers = watch_config_requests(page)
    page.goto(site.publish("/allowed.html", shop_page(live_server, org.public_key)))
    frame = page.frame_locator("iframe[data-intrlume-widget]")
    expect(frame.get_by_role("heading", name="Shop Ltd")).to_be_visible()
    expect(frame.get_by_text("Reception")).to_be_visible()
    expect(page.locator("iframe[data-intrlume-widget]")).to_have_attribute(
        "title", "Shop Ltd web agent"
    )
    assert answers == {"answered": [200], "blocked": []}


def test_widget_appears_anywhere_with_an_empty_allowlist(page, live_server, site):
    org = embeddable_org("")
    page.goto(site.publish("/open.html", shop_page(live_server, org.public_key)))
    expect(
        page.frame_locator("iframe[data-intrlume-widget]").get_by_text("Reception")
    ).to_be_visible()


def test_widget_stays_away_from_a_site_not_on_the_allowlist(page, live_server, site):
    org = embeddable_org("https://shop.example.com\nhttp://127.0.0.1:1")
    answers = watch_config_requests(page)
    with page.expect_console_message(lambda m: "web agent not shown" in m.text) as message:
        page.goto(site.publish("/refused.html", shop_page(live_server, org.public_key)))
    assert "Intrlume web agent not shown" in message.value.text
    # Refused without CORS headers: the browser withholds the answer from the page entirely.
    assert answers["answered"] == []
    assert len(answers["blocked"]) == 1
    expect(page.get_by_role("heading", name="Welcome to the shop")).to_be_visible()
    expect(page.locator("iframe")).to_have_count(0)


def test_widget_stays_away_when_embedding_is_off(page, live_server, site):
    org = make_org(embedding_enabled=False)
    answers = watch_config_requests(page)
    with page.expect_console_message(lambda m: "web agent not shown" in m.text):
        page.goto(site.publish("/disabled.html", shop_page(live_server, org.public_key)))
    assert answers["answered"] == []
    assert len(answers["blocked"]) == 1
    expect(page.locator("iframe")).to_have_count(0)


def test_framing_by_hand_is_blocked_by_frame_ancestors(page, live_server, site):
    """A site that skips the loader and frames the widget itself gets an empty frame."""
    org = embeddable_org("https://shop.example.com")
    url = f"{live_server.url}/embed/v1/frame?key={org.public_key}"
    html = f'<!doctype html><title>Copycat</title><iframe id="w" src="{url}"></iframe>'
    with page.expect_console_message(lambda m: "frame-ancestors" in m.text):
        page.goto(site.publish("/copycat.html", html))
    expect(page.frame_locator("#w").get_by_text("Reception")).to_have_count(0)


def sign_in(page, user):
    page.goto("/login")
    page.get_by_label("Email Address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url("/settings/profile")


def save_allowlist(page, origins: str):
    page.goto("/settings/web-agent")
    page.get_by_label("Allowed origins").fill(origins)
    page.get_by_role("button", name="Save allowlist").click()
    expect(page.get_by_text("The allowlist has been saved")).to_be_visible()


@pytest.mark.parametrize(
    "path", ["/login", "/settings/profile", "/settings/web-agent", "/settings/api-keys"]
)
def test_pages_pass_their_content_security_policy(page, live_server, path):
    violations = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and violations.append(m.text),
    )
    page.on("pageerror", lambda error: violations.append(str(error)))
    if path != "/login":
        sign_in(page, make_admin())
    page.goto(path)
    page.wait_for_load_state("load")
    assert violations == []


def test_snippet_from_settings_follows_the_allowlist_saved_there(page, live_server, site):
    """The whole story: an admin copies the snippet, then allows the site on the same tab."""
    org = make_org(name="Shop Ltd", embedding_enabled=True)
    make_agent(org, name="Reception")
    sign_in(page, make_admin(org))
    page.goto("/settings/web-agent")
    snippet = page.locator("#embed-snippet").input_value()
    assert f'data-key="{org.public_key}"' in snippet
    shop = site.publish("/snippet.html", f"<!doctype html><h1>Shop</h1>{snippet}")
    customer = page.context.new_page()

    save_allowlist(page, "https://elsewhere.example")
    with customer.expect_console_message(lambda m: "web agent not shown" in m.text):
        customer.goto(shop)
    expect(customer.locator("iframe")).to_have_count(0)

    save_allowlist(page, f"https://elsewhere.example\n{site.origin}")
    customer.goto(shop)
    widget = customer.frame_locator("iframe[data-intrlume-widget]")
    expect(widget.get_by_text("Reception")).to_be_visible()
