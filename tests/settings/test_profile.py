"""Profile tab: one's own name, email address, phone number and password."""

import pytest

from backoffice.models import AuditEvent, User
from backoffice.services.base import Actor
from backoffice.services.errors import ValidationFailed
from backoffice.services.profile import format_phone, normalize_phone, update_profile

from ..conftest import login
from ..factories import PASSWORD, make_user
from .conftest import actions, text


def profile_data(user, **changes):
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": "",
        "current_password": "",
    }
    data.update(changes)
    return data


def test_profile_shows_the_help_page_labels(member_client, team):
    page = text(member_client.get("/settings/profile"))
    for label in ("First Name", "Last Name", "Email Address", "Phone Number"):
        assert f">{label}</label>" in page
    assert 'value="Save Profile"' in page
    assert 'for="first_name"' in page
    assert 'id="first_name"' in page


def test_save_profile_stores_e164_and_shows_it_formatted(member_client, team):
    response = member_client.post(
        "/settings/profile",
        data=profile_data(team.member, first_name="Amazing", phone="(415) 555-0132"),
    )
    assert response.status_code == 302
    user = User.get_by_id(team.member.id)
    assert (user.first_name, user.phone) == ("Amazing", "+14155550132")
    page = text(member_client.get("/settings/profile"))
    assert "Your profile has been saved." in page
    assert 'value="+1 415-555-0132"' in page
    event = AuditEvent.get(AuditEvent.action == "user.profile_updated")
    assert event.after == {"first_name": "Amazing", "phone": "+14155550132"}
    assert event.actor_id == team.member.id


def test_national_numbers_use_the_organizations_country(app, member_client, team):
    team.org.country = "GB"
    team.org.save()
    member_client.post("/settings/profile", data=profile_data(team.member, phone="020 7946 0958"))
    assert User.get_by_id(team.member.id).phone == "+442079460958"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"first_name": ""}, "Enter your first name."),
        ({"first_name": "   "}, "Enter your first name"),
        ({"last_name": "x" * 101}, "Field cannot be longer than 100 characters."),
        ({"last_name": " "}, "Enter your last name"),
        ({"email": "not-an-email"}, "Enter a valid email address"),
        ({"email": ""}, "Enter your email address."),
        ({"phone": "12"}, "Enter a valid phone number"),
        ({"phone": "+1 555 000"}, "Enter a valid phone number"),
        ({"email": "grace.new@acme.example"}, "Enter your current password to change"),
        (
            {"email": "grace.new@acme.example", "current_password": "wrong password!"},
            "Enter your current password to change",
        ),
        (
            {"email": "ADA@acme.example", "current_password": PASSWORD},
            "Another account already uses this email address.",
        ),
    ],
)
def test_bad_profile_input_is_refused_and_nothing_saved(member_client, team, changes, message):
    before = User.get_by_id(team.member.id).__data__.copy()
    response = member_client.post("/settings/profile", data=profile_data(team.member, **changes))
    assert response.status_code in (400, 409, 422)
    assert message in text(response)
    assert User.get_by_id(team.member.id).__data__ == before
    assert actions() == []


def test_changing_email_with_the_current_password(app, member_client, team):
    response = member_client.post(
        "/settings/profile",
        data=profile_data(team.member, email="Grace.H@Acme.example", current_password=PASSWORD),
    )
    assert response.status_code == 302
    assert User.get_by_id(team.member.id).email == "grace.h@acme.example"
    assert actions() == ["user.profile_updated"]
    fresh = app.test_client()
    login(fresh, User.get_by_id(team.member.id))


def test_unchanged_profile_writes_no_event(member_client, team):
    member_client.post("/settings/profile", data=profile_data(team.member))
    assert actions() == []


def test_change_password_keeps_this_session_and_ends_the_others(app, team):
    here, elsewhere = team.client(app, "member"), team.client(app, "member")
    response = here.post(
        "/settings/profile/password",
        data={
            "change-current_password": PASSWORD,
            "change-new_password": "a much newer passphrase",
        },
    )
    assert response.status_code == 302
    assert "Your password has been changed" in text(here.get("/settings/profile"))
    assert elsewhere.get("/settings/profile").headers["Location"].startswith("/login")
    assert actions() == ["user.password_changed"]
    login(app.test_client(), team.member, password="a much newer passphrase")


@pytest.mark.parametrize(
    ("current", "new", "message"),
    [
        ("not my password", "a much newer passphrase", "The current password is not right."),
        (PASSWORD, "short", "Use at least 12 characters."),
        (PASSWORD, "password1234", "This password is too common"),
        ("", "a much newer passphrase", "Enter your current password."),
    ],
)
def test_bad_password_change_is_refused(app, member_client, team, current, new, message):
    before = User.get_by_id(team.member.id).password_hash
    response = member_client.post(
        "/settings/profile/password",
        data={"change-current_password": current, "change-new_password": new},
    )
    assert response.status_code in (400, 422)
    assert message in text(response)
    assert User.get_by_id(team.member.id).password_hash == before
    assert member_client.get("/settings/profile").status_code == 200


def test_phone_helpers():
    assert normalize_phone("") is None
    assert normalize_phone("+44 20 7946 0958") == "+442079460958"
    assert normalize_phone("(415) 555-0132", "US") == "+14155550132"
    assert format_phone("+442079460958") == "+44 20 7946 0958"
    with pytest.raises(ValidationFailed):
        normalize_phone("415 555 0132")  # no region and no country code


def test_update_profile_service_checks_uniqueness_case_insensitively(ctx):
    first, second = make_user(email="one@example.com"), make_user()
    with pytest.raises(Exception, match="already uses"):
        update_profile(
            Actor.user(second),
            second,
            first_name="A",
            last_name="B",
            email="ONE@example.com",
            phone=None,
            current_password=PASSWORD,
        )
    assert User.get_by_id(second.id).email == second.email
    assert first.email == "one@example.com"
