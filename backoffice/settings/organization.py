"""Organization tab: details, locale, plan and usage, and requests to the Intrlume team."""

from flask import flash, g, redirect, render_template, url_for

from ..models import Plan
from ..permissions import admin_required, member_required, user_actor
from ..services import locale
from ..services.errors import ServiceError
from ..services.usage import usage_for
from .forms import LocaleForm, OrgDetailsForm, PlanChangeForm, PlanRenewalForm
from .views import bp, file_request, open_request, service_refused

BACK = "settings.organization"


def _locale_form(**kwargs) -> LocaleForm:
    form = LocaleForm(**kwargs)
    form.country.choices = dict(locale.country_choices())
    form.currency.choices = dict(locale.currency_choices())
    form.timezone.choices = dict(locale.timezone_choices())
    return form


def _plan_form(**kwargs) -> PlanChangeForm:
    form = PlanChangeForm(prefix="plan_change", **kwargs)
    form.plan.choices = {"": "No preference"} | {
        plan.code: plan.name for plan in Plan.select().order_by(Plan.price, Plan.name)
    }
    return form


def _page(locale_form=None, plan_form=None, renewal_form=None, details_form=None) -> str:
    org = g.org
    return render_template(
        "settings/organization.html",
        org=org,
        usage=usage_for(org),
        country_name=dict(locale.country_choices()).get(org.country, org.country),
        currency_name=dict(locale.currency_choices()).get(org.currency, org.currency),
        locale_form=locale_form
        or _locale_form(
            formdata=None, country=org.country, currency=org.currency, timezone=org.timezone
        ),
        plan_form=plan_form or _plan_form(formdata=None),
        renewal_form=renewal_form or PlanRenewalForm(prefix="renewal", formdata=None),
        details_form=details_form or OrgDetailsForm(prefix="details", formdata=None),
        requests={
            kind: open_request(kind) for kind in ("plan_change", "plan_renewal", "org_details")
        },
    )


@bp.route("/organization")
@member_required
def organization():
    return _page()


@bp.route("/organization/locale", methods=["POST"])
@admin_required
def organization_locale():
    form = _locale_form()
    if not form.validate_on_submit():
        return _page(locale_form=form), 400
    try:
        locale.update_locale(
            user_actor(), g.org, form.country.data, form.currency.data, form.timezone.data
        )
    except ServiceError as exc:
        return service_refused(_page, "locale_form", form, exc)
    flash("The locale has been saved. Agents you create or edit from now on use it.", "success")
    return redirect(url_for(BACK))


@bp.route("/organization/request-plan-change", methods=["POST"])
@admin_required
def organization_request_plan_change():
    form = _plan_form()
    if not form.validate_on_submit():
        return _page(plan_form=form), 400
    wanted = form.plan.choices.get(form.plan.data) if form.plan.data else None
    details = "\n\n".join(
        part
        for part in (f"Desired plan: {wanted}" if wanted else "", (form.note.data or "").strip())
        if part
    )
    payload = {"plan": form.plan.data} if form.plan.data else None
    return file_request("plan_change", details, BACK, payload=payload)


@bp.route("/organization/request-renewal", methods=["POST"])
@admin_required
def organization_request_renewal():
    form = PlanRenewalForm(prefix="renewal")
    if not form.validate_on_submit():
        return _page(renewal_form=form), 400
    return file_request("plan_renewal", form.note.data or "", BACK)


@bp.route("/organization/request-details-change", methods=["POST"])
@admin_required
def organization_request_details_change():
    form = OrgDetailsForm(prefix="details")
    if not form.validate_on_submit():
        return _page(details_form=form), 400
    return file_request("org_details", form.note.data, BACK)
