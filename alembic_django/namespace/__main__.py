"""Run a program with ``import alembic`` resolving to this engine.

::

    python -m alembic_django.namespace flask db upgrade     # a console script
    python -m alembic_django.namespace -m pytest tests/     # a module, as python -m
"""

from __future__ import annotations

import importlib.metadata
import runpy
import sys

from . import install

USAGE = ("usage: python -m alembic_django.namespace (CONSOLE_SCRIPT | -m MODULE) [ARGS ...]\n"
         "runs the program with `import alembic` resolving to alembic-django's engine\n")


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        sys.stdout.write(USAGE)
        return 0 if args else 2
    install()
    if args[0] == "-m":
        if len(args) < 2:
            sys.stderr.write(USAGE)
            return 2
        sys.argv = args[1:]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
        return 0
    name = args[0]
    found = [ep for ep in importlib.metadata.entry_points(group="console_scripts")
             if ep.name == name]
    if not found:
        sys.stderr.write(f"no console script named {name!r} is installed\n")
        return 2
    sys.argv = args
    result = found[0].load()()
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
