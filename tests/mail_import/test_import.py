"""One message at a time: who sent it, for which organization, what it asks, and what is kept."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backoffice.models import AuditEvent, InboundMail, SupportRequest
from backoffice.services import mail_import
from backoffice.services.mail_import import classify_kind

from . import mails
from .conftest import import_mail


def only_request() -> SupportRequest:
    (request,) = SupportRequest.select()
    return request


def test_plain_mail_becomes_a_request_with_audit(customers):
    message = mails.plain(
        "Ada Lovelace <ada@acme.example>",
        "Please upgrade us to the Business plan",
        "Hi team,\n\nWe keep hitting the agent limit. Can you move us up?\n\nAda",
    )

    outcome = import_mail(message)

    assert outcome.status == "imported"
    request = only_request()
    assert request.organization == customers.acme
    assert request.requested_by == customers.ada
    assert request.requester_email == "ada@acme.example"
    assert request.kind == "plan_change"
    assert request.source == "email"
    assert request.state == "open"
    assert not request.needs_triage
    assert "We keep hitting the agent limit" in request.details
    assert request.mail_message_id == message["Message-ID"]
    assert request.mail_subject == "Please upgrade us to the Business plan"
    mail = InboundMail.get(InboundMail.request == request)
    assert mail.status == "request"
    assert mail.organization == customers.acme
    assert ["Subject", "Please upgrade us to the Business plan"] in mail.headers
    assert mail_import.mail_for_request(request) == mail
    (event,) = AuditEvent.select().where(AuditEvent.action == "request.imported")
    assert event.actor_type == "system"
    assert event.organization == customers.acme
    assert event.target_id == request.public_id
    assert event.after["kind"] == "plan_change"


def test_sender_matched_ignoring_case_display_name_and_plus_tag(customers):
    import_mail(mails.plain('"Lovelace, Ada" <Ada+Billing@ACME.example>', "Renewal", "Renew us."))

    request = only_request()
    assert request.requested_by == customers.ada
    assert request.kind == "plan_renewal"
    # Replies go back to the address the customer wrote from.
    assert request.requester_email == "ada+billing@acme.example"


def test_multipart_alternative_keeps_the_text_part(customers):
    import_mail(
        mails.alternative(
            "carl@acme.example",
            "Widget on our website",
            "Please turn on the web widget for shop.acme.example.",
            "<p>Please turn on the <b>web widget</b> for shop.acme.example.</p>",
        )
    )

    request = only_request()
    assert request.kind == "enable_embedding"
    assert request.requested_by == customers.carl
    assert request.details == "Please turn on the web widget for shop.acme.example."


def test_html_only_mail_is_turned_into_text(customers):
    import_mail(
        mails.html_only(
            "ada@acme.example",
            "API",
            "<html><body><p>Hello,</p><p>Could you <strong>enable API access</strong> for us?"
            "</p><ul><li>CRM sync</li></ul><script>alert(1)</script></body></html>",
        )
    )

    request = only_request()
    assert request.kind == "enable_api_access"
    assert "Could you **enable API access** for us?" in request.details
    assert "* CRM sync" in request.details
    assert "<p>" not in request.details


@pytest.mark.parametrize("cte", ["quoted-printable", "base64"])
def test_encoded_bodies_are_decoded(customers, cte):
    body = (
        "Bonjour, nous avons besoin d'un numéro supplémentaire à Paris (+33). "
        "Merci beaucoup — Ada. " + "Ligne très longue " * 10
    )
    message = mails.plain("ada@acme.example", "Need another phone number", body, cte=cte)
    assert f"Content-Transfer-Encoding: {cte}".encode() in mails.as_bytes(message)

    import_mail(message)

    request = only_request()
    assert request.kind == "number_add"
    assert "numéro supplémentaire à Paris" in request.details


def test_non_ascii_subject_is_decoded(customers):
    message = mails.plain(
        "Ada Lövelace <ada@acme.example>",
        "Änderung der Rechnungsadresse – Acme Robotics GmbH",
        "Bitte ändern Sie unsere Billing-E-Mail auf rechnung@acme.example.",
    )
    assert b"=?utf-8?" in mails.as_bytes(message)

    import_mail(message)

    request = only_request()
    assert request.mail_subject == "Änderung der Rechnungsadresse – Acme Robotics GmbH"
    assert InboundMail.get().subject == request.mail_subject
    assert request.kind == "org_details"


def test_customer_forwarding_a_colleagues_mail_is_their_request(customers):
    original = mails.plain(
        "Dana <dana@acme-partner.example>", "Numbers", "Could Acme remove +14155550100?"
    )
    import_mail(mails.forwarded_inline("ada@acme.example", original, "See below, please do."))

    request = only_request()
    assert request.requested_by == customers.ada
    assert request.kind == "number_remove"
    assert "Forwarded message" in request.details
    assert "remove +14155550100" in request.details


def test_staff_forwarding_a_customer_mail_files_it_for_the_customer(customers):
    original = mails.plain("Carl <carl@acme.example>", "Second number", "We need another number.")
    import_mail(mails.forwarded_attached("sam@intrlume.tech", original, "Came to my inbox."))

    request = only_request()
    assert request.requested_by == customers.carl
    assert request.requester_email == "carl@acme.example"
    assert request.organization == customers.acme
    assert request.kind == "number_add"
    # The reply answers the customer's own mail, which is the thread they know.
    assert request.mail_message_id == original["Message-ID"]
    assert request.mail_subject == "Second number"
    assert "We need another number." in request.details


def test_reply_in_thread_is_added_to_the_request(customers):
    original = mails.plain("ada@acme.example", "Add a number", "One more US number please.")
    import_mail(original)
    reply = mails.reply_to(original, "Ada <ADA@acme.example>", "Area code 415 if possible.")

    outcome = import_mail(reply)

    assert outcome.status == "reply"
    request = only_request()
    assert outcome.request == request
    assert "Area code 415 if possible." in request.details
    assert request.details.count("One more US number please.") == 1
    thread = list(mail_import.mails_for_request(request))
    assert [m.message_id for m in thread] == [original["Message-ID"], reply["Message-ID"]]
    # The stored mail keeps the quoted text; only the request details leave it out.
    assert "> One more US number please." in thread[1].body_text
    assert AuditEvent.select().where(AuditEvent.action == "request.reply_imported").count() == 1


def test_reply_to_a_reply_finds_the_thread_through_references(customers):
    original = mails.plain("ada@acme.example", "Renew our plan", "Renew please.")
    import_mail(original)
    first = mails.reply_to(original, "ada@acme.example", "Any news?")
    import_mail(first)
    second = mails.reply_to(first, "carl@acme.example", "Chasing this for Ada.")
    del second["In-Reply-To"]
    second["In-Reply-To"] = "<our-answer@intrlume.tech>"

    assert import_mail(second).status == "reply"
    assert "Chasing this for Ada." in only_request().details


def test_reply_from_outside_the_organization_goes_to_triage(customers):
    original = mails.plain("ada@acme.example", "Add a number", "One more please.")
    import_mail(original)

    outcome = import_mail(mails.reply_to(original, "mallory@evil.example", "Send it to me."))

    assert outcome.status == "triage"
    assert "outside its organization" in outcome.mail.reason
    assert "Send it to me." not in only_request().details


def test_missing_message_id_is_deduplicated_by_content(customers):
    raw = mails.as_bytes(
        mails.plain("ada@acme.example", "Rename", "Rename us to Acme Ltd.", message_id=False)
    )
    assert b"Message-ID" not in raw
    assert b"\r\n" in raw

    first = import_mail(raw)
    again = import_mail(raw.replace(b"\r\n", b"\n"))

    assert (first.status, again.status) == ("imported", "duplicate")
    mail = InboundMail.get()
    assert mail.message_id is None
    assert len(mail.content_hash) == 64
    assert SupportRequest.select().count() == 1


def test_same_message_id_is_a_duplicate(customers):
    message = mails.plain("ada@acme.example", "Renewal", "Renew.")
    import_mail(message)
    message.replace_header("Subject", "Renewal (resent)")

    assert import_mail(message).status == "duplicate"
    assert InboundMail.select().count() == 1


def test_bounce_is_triage_not_a_request(customers):
    original = mails.plain("admin@intrlume.tech", "Your request", "Done.")
    outcome = import_mail(mails.bounce(original))

    assert outcome.status == "triage"
    assert outcome.mail.reason == "Delivery report (bounce)."
    assert outcome.mail.from_address == "mailer-daemon@mx.acme.example"
    assert SupportRequest.select().count() == 0


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto-Submitted": "auto-replied"}, "Automatic reply (Auto-Submitted: auto-replied)."),
        ({"Precedence": "bulk"}, "Bulk mail (Precedence: bulk)."),
        ({"X-Autoreply": "yes"}, "Automatic reply (X-Autoreply)."),
    ],
)
def test_machine_mail_from_a_customer_is_triage(customers, headers, reason):
    outcome = import_mail(mails.plain("ada@acme.example", "Upgrade", "Upgrade", **headers))

    assert outcome.status == "triage"
    assert outcome.mail.reason == reason
    assert SupportRequest.select().count() == 0


def test_out_of_office_and_postmaster_are_triage(customers):
    assert import_mail(mails.auto_reply("ada@acme.example")).status == "triage"
    notice = mails.plain("postmaster@acme.example", "Delivery delayed", "Still trying.")
    assert import_mail(notice).mail.reason == "Bounce or notice from postmaster@acme.example."
    assert SupportRequest.select().count() == 0


def test_auto_submitted_no_is_a_person(customers):
    message = mails.plain("ada@acme.example", "Upgrade", "Upgrade", **{"Auto-Submitted": "no"})
    assert import_mail(message).status == "imported"


def test_unknown_sender_is_triage(customers):
    outcome = import_mail(mails.plain("eve@elsewhere.example", "Add a number", "Please."))

    assert outcome.status == "triage"
    assert outcome.mail.reason == "Unknown sender eve@elsewhere.example."
    assert outcome.mail.body_text == "Please."
    assert SupportRequest.select().count() == 0


@pytest.mark.parametrize(
    ("subject", "body", "expected"),
    [
        ("Numbers for Contoso Labs", "Please add a number.", "contoso"),
        ("Add a number", "For Northwind Traders, thanks.", "northwind"),
        ("Add a number", "Org ID {contoso_id}", "contoso"),
    ],
)
def test_sender_in_two_organizations_naming_one(customers, subject, body, expected):
    body = body.format(contoso_id=customers.contoso.public_id)
    import_mail(mails.plain("bob@northwind.example", subject, body))

    request = only_request()
    assert request.organization == getattr(customers, expected)
    assert not request.needs_triage


def test_sender_in_two_organizations_naming_none_needs_triage(customers):
    outcome = import_mail(mails.plain("bob@northwind.example", "Add a number", "One more."))

    assert outcome.status == "imported"
    request = only_request()
    assert request.organization is None
    assert request.needs_triage
    assert request.requested_by == customers.bob
    assert "several organizations" in outcome.mail.reason
    assert outcome.mail in list(mail_import.triage_mails())


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (mails.UNKNOWN_CHARSET, "x-no-such-charset"),
        (mails.NOT_A_MAIL, "no mail headers found"),
    ],
)
def test_malformed_message_is_kept_as_error_once(customers, raw, reason):
    outcome = import_mail(raw)

    assert outcome.status == "error"
    mail = InboundMail.get()
    assert mail.status == "error"
    assert mail.reason.startswith("Could not read the message:")
    assert reason in mail.reason
    assert mail.body_text
    assert import_mail(raw).status == "duplicate"
    assert InboundMail.select().count() == 1


@pytest.mark.parametrize(
    ("subject", "body", "kind"),
    [
        ("Upgrade", "", "plan_change"),
        ("Switch to a bigger plan", "", "plan_change"),
        ("Question", "Can we move to the annual plan?", "plan_change"),
        ("Subscription", "Our plan expires next week, please renew it.", "plan_renewal"),
        ("New local number", "", "number_add"),
        ("Numbers", "Please release +14155550123, we no longer use it.", "number_remove"),
        ("Numbers", "We no longer need the number ending 0123.", "number_remove"),
        ("Embedding", "", "enable_embedding"),
        ("Access", "We'd like an API key for our CRM.", "enable_api_access"),
        ("Invoices", "Please update the billing email to ap@acme.example.", "org_details"),
        ("VAT", "Our VAT number changed to DE123456789.", "org_details"),
        ("Hello", "What is the number of agents in our plan?", "other"),
        ("Thanks", "Great call yesterday!", "other"),
    ],
)
def test_kind_classification(subject, body, kind):
    assert classify_kind(subject, body) == kind


def test_quoted_text_does_not_decide_the_kind():
    body = "Thanks, all good.\n\nOn Mon, Ada wrote:\n> please upgrade us"
    assert classify_kind("Re: hello", body) == "other"


def test_mail_stored_by_a_concurrent_run_counts_as_a_duplicate(customers, monkeypatch):
    raw = mails.as_bytes(mails.plain("ada@acme.example", "Renewal", "Renew."))
    import_mail(raw)
    # The other run's insert lands between this run's check and its own insert.
    monkeypatch.setattr(mail_import, "is_known", lambda message_id, digest: False)

    outcome = import_mail(raw)

    assert outcome.status == "duplicate"
    assert SupportRequest.select().count() == 1
    assert AuditEvent.select().where(AuditEvent.action == "request.imported").count() == 1


SAMPLE = mails.as_bytes(
    mails.alternative(
        "Ada Lövelace <ada+x@acme.example>",
        "Änderung: upgrade",
        "Please upgrade us.\n> quoted",
        "<p>Please <b>upgrade</b> us.</p>",
        References="<a@mail.example> <b@mail.example>",
    )
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    cut=st.integers(0, len(SAMPLE)),
    noise=st.binary(max_size=40),
    at=st.integers(0, len(SAMPLE)),
)
def test_no_mail_is_ever_dropped(customers, cut, noise, at):
    raw = (SAMPLE[:at] + noise + SAMPLE[at:])[: max(cut, 1)]
    before = InboundMail.select().count()

    outcome = import_mail(raw)

    assert outcome.status in {"imported", "reply", "duplicate", "triage", "error"}
    stored = InboundMail.select().count() - before
    assert stored == (0 if outcome.status == "duplicate" else 1)


@pytest.mark.parametrize(
    "raw",
    [
        b"From: ada@acme.example\r\nSubject: up\x00grade\r\nMessage-ID: <n\x00ul@x>\r\n\r\n"
        b"Upgrade\x00 us.",
        b"From: ada@acme.example\r\nSubject: =?utf-8?q?up=00grade?=\r\n\r\nUpgrade us.",
        b"From: ada@acme.example\r\nContent-Type: text/plain; charset=x-bad\r\n"
        b"Subject: b\x00d\r\n\r\nbody",
    ],
)
def test_nul_characters_anywhere_are_stored(customers, raw):
    outcome = import_mail(raw)

    assert outcome.status in {"imported", "error"}
    mail = InboundMail.get()
    assert "\x00" not in mail.subject + mail.body_text + (mail.message_id or "")


def test_nul_in_a_decoded_reply_body_is_stored(customers):
    original = mails.plain("ada@acme.example", "Add a number", "One more please.")
    import_mail(original)
    reply = mails.reply_to(original, "ada@acme.example", "Boston\x00 please.", cte="base64")

    assert import_mail(reply).status == "reply"
    assert "Boston" in only_request().details


def test_undecodable_header_bytes_are_stored_readably(customers, staff_client_for):
    raw = (
        b"From: Ren\xe9 <ada@acme.example>\r\nSubject: Upgrade \xff\xfe now\r\n"
        b"X-Odd: \xc3\r\n\r\nPlease upgrade."
    )

    outcome = import_mail(raw)

    assert outcome.status == "imported"
    mail = InboundMail.get()
    assert mail.subject == "Upgrade \ufffd\ufffd now"
    assert ["X-Odd", "\ufffd"] in mail.headers
    page = staff_client_for(customers.sam).get(f"/admin/requests/{outcome.request.public_id}/")
    assert page.status_code == 200
    assert "Upgrade \ufffd\ufffd now" in page.get_data(as_text=True)
