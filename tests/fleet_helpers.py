"""Helpers for the fleet tests: tenant projects with tiny revisions, and database readers."""

from __future__ import annotations

import io
import json
import os
import textwrap
from pathlib import Path

import sqlalchemy as sa

from alembic_django import cli, command
from alembic_django.config import Config

LOG_TABLE = "public.fleet_log"

#: a revision's body may log its application: one row per (tenant, revision) applied
LOG = ('op.execute(sa.text("INSERT INTO {table} (tenant, rev) VALUES (:t, :r)")'
       '.bindparams(t=context.get_x_argument(as_dictionary=True)["tenant"], r={rev!r}))')


def revision_file(versions: Path, rev: str, down: str | None, upgrade: str,
                  downgrade: str = "pass", header: str = "") -> None:
    body = textwrap.indent(textwrap.dedent(upgrade).strip(), "    ")
    down_body = textwrap.indent(textwrap.dedent(downgrade).strip(), "    ")
    (versions / f"{rev}_step.py").write_text(
        f'"""step {rev}"""\n'
        "import sqlalchemy as sa\n"
        "from alembic import context, op\n"
        f"{header}\n"
        f"revision = {rev!r}\ndown_revision = {down!r}\nbranch_labels = None\n"
        "depends_on = None\n\n\n"
        f"def upgrade():\n{body}\n\n\ndef downgrade():\n{down_body}\n"
    )


def tenant_project(root: Path, url: str, revisions: list[tuple[str, str]],
                   metadata_module: str | None = None, extra_ini: str = "") -> Path:
    """A schema-per-tenant project (the ``tenant`` template) with linear revisions
    ``[(rev, upgrade body), ...]``; returns the ini path."""
    root.mkdir(parents=True, exist_ok=True)
    ini = root / "alembic.ini"
    command.init(Config(str(ini), stdout=io.StringIO()), str(root / "migrations"),
                 template="tenant")
    text = ini.read_text()
    text = text.replace("sqlalchemy.url = postgresql+psycopg://user:pass@localhost/dbname",
                        f"sqlalchemy.url = {url}\n{extra_ini}")
    ini.write_text(text.replace("level = INFO", "level = WARN"))  # quiet stderr
    if metadata_module is not None:
        (root / "tenant_models.py").write_text(metadata_module)
        env = root / "migrations" / "env.py"
        env.write_text(env.read_text().replace(
            "target_metadata = None",
            f"import sys\nsys.path.insert(0, {str(root)!r})\nfrom tenant_models import "
            "metadata as target_metadata"))
    versions = root / "migrations" / "versions"
    down = None
    for rev, body in revisions:
        revision_file(versions, rev, down, body)
        down = rev
    return ini


def run_cli(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(args, stdout=out)
    return code, out.getvalue()


def run_json(ini: Path, args: list[str]) -> tuple[int, list[dict]]:
    """``fleet ... --json`` in-process: (exit code, results by JSON)."""
    code, out = run_cli(["-c", str(ini), "fleet", *args, "--json"])
    start = out.find("[")
    assert start >= 0, out
    return code, json.JSONDecoder().raw_decode(out[start:])[0]


def engine(url: str) -> sa.Engine:
    return sa.create_engine(url, poolclass=sa.pool.NullPool)


def pg_versions(url: str, schemas: list[str]) -> dict[str, set[str]]:
    """schema -> version rows (empty set when the schema or table is missing)."""
    eng = engine(url)
    found: dict[str, set[str]] = {s: set() for s in schemas}
    try:
        with eng.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT table_schema FROM information_schema.tables "
                "WHERE table_name = 'alembic_version'")).scalars().all()
            for schema in set(rows) & set(schemas):
                found[schema] = set(conn.exec_driver_sql(
                    f'SELECT version_num FROM "{schema}".alembic_version').scalars())
    finally:
        eng.dispose()
    return found


def log_counts(url: str) -> dict[tuple[str, str], int]:
    eng = engine(url)
    try:
        with eng.connect() as conn:
            rows = conn.execute(sa.text(
                f"SELECT tenant, rev, count(*) FROM {LOG_TABLE} GROUP BY tenant, rev")).all()
    finally:
        eng.dispose()
    return {(t, r): n for t, r, n in rows}


def pg_setup(url: str, extra: str = "") -> None:
    eng = engine(url)
    try:
        with eng.begin() as conn:
            conn.exec_driver_sql(f"CREATE TABLE {LOG_TABLE} (tenant VARCHAR(64), "
                                 "rev VARCHAR(32), at TIMESTAMP DEFAULT now())")
            for statement in filter(None, (s.strip() for s in extra.split(";"))):
                conn.exec_driver_sql(statement)
    finally:
        eng.dispose()


def env_with(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).resolve().parent.parent), env.get("PYTHONPATH", "")])
    env.update(extra)
    return env
