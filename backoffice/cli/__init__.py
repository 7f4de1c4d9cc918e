"""`flask --app backoffice …` commands: thin wrappers that call services, one module per area."""

from .billing import billing_cli
from .core import register_core
from .requests import requests_cli


def register_cli(app) -> None:
    register_core(app)
    app.cli.add_command(requests_cli)
    app.cli.add_command(billing_cli)
