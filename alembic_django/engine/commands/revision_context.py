"""What ``revision`` does between parsing its options and writing files.

Without a database it renders one empty revision.  With ``--autogenerate`` (or
``revision_environment``) it runs env.py, lets autogenerate fill the op tree, and
passes the directives through ``process_revision_directives`` hooks before
writing one file per ``MigrationScript`` left.
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

    def _hooks(self, context: Any) -> list:
        hooks = []
        configured = context.opts.get("process_revision_directives") if context else None
        for hook in (configured, self.process_revision_directives):
            if hook is None:
                continue
            hooks.extend(hook if isinstance(hook, (list, tuple)) else [hook])
        return hooks

    def run_environment(self, autogenerate: bool, sql: bool) -> None:
        from ..runtime.environment import EnvironmentContext

        def fn(heads: Any, context: Any) -> list:
            if autogenerate:
                if set(heads) != set(self.script.get_heads()):
                    raise CommandError("Target database is not up to date.")
                self._autogenerate(context)
            else:
                self._empty(context)
            return []

        with EnvironmentContext(self.config, self.script, fn=fn, as_sql=sql,
                                template_args=self.template_args, _mutates=False):
            self.script.run_env()

    def _empty(self, context: Any) -> None:
        hooks = self._hooks(context)
        if not hooks:
            return
        from ..autogenerate import api

        self.rendered = api.run_revision_hooks(context, self._revision_tuple(), self.args, hooks,
                                               autogenerate=False)

    def _autogenerate(self, context: Any) -> None:
        try:
            from ..autogenerate import api
        except ImportError as exc:  # pragma: no cover
            raise CommandError(f"autogenerate is not available: {exc}") from exc
        if context.opts.get("target_metadata") is None:
            raise CommandError(
                "Can't proceed with --autogenerate option; environment script "
                f"{self.script.env_py_location} does not provide a MetaData object or sequence "
                "of objects to the context."
            )
        self.rendered = api.run_revision_hooks(context, self._revision_tuple(), self.args,
                                               self._hooks(context), autogenerate=True)

    def _revision_tuple(self) -> tuple:
        return (self.args.get("head"), self.args.get("rev_id"))

    def generate_scripts(self) -> list:
        if self.rendered is None:
            args = self.args
            return [self.script.generate_revision(
                args["rev_id"], args.get("message"), head=args.get("head"),
                splice=args.get("splice"), branch_labels=args.get("branch_label"),
                version_path=args.get("version_path"), depends_on=args.get("depends_on"),
                **self.template_args,
            )]
        out = []
        for item in self.rendered:
            kw = dict(self.template_args)
            kw.update(item.get("template_args", {}))
            out.append(self.script.generate_revision(
                item["rev_id"], item.get("message"), head=item.get("head"),
                splice=item.get("splice"), branch_labels=item.get("branch_label"),
                version_path=item.get("version_path"), depends_on=item.get("depends_on"),
                **kw,
            ))
        return out
