"""Verbs that create and describe an environment: init, list_templates, config."""

from __future__ import annotations

import os
from typing import Any

from ..config import Config, mask_password
from ..errors import CommandError
from ..registry import command
from ..util.files import write_atomic


def _templates(config: Config) -> dict[str, str]:
    root = config.get_template_directory()
    found = {}
    for name in sorted(os.listdir(root)):
        readme = os.path.join(root, name, "README")
        if os.path.isfile(readme):
            with open(readme, encoding="utf-8") as fh:
                found[name] = fh.readline().strip()
    return found


@command(needs_config=False)
def list_templates(config: Config) -> None:
    """List available templates."""
    config.print_stdout("Available templates:\n")
    for name, synopsis in _templates(config).items():
        config.print_stdout("%s - %s", name, synopsis)
    config.print_stdout("\nTemplates are used via the 'init' command, e.g.:")
    config.print_stdout("\n  alembic-django init --template generic ./scripts")


def _render(path: str, **kw: Any) -> str:
    from mako.template import Template

    return Template(filename=path).render_unicode(**kw)


@command(needs_config=False)
def init(config: Config, directory: str, template: str = "generic", package: bool = False) -> None:
    """Initialize a new scripts directory.

    :param directory: location of scripts directory
    :param template: string name of the migration environment template to use
        (see list_templates; default generic)
    :param package: write empty __init__.py files to the environment and version
        locations
    """
    templates = _templates(config)
    if template not in templates:
        raise CommandError(
            f"No such template {template!r}; available: {', '.join(templates)}"
        )
    template_dir = os.path.join(config.get_template_directory(), template)
    directory = os.path.abspath(directory)
    if os.path.exists(directory) and os.listdir(directory):
        raise CommandError(f"Directory {directory} already exists and is not empty")

    ini_path = os.path.abspath(config.config_file_name or "alembic.ini")
    base = os.path.dirname(ini_path)
    toml_path = os.path.abspath(config.toml_file_name or os.path.join(base, "pyproject.toml"))
    rel = os.path.relpath(directory, base)
    script_location = "%(here)s/" + rel.replace(os.sep, "/") if not rel.startswith("..") else directory

    files = sorted(os.listdir(template_dir))
    has_toml = "pyproject.toml.mako" in files
    toml_text = None
    if has_toml:
        toml_text = _render(os.path.join(template_dir, "pyproject.toml.mako"),
                            script_location=script_location)
        if os.path.exists(toml_path):
            with open(toml_path, encoding="utf-8") as fh:
                existing = fh.read()
            if "[tool.alembic]" in existing:
                raise CommandError(f"{toml_path} already has a [tool.alembic] section")
    ini_text = None
    ini_exists = os.path.exists(ini_path)
    if "alembic.ini.mako" in files and not ini_exists:
        ini_text = _render(os.path.join(template_dir, "alembic.ini.mako"),
                           script_location=script_location)

    for d in (directory, os.path.join(directory, "versions")):
        if not os.path.exists(d):
            os.makedirs(d)
        config.print_stdout("Creating directory %s ...  done", d)
    if package:
        for d in (directory, os.path.join(directory, "versions")):
            path = os.path.join(d, "__init__.py")
            write_atomic(path, "")
            config.print_stdout("Generating %s ...  done", path)
    if toml_text is not None:
        if os.path.exists(toml_path):
            with open(toml_path, "a", encoding="utf-8") as fh:
                fh.write("\n" + toml_text)
            config.print_stdout("Appending to %s ...  done", toml_path)
        else:
            write_atomic(toml_path, toml_text)
            config.print_stdout("Generating %s ...  done", toml_path)
    if ini_text is not None:
        write_atomic(ini_path, ini_text)
        config.print_stdout("Generating %s ...  done", ini_path)
    elif ini_exists and "alembic.ini.mako" in files:
        config.print_stdout("File %s already exists, skipping", ini_path)
    for name in files:
        src = os.path.join(template_dir, name)
        if name in ("alembic.ini.mako", "pyproject.toml.mako") or not os.path.isfile(src):
            continue
        if name.endswith((".pyc", ".pyo")):
            continue
        dest = os.path.join(directory, name)
        with open(src, encoding="utf-8") as fh:
            write_atomic(dest, fh.read())
        config.print_stdout("Generating %s ...  done", dest)
    edits = []  # Alembic's wording: paths unquoted
    if toml_text is not None:
        edits.append(f"configuration settings in {toml_path}")
    if ini_text is not None or ini_exists:
        edits.append(f"configuration/connection/logging settings in {ini_path}")
    if edits:
        config.print_stdout("Please edit %s before proceeding.", " and ".join(edits))


@command(name="config")
def config(config: Config) -> None:
    """Show every effective configuration key, its value and where it came from.

    Precedence, highest first: settings mapping, ini section, pyproject.toml
    [tool.alembic], built-in defaults.  Passwords are masked.
    """
    sources = []
    if config._mapping.loaded:
        # ("default": a mapping key filled with its default, covered by "defaults")
        sources.extend(o for o in config._mapping.origins() if o != "default")
    if config.ini_source.loaded:
        sources.append(f"{config.config_file_name} [{config.config_ini_section}]")
    if config.toml_source.loaded:
        sources.append(f"{config.toml_file_name} [tool.alembic]")
    sources.append("defaults")
    config.print_stdout("# sources, highest precedence first: %s", "; ".join(sources))
    from ..util.masking import is_secret_key

    secrets = config.known_secrets()
    for key, value, origin in config.effective_options():
        if isinstance(value, (list, tuple)):
            text = "[" + ", ".join(repr(os.fspath(v) if hasattr(v, "__fspath__") else v) for v in value) + "]"
        elif isinstance(value, dict):
            text = repr(value)
        elif isinstance(value, bool):
            text = "true" if value else "false"
        else:
            text = str(os.fspath(value) if hasattr(value, "__fspath__") else value)
        if is_secret_key(key) and text:
            text = "***"
        text = mask_password(text, secrets)
        config.print_stdout("%s = %s    # %s", key, text, origin)
