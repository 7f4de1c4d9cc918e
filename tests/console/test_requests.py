"""The queue: fulfilling each kind of request end to end, rejecting, assigning, logging."""

import pytest

from backoffice.models import AuditEvent, LedgerEntry, Organization, PhoneNumber, SupportRequest
from backoffice.services.base import Actor
from backoffice.services.requests import file_request

from ..factories import make_admin, make_number, make_org, make_plan
from .conftest import changes_since, last_event_id


def filed(kind, org=None, payload=None, **extra):
    """A request of this kind filed from Settings by an admin of org."""
    org = org or make_org()
    admin = make_admin(org)
    return file_request(
        Actor.user(admin), org, kind, "please", requested_by=admin, payload=payload, **extra
    )


def reload(model):
    return type(model).get_by_id(model.id)


def fulfil(client, request, **data):
    return client.post(f"/admin/requests/{request.public_id}/fulfil", data=data)


def assert_done(request, staff, mailbox, *, change_action, note_part):
    request = reload(request)
    assert request.state == "done"
    assert request.resolved_by_id == staff.id
    assert note_part in request.resolution_note
    (message,) = mailbox
    assert message["To"] == request.requester_email
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert note_part in body
    assert request.public_id in body
    actions = [
        e.action
        for e in AuditEvent.select().where(AuditEvent.actor_type == "staff")
        if e.action != "staff.logged_in"
    ]
    expected = [change_action, "request.fulfilled"] if change_action else ["request.fulfilled"]
    assert actions == expected
    return message


def test_fulfil_enable_api_access(support_client, support, mailbox):
    request = filed("enable_api_access")
    response = fulfil(support_client, request)
    assert response.status_code == 302
    page = support_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Enable API access done" in page
    assert reload(request.organization).api_access_enabled
    message = assert_done(
        request,
        support,
        mailbox,
        change_action="organization.api_access_enabled",
        note_part="API access is now enabled",
    )
    assert message["Subject"] == f"Done: Enable API access for {request.organization.name}"


def test_fulfil_enable_embedding(support_client, support, mailbox):
    request = filed("enable_embedding")
    fulfil(support_client, request, note="Enjoy the widget.")
    assert reload(request.organization).embedding_enabled
    assert_done(
        request,
        support,
        mailbox,
        change_action="organization.embedding_enabled",
        note_part="Enjoy the widget.",
    )


def test_fulfil_plan_change_prefills_and_uses_the_chosen_plan(support_client, support, mailbox):
    scale = make_plan(code="scale", name="Scale")
    request = filed("plan_change", payload={"plan": "scale"})
    page = support_client.get(f"/admin/requests/{request.public_id}/").get_data(as_text=True)
    assert '<option selected value="scale">' in page
    fulfil(support_client, request, plan="scale")
    org = reload(request.organization)
    assert org.plan_id == scale.id
    assert org.period_start is not None
    assert_done(request, support, mailbox, change_action="plan.changed", note_part="Scale plan")


def test_fulfil_plan_renewal_adds_credits_through_the_ledger(support_client, support, mailbox):
    org = make_org(plan=make_plan(included_credits=7_000))
    request = filed("plan_renewal", org=org)
    fulfil(support_client, request)
    org = reload(org)
    assert org.credit_balance == 7_000
    (entry,) = LedgerEntry.select().where(LedgerEntry.organization == org)
    assert entry.kind == "plan_renewal"
    assert_done(request, support, mailbox, change_action="plan.renewed", note_part="renewed")


def test_number_add_offers_the_requested_direction_first(support_client):
    make_number(number="+14155550401", direction="outbound")
    make_number(number="+14155550402", direction="inbound")
    request = filed("number_add", payload={"direction": "inbound"})
    page = support_client.get(f"/admin/requests/{request.public_id}/").get_data(as_text=True)
    assert page.index("+14155550402") < page.index("+14155550401")


def test_fulfil_number_add_assigns_the_picked_number(support_client, support, mailbox):
    make_number(number="+14155550101")
    picked = make_number(number="+14155550102")
    request = filed("number_add")
    page = support_client.get(f"/admin/requests/{request.public_id}/").get_data(as_text=True)
    assert "+14155550101" in page
    fulfil(support_client, request, number="+14155550102")
    assert reload(picked).organization_id == request.organization.id
    assert PhoneNumber.get(PhoneNumber.number == "+14155550101").organization_id is None
    assert_done(
        request, support, mailbox, change_action="number.assigned", note_part="+14155550102"
    )


def test_fulfil_number_remove_releases_the_number_named(support_client, support, mailbox):
    org = make_org()
    keep = make_number(org, number="+14155550201")
    gone = make_number(org, number="+14155550202")
    request = filed("number_remove", org=org, payload={"number": "+14155550202"})
    page = support_client.get(f"/admin/requests/{request.public_id}/").get_data(as_text=True)
    assert '<option selected value="+14155550202">' in page
    fulfil(support_client, request, number="+14155550202")
    assert reload(gone).organization_id is None
    assert reload(keep).organization_id == org.id
    assert_done(
        request, support, mailbox, change_action="number.released", note_part="+14155550202"
    )


def test_fulfil_org_details(support_client, support, mailbox):
    request = filed("org_details")
    fulfil(support_client, request, name="Renamed Ltd", billing_email="Finance@Renamed.example")
    org = reload(request.organization)
    assert (org.name, org.billing_email) == ("Renamed Ltd", "finance@renamed.example")
    assert_done(
        request,
        support,
        mailbox,
        change_action="organization.details_changed",
        note_part="details have been updated",
    )


def test_fulfil_other_just_closes(support_client, support, mailbox):
    request = filed("other")
    fulfil(support_client, request, note="Invoices sent separately.")
    assert_done(request, support, mailbox, change_action=None, note_part="Invoices sent")


def test_fulfil_refuses_a_number_already_taken(support_client, support, mailbox):
    taken = make_number(make_org(), number="+14155550301")
    request = filed("number_add")
    before = last_event_id()
    response = fulfil(support_client, request, number="+14155550301")
    page = support_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "already assigned to another organization" in page
    assert reload(request).state == "open"
    assert reload(taken).organization_id != request.organization.id
    assert changes_since(support, before) == []
    assert mailbox == []


def test_fulfil_plan_change_needs_a_plan(support_client, support, mailbox):
    request = filed("plan_change")
    response = fulfil(support_client, request, plan="")
    page = support_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Choose the plan to move to." in page
    assert reload(request).state == "open"
    assert mailbox == []


def test_a_closed_request_cannot_be_fulfilled_twice(support_client, support, mailbox):
    request = filed("enable_api_access")
    fulfil(support_client, request)
    mailbox.clear()
    response = fulfil(support_client, request)
    page = support_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This request is already done." in page
    assert mailbox == []


def test_a_mailed_request_is_answered_in_its_thread(support_client, support, mailbox):
    org = make_org()
    request = file_request(
        Actor.system("mail"),
        org,
        "enable_embedding",
        "Can we embed?",
        source="email",
        from_email="cto@customer.example",
        mail_message_id="<abc@customer.example>",
        mail_references="<root@customer.example>",
        mail_subject="Embedding please",
    )
    fulfil(support_client, request)
    (message,) = mailbox
    assert message["To"] == "cto@customer.example"
    assert message["Subject"] == "Re: Embedding please"
    assert message["In-Reply-To"] == "<abc@customer.example>"
    assert message["References"] == "<root@customer.example> <abc@customer.example>"


def test_reject_needs_a_reason_and_mails_it(support_client, support, mailbox):
    request = filed("plan_change")
    before = last_event_id()
    response = support_client.post(f"/admin/requests/{request.public_id}/reject", data={})
    page = support_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Give the reason" in page
    assert reload(request).state == "open"
    assert changes_since(support, before) == []

    support_client.post(
        f"/admin/requests/{request.public_id}/reject",
        data={"reason": "That plan is retired."},
    )
    request = reload(request)
    assert request.state == "rejected"
    assert request.resolution_note == "That plan is retired."
    (event,) = changes_since(support, before)
    assert event.action == "request.rejected"
    (message,) = mailbox
    assert message["Subject"].startswith("About your request: Plan change")
    assert "That plan is retired." in message.get_body(preferencelist=("plain",)).get_content()


def test_assign_to_me(support_client, support):
    request = filed("other")
    page = support_client.get(f"/admin/requests/{request.public_id}/").get_data(as_text=True)
    assert "Assign to me" in page
    before = last_event_id()
    support_client.post(f"/admin/requests/{request.public_id}/assign")
    request = reload(request)
    assert (request.assignee_id, request.state) == (support.id, "in_progress")
    (event,) = changes_since(support, before)
    assert event.action == "request.assigned"
    page = support_client.get(f"/admin/requests/{request.public_id}/").get_data(as_text=True)
    assert "Assign to me" not in page
    assert "assigned to sam@intrlume.tech" in page


def test_queue_lists_open_first_then_oldest_first(support_client, support, ctx):
    from datetime import timedelta

    from backoffice.clock import utcnow

    now = utcnow()
    done = filed("other")
    SupportRequest.update(state="done", created_at=now - timedelta(days=9)).where(
        SupportRequest.id == done.id
    ).execute()
    newer = filed("enable_embedding")
    older = filed("enable_api_access")
    SupportRequest.update(created_at=now - timedelta(days=2)).where(
        SupportRequest.id == older.id
    ).execute()
    page = support_client.get("/admin/requests/").get_data(as_text=True)
    positions = [page.index(r.public_id) for r in (older, newer, done)]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("flt0_0=enable_api_access", "api", "embed"),
        ("flt1_1=done", "embed", "api"),
        ("flt2_2=email", "embed", "api"),
    ],
)
def test_queue_filters(support_client, ctx, query, shown, hidden):
    requests = {"api": filed("enable_api_access"), "embed": filed("enable_embedding")}
    SupportRequest.update(state="done", source="email").where(
        SupportRequest.id == requests["embed"].id
    ).execute()
    page = support_client.get(f"/admin/requests/?{query}").get_data(as_text=True)
    assert requests[shown].public_id in page
    assert requests[hidden].public_id not in page


def test_queue_filters_by_assignee_and_searches_by_organization(support_client, support):
    mine = filed("other", org=make_org(name="Zebra Tours"))
    theirs = filed("other", org=make_org(name="Yak Yachts"))
    support_client.post(f"/admin/requests/{mine.public_id}/assign")
    page = support_client.get(f"/admin/requests/?flt3_3={support.id}").get_data(as_text=True)
    assert mine.public_id in page
    assert theirs.public_id not in page
    page = support_client.get("/admin/requests/?search=yak").get_data(as_text=True)
    assert theirs.public_id in page
    assert mine.public_id not in page
    page = support_client.get(f"/admin/requests/?search={mine.organization.public_id}").get_data(
        as_text=True
    )
    assert mine.public_id in page
    assert theirs.public_id not in page


def test_landing_page_shows_the_open_queue(support_client):
    request = filed("enable_api_access", org=make_org(name="Landing Co"))
    page = support_client.get("/admin/").get_data(as_text=True)
    assert "Landing Co" in page
    assert request.public_id in page


@pytest.mark.parametrize("source", ["email", "staff"])
def test_staff_log_a_request(support_client, support, source):
    org = make_org()
    before = last_event_id()
    response = support_client.post(
        "/admin/requests/log",
        data={
            "organization": org.public_id,
            "kind": "number_add",
            "source": source,
            "requester_email": "Caller@Customer.example",
            "details": "Called in: wants a Berlin number.",
        },
    )
    assert response.status_code == 302
    request = SupportRequest.get(SupportRequest.organization == org)
    assert (request.kind, request.source, request.state) == ("number_add", source, "open")
    assert request.requester_email == "caller@customer.example"
    (event,) = changes_since(support, before)
    assert event.action == "request.filed"


def test_logging_a_request_for_an_unknown_organization_says_so(support_client):
    response = support_client.post(
        "/admin/requests/log",
        data={"organization": "org_missing", "kind": "other", "source": "email"},
    )
    assert response.status_code == 400
    assert "There is no organization org_missing." in response.get_data(as_text=True)
    assert SupportRequest.select().count() == 0


def test_organization_status_is_unchanged_by_viewing(support_client):
    request = filed("enable_api_access")
    support_client.get(f"/admin/requests/{request.public_id}/")
    assert not Organization.get_by_id(request.organization.id).api_access_enabled
