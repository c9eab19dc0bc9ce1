"""``python -m alembic_django`` runs the standalone command line."""

from alembic_django.cli import console_main

if __name__ == "__main__":
    console_main()
