"""Browser tests: the app served on 127.0.0.1 in a thread, driven through Debian's Chromium."""

import os
import threading

import pytest
from werkzeug.serving import make_server

from ..conftest import another_app

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


class LiveServer:
    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser_app(app):
    """The app as a person meets it: CSRF on, links in mail pointing at the live server."""
    with another_app(app, WTF_CSRF_ENABLED=True) as live_app:
        yield live_app


@pytest.fixture(scope="session")
def live_server(browser_app):
    server = LiveServer(browser_app)
    browser_app.config["PUBLIC_BASE_URL"] = server.url
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `apt-get install -y chromium` (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server, ctx):
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def pytest_collection_modifyitems(items):
    """Tolerate the dev server leaving a static file to the garbage collector.

    When Chromium abandons a request for a script or stylesheet (a page navigates on), the
    threaded werkzeug server drops the half-sent file without closing it; that is the test
    server's housekeeping, not the app's, so it must not fail an unrelated browser test.
    """
    marker = pytest.mark.filterwarnings(
        r"ignore:Exception ignored in.*FileIO.*/static/:pytest.PytestUnraisableExceptionWarning"
    )
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(marker)
