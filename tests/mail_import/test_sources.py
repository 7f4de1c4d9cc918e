"""Whole mailboxes through the command line: Maildir, mbox, .eml, and a realistic week."""

import mailbox
from collections import Counter

import pytest

from backoffice.models import AuditEvent, InboundMail, SupportRequest
from backoffice.services.mail_import import import_source

from . import mails
from .conftest import import_mail
from .week import realistic_week


def summary_line(imported, replies, duplicates, triage, errors, unassigned=0):
    total = imported + replies + duplicates + triage + errors
    return (
        f"{total} messages read: {imported} imported ({unassigned} need an organization), "
        f"{replies} replies added to existing requests, {duplicates} duplicates, "
        f"{triage} triage, {errors} errors."
    )


def write_maildir(path, messages):
    box = mailbox.Maildir(path, create=True)
    for raw in messages:
        box.add(raw)
    return path


def write_mbox(path, messages):
    box = mailbox.mbox(path, create=True)
    for raw in messages:
        box.add(raw)
    box.close()
    return path


def test_every_mail_of_a_realistic_week_has_its_expected_fate(customers):
    week = realistic_week()
    assert len(week) >= 40

    outcomes = [(import_mail(raw).status, expected) for raw, expected in week]

    assert [got for got, _ in outcomes] == [expected for _, expected in outcomes]
    expected = Counter(status for _, status in week)
    assert SupportRequest.select().count() == expected["imported"]
    # Every message is stored once, except the exact duplicate.
    assert InboundMail.select().count() == len(week) - expected["duplicate"]
    assert (
        AuditEvent.select().where(AuditEvent.action == "request.imported").count()
        == (expected["imported"])
    )
    kinds = Counter(r.kind for r in SupportRequest.select())
    assert set(kinds) == {
        "plan_change",
        "plan_renewal",
        "number_add",
        "number_remove",
        "enable_embedding",
        "enable_api_access",
        "org_details",
        "other",
    }


def test_week_from_a_maildir_through_the_command(customers, runner, tmp_path):
    week = realistic_week()
    path = write_maildir(tmp_path / "Maildir", [raw for raw, _ in week])
    expected = Counter(status for _, status in week)

    result = runner.invoke(args=["requests", "import-mail", str(path)])

    assert result.exit_code == 0, result.output
    unassigned = SupportRequest.select().where(SupportRequest.organization.is_null()).count()
    assert unassigned == 4
    assert result.output.strip() == summary_line(
        expected["imported"],
        expected["reply"],
        expected["duplicate"],
        expected["triage"],
        expected["error"],
        unassigned,
    )

    again = runner.invoke(args=["requests", "import-mail", str(path)])

    assert again.exit_code == 0, again.output
    assert again.output.strip() == summary_line(0, 0, len(week), 0, 0)
    assert SupportRequest.select().count() == expected["imported"]


def test_mbox_file(customers, runner, tmp_path):
    messages = [
        mails.plain("ada@acme.example", "Upgrade", "Upgrade us."),
        mails.plain("eve@elsewhere.example", "Hi", "Hello."),
        mails.NOT_A_MAIL,
    ]
    path = write_mbox(tmp_path / "admin.mbox", [mails.as_bytes(m) for m in messages])

    result = runner.invoke(args=["requests", "import-mail", str(path)])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == summary_line(1, 0, 0, 1, 1)
    request = SupportRequest.get()
    assert request.details == "Upgrade us."
    assert runner.invoke(args=["requests", "import-mail", str(path)]).output.strip() == (
        summary_line(0, 0, 3, 0, 0)
    )


def test_single_eml_file(customers, runner, tmp_path):
    path = tmp_path / "request.eml"
    path.write_bytes(mails.as_bytes(mails.plain("carl@acme.example", "Embedding", "Please.")))

    result = runner.invoke(args=["requests", "import-mail", str(path)])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == summary_line(1, 0, 0, 0, 0)
    assert SupportRequest.get().kind == "enable_embedding"


def test_replies_are_imported_after_their_original_whatever_the_file_order(customers, tmp_path):
    original = mails.plain("ada@acme.example", "Add a number", "One more please.")
    reply = mails.reply_to(original, "ada@acme.example", "In Boston.")
    path = write_mbox(tmp_path / "box", [mails.as_bytes(reply), mails.as_bytes(original)])

    summary = import_source(path)

    assert (summary.imported, summary.replies) == (1, 1)
    assert "In Boston." in SupportRequest.get().details


def test_empty_mbox_reads_nothing(ctx, runner, tmp_path):
    path = tmp_path / "empty.mbox"
    path.write_bytes(b"")

    result = runner.invoke(args=["requests", "import-mail", str(path)])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == summary_line(0, 0, 0, 0, 0)


@pytest.mark.parametrize("name", ["missing.mbox", "plain-folder"])
def test_unreadable_source_fails(ctx, runner, tmp_path, name):
    (tmp_path / "plain-folder").mkdir()

    result = runner.invoke(args=["requests", "import-mail", str(tmp_path / name)])

    assert result.exit_code == 1
    assert "Error: " in result.output
    assert str(tmp_path / name) in result.output
    assert InboundMail.select().count() == 0
