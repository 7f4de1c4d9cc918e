"""Fuzzing: hostile values in every Settings form, console action form and API body.

Hypothesis fills each case's fields (from tests/hardening/forms_catalog.py) with huge strings,
control characters, NUL bytes, lone surrogates, bidi marks, SQL and HTML fragments, and (in
JSON) values of the wrong type. For each submission: never a 500; a refused one (an error
status, or no audit event) leaves every table as it was; and no page, neither the answer nor
the pages that later show the data, contains the submitted markup unescaped.
"""

import json
import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .forms_catalog import CASES, changes, new_world, restore, snapshot, submit

# FUZZ_EXAMPLES=200 makes a deeper run; the default keeps the suite quick.
EXAMPLES_PER_FORM = int(os.environ.get("FUZZ_EXAMPLES", "15"))
SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
# What would only be in a page if a submitted value were written out unescaped.
RAW_MARKERS = ("<script>alert(1)", "<img src=x onerror")
FRAGMENTS = (
    SCRIPT,
    IMAGE,
    "' OR 1=1 --",
    "'; DROP TABLE organization; --",
    "\x00",
    "a\x00b",
    "\ud800",
    "\udfff",
    "\u202e\u202dgnp.exe",
    "\ufeff",
    "\r\nSet-Cookie: x=1",
    "\x1b[31m\x07\x08",
    "\u0301\u200b\u2028",
    "😀👩‍👩‍👧",
    "{{7*7}}${7*7}%s%n",
    "../../etc/passwd",
    "+14155550123",
    "https://shop.example.com",
    "GB",
    "admin",
    "1",
    "-1",
    "99999999999999999999999",
    "2147483648",
    "9223372036854775808",
    "",
    " ",
)

fragments = st.sampled_from(FRAGMENTS)
any_unicode = st.text(st.characters(codec=None, categories=None), max_size=20)
huge = st.builds(
    lambda piece, size: (piece * (size // max(len(piece), 1) + 1))[:size],
    st.sampled_from([p for p in FRAGMENTS if p]),
    st.integers(10_001, 20_000),
)
hostile_text = st.one_of(
    fragments,
    st.lists(st.one_of(fragments, any_unicode), min_size=1, max_size=5).map("".join),
    any_unicode,
    huge,
)
wrong_types = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.booleans(),
    st.none(),
    st.lists(st.one_of(st.integers(), fragments), max_size=3),
    st.dictionaries(fragments, st.one_of(st.integers(), fragments), max_size=2),
)
hostile_json = st.one_of(hostile_text, wrong_types)

FUZZED_CASES = [item for items in CASES.values() for item in items if item.fuzz]


def marked(valid_value: str):
    """A valid value with markup around it, so that it is likely to be stored and shown."""
    return st.sampled_from(
        [f"{valid_value}{SCRIPT}", f"{SCRIPT}{valid_value}", f"{valid_value}{IMAGE}"]
    )


def marked_examples(item, valid: dict) -> list[dict]:
    """One submission per fuzzed field, that field alone carrying markup around its value."""
    return [{**valid, name: f"{valid.get(name, '')}{SCRIPT}{IMAGE}"} for name in item.fuzz]


def payloads(item, valid: dict):
    """The case's valid payload with any of its fuzzed fields replaced by hostile values."""
    value = hostile_json if item.as_json else hostile_text
    fields = {
        name: st.one_of(st.just(valid[name]), marked(valid[name]), value)
        if name in valid
        else value
        for name in item.fuzz
    }
    body = st.fixed_dictionaries({}, optional=fields).map(lambda drawn: {**valid, **drawn})
    if item.as_json:
        # Now and then the body is not an object at all.
        return st.one_of(body, body, body, wrong_types, hostile_text)
    return body


def assert_no_raw_markup(response, where: str):
    if response.mimetype != "text/html":
        return
    page = response.get_data(as_text=True)
    shown = [marker for marker in RAW_MARKERS if marker in page]
    assert shown == [], f"{where} shows submitted markup unescaped"


class Visitors:
    """Signed-in clients per caller, for the pages that show submitted data."""

    def __init__(self, app, world):
        self.app, self.world, self.clients = app, world, {}

    def get(self, caller, path):
        if caller not in self.clients:
            self.clients[caller] = self.world.client_for(self.app, caller)
        client, headers = self.clients[caller]
        return client.get(path, headers=headers)


@pytest.mark.parametrize("item", FUZZED_CASES, ids=lambda item: item.name)
def test_hostile_values_never_break_a_form(app, ctx, item):
    world = new_world()
    path = item.path(world)
    valid = item.data(world)
    pages = [(caller, page(world)) for caller, page in item.pages]
    visitors = Visitors(app, world)
    for caller, page in pages:
        visitors.get(caller, page)  # sign the visitors in before the baseline
    # The poster signs in again only after a submission that wrote (it may have ended its
    # session); until then every example starts from the baseline itself.
    poster = {"client": world.client_for(app, item.caller)}
    baseline = snapshot()

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(payload=payloads(item, valid))
    def submission(payload):
        before, after = baseline, None
        if poster["client"] is None:
            poster["client"] = world.client_for(app, item.caller)
            before = snapshot()
        client, headers = poster["client"]
        try:
            response = submit(client, item, path, payload, headers)
            shown = json.dumps(payload, default=str)[:300]
            assert response.status_code < 500, f"{item.name}: {shown}"
            assert_no_raw_markup(response, f"the answer to {item.name}")
            after = snapshot()
            refused = response.status_code >= 400
            audited = len(after["audit_event"]) > len(before["audit_event"])
            if refused or not audited:
                assert changes(before, after) == [], f"{item.name} wrote without an audit: {shown}"
            else:
                poster["client"] = None
            for caller, page in pages:
                shown_page = visitors.get(caller, page)
                assert shown_page.status_code < 500, page
                assert_no_raw_markup(shown_page, page)
        finally:
            restore(baseline, after)

    for payload in marked_examples(item, valid):
        submission = example(payload=payload)(submission)
    submission()
