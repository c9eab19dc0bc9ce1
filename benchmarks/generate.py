"""Generate synthetic migration projects for the benchmarks.

Each project is usable by alembic-django *and* by the real Alembic: ``alembic.ini``
(``script_location`` + a SQLite ``sqlalchemy.url``), an ``env.py`` that imports from
``alembic`` (alembic-django aliases it while it runs), a ``script.py.mako`` and
``versions/``.  Revision files have the literal-assignment header Alembic generates;
each revision creates one table in ``upgrade()`` and drops it in ``downgrade()``.

Shapes:

* ``branched_<N>``: a linear trunk; every 20-50 revisions a labelled 3-revision side
  branch leaves the trunk and merges back 5 trunk revisions later.  N counts every
  revision (trunk, side branch and merge revisions alike).
* ``chain_<N>``: a plain linear chain.

Usage::

    python benchmarks/generate.py                      # 100, 1000, 10000 + chain 3000
    python benchmarks/generate.py --sizes 100 1000 --chain 1000 3000 --out /tmp/bench
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parent / "_projects"
MANIFEST = ".bench_manifest.json"

ALEMBIC_INI = """\
[alembic]
script_location = %(here)s/migrations
path_separator = os
prepend_sys_path = .
sqlalchemy.url = sqlite:///%(here)s/bench.db
"""

ENV_PY = '''\
"""Benchmark env.py: the generic template's shape, without logging configuration."""
from sqlalchemy import engine_from_config, pool

from alembic import context

config = context.config
x_args = context.get_x_argument(as_dictionary=True)
url = x_args.get("url") or config.get_main_option("sqlalchemy.url")


def run_migrations_offline() -> None:
    context.configure(url=url, literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    section = dict(config.get_section(config.config_ini_section, {}))
    section["sqlalchemy.url"] = url
    connectable = engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
'''

SCRIPT_MAKO = '''\
"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision: str = ${repr(up_revision)}
down_revision: Union[str, Sequence[str], None] = ${repr(down_revision)}
branch_labels: Union[str, Sequence[str], None] = ${repr(branch_labels)}
depends_on: Union[str, Sequence[str], None] = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
'''

REVISION_PY = '''\
"""{message}

Revision ID: {rev}
Revises: {revises}
Create Date: 2026-01-01 00:00:{second:02d}.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = {rev!r}
down_revision: Union[str, Sequence[str], None] = {down!r}
branch_labels: Union[str, Sequence[str], None] = {labels!r}
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        {table!r},
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
    )


def downgrade() -> None:
    op.drop_table({table!r})
'''


@dataclass
class Rev:
    rev: str
    down: str | tuple[str, ...] | None
    message: str
    labels: tuple[str, ...] | None = None


@dataclass
class Graph:
    revisions: list[Rev] = field(default_factory=list)

    def add(self, rng: random.Random, down, message: str, labels=None) -> str:
        rev = f"{rng.getrandbits(48):012x}"
        self.revisions.append(Rev(rev, down, message, labels))
        return rev


def branched_graph(size: int, seed: int = 1) -> Graph:
    """A trunk with a labelled 3-revision side branch every 20-50 revisions.

    A side branch leaves trunk revision ``k`` and its last revision is merged back by the
    trunk revision that sits 5 trunk steps after ``k``.  Stops at exactly ``size``.
    """
    rng = random.Random(seed)
    graph = Graph()
    head = None
    trunk_steps = 0
    next_branch = rng.randint(20, 50)
    pending: list[tuple[int, str]] = []  # (trunk step at which to merge, side-branch head)
    branch_no = 0
    while len(graph.revisions) < size:
        due = [p for p in pending if p[0] == trunk_steps]
        if due:
            _, side_head = due[0]
            pending.remove(due[0])
            head = graph.add(rng, (head, side_head), f"merge branch into trunk {trunk_steps}")
        else:
            head = graph.add(rng, head, f"trunk revision {trunk_steps}")
        trunk_steps += 1
        if trunk_steps >= next_branch and len(graph.revisions) + 3 + 5 < size:
            branch_no += 1
            side = head
            for i in range(3):
                labels = (f"branch_{branch_no}",) if i == 0 else None
                side = graph.add(rng, side, f"side branch {branch_no} step {i + 1}", labels)
            pending.append((trunk_steps + 5, side))
            next_branch = trunk_steps + rng.randint(20, 50)
    return graph


def chain_graph(size: int, seed: int = 2) -> Graph:
    rng = random.Random(seed)
    graph = Graph()
    head = None
    for i in range(size):
        head = graph.add(rng, head, f"chain revision {i}")
    return graph


def _revises(down) -> str:
    if down is None:
        return ""
    return ", ".join(down) if isinstance(down, tuple) else down


def write_project(root: Path, graph: Graph) -> Path:
    if root.exists():
        shutil.rmtree(root)
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    files = {
        root / "alembic.ini": ALEMBIC_INI,
        root / "migrations" / "env.py": ENV_PY,
        root / "migrations" / "script.py.mako": SCRIPT_MAKO,
        root / "migrations" / "README": "Benchmark project.\n",
    }
    for n, r in enumerate(graph.revisions, start=1):
        slug = r.message.replace(" ", "_")
        files[versions / f"{r.rev}_{slug}.py"] = REVISION_PY.format(
            message=r.message, rev=r.rev, revises=_revises(r.down), second=n % 60,
            down=r.down, labels=r.labels, table=f"t_{n:05d}",
        )
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    manifest = sorted(str(p.relative_to(root)) for p in files)
    (root / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return root


def make_cold(root: Path) -> None:
    """Remove everything the generator did not write: caches, ``__pycache__``, databases."""
    keep = set(json.loads((root / MANIFEST).read_text(encoding="utf-8"))) | {MANIFEST}
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        for name in filenames:
            path = Path(dirpath, name)
            if str(path.relative_to(root)) not in keep:
                path.unlink()
        for name in dirnames:
            path = Path(dirpath, name)
            if not any(path.iterdir()):
                path.rmdir()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000])
    parser.add_argument("--chain", type=int, nargs="*", default=[3000])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    for size in args.sizes:
        root = write_project(args.out / f"branched_{size}", branched_graph(size))
        print(f"{root}: {size} revisions")
    for size in args.chain:
        root = write_project(args.out / f"chain_{size}", chain_graph(size))
        print(f"{root}: {size} revisions (linear)")


if __name__ == "__main__":
    main()
