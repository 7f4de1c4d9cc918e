"""A private Dovecot IMAP server on 127.0.0.1 for the tests, with one mailbox user."""

import getpass
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from ..mail_import.conftest import customers  # noqa: F401 - the same customers write here
from ..smtp import free_port

IMAP_USER = "support"
IMAP_PASSWORD = "imap-test-password"
SBIN_PATHS = os.pathsep.join(["/usr/sbin", "/usr/bin", os.environ.get("PATH", "")])

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = 1
default_internal_user = {internal_user}
default_login_user = {login_user}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
"""


def dovecot_binary() -> str:
    """Dovecot's path, installing Debian's dovecot-imapd (and openssl) when missing and we may."""
    found = shutil.which("dovecot", path=SBIN_PATHS)
    if found and shutil.which("openssl"):
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "dovecot-imapd", "openssl"],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        found = shutil.which("dovecot", path=SBIN_PATHS)
    if not found or not shutil.which("openssl"):
        pytest.fail("run `make mail-deps` (apt-get install -y dovecot-imapd openssl)")
    return found


class DovecotServer:
    """One Dovecot instance with its own config, users and Maildirs in a temporary folder."""

    def __init__(self):
        self.binary = dovecot_binary()
        self.root = Path(tempfile.mkdtemp(prefix="imap-test-"))
        # Dovecot's unprivileged processes must be able to reach their files inside.
        self.root.chmod(0o755)
        self.port = free_port()
        self.tls_port = free_port()
        self.config = self.root / "dovecot.conf"
        self.certificate = self.root / "cert.pem"

    def _accounts(self) -> tuple[str, str, int, int]:
        """(internal user, login user, uid, gid) Dovecot runs the mailbox processes as."""
        if os.geteuid() == 0:
            account = pwd.getpwnam("dovecot")
            return "dovecot", "dovenull", account.pw_uid, account.pw_gid
        me = getpass.getuser()
        return me, me, os.getuid(), os.getgid()

    def start(self) -> None:
        internal_user, login_user, uid, gid = self._accounts()
        mail_dir = self.root / "mail"
        mail_dir.mkdir()
        os.chown(mail_dir, uid, gid)
        (self.root / "users").write_text(f"{IMAP_USER}:{{PLAIN}}{IMAP_PASSWORD}::::::\n")
        self._make_certificate()
        self.config.write_text(
            CONFIG.format(
                root=self.root,
                internal_user=internal_user,
                login_user=login_user,
                uid=uid,
                gid=gid,
                port=self.port,
                tls_port=self.tls_port,
            )
        )
        subprocess.run([self.binary, "-c", str(self.config)], check=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        log = (self.root / "dovecot.log").read_text(errors="replace")
        raise RuntimeError(f"Dovecot did not start on 127.0.0.1:{self.port}\n{log}")

    def _make_certificate(self) -> None:
        """A self-signed certificate for 127.0.0.1, trusted by the tests through SSL_CERT_FILE."""
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                str(self.root / "key.pem"),
                "-out",
                str(self.certificate),
            ],
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        doveadm = shutil.which("doveadm", path=SBIN_PATHS)
        if doveadm:
            subprocess.run([doveadm, "-c", str(self.config), "stop"], check=False)
        pid_file = self.root / "run" / "master.pid"
        deadline = time.monotonic() + 10
        while pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, password: str = IMAP_PASSWORD, folder: str = "INBOX", tls: bool = False) -> str:
        """imap:// (STARTTLS, offered by this server) or imaps:// on its own port."""
        scheme, port = ("imaps", self.tls_port) if tls else ("imap", self.port)
        return f"{scheme}://{IMAP_USER}:{password}@127.0.0.1:{port}/{folder}"

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(IMAP_USER, IMAP_PASSWORD)
        client.select("INBOX")
        return client

    def deliver(self, raw: bytes, seen: bool = False) -> None:
        """Put a message into the inbox over IMAP (APPEND), as a mail server delivers it."""
        client = self.client()
        try:
            status, detail = client.append("INBOX", r"(\Seen)" if seen else None, None, raw)
            assert status == "OK", detail
        finally:
            client.logout()

    def flags(self) -> list[str]:
        """The flags of every message in the inbox, in order."""
        client = self.client()
        try:
            _, data = client.fetch("1:*", "(FLAGS)")
        finally:
            client.logout()
        return [item.decode() for item in data if item]

    def empty(self) -> None:
        client = self.client()
        try:
            _, found = client.search(None, "ALL")
            if found[0]:
                client.store("1:*", "+FLAGS", r"(\Deleted)")
                client.expunge()
        finally:
            client.logout()


@pytest.fixture(scope="session")
def dovecot():
    server = DovecotServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def imap_inbox(dovecot, app, monkeypatch):
    """An empty inbox that the app's IMAP_URL points at, its certificate trusted."""
    dovecot.empty()
    monkeypatch.setitem(app.config, "IMAP_URL", dovecot.url())
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.certificate))
    return dovecot
