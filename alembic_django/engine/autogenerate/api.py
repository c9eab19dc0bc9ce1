"""Public autogenerate API (Alembic's ``alembic.autogenerate`` functions).

* :func:`compare_metadata` – the differences as Alembic's diff tuples;
* :func:`produce_migrations` – a :class:`MigrationScript` (upgrade ops + reversed downgrade);
* :func:`render_python_code` – the Python text of an ``UpgradeOps`` / ``DowngradeOps``;
* :func:`generate_script_ops` – what ``revision --autogenerate`` needs: the rendered
  upgrade / downgrade bodies and imports, after ``process_revision_directives``;
* :func:`check` – the diffs ``check`` reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any

from ..operations import ops
from . import compare, render
from .context import AutogenContext


def compare_metadata(context: Any, metadata: Any) -> list[Any]:
    """Compare ``metadata`` (a MetaData or a list of them) with the database of
    ``context`` and return the diff tuples, e.g. ``("add_table", Table)``,
    ``("remove_column", schema, tname, Column)``, ``("modify_nullable", schema,
    tname, cname, existing_kw, old, new)``.  As in Alembic, the changes to one
    column come as one list of ``modify_*`` tuples."""
    actx = AutogenContext(context, metadata=metadata)
    upgrade_ops = ops.UpgradeOps([])
    compare.produce_net_changes(actx, upgrade_ops)  # no downgrade needed for diffs
    return list(flatten_diffs(upgrade_ops))


def flatten_diffs(container: Any) -> Iterable[Any]:
    for op in container.ops:
        if isinstance(op, ops.OpContainer):
            yield from flatten_diffs(op)
            continue
        diff = op.to_diff_tuple()
        if diff:
            yield diff  # a list for the changes to one column (Alembic's shape)


def produce_migrations(context: Any, metadata: Any) -> Any:
    """A ``MigrationScript`` whose upgrade ops bring the database to ``metadata``."""
    actx = AutogenContext(context, metadata=metadata)
    script = ops.MigrationScript(rev_id=None, upgrade_ops=ops.UpgradeOps([]),
                                 downgrade_ops=ops.DowngradeOps([]))
    populate_migration_script(actx, script)
    return script


def populate_migration_script(actx: AutogenContext, script: Any) -> None:
    upgrade_ops = script.upgrade_ops_list[-1]
    downgrade_ops = script.downgrade_ops_list[-1]
    compare.produce_net_changes(actx, upgrade_ops)
    from .report import log_diffs

    log_diffs(flatten_diffs(upgrade_ops))
    upgrade_ops.reverse_into(downgrade_ops)


def render_python_code(up_or_down_op: Any, sqlalchemy_module_prefix: str = "sa.",
                       alembic_module_prefix: str = "op.", render_as_batch: bool = False,
                       imports: Sequence[str] = (), render_item: Any = None,
                       migration_context: Any = None,
                       user_module_prefix: str | None = None) -> str:
    """Render an ``UpgradeOps`` / ``DowngradeOps`` as Python source (Alembic's
    function of that name: the first line unindented, the others by four spaces)."""
    opts = {
        "sqlalchemy_module_prefix": sqlalchemy_module_prefix,
        "alembic_module_prefix": alembic_module_prefix,
        "render_item": render_item,
        "render_as_batch": render_as_batch,
        "user_module_prefix": user_module_prefix,
    }
    if migration_context is None:
        from sqlalchemy.engine.default import DefaultDialect

        migration_context = SimpleNamespace(bind=None, dialect=DefaultDialect(), opts={})
    actx = AutogenContext(migration_context, opts=opts, autogenerate=False)
    actx.imports = set(imports)
    return render.indent(render.render_cmd_body(up_or_down_op, actx))


def render_migration_script(actx: AutogenContext, script: Any) -> dict[str, Any]:
    """The template arguments of ``script``: one entry per upgrade / downgrade token
    plus ``imports`` (a newline-joined, sorted string)."""
    imports = set(getattr(script, "imports", None) or ())
    actx.imports = imports
    out: dict[str, Any] = {}
    for up in script.upgrade_ops_list:
        out[getattr(up, "upgrade_token", "upgrades")] = render.indent(
            render.render_cmd_body(up, actx))
    for down in script.downgrade_ops_list:
        out[getattr(down, "downgrade_token", "downgrades")] = render.indent(
            render.render_cmd_body(down, actx))
    out["imports"] = "\n".join(sorted(imports))
    return out


def run_revision_directives(context: Any, revision: Any, directives: list[Any]) -> list[Any]:
    hook = (getattr(context, "opts", None) or {}).get("process_revision_directives")
    if hook is not None:
        hook(context, revision, directives)
    return directives


def produce_revision_directives(context: Any, metadata: Any = None, revision: Any = (),
                                directives: list[Any] | None = None,
                                **script_kw: Any) -> list[Any]:
    """Autogenerate into a list of ``MigrationScript`` and pass it through the
    ``process_revision_directives`` hook (which may edit, replace or empty it).

    ``script_kw`` (``rev_id``, ``message``, ``head``, ``splice``, ``branch_label``,
    ``version_path``, ``depends_on``) fill a new script, so the hook sees them.  Pass
    the ``directives`` of an earlier call to add this context's ops to the same script
    under its ``upgrade_token`` / ``downgrade_token`` (the multidb template: one env.py
    run per engine, one revision file).
    """
    opts = getattr(context, "opts", None) or {}
    up_token = opts.get("upgrade_token") or "upgrades"
    down_token = opts.get("downgrade_token") or "downgrades"
    if directives:
        script = directives[-1]
        script.upgrade_ops_list.append(ops.UpgradeOps([], upgrade_token=up_token))
        script.downgrade_ops_list.append(ops.DowngradeOps([], downgrade_token=down_token))
    else:
        script = ops.MigrationScript(
            script_kw.pop("rev_id", None), ops.UpgradeOps([], upgrade_token=up_token),
            ops.DowngradeOps([], downgrade_token=down_token), **script_kw)
        directives = [script]
    actx = AutogenContext(context, metadata=metadata)
    populate_migration_script(actx, script)
    return run_revision_directives(context, revision, directives)


def generate_script_ops(context: Any, metadata: Any = None, revision: Any = (),
                        **script_kw: Any) -> tuple[str | None, str | None, set, Any]:
    """What ``revision --autogenerate`` writes: ``(upgrades, downgrades, imports, script)``.

    ``upgrades`` / ``downgrades`` are the function bodies (first line unindented, as
    the template puts them after four spaces); ``imports`` the import lines the
    rendered code needs (also stored as ``script.imports``); ``script`` the
    ``MigrationScript`` after ``process_revision_directives`` (whose ``rev_id`` /
    ``message`` / ... the hook may have changed).  When the hook empties the
    directives list, returns ``(None, None, set(), None)``: no file should be written.
    """
    directives = produce_revision_directives(context, metadata, revision, **script_kw)
    if not directives:
        return None, None, set(), None
    script = directives[0]
    actx = AutogenContext(context, metadata=metadata, autogenerate=False)
    args = render_migration_script(actx, script)
    ups = [args[getattr(u, "upgrade_token", "upgrades")] for u in script.upgrade_ops_list]
    downs = [args[getattr(d, "downgrade_token", "downgrades")]
             for d in script.downgrade_ops_list]
    imports = set(actx.imports)
    script.imports = imports
    return "\n\n".join(ups), "\n\n".join(downs), imports, script


def check(context: Any, metadata: Any = None) -> list[Any]:
    """The diffs ``check`` reports (an empty list when the database matches), each also
    logged as a ``Detected ...`` line, as Alembic's ``check`` does."""
    from .report import log_diffs

    diffs = compare_metadata(context, metadata)
    log_diffs(diffs)
    return diffs
