"""`flask --app backoffice billing …`: the call import and the monthly number rentals."""

import click
from flask.cli import AppGroup

from ..extensions import database
from ..services import ledger
from ..services.base import Actor
from ..services.errors import ServiceError

billing_cli = AppGroup("billing", help="Charges: call imports and number rentals.")


@billing_cli.command("import-calls")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_calls(file):
    """Import the telephony platform's call export (CSV with a header row, or JSON Lines).

    Each good row becomes a call and its charge; a call already imported is left alone, so
    running the same file again adds nothing. Bad rows are listed with their line number and
    skipped; the command then exits with status 1.
    """
    actor = Actor.system("cli:billing import-calls")
    with database.connection_context():
        total = ledger.count_rows(file)
        try:
            with click.progressbar(length=total, label="Importing calls", file=None) as bar:
                report = ledger.import_calls(actor, file, progress=bar.update)
        except ServiceError as exc:
            raise click.ClickException(exc.message) from exc
    for line in ledger.format_bad_rows(report):
        click.echo(line, err=True)
    click.echo(report.summary)
    if report.bad_rows:
        raise SystemExit(1)


@billing_cli.command("charge-rentals")
@click.option(
    "--month", required=True, metavar="YYYY-MM", help="The month to charge, e.g. 2026-01."
)
def charge_rentals(month):
    """Charge each assigned phone number its monthly cost for MONTH, once.

    Whole months, not prorated: a number assigned to an organization at any time before the
    month ends is charged its full monthly cost for that month, to the organization holding it
    when this runs. Re-running for the same month charges nothing twice.
    """
    actor = Actor.system("cli:billing charge-rentals")
    with database.connection_context():
        try:
            report = ledger.charge_rentals(actor, month)
        except ServiceError as exc:
            raise click.ClickException(exc.message) from exc
    click.echo(
        f"{report.charged:,} numbers charged ({report.credits:,} credits), "
        f"{report.already_charged:,} already charged for {month}."
    )
