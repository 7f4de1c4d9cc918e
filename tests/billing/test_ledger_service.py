"""The ledger service: every way credits move keeps balance == sum of entries, exactly once."""

from datetime import UTC, datetime, timedelta

import pytest

from backoffice.clock import utcnow
from backoffice.models import Call, LedgerEntry, Organization
from backoffice.models.billing import LedgerIsAppendOnly
from backoffice.services import ledger
from backoffice.services.base import Actor
from backoffice.services.errors import Forbidden, ValidationFailed

from ..factories import make_admin, make_agent, make_number, make_org, make_plan, make_user
from .helpers import STAFF, SYSTEM, assert_balanced, balance, call, events

OPERATIONS = {
    "call": lambda org, agent: call(org, agent, "call_op"),
    "number_rental": lambda org, agent: ledger.charge_number_rental(
        SYSTEM, make_number(org), utcnow().strftime("%Y-%m")
    ),
    "plan_renewal": lambda org, agent: ledger.renew_plan(STAFF, org),
    "credit_grant": lambda org, agent: ledger.grant_credits(STAFF, org, 700, "Goodwill"),
    "adjustment": lambda org, agent: ledger.adjust(STAFF, org, -45, "Double-billed call"),
}
ACTIONS = {
    "call": "call.charged",
    "number_rental": "number.rental_charged",
    "plan_renewal": "plan.renewed",
    "credit_grant": "credits.granted",
    "adjustment": "credits.adjusted",
}


@pytest.mark.parametrize("kind", list(OPERATIONS))
def test_balance_equals_sum_after_every_operation_kind(ctx, kind):
    org = make_org()
    agent = make_agent(org)
    ledger.grant_credits(STAFF, org, 2_000, "Opening balance")
    result = OPERATIONS[kind](org, agent)
    assert result.created
    assert not result.duplicate
    assert result.entry.kind == kind
    assert_balanced(org)
    assert len(events(ACTIONS[kind])) == (2 if kind == "credit_grant" else 1)
    event = events(ACTIONS[kind])[-1]
    assert event.organization_id == org.id
    assert event.after["balance_after"] == balance(org)


def test_every_kind_in_sequence_keeps_a_running_balance(ctx):
    org = make_org()
    agent = make_agent(org)
    for kind in ("credit_grant", "call", "number_rental", "plan_renewal", "adjustment"):
        OPERATIONS[kind](org, agent)
        assert_balanced(org)
    assert LedgerEntry.select().where(LedgerEntry.organization == org).count() == 5


def test_call_charged_per_started_minute(ctx, app):
    org = make_org()
    agent = make_agent(org)
    assert call(org, agent, "call_a", duration=0).entry.credits == 0
    assert call(org, agent, "call_b", duration=60).entry.credits == -10
    assert call(org, agent, "call_c", duration=61).entry.credits == -20
    app.config["BILL_PER_STARTED_MINUTE"] = False
    try:
        assert call(org, agent, "call_d", duration=90).entry.credits == -15
        assert call(org, agent, "call_e", duration=61).entry.credits == -11
    finally:
        app.config["BILL_PER_STARTED_MINUTE"] = True
    assert_balanced(org)


def test_a_repeated_call_id_is_a_no_op_that_says_so(ctx):
    org = make_org()
    agent = make_agent(org)
    first = call(org, agent, "call_same")
    again = call(org, agent, "call_same", duration=600)
    assert again.duplicate
    assert again.entry.id == first.entry.id
    assert "Already recorded" in again.message
    assert Call.select().count() == 1
    assert LedgerEntry.select().count() == 1
    assert len(events("call.charged")) == 1
    assert_balanced(org)


def test_call_entry_stores_call_agent_and_utc_time(ctx):
    org = make_org()
    agent = make_agent(org)
    started = datetime(2026, 3, 1, 9, 30, tzinfo=UTC) + timedelta(hours=0)
    entry = call(org, agent, "call_t", started_at=started.astimezone()).entry
    entry = LedgerEntry.get_by_id(entry.id)
    assert (entry.call_id, entry.agent_id, entry.duration_seconds) == (
        "call_t",
        agent.public_id,
        61,
    )
    assert entry.created_at == datetime(2026, 3, 1, 9, 30)
    stored = Call.get(Call.public_id == "call_t")
    assert stored.started_at == datetime(2026, 3, 1, 9, 30)


def test_record_call_refuses_another_organizations_agent_and_bad_values(ctx):
    org, other = make_org(), make_org()
    with pytest.raises(ValidationFailed) as refused:
        call(org, make_agent(other), "call_x")
    assert "agent_id" in refused.value.errors
    with pytest.raises(ValidationFailed) as refused:
        ledger.record_call(
            SYSTEM,
            org,
            make_agent(org),
            call_id="",
            started_at=datetime(2026, 1, 1, tzinfo=UTC),
            duration_seconds=-1,
            direction="sideways",
            from_number="555",
            to_number="+14155550100",
        )
    assert set(refused.value.errors) == {"call_id", "duration_seconds", "direction", "from_number"}
    assert LedgerEntry.select().count() == 0
    assert balance(org) == 0


def test_grant_credits_validates_amount_reason_and_support_cap(ctx):
    org = make_org()
    for amount, reason, fields in [
        (0, "x", {"amount"}),
        (-5, "x", {"amount"}),
        (True, "x", {"amount"}),
        (10, "  ", {"reason"}),
        ("10", "", {"amount", "reason"}),
    ]:
        with pytest.raises(ValidationFailed) as refused:
            ledger.grant_credits(STAFF, org, amount, reason)
        assert set(refused.value.errors) == fields
    with pytest.raises(ValidationFailed) as refused:
        ledger.grant_credits(STAFF, org, 20_001, "Big", max_amount=20_000)
    assert "20,000" in refused.value.errors["amount"]
    assert ledger.grant_credits(STAFF, org, 20_000, "Big", max_amount=20_000).created
    assert balance(org) == 20_000
    assert LedgerEntry.get().description == "Big"


def test_grants_and_adjustments_are_staff_only(ctx):
    org = make_org()
    user = make_admin(org)
    with pytest.raises(Forbidden):
        ledger.grant_credits(Actor.user(user), org, 10, "Free credits please")
    with pytest.raises(Forbidden):
        ledger.adjust(Actor.user(user), org, 10, "Free credits please")
    for credits in (0, 10**12, -(10**12)):
        with pytest.raises(ValidationFailed) as refused:
            ledger.adjust(STAFF, org, credits, "Out of range")
        assert "credits" in refused.value.errors
    assert LedgerEntry.select().count() == 0


def test_a_given_idempotency_key_makes_a_grant_happen_once(ctx):
    org = make_org()
    first = ledger.grant_credits(STAFF, org, 300, "Promo", idempotency_key="promo-2026")
    second = ledger.grant_credits(STAFF, org, 300, "Promo", idempotency_key="promo-2026")
    assert first.created
    assert second.duplicate
    assert balance(org) == 300
    assert len(events("credits.granted")) == 1


def test_renew_plan_adds_included_credits_and_advances_the_period(ctx):
    plan = make_plan(included_credits=12_345)
    org = make_org(plan=plan)
    old_end = org.period_end
    result = ledger.renew_plan(STAFF, org)
    org = Organization.get_by_id(org.id)
    assert result.entry.credits == 12_345
    assert org.period_start == old_end
    assert org.period_end > old_end
    assert_balanced(org)
    event = events("plan.renewed")[0]
    assert event.actor_type == "staff"


def test_renew_plan_after_the_period_lapsed_starts_now(ctx):
    now = utcnow().replace(microsecond=0)
    org = make_org(period_start=now - timedelta(days=60), period_end=now - timedelta(days=30))
    ledger.renew_plan(STAFF, org)
    org = Organization.get_by_id(org.id)
    assert abs((org.period_start - now).total_seconds()) < 5


def test_renew_plan_without_a_plan_is_refused(ctx):
    org = make_org(plan=None)
    with pytest.raises(ValidationFailed) as refused:
        ledger.renew_plan(STAFF, org)
    assert "plan" in refused.value.errors


def test_rentals_whole_month_once_and_only_for_numbers_held_in_the_month(ctx):
    org = make_org()
    now = utcnow()
    month = now.strftime("%Y-%m")
    held = make_number(org, monthly_cost=800)
    make_number(None)  # in the pool: nobody pays
    later = make_number(org, assigned_at=now + timedelta(days=40))
    report = ledger.charge_rentals(SYSTEM, month)
    assert (report.charged, report.already_charged, report.credits) == (1, 0, 800)
    again = ledger.charge_rentals(SYSTEM, month)
    assert (again.charged, again.already_charged) == (0, 1)
    entry = LedgerEntry.get(LedgerEntry.kind == "number_rental")
    assert (entry.phone_number, entry.credits) == (held.number, -800)
    assert entry.idempotency_key == f"rental:{held.number}:{month}"
    with pytest.raises(ValidationFailed):
        ledger.charge_number_rental(SYSTEM, later, month)
    with pytest.raises(ValidationFailed) as refused:
        ledger.charge_rentals(SYSTEM, "2026-13")
    assert "month" in refused.value.errors
    assert_balanced(org)
    assert len(events("number.rental_charged")) == 1


def test_charge_rentals_cli_is_idempotent(runner, ctx):
    org = make_org()
    make_number(org, monthly_cost=300)
    make_number(org, monthly_cost=500)
    month = utcnow().strftime("%Y-%m")
    first = runner.invoke(args=["billing", "charge-rentals", "--month", month])
    assert first.exit_code == 0, first.output
    assert "2 numbers charged (800 credits), 0 already charged" in first.output
    second = runner.invoke(args=["billing", "charge-rentals", "--month", month])
    assert "0 numbers charged (0 credits), 2 already charged" in second.output
    bad = runner.invoke(args=["billing", "charge-rentals", "--month", "January"])
    assert bad.exit_code != 0
    assert "YYYY-MM" in bad.output
    assert balance(org) == -800


def test_low_balance_mails_admins_once_and_rearms_above_threshold(ctx, mailbox, app):
    app.config["LOW_BALANCE_THRESHOLD"] = 1_000
    org = make_org(name="Thrifty Ltd")
    admin = make_admin(org, email="boss@thrifty.example")
    make_user(email="nobody@thrifty.example")
    agent = make_agent(org)
    ledger.grant_credits(STAFF, org, 1_030, "Start")
    call(org, agent, "call_1", duration=60)  # 1,020 left: still above
    assert mailbox == []
    call(org, agent, "call_2", duration=60)  # 1,010
    call(org, agent, "call_3", duration=120)  # 990: crosses
    call(org, agent, "call_4", duration=60)  # 980: already told
    assert [m["To"] for m in mailbox] == [admin.email]
    assert "credit balance is low" in mailbox[0]["Subject"]
    assert "990" in mailbox[0].get_body(preferencelist=("plain",)).get_content()
    assert Organization.get_by_id(org.id).low_balance_notified_at is not None
    ledger.grant_credits(STAFF, org, 5_000, "Top-up")
    assert Organization.get_by_id(org.id).low_balance_notified_at is None
    ledger.adjust(STAFF, org, -5_500, "Correction")  # an adjustment is a charge too
    assert len(mailbox) == 2


def test_a_grant_that_leaves_the_balance_low_sends_no_mail(ctx, mailbox):
    org = make_org()
    make_admin(org)
    ledger.grant_credits(STAFF, org, 10, "Tiny")
    assert mailbox == []


def test_no_update_or_delete_of_a_ledger_entry_succeeds(ctx):
    org = make_org()
    entry = ledger.grant_credits(STAFF, org, 100, "Start").entry
    entry.credits = 1_000_000
    with pytest.raises(LedgerIsAppendOnly):
        entry.save()
    with pytest.raises(LedgerIsAppendOnly):
        entry.delete_instance()
    with pytest.raises(LedgerIsAppendOnly):
        LedgerEntry.update(credits=5).where(LedgerEntry.id == entry.id).execute()
    with pytest.raises(LedgerIsAppendOnly):
        LedgerEntry.delete().where(LedgerEntry.id == entry.id).execute()
    with pytest.raises(LedgerIsAppendOnly):
        LedgerEntry.bulk_update([entry], fields=[LedgerEntry.credits])
    with pytest.raises(LedgerIsAppendOnly):
        LedgerEntry.replace(id=entry.id, credits=5).execute()
    stored = LedgerEntry.get_by_id(entry.id)
    assert (stored.credits, stored.balance_after) == (100, 100)
    assert_balanced(org)


def test_recorded_calls_count_in_calls_this_period(ctx):
    from backoffice.services.usage import calls_this_period, usage_for

    org = make_org()
    agent = make_agent(org)
    call(org, agent, "call_now", started_at=utcnow().replace(tzinfo=UTC))
    call(org, agent, "call_last_year", started_at=datetime(2025, 1, 1, tzinfo=UTC))
    assert calls_this_period(org) == 1
    calls = next(line for line in usage_for(org) if line.metric == "calls")
    assert (calls.label, calls.used) == ("Calls this period", 1)
