"""`flask requests fetch-imap` against a real IMAP server (Dovecot on 127.0.0.1)."""

import pytest

from backoffice.models import InboundMail, SupportRequest

from ..mail_import import mails
from ..mail_import.test_sources import summary_line


def fetch(runner):
    return runner.invoke(args=["requests", "fetch-imap"])


def test_unseen_mail_is_imported_and_marked_seen(customers, imap_inbox, runner):
    request = mails.plain("Ada <ada@acme.example>", "Add a number", "One more, please.")
    imap_inbox.deliver(mails.as_bytes(request))
    imap_inbox.deliver(mails.as_bytes(mails.plain("eve@elsewhere.example", "Hi", "Hello")))
    imap_inbox.deliver(mails.bounce(request))
    imap_inbox.deliver(mails.NOT_A_MAIL)
    already_read = mails.plain("carl@acme.example", "Old", "Handled by hand last year.")
    imap_inbox.deliver(mails.as_bytes(already_read), seen=True)

    result = fetch(runner)

    assert result.exit_code == 0, result.output
    assert result.output.strip() == summary_line(1, 0, 0, 2, 1)
    created = SupportRequest.get()
    assert (created.kind, created.organization) == ("number_add", customers.acme)
    assert created.mail_message_id == request["Message-ID"]
    assert InboundMail.select().where(InboundMail.from_address == "carl@acme.example").count() == 0
    assert all("\\Seen" in flags for flags in imap_inbox.flags())

    again = fetch(runner)

    assert again.exit_code == 0, again.output
    assert again.output.strip() == summary_line(0, 0, 0, 0, 0)
    assert SupportRequest.select().count() == 1


def test_mail_already_imported_from_a_file_is_a_duplicate(customers, imap_inbox, runner):
    raw = mails.as_bytes(mails.plain("ada@acme.example", "Renewal", "Renew, please."))
    imap_inbox.deliver(raw)
    from backoffice.services.mail_import import import_message

    from ..mail_import.conftest import TEST_ACTOR

    import_message(raw.replace(b"\r\n", b"\n"), actor=TEST_ACTOR)

    result = fetch(runner)

    assert result.output.strip() == summary_line(0, 0, 1, 0, 0)
    assert imap_inbox.flags() == [imap_inbox.flags()[0]]
    assert "\\Seen" in imap_inbox.flags()[0]


def test_reply_over_imap_joins_its_request(customers, imap_inbox, runner):
    original = mails.plain("ada@acme.example", "Embedding", "Please enable embedding.")
    imap_inbox.deliver(mails.as_bytes(original))
    assert fetch(runner).exit_code == 0
    imap_inbox.deliver(mails.as_bytes(mails.reply_to(original, "ada@acme.example", "Urgent!")))

    result = fetch(runner)

    assert result.output.strip() == summary_line(0, 1, 0, 0, 0)
    assert "Urgent!" in SupportRequest.get().details


def test_wrong_password_fails_without_showing_it(customers, imap_inbox, runner, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMAP_URL", imap_inbox.url(password="not-the-password"))
    imap_inbox.deliver(mails.as_bytes(mails.plain("ada@acme.example", "Upgrade", "Please.")))

    result = fetch(runner)

    assert result.exit_code == 1
    assert "Could not read the IMAP mailbox" in result.output
    assert "not-the-password" not in result.output
    assert "\\Seen" not in imap_inbox.flags()[0]
    assert InboundMail.select().count() == 0


def test_unknown_folder_and_missing_url_fail(customers, imap_inbox, runner, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMAP_URL", imap_inbox.url(folder="Nope"))
    assert fetch(runner).exit_code == 1

    monkeypatch.setitem(app.config, "IMAP_URL", "")
    result = fetch(runner)

    assert result.exit_code == 1
    assert "Set IMAP_URL" in result.output


def test_imaps_url(customers, imap_inbox, runner, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMAP_URL", imap_inbox.url(tls=True))
    imap_inbox.deliver(mails.as_bytes(mails.plain("ada@acme.example", "Upgrade", "Please.")))

    result = fetch(runner)

    assert result.exit_code == 0, result.output
    assert result.output.strip() == summary_line(1, 0, 0, 0, 0)


@pytest.mark.parametrize("tls", [True, False])
def test_untrusted_certificate_is_refused(customers, imap_inbox, runner, app, monkeypatch, tls):
    monkeypatch.setitem(app.config, "IMAP_URL", imap_inbox.url(tls=tls))
    monkeypatch.setenv("SSL_CERT_FILE", "/nonexistent/ca.pem")
    imap_inbox.deliver(mails.as_bytes(mails.plain("ada@acme.example", "Upgrade", "Please.")))

    result = fetch(runner)

    assert result.exit_code == 1
    assert "CERTIFICATE_VERIFY_FAILED" in result.output
    assert InboundMail.select().count() == 0
