"""Drop three single-column indexes that a composite index already covers.

ledger_entry (organization_id) and (agent_id) are the leading columns of the
(organization_id, created_at, id) and (agent_id, created_at, id) indexes, and call
(organization_id) of (organization_id, started_at); every lookup they served is served by the
composite, and each extra index costs every insert (a large call import or seed most of all).
"""

from peewee import *

COVERED = [
    ("ledger_entry", "ledgerentry_organization_id"),
    ("ledger_entry", "ledgerentry_agent_id"),
    ("call", "call_organization_id"),
]


def up(migrator, db):
    migrator.migrate(*(migrator.drop_index(table, name) for table, name in COVERED))


def down(migrator, db):
    migrator.migrate(
        migrator.add_index(
            "ledger_entry", ("organization_id",), name="ledgerentry_organization_id"
        ),
        migrator.add_index("ledger_entry", ("agent_id",), name="ledgerentry_agent_id"),
        migrator.add_index("call", ("organization_id",), name="call_organization_id"),
    )
