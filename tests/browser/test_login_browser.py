"""Logging in and out in a real browser."""

from playwright.sync_api import expect

from ..factories import PASSWORD, make_admin, make_staff


def test_customer_logs_in_and_out(page):
    user = make_admin(first_name="Ada")
    page.goto("/login")
    page.get_by_label("Email Address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url("/settings/profile")
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url("/login")
    page.goto("/settings/profile")
    expect(page).to_have_url("/login?next=%2Fsettings%2Fprofile")


def test_wrong_password_says_so(page):
    user = make_admin()
    page.goto("/login")
    page.get_by_label("Email Address").fill(user.email)
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("don't match an account")).to_be_visible()


def test_staff_logs_in_to_console(page):
    staff = make_staff()
    page.goto("/admin/")
    page.get_by_label("Email Address").fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(f"Signed in as {staff.email}")).to_be_visible()
