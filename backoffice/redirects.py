"""Redirect targets that stay on this site."""

from urllib.parse import urlsplit


def safe_next(target: str | None, default: str) -> str:
    """target when it is a path on this site, default for anything else (//evil, https:, \\\\)."""
    if not target:
        return default
    cleaned = target.strip()
    if "\\" in cleaned or any(ord(c) < 32 for c in cleaned):
        return default
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc or not cleaned.startswith("/") or cleaned.startswith("//"):
        return default
    return cleaned
