"""Members tab: the team list, invitations over real SMTP, roles, removal and the last admin."""

from datetime import timedelta

import pytest

from backoffice.clock import utcnow
from backoffice.models import AuditEvent, Invitation, Membership, User
from backoffice.permissions import SESSION_AUTHENTICATED

from ..conftest import another_app, link_in, login
from ..factories import PASSWORD, make_admin, make_user
from .conftest import actions, text


def membership_of(user, team):
    return Membership.get(Membership.user == user, Membership.organization == team.org)


def invite(client, email, role="member"):
    return client.post("/settings/members/invite", data={"email": email, "role": role})


def test_everyone_sees_the_team_and_pending_invitations(admin_client, member_client, team):
    invite(admin_client, "new.hire@acme.example", "admin")
    page = text(member_client.get("/settings/members"))
    assert "Ada Lovelace" in page
    assert "grace@acme.example" in page
    assert membership_of(team.member, team).created_at.strftime("%Y-%m-%d") in page
    assert "new.hire@acme.example" in page
    assert "Invited by" in page
    assert "Ada Lovelace" in page.split("Pending invitations")[1]
    assert ">Admin</td>" in page
    for admin_only in ('value="Invite"', ">Remove</button>", ">Revoke</button>", "Change role"):
        assert admin_only not in page
    admin_page = text(admin_client.get("/settings/members"))
    for admin_only in ('value="Invite"', ">Remove</button>", ">Resend</button>", "Change role"):
        assert admin_only in admin_page
    assert ">Email Address</label>" in admin_page
    assert 'for="role">Role</label>' in admin_page


def test_invitation_life_cycle_over_smtp(app, admin_client, team, mailbox):
    response = invite(admin_client, "New.Hire@Acme.example")
    assert response.status_code == 302
    assert "Invitation sent to new.hire@acme.example." in text(
        admin_client.get("/settings/members")
    )
    (message,) = mailbox
    assert message["To"] == "new.hire@acme.example"
    assert "Acme Robotics" in message["Subject"]
    path = link_in(message)
    invitation = Invitation.get()
    assert path.split("/")[-1] not in invitation.token_hash  # stored hashed only
    assert invitation.expires_at - utcnow() > timedelta(days=6, hours=23)

    newcomer = app.test_client()
    page = text(newcomer.get(path))
    assert "First Name" in page
    assert "Accept invitation" in page
    refused = newcomer.post(path, data={"first_name": "New", "last_name": "Hire", "password": "x"})
    assert refused.status_code == 400
    assert "Use at least 12 characters." in text(refused)
    accepted = newcomer.post(
        path, data={"first_name": "New", "last_name": "Hire", "password": "a long new passphrase"}
    )
    assert accepted.headers["Location"] == "/settings/profile"
    page = text(newcomer.get("/settings/profile"))
    assert "Welcome to Acme Robotics." in page
    assert ">API keys</a>" not in page  # a member's tabs
    user = User.get(User.email == "new.hire@acme.example")
    assert membership_of(user, team).role == "member"

    reused = app.test_client().get(path)
    assert reused.status_code == 410
    assert "already been used" in text(reused)
    assert actions() == ["member.invited", "member.joined"]


def test_expired_invitation_is_refused_until_resent(app, admin_client, team, mailbox):
    invite(admin_client, "late@acme.example")
    old_path = link_in(mailbox[0])
    Invitation.update(expires_at=utcnow() - timedelta(minutes=1)).execute()
    expired = app.test_client().get(old_path)
    assert expired.status_code == 410
    assert "This invitation has expired" in text(expired)
    assert "Expired" in text(admin_client.get("/settings/members"))

    invitation = Invitation.get()
    response = admin_client.post(f"/settings/invitations/{invitation.id}/resend")
    assert response.status_code == 302
    assert len(mailbox) == 2
    new_path = link_in(mailbox[1])
    assert new_path != old_path
    assert app.test_client().get(old_path).status_code == 410
    assert app.test_client().get(new_path).status_code == 200
    refreshed = Invitation.get_by_id(invitation.id)
    assert refreshed.expires_at > utcnow() + timedelta(days=6)
    assert actions() == ["member.invited", "member.invitation_resent"]


def test_revoked_invitation_link_is_refused(app, admin_client, team, mailbox):
    invite(admin_client, "nope@acme.example")
    path = link_in(mailbox[0])
    invitation = Invitation.get()
    assert admin_client.post(f"/settings/invitations/{invitation.id}/revoke").status_code == 302
    page = text(admin_client.get("/settings/members"))
    assert "The invitation for nope@acme.example has been revoked." in page
    assert "No pending invitations." in page
    response = app.test_client().get(path)
    assert response.status_code == 410
    assert "revoked" in text(response)
    again = admin_client.post(f"/settings/invitations/{invitation.id}/resend")
    assert again.status_code == 409
    assert "no longer open" in text(again)
    assert actions() == ["member.invited", "member.invitation_revoked"]


def test_signed_in_invitee_joins_and_the_wrong_account_is_told(app, admin_client, team, mailbox):
    existing = make_admin(email="ops@elsewhere.example")
    invite(admin_client, "ops@elsewhere.example", "admin")
    path = link_in(mailbox[0])

    wrong = team.client(app, "member")
    response = wrong.get(path)
    assert response.status_code == 403
    assert "you are logged in as grace@acme.example" in text(response)

    invitee = app.test_client()
    login(invitee, existing)
    assert "Join organization" in text(invitee.get(path))
    assert invitee.post(path).headers["Location"] == "/settings/profile"
    assert membership_of(existing, team).role == "admin"
    assert "Acme Robotics" in text(invitee.get("/settings/api-keys"))


@pytest.mark.parametrize(
    ("email", "role", "status", "message"),
    [
        ("not an address", "member", 422, "Enter a valid email address"),
        ("", "member", 400, "Enter the email address to invite."),
        ("someone@acme.example", "owner", 400, "Not a valid choice"),
        ("GRACE@acme.example", "member", 409, "grace@acme.example is already a member"),
        ("pending@acme.example", "admin", 409, "pending@acme.example has already been invited."),
    ],
)
def test_bad_invitations_are_refused(admin_client, team, mailbox, email, role, status, message):
    invite(admin_client, "pending@acme.example")
    mailbox.clear()
    response = invite(admin_client, email, role)
    assert response.status_code == status
    assert message in text(response)
    assert Invitation.select().count() == 1
    assert mailbox == []


def test_an_expired_invitation_is_replaced_by_a_new_one(admin_client, team):
    invite(admin_client, "again@acme.example")
    Invitation.update(expires_at=utcnow() - timedelta(days=1)).execute()
    assert invite(admin_client, "again@acme.example").status_code == 302
    states = sorted(i.state for i in Invitation.select())
    assert states == ["expired", "pending"]
    assert text(admin_client.get("/settings/members")).count("<td>again@acme.example</td>") == 1


def test_invitations_are_rate_limited_per_organization(app, team):
    with another_app(app, RATELIMIT_ENABLED=True, INVITE_RATE_LIMIT="2 per hour") as limited:
        ours, theirs = team.client(limited, "admin"), team.client(limited, "other_admin")
        answers = [invite(ours, f"person{n}@acme.example").status_code for n in range(3)]
        other = invite(theirs, "person@globex.example").status_code
    assert answers == [302, 302, 429]
    assert other == 302
    assert Invitation.select().count() == 3


def test_change_role_both_ways(admin_client, team):
    grace = membership_of(team.member, team)
    response = admin_client.post(
        f"/settings/members/{grace.id}/role", data={f"member-{grace.id}-role": "admin"}
    )
    assert response.status_code == 302
    assert "Grace Hopper is now Admin." in text(admin_client.get("/settings/members"))
    assert membership_of(team.member, team).role == "admin"
    event = AuditEvent.get(AuditEvent.action == "member.role_changed")
    assert (event.before, event.after) == ({"role": "member"}, {"role": "admin"})
    ada = membership_of(team.admin, team)
    admin_client.post(f"/settings/members/{ada.id}/role", data={f"member-{ada.id}-role": "member"})
    assert membership_of(team.admin, team).role == "member"
    assert admin_client.get("/settings/api-keys").status_code == 403


def test_last_admin_cannot_be_demoted_removed_or_leave(admin_client, team):
    ada = membership_of(team.admin, team)
    demoted = admin_client.post(
        f"/settings/members/{ada.id}/role", data={f"member-{ada.id}-role": "member"}
    )
    assert demoted.status_code == 409
    assert "Ada Lovelace is the last admin of Acme Robotics" in text(demoted)
    removed = admin_client.post(f"/settings/members/{ada.id}/remove")
    assert removed.status_code == 409
    assert "last admin" in text(removed)
    left = admin_client.post("/settings/members/leave")
    assert left.status_code == 409
    assert "You are the last admin of Acme Robotics" in text(left)
    assert membership_of(team.admin, team).role == "admin"
    assert actions() == []


def test_bad_role_is_refused(admin_client, team):
    grace = membership_of(team.member, team)
    response = admin_client.post(
        f"/settings/members/{grace.id}/role", data={f"member-{grace.id}-role": "owner"}
    )
    assert response.status_code == 400
    assert "Not a valid choice" in text(response)
    assert membership_of(team.member, team).role == "member"


def test_removed_member_loses_access_on_the_next_request(app, admin_client, team):
    grace_client = team.client(app, "member")
    assert grace_client.get("/settings/members").status_code == 200
    grace = membership_of(team.member, team)
    response = admin_client.post(f"/settings/members/{grace.id}/remove")
    assert response.status_code == 302
    assert "Grace Hopper has been removed from Acme Robotics." in text(
        admin_client.get("/settings/members")
    )
    assert grace_client.get("/settings/members").headers["Location"].startswith("/login")
    assert not Membership.select().where(Membership.user == team.member).exists()
    event = AuditEvent.get(AuditEvent.action == "member.removed")
    assert event.before == {"email": "grace@acme.example", "role": "member"}


def test_member_leaves_and_keeps_other_organizations(app, team):
    Membership.create(user=team.member, organization=team.other_org, role="member")
    client = team.client(app, "member")
    assert client.post("/settings/members/leave").status_code == 302
    page = text(client.get("/settings/profile"))
    assert "You have left Acme Robotics." in page
    assert "Globex Health" in page
    assert actions() == ["member.left"]


def test_admin_removing_themselves_leaves(app, admin_client, team):
    grace = membership_of(team.member, team)
    grace.role = "admin"
    grace.save()
    ada = membership_of(team.admin, team)
    response = admin_client.post(f"/settings/members/{ada.id}/remove")
    assert response.headers["Location"] == "/settings/profile"
    assert admin_client.get("/settings/profile").headers["Location"] == "/no-organization"
    assert actions() == ["member.left"]


def test_role_change_needs_a_recent_login(admin_client, team):
    with admin_client.session_transaction() as session:
        session[SESSION_AUTHENTICATED] = 0
    grace = membership_of(team.member, team)
    url = f"/settings/members/{grace.id}/role"
    response = admin_client.post(url, data={f"member-{grace.id}-role": "admin"})
    assert response.headers["Location"] == "/settings/confirm-password?next=/settings/members"
    assert membership_of(team.member, team).role == "member"

    confirm = "/settings/confirm-password?next=/settings/members"
    page = text(admin_client.get(confirm))
    assert ">Password</label>" in page
    wrong = admin_client.post(confirm, data={"password": "not the password"})
    assert wrong.status_code == 401
    assert "That password is not right." in text(wrong)
    right = admin_client.post(confirm, data={"password": PASSWORD})
    assert right.headers["Location"] == "/settings/members"
    admin_client.post(url, data={f"member-{grace.id}-role": "admin"})
    assert membership_of(team.member, team).role == "admin"


def test_confirm_password_never_sends_you_off_site(admin_client, team):
    response = admin_client.post(
        "/settings/confirm-password?next=https://evil.example/", data={"password": PASSWORD}
    )
    assert response.headers["Location"] == "/settings/profile"


def test_another_organizations_ids_are_404(app, team):
    stranger = make_user()
    Membership.create(user=stranger, organization=team.other_org, role="member")
    theirs = Membership.get(Membership.user == stranger)
    client = team.client(app, "admin")
    response = client.post(f"/settings/members/{theirs.id}/remove")
    assert response.status_code == 404
    assert Membership.get_or_none(Membership.id == theirs.id) is not None
