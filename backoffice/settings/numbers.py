"""Phone Numbers tab: the organization's numbers and requests to add or remove one."""

from flask import g, render_template

from ..models import PhoneNumber
from ..permissions import admin_required, member_required
from ..services.profile import format_phone
from .forms import NumberRemovalForm, NumberRequestForm
from .views import bp, file_request, open_request

BACK = "settings.numbers"


def _numbers() -> list[PhoneNumber]:
    return list(
        PhoneNumber.select()
        .where(PhoneNumber.organization == g.org)
        .order_by(PhoneNumber.direction, PhoneNumber.number)
    )


def _removal_form(numbers, **kwargs) -> NumberRemovalForm:
    form = NumberRemovalForm(prefix="removal", **kwargs)
    form.number.choices = {n.number: f"{format_phone(n.number)} ({n.direction})" for n in numbers}
    return form


def _page(add_form=None, removal_form=None) -> str:
    numbers = _numbers()
    return render_template(
        "settings/numbers.html",
        inbound=[n for n in numbers if n.direction == "inbound"],
        outbound=[n for n in numbers if n.direction == "outbound"],
        total=sum(n.monthly_cost for n in numbers),
        add_form=add_form or NumberRequestForm(prefix="add", formdata=None),
        removal_form=removal_form or _removal_form(numbers, formdata=None),
        add_request=open_request("number_add"),
        removal_request=open_request("number_remove"),
    )


@bp.route("/numbers")
@member_required
def numbers():
    return _page()


@bp.route("/numbers/request", methods=["POST"])
@admin_required
def numbers_request_add():
    form = NumberRequestForm(prefix="add")
    if not form.validate_on_submit():
        return _page(add_form=form), 400
    direction = form.direction.data
    details = "\n\n".join(
        part for part in (f"A new {direction} number.", (form.note.data or "").strip()) if part
    )
    return file_request("number_add", details, BACK, payload={"direction": direction})


@bp.route("/numbers/request-removal", methods=["POST"])
@admin_required
def numbers_request_removal():
    form = _removal_form(_numbers())
    if not form.validate_on_submit():
        return _page(removal_form=form), 400
    number = form.number.data
    details = "\n\n".join(
        part for part in (f"Remove {number}.", (form.note.data or "").strip()) if part
    )
    return file_request("number_remove", details, BACK, payload={"number": number})
