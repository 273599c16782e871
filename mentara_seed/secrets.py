"""Keeping passwords out of everything the tool prints, logs or saves: one function for a
database URL (``redact_url``) and one for any text (``scrub``), which every message passes
through before it is printed (``cli.app``). A password is recognised in every place a URL or
a libpq connection string can hold one: ``user:PASSWORD@host``, ``?password=`` (any case, any
position, also ``sslpassword``), ``password=…`` in a key/value string, and any password the
process was given (``remember``), wherever it shows up."""

from __future__ import annotations

import re
import urllib.parse

MASK = "***"

# user:PASSWORD@ in any scheme://…; the password runs to the last @ before the host.
_USERINFO = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^/@\s:'\"]*:)(?P<secret>[^\s'\"]*)@")
# password=VALUE in a query string or a libpq key/value string ('quoted' values too).
_KEYVALUE = re.compile(
    r"(?P<head>\b(?:ssl)?pass(?:word|wd)?\s*=\s*)(?P<secret>'(?:[^'\\]|\\.)*'|[^&\s'\"]*)",
    re.IGNORECASE)

_known: set[str] = set()


def remember(secret: str | None) -> None:
    """A password this process was given: ``scrub`` masks it wherever it appears."""
    if secret and len(secret) >= 3:
        _known.add(secret)
        _known.add(urllib.parse.quote(secret, safe=""))
        _known.add(urllib.parse.quote_plus(secret))


def remember_url(url: str) -> None:
    """Remember every password ``url`` holds (userinfo and query parameters)."""
    for pattern in (_USERINFO, _KEYVALUE):
        for match in pattern.finditer(url):
            value = match.group("secret").strip("'")
            remember(value)
            remember(urllib.parse.unquote_plus(value))


def scrub(text: str) -> str:
    """``text`` with every password masked (see the module docstring)."""
    text = _USERINFO.sub(lambda m: f"{m.group('head')}{MASK}@"
                         if m.group("secret") else m.group(0), text)
    text = _KEYVALUE.sub(lambda m: f"{m.group('head')}{MASK}"
                         if m.group("secret") and m.group("secret") != MASK else m.group(0),
                         text)
    for secret in sorted(_known, key=len, reverse=True):
        # Whole tokens only: a password "postgres" must not turn "postgresql" into "***ql".
        text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(secret)}(?![A-Za-z0-9])", MASK, text)
    return text
