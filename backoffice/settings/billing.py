"""The Billing tab: the organization's ledger, filtered, paged, charted and exported as CSV."""

import csv
import io
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from flask import Response, g, render_template, request, stream_with_context

from ..clock import to_local
from ..models.billing import (
    KIND_LABELS,
    LedgerFilters,
    encode_cursor,
    ledger_export,
    ledger_newer_page,
    ledger_page,
    ledger_totals,
    parse_ledger_filters,
    usage_chart,
)
from ..permissions import admin_required
from ..services.errors import ValidationFailed
from .views import bp

PAGE_SIZE = 50
CSV_BATCH = 1_000
CSV_COLUMNS = (
    "date",
    "kind",
    "call_id",
    "agent_id",
    "phone_number",
    "duration_seconds",
    "credits",
    "balance_after",
    "description",
)
KIND_COLOURS = {
    "call": "#0d6efd",
    "number_rental": "#fd7e14",
    "plan_renewal": "#198754",
    "credit_grant": "#20c997",
    "adjustment": "#6f42c1",
}
CHART_WIDTH, CHART_HEIGHT, CHART_LEFT, CHART_BOTTOM = 720, 200, 56, 28


@bp.route("/billing")
@admin_required
def billing():
    """The ledger page; bad filters or a bad page link answer 400 with a message."""
    try:
        filters = parse_ledger_filters(request.args, g.org.timezone)
        page = _page(filters)
    except ValidationFailed as exc:
        empty = LedgerFilters(timezone=g.org.timezone)
        return (
            render_template(
                "settings/billing.html",
                errors=exc.errors,
                form=request.args,
                filters=empty,
                rows=[],
                newer=None,
                older=None,
                totals=None,
                chart=None,
                to_local=to_local,
            ),
            400,
        )
    rows, newer, older = page
    return render_template(
        "settings/billing.html",
        errors={},
        form=request.args,
        filters=filters,
        rows=rows,
        newer=newer,
        older=older,
        totals=ledger_totals(g.org, filters),
        chart=_chart(usage_chart(g.org, filters)),
        to_local=to_local,
    )


def _page(filters: LedgerFilters):
    """(rows, newer cursor, older cursor) for the `after` or `before` argument, if any."""
    before, after = request.args.get("before"), request.args.get("after")
    if before:
        rows, has_newer = ledger_newer_page(g.org, filters, before, PAGE_SIZE)
        newer = encode_cursor(rows[0]) if rows and has_newer else None
        older = encode_cursor(rows[-1]) if rows else None
        return rows, newer, older
    rows, older = ledger_page(g.org, filters, after or None, PAGE_SIZE)
    newer = encode_cursor(rows[0]) if after and rows else None
    return rows, newer, older


@bp.route("/billing.csv")
@admin_required
def billing_csv():
    """Exactly the filtered entries as CSV, streamed page by page in constant memory."""
    try:
        filters = parse_ledger_filters(request.args, g.org.timezone)
    except ValidationFailed as exc:
        return Response(exc.message + "\n", status=400, mimetype="text/plain")
    organization = g.org

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        zone = ZoneInfo(filters.timezone)
        for count, row in enumerate(ledger_export(organization, filters, CSV_BATCH), start=1):
            created_at, _, *values = row
            local = created_at.replace(tzinfo=UTC).astimezone(zone).isoformat()
            writer.writerow((local, *("" if value is None else value for value in values)))
            if count % CSV_BATCH == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    name = f"ledger-{organization.public_id}.csv"
    return Response(
        stream_with_context(generate()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _chart(chart):
    """Bar geometry for the server-drawn SVG: stacked bars per bucket, one colour per kind."""
    if chart is None or not chart.starts:
        return None
    plot_width = CHART_WIDTH - CHART_LEFT - 8
    plot_height = CHART_HEIGHT - CHART_BOTTOM - 8
    slot = plot_width / len(chart.starts)
    maximum = chart.maximum or 1
    bars = []
    for index, start in enumerate(chart.starts):
        y = 8 + plot_height
        for kind in chart.kinds:
            value = chart.values.get((start, kind), 0)
            if not value:
                continue
            height = plot_height * value / maximum
            y -= height
            end = start + timedelta(days=6 if chart.bucket == "week" else 0)
            label = start.isoformat() if start == end else f"{start} – {end}"
            bars.append(
                {
                    "x": round(CHART_LEFT + index * slot + slot * 0.1, 2),
                    "y": round(y, 2),
                    "width": round(max(slot * 0.8, 1), 2),
                    "height": round(max(height, 0.5), 2),
                    "colour": KIND_COLOURS.get(kind, "#6c757d"),
                    "title": f"{label}: {value:,} credits, {KIND_LABELS.get(kind, kind)}",
                }
            )
    step = max(1, len(chart.starts) // 6)
    ticks = [
        {"x": round(CHART_LEFT + index * slot + slot / 2, 2), "label": start.strftime("%b %d")}
        for index, start in enumerate(chart.starts)
        if index % step == 0
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "bottom": CHART_HEIGHT - CHART_BOTTOM,
        "maximum": chart.maximum,
        "bucket": chart.bucket,
        "first": chart.starts[0],
        "last": chart.starts[-1],
        "bars": bars,
        "ticks": ticks,
        "legend": [
            {"label": KIND_LABELS.get(kind, kind), "colour": KIND_COLOURS.get(kind, "#6c757d")}
            for kind in chart.kinds
        ],
    }
