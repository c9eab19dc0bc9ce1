"""The ``fleet`` command group: ``fleet upgrade|downgrade|stamp|current|check|worker``.

Each verb selects targets (:mod:`.targets`), cuts them into stages (:mod:`.rollout`),
runs one job per target on an executor (:mod:`.executors`) and reports (:mod:`.results`).
They are registered with the command registry like every other verb, so both command
lines and the Python API (:mod:`alembic_django.fleet`) have them.
"""

from __future__ import annotations

from typing import Any

from ..errors import CommandError
from ..registry import OPTIONS, Opt, command, command_group

command_group("fleet", "Run a command on every target of a fleet (tenants, databases).",
              "Run upgrade, downgrade, stamp, current or check on many targets -- tenant "
              "schemas, databases per tenant, environments -- in parallel threads, "
              "processes or Celery workers, with staged rollouts and a summary.")


def _o(*flags: str, **kwargs: Any) -> Opt:
    return Opt(flags, kwargs)


#: options every fleet verb takes (selection, rollout, executor, output)
SELECTION = {
    "tenants": _o("--tenants", metavar="A,B,C",
                  help="comma-separated tenant names; each reaches env.py as the x-argument "
                       "tenant=NAME"),
    "tenants_sql": _o("--tenants-sql", metavar="SQL",
                      help="a query run on the environment's database; its first column "
                           "gives the tenant names"),
    "tenants_from": _o("--tenants-from", metavar="MODULE:CALLABLE",
                       help="a callable returning tenant names (or dicts with name, url, x)"),
    "tenant_key": _o("--tenant-key", metavar="KEY",
                     help="the x-argument each tenant name is passed as (default: tenant)"),
    "url": _o("--url", action="append", metavar="URL",
              help="a database URL (repeatable): one target per database"),
    "databases": _o("--databases", metavar="ALIAS,...",
                    help="Django DATABASES aliases: one target per database"),
    "group": _o("--group", action="append", metavar="NAME",
                help="a fleet group declared in the configuration (repeatable; default: "
                     "every declared group)"),
    "target": _o("--target", action="append", metavar="GLOB",
                 help="only the targets whose name matches (repeatable), e.g. 'default:eu_*'"),
    "jobs": _o("-j", "--jobs", type=int, metavar="N",
               help="targets run at once (threads or processes; default 1)"),
    "executor": _o("--executor", choices=["threads", "processes", "celery"],
                   help="where targets run: threads (default), forked processes, or "
                        "Celery workers"),
    "json": _o("--json", action="store_true",
               help="print the results as JSON (target, from, to, steps, seconds, status, "
                    "error) instead of progress lines and a table"),
    "broker": _o("--broker", metavar="URL", help="Celery broker URL (executor celery)"),
    "result_backend": _o("--result-backend", metavar="URL",
                         help="Celery result backend URL (default: rpc://)"),
    "celery_app": _o("--celery-app", metavar="MODULE:APP",
                     help="the project's Celery application (instead of --broker)"),
    "queue": _o("--queue", metavar="NAME",
                help="Celery queue the fleet tasks go to (default: alembic_django.fleet)"),
    "worker_timeout": _o("--worker-timeout", type=float, metavar="SECONDS",
                         help="give up when no Celery worker answers for this long "
                              "(default 30)"),
}
MIGRATING = {
    **SELECTION,
    "sql": OPTIONS["sql"],
    "tag": OPTIONS["tag"],
    "stage": _o("--stage", "--canary", action="append", metavar="SPEC",
                help="a rollout stage (repeatable, in order): N targets, a group name or a "
                     "glob; the remaining targets form the last stage"),
    "on_error": _o("--on-error", choices=["stop", "continue"],
                   help="after a failed target: start nothing new (stop, default) or go on"),
    "max_failures": _o("--max-failures", type=int, metavar="N",
                       help="stop starting targets after N failures"),
    "output_dir": _o("--output-dir", metavar="DIR",
                     help="with --sql: where the per-target .sql files go (default: .)"),
}


@command(name="upgrade", group="fleet", options=MIGRATING)
def upgrade(config: Any, revision: str, sql: bool = False, tag: str | None = None,
            **fleet: Any) -> list:
    """Upgrade every target to a later version.

    :param revision: revision target (e.g. heads); with --sql a range start:end
    :param sql: write each target's SQL to a file instead of running it (see --output-dir)
    :param tag: arbitrary 'tag' name, passed to every target's env.py
    """
    return run(config, "upgrade", revision=revision, sql=sql, tag=tag, **fleet)


@command(name="downgrade", group="fleet", options=MIGRATING)
def downgrade(config: Any, revision: str, sql: bool = False, tag: str | None = None,
              **fleet: Any) -> list:
    """Revert every target to a previous version.

    :param revision: revision target (e.g. -1 or base); with --sql a range start:end
    :param sql: write each target's SQL to a file instead of running it (see --output-dir)
    :param tag: arbitrary 'tag' name, passed to every target's env.py
    """
    return run(config, "downgrade", revision=revision, sql=sql, tag=tag, **fleet)


@command(name="stamp", group="fleet", options={**MIGRATING, "purge": OPTIONS["purge"]})
def stamp(config: Any, revisions: list[str], sql: bool = False, tag: str | None = None,
          purge: bool = False, **fleet: Any) -> list:
    """'stamp' every target's version table with the given revision; run no migrations.

    :param revisions: revision(s) to stamp
    :param sql: write each target's SQL to a file instead of running it (see --output-dir)
    :param tag: arbitrary 'tag' name, passed to every target's env.py
    :param purge: delete all entries in each version table before stamping
    """
    return run(config, "stamp", revision=revisions, sql=sql, tag=tag, purge=purge, **fleet)


@command(name="current", group="fleet", options=SELECTION)
def current(config: Any, **fleet: Any) -> list:
    """Show every target's current revision, the heads and how far behind it is."""
    return run(config, "current", **fleet)


@command(name="check", group="fleet",
         options={**SELECTION, "autogenerate": _o(
             "--autogenerate", action="store_true",
             help="also compare each target's schema with target_metadata (per-tenant drift)")})
def check(config: Any, autogenerate: bool = False, **fleet: Any) -> list:
    """Fail (exit 1) when a target is behind the heads, or, with --autogenerate, when its
    schema differs from target_metadata."""
    return run(config, "check", autogenerate=autogenerate, **fleet)


@command(name="worker", group="fleet", needs_config=False, options={
    "broker": SELECTION["broker"], "result_backend": SELECTION["result_backend"],
    "celery_app": SELECTION["celery_app"], "queue": SELECTION["queue"],
    "concurrency": _o("--concurrency", type=int, metavar="N",
                      help="targets this worker runs at once (threads; default 2)"),
    "loglevel": _o("--loglevel", metavar="LEVEL", help="Celery log level (default INFO)"),
})
def worker(config: Any, broker: str | None = None, result_backend: str | None = None,
           celery_app: str | None = None, queue: str | None = None,
           concurrency: int | None = None, loglevel: str | None = None) -> None:
    """Run a Celery worker for fleet targets (for projects without a Celery app of their
    own; needs the extra alembic-django[celery])."""
    from .celery_exec import run_worker

    run_worker(config, broker=broker, result_backend=result_backend, celery_app=celery_app,
               queue=queue, concurrency=concurrency or 2, loglevel=loglevel or "INFO")


# -- the shared body -----------------------------------------------------------------------
def _listish(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return value


def run(config: Any, verb: str, revision: Any = None, sql: bool = False, tag: str | None = None,
        purge: bool = False, autogenerate: bool = False, tenants: Any = None,
        tenants_sql: str | None = None, tenants_from: str | None = None,
        tenant_key: str | None = None, url: Any = None, databases: Any = None,
        group: Any = None, target: Any = None, stage: Any = None, jobs: int | None = None,
        executor: str | None = None, on_error: str | None = None,
        max_failures: int | None = None, json: bool = False, output_dir: str | None = None,
        broker: str | None = None, result_backend: str | None = None,
        celery_app: str | None = None, queue: str | None = None,
        worker_timeout: float | None = None) -> list:
    """Run ``verb`` on the selected targets; returns the results (raises
    :class:`~.results.FleetFailed` when some target did not reach the goal)."""
    from . import results as res
    from .executors import make_executor
    from .rollout import Policy, execute, plan_stages
    from .runner import Job, prepare_script
    from .targets import collect, command_line_group, select

    def as_list(value: Any) -> list:
        return [value] if isinstance(value, str) else list(value or ())

    if isinstance(url, str):
        url = [url]
    cli_group = command_line_group(_listish(tenants), tenants_sql, tenants_from, url,
                                   _listish(databases), tenant_key)
    targets, groups = collect(config, cli_group, as_list(group))
    targets = select(targets, as_list(target))
    if not targets:
        raise CommandError("No fleet target matches " + (
            f"--target {' '.join(as_list(target))}" if target else "the selection"))
    stages = plan_stages(targets, as_list(stage), groups)
    policy = Policy(on_error or "stop", max_failures)
    script = prepare_script(config)
    runner = make_executor(executor or "threads", config, script, jobs or 1, broker=broker,
                           result_backend=result_backend, celery_app=celery_app, queue=queue,
                           worker_timeout=worker_timeout)

    def make_job(t: Any) -> Job:
        return Job(verb, t, revision=revision, sql=sql, tag=tag, purge=purge,
                   autogenerate=autogenerate, output_dir=output_dir)

    progress = res.Progress(config, len(targets), quiet=json)
    try:
        results, interrupted = execute(stages, make_job, runner, policy, progress)
    finally:
        progress.finish()
    if json:
        config.print_stdout(res.to_json(results))
    elif verb == "current":
        config.print_stdout(res.table(results, ("target", "from", "to", "behind", "status"),
                                      titles={"from": "current", "to": "heads"}))
    else:
        config.print_stdout(res.table(results))
    if interrupted:
        raise res.FleetInterrupted(res.failure_message(results, verb) + " (interrupted)",
                                   results)
    allowed = (*res.OK, res.BEHIND) if verb == "current" else res.OK
    if any(r.status not in allowed for r in results):
        raise res.FleetFailed(res.failure_message(results, verb), results)
    return results
