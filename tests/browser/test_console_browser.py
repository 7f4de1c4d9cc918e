"""Support works the queue in a real browser: an API access request from Settings, fulfilled."""

import re

from playwright.sync_api import expect

from backoffice.models import SupportRequest

from ..factories import PASSWORD, make_admin, make_org, make_staff


def test_staff_fulfils_an_api_access_request_and_the_customer_generates_a_key(
    page, chromium, live_server
):
    org = make_org(name="Acme Robotics")
    admin = make_admin(org)
    staff = make_staff()

    page.goto("/login")
    page.get_by_label("Email Address").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/settings/api-keys")
    expect(page.get_by_role("button", name="Generate key")).to_have_count(0)
    page.get_by_role("button", name="Request API access").click()
    expect(page.get_by_text("the Intrlume team is on it")).to_be_visible()
    assert SupportRequest.get().kind == "enable_api_access"

    console = chromium.new_context(base_url=live_server.url)
    console.set_default_timeout(10_000)
    staff_page = console.new_page()
    try:
        staff_page.goto("/admin/")
        staff_page.get_by_label("Email Address").fill(staff.email)
        staff_page.get_by_label("Password").fill(PASSWORD)
        staff_page.get_by_role("button", name="Log in").click()
        queue_row = staff_page.get_by_role("row").filter(has_text="Acme Robotics")
        queue_row.get_by_role("link", name="Enable API access").click()
        expect(
            staff_page.get_by_role("heading", name=re.compile("Enable API access"))
        ).to_be_visible()
        staff_page.get_by_role("button", name="Fulfil").click()
        expect(staff_page.get_by_text("Enable API access done")).to_be_visible()
        expect(staff_page.get_by_role("button", name="Fulfil")).to_have_count(0)
    finally:
        console.close()

    page.goto("/settings/api-keys")
    page.get_by_role("button", name="Generate key").click()
    expect(page.get_by_label("Secret key")).to_have_value(re.compile(r"^sk_live_[0-9A-Za-z]{49}$"))
