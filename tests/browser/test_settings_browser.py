"""Settings in a real browser: inviting a teammate, an API key shown once, an allowlist error."""

import re

from playwright.sync_api import expect

from backoffice.models import Organization

from ..factories import PASSWORD, make_admin, make_org

LINK = re.compile(r"https?://[^/\s]+(/invitations/\S+)")


def log_in(page, email, password=PASSWORD):
    page.goto("/login")
    page.get_by_label("Email Address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url("/settings/profile")


def settings_tabs(page):
    return page.get_by_role("navigation", name="Settings").get_by_role("link")


def test_invite_accept_and_sign_in_as_the_new_member(page, mailbox):
    org = make_org(name="Acme Robotics")
    admin = make_admin(org, first_name="Ada", last_name="Lovelace")
    log_in(page, admin.email)
    settings_tabs(page).get_by_text("Members").click()
    page.get_by_label("Email Address").fill("new.hire@acme.example")
    page.get_by_label("Role", exact=True).select_option("member")
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_text("Invitation sent to new.hire@acme.example.")).to_be_visible()
    expect(page.get_by_role("cell", name="new.hire@acme.example", exact=True)).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    (message,) = mailbox
    body = message.get_body(preferencelist=("plain",)).get_content()
    page.goto(LINK.search(body).group(1))
    expect(page.get_by_role("heading", name="Join Acme Robotics")).to_be_visible()
    page.get_by_label("First Name").fill("New")
    page.get_by_label("Last Name").fill("Hire")
    page.get_by_label("Password").fill("a long new passphrase")
    page.get_by_role("button", name="Accept invitation").click()
    expect(page).to_have_url("/settings/profile")
    expect(page.get_by_text("Welcome to Acme Robotics.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, "new.hire@acme.example", "a long new passphrase")
    expect(settings_tabs(page)).to_have_text(
        ["Profile", "Organization", "Members", "Phone Numbers", "Web Agent"]
    )
    expect(page.get_by_text("Acme Robotics · you are Member")).to_be_visible()
    settings_tabs(page).get_by_text("Members").click()
    expect(page.get_by_role("button", name="Invite")).to_have_count(0)
    expect(page.get_by_role("cell", name="Ada Lovelace", exact=True)).to_be_visible()


def test_api_key_is_shown_once(page):
    org = make_org(name="Acme Robotics", api_access_enabled=True)
    admin = make_admin(org)
    log_in(page, admin.email)
    settings_tabs(page).get_by_text("API keys").click()
    page.get_by_role("button", name="Generate key").click()
    secret_box = page.get_by_label("Secret key")
    expect(secret_box).to_have_value(re.compile(r"^sk_live_[0-9A-Za-z]{49}$"))
    expect(page.get_by_text("It is shown only this once")).to_be_visible()
    secret = secret_box.input_value()
    page.get_by_role("link", name="Done").click()
    expect(page).to_have_url("/settings/api-keys")
    expect(page.get_by_text(f"{secret[:12]}…{secret[-4:]}")).to_be_visible()
    assert secret not in page.content()

    page.get_by_role("button", name="Regenerate key").click()
    expect(page.get_by_text("stops working at once")).to_be_visible()
    page.get_by_role("button", name="Regenerate key").click()
    expect(page.get_by_label("Secret key")).not_to_have_value(secret)
    expect(page.get_by_text("has stopped working")).to_be_visible()


def test_allowlist_error_names_the_line(page):
    org = make_org(name="Acme Robotics", embedding_enabled=True)
    admin = make_admin(org)
    log_in(page, admin.email)
    settings_tabs(page).get_by_text("Web Agent").click()
    expect(page.get_by_text("all origins are allowed")).to_be_visible()
    page.get_by_label("Allowed origins").fill("https://shop.example.com\nshop.example.org")
    page.get_by_role("button", name="Save allowlist").click()
    expect(page.get_by_text("Line 2 “shop.example.org” is not an origin")).to_be_visible()
    assert Organization.get_by_id(org.id).allowed_origins == ""
    page.get_by_label("Allowed origins").fill("HTTPS://Shop.Example.com/\n")
    page.get_by_role("button", name="Save allowlist").click()
    expect(page.get_by_text("The allowlist has been saved: 1 origin(s).")).to_be_visible()
    expect(page.get_by_label("Allowed origins")).to_have_value("https://shop.example.com")
