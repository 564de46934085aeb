import sqlite3

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _use_sqlite_variable_limit(sender, connection, **kwargs) -> None:
    """Let bulk statements use the SQLite build's real parameter limit.

    Django assumes 999 bound parameters, the default of SQLite releases before 3.32; current builds
    allow 32,766. With the real limit a ladder document of hundreds of levels is written in a few
    statements instead of one per ~60 rows.
    """
    if connection.vendor == "sqlite" and hasattr(connection.connection, "getlimit"):
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        connection.features.max_query_params = max(999, limit)


class LadderConfig(AppConfig):
    """Career ladders, the reference scale and title translation."""

    name = "ladder"
    verbose_name = "Career ladders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        connection_created.connect(_use_sqlite_variable_limit, dispatch_uid="pmladder-sqlite-limit")
        from ladder import directory
        from ladder.models import ApiKey, Company, Framework, Ladder, ReferenceLevel

        directory.connect_signals((ApiKey, Company, Ladder, Framework, ReferenceLevel))
