"""Time autogenerate against a 300-table PostgreSQL schema: alembic-django vs Alembic.

The model: ``--tables`` tables (default 300) of 8 columns, 2 indexes, a unique
constraint and a foreign key each.  :func:`setup` creates it in the PostgreSQL schema
``agbench`` (and an empty schema ``agbench_empty``) of the database given by
``--postgresql-url`` (default: env ``ALEMBIC_DJANGO_BENCH_POSTGRESQL_URL``, else
``ALEMBIC_DJANGO_TEST_POSTGRESQL_URL``); each worker connects with that schema as its
``search_path``, so it is the default schema both tools compare against.

Cases:

* ``same``    -- the metadata that was created: no diffs;
* ``changed`` -- each table gains a column and an index and has a column retyped
  (3 changes a table: ~900);
* ``empty``   -- the empty schema: every table (and index) is new.

Two operations are timed for each case:

* ``compare`` -- ``compare_metadata()``;
* ``render``  -- ``produce_migrations()`` plus ``render_python_code()`` of the upgrade
  and the (reversed) downgrade: what ``revision --autogenerate`` spends on the schema.

Timings are IN-PROCESS: every (tool, case) pair runs in its own worker subprocess
(this file with ``--worker``, under ``python3`` for us and ``--alembic-python`` for
Alembic), which builds the metadata, then runs the operation ``--repeat`` times on a
fresh connection each and reports the best wall time of the operation alone
(interpreter start-up, imports and building the metadata excluded).  The first run of
each worker, which also fills per-process caches, counts like the others; it is rarely
the best.  Nothing here asserts a time.

Alembic is timed only if ``--alembic-python`` (default: ``/tmp/alvenv/bin/python`` if it
exists) can import ``alembic``; neither this package nor its tests need Alembic.

Usage::

    python3 benchmarks/autogen.py --postgresql-url postgresql+psycopg://postgres@127.0.0.1/bench \\
        --alembic-python /tmp/alvenv/bin/python --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from typing import Any

SCHEMA = "agbench"
EMPTY_SCHEMA = "agbench_empty"
CASES = ("same", "changed", "empty")
OPERATIONS = ("compare", "render")
OPTS = {"compare_type": True, "compare_server_default": True}


def model(n: int, changed: bool = False) -> Any:
    """The benchmark metadata; ``changed`` adds 3 changes a table."""
    import sqlalchemy as sa

    md = sa.MetaData()
    for i in range(n):
        extra = [sa.Column("extra", sa.Integer), sa.Index(f"ix_t{i}_extra", "extra")] \
            if changed else []
        sa.Table(
            f"t{i}", md,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("name", sa.String(80 if changed else 50), nullable=False, index=True),
            sa.Column("code", sa.String(20), unique=True),
            sa.Column("amount", sa.Numeric(10, 2), server_default="0"),
            sa.Column("created", sa.DateTime(timezone=True), server_default=sa.func.now()),
            sa.Column("note", sa.Text, comment="a note"),
            sa.Column("flag", sa.Boolean, nullable=False, server_default=sa.true()),
            sa.Column("pid", sa.ForeignKey(f"t{i - 1}.id", ondelete="CASCADE")
                      if i else sa.Integer),
            sa.Index(f"ix_t{i}_multi", "name", "created"),
            *extra,
        )
    return md


def make_engine(url: str, schema: str) -> Any:
    import sqlalchemy as sa

    return sa.create_engine(url, poolclass=sa.pool.NullPool,
                            connect_args={"options": f"-csearch_path={schema}"})


def setup(url: str, n: int) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        for schema in (SCHEMA, EMPTY_SCHEMA):
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    engine = make_engine(url, SCHEMA)
    with engine.begin() as conn:
        model(n).create_all(conn)
    engine.dispose()


def teardown(url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        for schema in (SCHEMA, EMPTY_SCHEMA):
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    engine.dispose()


# -- worker (runs under either interpreter) -------------------------------------------

def _count(diffs: list) -> int:
    return sum(len(d) if isinstance(d, list) else 1 for d in diffs)


def worker(tool: str, case: str, operation: str, url: str, n: int, repeat: int) -> dict:
    if tool == "alembic":
        from alembic.autogenerate import compare_metadata, produce_migrations, render_python_code
        from alembic.migration import MigrationContext
    else:
        from alembic_django.engine.autogenerate import (
            compare_metadata,
            produce_migrations,
            render_python_code,
        )
        from alembic_django.engine.runtime.migration import MigrationContext

    md = model(n, changed=case == "changed")
    engine = make_engine(url, EMPTY_SCHEMA if case == "empty" else SCHEMA)
    best = None
    result = 0
    for _ in range(repeat):
        with engine.connect() as conn:
            mc = MigrationContext.configure(conn, opts=dict(OPTS, target_metadata=md))
            t0 = time.perf_counter()
            if operation == "compare":
                result = _count(compare_metadata(mc, md))
            else:
                script = produce_migrations(mc, md)
                text = render_python_code(script.upgrade_ops)
                render_python_code(script.downgrade_ops)
                result = text.count("\n") + 1
            elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    engine.dispose()
    return {"seconds": best, "result": result}


# -- driver ---------------------------------------------------------------------------

def run_worker(python: str, tool: str, case: str, operation: str, url: str, n: int,
               repeat: int) -> dict | None:
    env = dict(os.environ)
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if tool == "ours":
        env["PYTHONPATH"] = here + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run(
        [python, os.path.abspath(__file__), "--worker", tool, "--case", case,
         "--operation", operation, "--postgresql-url", url, "--tables", str(n),
         "--repeat", str(repeat)],
        capture_output=True, text=True, env=env, cwd="/" if tool == "alembic" else here)
    if proc.returncode:
        sys.stderr.write(f"{tool} {case} {operation} failed:\n{proc.stderr}\n")
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def has_alembic(python: str | None) -> bool:
    if not python or not os.path.exists(python):
        return False
    proc = subprocess.run([python, "-c", "import alembic, sqlalchemy"], capture_output=True,
                          cwd="/")
    return proc.returncode == 0


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgresql-url", default=os.environ.get(
        "ALEMBIC_DJANGO_BENCH_POSTGRESQL_URL",
        os.environ.get("ALEMBIC_DJANGO_TEST_POSTGRESQL_URL")))
    parser.add_argument("--alembic-python", default="/tmp/alvenv/bin/python")
    parser.add_argument("--tables", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5, help="best of N (default 5)")
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument("--operations", nargs="+", choices=OPERATIONS,
                        default=list(OPERATIONS))
    parser.add_argument("--keep", action="store_true", help="leave the schemas in place")
    parser.add_argument("--worker", choices=("ours", "alembic"), help=argparse.SUPPRESS)
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--operation", choices=OPERATIONS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.postgresql_url:
        parser.error("give --postgresql-url or set ALEMBIC_DJANGO_BENCH_POSTGRESQL_URL")
    if args.worker:
        print(json.dumps(worker(args.worker, args.case, args.operation, args.postgresql_url,
                                args.tables, args.repeat)))
        return 0

    tools = [("ours", sys.executable)]
    if has_alembic(args.alembic_python):
        tools.append(("alembic", args.alembic_python))
    else:
        print(f"(no alembic importable by {args.alembic_python!r}: timing ours only)")
    setup(args.postgresql_url, args.tables)
    try:
        rows = []
        for operation in args.operations:
            for case in args.cases:
                res = {tool: run_worker(py, tool, case, operation, args.postgresql_url,
                                        args.tables, args.repeat) for tool, py in tools}
                rows.append((operation, case, res))
    finally:
        if not args.keep:
            teardown(args.postgresql_url)

    unit = {"compare": "diffs", "render": "lines"}
    print(f"\nautogenerate, {args.tables} tables, PostgreSQL; in-process best of "
          f"{args.repeat} (seconds)\n")
    header = f"{'operation':<9} {'case':<8} {'ours':>8} {'alembic':>8} {'ratio':>6}  output"
    print(header)
    print("-" * len(header))
    for operation, case, res in rows:
        ours, alem = res.get("ours"), res.get("alembic")
        o = f"{ours['seconds']:.3f}" if ours else "failed"
        a = f"{alem['seconds']:.3f}" if alem else "-"
        ratio = f"{ours['seconds'] / alem['seconds']:.2f}" if ours and alem else "-"
        out = [f"{k} {v['result']}" for k, v in res.items() if v]
        print(f"{operation:<9} {case:<8} {o:>8} {a:>8} {ratio:>6}  "
              f"{unit[operation]}: {', '.join(out)}")
    print("\nratio = ours / alembic (below 1: we are faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
