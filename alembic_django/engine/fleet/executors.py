"""Executors: how the jobs of a stage run.  One small interface::

    executor.run(jobs, on_done)   # on_done(job, result) -> False: start nothing new

``run`` returns when every started job has reported.  On Ctrl-C it starts nothing
new, lets the running jobs finish (each ends its own transaction) and re-raises
``KeyboardInterrupt``; the rollout lists the jobs never started.  ``on_done`` is
always called in the thread that called ``run``.

* :class:`ThreadExecutor` (default): ``--jobs N`` threads in this process; the
  running environment and ``op`` are context variables, revision modules are shared.
* :class:`ProcessExecutor`: ``--jobs N`` forked worker processes, for env.py files
  that are not thread-safe (POSIX only: the workers inherit the prepared environment
  by ``fork``).
* :class:`~.celery_exec.CeleryExecutor`: one Celery task per target.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import Any

from ..errors import CommandError
from .results import TargetResult
from .runner import EngineCache, Job, run_job

OnDone = Callable[[Job, TargetResult], bool]
#: ``config.attributes`` key of callables run in the parent before worker processes fork
#: (the Django side closes its connections: a forked child must not share them)
BEFORE_FORK = "alembic_django.fleet.before_fork"


class _PoolExecutor:
    """Keeps at most ``jobs`` futures running; shared by threads and processes."""

    def __init__(self, jobs: int) -> None:
        if jobs < 1:
            raise CommandError(f"--jobs must be at least 1, not {jobs}")
        self.jobs = jobs

    def _pool(self) -> Any:
        raise NotImplementedError

    def _submit(self, pool: Any, job: Job) -> Future:
        raise NotImplementedError

    def run(self, jobs: list[Job], on_done: OnDone) -> None:
        if not jobs:
            return
        pending: Iterator[Job] = iter(jobs)
        running: dict[Future, Job] = {}
        stop = False
        with self._pool() as pool:
            def fill() -> None:
                while not stop and len(running) < self.jobs:
                    job = next(pending, None)
                    if job is None:
                        return
                    running[self._submit(pool, job)] = job

            try:
                fill()
                while running:
                    done, _ = wait(list(running), timeout=0.5, return_when=FIRST_COMPLETED)
                    for future in done:
                        job = running.pop(future)
                        if not on_done(job, _result(future, job)):
                            stop = True
                    fill()
            except KeyboardInterrupt:
                stop = True
                while running:  # the running targets finish their transaction
                    done, _ = wait(list(running), return_when=FIRST_COMPLETED)
                    for future in done:
                        job = running.pop(future)
                        on_done(job, _result(future, job))
                raise


def _result(future: Future, job: Job) -> TargetResult:
    try:
        return future.result()
    except BaseException as exc:  # noqa: BLE001 - a worker that died is this target's failure
        return TargetResult(job.target.name, status="failed",
                            error=f"worker failed: {type(exc).__name__}: {exc}")


class ThreadExecutor(_PoolExecutor):
    """``--jobs N`` threads in this process."""

    def __init__(self, base: Any, script: Any, jobs: int = 1) -> None:
        super().__init__(jobs)
        self.base = base
        self.script = script
        self.engines = EngineCache()

    def _pool(self) -> Any:
        from concurrent.futures import ThreadPoolExecutor

        return ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="alembic-fleet")

    def _submit(self, pool: Any, job: Job) -> Future:
        return pool.submit(run_job, job, self.base, self.script, self.engines)

    def run(self, jobs: list[Job], on_done: OnDone) -> None:
        try:
            super().run(jobs, on_done)
        finally:
            self.engines.dispose()


class ProcessExecutor(_PoolExecutor):
    """``--jobs N`` forked processes; each runs its jobs one at a time."""

    def __init__(self, base: Any, script: Any, jobs: int = 1) -> None:
        super().__init__(jobs)
        import multiprocessing

        if "fork" not in multiprocessing.get_all_start_methods():
            raise CommandError("--executor processes needs fork (POSIX); use threads or celery")
        self.base = base
        self.script = script

    def _pool(self) -> Any:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        for hook in self.base.attributes.get(BEFORE_FORK) or ():
            hook()
        return ProcessPoolExecutor(
            max_workers=self.jobs, mp_context=multiprocessing.get_context("fork"),
            initializer=_process_init, initargs=(self.base, self.script))

    def _submit(self, pool: Any, job: Job) -> Future:
        return pool.submit(_process_run, job)


class _ProcessState:
    """What a forked worker received from its parent (set once, by the initializer)."""

    base: Any = None
    script: Any = None
    engines: Any = None


def _process_init(base: Any, script: Any) -> None:
    # Ctrl-C reaches the whole process group: the parent decides, the child finishes
    # its target's transaction
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _ProcessState.base, _ProcessState.script = base, script
    _ProcessState.engines = EngineCache()


def _process_run(job: Job) -> TargetResult:
    return run_job(job, _ProcessState.base, _ProcessState.script, _ProcessState.engines)


def make_executor(kind: str, base: Any, script: Any, jobs: int = 1, **celery: Any) -> Any:
    if kind == "threads":
        return ThreadExecutor(base, script, jobs)
    if kind == "processes":
        return ProcessExecutor(base, script, jobs)
    if kind == "celery":
        from .celery_exec import CeleryExecutor

        return CeleryExecutor(base, **celery)
    raise CommandError(f"unknown executor {kind!r} (threads, processes, celery)")
