"""Settings for the alembic_django example project: two Alembic environments on two SQLite databases."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "example-project-not-secret"
DEBUG = True
ALLOWED_HOSTS: list[str] = []
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "alembic_django",
    "inventory",
]

DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"},
    "analytics": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "analytics.sqlite3"},
}

# One Alembic environment per entry; "default" is used when --name is not given.
ALEMBIC = {
    "default": {
        "script_location": BASE_DIR / "alembic",
        "database": "default",
        "target_metadata": "inventory.tables:metadata",
    },
    "analytics": {
        "script_location": BASE_DIR / "analytics_migrations",
        "database": "analytics",
        "target_metadata": "inventory.tables:analytics_metadata",
    },
}
