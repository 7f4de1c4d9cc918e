"""Support-queue commands: reading request mails from a mailbox file or an IMAP server."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import database
from ..services import mail_import
from ..services.base import Actor

MAIL_ACTOR = Actor.system("mail-import")

requests_cli = AppGroup("requests", help="The support queue: requests that arrive by mail.")


@requests_cli.command("import-mail")
@click.argument("path", type=click.Path(path_type=Path))
def import_mail(path):
    """Import a Maildir folder, an mbox file or a single .eml into the request queue."""
    with database.connection_context():
        try:
            summary = mail_import.import_source(path, actor=MAIL_ACTOR)
        except mail_import.SourceUnreadable as exc:
            raise click.ClickException(exc.message) from exc
    click.echo(summary)


@requests_cli.command("fetch-imap")
def fetch_imap():
    """Import the unseen mail of IMAP_URL (imaps://user:password@host/INBOX), marking it seen."""
    url = current_app.config.get("IMAP_URL")
    if not url:
        raise click.ClickException("Set IMAP_URL, e.g. imaps://user:password@host/INBOX.")
    with database.connection_context():
        try:
            summary = mail_import.fetch_imap(url, actor=MAIL_ACTOR)
        except mail_import.SourceUnreadable as exc:
            raise click.ClickException(exc.message) from exc
    click.echo(summary)
