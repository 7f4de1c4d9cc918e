"""Who may do what: loaders (missing or foreign → 404) and decorators (not allowed → 403)."""

import functools
import time

from flask import abort, current_app, g, redirect, request, session, url_for
from flask_login import current_user, logout_user

from .extensions import login_manager
from .models import Membership, Organization, StaffUser, User
from .models.organizations import ORG_ACTIVE
from .services.base import Actor

SESSION_ORG = "org"
SESSION_STAFF = "staff"
SESSION_STARTED = "started_at"
SESSION_AUTHENTICATED = "authenticated_at"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user named by a session id `<id>:<token>`; None once the token has been rotated."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = User.get_or_none(User.id == int(user_id))
    if user is None or not user.is_active or user.session_token != token:
        return None
    return user


def enforce_session_lifetime() -> None:
    """End a session older than the absolute lifetime, however active it has been."""
    started = session.get(SESSION_STARTED)
    limit = current_app.config["SESSION_ABSOLUTE_LIFETIME"].total_seconds()
    if started is not None and time.time() - started > limit:
        logout_user()
        session.clear()


def start_session() -> None:
    """Begin a fresh session: nothing from before sign-in survives into it."""
    session.clear()
    session.permanent = True
    session[SESSION_STARTED] = session[SESSION_AUTHENTICATED] = time.time()


def login_is_fresh() -> bool:
    authenticated = session.get(SESSION_AUTHENTICATED, 0)
    return time.time() - authenticated < current_app.config["FRESH_LOGIN_MINUTES"] * 60


def client_ip() -> str | None:
    return request.remote_addr


def user_actor() -> Actor:
    return Actor.user(current_user, client_ip())


def staff_actor() -> Actor:
    return Actor.staff(g.staff, client_ip())


def memberships_of(user: User) -> list[Membership]:
    return list(
        Membership.select(Membership, Organization)
        .join(Organization)
        .where(Membership.user == user)
        .order_by(Organization.name)
    )


def current_membership() -> Membership | None:
    """The signed-in user's membership in the organization chosen with the switcher."""
    if "membership" not in g:
        g.membership = None
        if current_user.is_authenticated:
            memberships = memberships_of(current_user)
            chosen = session.get(SESSION_ORG)
            g.memberships = memberships
            g.membership = next(
                (m for m in memberships if m.organization.public_id == chosen),
                memberships[0] if memberships else None,
            )
    return g.membership


def member_required(view):
    """Signed in and a member of the current organization; sets g.org and g.membership."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        membership = current_membership()
        if membership is None:
            return redirect(url_for("auth.no_organization"))
        g.org = membership.organization
        return view(*args, **kwargs)

    return wrapper


def admin_required(view):
    """As member_required, and an admin of the current organization (403 otherwise)."""

    @member_required
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not g.membership.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def org_object_or_404(query, **conditions):
    """One row of the current organization matching conditions; another org's row is a 404."""
    model = query.model
    clauses = [getattr(model, name) == value for name, value in conditions.items()]
    row = query.where(model.organization == g.org, *clauses).first()
    if row is None:
        abort(404)
    return row


def org_is_active() -> bool:
    return g.org.status == ORG_ACTIVE


def load_staff() -> StaffUser | None:
    """The staff member of this session (separate from any customer session), or None."""
    if "staff" not in g:
        g.staff = None
        staff_id, _, token = (session.get(SESSION_STAFF) or "").partition(":")
        if staff_id.isdigit():
            staff = StaffUser.get_or_none(StaffUser.id == int(staff_id))
            if staff is not None and staff.is_active and staff.session_token == token:
                g.staff = staff
    return g.staff


def staff_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if load_staff() is None:
            return redirect(url_for("staff_auth.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapper


def superuser_required(view):
    @staff_required
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not g.staff.is_superuser:
            abort(403)
        return view(*args, **kwargs)

    return wrapper
