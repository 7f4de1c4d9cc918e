"""Staff answers to mailed requests reach the customer (real SMTP) in the same thread."""

import pytest

from backoffice.models import SupportRequest

from ..conftest import staff_login
from . import mails
from .conftest import import_mail


@pytest.fixture
def staff_client(client, customers):
    staff_login(client, customers.sam)
    return client


def only_message(mailbox):
    (message,) = mailbox
    return message


def test_fulfilled_mailed_request_is_answered_in_its_thread(staff_client, customers, mailbox, app):
    original = mails.plain(
        "Ada Lovelace <Ada+ops@Acme.example>",
        "Widget for our shop",
        "Please enable embedding.",
        References="<earlier@mail.example>",
    )
    request = import_mail(original).request

    response = staff_client.post(
        f"/admin/requests/{request.public_id}/fulfil", data={"note": "Switched on for you."}
    )

    assert response.status_code == 302
    assert SupportRequest.get_by_id(request.id).state == "done"
    message = only_message(mailbox)
    assert message["To"] == "ada+ops@acme.example"
    assert message["From"] == app.config["MAIL_SENDER"]
    assert message["Subject"] == "Re: Widget for our shop"
    assert message["In-Reply-To"] == original["Message-ID"]
    assert message["References"].split() == ["<earlier@mail.example>", original["Message-ID"]]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Switched on for you." in text
    assert request.public_id in text
    assert message.get_body(preferencelist=("html",)) is not None


def test_rejected_mailed_request_is_answered_in_its_thread(staff_client, customers, mailbox):
    original = mails.plain("carl@acme.example", "Re: Numbers", "Can we have 50 numbers?")
    request = import_mail(original).request

    staff_client.post(
        f"/admin/requests/{request.public_id}/reject",
        data={"reason": "Fifty is over your plan's limit."},
    )

    message = only_message(mailbox)
    assert message["To"] == "carl@acme.example"
    assert message["Subject"] == "Re: Numbers"
    assert message["In-Reply-To"] == original["Message-ID"]
    assert message["References"] == original["Message-ID"]
    assert "Fifty is over your plan's limit." in message.get_body(("plain",)).get_content()


def test_the_sender_is_configurable(staff_client, customers, mailbox, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SENDER", "Intrlume Support <support@intrlume.tech>")
    request = import_mail(mails.plain("ada@acme.example", "Thanks", "Thanks!")).request

    staff_client.post(
        f"/admin/requests/{request.public_id}/fulfil", data={"note": "You're welcome."}
    )

    assert only_message(mailbox)["From"] == "Intrlume Support <support@intrlume.tech>"


def test_customer_answer_to_our_reply_joins_the_request(staff_client, customers, mailbox):
    original = mails.plain("ada@acme.example", "Question", "Can we pay yearly?")
    request = import_mail(original).request
    staff_client.post(
        f"/admin/requests/{request.public_id}/reject", data={"reason": "Monthly only, sorry."}
    )
    our_reply = only_message(mailbox)
    answer = mails.plain("ada@acme.example", our_reply["Subject"], "OK, thanks anyway.")
    answer["In-Reply-To"] = our_reply["Message-ID"]
    answer["References"] = f"{our_reply['References']} {our_reply['Message-ID']}"

    outcome = import_mail(answer)

    assert outcome.status == "reply"
    assert outcome.request == request
    assert "OK, thanks anyway." in SupportRequest.get_by_id(request.id).details
