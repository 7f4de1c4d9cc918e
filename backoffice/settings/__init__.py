"""The customers' Settings area."""

from . import billing  # noqa: E402, F401 - registers the Billing tab's routes on the blueprint
