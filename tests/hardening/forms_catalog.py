"""Every form and JSON body the app accepts: a valid submission per route, and what it may change.

The mass-assignment and fuzzing tests share this catalog. A case names the caller, the URL, a
valid payload, the answer it gets, the fields worth fuzzing, the pages that later show what was
submitted, and which tables and columns the submission may legitimately touch (`table.column`,
`table.*`, new rows `table+`, deleted rows `table-`). Anything else that changes is a bug.
"""

import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import current_app
from itsdangerous import URLSafeTimedSerializer

from backoffice.clock import utcnow
from backoffice.extensions import database
from backoffice.models import (
    ALL_MODELS,
    AuditEvent,
    InboundMail,
    Membership,
    Organization,
    SupportRequest,
)
from backoffice.services import accounts
from backoffice.services.base import Actor
from backoffice.services.members import invite_member
from backoffice.services.requests import file_request

from ..factories import PASSWORD, make_member, make_number, make_org, make_plan
from .world import World

NEW_PASSWORD = "a brand new long passphrase"  # noqa: S105
# Flask-Admin's generated views: covered by one family entry (nothing may change through them
# unless a view opts in with a case of its own).
FLASK_ADMIN_GENERATED = re.compile(r"^/admin/(\w+)/(new|edit|delete|action|ajax/update)/$")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
STATIC_ENDPOINTS = ("static",)
# Columns that change on every visit (sign-ins, key use), not through any form.
VOLATILE = {
    "user": {"last_login_at"},
    "staff_user": {"last_login_at"},
    "api_key": {"last_used_at"},
}
ALWAYS_ALLOWED = frozenset({"audit_event+", "outbound_mail+", "outbound_mail.*"})


@dataclass
class HardeningWorld(World):
    """The access world plus what the forms act on: spare plans, a pool number, staff targets."""

    target_plan: object = None
    hostile_plan: object = None
    free_number: object = None

    @classmethod
    def build(cls):
        world = super().build()
        world.target_plan = make_plan(code="target", name="Target plan")
        world.hostile_plan = make_plan(code="hostile", name="Hostile plan")
        world.free_number = make_number(None, number="+14155550999")
        return world


def hostile_fields(world, as_json=False) -> dict:
    """Fields no form offers, with values that would show if any of them were honoured."""
    other = world.other_org
    values = {
        "organization_id": other.id,
        "organization": other.public_id,
        "role": "owner",
        "credit_balance": 987654321,
        "is_staff": True,
        "api_access_enabled": False,
        "embedding_enabled": False,
        "status": "suspended",
        "plan": world.hostile_plan.id,
        "public_key": "pk_hostile_sentinel",
        "password_hash": "hostile-password-hash",
        "session_token": "hostile-session-token",
        "id": 424242,
    }
    if as_json:
        return values
    as_form = {True: "1", False: ""}
    return {
        name: as_form[value] if isinstance(value, bool) else str(value)
        for name, value in values.items()
    }


def sentinels(world) -> set:
    """Values that only a honoured hostile field could have written."""
    return {
        world.other_org.public_id,
        "owner",
        987654321,
        "pk_hostile_sentinel",
        "hostile-password-hash",
        "hostile-session-token",
        424242,
    }


@dataclass
class Case:
    """One valid submission to one route."""

    name: str
    method: str
    caller: str
    path: object  # callable(world) -> str
    data: object  # callable(world) -> dict
    expect: int
    may_change: frozenset = frozenset()
    fuzz: tuple = ()  # payload keys worth filling with hostile values
    pages: tuple = ()  # (caller, callable(world) -> path) that show what was submitted
    as_json: bool = False
    check: object = None  # callable(world) -> None: the legitimate change happened


def const(value):
    return lambda world: value


def case(name, method, caller, path, data=None, expect=302, may_change=(), **kwargs) -> Case:
    return Case(
        name=name,
        method=method,
        caller=caller,
        path=path if callable(path) else const(path),
        data=data if callable(data) else const(data or {}),
        expect=expect,
        may_change=frozenset(may_change),
        **kwargs,
    )


def membership_id(world, user) -> int:
    return Membership.get(Membership.user == user, Membership.organization == world.org).id


def invitation_path(action):
    def path(world):
        invitation, _ = invite_member(Actor.system("test"), world.org, "hire@a.example", "member")
        return f"/settings/invitations/{invitation.id}/{action}"

    return path


def filed_request(world, kind="org_details") -> SupportRequest:
    return file_request(
        Actor.system("test"),
        world.org,
        kind,
        "Please rename us.",
        requested_by=world.admin,
        payload={"name": "Renamed", "billing_email": "new@a.example"},
    )


def request_path(action):
    def path(world):
        return f"/admin/requests/{filed_request(world).public_id}/{action}"

    return path


def triage_mail(world) -> InboundMail:
    return InboundMail.create(
        message_id=f"<m{utcnow().timestamp()}@example.com>",
        content_hash=f"{utcnow().timestamp():.6f}".ljust(64, "0"),
        from_address="someone@example.com",
        subject="Need help",
        body_text="Hello",
        status="triage",
    )


def mail_path(action):
    def path(world):
        return f"/admin/mail-triage/{triage_mail(world).id}/{action}"

    return path


def org_action(action):
    return lambda world: f"/admin/organizations/{world.org.public_id}/{action}"


def suspended_org_action(action):
    def path(world):
        Organization.update(status="suspended").where(Organization.id == world.org.id).execute()
        return f"/admin/organizations/{world.org.public_id}/{action}"

    return path


def reset_token(world) -> str:
    user = world.member
    serializer = URLSafeTimedSerializer(current_app.secret_key, salt=accounts.RESET_SALT)
    return serializer.dumps({"u": user.id, "f": accounts._fingerprint(user)})


def invitation_token(world) -> str:
    _, link = invite_member(Actor.system("test"), world.org, "joiner@a.example", "member")
    return link.rstrip("/").rsplit("/", 1)[-1]


def second_org_for_admin(world) -> dict:
    second = make_org(name="Second org")
    Membership.create(user=world.admin, organization=second, role="member")
    return {"organization": second.public_id}


def unused_plan_id(world) -> dict:
    return {"id": str(make_plan(code="unused", name="Unused plan").id)}


PLAN_FORM = {
    "code": "pro",
    "name": "Pro",
    "max_agents": "10",
    "max_calls_per_period": "5000",
    "max_knowledge_bases": "3",
    "max_campaigns": "3",
    "max_leads": "100",
    "max_integrations": "2",
    "included_credits": "1000",
    "price": "49.00",
    "currency": "USD",
    "period_months": "1",
}

ORG_PAGE = ("superuser", lambda w: f"/admin/organizations/{w.org.public_id}/")
ORG_TAB = ("admin", const("/settings/organization"))
MEMBERS_TAB = ("admin", const("/settings/members"))
PROFILE_TAB = ("admin", const("/settings/profile"))
NUMBERS_TAB = ("admin", const("/settings/numbers"))
WEB_AGENT_TAB = ("admin", const("/settings/web-agent"))
QUEUE = ("superuser", const("/admin/"))
REQUESTS_LIST = ("superuser", const("/admin/requests/"))
AUDIT_LIST = ("superuser", const("/admin/audit/"))
USERS_LIST = ("superuser", const("/admin/users/"))
NEW_REQUEST = ("support_request+",)
NUMBER_CHANGES = (
    "phone_number.organization",
    "phone_number.assigned_at",
    "phone_number.released_at",
)

CASES: dict[tuple[str, str], list[Case]] = {}


def add(rule: str, *cases: Case) -> None:
    for item in cases:
        CASES.setdefault((item.method, rule), []).append(item)


# Public and sign-in forms.
add(
    "/login",
    case(
        "login",
        "POST",
        "anonymous",
        "/login",
        lambda w: {"email": w.admin.email, "password": PASSWORD},
        fuzz=("email", "password"),
        may_change=("user.session_token",),
    ),
)
add("/logout", case("logout", "POST", "admin", "/logout", may_change=("user.session_token",)))
add(
    "/forgot-password",
    case(
        "forgot password",
        "POST",
        "anonymous",
        "/forgot-password",
        lambda w: {"email": w.member.email},
        fuzz=("email",),
    ),
)
add(
    "/reset-password/<token>",
    case(
        "reset password",
        "POST",
        "anonymous",
        lambda w: f"/reset-password/{reset_token(w)}",
        {"password": NEW_PASSWORD},
        fuzz=("password",),
        may_change=("user.password_hash", "user.session_token"),
    ),
)
add(
    "/invitations/<token>",
    case(
        "accept invitation",
        "POST",
        "anonymous",
        lambda w: f"/invitations/{invitation_token(w)}",
        {"first_name": "Joan", "last_name": "Joiner", "password": NEW_PASSWORD},
        fuzz=("first_name", "last_name", "password"),
        may_change=("user+", "membership+", "invitation.*", "invitation+"),
        pages=(MEMBERS_TAB, USERS_LIST),
    ),
)
add(
    "/switch-organization",
    case("switch organization", "POST", "admin", "/switch-organization", second_org_for_admin),
)

# Settings.
add(
    "/settings/profile",
    case(
        "profile",
        "POST",
        "admin",
        "/settings/profile",
        lambda w: {"first_name": "Ada", "last_name": "Lovelace", "email": w.admin.email},
        fuzz=("first_name", "last_name", "email", "phone", "current_password"),
        may_change=("user.first_name", "user.last_name", "user.phone", "user.email"),
        pages=(PROFILE_TAB, MEMBERS_TAB, USERS_LIST, ORG_PAGE),
    ),
)
add(
    "/settings/profile/password",
    case(
        "change password",
        "POST",
        "admin",
        "/settings/profile/password",
        {"change-current_password": PASSWORD, "change-new_password": NEW_PASSWORD},
        fuzz=("change-current_password", "change-new_password"),
        may_change=("user.password_hash", "user.session_token"),
    ),
)
add(
    "/settings/confirm-password",
    case(
        "confirm password",
        "POST",
        "admin",
        "/settings/confirm-password",
        {"password": PASSWORD},
        fuzz=("password",),
    ),
)
add(
    "/settings/organization/locale",
    case(
        "locale",
        "POST",
        "admin",
        "/settings/organization/locale",
        {"country": "GB", "currency": "GBP", "timezone": "Europe/London"},
        fuzz=("country", "currency", "timezone"),
        may_change=("organization.country", "organization.currency", "organization.timezone"),
        pages=(ORG_TAB, ORG_PAGE),
    ),
)
add(
    "/settings/organization/request-plan-change",
    case(
        "request plan change",
        "POST",
        "admin",
        "/settings/organization/request-plan-change",
        lambda w: {"plan_change-plan": "target", "plan_change-note": "Bigger please"},
        fuzz=("plan_change-plan", "plan_change-note"),
        may_change=NEW_REQUEST,
        pages=(ORG_TAB, QUEUE, REQUESTS_LIST, ORG_PAGE),
    ),
)
add(
    "/settings/organization/request-renewal",
    case(
        "request renewal",
        "POST",
        "admin",
        "/settings/organization/request-renewal",
        {"renewal-note": "Renew us"},
        fuzz=("renewal-note",),
        may_change=NEW_REQUEST,
        pages=(ORG_TAB, QUEUE, REQUESTS_LIST),
    ),
)
add(
    "/settings/organization/request-details-change",
    case(
        "request details change",
        "POST",
        "admin",
        "/settings/organization/request-details-change",
        {"details-note": "New billing address"},
        fuzz=("details-note",),
        may_change=NEW_REQUEST,
        pages=(ORG_TAB, QUEUE, REQUESTS_LIST),
    ),
)
add(
    "/settings/members/invite",
    case(
        "invite",
        "POST",
        "admin",
        "/settings/members/invite",
        {"email": "newhire@a.example", "role": "member"},
        fuzz=("email", "role"),
        may_change=("invitation+",),
        pages=(MEMBERS_TAB, ORG_PAGE),
    ),
)
add(
    "/settings/members/leave",
    case("leave", "POST", "member", "/settings/members/leave", may_change=("membership-",)),
)
add(
    "/settings/members/<int:membership_id>/role",
    case(
        "change role",
        "POST",
        "admin",
        lambda w: f"/settings/members/{membership_id(w, w.member)}/role",
        lambda w: {f"member-{membership_id(w, w.member)}-role": "admin"},
        may_change=("membership.role",),
        check=lambda w: Membership.get_by_id(membership_id(w, w.member)).role == "admin",
    ),
)
add(
    "/settings/members/<int:membership_id>/remove",
    case(
        "remove member",
        "POST",
        "admin",
        lambda w: f"/settings/members/{membership_id(w, w.member)}/remove",
        # Removal ends the removed person's sessions.
        may_change=("membership-", "user.session_token"),
    ),
)
add(
    "/settings/invitations/<int:invitation_id>/resend",
    case(
        "resend invitation",
        "POST",
        "admin",
        invitation_path("resend"),
        may_change=("invitation.*",),
    ),
)
add(
    "/settings/invitations/<int:invitation_id>/revoke",
    case(
        "revoke invitation",
        "POST",
        "admin",
        invitation_path("revoke"),
        may_change=("invitation.state", "invitation.revoked_at"),
    ),
)
add(
    "/settings/numbers/request",
    case(
        "request number",
        "POST",
        "admin",
        "/settings/numbers/request",
        {"add-direction": "inbound", "add-note": "A London one"},
        fuzz=("add-direction", "add-note"),
        may_change=NEW_REQUEST,
        pages=(NUMBERS_TAB, QUEUE, REQUESTS_LIST),
    ),
)
add(
    "/settings/numbers/request-removal",
    case(
        "request number removal",
        "POST",
        "admin",
        "/settings/numbers/request-removal",
        lambda w: {"removal-number": w.number.number, "removal-note": "Not needed"},
        fuzz=("removal-number", "removal-note"),
        may_change=NEW_REQUEST,
        pages=(NUMBERS_TAB, QUEUE, REQUESTS_LIST),
    ),
)
add(
    "/settings/web-agent/allowlist",
    case(
        "allowlist",
        "POST",
        "admin",
        "/settings/web-agent/allowlist",
        {"allowed_origins": "https://shop.example.com"},
        fuzz=("allowed_origins",),
        may_change=("organization.allowed_origins",),
        pages=(WEB_AGENT_TAB, ORG_PAGE),
    ),
)
add(
    "/settings/web-agent/request-embedding",
    case(
        "request embedding",
        "POST",
        "admin",
        "/settings/web-agent/request-embedding",
        {"embedding-note": "Please"},
        fuzz=("embedding-note",),
        may_change=NEW_REQUEST,
        pages=(WEB_AGENT_TAB, QUEUE, REQUESTS_LIST),
    ),
)
add(
    "/settings/api-keys/generate",
    case(
        "generate key",
        "POST",
        "admin",
        "/settings/api-keys/generate",
        {"confirm": "yes"},
        expect=200,
        fuzz=("confirm",),
        may_change=("api_key+", "api_key.revoked_at"),
    ),
)
add(
    "/settings/api-keys/request-access",
    case(
        "request api access",
        "POST",
        "admin",
        "/settings/api-keys/request-access",
        {"api_access-note": "For our CRM"},
        fuzz=("api_access-note",),
        may_change=NEW_REQUEST,
        pages=(("admin", const("/settings/api-keys")), QUEUE, REQUESTS_LIST),
    ),
)

# The console: staff sign-in and the organization page's actions.
add(
    "/admin/login",
    case(
        "staff login",
        "POST",
        "anonymous",
        "/admin/login",
        lambda w: {"email": w.staff["support"].email, "password": PASSWORD},
        fuzz=("email", "password"),
        may_change=("staff_user.session_token",),
    ),
)
add(
    "/admin/logout",
    case("staff logout", "POST", "support", "/admin/logout", may_change=("staff_user.*",)),
)
ORG_ACTION = "/admin/organizations/<public_id>/<action>"
add(
    ORG_ACTION,
    case(
        "org details",
        "POST",
        "superuser",
        org_action("details"),
        {"name": "Renamed Org", "billing_email": "pay@a.example"},
        fuzz=("name", "billing_email"),
        may_change=("organization.name", "organization.billing_email"),
        pages=(ORG_PAGE, ("superuser", const("/admin/organizations/")), ORG_TAB),
        check=lambda w: Organization.get_by_id(w.org.id).name == "Renamed Org",
    ),
    case(
        "org plan",
        "POST",
        "superuser",
        org_action("plan"),
        lambda w: {"plan": str(w.target_plan.id)},
        fuzz=("plan",),
        may_change=("organization.plan", "organization.period_start", "organization.period_end"),
        check=lambda w: Organization.get_by_id(w.org.id).plan_id == w.target_plan.id,
    ),
    case(
        "org renew",
        "POST",
        "superuser",
        org_action("renew"),
        may_change=(
            "organization.credit_balance",
            "organization.period_start",
            "organization.period_end",
            "organization.low_balance_notified_at",
            "ledger_entry+",
            "usage_counter.*",
            "usage_counter+",
            "usage_counter-",
        ),
    ),
    case(
        "org credits",
        "POST",
        "superuser",
        org_action("credits"),
        {"amount": "100", "reason": "Goodwill"},
        fuzz=("amount", "reason"),
        may_change=(
            "organization.credit_balance",
            "organization.low_balance_notified_at",
            "ledger_entry+",
        ),
        pages=(
            ORG_PAGE,
            ("admin", const("/settings/billing")),
            ("superuser", const("/admin/ledger/")),
        ),
        check=lambda w: Organization.get_by_id(w.org.id).credit_balance == 100,
    ),
    case(
        "org api access",
        "POST",
        "superuser",
        org_action("api-access"),
        {"enabled": "0"},
        fuzz=("enabled",),
        may_change=("organization.api_access_enabled", "api_key.revoked_at"),
    ),
    case(
        "org embedding",
        "POST",
        "superuser",
        org_action("embedding"),
        {"enabled": "0"},
        fuzz=("enabled",),
        may_change=("organization.embedding_enabled",),
    ),
    case(
        "org assign number",
        "POST",
        "superuser",
        org_action("assign-number"),
        lambda w: {"number": str(w.free_number.id)},
        fuzz=("number",),
        may_change=NUMBER_CHANGES,
    ),
    case(
        "org release number",
        "POST",
        "superuser",
        org_action("release-number"),
        lambda w: {"number": str(w.number.id)},
        fuzz=("number",),
        may_change=NUMBER_CHANGES,
    ),
    case(
        "org suspend",
        "POST",
        "superuser",
        org_action("suspend"),
        may_change=("organization.status",),
    ),
    case(
        "org reactivate",
        "POST",
        "superuser",
        suspended_org_action("reactivate"),
        may_change=("organization.status",),
    ),
    case(
        "org note",
        "POST",
        "superuser",
        org_action("note"),
        {"body": "Called them"},
        fuzz=("body",),
        may_change=("organization_note+",),
        pages=(ORG_PAGE,),
    ),
)

# The console: the support queue, numbers, plans, staff and mail triage.
REQUEST_CHANGES = ("support_request.*",)
add(
    "/admin/requests/<public_id>/fulfil",
    case(
        "fulfil request",
        "POST",
        "superuser",
        request_path("fulfil"),
        {"name": "Renamed", "billing_email": "new@a.example", "note": "Done"},
        fuzz=("name", "billing_email", "note", "plan", "number"),
        may_change=REQUEST_CHANGES + ("organization.name", "organization.billing_email"),
        pages=(ORG_PAGE, REQUESTS_LIST, ORG_TAB, AUDIT_LIST),
    ),
)
add(
    "/admin/requests/<public_id>/reject",
    case(
        "reject request",
        "POST",
        "superuser",
        request_path("reject"),
        {"reason": "Not possible"},
        fuzz=("reason",),
        may_change=REQUEST_CHANGES,
        pages=(REQUESTS_LIST, ORG_TAB),
    ),
)
add(
    "/admin/requests/<public_id>/assign",
    case(
        "assign request",
        "POST",
        "superuser",
        request_path("assign"),
        may_change=REQUEST_CHANGES,
    ),
)
add(
    "/admin/requests/log",
    case(
        "log request",
        "POST",
        "superuser",
        "/admin/requests/log",
        lambda w: {
            "organization": w.org.public_id,
            "kind": "other",
            "source": "staff",
            "requester_email": "caller@a.example",
            "details": "Phoned in",
        },
        fuzz=("organization", "kind", "source", "requester_email", "details"),
        may_change=NEW_REQUEST,
        pages=(QUEUE, REQUESTS_LIST, ORG_PAGE),
    ),
)
add(
    "/admin/numbers/<int:number_id>/",
    case(
        "assign pool number",
        "POST",
        "superuser",
        lambda w: f"/admin/numbers/{w.free_number.id}/",
        lambda w: {"organization": w.org.public_id},
        fuzz=("organization",),
        may_change=NUMBER_CHANGES,
    ),
)
add(
    "/admin/numbers/<int:number_id>/release",
    case(
        "release number",
        "POST",
        "superuser",
        lambda w: f"/admin/numbers/{w.number.id}/release",
        may_change=NUMBER_CHANGES,
    ),
)
add(
    "/admin/numbers/new/",
    case(
        "add pool number",
        "POST",
        "superuser",
        "/admin/numbers/new/",
        {"number": "+442079460958", "direction": "inbound", "monthly_cost": "700"},
        fuzz=("number", "direction", "monthly_cost"),
        may_change=("phone_number+",),
        pages=(("superuser", const("/admin/numbers/")),),
    ),
)
add(
    "/admin/plans/new/",
    case(
        "create plan",
        "POST",
        "superuser",
        "/admin/plans/new/",
        PLAN_FORM,
        fuzz=tuple(PLAN_FORM),
        may_change=("plan+",),
        pages=(("superuser", const("/admin/plans/")), ORG_TAB),
    ),
)
add(
    "/admin/plans/edit/",
    case(
        "edit plan",
        "POST",
        "superuser",
        lambda w: f"/admin/plans/edit/?id={w.target_plan.id}",
        PLAN_FORM,
        fuzz=tuple(PLAN_FORM),
        may_change=("plan.*",),
        pages=(("superuser", const("/admin/plans/")), ORG_TAB),
    ),
)
add(
    "/admin/plans/delete/",
    case(
        "delete plan",
        "POST",
        "superuser",
        "/admin/plans/delete/",
        unused_plan_id,
        may_change=("plan-",),
    ),
)
add(
    "/admin/staff/new/",
    case(
        "create staff",
        "POST",
        "superuser",
        "/admin/staff/new/",
        {
            "email": "newstaff@intrlume.tech",
            "name": "New Staff",
            "role": "support",
            "password": NEW_PASSWORD,
        },
        fuzz=("email", "name", "role", "password"),
        may_change=("staff_user+",),
        pages=(("superuser", const("/admin/staff/")),),
    ),
)
add(
    "/admin/staff/edit/",
    case(
        "edit staff",
        "POST",
        "superuser",
        lambda w: f"/admin/staff/edit/?id={w.staff['support'].id}",
        {"role": "superuser", "is_active": "y"},
        fuzz=("role", "is_active"),
        may_change=("staff_user.role", "staff_user.is_active", "staff_user.session_token"),
    ),
)
add(
    "/admin/mail-triage/<int:mail_id>/relink",
    case(
        "relink mail",
        "POST",
        "superuser",
        mail_path("relink"),
        lambda w: {"organization": w.org.public_id, "kind": "other"},
        fuzz=("organization", "kind"),
        may_change=("inbound_mail.*", "support_request+", "support_request.*"),
        pages=(("superuser", const("/admin/mail-triage/")), QUEUE),
    ),
)
add(
    "/admin/mail-triage/<int:mail_id>/dismiss",
    case(
        "dismiss mail",
        "POST",
        "superuser",
        mail_path("dismiss"),
        may_change=("inbound_mail.*",),
    ),
)

# The API.
AGENT_CHANGES = ("agent+", "agent.name", "agent.updated_at", "usage_counter.*", "usage_counter+")
add(
    "/api/v1/agents",
    case(
        "create agent",
        "POST",
        "api_key",
        "/api/v1/agents",
        {"name": "Support bot"},
        expect=201,
        as_json=True,
        fuzz=("name",),
        may_change=AGENT_CHANGES,
        pages=(("superuser", const("/admin/agents/")), ORG_PAGE),
    ),
)
add(
    "/api/v1/agents/<public_id>",
    case(
        "update agent",
        "PATCH",
        "api_key",
        lambda w: f"/api/v1/agents/{w.agent.public_id}",
        {"name": "Renamed bot"},
        expect=200,
        as_json=True,
        fuzz=("name",),
        may_change=AGENT_CHANGES,
        pages=(("superuser", const("/admin/agents/")), ORG_PAGE),
    ),
)


def family_cases(rule: str) -> list[Case]:
    """Flask-Admin's generated write routes of a view that offers none: nothing may change."""
    endpoint, action = FLASK_ADMIN_GENERATED.match(rule).groups()
    base = f"/admin/{endpoint}/{action}/"

    def path(world):
        return f"{base}?id={world.org.id}" if action == "edit" else base

    def data(world):
        target = str(world.org.id)
        return {
            "new": {"name": "Made up", "email": "x@a.example", "code": "made-up"},
            "edit": {"name": "Edited", "email": "x@a.example", "code": "edited"},
            "delete": {"id": target},
            "action": {"action": "delete", "rowid": target},
            "ajax/update": {"list_form_pk": target, "name": "Edited"},
        }[action]

    return [
        case(
            f"{endpoint} {action} (Flask-Admin)",
            "POST",
            "superuser",
            path,
            data,
            expect=None,
        )
    ]


def write_routes(app):
    """(method, rule) of every route that takes a submission."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.endswith("static"):
            continue
        for method in sorted(rule.methods & set(WRITE_METHODS)):
            yield method, rule.rule


def cases_for(method: str, rule: str) -> list[Case] | None:
    if (method, rule) in CASES:
        return CASES[(method, rule)]
    if method == "POST" and FLASK_ADMIN_GENERATED.match(rule):
        return family_cases(rule)
    return None


def all_cases(app) -> list[tuple[str, Case]]:
    """Every case for every write route, in url_map order; a route without any is left out."""
    found = []
    for method, rule in write_routes(app):
        for item in cases_for(method, rule) or ():
            found.append((f"{method} {rule} [{item.name}]", item))
    return found


def snapshot() -> dict:
    """Every row of every table, keyed by table then id."""
    return {
        model._meta.table_name: {row["id"]: row for row in model.select().dicts()}
        for model in ALL_MODELS
    }


def changes(before: dict, after: dict) -> list[tuple[str, object, str]]:
    """(table, id, column) for each change; column is '+' for a new row, '-' for a removed one."""
    found = []
    for table, rows in after.items():
        old_rows = before[table]
        volatile = VOLATILE.get(table, set())
        for row_id, row in rows.items():
            old = old_rows.get(row_id)
            if old is None:
                found.append((table, row_id, "+"))
                continue
            found.extend(
                (table, row_id, column)
                for column, value in row.items()
                if column not in volatile and old[column] != value
            )
        found.extend((table, row_id, "-") for row_id in old_rows.keys() - rows.keys())
    return found


def is_allowed(change: tuple, allowed: frozenset) -> bool:
    table, _, column = change
    if column in "+-":
        return f"{table}{column}" in allowed
    return f"{table}.{column}" in allowed or f"{table}.*" in allowed


def leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item)
    else:
        yield value


def hostile_traces(world, before: dict, after: dict) -> list[str]:
    """New or changed rows holding a sentinel, or pointing at the other org or the hostile plan."""
    marks = sentinels(world)
    found = []
    for table, row_id, column in changes(before, after):
        if column == "-":
            continue
        row = after[table][row_id]
        columns = row if column == "+" else {column: row[column]}
        for name, value in columns.items():
            if name in ("organization", "organization_id") and value == world.other_org.id:
                found.append(f"{table}#{row_id}.{name} points at the other organization")
            if name in ("plan", "plan_id") and value == world.hostile_plan.id:
                found.append(f"{table}#{row_id}.{name} points at the hostile plan")
            if name == "id":
                if value in marks:
                    found.append(f"{table}#{row_id} took the posted id")
                continue
            for leaf in leaves(value):
                if isinstance(leaf, (str, int)) and not isinstance(leaf, bool) and leaf in marks:
                    found.append(f"{table}#{row_id}.{name} = {leaf!r}")
    return found


def other_org_rows(world, rows: dict) -> dict:
    """The other organization's own rows, and its people, from a snapshot."""
    other = world.other_org.id
    people = {r["user"] for r in rows["membership"].values() if r["organization"] == other}
    picked = {"organization": rows["organization"].get(other)}
    for table, table_rows in rows.items():
        if table in ("audit_event", "outbound_mail"):
            continue
        picked[table] = {
            row_id: row for row_id, row in table_rows.items() if row.get("organization") == other
        }
    picked["user"] = {
        row_id: {k: v for k, v in row.items() if k not in VOLATILE["user"]}
        for row_id, row in rows["user"].items()
        if row_id in people
    }
    return picked


def restore(before: dict, now: dict | None = None) -> None:
    """Put every table back as the snapshot had it (updates, then removals, then re-inserts)."""
    now = snapshot() if now is None else now
    models = {m._meta.table_name: m for m in ALL_MODELS}
    for table, rows in before.items():
        model = models[table]
        for row_id, row in rows.items():
            current = now[table].get(row_id)
            if current is not None and current != row:
                changed = {k: v for k, v in row.items() if current[k] != v}
                model.update(**changed).where(model._meta.primary_key == row_id).execute()
    for model in reversed(ALL_MODELS):
        table = model._meta.table_name
        extra = now[table].keys() - before[table].keys()
        if extra:
            # A plain DELETE: the ledger refuses deletes through its model, as it should.
            ids = ", ".join(str(int(row_id)) for row_id in extra)
            database.execute_sql(f'DELETE FROM "{table}" WHERE id IN ({ids})')  # noqa: S608
    for model in ALL_MODELS:
        table = model._meta.table_name
        for row_id in before[table].keys() - now[table].keys():
            model.insert(**before[table][row_id]).execute()


def encode_form(data: dict) -> bytes:
    """A form body as a browser would send it; lone surrogates pass through as their bytes."""
    pairs = []
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, item))
    return urlencode(pairs, encoding="utf-8", errors="surrogatepass").encode("ascii")


def submit(client, item: Case, path: str, data, headers: dict):
    """Send a case's submission (a form body, or JSON for the API)."""
    if item.as_json:
        body = json.dumps(data)
        content_type = "application/json"
    else:
        body = encode_form(data)
        content_type = "application/x-www-form-urlencoded"
    return client.open(
        path, method=item.method, data=body, content_type=content_type, headers=headers
    )


def audit_count() -> int:
    return AuditEvent.select().count()


def new_world() -> HardeningWorld:
    """The shared world, with one more member whose name shows up in lists."""
    world = HardeningWorld.build()
    make_member(world.org, email="colleague@a.example")
    return world
