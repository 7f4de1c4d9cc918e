"""Ledger totals per organization, 15-minute slot, kind and agent, kept by the database itself.

The Billing tab's totals and chart add these up instead of every entry, so they cost the same
for 200 entries as for 200,000. A trigger on ledger_entry keeps them: every insert, from any
path (services, bulk imports, demo data), lands in its slot. Entries are append-only, so
inserts are all there is to follow. Every UTC offset in use is a multiple of 15 minutes, so a
local midnight always starts a slot and local days add up exactly.

A bulk import pauses the trigger inside its own transaction and adds its batch's totals in one
statement instead (SQLite: the one-row table ledger_summary_pause; PostgreSQL: the
transaction-local setting backoffice.ledger_summary_paused).

Also an index on ledger_entry (agent_id, created_at, id), so an agent's entries come newest
first straight from the index when searching by agent ID.
"""

from peewee import *

SQLITE_SLOT = (
    "strftime('%Y-%m-%d %H:', {0}) || "
    "printf('%02d:00', (CAST(strftime('%M', {0}) AS INTEGER) / 15) * 15)"
)
POSTGRES_SLOT = (
    "date_trunc('hour', {0}) + floor(extract(minute FROM {0}) / 15) * interval '15 minutes'"
)
UPSERT = """
INSERT INTO ledger_summary
    (organization_id, slot, kind, agent_id, entries, credits_used, credits_added)
VALUES (NEW.organization_id, {slot}, NEW.kind, COALESCE(NEW.agent_id, ''), 1,
        CASE WHEN NEW.credits < 0 THEN -NEW.credits ELSE 0 END,
        CASE WHEN NEW.credits > 0 THEN NEW.credits ELSE 0 END)
ON CONFLICT (organization_id, slot, kind, agent_id) DO UPDATE SET
    entries = ledger_summary.entries + 1,
    credits_used = ledger_summary.credits_used + excluded.credits_used,
    credits_added = ledger_summary.credits_added + excluded.credits_added;
"""
BACKFILL = """
INSERT INTO ledger_summary
    (organization_id, slot, kind, agent_id, entries, credits_used, credits_added)
SELECT organization_id, {slot}, kind, COALESCE(agent_id, ''), COUNT(*),
       SUM(CASE WHEN credits < 0 THEN -credits ELSE 0 END),
       SUM(CASE WHEN credits > 0 THEN credits ELSE 0 END)
FROM ledger_entry GROUP BY 1, 2, 3, 4
"""


def up(migrator, db):
    class Organization(Model):
        class Meta:
            database = db
            table_name = "organization"

    class LedgerSummary(Model):
        organization = ForeignKeyField(Organization, on_delete="CASCADE", index=False)
        slot = DateTimeField()
        kind = CharField(max_length=16)
        agent_id = CharField(max_length=40, default="")
        entries = IntegerField(default=0)
        credits_used = BigIntegerField(default=0)
        credits_added = BigIntegerField(default=0)

        class Meta:
            database = db
            table_name = "ledger_summary"
            indexes = ((("organization", "slot", "kind", "agent_id"), True),)

    class LedgerSummaryPause(Model):
        paused = BooleanField(default=False)

        class Meta:
            database = db
            table_name = "ledger_summary_pause"

    db.create_tables([LedgerSummary, LedgerSummaryPause])
    migrator.migrate(
        migrator.add_index(
            "ledger_entry",
            ("agent_id", "created_at", "id"),
            False,
            name="ledgerentry_agent_id_created_at_id",
        )
    )
    if isinstance(db, SqliteDatabase):
        LedgerSummaryPause.create(paused=False)
        db.execute_sql(
            "CREATE TRIGGER ledger_entry_summary AFTER INSERT ON ledger_entry "  # noqa: S608  # nosec B608 - constants
            "WHEN NOT (SELECT paused FROM ledger_summary_pause) BEGIN "
            + UPSERT.format(slot=SQLITE_SLOT.format("NEW.created_at"))
            + " END"
        )
        db.execute_sql(BACKFILL.format(slot=SQLITE_SLOT.format("created_at")))
    else:
        db.execute_sql(
            "CREATE FUNCTION ledger_entry_summary() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN "
            "IF current_setting('backoffice.ledger_summary_paused', true) = 'on' THEN "
            "RETURN NULL; END IF; "
            + UPSERT.format(slot=POSTGRES_SLOT.format("NEW.created_at"))
            + " RETURN NULL; END $$"
        )
        db.execute_sql(
            "CREATE TRIGGER ledger_entry_summary AFTER INSERT ON ledger_entry "
            "FOR EACH ROW EXECUTE FUNCTION ledger_entry_summary()"
        )
        db.execute_sql(BACKFILL.format(slot=POSTGRES_SLOT.format("created_at")))


def down(migrator, db):
    migrator.migrate(migrator.drop_index("ledger_entry", "ledgerentry_agent_id_created_at_id"))
    if isinstance(db, SqliteDatabase):
        db.execute_sql("DROP TRIGGER IF EXISTS ledger_entry_summary")
    else:
        db.execute_sql("DROP TRIGGER IF EXISTS ledger_entry_summary ON ledger_entry")
        db.execute_sql("DROP FUNCTION IF EXISTS ledger_entry_summary()")
    migrator.migrate(migrator.drop_table("ledger_summary_pause"))
    migrator.migrate(migrator.drop_table("ledger_summary"))
