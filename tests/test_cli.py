"""Every command: what it does, its answer to bad arguments, and a second run."""

from backoffice.models import (
    AuditEvent,
    Invitation,
    LedgerEntry,
    Organization,
    StaffUser,
    SupportRequest,
)
from backoffice.models.billing import LedgerSummary
from backoffice.services.passwords import verify_password

from .factories import make_plan


def test_db_upgrade_twice(runner):
    first = runner.invoke(args=["db", "upgrade"])
    second = runner.invoke(args=["db", "upgrade"])
    assert first.exit_code == second.exit_code == 0
    assert "up to date" in second.output


def test_create_org_invites_its_admin_and_is_safe_to_rerun(runner, ctx, mailbox):
    make_plan(code="growth")
    args = [
        "create-org",
        "--name",
        "Initech",
        "--admin-email",
        "Boss@Initech.example",
        "--plan",
        "growth",
    ]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    org = Organization.get(Organization.name == "Initech")
    assert org.public_id in result.output
    assert "http://localhost/invitations/" in result.output
    assert org.plan.code == "growth"
    assert org.period_end > org.period_start
    invitation = Invitation.get(Invitation.organization == org)
    assert (invitation.email, invitation.role) == ("boss@initech.example", "admin")
    assert [m["To"] for m in mailbox] == ["boss@initech.example"]
    assert {e.action for e in AuditEvent.select()} == {"organization.created", "member.invited"}
    again = runner.invoke(args=args)
    assert again.exit_code == 0
    assert "already exists" in again.output
    assert Organization.select().count() == 1
    assert len(mailbox) == 1


def test_create_org_refuses_bad_arguments(runner, ctx):
    bad_email = runner.invoke(args=["create-org", "--name", "X", "--admin-email", "not-an-email"])
    assert bad_email.exit_code == 1
    assert "valid email address" in bad_email.output
    bad_plan = runner.invoke(
        args=["create-org", "--name", "X", "--admin-email", "a@x.example", "--plan", "nope"]
    )
    assert bad_plan.exit_code == 1
    assert "no plan with the code 'nope'" in bad_plan.output
    missing = runner.invoke(args=["create-org", "--name", "X"])
    assert missing.exit_code == 2
    assert Organization.select().count() == 0


def test_create_staff_with_password_option_and_rerun(runner, ctx):
    args = [
        "create-staff",
        "--email",
        "Sam@Intrlume.tech",
        "--role",
        "support",
        "--password",
        "a long staff passphrase",
    ]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    staff = StaffUser.get()
    assert staff.email == "sam@intrlume.tech"
    assert verify_password(staff.password_hash, "a long staff passphrase")
    assert "a long staff passphrase" not in staff.password_hash
    again = runner.invoke(args=args)
    assert again.exit_code == 0
    assert "already exists" in again.output
    assert StaffUser.select().count() == 1


def test_create_staff_prompts_for_the_password(runner, ctx):
    result = runner.invoke(
        args=["create-staff", "--email", "root@intrlume.tech", "--role", "superuser"],
        input="another long passphrase\nanother long passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert StaffUser.get().role == "superuser"


def test_create_staff_refuses_bad_arguments(runner, ctx):
    bad_role = runner.invoke(
        args=["create-staff", "--email", "a@intrlume.tech", "--role", "god", "--password", "x" * 12]
    )
    assert bad_role.exit_code == 2
    weak = runner.invoke(
        args=[
            "create-staff",
            "--email",
            "a@intrlume.tech",
            "--role",
            "support",
            "--password",
            "short",
        ]
    )
    assert weak.exit_code == 1
    assert "at least 12 characters" in weak.output
    assert StaffUser.select().count() == 0


def test_seed_demo_fills_every_area_and_keeps_balances_exact(runner, ctx):
    result = runner.invoke(args=["seed-demo", "--orgs", "4", "--ledger-entries", "300"])
    assert result.exit_code == 0, result.output
    assert "ada@acme.example" in result.output
    assert LedgerEntry.select().count() == 300
    assert SupportRequest.select().count() == 4
    for org in Organization.select():
        entries = LedgerEntry.select().where(LedgerEntry.organization == org)
        assert org.credit_balance == sum(e.credits for e in entries)
        summaries = LedgerSummary.select().where(LedgerSummary.organization == org)
        assert sum(s.entries for s in summaries) == entries.count()
        assert sum(s.credits_used for s in summaries) == -sum(
            e.credits for e in entries if e.credits < 0
        )
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0
    assert "already has data" in again.output
    assert LedgerEntry.select().count() == 300


def test_seed_demo_refuses_bad_arguments(runner, ctx):
    result = runner.invoke(args=["seed-demo", "--orgs", "0"])
    assert result.exit_code == 2
    assert Organization.select().count() == 0
