"""What the customer and staff sign-in forms share: rate limits and the form's answers."""

from flask import current_app, redirect, render_template, request

from ..extensions import limiter
from ..redirects import safe_next

GENERIC_LOGIN_ERROR = "That email address and password don't match an account."


def _email_key() -> str:
    return "login-email:" + (request.form.get("email") or "").strip().lower()


def rate_limited(view):
    """Limit a sign-in form's POSTs per IP address and per email address."""
    view = limiter.limit(
        lambda: current_app.config["LOGIN_EMAIL_RATE_LIMIT"], methods=["POST"], key_func=_email_key
    )(view)
    return limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])(view)


def login_form_answer(form, authenticate, sign_in, template: str, default_next: str):
    """Check the form's credentials; sign in and redirect, or show the page again."""
    if form.validate_on_submit():
        account = authenticate(form.email.data, form.password.data)
        if account is not None:
            sign_in(account, form)
            return redirect(safe_next(request.args.get("next"), default_next))
        # The same words whether the address is unknown or the password wrong.
        form.password.errors.append(GENERIC_LOGIN_ERROR)
        return render_template(template, form=form), 401
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form), status
