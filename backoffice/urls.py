"""Absolute links for mail and the CLI, inside or outside a request."""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def public_url(endpoint: str, **values) -> str:
    """An absolute URL: the request's host inside one, PUBLIC_BASE_URL outside (CLI, jobs)."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    # Binding the URL map directly avoids a fake request context, whose teardown would close
    # the database connection in the middle of the caller's transaction.
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
