"""The benchmark scripts keep working: a small generated project goes through the same
upgrade / downgrade / floor measurements the real runs make (no time is asserted)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import generate  # noqa: E402
import run  # noqa: E402


@pytest.fixture
def project(tmp_path) -> Path:
    return generate.write_project(tmp_path / "branched_40", generate.branched_graph(40))


def _tables(project: Path) -> set[str]:
    with sqlite3.connect(project / "bench.db") as conn:
        return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_offline_sql_replays_to_the_upgraded_schema(project):
    script = run.offline_sql(project, None)
    sample = run.replay_sql(script, project, None)
    assert sample.seconds > 0
    tables = _tables(project)
    assert {f"t_{n:05d}" for n in range(1, 41)} <= tables
    assert "alembic_version" in tables


def test_up_down_and_floors_record_every_row(project, capsys):
    bench = run.Bench([run.Tool("ours", run.OURS)], repeat=1)
    bench.up_down(project, None, "sqlite")
    bench.floors(project, None, "sqlite")
    names = [(row.bench, row.mode) for row in bench.rows]
    assert names == [("upgrade heads (sqlite)", "best"), ("downgrade base (sqlite)", "best"),
                     ("current (sqlite)", "floor"), ("SQL replay (sqlite)", "floor")]
    assert all(row.ours is not None for row in bench.rows)
    assert "FAILED" not in capsys.readouterr().err
    rst = project / "results.inc"
    run.write_rst(bench.rows, rst, None)
    assert "``SQL replay (sqlite)``" in rst.read_text()
