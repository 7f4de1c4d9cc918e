"""Every mail the app sends has a subject, a plain-text and an HTML template."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAIL_TEMPLATES = ROOT / "templates" / "mail"
# mail.send(to, "name", …), or a service's helper that passes the name on to it.
SENT_TEMPLATE = re.compile(r"""(?:mail\.send|_notify)\(\s*[^,()]+,\s*["']([a-z_]+)["']""")


def sent_templates() -> set[str]:
    """The template names the application sends mail with."""
    names = set()
    for source in (ROOT / "backoffice").rglob("*.py"):
        names.update(SENT_TEMPLATE.findall(source.read_text()))
    return names


def test_every_sent_mail_has_text_and_html_templates():
    names = sent_templates()
    assert {"request_resolved", "request_rejected", "invitation"} <= names
    for name in names:
        for suffix in (".subject.txt", ".txt", ".html"):
            assert (MAIL_TEMPLATES / f"{name}{suffix}").is_file(), f"{name}{suffix} is missing"


def test_no_template_set_is_incomplete():
    stems = {path.name.split(".")[0] for path in MAIL_TEMPLATES.iterdir()}
    for stem in stems:
        present = sorted(p.name for p in MAIL_TEMPLATES.glob(f"{stem}.*"))
        assert present == [f"{stem}.html", f"{stem}.subject.txt", f"{stem}.txt"]
