"""settings.ALEMBIC forms and DATABASES → SQLAlchemy URL conversion."""

from __future__ import annotations

import os
from pathlib import Path

import django_settings
import pytest

django_settings.configure()

import django  # noqa: E402
from django.test import override_settings  # noqa: E402

from alembic_django import conf  # noqa: E402
from alembic_django.engine.errors import CommandError  # noqa: E402

django.setup()


def _db(engine: str, **kw) -> dict:
    base = {"ENGINE": f"django.db.backends.{engine}", "NAME": "", "USER": "", "PASSWORD": "",
            "HOST": "", "PORT": "", "OPTIONS": {}}
    base.update(kw)
    return base


def _url(settings_dict):
    url, connect_args = conf.url_from_settings(settings_dict)
    return url, connect_args


# -- URL conversion -------------------------------------------------------------------
@pytest.mark.parametrize(
    "settings_dict, expected",
    [
        (_db("postgresql", NAME="shop", USER="u", PASSWORD="p", HOST="db.example", PORT="5433"),
         "postgresql+psycopg://u:p@db.example:5433/shop"),
        (_db("postgresql", NAME="shop", HOST="/var/run/postgresql"),
         "postgresql+psycopg:///shop?host=%2Fvar%2Frun%2Fpostgresql"),
        (_db("postgresql", NAME="", OPTIONS={"service": "svc"}), "postgresql+psycopg://?service=svc"),
        (_db("postgresql", NAME="shop", OPTIONS={"sslmode": "require", "connect_timeout": 5,
                                                 "isolation_level": 3, "pool": True,
                                                 "server_side_binding": True, "assume_role": "r"}),
         "postgresql+psycopg:///shop?connect_timeout=5&sslmode=require"),
        (_db("mysql", NAME="shop", USER="root", HOST="127.0.0.1", PORT=3306),
         "mysql+pymysql://root@127.0.0.1:3306/shop?charset=utf8mb4"),
        (_db("mysql", NAME="shop", HOST="/run/mysqld/mysqld.sock"),
         "mysql+pymysql:///shop?charset=utf8mb4&unix_socket=%2Frun%2Fmysqld%2Fmysqld.sock"),
        (_db("mysql", NAME="shop", OPTIONS={"charset": "latin1", "init_command": "SET x=1",
                                            "isolation_level": "read committed"}),
         "mysql+pymysql:///shop?charset=latin1&init_command=SET+x%3D1"),
        (_db("sqlite3", NAME="/tmp/x.db"), "sqlite:////tmp/x.db"),
        (_db("sqlite3", NAME=Path("/tmp/y.sqlite3")), "sqlite:////tmp/y.sqlite3"),
        (_db("sqlite3", NAME="rel.db"), "sqlite:///rel.db"),
        (_db("sqlite3", NAME=":memory:"), "sqlite://"),
        (_db("sqlite3", NAME="file:memorydb_default?mode=memory&cache=shared"),
         "sqlite:///file%3Amemorydb_default?cache=shared&mode=memory&uri=true"),
        (_db("sqlite3", NAME="/tmp/x.db", OPTIONS={"timeout": 20, "init_command": "PRAGMA x",
                                                   "transaction_mode": "IMMEDIATE"}),
         "sqlite:////tmp/x.db?timeout=20"),
        (_db("oracle", NAME="xe", USER="scott", PASSWORD="tiger", HOST="ora", PORT="1521"),
         "oracle+oracledb://scott:tiger@ora:1521/xe"),
        (_db("oracle", NAME="tnsalias", USER="scott", PASSWORD="tiger"),
         "oracle+oracledb://scott:tiger@tnsalias"),
        (dict(_db("oracle", NAME="xe", PORT="1521"), OPTIONS={"use_returning_into": False}),
         "oracle+oracledb://localhost:1521/xe"),
        (_db("postgresql", NAME="shop", USER="u", PASSWORD="p@ss%w:rd/"),
         "postgresql+psycopg://u:p%40ss%25w%3Ard%2F@/shop"),
    ],
    ids=["pg", "pg-socket", "pg-service", "pg-options", "mysql", "mysql-socket", "mysql-options",
         "sqlite-path", "sqlite-Path", "sqlite-relative", "sqlite-memory", "sqlite-test-memory",
         "sqlite-options", "oracle-port", "oracle-tns", "oracle-options", "pg-special-password"],
)
def test_url_conversion(settings_dict, expected):
    url, _ = _url(settings_dict)
    assert url.render_as_string(hide_password=False) == expected


def test_password_round_trips_through_render():
    from sqlalchemy.engine import make_url

    url, _ = _url(_db("mysql", NAME="d", USER="a@b", PASSWORD="p@ss%w:rd/#?"))
    again = make_url(url.render_as_string(hide_password=False))
    assert (again.username, again.password, again.database) == ("a@b", "p@ss%w:rd/#?", "d")


def test_password_hidden_by_default():
    url, _ = _url(_db("postgresql", NAME="d", USER="u", PASSWORD="secret"))
    assert "secret" not in str(url)


def test_non_scalar_options_go_to_connect_args():
    url, connect_args = _url(_db("mysql", NAME="d", OPTIONS={"ssl": {"ca": "/ca.pem"},
                                                            "autocommit": True}))
    assert connect_args == {"ssl": {"ca": "/ca.pem"}, "autocommit": True}
    assert "ssl" not in url.query


def test_drivers_follow_what_is_importable(monkeypatch):
    monkeypatch.setattr(conf, "_importable", lambda name: name in ("MySQLdb", "cx_Oracle"))
    assert _url(_db("postgresql", NAME="d"))[0].drivername == "postgresql+psycopg2"
    assert _url(_db("mysql", NAME="d"))[0].drivername == "mysql+mysqldb"
    assert _url(_db("oracle", NAME="d"))[0].drivername == "oracle+cx_oracle"


def test_oracle_easy_connect_name_goes_to_the_driver_as_dsn():
    url, connect_args = _url(_db("oracle", NAME="ora.internal:1521/xepdb1", USER="scott",
                                 PASSWORD="tiger"))
    assert url.host is None and url.username == "scott"
    assert connect_args["dsn"] == "ora.internal:1521/xepdb1"


def test_postgis_and_spatialite_engines():
    gis = dict(_db("postgresql", NAME="g"), ENGINE="django.contrib.gis.db.backends.postgis")
    assert _url(gis)[0].drivername == "postgresql+psycopg"
    spatial = dict(_db("sqlite3", NAME="/s.db"), ENGINE="django.contrib.gis.db.backends.spatialite")
    assert _url(spatial)[0].drivername == "sqlite"


def test_unknown_engine_is_one_line_error():
    with pytest.raises(CommandError, match="'django.db.backends.dummy'.*sqlalchemy.url"):
        _url(_db("dummy", NAME="x"))


def test_database_url_reads_settings_at_call_time():
    from django.db import connections

    settings_dict = connections["scratch"].settings_dict
    old = settings_dict["NAME"]
    try:
        settings_dict["NAME"] = "/tmp/renamed_by_test_runner.db"
        assert conf.database_url("scratch").database == "/tmp/renamed_by_test_runner.db"
    finally:
        settings_dict["NAME"] = old


def test_unknown_alias():
    with pytest.raises(CommandError, match="'nope'"):
        conf.database_url("nope")


# -- settings forms -----------------------------------------------------------------------
def test_two_environments_default_and_named():
    config = conf.get_config()
    assert config.attributes[conf.ATTR_ENVIRONMENT] == "default"
    assert config.get_main_option("script_location") == str(django_settings.EXAMPLE / "alembic")
    analytics = conf.get_config("analytics")
    assert analytics.attributes[conf.ATTR_DATABASE] == "analytics"
    expected = conf.database_url("analytics").render_as_string(hide_password=False)
    assert analytics.get_main_option("sqlalchemy.url") == expected
    assert "analytics" in expected  # analytics.sqlite3, or its in-memory test database


def test_single_environment_is_default_whatever_its_name(tmp_path):
    with override_settings(ALEMBIC={"main": {"script_location": str(tmp_path)}}):
        config = conf.get_config()
        assert config.attributes[conf.ATTR_ENVIRONMENT] == "main"
        assert config.get_main_option("database") == "default"


def test_several_environments_without_default_need_a_name(tmp_path):
    alembic = {"a": {"script_location": tmp_path}, "b": {"script_location": tmp_path}}
    with override_settings(ALEMBIC=alembic):
        with pytest.raises(CommandError, match="choose one with --name"):
            conf.get_config()
        with pytest.raises(CommandError, match="No environment 'c'"):
            conf.get_config("c")
        assert conf.get_config("b").attributes[conf.ATTR_ENVIRONMENT] == "b"


def test_python_types_in_environment(tmp_path):
    alembic = {"default": {"script_location": tmp_path, "version_locations": [tmp_path / "a", "b"],
                           "recursive_version_locations": True, "truncate_slug_length": 10}}
    with override_settings(ALEMBIC=alembic, BASE_DIR=tmp_path):
        config = conf.get_config()
        assert config.get_alembic_list_option("version_locations") == [
            str(tmp_path / "a"), str(tmp_path / "b")]
        assert config.get_alembic_boolean_option("recursive_version_locations") is True
        assert config.get_alembic_int_option("truncate_slug_length") == 10


def test_explicit_url_wins_unless_database_given(tmp_path):
    alembic = {"default": {"script_location": tmp_path, "sqlalchemy.url": f"sqlite:///{tmp_path}/x%.db"}}
    with override_settings(ALEMBIC=alembic):
        assert conf.get_config().get_main_option("sqlalchemy.url") == f"sqlite:///{tmp_path}/x%.db"
        url = conf.get_config(database="scratch").get_main_option("sqlalchemy.url")
        assert url.endswith("scratch.sqlite3")


def test_percent_in_password_survives_config(tmp_path):
    from django.db import connections
    from sqlalchemy.engine import make_url

    connections.settings["pgpct"] = _db("postgresql", NAME="d", USER="u", PASSWORD="50%off@x")
    try:
        with override_settings(ALEMBIC={"default": {"script_location": tmp_path, "database": "pgpct"}}):
            url = conf.get_config().get_main_option("sqlalchemy.url")
            assert make_url(url).password == "50%off@x"
    finally:
        del connections.settings["pgpct"]


def test_unknown_alias_in_environment(tmp_path):
    with override_settings(ALEMBIC={"default": {"script_location": tmp_path, "database": "missing"}}):
        with pytest.raises(CommandError, match="unknown database alias 'missing'"):
            conf.get_config()


@pytest.mark.parametrize("bad, match", [
    ([], "must be a dict"),
    ({}, "is empty"),
    ({"x": "alembic"}, r"ALEMBIC\['x'\] must be a dict"),
    ({"x": {"database": 3}}, "DATABASES alias string"),
    ({"x": {"target_metadata": "nocolon"}}, "module:attribute"),
], ids=["list", "empty", "env-not-dict", "database-not-str", "metadata-spec"])
def test_malformed_alembic_setting(bad, match):
    with override_settings(ALEMBIC=bad):
        with pytest.raises(CommandError, match=match):
            conf.get_config()


def test_relative_script_location_is_relative_to_base_dir(tmp_path):
    with override_settings(ALEMBIC={"default": {"script_location": "migr"}}, BASE_DIR=tmp_path):
        assert conf.get_config().get_main_option("script_location") == str(tmp_path / "migr")
    with override_settings(ALEMBIC={"default": {"script_location": "mypkg:migr"}}, BASE_DIR=tmp_path):
        assert conf.get_config().get_main_option("script_location") == "mypkg:migr"


def test_ini_and_pyproject_layer_under_settings(tmp_path):
    (tmp_path / "alembic.ini").write_text(
        "[alembic]\nscript_location = %(here)s/from_ini\nfile_template = ini_%%(rev)s\n"
        "[analytics]\nscript_location = %(here)s/analytics_ini\n"
    )
    (tmp_path / "pyproject.toml").write_text(
        '[tool.alembic]\ntruncate_slug_length = 12\nfile_template = "toml_%%(rev)s"\n'
    )
    alembic = {"default": {"script_location": tmp_path / "from_settings"}, "analytics": {}}
    with override_settings(ALEMBIC=alembic, BASE_DIR=tmp_path):
        config = conf.get_config()
        assert config.get_main_option("script_location") == str(tmp_path / "from_settings")
        assert config.get_main_option("file_template") == "ini_%(rev)s"
        assert config.get_alembic_int_option("truncate_slug_length") == 12
        origins = {k: o for k, _, o in config.effective_options()}
        assert origins["script_location"] == "settings.ALEMBIC['default']"
        assert origins["file_template"] == "alembic.ini [alembic]"
        analytics = conf.get_config("analytics")
        assert analytics.get_main_option("script_location") == f"{tmp_path}/analytics_ini"


def test_without_alembic_setting_uses_ini(tmp_path):
    (tmp_path / "alembic.ini").write_text("[alembic]\nscript_location = %(here)s/s\n")
    with override_settings(BASE_DIR=tmp_path):
        from django.conf import settings

        saved = settings.ALEMBIC
        del settings.ALEMBIC
        try:
            config = conf.get_config()
            assert config.get_main_option("script_location") == f"{tmp_path}/s"
            assert config.get_main_option("sqlalchemy.url").startswith("sqlite:///")
        finally:
            settings.ALEMBIC = saved


def test_alembic_config_setting_points_at_a_file(tmp_path):
    ini = tmp_path / "conf" / "custom.ini"
    ini.parent.mkdir()
    ini.write_text("[alembic]\nfile_template = custom_%%(rev)s\n")
    with override_settings(ALEMBIC_CONFIG=str(ini)):
        assert conf.get_config().get_main_option("file_template") == "custom_%(rev)s"
    with override_settings(ALEMBIC_CONFIG=str(tmp_path / "missing.ini")):
        with pytest.raises(CommandError, match="missing.ini"):
            conf.get_config()


def test_target_metadata_forms(tmp_path):
    from inventory import tables

    assert conf.get_target_metadata(name="default") is tables.metadata
    with override_settings(ALEMBIC={"default": {"script_location": tmp_path,
                                                "target_metadata": lambda: tables.analytics_metadata}}):
        config = conf.get_config()
        assert conf.get_target_metadata(config) is tables.analytics_metadata
        assert callable(config.attributes["target_metadata"])
    with override_settings(ALEMBIC={"default": {"script_location": tmp_path,
                                                "target_metadata": tables.metadata}}):
        assert conf.get_config().attributes["target_metadata"] is tables.metadata
    with override_settings(ALEMBIC={"default": {"script_location": tmp_path,
                                                "target_metadata": "inventory.tables:nope"}}):
        with pytest.raises(CommandError, match="has no attribute 'nope'"):
            conf.get_target_metadata()


def test_in_memory_detection():
    assert conf.is_in_memory_sqlite(_db("sqlite3", NAME=":memory:"))
    assert conf.is_in_memory_sqlite(_db("sqlite3", NAME="file:memorydb_x?mode=memory&cache=shared"))
    assert not conf.is_in_memory_sqlite(_db("sqlite3", NAME=os.devnull))
    assert not conf.is_in_memory_sqlite(_db("postgresql", NAME="x"))
