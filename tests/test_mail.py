"""Mail goes out over SMTP after the change commits; a failed delivery is kept and retried."""

import pytest

from backoffice.models import OutboundMail
from backoffice.services.base import Actor
from backoffice.services.errors import Conflict
from backoffice.services.members import invite_member

from .conftest import another_app
from .factories import make_org
from .smtp import free_port


def test_invitation_mail_is_delivered_over_smtp(ctx, mailbox):
    org = make_org(name="Hooli")
    invite_member(Actor.system(), org, "new@hooli.example", "member")
    (message,) = mailbox
    assert message["Subject"] == "You're invited to join Hooli on Intrlume"
    assert message["From"] == "Intrlume <admin@intrlume.tech>"
    assert message.get_body(preferencelist=("html",)) is not None
    assert OutboundMail.get().status == "sent"


def test_smtp_down_keeps_the_change_and_the_mail_for_retry(app, mailbox, runner):
    dead_smtp = f"smtp://127.0.0.1:{free_port()}"
    with another_app(app, MAIL_URL=dead_smtp) as broken, broken.app_context():
        org = make_org()
        invitation, _ = invite_member(Actor.system(), org, "later@example.com", "member")
        outbound = OutboundMail.get()
        assert invitation.id is not None
        assert outbound.status == "failed"
        assert outbound.attempts == 1
        assert outbound.last_error
    assert mailbox == []
    with app.app_context():
        result = runner.invoke(args=["mail", "retry"])
    assert result.exit_code == 0, result.output
    assert "1 delivered, 0 still failing" in result.output
    assert [m["To"] for m in mailbox] == ["later@example.com"]
    assert OutboundMail.get().status == "sent"


def test_mail_is_not_sent_when_the_change_rolls_back(ctx, mailbox):
    org = make_org()
    invite_member(Actor.system(), org, "dup@example.com", "member")
    mailbox.clear()
    with pytest.raises(Conflict, match="already been invited"):
        invite_member(Actor.system(), org, "dup@example.com", "member")
    assert mailbox == []
    assert OutboundMail.select().count() == 1
