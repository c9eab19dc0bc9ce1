"""Verbs that read and write revision files: revision, merge, heads, branches,
history, show, edit.  None of them connects to a database (``history -i`` and
``revision --autogenerate`` / ``revision_environment`` run env.py to do so)."""

from __future__ import annotations

import uuid
from typing import Any

from ..errors import CommandError
from ..registry import Opt, command
from ..script.directory import Script, ScriptDirectory


def new_rev_id() -> str:
    return uuid.uuid4().hex[-12:]


@command
def revision(config: Any, message: str | None = None, autogenerate: bool = False,
             sql: bool = False, head: str = "head", splice: bool = False,
             branch_label: str | None = None, version_path: str | None = None,
             rev_id: str | None = None, depends_on: list[str] | None = None,
             process_revision_directives: Any = None) -> Script | list[Script] | None:
    """Create a new revision file.

    :param message: string message to apply to the revision
    :param autogenerate: populate revision script with candidate migration
        operations, based on comparison of database to model
    :param sql: don't emit SQL to database - dump to standard output instead
    :param head: specify head revision or <branchname>@head to base new revision on
    :param splice: allow a non-head revision as the 'head' to splice onto
    :param branch_label: specify a branch label to apply to the new revision
    :param version_path: specify specific path from config for version file
    :param rev_id: specify a hardcoded revision id instead of generating one
    :param depends_on: specify one or more revision identifiers which this revision
        should depend on
    """
    from ..autogenerate.revision_context import RevisionContext
    from ..script.generate import verify_rev_id

    if rev_id:  # (an empty one means "generate one", as in Alembic)
        verify_rev_id(rev_id)  # before env.py runs or anything is written
    script = ScriptDirectory.from_config(config)
    ctx = RevisionContext(config, script, dict(
        message=message, autogenerate=autogenerate, sql=sql, head=head, splice=splice,
        branch_label=branch_label, version_path=version_path,
        rev_id=rev_id or new_rev_id(), depends_on=depends_on,
    ), process_revision_directives=process_revision_directives)
    environment = config.get_alembic_boolean_option("revision_environment")
    if autogenerate and sql:
        raise CommandError("Using --sql with --autogenerate does not make any sense")
    if sql and not environment:
        raise CommandError("Using --sql with the revision command when revision_environment "
                           "is not configured does not make any sense")
    if autogenerate or environment:
        ctx.run_environment(autogenerate=autogenerate, sql=sql)
    scripts = [s for s in ctx.generate_scripts() if s is not None]
    if len(scripts) == 1:
        return scripts[0]
    return scripts or None


@command
def merge(config: Any, revisions: list[str], message: str | None = None,
          branch_label: str | None = None, rev_id: str | None = None,
          splice: bool = False) -> Script:
    """Merge two revisions together.  Creates a new migration file.

    :param revisions: one or more revisions, or 'heads' for all heads
    :param message: string message to apply to the revision
    :param branch_label: specify a branch label to apply to the new revision
    :param rev_id: specify a hardcoded revision id instead of generating one
    :param splice: allow a non-head revision among those merged
    """
    from ..script.generate import verify_rev_id

    if rev_id:  # (an empty one means "generate one", as in Alembic)
        verify_rev_id(rev_id)  # before env.py runs or anything is written
    script = ScriptDirectory.from_config(config)
    template_args: dict[str, Any] = {"config": config}
    if config.get_alembic_boolean_option("revision_environment"):
        from ..runtime.environment import EnvironmentContext

        def nothing(rev: Any, context: Any) -> list:
            return []

        with EnvironmentContext(config, script, fn=nothing, as_sql=False,
                                template_args=template_args):
            script.run_env()
    if isinstance(revisions, str):
        revisions = [revisions]
    new = script.generate_revision(
        rev_id or new_rev_id(), message, head=tuple(revisions), splice=splice,
        branch_labels=branch_label, **template_args,
    )
    return new


def _print_revs(config: Any, revs: Any, verbose: bool, **fmt: Any) -> None:
    for rev in revs:
        config.print_stdout(rev.cmd_format(verbose, **fmt))


@command
def heads(config: Any, verbose: bool = False, resolve_dependencies: bool = False,
          as_json: bool = False) -> None:
    """Show current available heads in the script directory.

    :param verbose: use more verbose output
    :param resolve_dependencies: treat dependency versions as down revisions
    :param as_json: print one JSON document (schema: heads.json)
    """
    script = ScriptDirectory.from_config(config)
    if resolve_dependencies:
        revs = script.get_revisions("heads")
    else:
        revs = script.get_revisions(script.get_heads())
    if as_json:
        from .jsonout import emit, revision_dict

        emit(config, {"heads": [revision_dict(r) for r in revs]})
        return
    _print_revs(config, revs, verbose, include_branches=True, tree_indicators=False)


@command
def branches(config: Any, verbose: bool = False, as_json: bool = False) -> None:
    """Show current branch points.

    :param verbose: use more verbose output
    :param as_json: print one JSON document (schema: branches.json)
    """
    script = ScriptDirectory.from_config(config)
    if as_json:
        from .jsonout import emit, revision_dict

        emit(config, {"branch_points": [
            {"revision": revision_dict(sc),
             "children": [revision_dict(script.get_revision(rev)) for rev in sorted(sc.nextrev)]}
            for sc in script.walk_revisions() if sc.is_branch_point
        ]})
        return
    for sc in script.walk_revisions():
        if sc.is_branch_point:
            children = (script.get_revision(rev) for rev in sorted(sc.nextrev))
            config.print_stdout(
                "%s\n%s\n",
                sc.cmd_format(verbose, include_branches=True),
                "\n".join(
                    "{} -> {}".format(" " * len(str(sc.revision)),
                                  child.cmd_format(False, include_branches=True,
                                                   include_doc=verbose))
                    for child in children
                ),
            )


@command(options={
    "graph": Opt(("--graph",), {"action": "store_true",
                                "help": "draw the revision graph (like git log --graph)"}),
    "format": Opt(("--format",), {"choices": ["text", "dot"], "default": None,
                                  "help": "'dot' writes Graphviz DOT of the range"}),
})
def history(config: Any, rev_range: str | None = None, verbose: bool = False,
            indicate_current: bool = False, graph: bool = False,
            format: str | None = None, as_json: bool = False) -> None:
    """List changeset scripts in chronological order.

    :param rev_range: revision range in the form [start]:[end]
    :param verbose: use more verbose output
    :param indicate_current: indicate the current revision
    :param as_json: print one JSON document (schema: history.json)
    """
    from .history_graph import history_revisions, render_dot, render_graph

    if as_json and (graph or format == "dot"):
        raise CommandError("history: --json cannot be combined with --graph or --format dot")
    script = ScriptDirectory.from_config(config)
    revs, current = history_revisions(config, script, rev_range, indicate_current)
    if as_json:
        from .jsonout import emit, revision_dict

        emit(config, {"revisions": [
            revision_dict(sc, current=(sc.revision in current) if indicate_current else None)
            for sc in revs
        ]})
        return
    if format == "dot":
        config.print_stdout(render_dot(revs))
        return
    if graph:
        for line in render_graph(revs, current):
            config.print_stdout(line)
        return
    for sc in revs:
        if indicate_current:
            sc._db_current_indicator = sc.revision in current
        config.print_stdout(sc.cmd_format(verbose=verbose, include_branches=True,
                                          include_doc=True, include_parents=True))


def _current_heads(config: Any, script: ScriptDirectory) -> tuple[str, ...]:
    from .database import read_current_heads

    return read_current_heads(config, script)


@command
def show(config: Any, rev: str, as_json: bool = False) -> None:
    """Show the revision(s) denoted by the given symbol.

    :param rev: string revision target ('current' reads the database)
    :param as_json: print one JSON document (schema: show.json)
    """
    script = ScriptDirectory.from_config(config)
    if rev == "current":
        # Alembic prints only the log entries here (no "Current revision(s) for" header)
        view = script.database_view(_current_heads(config, script))
        revs = view.script.get_revisions(view.heads)
    else:
        revs = script.get_revisions(rev)
    if as_json:
        from .jsonout import emit, revision_dict

        emit(config, {"revisions": [revision_dict(sc) for sc in revs if sc is not None]})
        return
    for sc in revs:
        config.print_stdout(sc.log_entry)


@command
def edit(config: Any, rev: str) -> None:
    """Edit revision script(s) using $EDITOR.

    :param rev: string revision target ('current' reads the database)
    """
    script = ScriptDirectory.from_config(config)
    if rev == "current":
        view = script.database_view(_current_heads(config, script))
        revs = view.script.get_revisions(view.heads)
        if not revs:
            raise CommandError("No current revisions")
    else:
        revs = script.get_revisions(rev)
        if not revs:
            raise CommandError(f"No revision files indicated by symbol {rev!r}")
    from .. import util

    for sc in revs:
        util.open_in_editor(sc.path)  # looked up at call time, as Alembic's (patchable)
