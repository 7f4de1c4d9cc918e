"""The console side: the Mail triage view, re-linking, the original mail on request pages."""

import pytest

from backoffice.models import AuditEvent, InboundMail, SupportRequest

from ..conftest import login, staff_login
from ..factories import make_org
from . import mails
from .conftest import import_mail


@pytest.fixture
def staff_client(client, customers):
    staff_login(client, customers.sam)
    return client


def triage_items(customers):
    """One of each kind of triage item, keyed by what it is."""
    original = mails.plain("ada@acme.example", "Add a number", "One more please.")
    unclear = mails.plain("bob@northwind.example", "Upgrade", "Up!")
    return {
        "unknown": import_mail(mails.plain("eve@elsewhere.example", "Need a number", "Hi!")).mail,
        "bounce": import_mail(mails.bounce(original)).mail,
        "error": import_mail(mails.UNKNOWN_CHARSET).mail,
        "garbage": import_mail(mails.NOT_A_MAIL).mail,
        "unassigned": import_mail(unclear).mail,
        "unassigned_reply": import_mail(
            mails.reply_to(unclear, "bob@northwind.example", "Soon")
        ).mail,
        "request": import_mail(original).mail,
    }


def test_triage_list_shows_what_needs_a_person(staff_client, customers):
    items = triage_items(customers)

    page = staff_client.get("/admin/mail-triage/")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Mail triage" in html
    assert "eve@elsewhere.example" in html
    assert "Unknown sender eve@elsewhere.example." in html
    assert "Delivery report (bounce)." in html
    assert "Could not read the message" in html
    assert "bob@northwind.example is in several organizations; none named." in html
    assert "<td>—</td>" in html  # the unreadable mail has no sender
    listed = {name: f"/admin/mail-triage/{mail.id}/" in html for name, mail in items.items()}
    assert listed == {
        "unknown": True,
        "bounce": True,
        "error": True,
        "garbage": True,
        "unassigned": True,
        "unassigned_reply": False,
        "request": False,
    }
    assert staff_client.get(f"/admin/mail-triage/{items['request'].id}/").status_code == 404


def test_triage_is_staff_only(client, customers):
    item = triage_items(customers)["unknown"]
    urls = ["/admin/mail-triage/", f"/admin/mail-triage/{item.id}/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login" in response.headers["Location"]
    login(client, customers.ada)
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(f"/admin/mail-triage/{item.id}/dismiss").status_code == 403
    assert InboundMail.get_by_id(item.id).status == "triage"


def test_relink_unknown_sender_files_a_request(staff_client, customers):
    item = triage_items(customers)["unknown"]
    page = staff_client.get(f"/admin/mail-triage/{item.id}/").get_data(as_text=True)
    assert "Need a number" in page
    assert "Re-link" in page
    assert '<option selected value="number_add">' in page

    response = staff_client.post(
        f"/admin/mail-triage/{item.id}/relink",
        data={"organization": customers.acme.public_id, "kind": "number_add"},
    )

    request = SupportRequest.get(SupportRequest.requester_email == "eve@elsewhere.example")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/requests/{request.public_id}/")
    assert (request.organization, request.kind, request.source) == (
        customers.acme,
        "number_add",
        "email",
    )
    assert request.requested_by is None
    assert request.mail_message_id == item.message_id
    mail = InboundMail.get_by_id(item.id)
    assert (mail.status, mail.request, mail.organization) == ("request", request, customers.acme)
    event = AuditEvent.get(AuditEvent.action == "request.filed")
    assert (event.actor_type, event.actor_id) == ("staff", customers.sam.id)
    page = staff_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Original mail" in page
    assert "eve@elsewhere.example" in page
    assert "Hi!" in page


def test_relink_by_organization_name(staff_client, customers):
    item = triage_items(customers)["error"]

    response = staff_client.post(
        f"/admin/mail-triage/{item.id}/relink",
        data={"organization": "acme robotics", "kind": "other"},
    )

    assert response.status_code == 302
    assert InboundMail.get_by_id(item.id).request.organization == customers.acme


def test_relink_unassigned_request_sets_its_organization(staff_client, customers):
    item = triage_items(customers)["unassigned"]
    page = staff_client.get(f"/admin/mail-triage/{item.id}/").get_data(as_text=True)
    assert customers.contoso.public_id in page
    assert customers.northwind.public_id in page

    response = staff_client.post(
        f"/admin/mail-triage/{item.id}/relink",
        data={"organization": customers.contoso.public_id, "kind": "plan_change"},
    )

    assert response.status_code == 302
    request = SupportRequest.get_by_id(item.request_id)
    assert (request.organization, request.needs_triage) == (customers.contoso, False)
    assert SupportRequest.select().where(SupportRequest.requested_by == customers.bob).count() == 1
    event = AuditEvent.get(AuditEvent.action == "request.relinked")
    assert event.organization == customers.contoso
    assert event.after["needs_triage"] is False
    assert "bob@northwind.example" not in staff_client.get("/admin/mail-triage/").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"organization": "org_nope", "kind": "other"}, "No organization has that ID or name."),
        ({"organization": "", "kind": "other"}, "No organization has that ID or name."),
        ({"organization": "Acme Robotics", "kind": "free_lunch"}, "Not a valid choice"),
        (
            {"organization": "northwind traders", "kind": "other"},
            "Several organizations have that name; enter the org ID.",
        ),
    ],
)
def test_relink_refuses_bad_input(staff_client, customers, data, message):
    item = triage_items(customers)["unknown"]
    make_org(name="Northwind traders")

    response = staff_client.post(f"/admin/mail-triage/{item.id}/relink", data=data)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert InboundMail.get_by_id(item.id).status == "triage"
    assert not AuditEvent.select().where(AuditEvent.action == "request.filed").exists()


def test_dismiss_takes_a_bounce_off_the_list(staff_client, customers):
    item = triage_items(customers)["bounce"]

    response = staff_client.post(f"/admin/mail-triage/{item.id}/dismiss")

    assert response.status_code == 302
    assert InboundMail.get_by_id(item.id).status == "dismissed"
    assert "Delivery report" not in staff_client.get("/admin/mail-triage/").get_data(as_text=True)
    event = AuditEvent.get(AuditEvent.action == "mail.dismissed")
    assert event.before == {"status": "triage"}
    assert staff_client.post(f"/admin/mail-triage/{item.id}/dismiss").status_code == 404


def test_request_page_shows_the_original_mail_and_replies(staff_client, customers):
    original = mails.alternative(
        "Ada <ada@acme.example>",
        "Widget",
        "Please enable embedding.",
        "<p>Please enable embedding.</p>",
    )
    request = import_mail(original).request
    import_mail(mails.reply_to(original, "ada@acme.example", "Today if possible."))

    page = staff_client.get(f"/admin/requests/{request.public_id}/").get_data(as_text=True)

    assert "Original mail" in page
    assert "Reply by mail" in page
    assert "All headers" in page
    assert "multipart/alternative" in page
    assert original["Message-ID"].replace("<", "&lt;").replace(">", "&gt;") in page
    assert "Today if possible." in page
