"""`db upgrade` builds an empty database and changes nothing on a second run."""

from backoffice.db import MIGRATIONS_DIR, migration_runner, pending_migrations, upgrade
from backoffice.extensions import database

from . import dbs
from .conftest import TEST_DATABASE_URL, another_app


def test_upgrade_from_empty_then_again_is_a_no_op(app, tmp_path):
    every_migration = sorted(p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py"))
    if dbs.is_postgres(TEST_DATABASE_URL):
        url = dbs.create_postgres_database(TEST_DATABASE_URL)
    else:
        url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    try:
        with another_app(app, DATABASE_URL=url) as fresh, fresh.app_context():
            assert pending_migrations() == every_migration
            assert upgrade() == every_migration
            with database.connection_context():
                tables = set(database.get_tables())
                assert {"organization", "ledger_entry", "audit_event"} <= tables
                assert upgrade() == []
                assert len(migration_runner().applied()) == len(every_migration)
            assert pending_migrations() == []
    finally:
        if dbs.is_postgres(url):
            dbs.drop_postgres_database(url)
