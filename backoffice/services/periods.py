"""Plan periods: when one starts and ends."""

import calendar
from datetime import datetime

from ..clock import utcnow


def add_months(value: datetime, months: int) -> datetime:
    month_index = value.month - 1 + months
    year, month = value.year + month_index // 12, month_index % 12 + 1
    day = min(value.day, calendar.monthrange(year, month)[1])
    return value.replace(year=year, month=month, day=day)


def start_period(organization, plan, start: datetime | None = None) -> None:
    """Set the organization's current period to begin at start (now by default)."""
    start = (start or utcnow()).replace(microsecond=0)
    organization.period_start = start
    organization.period_end = add_months(start, plan.period_months)
