"""Golden-output parity with Alembic 1.20.1.

Every expected string below was captured from the real ``alembic`` command (1.20.1,
SQLAlchemy 2.1) run on the very project these tests build: an unmodified Alembic env.py
and script.py.mako, three bases (one with its own version location), branch labels, a
depends_on, a splice and a merge (the "Running with Multiple Bases" cookbook layout).
Alembic is not needed to run them.

Normalised before comparing: the project path (``<PROJ>``), timestamps (``<DATE>``),
Alembic's logged duplicate of ``FAILED`` lines (``ERROR [alembic.util.messaging]``), and
SQLite's "Will assume (non-)transactional DDL" line (we make pysqlite transactional on
purpose).  Where Alembic's output order comes from a Python set (``current`` with several
rows) the lines are compared sorted.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ENV_PY = 'from logging.config import fileConfig\n\nfrom sqlalchemy import engine_from_config\nfrom sqlalchemy import pool\n\nfrom alembic import context\n\nconfig = context.config\n\nif config.config_file_name is not None:\n    fileConfig(config.config_file_name)\n\ntarget_metadata = None\n\n\ndef run_migrations_offline() -> None:\n    url = config.get_main_option("sqlalchemy.url")\n    context.configure(\n        url=url,\n        target_metadata=target_metadata,\n        literal_binds=True,\n        dialect_opts={"paramstyle": "named"},\n    )\n\n    with context.begin_transaction():\n        context.run_migrations()\n\n\ndef run_migrations_online() -> None:\n    connectable = engine_from_config(\n        config.get_section(config.config_ini_section, {}),\n        prefix="sqlalchemy.",\n        poolclass=pool.NullPool,\n    )\n\n    with connectable.connect() as connection:\n        context.configure(\n            connection=connection, target_metadata=target_metadata\n        )\n\n        with context.begin_transaction():\n            context.run_migrations()\n\n\nif context.is_offline_mode():\n    run_migrations_offline()\nelse:\n    run_migrations_online()\n'

MAKO = '"""${message}\n\nRevision ID: ${up_revision}\nRevises: ${down_revision | comma,n}\nCreate Date: ${create_date}\n\n"""\nfrom typing import Sequence, Union\n\nfrom alembic import op\nimport sqlalchemy as sa\n${imports if imports else ""}\n\n# revision identifiers, used by Alembic.\nrevision: str = ${repr(up_revision)}\ndown_revision: Union[str, Sequence[str], None] = ${repr(down_revision)}\nbranch_labels: Union[str, Sequence[str], None] = ${repr(branch_labels)}\ndepends_on: Union[str, Sequence[str], None] = ${repr(depends_on)}\n\n\ndef upgrade() -> None:\n    """Upgrade schema."""\n    ${upgrades if upgrades else "pass"}\n\n\ndef downgrade() -> None:\n    """Downgrade schema."""\n    ${downgrades if downgrades else "pass"}\n'

INI = '[alembic]\nscript_location = %(here)s/migrations\nversion_locations = %(here)s/migrations/versions:%(here)s/model/networking\npath_separator = os\nsqlalchemy.url = {url}\n\n[loggers]\nkeys = root,sqlalchemy,alembic\n\n[handlers]\nkeys = console\n\n[formatters]\nkeys = generic\n\n[logger_root]\nlevel = WARNING\nhandlers = console\nqualname =\n\n[logger_sqlalchemy]\nlevel = WARNING\nhandlers =\nqualname = sqlalchemy.engine\n\n[logger_alembic]\nlevel = INFO\nhandlers =\nqualname = alembic\n\n[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\nlevel = NOTSET\nformatter = generic\n\n[formatter_generic]\nformat = %(levelname)-5.5s [%(name)s] %(message)s\ndatefmt = %H:%M:%S\n'

REVISIONS = [
    ["-m", "create account table", "--rev-id", "1975ea83b712",
     "--version-path=migrations/versions"],
    ["-m", "add a column", "--rev-id", "ae1027a6acf"],
    ["-m", "add another account column", "--rev-id", "55af2cb1c267"],
    ["-m", "create shopping cart table", "--head=base", "--branch-label=shoppingcart",
     "--rev-id", "2c5e0ec7a29b", "--version-path=migrations/versions"],
    ["-m", "add shopping cart table", "--head=shoppingcart@head", "--rev-id", "27c6a30d7c24",
     "--depends-on", "55af2cb1c267"],
    ["-m", "add a shopping cart column", "--head=shoppingcart@head", "--rev-id", "d747a8a8879"],
    ["-m", "create networking branch", "--head=base", "--branch-label=networking",
     "--version-path=model/networking", "--rev-id", "3cac04ae8714"],
    ["-m", "add ip number table", "--head=networking@head", "--rev-id", "109ec7d132bf"],
    ["-m", "add DNS table", "--head=networking@head", "--rev-id", "29f859a13ea"],
    ["-m", "branch a", "--head=ae1027a6acf", "--splice", "--rev-id", "aaaa11112222"],
]


def _norm(text: str, root: Path) -> str:
    text = text.replace(str(root), "<PROJ>")
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+", "<DATE>", text)
    text = text.replace("Will assume transactional DDL", "Will assume non-transactional DDL")
    return "".join(line for line in text.splitlines(True)
                   if not line.startswith("ERROR [alembic.util.messaging]"))


def _run(root: Path, args: list[str]) -> tuple[str, str, int]:
    proc = subprocess.run([sys.executable, "-m", "alembic_django", *args], cwd=root,
                          capture_output=True, text=True, timeout=120)
    return _norm(proc.stdout, root), _norm(proc.stderr, root), proc.returncode


def _build(root: Path) -> Path:
    (root / "migrations" / "versions").mkdir(parents=True)
    (root / "model" / "networking").mkdir(parents=True)
    (root / "migrations" / "env.py").write_text(ENV_PY)
    (root / "migrations" / "script.py.mako").write_text(MAKO)
    (root / "alembic.ini").write_text(INI.replace("{url}", "sqlite:///%(here)s/t.db"))
    for args in REVISIONS:
        out, err, code = _run(root, ["revision", *args])
        assert code == 0, (args, out, err)
    out, err, code = _run(root, ["merge", "-m", "merge them", "55af2cb1c267", "aaaa11112222",
                                 "--rev-id", "bbbb33334444"])
    assert code == 0, (out, err)
    assert out == "Generating <PROJ>/migrations/versions/bbbb33334444_merge_them.py ...  done\n"
    return root


@pytest.fixture(scope="module")
def template_project(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("parity") / "proj")


@pytest.fixture
def project(template_project, tmp_path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(template_project, root)
    return root


def _same(got: tuple[str, str, int], expected: tuple[str, str, int], args: list[str]) -> None:
    out, err, code = got
    exp_out, exp_err, exp_code = expected
    if args[0] == "current" and exp_out.count("\n") > 1:  # Alembic prints a set
        out, exp_out = sorted(out.splitlines()), sorted(exp_out.splitlines())
    assert (out, err, code) == (exp_out, exp_err, exp_code)

REVISION_FILES = {
    'migrations/versions/27c6a30d7c24_add_shopping_cart_table.py': (
        '"""add shopping cart table\n'
        '\n'
        'Revision ID: 27c6a30d7c24\n'
        'Revises: 2c5e0ec7a29b\n'
        'Create Date: <DATE>\n'
        '\n'
        '"""\n'
        'from typing import Sequence, Union\n'
        '\n'
        'from alembic import op\n'
        'import sqlalchemy as sa\n'
        '\n'
        '\n'
        '# revision identifiers, used by Alembic.\n'
        "revision: str = '27c6a30d7c24'\n"
        "down_revision: Union[str, Sequence[str], None] = '2c5e0ec7a29b'\n"
        'branch_labels: Union[str, Sequence[str], None] = None\n'
        "depends_on: Union[str, Sequence[str], None] = '55af2cb1c267'\n"
        '\n'
        '\n'
        'def upgrade() -> None:\n'
        '    """Upgrade schema."""\n'
        '    pass\n'
        '\n'
        '\n'
        'def downgrade() -> None:\n'
        '    """Downgrade schema."""\n'
        '    pass\n'
    ),
    'migrations/versions/bbbb33334444_merge_them.py': (
        '"""merge them\n'
        '\n'
        'Revision ID: bbbb33334444\n'
        'Revises: 55af2cb1c267, aaaa11112222\n'
        'Create Date: <DATE>\n'
        '\n'
        '"""\n'
        'from typing import Sequence, Union\n'
        '\n'
        'from alembic import op\n'
        'import sqlalchemy as sa\n'
        '\n'
        '\n'
        '# revision identifiers, used by Alembic.\n'
        "revision: str = 'bbbb33334444'\n"
        "down_revision: Union[str, Sequence[str], None] = ('55af2cb1c267', 'aaaa11112222')\n"
        'branch_labels: Union[str, Sequence[str], None] = None\n'
        'depends_on: Union[str, Sequence[str], None] = None\n'
        '\n'
        '\n'
        'def upgrade() -> None:\n'
        '    """Upgrade schema."""\n'
        '    pass\n'
        '\n'
        '\n'
        'def downgrade() -> None:\n'
        '    """Downgrade schema."""\n'
        '    pass\n'
    ),
    'model/networking/3cac04ae8714_create_networking_branch.py': (
        '"""create networking branch\n'
        '\n'
        'Revision ID: 3cac04ae8714\n'
        'Revises: \n'
        'Create Date: <DATE>\n'
        '\n'
        '"""\n'
        'from typing import Sequence, Union\n'
        '\n'
        'from alembic import op\n'
        'import sqlalchemy as sa\n'
        '\n'
        '\n'
        '# revision identifiers, used by Alembic.\n'
        "revision: str = '3cac04ae8714'\n"
        'down_revision: Union[str, Sequence[str], None] = None\n'
        "branch_labels: Union[str, Sequence[str], None] = ('networking',)\n"
        'depends_on: Union[str, Sequence[str], None] = None\n'
        '\n'
        '\n'
        'def upgrade() -> None:\n'
        '    """Upgrade schema."""\n'
        '    pass\n'
        '\n'
        '\n'
        'def downgrade() -> None:\n'
        '    """Downgrade schema."""\n'
        '    pass\n'
    ),
}


@pytest.mark.parametrize("path", sorted(REVISION_FILES))
def test_revision_file_text_matches_alembic(template_project, path):
    text = (template_project / path).read_text()
    assert re.sub(r"Create Date: .*", "Create Date: <DATE>", text) == REVISION_FILES[path]


READONLY = [
    (['heads'],
     'bbbb33334444 (head)\nd747a8a8879 (shoppingcart) (head)\n29f859a13ea (networking) (head)\n',
     '', 0),
    (['heads', '-v'],
     'Rev: bbbb33334444 (head) (mergepoint)\nMerges: 55af2cb1c267, aaaa11112222\nPath: <PROJ>/migrations/versions/bbbb33334444_merge_them.py\n\n    merge them\n    \n    Revision ID: bbbb33334444\n    Revises: 55af2cb1c267, aaaa11112222\n    Create Date: <DATE>\n\nRev: d747a8a8879 (head)\nParent: 27c6a30d7c24\nBranch names: shoppingcart\nPath: <PROJ>/migrations/versions/d747a8a8879_add_a_shopping_cart_column.py\n\n    add a shopping cart column\n    \n    Revision ID: d747a8a8879\n    Revises: 27c6a30d7c24\n    Create Date: <DATE>\n\nRev: 29f859a13ea (head)\nParent: 109ec7d132bf\nBranch names: networking\nPath: <PROJ>/model/networking/29f859a13ea_add_dns_table.py\n\n    add DNS table\n    \n    Revision ID: 29f859a13ea\n    Revises: 109ec7d132bf\n    Create Date: <DATE>\n\n',
     '', 0),
    (['heads', '--resolve-dependencies'],
     'bbbb33334444 (head)\nd747a8a8879 (shoppingcart) (head)\n29f859a13ea (networking) (head)\n',
     '', 0),
    (['heads', '-v', '--resolve-dependencies'],
     'Rev: bbbb33334444 (head) (mergepoint)\nMerges: 55af2cb1c267, aaaa11112222\nPath: <PROJ>/migrations/versions/bbbb33334444_merge_them.py\n\n    merge them\n    \n    Revision ID: bbbb33334444\n    Revises: 55af2cb1c267, aaaa11112222\n    Create Date: <DATE>\n\nRev: d747a8a8879 (head)\nParent: 27c6a30d7c24\nBranch names: shoppingcart\nPath: <PROJ>/migrations/versions/d747a8a8879_add_a_shopping_cart_column.py\n\n    add a shopping cart column\n    \n    Revision ID: d747a8a8879\n    Revises: 27c6a30d7c24\n    Create Date: <DATE>\n\nRev: 29f859a13ea (head)\nParent: 109ec7d132bf\nBranch names: networking\nPath: <PROJ>/model/networking/29f859a13ea_add_dns_table.py\n\n    add DNS table\n    \n    Revision ID: 29f859a13ea\n    Revises: 109ec7d132bf\n    Create Date: <DATE>\n\n',
     '', 0),
    (['history'],
     '55af2cb1c267, aaaa11112222 -> bbbb33334444 (head) (mergepoint), merge them\n27c6a30d7c24 -> d747a8a8879 (shoppingcart) (head), add a shopping cart column\n2c5e0ec7a29b (55af2cb1c267) -> 27c6a30d7c24 (shoppingcart), add shopping cart table\n<base> -> 2c5e0ec7a29b (shoppingcart), create shopping cart table\nae1027a6acf -> 55af2cb1c267, add another account column\nae1027a6acf -> aaaa11112222, branch a\n109ec7d132bf -> 29f859a13ea (networking) (head), add DNS table\n3cac04ae8714 -> 109ec7d132bf (networking), add ip number table\n<base> -> 3cac04ae8714 (networking), create networking branch\n1975ea83b712 -> ae1027a6acf (branchpoint), add a column\n<base> -> 1975ea83b712, create account table\n',
     '', 0),
    (['history', '-r', 'networking@base:'],
     '109ec7d132bf -> 29f859a13ea (networking) (head), add DNS table\n3cac04ae8714 -> 109ec7d132bf (networking), add ip number table\n<base> -> 3cac04ae8714 (networking), create networking branch\n',
     '', 0),
    (['history', '-r', ':networking@head'],
     '109ec7d132bf -> 29f859a13ea (networking) (head), add DNS table\n3cac04ae8714 -> 109ec7d132bf (networking), add ip number table\n<base> -> 3cac04ae8714 (networking), create networking branch\n',
     '', 0),
    (['history', '-r', ':head'],
     "FAILED: Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads\n",
     '', 255),
    (['history', '-r', '1975ea:ae1027'],
     '1975ea83b712 -> ae1027a6acf (branchpoint), add a column\n<base> -> 1975ea83b712, create account table\n',
     '', 0),
    (['history', '-r', 'ae1027:'],
     '55af2cb1c267, aaaa11112222 -> bbbb33334444 (head) (mergepoint), merge them\nae1027a6acf -> 55af2cb1c267, add another account column\nae1027a6acf -> aaaa11112222, branch a\n1975ea83b712 -> ae1027a6acf (branchpoint), add a column\n',
     '', 0),
    (['history', '-r', 'shoppingcart@base:'],
     '27c6a30d7c24 -> d747a8a8879 (shoppingcart) (head), add a shopping cart column\n2c5e0ec7a29b (55af2cb1c267) -> 27c6a30d7c24 (shoppingcart), add shopping cart table\n<base> -> 2c5e0ec7a29b (shoppingcart), create shopping cart table\nae1027a6acf -> 55af2cb1c267, add another account column\n1975ea83b712 -> ae1027a6acf (branchpoint), add a column\n<base> -> 1975ea83b712, create account table\n',
     '', 0),
    (['history', '-v', '-r', 'networking@base:'],
     'Rev: 29f859a13ea (head)\nParent: 109ec7d132bf\nBranch names: networking\nPath: <PROJ>/model/networking/29f859a13ea_add_dns_table.py\n\n    add DNS table\n    \n    Revision ID: 29f859a13ea\n    Revises: 109ec7d132bf\n    Create Date: <DATE>\n\nRev: 109ec7d132bf\nParent: 3cac04ae8714\nBranch names: networking\nPath: <PROJ>/model/networking/109ec7d132bf_add_ip_number_table.py\n\n    add ip number table\n    \n    Revision ID: 109ec7d132bf\n    Revises: 3cac04ae8714\n    Create Date: <DATE>\n\nRev: 3cac04ae8714\nParent: <base>\nBranch names: networking\nPath: <PROJ>/model/networking/3cac04ae8714_create_networking_branch.py\n\n    create networking branch\n    \n    Revision ID: 3cac04ae8714\n    Revises: \n    Create Date: <DATE>\n\n',
     '', 0),
    (['show', '1975ea83b712'],
     'Rev: 1975ea83b712\nParent: <base>\nPath: <PROJ>/migrations/versions/1975ea83b712_create_account_table.py\n\n    create account table\n    \n    Revision ID: 1975ea83b712\n    Revises: \n    Create Date: <DATE>\n\n',
     '', 0),
    (['show', 'bbbb33334444'],
     'Rev: bbbb33334444 (head) (mergepoint)\nMerges: 55af2cb1c267, aaaa11112222\nPath: <PROJ>/migrations/versions/bbbb33334444_merge_them.py\n\n    merge them\n    \n    Revision ID: bbbb33334444\n    Revises: 55af2cb1c267, aaaa11112222\n    Create Date: <DATE>\n\n',
     '', 0),
    (['show', '27c6a30d7c24'],
     'Rev: 27c6a30d7c24\nParent: 2c5e0ec7a29b\nAlso depends on: 55af2cb1c267\nBranch names: shoppingcart\nPath: <PROJ>/migrations/versions/27c6a30d7c24_add_shopping_cart_table.py\n\n    add shopping cart table\n    \n    Revision ID: 27c6a30d7c24\n    Revises: 2c5e0ec7a29b\n    Create Date: <DATE>\n\n',
     '', 0),
    (['show', 'networking'],
     'Rev: 3cac04ae8714\nParent: <base>\nBranch names: networking\nPath: <PROJ>/model/networking/3cac04ae8714_create_networking_branch.py\n\n    create networking branch\n    \n    Revision ID: 3cac04ae8714\n    Revises: \n    Create Date: <DATE>\n\n',
     '', 0),
    (['show', 'networking@head'],
     'Rev: 29f859a13ea (head)\nParent: 109ec7d132bf\nBranch names: networking\nPath: <PROJ>/model/networking/29f859a13ea_add_dns_table.py\n\n    add DNS table\n    \n    Revision ID: 29f859a13ea\n    Revises: 109ec7d132bf\n    Create Date: <DATE>\n\n',
     '', 0),
    (['show', 'heads'],
     'Rev: bbbb33334444 (head) (mergepoint)\nMerges: 55af2cb1c267, aaaa11112222\nPath: <PROJ>/migrations/versions/bbbb33334444_merge_them.py\n\n    merge them\n    \n    Revision ID: bbbb33334444\n    Revises: 55af2cb1c267, aaaa11112222\n    Create Date: <DATE>\n\nRev: d747a8a8879 (head)\nParent: 27c6a30d7c24\nBranch names: shoppingcart\nPath: <PROJ>/migrations/versions/d747a8a8879_add_a_shopping_cart_column.py\n\n    add a shopping cart column\n    \n    Revision ID: d747a8a8879\n    Revises: 27c6a30d7c24\n    Create Date: <DATE>\n\nRev: 29f859a13ea (head)\nParent: 109ec7d132bf\nBranch names: networking\nPath: <PROJ>/model/networking/29f859a13ea_add_dns_table.py\n\n    add DNS table\n    \n    Revision ID: 29f859a13ea\n    Revises: 109ec7d132bf\n    Create Date: <DATE>\n\n',
     '', 0),
    (['show', 'base'],
     '',
     '', 0),
    (['show', 'zzzz'],
     "FAILED: Can't locate revision identified by 'zzzz'\n",
     '', 255),
    (['show', 'networkingx@head'],
     "FAILED: Can't locate revision identified by 'networkingx'\n",
     '', 255),
    (['upgrade', 'zzzz'],
     "FAILED: Can't locate revision identified by 'zzzz'\n",
     'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 255),
    (['upgrade', 'head'],
     "FAILED: Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads\n",
     'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 255),
    (['downgrade', 'zzzz'],
     "FAILED: Can't locate revision identified by 'zzzz'\n",
     'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 255),
    (['history', '-r', 'zzzz:'],
     "FAILED: Can't locate revision identified by 'zzzz'\n",
     '', 255),
    (['history', '-r', '1975ea83b712:zzzz'],
     "FAILED: Can't locate revision identified by 'zzzz'\n",
     '', 255),
    (['history', '-r', 'foo'],
     'FAILED: History range requires [start]:[end], [start]:, or :[end]\n',
     '', 255),
    (['revision', '-m', 'x', '--head=networking'],
     'FAILED: Revision 3cac04ae8714 is not a head revision; please specify --splice to create a new branch from this revision\n',
     '', 255),
    (['revision', '-m', 'x', '--head=zzzz'],
     "FAILED: Can't locate revision identified by 'zzzz'\n",
     '', 255),
    (['revision', '-m', 'x', '--head=networking@zzzz'],
     "FAILED: Can't locate revision identified by 'zzzz'\n",
     '', 255),
    (['revision', '-m', 'x'],
     'FAILED: Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge.\n',
     '', 255),
    (['downgrade', '-99'],
     "FAILED: Relative revision -99 didn't produce 99 migrations\n",
     'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 255),
    (['upgrade', '+99'],
     'FAILED: Ambiguous walk\n',
     'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 255),
    (['upgrade', 'networking@+5'],
     "FAILED: Relative revision +5 didn't produce 5 migrations\n",
     'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 255),
    (['stamp', 'zzzz'],
     "FAILED: Can't locate revision identified by 'zzzz'\n",
     'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 255),
    (['upgrade', '1975ea83b712:zzzz', '--sql'],
     "FAILED: Can't locate revision identified by 'zzzz'\n",
     'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Generating static SQL\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 255),
    (['downgrade', '1975ea83b712', '--sql'],
     'FAILED: downgrade with --sql requires <fromrev>:<torev>\n',
     '', 255),
    (['stamp', '--purge', 'heads', '--sql'],
     "FAILED: Can't use --purge with --sql mode\n",
     'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Generating static SQL\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 255),
    (['history', '-r', 'base:zzzz'],
     "FAILED: Can't locate revision identified by 'zzzz'\n",
     '', 255),
    (['show', 'networking@base'],
     '',
     '', 0),
    (['show', 'networking@heads'],
     'Rev: 29f859a13ea (head)\nParent: 109ec7d132bf\nBranch names: networking\nPath: <PROJ>/model/networking/29f859a13ea_add_dns_table.py\n\n    add DNS table\n    \n    Revision ID: 29f859a13ea\n    Revises: 109ec7d132bf\n    Create Date: <DATE>\n\n',
     '', 0),
    (['downgrade', 'heads'],
     "FAILED: Multiple head revisions are present for given argument 'heads'; please specify a specific target revision, '<branchname>@heads' to narrow to a specific head, or 'heads' for all heads\n",
     'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 255),
    (['revision', '-m', 'x', '--depends-on', 'zzzz', '--head=networking@head'],
     "FAILED: Can't locate revision identified by 'zzzz'\n",
     '', 255),
    (['revision', '-m', 'x', '--head=base'],
     'FAILED: Multiple version locations present, please specify --version-path\n',
     '', 255),
    (['edit', 'zzzz'],
     "FAILED: Can't locate revision identified by 'zzzz'\n",
     '', 255),
    (['current', '--check-heads'],
     'FAILED: Database is not on all head revisions\n',
     'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 255),
    (['upgrade', 'networking@head', '--sql'],
     "CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\n\n-- Running upgrade  -> 3cac04ae8714\n\nINSERT INTO alembic_version (version_num) VALUES ('3cac04ae8714') RETURNING version_num;\n\n-- Running upgrade 3cac04ae8714 -> 109ec7d132bf\n\nUPDATE alembic_version SET version_num='109ec7d132bf' WHERE alembic_version.version_num = '3cac04ae8714';\n\n-- Running upgrade 109ec7d132bf -> 29f859a13ea\n\nUPDATE alembic_version SET version_num='29f859a13ea' WHERE alembic_version.version_num = '109ec7d132bf';\n\n",
     'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Generating static SQL\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running upgrade  -> 3cac04ae8714, create networking branch\nINFO  [alembic.runtime.migration] Running upgrade 3cac04ae8714 -> 109ec7d132bf, add ip number table\nINFO  [alembic.runtime.migration] Running upgrade 109ec7d132bf -> 29f859a13ea, add DNS table\n', 0),
    (['upgrade', '1975ea83b712:aaaa11112222', '--sql'],
     "-- Running upgrade 1975ea83b712 -> ae1027a6acf\n\nUPDATE alembic_version SET version_num='ae1027a6acf' WHERE alembic_version.version_num = '1975ea83b712';\n\n-- Running upgrade ae1027a6acf -> aaaa11112222\n\nUPDATE alembic_version SET version_num='aaaa11112222' WHERE alembic_version.version_num = 'ae1027a6acf';\n\n",
     'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Generating static SQL\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running upgrade 1975ea83b712 -> ae1027a6acf, add a column\nINFO  [alembic.runtime.migration] Running upgrade ae1027a6acf -> aaaa11112222, branch a\n', 0),
    (['downgrade', '29f859a13ea:base', '--sql'],
     "-- Running downgrade 29f859a13ea -> 109ec7d132bf\n\nUPDATE alembic_version SET version_num='109ec7d132bf' WHERE alembic_version.version_num = '29f859a13ea';\n\n-- Running downgrade 109ec7d132bf -> 3cac04ae8714\n\nUPDATE alembic_version SET version_num='3cac04ae8714' WHERE alembic_version.version_num = '109ec7d132bf';\n\n-- Running downgrade 3cac04ae8714 -> \n\nDELETE FROM alembic_version WHERE alembic_version.version_num = '3cac04ae8714';\n\n",
     'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Generating static SQL\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running downgrade 29f859a13ea -> 109ec7d132bf, add DNS table\nINFO  [alembic.runtime.migration] Running downgrade 109ec7d132bf -> 3cac04ae8714, add ip number table\nINFO  [alembic.runtime.migration] Running downgrade 3cac04ae8714 -> , create networking branch\n', 0),
    (['stamp', 'heads', '--sql'],
     "CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\n\n-- Running stamp_revision  -> bbbb33334444\n\nINSERT INTO alembic_version (version_num) VALUES ('bbbb33334444') RETURNING version_num;\n\n-- Running stamp_revision  -> d747a8a8879\n\nINSERT INTO alembic_version (version_num) VALUES ('d747a8a8879') RETURNING version_num;\n\n-- Running stamp_revision  -> 29f859a13ea\n\nINSERT INTO alembic_version (version_num) VALUES ('29f859a13ea') RETURNING version_num;\n\n",
     'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Generating static SQL\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running stamp_revision  -> bbbb33334444\nINFO  [alembic.runtime.migration] Running stamp_revision  -> d747a8a8879\nINFO  [alembic.runtime.migration] Running stamp_revision  -> 29f859a13ea\n', 0),
    (['stamp', '1975ea83b712:ae1027a6acf', '--sql'],
     "-- Running stamp_revision 1975ea83b712 -> ae1027a6acf\n\nUPDATE alembic_version SET version_num='ae1027a6acf' WHERE alembic_version.version_num = '1975ea83b712';\n\n",
     'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Generating static SQL\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running stamp_revision 1975ea83b712 -> ae1027a6acf\n', 0),
    (['stamp', 'bbbb33334444:1975ea83b712', '--sql'],
     "-- Running stamp_revision bbbb33334444 -> 1975ea83b712\n\nUPDATE alembic_version SET version_num='1975ea83b712' WHERE alembic_version.version_num = 'bbbb33334444';\n\n",
     'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Generating static SQL\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running stamp_revision bbbb33334444 -> 1975ea83b712\n', 0),
]


@pytest.mark.parametrize("args,out,err,code", READONLY, ids=[" ".join(c[0]) for c in READONLY])
def test_output_matches_alembic(template_project, args, out, err, code):
    _same(_run(template_project, args), (out, err, code), args)


def test_range_without_sql_starts_with_alembic_text(template_project):
    # Alembic prints exactly "FAILED: Range revision not allowed"; we add the culprit
    out, err, code = _run(template_project, ["upgrade", "1975:ae10"])
    assert out == "FAILED: Range revision not allowed ('1975:ae10' needs --sql)\n"
    assert code == 255


SEQUENCES = {
    'networking_up_and_down': [
        (['current'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
        (['show', 'current'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
        (['upgrade', 'networking@head'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running upgrade  -> 3cac04ae8714, create networking branch\nINFO  [alembic.runtime.migration] Running upgrade 3cac04ae8714 -> 109ec7d132bf, add ip number table\nINFO  [alembic.runtime.migration] Running upgrade 109ec7d132bf -> 29f859a13ea, add DNS table\n', 0),
        (['current'],
         '29f859a13ea (head)\n',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
        (['current', '-v'],
         'Current revision(s) for sqlite:///<PROJ>/t.db:\nRev: 29f859a13ea (head)\nParent: 109ec7d132bf\nBranch names: networking\nPath: <PROJ>/model/networking/29f859a13ea_add_dns_table.py\n\n    add DNS table\n    \n    Revision ID: 29f859a13ea\n    Revises: 109ec7d132bf\n    Create Date: <DATE>\n\n',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
        (['show', 'current'],
         'Rev: 29f859a13ea (head)\nParent: 109ec7d132bf\nBranch names: networking\nPath: <PROJ>/model/networking/29f859a13ea_add_dns_table.py\n\n    add DNS table\n    \n    Revision ID: 29f859a13ea\n    Revises: 109ec7d132bf\n    Create Date: <DATE>\n\n',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
        (['history', '-i', '-r', 'networking@base:'],
         '109ec7d132bf -> 29f859a13ea (networking) (head) (current), add DNS table\n3cac04ae8714 -> 109ec7d132bf (networking), add ip number table\n<base> -> 3cac04ae8714 (networking), create networking branch\n',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
        (['history', '-r', 'current:'],
         '109ec7d132bf -> 29f859a13ea (networking) (head), add DNS table\n',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
        (['downgrade', 'networking@-1'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running downgrade 29f859a13ea -> 109ec7d132bf, add DNS table\n', 0),
        (['current'],
         '109ec7d132bf\n',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
        (['upgrade', '+1'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running upgrade 109ec7d132bf -> 29f859a13ea, add DNS table\n', 0),
        (['downgrade', 'networking@base'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running downgrade 29f859a13ea -> 109ec7d132bf, add DNS table\nINFO  [alembic.runtime.migration] Running downgrade 109ec7d132bf -> 3cac04ae8714, add ip number table\nINFO  [alembic.runtime.migration] Running downgrade 3cac04ae8714 -> , create networking branch\n', 0),
        (['current'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
    ],
    'main_line': [
        (['upgrade', 'ae1027a6acf'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running upgrade  -> 1975ea83b712, create account table\nINFO  [alembic.runtime.migration] Running upgrade 1975ea83b712 -> ae1027a6acf, add a column\n', 0),
        (['upgrade', 'aaaa11112222'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running upgrade ae1027a6acf -> aaaa11112222, branch a\n', 0),
        (['current'],
         'aaaa11112222\n',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
        (['upgrade', 'bbbb33334444'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running upgrade ae1027a6acf -> 55af2cb1c267, add another account column\nINFO  [alembic.runtime.migration] Running upgrade 55af2cb1c267, aaaa11112222 -> bbbb33334444, merge them\n', 0),
        (['current', '-v'],
         'Current revision(s) for sqlite:///<PROJ>/t.db:\nRev: bbbb33334444 (head) (mergepoint)\nMerges: 55af2cb1c267, aaaa11112222\nPath: <PROJ>/migrations/versions/bbbb33334444_merge_them.py\n\n    merge them\n    \n    Revision ID: bbbb33334444\n    Revises: 55af2cb1c267, aaaa11112222\n    Create Date: <DATE>\n\n',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
        (['downgrade', 'aaaa11112222'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running downgrade bbbb33334444 -> 55af2cb1c267, aaaa11112222, merge them\n', 0),
        (['downgrade', 'ae1027a6acf'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running downgrade 55af2cb1c267 -> ae1027a6acf, add another account column\nINFO  [alembic.runtime.migration] Running downgrade aaaa11112222 -> ae1027a6acf, branch a\n', 0),
        (['current'],
         'ae1027a6acf (branchpoint)\n',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
        (['downgrade', 'base'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running downgrade ae1027a6acf -> 1975ea83b712, add a column\nINFO  [alembic.runtime.migration] Running downgrade 1975ea83b712 -> , create account table\n', 0),
        (['current'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
    ],
    'dependency': [
        (['upgrade', '27c6a30d7c24'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running upgrade  -> 1975ea83b712, create account table\nINFO  [alembic.runtime.migration] Running upgrade 1975ea83b712 -> ae1027a6acf, add a column\nINFO  [alembic.runtime.migration] Running upgrade ae1027a6acf -> 55af2cb1c267, add another account column\nINFO  [alembic.runtime.migration] Running upgrade  -> 2c5e0ec7a29b, create shopping cart table\nINFO  [alembic.runtime.migration] Running upgrade 2c5e0ec7a29b -> 27c6a30d7c24, add shopping cart table\n', 0),
        (['current'],
         '27c6a30d7c24\n55af2cb1c267\n',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
        (['history', '-r', 'current:'],
         '27c6a30d7c24 -> d747a8a8879 (shoppingcart) (head), add a shopping cart column\n2c5e0ec7a29b (55af2cb1c267) -> 27c6a30d7c24 (shoppingcart), add shopping cart table\n',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
        (['downgrade', '55af2cb1c267'],
         'FAILED: Destination 55af2cb1c267 is not a valid downgrade target from current head(s)\n',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 255),
        (['current'],
         '55af2cb1c267\n27c6a30d7c24\n',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
    ],
    'stamps': [
        (['stamp', 'heads'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running stamp_revision  -> bbbb33334444\nINFO  [alembic.runtime.migration] Running stamp_revision  -> d747a8a8879\nINFO  [alembic.runtime.migration] Running stamp_revision  -> 29f859a13ea\n', 0),
        (['current', '--check-heads'],
         '29f859a13ea (head)\nbbbb33334444 (head) (mergepoint)\nd747a8a8879 (head)\n',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
        (['stamp', '--purge', '29f859a13ea'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running stamp_revision  -> 29f859a13ea\n', 0),
        (['current'],
         '29f859a13ea (head)\n',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
        (['stamp', '3cac04ae8714'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running stamp_revision 29f859a13ea -> 3cac04ae8714\n', 0),
        (['current'],
         '3cac04ae8714\n',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
        (['stamp', 'base'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running stamp_revision 3cac04ae8714 -> \n', 0),
        (['current'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
        (['stamp', 'ae1027a6acf'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running stamp_revision  -> ae1027a6acf\n', 0),
        (['stamp', 'bbbb33334444'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running stamp_revision ae1027a6acf -> bbbb33334444\n', 0),
        (['current'],
         'bbbb33334444 (head) (mergepoint)\n',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
        (['stamp', '1975ea83b712'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\nINFO  [alembic.runtime.migration] Running stamp_revision bbbb33334444 -> 1975ea83b712\n', 0),
        (['current'],
         '1975ea83b712\n',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
        (['stamp', '--purge', 'base'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
        (['current'],
         '',
         'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.\nINFO  [alembic.runtime.migration] Will assume non-transactional DDL.\n', 0),
    ],
}


@pytest.mark.parametrize("name", sorted(SEQUENCES))
def test_online_sequence_matches_alembic(project, name):
    for args, out, err, code in SEQUENCES[name]:
        _same(_run(project, args), (out, err, code), args)


def test_duplicate_branch_label_is_refused_before_writing(project):
    # Alembic writes the file and then fails on every later command with this text
    out, err, code = _run(project, ["revision", "-m", "x", "--branch-label=networking",
                                    "--head=ae1027a6acf", "--splice", "--rev-id", "9993"])
    assert (out, code) == (
        "FAILED: Branch name 'networking' in revision 9993 already used by revision "
        "3cac04ae8714\n", 255)
    assert not list(project.rglob("9993_*.py"))
    assert _run(project, ["heads"])[2] == 0


@pytest.mark.parametrize("args,culprit", [
    (["show", "zz"], "zz"), (["stamp", "ab"], "ab"), (["history", "-r", "zz:"], "zz"),
])
def test_short_unknown_prefix_keeps_alembic_text_first(template_project, args, culprit):
    # Alembic: "FAILED: Can't locate revision identified by 'zz'"; the hint is our detail
    out, err, code = _run(template_project, args)
    assert out == (f"FAILED: Can't locate revision identified by '{culprit}' (please ensure at "
                   "least four characters are present for partial revision identifier "
                   "matches)\n")
    assert code == 255


@pytest.mark.parametrize("template,expected", [
    ("generic", "Please edit configuration/connection/logging settings in {p}/alembic.ini "
                "before proceeding."),
    ("pyproject", "Please edit configuration settings in {p}/pyproject.toml and "
                  "configuration/connection/logging settings in {p}/alembic.ini before "
                  "proceeding."),
])
def test_init_closing_line_matches_alembic(tmp_path, template, expected):
    out, err, code = _run(tmp_path, ["init", "-t", template, "migrations"])
    assert code == 0, out + err
    assert out.splitlines()[-1] == expected.format(p="<PROJ>")


def _edit(root: Path, env_update: dict[str, str], drop: tuple[str, ...] = ()) -> tuple[str, int]:
    import os

    env = {k: v for k, v in os.environ.items() if k not in drop} | env_update
    proc = subprocess.run([sys.executable, "-m", "alembic_django", "edit", "29f859a13ea"],
                          cwd=root, capture_output=True, text=True, timeout=60, env=env)
    return _norm(proc.stdout, root), proc.returncode


def test_edit_without_any_editor_matches_alembic(template_project, tmp_path):
    out, code = _edit(template_project, {"PATH": str(tmp_path)}, drop=("EDITOR", "VISUAL"))
    assert (out, code) == ('FAILED: Error executing editor (No suitable editor found. Please '
                           'set the "EDITOR" or "VISUAL" environment variables)\n', 255)


def test_edit_falls_back_to_an_editor_on_path_and_reports_its_failure(template_project,
                                                                      tmp_path):
    fake = tmp_path / "nano"  # one of Alembic's fallbacks
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    out, code = _edit(template_project, {"PATH": str(tmp_path)}, drop=("EDITOR", "VISUAL"))
    assert out == (f"FAILED: Error executing editor (Command '['{fake}', "
                   "'<PROJ>/model/networking/29f859a13ea_add_dns_table.py']' returned non-zero "
                   "exit status 3.)\n")
    assert code == 255


def test_unknown_database_revision_starts_with_alembic_text(project):
    import sqlite3

    with sqlite3.connect(project / "t.db") as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL "
                     "PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES ('deadbeef0000')")
    for args in (["current"], ["upgrade", "heads"], ["stamp", "heads"], ["downgrade", "base"]):
        out, err, code = _run(project, args)
        # Alembic: "FAILED: Can't locate revision identified by 'deadbeef0000'"
        assert out.startswith("FAILED: Can't locate revision identified by 'deadbeef0000' ("), out
        assert "stamp --purge" in out and code == 255


def test_quiet_failure_keeps_stdout_empty_like_alembic(template_project):
    # Alembic -q prints nothing on stdout; its only trace is a logged ERROR on stderr
    out, err, code = _run(template_project, ["-q", "show", "zzzz"])
    assert (out, err, code) == ("", "FAILED: Can't locate revision identified by 'zzzz'\n", 255)
