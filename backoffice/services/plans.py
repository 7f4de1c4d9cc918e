"""Plans and their limits: data that superusers edit in the console."""

import re
from decimal import Decimal, InvalidOperation

from ..models import Organization, Plan
from .base import Actor, audit, changes, operation
from .errors import Conflict, ValidationFailed

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
LIMIT_FIELDS = (
    "max_agents",
    "max_calls_per_period",
    "max_knowledge_bases",
    "max_campaigns",
    "max_leads",
    "max_integrations",
    "included_credits",
)
FIELDS = ("code", "name", *LIMIT_FIELDS, "price", "currency", "period_months")
# The largest value each column holds (limits are 32-bit integers, credits 64-bit).
LIMIT_MAX = dict.fromkeys(LIMIT_FIELDS, 2**31 - 1) | {"included_credits": 2**63 - 1}


def _clean(values: dict) -> dict:
    """The plan's values checked and normalised; every problem is reported at once."""
    errors, clean = {}, {}
    code = (values.get("code") or "").strip().lower()
    if not CODE_PATTERN.match(code):
        errors["code"] = "Use 1 to 40 lower-case letters, digits, - or _."
    clean["code"] = code
    name = (values.get("name") or "").strip()
    if not name or len(name) > 100:
        errors["name"] = "Enter a name of 1 to 100 characters."
    clean["name"] = name
    for field in LIMIT_FIELDS:
        value = values.get(field)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors[field] = "Enter a whole number, 0 or more."
        elif value > LIMIT_MAX[field]:
            errors[field] = f"Enter at most {LIMIT_MAX[field]:,}."
        clean[field] = value
    try:
        price = Decimal(str(values.get("price")))
        if not price.is_finite() or price < 0 or price >= Decimal("100000000"):
            raise InvalidOperation
        clean["price"] = price.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors["price"] = "Enter a price such as 49.00."
    currency = (values.get("currency") or "USD").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        errors["currency"] = "Enter a three-letter currency code."
    clean["currency"] = currency
    months = values.get("period_months", 1)
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 36:
        errors["period_months"] = "A period is 1 to 36 months."
    clean["period_months"] = months
    if errors:
        raise ValidationFailed(errors)
    return clean


def _plan_record(plan: Plan) -> dict:
    return {name: getattr(plan, name) for name in FIELDS}


@operation
def create_plan(actor: Actor, values: dict) -> Plan:
    """Create a plan with its limits."""
    clean = _clean(values)
    if Plan.select().where(Plan.code == clean["code"]).exists():
        raise Conflict(f"A plan with the code {clean['code']} exists.", field="code")
    plan = Plan.create(**clean)
    audit(actor, "plan.created", target=plan, after=_plan_record(plan))
    return plan


@operation
def update_plan(actor: Actor, plan: Plan, values: dict) -> Plan:
    """Change a plan's name, limits or price; organizations on it see the new limits at once."""
    clean = _clean(values)
    taken = Plan.select().where(Plan.code == clean["code"], Plan.id != plan.id).exists()
    if taken:
        raise Conflict(f"A plan with the code {clean['code']} exists.", field="code")
    before, after = changes(plan, clean)
    if after:
        plan.save()
        audit(actor, "plan.updated", target=plan, before=before, after=after)
    return plan


def plan_in_use(plan: Plan) -> bool:
    return Organization.select().where(Organization.plan == plan).exists()


@operation
def delete_plan(actor: Actor, plan: Plan) -> None:
    """Delete a plan nobody is on; a plan in use is refused."""
    count = Organization.select().where(Organization.plan == plan).count()
    if count:
        raise Conflict(
            f"The {plan.name} plan can't be deleted: {count:,} organizations are on it.",
            code="plan_in_use",
        )
    record = _plan_record(plan)
    audit(actor, "plan.deleted", target=plan, before=record)
    plan.delete_instance()
