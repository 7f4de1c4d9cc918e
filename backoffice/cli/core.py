"""Core commands: schema, organizations, staff, demo data and the mail outbox."""

import click
from flask import current_app
from flask.cli import AppGroup

from .. import db, mail
from ..extensions import database
from ..models import Organization, StaffUser
from ..services import organizations, staff
from ..services.base import Actor
from ..services.errors import Conflict, ServiceError

CLI_ACTOR = Actor.system("cli")

db_cli = AppGroup("db", help="Create or migrate the database schema.")
mail_cli = AppGroup("mail", help="The outbox of mail the app sends.")


def fail(message: str) -> None:
    raise click.ClickException(message)


@db_cli.command("upgrade")
def db_upgrade():
    """Create the schema or bring it up to date; does nothing when it already is."""
    applied = db.upgrade()
    if applied:
        for name in applied:
            click.echo(f"applied {name}")
    else:
        click.echo("The database schema is up to date.")


@click.command("create-org")
@click.option("--name", required=True, help="The organization's name.")
@click.option("--admin-email", required=True, help="Who is invited as its first admin.")
@click.option("--billing-email", help="Billing address (defaults to the admin's).")
@click.option("--plan", "plan_code", help="Plan code, e.g. starter.")
def create_org(name, admin_email, billing_email, plan_code):
    """Create an organization and mail its first admin an invitation."""
    with database.connection_context():
        existing = Organization.get_or_none(Organization.name == name.strip())
        if existing is not None:
            click.echo(f"Organization {existing.public_id} ({existing.name}) already exists.")
            return
        try:
            org, link = organizations.create_organization(
                CLI_ACTOR, name, billing_email or admin_email, admin_email, plan_code
            )
        except ServiceError as exc:
            fail(exc.message)
    click.echo(f"Created organization {org.public_id} ({org.name}).")
    click.echo(f"Invitation for {admin_email}: {link}")


@click.command("create-staff")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(["support", "superuser"]))
@click.option("--name", default="")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_staff(email, role, name, password):
    """Create an Intrlume staff account for the console."""
    with database.connection_context():
        try:
            member = staff.create_staff(CLI_ACTOR, email, role, password, name)
        except Conflict as exc:
            click.echo(exc.message)
            return
        except ServiceError as exc:
            fail(exc.message)
    click.echo(f"Created {member.role} {member.email}.")


@click.command("seed-demo")
@click.option("--orgs", default=12, show_default=True, type=click.IntRange(1, 100_000))
@click.option(
    "--ledger-entries", default=20_000, show_default=True, type=click.IntRange(0, 20_000_000)
)
def seed_demo(orgs, ledger_entries):
    """Fill an empty database with realistic demo data and print the demo logins."""
    from ..demo import DEMO_LOGINS, seed

    with database.connection_context():
        if StaffUser.select().exists() or Organization.select().exists():
            click.echo("The database already has data; demo data not added.")
        else:
            seed(orgs=orgs, ledger_entries=ledger_entries)
    click.echo("Demo logins (password for all: {}):".format(DEMO_LOGINS["password"]))
    for label, email in DEMO_LOGINS["accounts"]:
        click.echo(f"  {label:<22} {email}")


@mail_cli.command("retry")
def mail_retry():
    """Deliver every message still pending or failed in the outbox."""
    with database.connection_context():
        sent, failing = mail.retry_failed(current_app._get_current_object())
    click.echo(f"{sent} delivered, {failing} still failing.")
    if failing:
        raise SystemExit(1)


def register_core(app) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(mail_cli)
    for command in (create_org, create_staff, seed_demo):
        app.cli.add_command(command)
