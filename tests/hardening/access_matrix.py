"""Every route and method, with the answer each kind of caller must get.

Answers: OK (served, or a redirect within the caller's own area), LOGIN (sent to /login),
STAFF_LOGIN (sent to /admin/login), or a status code (401, 403, 404, 405…). POSTs are sent
with an empty body: an allowed caller may get a validation message (400/422) but never a
refusal, a login page or a 500.
"""

import re
import secrets
from dataclasses import dataclass, field

from backoffice.models import InboundMail, Membership
from backoffice.services.base import Actor
from backoffice.services.members import invite_member
from backoffice.services.requests import file_request

OK = "ok"
LOGIN = "login"
STAFF_LOGIN = "staff_login"


def everyone(answer):
    return dict.fromkeys(
        (
            "anonymous",
            "member",
            "admin",
            "other_admin",
            "api_key",
            "other_api_key",
            "support",
            "superuser",
        ),
        answer,
    )


def customer_page(member=OK):
    """A Settings page: customers of the current organization only, never staff or keys."""
    answers = everyone(LOGIN)
    answers.update(member=member, admin=OK, other_admin=OK)
    return answers


def console_page(superuser_only=False, staff=OK):
    """A console page: staff only (customers refused, keys and strangers sent to log in)."""
    answers = everyone(STAFF_LOGIN)
    answers.update(member=403, admin=403, other_admin=403)
    answers.update(support=403 if superuser_only else staff, superuser=staff)
    return answers


def api_endpoint(other_key=OK):
    """A key-authenticated endpoint: sessions never count, another org's ids are 404."""
    answers = everyone(401)
    answers.update(api_key=OK, other_api_key=other_key)
    return answers


@dataclass
class Row:
    methods: tuple[str, ...]
    rule: str  # a Flask rule, or a regular expression when it starts with ^
    expect: dict
    # callable(world) -> concrete path, called afresh for each caller since a caller's request
    # may use its object up; defaults to the rule itself
    url: object = None
    data: dict = field(default_factory=dict)
    json: dict | None = None

    def matches(self, method: str, rule: str) -> bool:
        if method not in self.methods:
            return False
        if self.rule.startswith("^"):
            return re.match(self.rule, rule) is not None
        return self.rule == rule

    def path(self, world) -> str | None:
        if self.url is not None:
            return self.url(world)
        return None if "<" in self.rule else self.rule


GET, POST, PATCH = ("GET",), ("POST",), ("PATCH",)
PUBLIC = everyone(OK)
CUSTOMERS_ONLY = {**everyone(LOGIN), "member": OK, "admin": OK, "other_admin": OK}

ADMIN_ONLY = customer_page(member=403)
ADMIN_OBJECT = {**customer_page(member=403), "other_admin": 404}


def membership_url(action):
    def url(world):
        membership, _ = Membership.get_or_create(
            user=world.member, organization=world.org, defaults={"role": "member"}
        )
        return f"/settings/members/{membership.id}/{action}"

    return url


def invitation_url(action):
    def url(world):
        email = f"hire-{secrets.token_hex(4)}@a.example"
        invitation, _ = invite_member(Actor.system("test"), world.org, email, "member")
        return f"/settings/invitations/{invitation.id}/{action}"

    return url


def request_url(suffix=""):
    def url(world):
        request = file_request(
            Actor.system("test"), world.org, "enable_api_access", "Please", source="staff"
        )
        return f"/admin/requests/{request.public_id}/{suffix}"

    return url


def triage_mail_url(suffix=""):
    def url(world):
        mail = InboundMail.create(content_hash=secrets.token_hex(8), status="triage", subject="Hi")
        return f"/admin/mail-triage/{mail.id}/{suffix}"

    return url


# Flask-Admin's generated routes of each model view; operations a view disables send staff
# back to its list rather than refusing them.
FLASK_ADMIN_ROUTES = [
    (GET, ""),
    (GET + POST, "new/"),
    (GET + POST, "edit/"),
    (GET, "details/"),
    (POST, "delete/"),
    (POST, "action/"),
    (GET, "export/<export_type>/"),
]
FLASK_ADMIN_AJAX = [(GET, "ajax/lookup/"), (POST, "ajax/update/")]
CONSOLE_MODEL_VIEWS = {
    "requests": False,
    "organizations": False,
    "numbers": False,
    "plans": True,
    "users": False,
    "ledger": False,
    "agents": False,
    "calls": False,
    "audit": False,
    "staff": True,
}


def flask_admin_rows():
    for view, superuser_only in CONSOLE_MODEL_VIEWS.items():
        for methods, suffix in FLASK_ADMIN_ROUTES:
            path = f"/admin/{view}/{suffix.replace('<export_type>', 'csv')}"
            yield Row(
                methods,
                f"/admin/{view}/{suffix}",
                console_page(superuser_only),
                url=lambda w, path=path: path,
            )
        for methods, suffix in FLASK_ADMIN_AJAX:
            # No view declares ajax fields, so staff find nothing there.
            yield Row(methods, f"/admin/{view}/{suffix}", console_page(superuser_only, staff=404))


ROWS = [
    Row(GET, "/", PUBLIC),
    Row(GET + POST, "/login", PUBLIC),
    Row(POST, "/logout", everyone(LOGIN)),
    Row(GET + POST, "/forgot-password", PUBLIC),
    Row(GET, "/reset-password/<token>", everyone(400), url=lambda w: "/reset-password/x"),
    Row(POST, "/reset-password/<token>", PUBLIC, url=lambda w: "/reset-password/x"),
    Row(GET, "/invitations/<token>", everyone(410), url=lambda w: "/invitations/x"),
    Row(POST, "/invitations/<token>", everyone(410), url=lambda w: "/invitations/x"),
    Row(
        POST,
        "/switch-organization",
        {**everyone(401), "member": 404, "admin": 404, "other_admin": 404},
    ),
    Row(GET, "/no-organization", CUSTOMERS_ONLY),
    Row(GET, "/settings/", customer_page()),
    Row(GET, "/settings/profile", customer_page()),
    Row(POST, "/settings/profile", customer_page()),
    Row(POST, "/settings/profile/password", customer_page()),
    Row(GET + POST, "/settings/confirm-password", customer_page()),
    Row(GET, "/settings/organization", customer_page()),
    Row(POST, "/settings/organization/locale", ADMIN_ONLY),
    Row(POST, "/settings/organization/request-plan-change", ADMIN_ONLY),
    Row(POST, "/settings/organization/request-renewal", ADMIN_ONLY),
    Row(POST, "/settings/organization/request-details-change", ADMIN_ONLY),
    Row(GET, "/settings/members", customer_page()),
    Row(POST, "/settings/members/invite", ADMIN_ONLY),
    Row(POST, "/settings/members/leave", customer_page()),
    Row(POST, "/settings/members/<int:membership_id>/role", ADMIN_OBJECT, membership_url("role")),
    Row(
        POST, "/settings/members/<int:membership_id>/remove", ADMIN_OBJECT, membership_url("remove")
    ),
    Row(
        POST,
        "/settings/invitations/<int:invitation_id>/resend",
        ADMIN_OBJECT,
        invitation_url("resend"),
    ),
    Row(
        POST,
        "/settings/invitations/<int:invitation_id>/revoke",
        ADMIN_OBJECT,
        invitation_url("revoke"),
    ),
    Row(GET, "/settings/numbers", customer_page()),
    Row(POST, "/settings/numbers/request", ADMIN_ONLY),
    Row(POST, "/settings/numbers/request-removal", ADMIN_ONLY),
    Row(GET, "/settings/web-agent", customer_page()),
    Row(POST, "/settings/web-agent/allowlist", ADMIN_ONLY),
    Row(POST, "/settings/web-agent/request-embedding", ADMIN_ONLY),
    Row(GET, "/settings/api-keys", ADMIN_ONLY),
    Row(POST, "/settings/api-keys/generate", ADMIN_ONLY),
    Row(POST, "/settings/api-keys/request-access", ADMIN_ONLY),
    Row(GET, "/settings/billing", ADMIN_ONLY),
    Row(GET, "/settings/billing.csv", ADMIN_ONLY),
    Row(GET + POST, "/admin/login", PUBLIC),
    Row(POST, "/admin/logout", everyone(STAFF_LOGIN)),
    Row(GET, "/admin/", console_page()),
    *flask_admin_rows(),
    Row(GET, "/admin/requests/<public_id>/", console_page(), request_url()),
    Row(POST, "/admin/requests/<public_id>/assign", console_page(), request_url("assign")),
    Row(POST, "/admin/requests/<public_id>/fulfil", console_page(), request_url("fulfil")),
    Row(POST, "/admin/requests/<public_id>/reject", console_page(), request_url("reject")),
    Row(GET + POST, "/admin/requests/log", console_page()),
    Row(
        GET,
        "/admin/organizations/<public_id>/",
        console_page(),
        lambda w: f"/admin/organizations/{w.org.public_id}/",
    ),
    Row(
        POST,
        "/admin/organizations/<public_id>/<action>",
        console_page(),
        lambda w: f"/admin/organizations/{w.org.public_id}/suspend",
    ),
    Row(
        GET + POST,
        "/admin/numbers/<int:number_id>/",
        console_page(),
        lambda w: f"/admin/numbers/{w.number.id}/",
    ),
    Row(
        POST,
        "/admin/numbers/<int:number_id>/release",
        console_page(),
        lambda w: f"/admin/numbers/{w.number.id}/release",
    ),
    Row(GET, "/admin/mail-triage/", console_page()),
    Row(GET, "/admin/mail-triage/<int:mail_id>/", console_page(), triage_mail_url()),
    Row(
        POST, "/admin/mail-triage/<int:mail_id>/dismiss", console_page(), triage_mail_url("dismiss")
    ),
    Row(POST, "/admin/mail-triage/<int:mail_id>/relink", console_page(), triage_mail_url("relink")),
    Row(GET, "/api/v1/openapi.json", PUBLIC),
    Row(GET, "/api/v1/organization", api_endpoint()),
    Row(GET, "/api/v1/usage", api_endpoint()),
    Row(GET, "/api/v1/agents", api_endpoint()),
    Row(POST, "/api/v1/agents", api_endpoint(), json={"name": "Created by the matrix"}),
    Row(
        GET,
        "/api/v1/agents/<public_id>",
        api_endpoint(other_key=404),
        lambda w: f"/api/v1/agents/{w.agent.public_id}",
    ),
    Row(
        PATCH,
        "/api/v1/agents/<public_id>",
        api_endpoint(other_key=404),
        lambda w: f"/api/v1/agents/{w.agent.public_id}",
        json={"name": "Renamed by the matrix"},
    ),
    Row(GET, "/api/v1/calls", api_endpoint()),
    Row(GET, "/api/v1/ledger", api_endpoint()),
    # Without an Origin or Referer there is no page to allow, so the widget's config is refused.
    Row(
        GET, "/embed/v1/config", everyone(403), lambda w: f"/embed/v1/config?key={w.org.public_key}"
    ),
    Row(GET, "/embed/v1/frame", PUBLIC, lambda w: f"/embed/v1/frame?key={w.org.public_key}"),
    Row(GET, "/embed/v1/widget.js", PUBLIC),
]
