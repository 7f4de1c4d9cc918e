"""Small pieces the console's views and templates share."""

import json

from flask import url_for
from markupsafe import Markup, escape

from ..models import Organization


def org_link(organization: Organization | None) -> Markup | str:
    """The organization's name linking to its console page."""
    if organization is None:
        return "—"
    url = url_for("organizations.detail", public_id=organization.public_id)
    return Markup('<a href="{}">{}</a>').format(url, organization.name)


def org_column(view, context, model, name):
    return org_link(getattr(model, name))


def pretty_json(value) -> Markup | str:
    """before/after and payload values, readable in a table cell."""
    if value in (None, "", {}):
        return ""
    text = json.dumps(value, indent=1, sort_keys=True, default=str)
    return Markup('<pre class="payload small mb-0">{}</pre>').format(escape(text))


def json_column(view, context, model, name):
    return pretty_json(getattr(model, name))


def when(value) -> str:
    """A stored UTC datetime as the console shows it."""
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else "—"


def when_column(view, context, model, name):
    return when(getattr(model, name))


def organization_in_field(field) -> Organization | None:
    """The organization whose public ID a form field holds, or None with the field's error set."""
    public_id = (field.data or "").strip()
    organization = Organization.get_or_none(Organization.public_id == public_id)
    if organization is None:
        field.errors = [f"There is no organization {public_id or 'with that ID'}."]
    return organization
