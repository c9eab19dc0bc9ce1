"""Type and server-default comparison (Alembic's ``DefaultImpl.compare_type`` /
``compare_server_default`` and their dialect variants), kept free of op objects."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy import schema as sa_schema
from sqlalchemy import types as sqltypes

_SYNONYMS = {
    "default": ({"numeric", "decimal"},),
    "postgresql": ({"numeric", "decimal"}, {"float", "double precision"}),
    "mysql": ({"numeric", "decimal"}, {"bool", "tinyint"}, {"json", "longtext"}),
}
_ARG_EXTRACT = {
    "mysql": [r"character set ([\w\-_]+)", r"collate ([\w\-_]+)"],
}


class Params(NamedTuple):
    token0: str
    tokens: list[str]
    args: list[str]
    kwargs: dict


def _dialect_key(dialect: Any) -> str:
    name = dialect.name
    if name == "mariadb":
        return "mysql"
    return name if name in _SYNONYMS else "default"


def _tokenize(dialect: Any, type_: Any) -> Params | None:
    try:
        definition = type_.compile(dialect=dialect).lower()
    except Exception:  # noqa: BLE001 - a (user) type the dialect cannot render: use affinity
        return None
    tokens = re.findall(r"[\w\-_]+|\(.+?\)", definition)
    terms: list[str] = []
    paren = None
    for token in tokens:
        if re.match(r"^\(.*\)$", token):
            paren = token
        else:
            terms.append(token)
    if not terms:
        return None
    params = Params(terms[0], terms[1:], [], {})
    if paren:
        for term in re.findall(r"[^(),]+", paren):
            if "=" in term:
                key, val = term.split("=", 1)
                params.kwargs[key.strip()] = val.strip()
            else:
                params.args.append(term.strip())
    return params


def _types_match(dialect: Any, insp: Params, meta: Params) -> bool:
    if insp.token0 == meta.token0:
        return True
    insp_all = " ".join([insp.token0] + insp.tokens)
    meta_all = " ".join([meta.token0] + meta.tokens)
    for batch in _SYNONYMS[_dialect_key(dialect)]:
        if {insp_all, meta_all}.issubset(batch) or {insp.token0, meta.token0}.issubset(batch):
            return True
    return False


def _args_match(dialect: Any, insp: Params, meta: Params) -> bool:
    if len(meta.tokens) == len(insp.tokens) and meta.tokens != insp.tokens:
        return False
    if len(meta.args) == len(insp.args) and meta.args != insp.args:
        return False
    insp_s = " ".join(insp.tokens)
    meta_s = " ".join(meta.tokens)
    for reg in _ARG_EXTRACT.get(_dialect_key(dialect), ()):
        mi = re.search(reg, insp_s)
        mm = re.search(reg, meta_s)
        if mi and mm and mi.group(1) != mm.group(1):
            return False
    return True


def types_differ(dialect: Any, conn_col: sa.Column, meta_col: sa.Column) -> bool:
    """True when the metadata type differs from the reflected one (major type + shared args)."""
    insp = _tokenize(dialect, conn_col.type)
    meta = _tokenize(dialect, meta_col.type)
    if insp is None or meta is None:
        return conn_col.type._type_affinity is not meta_col.type._type_affinity
    return not (_types_match(dialect, insp, meta) and _args_match(dialect, insp, meta))


# -- server defaults ---------------------------------------------------------------

def render_metadata_default(dialect: Any, column: sa.Column) -> str | None:
    """The metadata server default as SQL text (a string default quoted for string types)."""
    default = column.server_default
    if default is None or not isinstance(default, sa_schema.DefaultClause):
        return None
    arg = default.arg
    if isinstance(arg, str):
        if _is_numeric(column.type):
            return arg
        return "'{}'".format(re.sub(r"^'|'$", "", arg).replace("'", "''"))
    try:
        return str(arg.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    except Exception:  # noqa: BLE001 - a user default expression may raise anything: show str()
        return str(arg)


def _render_server_default_for_compare(metadata_default: Any, autogen_context: Any) -> str | None:
    """A model server default as the text a ``compare_server_default`` callable gets:
    a string as given, an expression compiled for the dialect, anything else None."""
    if isinstance(metadata_default, sa_schema.DefaultClause):
        metadata_default = metadata_default.arg
    if isinstance(metadata_default, str):
        return metadata_default
    if isinstance(metadata_default, sa.sql.ClauseElement):
        return str(metadata_default.compile(dialect=autogen_context.dialect,
                                            compile_kwargs={"literal_binds": True}))
    return None


def render_reflected_default(column: sa.Column) -> str | None:
    default = column.server_default
    if default is None or not isinstance(default, sa_schema.DefaultClause):
        return None
    arg = default.arg
    return arg if isinstance(arg, str) else str(getattr(arg, "text", arg))


def _is_numeric(type_: Any) -> bool:
    return isinstance(type_, (sqltypes.Integer, sqltypes.Numeric, sqltypes.Boolean))


def _strip_parens(text: str) -> str:
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if depth < 0:
            return False
    return depth == 0


def normalize_default(text: str | None, type_: Any) -> str | None:
    """A comparable form of a default's SQL: outer parentheses, PostgreSQL casts,
    numeric quotes, ``FUNC()`` vs ``func`` spelling and case of non-literals removed."""
    if text is None:
        return None
    text = _strip_parens(text.strip())
    if text.lower() == "null":
        return None
    # PostgreSQL: 'x'::character varying, (0)::numeric, '{}'::jsonb
    text = re.sub(r"::[\w ]+(\[\])?(\(\d+\))?$", "", text).strip()
    text = _strip_parens(text)
    if _is_numeric(type_) and re.match(r"^'-?[\d.]+'$", text):
        text = text[1:-1]
    if isinstance(type_, sqltypes.Boolean):
        text = {"true": "1", "false": "0"}.get(text.lower().strip("'"), text)
    if not text.startswith("'"):
        text = re.sub(r"\(\)$", "", text.lower())
        text = re.sub(r"\s+", " ", text)
    return text


def defaults_differ(dialect: Any, conn_col: sa.Column, meta_col: sa.Column,
                    rendered_meta: str | None, rendered_conn: str | None) -> bool:
    meta_n = normalize_default(rendered_meta, meta_col.type)
    conn_n = normalize_default(rendered_conn, conn_col.type)
    if meta_n == conn_n:
        return False
    if _is_numeric(meta_col.type) and meta_n is not None and conn_n is not None:
        try:
            return float(meta_n) != float(conn_n)  # 0 vs 0.00 (MySQL DECIMAL)
        except ValueError:
            pass
    if dialect.name in ("mysql", "mariadb") and conn_n and meta_n:
        # MariaDB bundles ON UPDATE into the default; compare it separately
        mi = re.match(r"(.*) (on update .*)$", conn_n)
        mm = re.match(r"(.*) (on update .*)$", meta_n)
        if mi and mm:
            return mi.groups() != mm.groups()
    if (dialect.name in ("mysql", "mariadb") and meta_n is None and conn_n == "0"
            and conn_col.primary_key and not conn_col.autoincrement):
        return False  # MySQL's implicit default on an integer primary key
    return True


def identity_differs(meta_identity: Any, conn_identity: Any) -> bool:
    """Identity added, removed, or an option set in the metadata that differs."""
    if (meta_identity is None) != (conn_identity is None):
        return True
    if meta_identity is None:
        return False
    for attr in ("always", "on_null", "start", "increment", "minvalue", "maxvalue",
                 "cycle", "cache", "order"):
        mv = getattr(meta_identity, attr, None)
        if mv is None or (attr in ("always", "cycle") and mv is False):
            continue
        cv = getattr(conn_identity, attr, None)
        if cv is not None and mv != cv:
            return True
    return bool(getattr(meta_identity, "always", False)) != bool(
        getattr(conn_identity, "always", False))
