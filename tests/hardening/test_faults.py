"""Faults: a locked or stopped database answers 503, leaves nothing half-done, recovers."""

import os
import sqlite3
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from backoffice.models import AuditEvent, OutboundMail

from .. import dbs
from ..conftest import another_app, login
from ..factories import make_admin

# Stopping the shared PostgreSQL server would break anyone else using it, so only CI (which
# owns the machine for its run) does it; .ci/run sets this.
MAY_STOP_POSTGRES = os.environ.get("FAULTS_MAY_STOP_POSTGRES") == "1"


def test_sqlite_locked_write_answers_503_and_leaves_nothing_half_done(app, ctx):
    if dbs.is_postgres(app.config["DATABASE_URL"]):
        pytest.skip("SQLite locking; PostgreSQL has its own fault test below")
    user = make_admin()
    path = urlsplit(app.config["DATABASE_URL"]).path
    holder = sqlite3.connect(path, isolation_level=None)
    with another_app(app, DATABASE_BUSY_TIMEOUT_MS=200) as impatient:
        client = impatient.test_client()
        holder.execute("BEGIN EXCLUSIVE")
        try:
            locked = client.post("/forgot-password", data={"email": user.email})
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert locked.status_code == 503
        assert AuditEvent.select().count() == 0
        assert OutboundMail.select().count() == 0
        recovered = client.post("/forgot-password", data={"email": user.email})
    assert recovered.status_code == 302
    assert AuditEvent.select().count() == 1


def test_sqlite_file_removed_answers_503(app, tmp_path):
    url = f"sqlite:///{tmp_path / 'gone' / 'db.sqlite3'}"
    with another_app(app, DATABASE_URL=url) as orphan:
        Path(tmp_path / "gone").rmdir()
        Path(tmp_path / "gone").write_text("not a directory any more")
        response = orphan.test_client().get("/login")
    assert response.status_code == 503


def _pg_ctl(action):
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.mark.skipif(not MAY_STOP_POSTGRES, reason="set FAULTS_MAY_STOP_POSTGRES=1 (CI does)")
def test_postgres_stopped_and_started(app, client):
    if not dbs.is_postgres(app.config["DATABASE_URL"]):
        pytest.skip("runs in the PostgreSQL pass of CI")
    user = make_admin()
    login(client, user)
    events = AuditEvent.select().count()
    _pg_ctl("stop")
    try:
        down = client.post("/forgot-password", data={"email": user.email})
        page = client.get("/settings/profile")
    finally:
        _pg_ctl("start")
    assert down.status_code == 503
    assert page.status_code == 503
    for _ in range(30):
        if client.get("/settings/profile").status_code == 200:
            break
        time.sleep(1)
    assert client.get("/settings/profile").status_code == 200
    assert AuditEvent.select().count() == events
