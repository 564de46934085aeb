"""Database expressions that differ per backend."""

from __future__ import annotations

from django.db import models


class CurrentTransactionId(models.Func):
    """The writing transaction's id on PostgreSQL (``pg_current_xact_id()``); 0 elsewhere.

    The changes feed orders entries by it and serves only entries of transactions older than every
    transaction still running, so that a poller never passes an entry that commits later. SQLite runs
    one writing transaction at a time, so there ids alone already follow commit order.
    """

    output_field = models.BigIntegerField()
    arity = 0

    def as_sql(self, compiler, connection, **extra_context):
        return "0", []

    def as_postgresql(self, compiler, connection, **extra_context):
        return "(pg_current_xact_id()::text::bigint)", []
