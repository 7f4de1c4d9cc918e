"""Cursor paging: an opaque cursor naming the last row seen, and a `next` link to the page after."""

import base64
import binascii
import json
from datetime import datetime

from flask import request, url_for

from ..services.errors import ValidationFailed

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
BAD_CURSOR = "This cursor is not valid: use the `next` link of the previous page."


def only_parameters(*names: str) -> None:
    """Refuse query parameters the endpoint doesn't know, so a typo isn't silently ignored."""
    unknown = sorted(set(request.args) - set(names))
    if unknown:
        known = ", ".join(names) or "none"
        raise ValidationFailed(
            {name[:100]: f"Unknown parameter (this endpoint takes: {known})." for name in unknown}
        )


def page_limit() -> int:
    """The `limit` query parameter, 1 to MAX_LIMIT."""
    raw = request.args.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ValidationFailed({"limit": f"Give a whole number from 1 to {MAX_LIMIT}."})
    return int(raw)


def encode_cursor(moment: datetime, row_id: int) -> str:
    text = json.dumps([moment.isoformat(), row_id])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """(time, id) of the last row of the previous page; refuses anything we did not issue."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        moment, row_id = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        moment = datetime.fromisoformat(moment)
        if type(row_id) is not int or not 0 < row_id < 2**63 or moment.tzinfo is not None:
            raise ValueError(row_id)
        return moment, row_id
    except (ValueError, TypeError, binascii.Error, UnicodeError):
        raise ValidationFailed({"cursor": BAD_CURSOR}) from None


def keyset_page(query, time_field, id_field, *, newest_first: bool, limit: int):
    """One page of query ordered by (time, id), after the request's cursor; (rows, next_cursor)."""
    after = decode_cursor(request.args.get("cursor"))
    if after is not None:
        moment, row_id = after
        if newest_first:
            beyond = (time_field < moment) | ((time_field == moment) & (id_field < row_id))
        else:
            beyond = (time_field > moment) | ((time_field == moment) & (id_field > row_id))
        query = query.where(beyond)
    order = (time_field.desc(), id_field.desc()) if newest_first else (time_field, id_field)
    rows = list(query.order_by(*order).limit(limit + 1))
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, encode_cursor(getattr(last, time_field.name), last.id)


def page_body(items: list, next_cursor: str | None, endpoint: str, **params) -> dict:
    """The JSON of a page: its items and the link to the next page (null on the last)."""
    next_link = None
    if next_cursor is not None:
        next_link = url_for(endpoint, cursor=next_cursor, **params)
    return {"data": items, "next_cursor": next_cursor, "next": next_link}
