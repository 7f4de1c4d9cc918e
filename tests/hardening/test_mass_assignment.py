"""Mass assignment: fields a form or JSON body doesn't offer are ignored on every write route.

Each case posts a valid submission plus hostile extras (`organization_id`, `role`,
`credit_balance`, `is_staff`, `api_access_enabled`…), then compares every table before and
after: only what the form legitimately changes may differ, no row may carry a hostile value, and
the other organization's rows stay exactly as they were.
"""

import pytest

from .forms_catalog import (
    ALWAYS_ALLOWED,
    CASES,
    FLASK_ADMIN_GENERATED,
    changes,
    family_cases,
    hostile_fields,
    hostile_traces,
    is_allowed,
    new_world,
    other_org_rows,
    restore,
    snapshot,
    submit,
    write_routes,
)

EXPLICIT_CASES = [item for items in CASES.values() for item in items]


def test_every_write_route_has_a_case(app):
    known = set(CASES)
    missing = [
        f"{method} {rule}"
        for method, rule in write_routes(app)
        if (method, rule) not in known
        and not (method == "POST" and FLASK_ADMIN_GENERATED.match(rule))
    ]
    assert missing == [], (
        f"write routes without a case in tests/hardening/forms_catalog.py: {missing}"
    )


def test_every_case_names_a_real_route(app):
    routes = set(write_routes(app))
    assert [key for key in CASES if key not in routes] == []


def post_with_extras(app, world, item):
    """Send item's valid payload with every hostile extra; return (response, before, after)."""
    client, headers = world.client_for(app, item.caller)
    path = item.path(world)
    payload = {**hostile_fields(world, as_json=item.as_json), **item.data(world)}
    before = snapshot()
    response = submit(client, item, path, payload, headers)
    return response, before, snapshot()


def assert_only_legitimate_changes(world, item, before, after):
    allowed = item.may_change | ALWAYS_ALLOWED
    unexpected = [change for change in changes(before, after) if not is_allowed(change, allowed)]
    assert unexpected == [], f"{item.name} changed more than its form offers"
    assert hostile_traces(world, before, after) == []
    assert other_org_rows(world, before) == other_org_rows(world, after)


@pytest.mark.parametrize("item", EXPLICIT_CASES, ids=lambda item: item.name)
def test_extra_fields_are_ignored(app, ctx, item):
    world = new_world()
    response, before, after = post_with_extras(app, world, item)
    assert response.status_code == item.expect, response.get_data(as_text=True)[:3000]
    assert_only_legitimate_changes(world, item, before, after)
    if item.may_change:
        assert changes(before, after), f"{item.name}: the valid part of the submission did nothing"
    if item.check is not None:
        assert item.check(world)


def test_flask_admin_generated_routes_change_nothing_unless_a_view_allows_it(app, ctx):
    world = new_world()
    generated = [
        rule
        for method, rule in write_routes(app)
        if method == "POST" and FLASK_ADMIN_GENERATED.match(rule) and (method, rule) not in CASES
    ]
    assert generated, "expected Flask-Admin's generated routes"
    for rule in generated:
        for item in family_cases(rule):
            response, before, after = post_with_extras(app, world, item)
            assert response.status_code < 500, rule
            assert [c for c in changes(before, after) if not is_allowed(c, ALWAYS_ALLOWED)] == [], (
                rule
            )
            assert hostile_traces(world, before, after) == []
            restore(before)
