"""Passwords never appear in output: ``current -v``, ``config``, and wrapped driver errors.

The PostgreSQL server runs with trust authentication, so a URL carrying the password
``S3cr@t`` (``S3cr%40t`` in the URL, ``S3cr%%40t`` in the ini) still connects; the
password must not show up in any form.
"""

from __future__ import annotations

import pytest

cli = pytest.importorskip("alembic_django.cli")

PASSWORD = "S3cr@t"
FORMS = ("S3cr", "%40t")  # the password's start, and its URL-encoded tail


def with_password(url: str, database: str | None = None) -> str:
    from sqlalchemy.engine import make_url

    u = make_url(url).set(password=PASSWORD)
    if database:
        u = u.set(database=database)
    return u.render_as_string(hide_password=False)


def project(tmp_path, url: str):
    mig = tmp_path / "mig"
    (mig / "versions").mkdir(parents=True)
    (mig / "env.py").write_text(
        "from sqlalchemy import engine_from_config, pool\n"
        "from alembic_django import context\n"
        "config = context.config\n"
        "engine = engine_from_config(config.get_section(config.config_ini_section, {}),\n"
        "                            prefix='sqlalchemy.', poolclass=pool.NullPool)\n"
        "with engine.connect() as connection:\n"
        "    context.configure(connection=connection)\n"
        "    with context.begin_transaction():\n"
        "        context.run_migrations()\n")
    (mig / "versions" / "aaaa1111_x.py").write_text(
        '"""x"""\nrevision = "aaaa1111"\ndown_revision = None\n'
        "branch_labels = None\ndepends_on = None\n\n"
        "def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n")
    ini = tmp_path / "alembic.ini"
    ini.write_text(f"[alembic]\nscript_location = %(here)s/mig\n"
                   f"sqlalchemy.url = {url.replace('%', '%%')}\n")
    return str(ini)


def run_cli(argv, capsys):
    try:
        code = cli.main(argv)
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return (0 if code is None else code), out.out + out.err


def assert_no_password(output: str) -> None:
    for form in FORMS:
        assert form not in output, f"password ({form!r}) leaked:\n{output}"


@pytest.mark.parametrize("argv", [["upgrade", "heads"], ["current", "-v"], ["config"],
                                  ["history", "-i"]], ids=lambda a: " ".join(a))
def test_password_hidden(postgresql_url, tmp_path, capsys, argv):
    ini = project(tmp_path, with_password(postgresql_url))
    code, output = run_cli(["-c", ini, *argv], capsys)
    assert code == 0, output
    assert_no_password(output)
    if argv[0] in ("current", "config"):
        assert "***" in output, "the URL is shown, masked"


def test_password_hidden_in_wrapped_driver_error(postgresql_url, tmp_path, capsys):
    ini = project(tmp_path, with_password(postgresql_url, database="no_such_db_for_secrets"))
    code, output = run_cli(["-c", ini, "current", "-v"], capsys)
    assert code != 0
    assert "no_such_db_for_secrets" in output, output
    assert "Traceback" not in output
    assert_no_password(output)
