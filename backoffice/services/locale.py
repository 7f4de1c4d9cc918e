"""An organization's locale: country, currency and timezone, with the choices people pick from."""

from functools import cache
from zoneinfo import available_timezones

import pycountry
from babel import Locale
from babel.numbers import get_currency_name

from ..models import Organization
from .base import Actor, audit, changes, operation
from .errors import ValidationFailed

# IANA's geographic areas; the rest of the tz database is legacy aliases (US/Eastern, EST5EDT).
TIMEZONE_AREAS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


@cache
def country_choices() -> tuple[tuple[str, str], ...]:
    """(ISO 3166-1 alpha-2 code, English name) for every country, by name."""
    names = Locale("en").territories
    countries = ((c.alpha_2, names.get(c.alpha_2, c.name)) for c in pycountry.countries)
    return tuple(sorted(countries, key=lambda item: item[1]))


@cache
def currency_choices() -> tuple[tuple[str, str], ...]:
    """(ISO 4217 code, "Name (CODE)") for every current currency, by name."""
    currencies = (
        (c.alpha_3, f"{get_currency_name(c.alpha_3, locale='en')} ({c.alpha_3})")
        for c in pycountry.currencies
    )
    return tuple(sorted(currencies, key=lambda item: item[1]))


@cache
def timezone_choices() -> tuple[tuple[str, str], ...]:
    """(IANA name, readable name) for UTC and every geographic timezone, by name."""
    names = sorted(
        name for name in available_timezones() if name.split("/", 1)[0] in TIMEZONE_AREAS
    )
    return (("UTC", "UTC"), *((name, name.replace("_", " ")) for name in names))


def _codes(choices) -> frozenset[str]:
    return frozenset(code for code, _ in choices)


@operation
def update_locale(
    actor: Actor, organization: Organization, country: str, currency: str, timezone: str
) -> Organization:
    """Change the locale; agents created or edited from now on snapshot it, others keep theirs."""
    values = {
        "country": (country or "").strip().upper(),
        "currency": (currency or "").strip().upper(),
        "timezone": (timezone or "").strip(),
    }
    errors = {}
    if values["country"] not in _codes(country_choices()):
        errors["country"] = "Choose a country from the list."
    if values["currency"] not in _codes(currency_choices()):
        errors["currency"] = "Choose a currency from the list."
    if values["timezone"] not in _codes(timezone_choices()):
        errors["timezone"] = "Choose a timezone from the list."
    if errors:
        raise ValidationFailed(errors)
    before, after = changes(organization, values)
    if not after:
        return organization
    Organization.update(**after).where(Organization.id == organization.id).execute()
    audit(
        actor,
        "organization.locale_changed",
        organization,
        organization,
        before=before,
        after=after,
    )
    return organization
