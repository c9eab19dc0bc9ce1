"""The Celery executor: one task per target, on the project's Celery app or ``--broker``.

Only Celery's own primitives: a registered task (``acks_late`` and
``reject_on_worker_lost``, so a target whose worker dies is redelivered to another),
a ``group`` per stage, the result backend for the results, ``revoke`` for targets
that must not start any more, ``inspect`` to find the workers.  A redelivered target
is safe: it runs under the migration lock and re-reads its version table, so one
that already reached the goal reports ``up-to-date``.

The task message holds the job (verb, target) and a *config spec*: the paths of the
configuration files and the options set in memory, or the dotted name of a factory
(the Django side's) that rebuilds the config in the worker.  Workers keep one
prepared environment (config + script directory) per spec, so revision modules load
once per worker.

Celery is imported only when this module is used: ``pip install alembic-django[celery]``.
"""

from __future__ import annotations

import json
import os
import threading
import time
from argparse import Namespace
from typing import Any

from ..errors import CommandError
from .results import FAILED, NOT_STARTED, TargetResult
from .runner import EngineCache, Job, prepare_script, run_job
from .targets import ENVIRONMENT, environment_name, import_dotted

TASK_NAME = "alembic_django.fleet.run_target"
DEFAULT_QUEUE = "alembic_django.fleet"
#: ``config.attributes`` keys the Django side fills: the project's Celery app (or a
#: callable returning it) and the dotted factory that rebuilds a config in a worker
CELERY_APP = "alembic_django.fleet.celery_app"
CONFIG_FACTORY = "alembic_django.fleet.config_factory"


def _celery() -> Any:
    try:
        import celery
    except ImportError:
        raise CommandError("the Celery executor needs Celery 5: pip install "
                           "'alembic-django[celery]'") from None
    return celery


# -- the task ---------------------------------------------------------------------------
def _task_base() -> type:
    celery = _celery()

    class FleetTask(celery.Task):
        """Keeps the prepared environments of this worker (one per config spec)."""

        _lock = threading.Lock()

        def workspace(self, spec: dict[str, Any]) -> tuple[Any, Any, Any]:
            key = json.dumps(spec, sort_keys=True, default=str)
            cache = self.__dict__.setdefault("_alembic_django_workspaces", {})
            with self._lock:
                if key not in cache:
                    base = config_from_spec(spec)
                    cache[key] = (base, prepare_script(base), EngineCache())
                return cache[key]

    return FleetTask


def run_target_task(task: Any, message: dict[str, Any]) -> dict[str, Any]:
    """The task body: run one job; the result is a JSON-able dict."""
    base, script, engines = task.workspace(message["config"])
    return run_job(Job.from_dict(message["job"]), base, script, engines).as_dict()


def task_options() -> dict[str, Any]:
    return {"name": TASK_NAME, "bind": True, "base": _task_base(), "acks_late": True,
            "reject_on_worker_lost": True}


def register(app: Any) -> Any:
    """Register the fleet task on ``app`` (once)."""
    if TASK_NAME not in app.tasks:
        app.task(**task_options())(run_target_task)
    return app


def make_app(broker: str, result_backend: str | None = None) -> Any:
    """A Celery app of our own (``--broker``), set up for long, idempotent tasks."""
    celery = _celery()
    app = celery.Celery("alembic_django_fleet", broker=broker,
                        backend=result_backend or "rpc://", set_as_current=False)
    app.conf.update(
        task_serializer="json", result_serializer="json", accept_content=["json"],
        worker_prefetch_multiplier=1,  # with acks_late: a worker holds one target per slot
        task_acks_late=True, task_reject_on_worker_lost=True,
        broker_connection_retry_on_startup=True, result_extended=False,
        worker_hijack_root_logger=False,
    )
    return register(app)


def resolve_app(config: Any, broker: str | None = None, result_backend: str | None = None,
                celery_app: str | None = None) -> Any:
    if celery_app:
        _celery()
        app = import_dotted(celery_app, "--celery-app")
        return register(app)
    if broker:
        return make_app(broker, result_backend)
    supplied = config.attributes.get(CELERY_APP) if config is not None else None
    if supplied is not None:
        app = supplied() if callable(supplied) and not hasattr(supplied, "tasks") else supplied
        return register(app)
    raise CommandError("the Celery executor needs --broker URL or --celery-app MODULE:APP "
                       "(under Django: CELERY_BROKER_URL in settings)")


# -- config specs ---------------------------------------------------------------------
def config_spec(config: Any) -> dict[str, Any]:
    """What a worker needs to rebuild ``config`` (JSON-able; files by absolute path)."""
    def absolute(path: str | None) -> str | None:
        return os.path.abspath(path) if path else None

    parser = config.ini_source.parser
    section = config.config_ini_section
    own = dict(parser._sections.get(section, {})) if parser.has_section(section) else {}
    x = list(getattr(config.cmd_opts, "x", None) or [])
    return {
        "factory": config.attributes.get(CONFIG_FACTORY),
        "environment": environment_name(config),
        "file": absolute(config.config_file_name),
        "toml": absolute(config.toml_file_name),
        "ini_section": section,
        "ini": {k: str(v) for k, v in own.items() if k != "here"},
        "mapping": {k: (v if isinstance(v, (str, int, float, bool, list, dict)) else str(v))
                    for k, v in config._mapping.data.items()},
        "config_args": dict(config.config_args),
        "x": x,
    }


def config_from_spec(spec: dict[str, Any]) -> Any:
    """The worker side of :func:`config_spec`."""
    import io

    if spec.get("factory"):
        factory = import_dotted(spec["factory"], "fleet config factory")
        return factory(spec)
    from ..config import Config

    config = Config(file_=spec.get("file"), ini_section=spec.get("ini_section") or "alembic",
                    toml_file=spec.get("toml"), mapping=spec.get("mapping") or None,
                    config_args=spec.get("config_args") or None,
                    cmd_opts=Namespace(x=list(spec.get("x") or []), quiet=True),
                    stdout=io.StringIO(), attributes={ENVIRONMENT: spec.get("environment")})
    for key, value in (spec.get("ini") or {}).items():
        config.set_section_option(config.config_ini_section, key, value)
    return config


# -- the caller's side ------------------------------------------------------------------
class CeleryExecutor:
    """Sends one task per target and collects the results as they arrive."""

    def __init__(self, base: Any, broker: str | None = None, result_backend: str | None = None,
                 celery_app: str | None = None, queue: str | None = None,
                 worker_timeout: float | None = None, **_: Any) -> None:
        self.app = resolve_app(base, broker, result_backend, celery_app)
        self.queue = queue or DEFAULT_QUEUE
        self.timeout = float(worker_timeout or 30.0)
        self.spec = config_spec(base)
        self._ready = False

    # -- checks ------------------------------------------------------------------------
    def _broker_text(self) -> str:
        from ..config import mask_password

        return mask_password(str(self.app.conf.broker_url or "the default broker"))

    def _preflight(self) -> None:
        if self._ready:
            return
        try:
            with self.app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=2, interval_start=0.2, interval_step=0.5,
                                       interval_max=1.0, timeout=min(self.timeout, 5.0))
        except Exception as exc:  # noqa: BLE001 - any failure to connect means the same
            raise CommandError(f"Celery broker {self._broker_text()} is not reachable: "
                               f"{' '.join(str(exc).split())}") from None
        deadline = time.monotonic() + self.timeout
        while not self._workers():
            if time.monotonic() >= deadline:
                raise CommandError(
                    f"No Celery worker consumes queue {self.queue!r} on {self._broker_text()} "
                    f"(waited {self.timeout:g} s); start one with 'alembic-django fleet worker "
                    f"--broker URL --queue {self.queue}' or 'celery -A PROJECT worker -Q "
                    f"{self.queue}'")
            time.sleep(0.5)
        self._ready = True

    def _workers(self) -> list[str]:
        """Names of the live workers that consume our queue."""
        try:
            replies = self.app.control.inspect(timeout=1.0).active_queues() or {}
        except Exception:  # noqa: BLE001 - an unreachable broker: no worker
            return []
        return [name for name, queues in replies.items()
                if any(q.get("name") == self.queue for q in queues or ())]

    # -- running ---------------------------------------------------------------------------
    def run(self, jobs: list[Job], on_done: Any) -> None:
        if not jobs:
            return
        celery = _celery()
        self._preflight()
        signatures = [self.app.signature(TASK_NAME, args=({"config": self.spec,
                                                           "job": job.as_dict()},),
                                         queue=self.queue) for job in jobs]
        group_result = celery.group(signatures).apply_async()
        by_id = {r.id: job for r, job in zip(group_result.results, jobs, strict=True)}
        pending = set(by_id)
        try:
            self._collect(pending, by_id, on_done)
        except _StopStarting:
            self._revoke(pending)
            self._collect(pending, by_id, on_done, drain=True)
        except KeyboardInterrupt:
            self._revoke(pending)
            self._collect(pending, by_id, on_done, drain=True)
            raise

    def _revoke(self, pending: set[str]) -> None:
        if pending:
            self.app.control.revoke(list(pending))

    def _collect(self, pending: set[str], by_id: dict[str, Job], on_done: Any,
                 drain: bool = False) -> None:
        """Report results as they arrive until none is pending; ``drain``: after a stop,
        the revoked targets come back as not started."""
        celery = _celery()
        quiet_since = time.monotonic()
        while pending:
            arrived = []
            try:
                for task_id, meta in self.app.backend.get_many(set(pending), timeout=1.0,
                                                               interval=0.05, no_ack=True):
                    arrived.append((task_id, meta))
            except celery.exceptions.TimeoutError:
                pass
            for task_id, meta in arrived:
                if task_id not in pending:
                    continue
                pending.discard(task_id)
                job = by_id[task_id]
                go_on = on_done(job, _result(job, meta))
                if not go_on and not drain:
                    raise _StopStarting
            if arrived:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since > self.timeout and not self._workers():
                reason = ("not started (stopped; no worker took it back)" if drain else
                          f"no Celery worker consumes queue {self.queue!r} any more")
                for task_id in sorted(pending, key=lambda t: by_id[t].target.name):
                    status = NOT_STARTED if drain else FAILED
                    on_done(by_id[task_id], TargetResult(by_id[task_id].target.name,
                                                         status=status, error=reason))
                self._revoke(pending)
                pending.clear()


class _StopStarting(Exception):
    """The rollout asked to start nothing new."""


def _result(job: Job, meta: dict[str, Any]) -> TargetResult:
    status = meta.get("status")
    if status == "SUCCESS" and isinstance(meta.get("result"), dict):
        return TargetResult.from_dict(meta["result"])
    if status == "REVOKED":
        return TargetResult(job.target.name, status=NOT_STARTED)
    error = meta.get("result")
    if isinstance(error, dict):  # an exception serialised as JSON
        error = f"{error.get('exc_type')}: {error.get('exc_message')}"
    return TargetResult(job.target.name, status=FAILED,
                        error=f"Celery task {status}: {' '.join(str(error).split())}")


def run_worker(config: Any, broker: str | None = None, result_backend: str | None = None,
               celery_app: str | None = None, queue: str | None = None, concurrency: int = 2,
               loglevel: str = "INFO") -> None:
    """Start a Celery worker (threads pool) for the fleet queue; returns when it stops."""
    app = resolve_app(config, broker, result_backend, celery_app)
    app.worker_main([
        "worker", f"--queues={queue or DEFAULT_QUEUE}", f"--concurrency={int(concurrency)}",
        "--pool=threads", f"--loglevel={loglevel}", f"--hostname=alembic-fleet-{os.getpid()}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ])
