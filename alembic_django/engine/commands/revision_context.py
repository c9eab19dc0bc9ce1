"""What ``revision`` does between parsing its options and writing files.

Without a database it renders one empty revision.  With ``--autogenerate`` (or
``revision_environment``) it runs env.py; each ``run_migrations()`` call adds its
ops to one ``MigrationScript`` (the multidb template calls it once per engine,
under its own upgrade/downgrade tokens).  The directives then go through the
``process_revision_directives`` hooks (the one given to ``configure()`` and the one
given to the command), and one file is written per ``MigrationScript`` left.
"""

from __future__ import annotations

from typing import Any

from ..errors import CommandError


class RevisionContext:
    def __init__(self, config: Any, script: Any, args: dict[str, Any],
                 process_revision_directives: Any = None) -> None:
        self.config = config
        self.script = script
        self.args = args
        self.process_revision_directives = process_revision_directives
        self.template_args: dict[str, Any] = {"config": config}
        self.directives: list | None = None
        self.rendered: list[dict[str, Any]] | None = None

    def _script_kw(self) -> dict[str, Any]:
        a = self.args
        return {"rev_id": a.get("rev_id"), "message": a.get("message"), "head": a.get("head"),
                "splice": a.get("splice"), "branch_label": a.get("branch_label"),
                "version_path": a.get("version_path"), "depends_on": a.get("depends_on")}

    def run_environment(self, autogenerate: bool, sql: bool) -> None:
        from ..runtime.environment import EnvironmentContext

        def fn(heads: Any, context: Any) -> list:
            if autogenerate and set(self.script.database_view(heads).heads) != set(
                    self.script.get_heads()):
                raise CommandError("Target database is not up to date.")
            self._collect(context, heads, autogenerate)
            return []

        with EnvironmentContext(self.config, self.script, fn=fn, as_sql=sql,
                                template_args=self.template_args, _mutates=False):
            self.script.run_env()
        self._finish()

    def _collect(self, context: Any, heads: Any, autogenerate: bool) -> None:
        from ..autogenerate import api
        from ..autogenerate.context import AutogenContext
        from ..operations import ops

        opts = context.opts
        self._autogenerate = autogenerate
        self._last_context = context
        self._revision_tuple = tuple(heads), self.args.get("rev_id")
        if autogenerate:
            if opts.get("target_metadata") is None:
                raise CommandError(
                    "Can't proceed with --autogenerate option; environment script "
                    f"{self.script.env_py_location} does not provide a MetaData object or "
                    "sequence of objects to the context."
                )
            kw = {} if self.directives else self._script_kw()
            saved = opts.pop("process_revision_directives", None)
            try:  # hooks run once, after every run_migrations() call has added its ops
                self.directives = api.produce_revision_directives(
                    context, None, self._revision_tuple, directives=self.directives, **kw)
            finally:
                if saved is not None:
                    opts["process_revision_directives"] = saved
        else:
            up = ops.UpgradeOps([], upgrade_token=opts.get("upgrade_token") or "upgrades")
            down = ops.DowngradeOps([], downgrade_token=opts.get("downgrade_token")
                                    or "downgrades")
            if self.directives:
                self.directives[-1].upgrade_ops_list.append(up)
                self.directives[-1].downgrade_ops_list.append(down)
            else:
                kw = self._script_kw()
                self.directives = [ops.MigrationScript(kw.pop("rev_id"), up, down, **kw)]
        self._hooks = [h for h in (opts.get("process_revision_directives"),
                                   self.process_revision_directives) if h is not None]
        self._actx = AutogenContext(context, autogenerate=False)

    def _finish(self) -> None:
        if self.directives is None:
            return  # env.py never called run_migrations()
        from ..autogenerate import api

        for hook in self._hooks:
            hook(self._last_context, self._revision_tuple, self.directives)
        if self._autogenerate and self.args.get("message") is None:
            self._name_from_operations()
        self.rendered = []
        for directive in self.directives:
            args = api.render_migration_script(self._actx, directive)
            self.rendered.append({
                "rev_id": directive.rev_id or self.args.get("rev_id"),
                "message": directive.message, "head": directive.head,
                "splice": directive.splice, "branch_label": directive.branch_label,
                "version_path": directive.version_path, "depends_on": directive.depends_on,
                "template_args": args,
            })

    def _name_from_operations(self) -> None:
        """``revision --autogenerate`` without ``-m``: name each revision after what
        was detected (see :mod:`..autogenerate.naming`)."""
        from ..autogenerate.naming import suggest_name
        from ..script.generate import create_date

        when = create_date(self.script.timezone)
        for directive in self.directives or ():
            if directive.message is not None:
                continue  # a process_revision_directives hook named it
            head = directive.head or self.args.get("head") or "head"
            try:
                initial = not [r for r in self.script.get_revisions(head) if r is not None]
            except CommandError:
                initial = False
            directive.message = suggest_name(directive.upgrade_ops_list, initial=initial,
                                             when=when)

    def generate_scripts(self) -> list:
        if self.rendered is None:
            args = self.args
            return [self.script.generate_revision(
                args["rev_id"], args.get("message"), head=args.get("head"),
                splice=args.get("splice"), branch_labels=args.get("branch_label"),
                version_path=args.get("version_path"), depends_on=args.get("depends_on"),
                **self.template_args,
            )]
        if not self.rendered:
            return []  # a process_revision_directives hook emptied the directives
        out = []
        for item in self.rendered:
            kw = dict(self.template_args)
            kw.update(item["template_args"])
            out.append(self.script.generate_revision(
                item["rev_id"], item.get("message"), head=item.get("head") or "head",
                splice=item.get("splice"), branch_labels=item.get("branch_label"),
                version_path=item.get("version_path"), depends_on=item.get("depends_on"),
                **kw,
            ))
        return out
