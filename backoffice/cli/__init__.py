"""`flask --app backoffice …` commands: thin wrappers that call services, one module per area."""

from .core import register_core


def register_cli(app) -> None:
    register_core(app)
