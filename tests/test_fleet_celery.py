"""The Celery executor against the machine's RabbitMQ (broker) and Redis (results).

Two real worker processes (``alembic-django fleet worker``) on a queue of this test
run's own; one is SIGKILLed mid-run: its targets are redelivered to the other (acks
late), nothing is applied twice, and a rerun completes.  Without the services the
tests skip, except under CI where they fail.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from urllib.parse import urlsplit

import pytest
from conftest import _server_url, wipe_database
from fleet_helpers import (
    LOG,
    LOG_TABLE,
    env_with,
    log_counts,
    pg_setup,
    pg_versions,
    tenant_project,
)

from alembic_django import fleet
from alembic_django.config import Config
from alembic_django.engine.errors import CommandError

BROKER_ENV = "ALEMBIC_DJANGO_TEST_BROKER_URL"
REDIS_ENV = "ALEMBIC_DJANGO_TEST_REDIS_URL"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the Celery tests")
    pytest.skip(reason)


def _reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture
def services():
    try:
        import celery  # noqa: F401
    except ImportError:
        _unavailable("Celery is not installed (pip install 'alembic-django[celery]')")
    broker, backend = os.environ.get(BROKER_ENV), os.environ.get(REDIS_ENV)
    if not broker or not backend:
        _unavailable(f"{BROKER_ENV} / {REDIS_ENV} are not set: no broker to test against")
    for url in (broker, backend):
        if not _reachable(url):
            _unavailable(f"{urlsplit(url).hostname}:{urlsplit(url).port} does not answer")
    queue = f"alembic_django_test_{uuid.uuid4().hex[:10]}"
    yield broker, backend, queue
    from alembic_django.engine.fleet.celery_exec import make_app

    app = make_app(broker, backend)
    try:
        with app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)
    except Exception:  # noqa: BLE001 - best effort: a queue that never existed
        pass


def start_worker(broker: str, backend: str, queue: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "alembic_django", "fleet", "worker", "--broker", broker,
         "--result-backend", backend, "--queue", queue, "--concurrency", "2",
         "--loglevel", "WARNING"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env_with(),
        start_new_session=True)


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


SLOW = [(rev, f'op.execute("SELECT pg_sleep(0.15)")\nop.create_table("t_{rev}", '
              f'sa.Column("id", sa.Integer))\n' + LOG.format(table=LOG_TABLE, rev=rev))
        for rev in ("r1", "r2")]


def test_two_workers_one_killed_mid_run(services, tmp_path):
    broker, backend, queue = services
    url = _server_url("postgresql")
    wipe_database(url)
    pg_setup(url)
    ini = tenant_project(tmp_path / "p", url, SLOW)
    tenants = [f"cel_{n:02d}" for n in range(40)]
    workers = [start_worker(broker, backend, queue) for _ in range(2)]
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(fleet.upgrade(
                Config(str(ini), stdout=io.StringIO()), "heads", tenants=tenants,
                executor="celery", broker=broker, result_backend=backend, queue=queue,
                worker_timeout=60, on_error="continue"))
        except Exception as exc:  # noqa: BLE001 - examined below
            outcome.append(exc)

    try:
        runner = threading.Thread(target=run)
        runner.start()
        deadline = time.monotonic() + 120
        while sum(log_counts(url).values()) < 12 and runner.is_alive():
            assert time.monotonic() < deadline, "the fleet made no progress"
            time.sleep(0.05)
        assert sum(log_counts(url).values()) < 2 * len(tenants)  # mid-run
        stop(workers[0], signal.SIGKILL)  # it holds targets in flight
        runner.join(timeout=180)
        assert not runner.is_alive()
        [first] = outcome
        results = first.results if isinstance(first, fleet.FleetFailed) else first
        assert not isinstance(first, Exception) or isinstance(first, fleet.FleetFailed), first
        assert len(results) == 40
        assert {r.status for r in results} <= {"migrated", "up-to-date", "failed"}
        counts = log_counts(url)
        assert set(counts.values()) == {1}, counts  # nothing applied twice

        rerun = fleet.upgrade(Config(str(ini), stdout=io.StringIO()), "heads", tenants=tenants,
                              executor="celery", broker=broker, result_backend=backend,
                              queue=queue, worker_timeout=60)
    finally:
        for worker in workers:
            stop(worker)
    assert {r.status for r in rerun} <= {"migrated", "up-to-date"}
    assert log_counts(url) == {(t, r): 1 for t in tenants for r in ("r1", "r2")}
    assert set(map(frozenset, pg_versions(url, tenants).values())) == {frozenset({"r2"})}
    wipe_database(url)


@pytest.fixture
def sqlite_project(tmp_path):
    ini = tenant_project(tmp_path / "p", f"sqlite:///{tmp_path / 'x.db'}", [])
    return Config(str(ini), stdout=io.StringIO())


def test_no_broker_is_a_clear_error(services, sqlite_project):
    _, backend, queue = services
    with pytest.raises(CommandError, match=r"Celery broker amqp://guest:\*\*\*@127.0.0.1:1// "
                                           r"is not reachable"):
        fleet.upgrade(sqlite_project, "heads", tenants="a", executor="celery",
                      broker="amqp://guest:secret@127.0.0.1:1//", result_backend=backend,
                      queue=queue, worker_timeout=2)
    assert "secret" not in sqlite_project.stdout.getvalue()


def test_no_worker_is_a_clear_error(services, sqlite_project):
    broker, backend, queue = services
    with pytest.raises(CommandError, match=f"No Celery worker consumes queue '{queue}'"):
        fleet.upgrade(sqlite_project, "heads", tenants="a", executor="celery", broker=broker,
                      result_backend=backend, queue=queue, worker_timeout=2)
