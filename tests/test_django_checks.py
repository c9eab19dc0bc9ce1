"""System checks alembic_django.E001–E004, W001, W002."""

from __future__ import annotations

import shutil
import sys
from io import StringIO

import django_settings
import pytest

django_settings.configure()

import django  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.base import SystemCheckError  # noqa: E402
from django.test import override_settings  # noqa: E402

from alembic_django import checks  # noqa: E402

django.setup()


def _ids(messages):
    return [m.id for m in messages]


def _revision(path, rev, down=None, labels=None):
    path.write_text(
        f'"""rev {rev}\n\nRevision ID: {rev}\nRevises: {down or ""}\n"""\n'
        f"revision = {rev!r}\ndown_revision = {down!r}\nbranch_labels = {labels!r}\n"
        "depends_on = None\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n"
    )


@pytest.fixture
def script_dir(tmp_path):
    """A script directory copied from the example project's default environment."""
    target = tmp_path / "scripts"
    shutil.copytree(django_settings.EXAMPLE / "alembic", target,
                    ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_example_settings_pass():
    assert checks.check_settings() == []
    assert checks.check_heads() == []


@pytest.mark.parametrize("bad", [["x"], {}, {"default": "nope"}, {"default": {"database": 1}}],
                         ids=["list", "empty", "env-str", "alias-int"])
def test_e001_malformed(bad):
    with override_settings(ALEMBIC=bad):
        messages = checks.check_settings()
    assert _ids(messages) and set(_ids(messages)) == {"alembic_django.E001"}
    assert all(m.is_serious() for m in messages)


def test_e002_unknown_alias(script_dir):
    with override_settings(ALEMBIC={"default": {"script_location": script_dir, "database": "gone"}}):
        messages = checks.check_settings()
    assert _ids(messages) == ["alembic_django.E002"]
    assert "'gone'" in messages[0].msg


def test_e003_missing_script_location(tmp_path):
    with override_settings(ALEMBIC={"default": {"database": "default"}}):
        assert _ids(checks.check_settings()) == ["alembic_django.E003"]
    with override_settings(ALEMBIC={"default": {"script_location": tmp_path / "nowhere"}}):
        messages = checks.check_settings()
    assert _ids(messages) == ["alembic_django.E003"]
    assert "nowhere" in messages[0].msg


def test_e004_scripts_inside_migrations_package(tmp_path, monkeypatch):
    app = tmp_path / "shopapp"
    (app / "migrations" / "alembic").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "migrations" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    alembic = {"default": {"script_location": app / "migrations" / "alembic"}}
    with override_settings(INSTALLED_APPS=["alembic_django", "inventory", "shopapp"], ALEMBIC=alembic):
        messages = checks.check_settings()
    sys.modules.pop("shopapp", None)
    assert _ids(messages) == ["alembic_django.E004"]
    assert "'shopapp'" in messages[0].msg


def test_w001_multiple_heads(tmp_path):
    versions = tmp_path / "two" / "versions"
    versions.mkdir(parents=True)
    shutil.copy(django_settings.EXAMPLE / "alembic" / "env.py", tmp_path / "two" / "env.py")
    _revision(versions / "aaaa1111_a.py", "aaaa1111")
    _revision(versions / "bbbb2222_b.py", "bbbb2222")
    with override_settings(ALEMBIC={"default": {"script_location": tmp_path / "two"}}):
        assert checks.check_settings() == []
        messages = checks.check_heads()
    assert _ids(messages) == ["alembic_django.W001"]
    assert "aaaa1111, bbbb2222" in messages[0].msg
    assert not messages[0].is_serious()


def test_w002_unapplied_only_for_database_checks(script_dir, tmp_path):
    from django.db import connections

    scratch = connections["scratch"].settings_dict
    old = scratch["NAME"]
    scratch["NAME"] = str(tmp_path / "w002.sqlite3")
    try:
        with override_settings(ALEMBIC={"default": {"script_location": script_dir, "database": "scratch"}}):
            assert checks.check_unapplied() == []
            assert checks.check_unapplied(databases=["default"]) == []
            messages = checks.check_unapplied(databases=["scratch"])
            assert _ids(messages) == ["alembic_django.W002"]
            assert "You have 4 unapplied Alembic revision(s)" in messages[0].msg
    finally:
        scratch["NAME"] = old


def test_manage_check_reports_errors():
    with override_settings(ALEMBIC={"default": {"database": 5}}):
        with pytest.raises(SystemCheckError, match="alembic_django.E001"):
            call_command("check", stdout=StringIO(), stderr=StringIO())


# -- every ALEMBIC key (E005, E006, W003, W004) ---------------------------------------------
KEY_CASES = [
    ("typo-database", {"databse": "default"}, "alembic_django.E005",
     "settings.ALEMBIC['default'] has an unknown key 'databse'", "Did you mean 'database'?"),
    ("typo-metadata", {"target_metadta": "inventory.tables:metadata"}, "alembic_django.E005",
     "settings.ALEMBIC['default'] has an unknown key 'target_metadta'",
     "Did you mean 'target_metadata'?"),
    ("custom-key", {"my_important_option": "x"}, "alembic_django.W003",
     "settings.ALEMBIC['default'] has an unknown key 'my_important_option'",
     "Only env.py can use it (config.get_main_option); if it does, silence this with "
     "SILENCED_SYSTEM_CHECKS = ['alembic_django.W003']."),
    ("bool-as-str", {"sourceless": "yes"}, "alembic_django.E006",
     "settings.ALEMBIC['default']['sourceless'] must be a bool, not str", None),
    ("int-as-str", {"truncate_slug_length": "40"}, "alembic_django.E006",
     "settings.ALEMBIC['default']['truncate_slug_length'] must be an int, not str", None),
    ("timeout-bool", {"migration_lock_timeout": True}, "alembic_django.E006",
     "settings.ALEMBIC['default']['migration_lock_timeout'] must be an int or float "
     "(seconds), not bool", None),
    ("paths-int", {"version_locations": [5]}, "alembic_django.E006",
     "settings.ALEMBIC['default']['version_locations'] must be a str, a Path or a list of "
     "them, not list", None),
    ("hooks-dict", {"post_write_hooks": {"type": "exec"}}, "alembic_django.E006",
     "settings.ALEMBIC['default']['post_write_hooks'] must be a list of dicts, one per hook, "
     "not dict", None),
    ("url-not-str", {"sqlalchemy.url": 5}, "alembic_django.E006",
     "settings.ALEMBIC['default']['sqlalchemy.url'] must be a str, not int", None),
    ("metadata-missing-module", {"target_metadata": "no_such_module_q:metadata"},
     "alembic_django.W004",
     "settings.ALEMBIC['default']['target_metadata'] 'no_such_module_q:metadata' cannot be "
     "imported: no module named 'no_such_module_q'",
     "Autogenerate (revision --autogenerate, check) needs it."),
    ("metadata-missing-attribute", {"target_metadata": "inventory.tables:nothing"},
     "alembic_django.W004",
     "settings.ALEMBIC['default']['target_metadata'] 'inventory.tables:nothing' cannot be "
     "imported: module 'inventory.tables' has no attribute 'nothing'",
     "Autogenerate (revision --autogenerate, check) needs it."),
    ("metadata-missing-package", {"target_metadata": "no_such_pkg_q.tables:metadata"},
     "alembic_django.W004",
     "settings.ALEMBIC['default']['target_metadata'] 'no_such_pkg_q.tables:metadata' cannot "
     "be imported: ModuleNotFoundError: No module named 'no_such_pkg_q'",
     "Autogenerate (revision --autogenerate, check) needs it."),
]


@pytest.mark.parametrize("case_id, extra, check_id, message, hint", KEY_CASES,
                         ids=[c[0] for c in KEY_CASES])
def test_every_key_is_validated(script_dir, case_id, extra, check_id, message, hint):
    import inventory.tables  # noqa: F401  (imported: its attributes are checked too)

    with override_settings(ALEMBIC={"default": {"script_location": script_dir, **extra}}):
        messages = [m for m in checks.check_settings() if m.id == check_id]
    assert [(m.msg, m.hint) for m in messages] == [(message, hint)]
    assert messages[0].is_serious() is check_id.split(".")[1].startswith("E")


@pytest.mark.parametrize("extra", [
    {"database": "default", "target_metadata": "inventory.tables:metadata",
     "version_locations": ["a", "b"], "prepend_sys_path": ".", "migration_lock": False,
     "migration_lock_timeout": 2.5, "truncate_slug_length": 30, "version_table": "v",
     "post_write_hooks": [{"name": "x", "type": "exec", "executable": "true"}],
     "sqlalchemy.url": "sqlite://", "sqlalchemy.echo": True, "file_template": "%(rev)s",
     "timezone": "UTC", "revision_environment": True},
], ids=["all-known-keys"])
def test_known_keys_of_the_right_type_pass(script_dir, extra):
    with override_settings(ALEMBIC={"default": {"script_location": script_dir, **extra}}):
        assert checks.check_settings() == []


def test_manage_check_shows_the_typo_with_its_hint(script_dir):
    out, err = StringIO(), StringIO()
    with override_settings(ALEMBIC={"default": {"script_location": script_dir,
                                                "databse": "default"}}):
        with pytest.raises(SystemCheckError) as info:
            call_command("check", stdout=out, stderr=err)
    text = str(info.value)
    assert ("settings.ALEMBIC: (alembic_django.E005) settings.ALEMBIC['default'] has an "
            "unknown key 'databse'\n\tHINT: Did you mean 'database'?") in text
