"""Hiding secrets and row data in messages.

:func:`mask_password` is the one masking function: every message that can carry
configuration text (config readers, the two entry points, wrapped driver errors, the
``config`` and ``current -v`` output) goes through it.  It works on fragments, not on
whole URLs, so a URL that does not parse (a ``%`` the ini cannot interpolate, an
unencoded ``@`` in the password, a configparser error quoting only the tail of the
value) still loses its password.

:func:`error_line` turns any exception into the one line an error message embeds: a
driver error keeps the driver's text and *names* its statement (``INSERT INTO t``)
instead of repeating it with its parameters, and driver details that quote row
values are dropped.  Stdlib only: it duck-types SQLAlchemy's ``StatementError``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, unquote

MASK = "***"

# scheme://user:password@  -- the password runs to the last "@" of the token, so an
# unencoded "@" in it is covered too; the user may be empty or hold an "@" itself
_URL_USERINFO = re.compile(
    r"(?P<head>\b[A-Za-z][\w+.-]*://[^\s:/?#]*:)(?P<pw>\S*)(?=@)"
)
# user:password@host without a scheme (a URL cut by an error message, a DSN fragment)
_BARE_USERINFO = re.compile(
    r"(?P<head>(?<![\w/:.%+@-])[\w.%+-]+:)(?!//)(?P<pw>[^\s/:]\S*?|[^\s/:])"
    r"(?=@(?:localhost\b|[\w\[][^@\s]*[./:])[^@\s]*(?:\s|$))"
)
# a raw "@" in a password: SQLAlchemy cuts the URL at the first "@" and the rest of the
# password becomes part of the host ("@Tail@127.0.0.1"): hide what lies between two "@"
_BETWEEN_ATS = re.compile(r"(?P<head>@)(?P<pw>[^\s@/\"']+)(?=@[\w\[][^@\s]*[./:])")
# password=..., 'PASSWORD': '...', pwd: ..., sslpassword=..., ?password=...&
_KEY_VALUE = re.compile(
    r"(?P<head>(?i:\b[\w.-]*(?:password|passwd|pwd|secret|token|api_?key)[\w.-]*)"
    r"(?P<q>['\"]?)\s*[=:]\s*)"
    r"(?P<pw>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^\s&;,'\")}\]]+)"
)
# configparser quotes the (tail of the) raw value: "found: '%Tail@host/db'",
# "bad interpolation variable reference '%(x'", "Raw value: '...'"
_QUOTED_RAW = re.compile(
    r"(?P<head>(?:found|reference|[Rr]aw value):? )"
    r"(?P<pw>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
)


def _quoted_mask(match: re.Match[str]) -> str:
    value = match.group("pw")
    if value[:1] in "'\"" and value[-1:] == value[:1] and len(value) > 1:
        return match.group("head") + value[0] + MASK + value[0]
    return match.group("head") + MASK


def secret_forms(secret: str) -> set[str]:
    """The spellings a password takes in configuration and messages: as given, with ``%``
    doubled or undoubled (ini interpolation), URL-encoded and URL-decoded."""
    forms = {secret, secret.replace("%%", "%"), secret.replace("%", "%%")}
    for form in list(forms):
        forms.update({quote(form, safe=""), quote_plus(form), unquote(form)})
    return {f for f in forms if f}


def mask_password(value: str, secrets: Iterable[str | None] = ()) -> str:
    """``value`` with every password-like fragment replaced by ``***``.

    Hides the password of ``scheme://user:password@`` (parsed or not), of a bare
    ``user:password@host``, ``password=`` / ``pwd=`` / ``'PASSWORD': '...'`` values
    (query strings, libpq key/value DSNs, dict reprs), and the quoted raw value
    configparser puts into its interpolation errors.  ``secrets`` are known passwords
    (for example DATABASES' ``PASSWORD``): each of their spellings of 4 or more
    characters is hidden wherever it appears.
    """
    text = str(value)
    for secret in secrets:
        if not secret:
            continue
        for form in sorted(secret_forms(str(secret)), key=len, reverse=True):
            if len(form) >= 4:
                text = text.replace(form, MASK)
    text = _QUOTED_RAW.sub(_quoted_mask, text)
    text = _URL_USERINFO.sub(lambda m: m.group("head") + MASK, text)
    text = _BARE_USERINFO.sub(lambda m: m.group("head") + MASK, text)
    text = _BETWEEN_ATS.sub(lambda m: m.group("head") + MASK, text)
    text = _KEY_VALUE.sub(_quoted_mask, text)
    return text


_SECRET_KEY = re.compile(r"(?i)(?:password|passwd|pwd|secret|token|api_?key)")


def is_secret_key(key: str) -> bool:
    """True for a configuration key whose value is a secret (``password``, ``db_pwd``...)."""
    return bool(_SECRET_KEY.search(key))


def url_password(url: str | None) -> str | None:
    """The password of a URL string, found the way :func:`mask_password` finds it
    (so it works on URLs SQLAlchemy cannot parse)."""
    if not url:
        return None
    m = _URL_USERINFO.search(url)
    return m.group("pw") or None if m else None


# -- driver errors ---------------------------------------------------------------------

# driver text that quotes row values (PostgreSQL DETAIL lines, MySQL/SQLite messages)
_ROW_DATA = (
    re.compile(r"DETAIL:\s+(?:Key \(.*?\)=\(.*|Failing row contains .*)"),
    re.compile(r"(?P<head>(?:Duplicate entry|Incorrect \w+ value:?|invalid input syntax for "
               r"(?:type )?[\w ]+?:|invalid input value for enum [\w.]+:|Data truncated for "
               r"column) ?)(?P<pw>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"),
)
_BACKGROUND = re.compile(r"\(Background on this error at: [^)]*\)")
_DML = re.compile(
    r"^\W*(?P<verb>insert\s+(?:or\s+\w+\s+)?into|replace\s+into|upsert\s+into|update|"
    r"delete\s+from|merge\s+into|copy|truncate(?:\s+table)?)\s+(?P<target>[\w.\"`\[\]]+)",
    re.I,
)


def describe_statement(statement: str | None) -> str:
    """A name for ``statement`` that carries no row data: ``INSERT INTO t``,
    ``UPDATE t``, ``SELECT``...; DDL (schema, not rows) is shown, shortened."""
    if not statement:
        return ""
    text = " ".join(str(statement).split())
    m = _DML.match(text)
    if m:
        return f"{' '.join(m.group('verb').upper().split())} {m.group('target')}"
    first = text.split(" ", 1)[0].upper().strip("(")
    if first in ("SELECT", "WITH", "VALUES", "CALL", "EXEC", "EXECUTE", "DO", "SET"):
        return f"{first} statement"
    return text if len(text) <= 200 else text[:200] + "..."


_SQL_BLOCK = re.compile(
    r"\[SQL: (?P<sql>.*?)\](?=\s*(?:\[parameters: |\[SQL parameters hidden|\(Background on|$))",
    re.S,
)
_PARAMETERS = re.compile(r"\s*\[(?:parameters: [^\n]*|SQL parameters hidden[^\]\n]*)\]")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _scrub(text: str) -> str:
    """Row data out of a driver / SQLAlchemy message: statements named, parameters and
    value-quoting details dropped, the "Background on this error" link dropped."""
    text = _BACKGROUND.sub("", text)
    text = _SQL_BLOCK.sub(lambda m: f"[SQL: {describe_statement(m.group('sql'))}]", text)
    text = _PARAMETERS.sub("", text)
    for pattern in _ROW_DATA:
        text = pattern.sub(lambda m: _quoted_mask(m) if "pw" in m.groupdict() else "", text)
    return text


def error_line(exc: BaseException, secrets: Iterable[str | None] = ()) -> str:
    """``str(exc)`` as one masked line with no row data: a SQLAlchemy statement error
    keeps its driver's message and *names* its statement (``[SQL: INSERT INTO t]``)
    instead of repeating it with its parameters."""
    orig = getattr(exc, "orig", None)
    statement = getattr(exc, "statement", None)
    if isinstance(statement, str) and orig is not None:
        text = f"({type(orig).__module__}.{type(orig).__name__}) {_scrub(str(orig))}"
        named = describe_statement(statement)
        if named:
            text += f" [SQL: {named}]"
    else:
        text = _scrub(str(exc))
    return mask_password(_one_line(text) or type(exc).__name__, secrets)
