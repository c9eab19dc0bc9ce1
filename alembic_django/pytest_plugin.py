"""pytest plugin (registered as a ``pytest11`` entry point).

Filled in by the Django integration: fixtures for testing migrations.
"""
