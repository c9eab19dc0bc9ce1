"""Time whole alembic-django commands (and Alembic's, when installed) as subprocesses.

Every figure is the wall time of one complete process -- interpreter start-up included --
and that process's peak resident memory (``os.wait4`` rusage).  *cold* is the first run
after :func:`generate.make_cold` (no index cache, no ``__pycache__``); *warm* is the best
of ``--repeat`` runs after it.  Nothing here asserts a time: it prints a table (and
optionally writes it as reST / JSON).

Usage::

    python benchmarks/generate.py --sizes 100 1000 --chain 1000 3000
    python benchmarks/run.py --sizes 100 1000 --chain 1000 3000 \
        --postgresql-url postgresql+psycopg://postgres@127.0.0.1:5432/bench \
        --alembic /path/to/venv/bin/alembic --rst docs/_benchmark_results.inc
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import DEFAULT_OUT, make_cold  # noqa: E402

OURS = [sys.executable, "-m", "alembic_django"]


@dataclass
class Sample:
    seconds: float
    max_rss_mb: float


@dataclass
class Row:
    bench: str
    project: str
    mode: str
    ours: Sample | None
    alembic: Sample | None

    @property
    def ratio(self) -> float | None:
        if self.ours and self.alembic and self.ours.seconds > 0:
            return self.alembic.seconds / self.ours.seconds
        return None


class CommandFailed(RuntimeError):
    pass


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    # Users' machines write .pyc files; let Alembic's warm runs benefit from them too.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_timed(argv: list[str], cwd: Path) -> Sample:
    """Run ``argv`` to completion; return its wall time and peak RSS."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=child_env())
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            out.seek(0)
            tail = out.read().decode(errors="replace")[-2000:]
            raise CommandFailed(f"{' '.join(argv)} (in {cwd}) exited {proc.returncode}:\n{tail}")
    rss_kb = usage.ru_maxrss  # kilobytes on Linux
    return Sample(elapsed, rss_kb / 1024)


class Tool:
    def __init__(self, name: str, prefix: list[str]):
        self.name = name
        self.prefix = prefix

    def run(self, project: Path, *args: str, url: str | None = None) -> Sample:
        """``<tool> -c project/alembic.ini [-x url=URL] ARGS`` in the project directory."""
        argv = [*self.prefix, "-c", str(project / "alembic.ini")]
        if url:
            argv += ["-x", f"url={url}"]
        return run_timed([*argv, *args], project)


def best(samples: list[Sample]) -> Sample:
    return min(samples, key=lambda s: s.seconds)


def attempt(fn, *args, **kwargs) -> Sample | None:
    """Run one measurement; a failing command is reported and shown as '-'."""
    try:
        return fn(*args, **kwargs)
    except CommandFailed as exc:
        print(f"FAILED: {exc}", file=sys.stderr, flush=True)
        return None


def fresh_database(project: Path, url: str | None) -> None:
    """Start from an empty database: delete the SQLite file or drop every table."""
    if url is None:
        (project / "bench.db").unlink(missing_ok=True)
        return
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        md = sa.MetaData()
        with engine.begin() as conn:
            md.reflect(conn)
            md.drop_all(conn)
        if engine.dialect.name == "postgresql":
            # Thousands of created and dropped tables bloat the system catalogs, and
            # every later run would pay for the dead rows: start each run from a clean slate.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM")
    finally:
        engine.dispose()


def new_revision_files(project: Path, before: set[Path]) -> list[Path]:
    return [p for p in (project / "migrations" / "versions").glob("*.py") if p not in before]


class Bench:
    def __init__(self, tools: list[Tool], repeat: int):
        self.tools = tools
        self.repeat = repeat
        self.rows: list[Row] = []

    def _record(self, bench: str, project: Path, mode: str, results: dict[str, Sample]) -> None:
        row = Row(bench, project.name, mode, results.get("ours"), results.get("alembic"))
        self.rows.append(row)
        print(format_row(row), flush=True)

    def read_only(self, project: Path, command: str) -> None:
        cold, warm = {}, {}
        for tool in self.tools:
            make_cold(project)
            cold[tool.name] = attempt(tool.run, project, command)
            if cold[tool.name]:
                warm[tool.name] = best([tool.run(project, command) for _ in range(self.repeat)])
        self._record(command, project, "cold", cold)
        self._record(command, project, "warm", warm)

    def revision(self, project: Path) -> None:
        versions = project / "migrations" / "versions"
        cold, warm = {}, {}
        for tool in self.tools:
            make_cold(project)
            samples = []
            for _ in range(self.repeat + 1):
                before = set(versions.glob("*.py"))
                samples.append(attempt(tool.run, project, "revision", "-m", "x"))
                for path in new_revision_files(project, before):
                    path.unlink()
                if samples[-1] is None:
                    break
            if samples[-1] is not None:
                cold[tool.name], warm[tool.name] = samples[0], best(samples[1:])
        self._record("revision -m x", project, "cold", cold)
        self._record("revision -m x", project, "warm", warm)

    def up_down(self, project: Path, url: str | None, label: str, target: str = "heads") -> None:
        """``upgrade`` from an empty database, then ``downgrade base``; best of ``--repeat``
        rounds (tools alternating, so a slow spell of the shared machine hits both)."""
        ups: dict[str, list[Sample]] = {tool.name: [] for tool in self.tools}
        downs: dict[str, list[Sample]] = {tool.name: [] for tool in self.tools}
        failed: set[str] = set()
        for _ in range(self.repeat):
            for tool in self.tools:
                if tool.name in failed:
                    continue
                fresh_database(project, url)
                up = attempt(tool.run, project, "upgrade", target, url=url)
                down = up and attempt(tool.run, project, "downgrade", "base", url=url)
                if not (up and down):
                    failed.add(tool.name)
                    continue
                ups[tool.name].append(up)
                downs[tool.name].append(down)
        fresh_database(project, url)
        self._record(f"upgrade {target} ({label})", project, "best",
                     {name: best(s) for name, s in ups.items() if name not in failed})
        self._record(f"downgrade base ({label})", project, "best",
                     {name: best(s) for name, s in downs.items() if name not in failed})

    def floors(self, project: Path, url: str | None, label: str) -> None:
        """What no tool can go below on this project, to read the upgrade ratios against.

        * ``current``: a whole process that starts, imports SQLAlchemy, runs env.py,
          connects and reads the version table -- every command's fixed cost.
        * ``SQL replay``: the server executing the upgrade's own statements (taken from
          ``upgrade heads --sql``), sent in one round trip on an open connection: the
          database's share of ``upgrade heads``, with no client work at all.
        """
        fresh_database(project, url)
        current = {}
        for tool in self.tools:
            current[tool.name] = None
            if attempt(tool.run, project, "upgrade", "heads", url=url):  # a full version table
                runs = [attempt(tool.run, project, "current", url=url) for _ in range(self.repeat)]
                current[tool.name] = best(runs) if all(runs) else None
            fresh_database(project, url)
        self._record(f"current ({label})", project, "floor", current)
        script = offline_sql(project, url)
        replay = best([replay_sql(script, project, url) for _ in range(self.repeat)])
        fresh_database(project, url)
        self._record(f"SQL replay ({label})", project, "floor", {"ours": replay})


def offline_sql(project: Path, url: str | None) -> str:
    """``upgrade heads --sql`` for the project's dialect (PostgreSQL or SQLite)."""
    argv = [*OURS, "-c", str(project / "alembic.ini")]
    if url:
        argv += ["-x", f"url={url}"]
    proc = subprocess.run([*argv, "upgrade", "heads", "--sql"], cwd=project, env=child_env(),
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        raise CommandFailed(f"upgrade heads --sql exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    return proc.stdout


def replay_sql(script: str, project: Path, url: str | None) -> Sample:
    """Execute ``script`` in one call on an already open connection; time only that."""
    fresh_database(project, url)
    if url is None:
        import sqlite3

        conn = sqlite3.connect(project / "bench.db", isolation_level=None)
        start = time.perf_counter()
        conn.executescript(script if "BEGIN" in script else f"BEGIN;\n{script}\nCOMMIT;")
        elapsed = time.perf_counter() - start
        conn.close()
    else:
        import psycopg  # the script has no parameters: psycopg sends it as one simple query
        from sqlalchemy.engine import make_url

        libpq_url = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(libpq_url, autocommit=True) as conn:
            start = time.perf_counter()
            conn.execute(script)
            elapsed = time.perf_counter() - start
    return Sample(elapsed, 0.0)


def format_row(row: Row) -> str:
    def cell(sample: Sample | None) -> str:
        return f"{sample.seconds:8.3f}s {sample.max_rss_mb:6.0f}MB" if sample else f"{'-':>17}"

    ratio = f"{row.ratio:6.1f}x" if row.ratio else f"{'-':>7}"
    return f"{row.bench:28} {row.project:16} {row.mode:5} {cell(row.ours)} {cell(row.alembic)} {ratio}"


HEADER = (f"{'command':28} {'project':16} {'mode':5} {'alembic-django':>17} "
          f"{'Alembic':>17} {'speedup':>7}")


def write_rst(rows: list[Row], path: Path, alembic_version: str | None) -> None:
    def cell(sample: Sample | None, what: str) -> str:
        if not sample or (what == "m" and not sample.max_rss_mb):
            return "--"  # no process of its own (the SQL replay) has no peak RSS to show
        return f"{sample.seconds:.3f}" if what == "s" else f"{sample.max_rss_mb:.0f}"

    lines = [".. list-table::", "   :header-rows: 1", "",
             "   * - command", "     - project", "     - run",
             "     - alembic-django (s)", "     - Alembic (s)", "     - speedup",
             "     - peak RSS ours / Alembic (MB)"]
    for row in rows:
        lines += [f"   * - ``{row.bench}``", f"     - {row.project}", f"     - {row.mode}",
                  f"     - {cell(row.ours, 's')}", f"     - {cell(row.alembic, 's')}",
                  f"     - {row.ratio:.1f}x" if row.ratio else "     - --",
                  f"     - {cell(row.ours, 'm')} / {cell(row.alembic, 'm')}"]
    note = f"Alembic: {alembic_version}." if alembic_version else "Alembic was not installed."
    path.write_text("\n".join(lines) + f"\n\n{note}\n", encoding="utf-8")


def alembic_version(path: str | None) -> str | None:
    if not path:
        return None
    proc = subprocess.run([path, "--version"], capture_output=True, text=True)
    return (proc.stdout or proc.stderr).strip() or None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Time alembic-django against Alembic.")
    parser.add_argument("--projects", type=Path, default=DEFAULT_OUT,
                        help="where generate.py wrote the projects")
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--chain", type=int, nargs="*", default=[3000])
    parser.add_argument("--up-down-size", type=int, default=1000,
                        help="branched project used for upgrade/downgrade timings")
    parser.add_argument("--repeat", type=int, default=3, help="warm runs; the best counts")
    parser.add_argument("--alembic", default=shutil.which("alembic"),
                        help="Alembic executable to compare with (default: alembic on PATH)")
    parser.add_argument("--no-alembic", action="store_true")
    parser.add_argument("--postgresql-url", default=os.environ.get(
        "ALEMBIC_DJANGO_BENCH_POSTGRESQL_URL", os.environ.get("ALEMBIC_DJANGO_TEST_POSTGRESQL_URL")))
    parser.add_argument("--only", nargs="*",
                        choices=["heads", "history", "revision", "updown", "chain"],
                        default=["heads", "history", "revision", "updown", "chain"])
    parser.add_argument("--rst", type=Path, help="also write the table as reST here")
    parser.add_argument("--json", type=Path, help="also write the raw figures as JSON here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tools = [Tool("ours", OURS)]
    if args.alembic and not args.no_alembic:
        tools.append(Tool("alembic", [args.alembic]))
    bench = Bench(tools, args.repeat)
    print(HEADER, flush=True)
    for size in args.sizes:
        project = args.projects / f"branched_{size}"
        for command in ("heads", "history"):
            if command in args.only:
                bench.read_only(project, command)
        if "revision" in args.only:
            bench.revision(project)
    if "updown" in args.only:
        project = args.projects / f"branched_{args.up_down_size}"
        bench.up_down(project, None, "sqlite")
        bench.floors(project, None, "sqlite")
        if args.postgresql_url:
            bench.up_down(project, args.postgresql_url, "postgresql")
            bench.floors(project, args.postgresql_url, "postgresql")
    if "chain" in args.only:
        for size in args.chain:
            bench.up_down(args.projects / f"chain_{size}", None, "sqlite", target="head")
    if args.rst:
        write_rst(bench.rows, args.rst, alembic_version(args.alembic))
    if args.json:
        args.json.write_text(json.dumps(
            [{**asdict(r), "ratio": r.ratio} for r in bench.rows], indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
