"""Every route and method, with the answer each kind of caller must get.

Answers: OK (served, or a redirect within the caller's own area), LOGIN (sent to /login),
STAFF_LOGIN (sent to /admin/login), or a status code (401, 403, 404, 405…). POSTs are sent
with an empty body: an allowed caller may get a validation message (400/422) but never a
refusal, a login page or a 500.
"""

import re
from dataclasses import dataclass, field

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


def console_page(superuser_only=False):
    answers = everyone(STAFF_LOGIN)
    answers.update(member=403, admin=403, other_admin=403)
    answers.update(support=403 if superuser_only else OK, superuser=OK)
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
    url: object = None  # callable(world) -> concrete path; defaults to the rule itself
    data: dict = field(default_factory=dict)

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


GET, POST = ("GET",), ("POST",)
PUBLIC = everyone(OK)
CUSTOMERS_ONLY = {**everyone(LOGIN), "member": OK, "admin": OK, "other_admin": OK}

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
    Row(GET + POST, "/admin/login", PUBLIC),
    Row(POST, "/admin/logout", everyone(STAFF_LOGIN)),
    Row(GET, "/admin/", console_page()),
]
