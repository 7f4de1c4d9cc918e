"""The initial schema: every table of the domain.

A frozen copy of the models as they stood; callable defaults live in Python, not in the DDL.
"""

from peewee import *


def up(migrator, db):
    class Plan(Model):
        code = CharField(unique=True, max_length=40)
        name = CharField(max_length=100)
        max_agents = IntegerField()
        max_calls_per_period = IntegerField()
        max_knowledge_bases = IntegerField()
        max_campaigns = IntegerField()
        max_leads = IntegerField()
        max_integrations = IntegerField()
        included_credits = BigIntegerField(default=0)
        price = DecimalField(decimal_places=2, default=0)
        currency = CharField(max_length=3, default="USD")
        period_months = IntegerField(default=1)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "plan"

    db.create_tables([Plan])

    class Organization(Model):
        public_id = CharField(unique=True, max_length=40)
        name = CharField(max_length=200)
        billing_email = CharField(max_length=254)
        created_at = DateTimeField()
        country = CharField(max_length=2, default="US")
        currency = CharField(max_length=3, default="USD")
        timezone = CharField(max_length=64, default="UTC")
        plan = ForeignKeyField(Plan, null=True, on_delete="RESTRICT")
        period_start = DateTimeField(null=True)
        period_end = DateTimeField(null=True)
        credit_balance = BigIntegerField(default=0)
        embedding_enabled = BooleanField(default=False)
        api_access_enabled = BooleanField(default=False)
        public_key = CharField(unique=True, max_length=64)
        allowed_origins = TextField(default="")
        status = CharField(index=True, max_length=16, default="active")
        low_balance_notified_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "organization"

    db.create_tables([Organization])

    class Agent(Model):
        public_id = CharField(unique=True, max_length=40)
        organization = ForeignKeyField(Organization, on_delete="CASCADE")
        name = CharField(max_length=200)
        country = CharField(max_length=2)
        currency = CharField(max_length=3)
        timezone = CharField(max_length=64)
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "agent"
            indexes = ((("organization", "created_at"), False),)

    db.create_tables([Agent])

    class User(Model):
        email = CharField(unique=True, max_length=254)
        first_name = CharField(max_length=100, default="")
        last_name = CharField(max_length=100, default="")
        phone = CharField(null=True, max_length=20)
        password_hash = CharField(null=True)
        session_token = CharField(max_length=32)
        is_active = BooleanField(default=True)
        created_at = DateTimeField()
        last_login_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "user"

    db.create_tables([User])

    class ApiKey(Model):
        organization = ForeignKeyField(Organization, on_delete="CASCADE")
        key_hash = CharField(unique=True, max_length=64)
        prefix = CharField(max_length=16)
        last_four = CharField(max_length=4)
        created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        created_at = DateTimeField()
        last_used_at = DateTimeField(null=True)
        revoked_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "api_key"
            indexes = ((("organization", "revoked_at"), False),)

    db.create_tables([ApiKey])

    class AuditEvent(Model):
        created_at = DateTimeField()
        actor_type = CharField(max_length=16)
        actor_id = IntegerField(null=True)
        actor_label = CharField(max_length=254, default="")
        organization = ForeignKeyField(Organization, null=True, on_delete="CASCADE")
        action = CharField(index=True, max_length=64)
        target_type = CharField(max_length=32, default="")
        target_id = CharField(max_length=64, default="")
        before = TextField(null=True)
        after = TextField(null=True)
        ip_address = CharField(null=True, max_length=45)

        class Meta:
            database = db
            table_name = "audit_event"
            indexes = ((("organization", "created_at"), False), (("created_at",), False))

    db.create_tables([AuditEvent])

    class Call(Model):
        public_id = CharField(unique=True, max_length=64)
        organization = ForeignKeyField(Organization, on_delete="CASCADE")
        agent = ForeignKeyField(Agent, on_delete="CASCADE")
        started_at = DateTimeField()
        duration_seconds = IntegerField()
        direction = CharField(max_length=8)
        from_number = CharField(max_length=20)
        to_number = CharField(max_length=20)

        class Meta:
            database = db
            table_name = "call"
            indexes = ((("organization", "started_at"), False),)

    db.create_tables([Call])

    class StaffUser(Model):
        email = CharField(unique=True, max_length=254)
        name = CharField(max_length=200, default="")
        password_hash = CharField()
        role = CharField(max_length=16, default="support")
        is_active = BooleanField(default=True)
        session_token = CharField(max_length=32)
        created_at = DateTimeField()
        last_login_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "staff_user"

    db.create_tables([StaffUser])

    class SupportRequest(Model):
        public_id = CharField(unique=True, max_length=40)
        organization = ForeignKeyField(Organization, null=True, on_delete="CASCADE")
        requested_by = ForeignKeyField(User, null=True)
        requester_email = CharField(max_length=254, default="")
        kind = CharField(max_length=32, default="other")
        details = TextField(default="")
        payload = TextField(null=True)
        source = CharField(max_length=16, default="settings")
        state = CharField(max_length=16, default="open")
        needs_triage = BooleanField(default=False)
        assignee = ForeignKeyField(StaffUser, null=True)
        resolution_note = TextField(default="")
        resolved_by = ForeignKeyField(StaffUser, null=True)
        mail_message_id = CharField(null=True, max_length=998)
        mail_references = TextField(null=True)
        mail_subject = CharField(null=True, max_length=998)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        resolved_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "support_request"
            indexes = ((("state", "created_at"), False), (("organization", "kind", "state"), False))

    db.create_tables([SupportRequest])

    class InboundMail(Model):
        message_id = CharField(unique=True, null=True, max_length=998)
        content_hash = CharField(unique=True, max_length=64)
        received_at = DateTimeField()
        from_address = CharField(max_length=254, default="")
        subject = CharField(max_length=998, default="")
        headers = TextField(null=True)
        body_text = TextField(default="")
        status = CharField(max_length=16)
        reason = CharField(max_length=500, default="")
        organization = ForeignKeyField(Organization, null=True, on_delete="SET NULL")
        request = ForeignKeyField(SupportRequest, null=True, on_delete="SET NULL")

        class Meta:
            database = db
            table_name = "inbound_mail"
            indexes = ((("status", "received_at"), False),)

    db.create_tables([InboundMail])

    class Invitation(Model):
        organization = ForeignKeyField(Organization, on_delete="CASCADE")
        email = CharField(index=True, max_length=254)
        role = CharField(max_length=16, default="member")
        invited_by = ForeignKeyField(User, null=True)
        invited_by_label = CharField(max_length=254, default="")
        token_hash = CharField(unique=True, max_length=64)
        state = CharField(max_length=16, default="pending")
        created_at = DateTimeField()
        expires_at = DateTimeField()
        accepted_at = DateTimeField(null=True)
        accepted_by = ForeignKeyField(User, null=True)
        revoked_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "invitation"
            indexes = ((("organization", "state"), False),)

    db.create_tables([Invitation])

    class LedgerEntry(Model):
        organization = ForeignKeyField(Organization, on_delete="RESTRICT")
        created_at = DateTimeField()
        kind = CharField(max_length=16)
        call_id = CharField(index=True, null=True, max_length=64)
        agent_id = CharField(index=True, null=True, max_length=40)
        phone_number = CharField(null=True, max_length=20)
        duration_seconds = IntegerField(null=True)
        credits = BigIntegerField()
        balance_after = BigIntegerField()
        description = CharField(max_length=500, default="")
        idempotency_key = CharField(unique=True, max_length=200)

        class Meta:
            database = db
            table_name = "ledger_entry"
            indexes = ((("organization", "created_at", "id"), False),)

    db.create_tables([LedgerEntry])

    class Membership(Model):
        user = ForeignKeyField(User, on_delete="CASCADE")
        organization = ForeignKeyField(Organization, on_delete="CASCADE")
        role = CharField(max_length=16, default="member")
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "membership"
            indexes = ((("user", "organization"), True), (("organization", "role"), False))

    db.create_tables([Membership])

    class OrganizationNote(Model):
        organization = ForeignKeyField(Organization, on_delete="CASCADE")
        author = ForeignKeyField(StaffUser)
        body = TextField()
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "organization_note"

    db.create_tables([OrganizationNote])

    class OutboundMail(Model):
        created_at = DateTimeField()
        to_address = CharField(max_length=254)
        subject = CharField(max_length=998)
        body_text = TextField()
        body_html = TextField(null=True)
        headers = TextField(null=True)
        status = CharField(index=True, max_length=16, default="pending")
        attempts = IntegerField(default=0)
        last_error = TextField(default="")
        sent_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "outbound_mail"

    db.create_tables([OutboundMail])

    class PhoneNumber(Model):
        number = CharField(unique=True, max_length=20)
        direction = CharField(max_length=8)
        monthly_cost = IntegerField()
        organization = ForeignKeyField(Organization, null=True, on_delete="SET NULL")
        assigned_at = DateTimeField(null=True)
        released_at = DateTimeField(null=True)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "phone_number"
            indexes = ((("organization", "direction"), False),)

    db.create_tables([PhoneNumber])

    class UsageCounter(Model):
        organization = ForeignKeyField(Organization, on_delete="CASCADE")
        metric = CharField(max_length=32)
        value = BigIntegerField(default=0)
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "usage_counter"
            indexes = ((("organization", "metric"), True),)

    db.create_tables([UsageCounter])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("usage_counter"))
    migrator.migrate(migrator.drop_table("phone_number"))
    migrator.migrate(migrator.drop_table("outbound_mail"))
    migrator.migrate(migrator.drop_table("organization_note"))
    migrator.migrate(migrator.drop_table("membership"))
    migrator.migrate(migrator.drop_table("ledger_entry"))
    migrator.migrate(migrator.drop_table("invitation"))
    migrator.migrate(migrator.drop_table("inbound_mail"))
    migrator.migrate(migrator.drop_table("support_request"))
    migrator.migrate(migrator.drop_table("staff_user"))
    migrator.migrate(migrator.drop_table("call"))
    migrator.migrate(migrator.drop_table("audit_event"))
    migrator.migrate(migrator.drop_table("api_key"))
    migrator.migrate(migrator.drop_table("user"))
    migrator.migrate(migrator.drop_table("agent"))
    migrator.migrate(migrator.drop_table("organization"))
    migrator.migrate(migrator.drop_table("plan"))
