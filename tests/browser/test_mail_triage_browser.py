"""Support works the mail triage list in a real browser (CSRF on): re-link, then dismiss."""

import re

from playwright.sync_api import expect

from backoffice.models import InboundMail, SupportRequest
from backoffice.services.base import Actor
from backoffice.services.mail_import import import_message

from ..factories import PASSWORD, make_admin, make_org, make_staff
from ..mail_import import mails


def test_staff_relinks_an_unknown_senders_mail_and_dismisses_a_bounce(page):
    org = make_org(name="Acme Robotics")
    make_admin(org, email="ada@acme.example")
    staff = make_staff()
    actor = Actor.system("mail-import")
    question = mails.plain("Dana <dana@newhire.example>", "Widget please", "Enable embedding.")
    import_message(mails.as_bytes(question), actor=actor)
    import_message(mails.bounce(question), actor=actor)

    page.goto("/admin/")
    page.get_by_label("Email Address").fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Mail triage").click()
    page.get_by_role("row").filter(has_text="dana@newhire.example").get_by_role(
        "link", name="Open"
    ).click()
    page.get_by_label("Organization").fill(org.public_id)
    page.get_by_label("Kind").select_option("enable_embedding")
    page.get_by_role("button", name="Re-link").click()

    expect(page.get_by_text("Filed as Enable embedding for Acme Robotics")).to_be_visible()
    expect(page.get_by_role("heading", name="Original mail")).to_be_visible()
    request = SupportRequest.get(SupportRequest.requester_email == "dana@newhire.example")
    assert (request.organization_id, request.source) == (org.id, "email")

    page.get_by_role("link", name="Mail triage").click()
    expect(page.get_by_text("dana@newhire.example")).to_have_count(0)
    page.get_by_role("row").filter(has_text="Delivery report").get_by_role(
        "link", name="Open"
    ).click()
    page.get_by_role("button", name="Dismiss").click()

    expect(page.get_by_text("Dismissed.")).to_be_visible()
    expect(page.get_by_text(re.compile("Nothing to triage"))).to_be_visible()
    assert InboundMail.select().where(InboundMail.status == "dismissed").count() == 1
