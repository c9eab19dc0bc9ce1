# Standalone configuration for a Django-integrated environment.
#
# Under Django (``manage.py alembic ...``) this file is not needed: options
# come from settings.ALEMBIC and sqlalchemy.url is built from
# settings.DATABASES.  It is only read when the environment is run without
# Django, e.g. ``alembic-django -c alembic.ini upgrade head``.

[alembic]
# path to migration scripts, relative to the token %(here)s which refers to
# the location of this ini file
script_location = ${script_location}

# sys.path path, will be prepended to sys.path if present.
prepend_sys_path = .

# Use os.pathsep to split lists of paths (version_locations, prepend_sys_path).
path_separator = os

# database URL.  This is consumed by env.py only.
# See notes in "escaping characters in ini files" for guidelines on
# passwords
sqlalchemy.url = driver://user:pass@localhost/dbname

# MetaData for autogenerate, as "module:attribute" (the attribute may also be
# a callable returning a MetaData or a list of them)
# target_metadata = myproject.models:metadata

# version table name and schema (defaults: alembic_version, the default schema)
# version_table = alembic_version
# version_table_schema =

# Logging configuration.  This is also consumed by the user-maintained
# env.py script only.
[loggers]
keys = root,sqlalchemy,alembic,alembic_django

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console
qualname =

[logger_sqlalchemy]
level = WARNING
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[logger_alembic_django]
level = INFO
handlers =
qualname = alembic_django

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
