"""The Django side of the fleet: targets and resolvers from settings, nothing else.

``manage.py alembic fleet ...`` builds the environment's config as every command
does (``settings.ALEMBIC[name]``, its ``fleet`` groups included) and :func:`prepare`
adds what only Django knows:

* ``databases`` groups / ``--databases``: a ``DATABASES`` alias -> SQLAlchemy URL;
* Celery: the app configured by the ``CELERY_*`` settings (``CELERY_BROKER_URL``,
  ``CELERY_RESULT_BACKEND``), unless ``--broker`` / ``--celery-app`` is given;
* workers (processes, Celery) rebuild the config through :func:`worker_config`;
* before worker processes fork, Django's connections are closed (a child must not
  share its parent's sockets).

:func:`django_tenants_schemas` is a ready-made ``callable`` source for django-tenants
projects: ``"fleet": {"tenants": {"callable":
"alembic_django.django_fleet:django_tenants_schemas"}}``.
"""

from __future__ import annotations

import io
from argparse import Namespace
from typing import Any

from . import conf
from .engine.fleet.celery_exec import CELERY_APP, CONFIG_FACTORY
from .engine.fleet.executors import BEFORE_FORK
from .engine.fleet.runner import ENGINE_OPTIONS
from .engine.fleet.targets import DATABASE_RESOLVER


def database_url(alias: str) -> str:
    """The URL (password included: it is never printed) of ``DATABASES[alias]``."""
    return conf.database_url(alias).render_as_string(hide_password=False)


def engine_options(config: Any) -> dict[str, Any]:
    """``connect_args`` of the target's DATABASES alias (OPTIONS a URL cannot carry)."""
    alias = config.attributes.get(conf.ATTR_DATABASE)
    if alias is None or config.attributes.get("alembic_django.explicit_url"):
        return {}
    extra = conf.connect_args(alias)
    return {"connect_args": extra} if extra else {}


def _close_connections() -> None:
    from django.db import connections

    connections.close_all()


def celery_app() -> Any:
    """A Celery app configured from the ``CELERY_*`` settings (None without a broker)."""
    from django.conf import settings

    if not getattr(settings, "CELERY_BROKER_URL", None):
        return None
    from .engine.fleet.celery_exec import make_app

    app = make_app(settings.CELERY_BROKER_URL, getattr(settings, "CELERY_RESULT_BACKEND", None))
    app.config_from_object("django.conf:settings", namespace="CELERY")
    return app


def prepare(config: Any) -> Any:
    """Add the Django resolvers to an environment's config (see the module text)."""
    config.attributes[DATABASE_RESOLVER] = database_url
    config.attributes[ENGINE_OPTIONS] = engine_options
    config.attributes[CONFIG_FACTORY] = "alembic_django.django_fleet:worker_config"
    config.attributes.setdefault(BEFORE_FORK, [_close_connections])
    if config.attributes.get(CELERY_APP) is None and celery_app() is not None:
        config.attributes[CELERY_APP] = celery_app
    return config


def worker_config(spec: dict[str, Any]) -> Any:
    """Rebuild an environment's config in a worker (Django is set up there)."""
    options = Namespace(x=list(spec.get("x") or []), quiet=True)
    config = conf.get_config(spec.get("environment"), stdout=io.StringIO(), cmd_opts=options)
    return prepare(config)


def django_tenants_schemas() -> list[str]:
    """Every tenant schema of a django-tenants project, the public one excepted."""
    from django_tenants.utils import get_public_schema_name, get_tenant_model

    public = get_public_schema_name()
    names = get_tenant_model().objects.values_list("schema_name", flat=True)
    return [name for name in names.order_by("schema_name") if name != public]
