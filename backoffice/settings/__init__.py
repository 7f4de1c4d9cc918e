"""The customers' Settings area."""
