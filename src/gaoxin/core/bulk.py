"""Bulk writing helpers shared by the importers, the publishing of accepted returns and the demo.

`max_in_params` and `chunks` keep `IN (...)` lists within what the database accepts; `insert`
writes plain tuples fast: Django's bulk_create compiles every value through its field (µs each,
millions of values), while here the rows are already in the database's form and go out with COPY
on PostgreSQL and multi-row INSERTs on SQLite (no per-row Python in the driver).
"""

import datetime
import functools
import itertools
import sqlite3
import time

from django.db import connection

WRITE_BATCH = 5000  # rows per INSERT (at most) or COPY write, so progress moves while writing
INSERT_SECONDS: dict[str, float] = {}  # seconds of the last insert per table, for the benchmarks


def max_in_params() -> int:
    """How many values one `IN (...)` may carry on this database (SQLite builds differ)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        return max(500, min(limit - 100, 60000))
    return 30000  # PostgreSQL allows 65,535 parameters per statement


def chunks(items, size):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i : i + size]


def insert(model, fields, rows) -> None:
    """INSERT plain tuples (values already in the database's form; JSON as text): COPY on
    PostgreSQL (one round trip, not one per row), multi-row INSERTs on SQLite."""
    rows = list(rows)
    if not rows:
        return
    meta, quote = model._meta, connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(f).column) for f in fields)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN", rows)
        else:
            _insert_many(cursor, f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ", rows)
    INSERT_SECONDS[meta.model_name] = time.perf_counter() - started


def _insert_many(cursor, head: str, rows: list) -> None:
    """SQLite: one INSERT of many rows per statement (as many as its parameter limit allows)
    rather than executemany's statement step per row: measured ~2× faster on 100,000 rows."""
    width = len(rows[0])
    per_statement = max(1, min(WRITE_BATCH, (max_in_params() + 100) // width))
    mark = "(" + ", ".join(["%s"] * width) + ")"
    full = None
    for chunk in chunks(rows, per_statement):
        if len(chunk) == per_statement:
            full = full or head + ", ".join([mark] * per_statement)
            sql = full
        else:
            sql = head + ", ".join([mark] * len(chunk))
        cursor.execute(sql, list(itertools.chain.from_iterable(chunk)))


def _copy(cursor, sql, rows) -> None:
    """COPY the rows with psycopg's `Cursor.copy()` (Django's cursor hands it through). It is not
    an execute(), so it is run here under the wrappers installed with `connection.execute_wrapper`
    (query counters, logs, blockers see it like any statement), and a database error comes out as
    Django's (IntegrityError …), as it does from execute on SQLite."""

    def copy(sql, params, many, context):
        with cursor.db.wrap_database_errors, cursor.copy(sql) as stream:
            for chunk in chunks(rows, WRITE_BATCH):
                stream.write("".join(map(_copy_line, chunk)))

    execute = copy
    for wrapper in reversed(cursor.db.execute_wrappers):  # the first installed is outermost
        execute = functools.partial(wrapper, execute)
    execute(sql, None, False, {"connection": cursor.db, "cursor": cursor})


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value) -> str:
    """One value in COPY's text format (what psycopg's write_row does, without its per-value
    dispatch: 300,000 rows)."""
    if value is None:
        return "\\N"
    if type(value) is str:
        return value.translate(_COPY_ESCAPES)
    if type(value) is bool:
        return "t" if value else "f"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _copy_line(row) -> str:
    return "\t".join(map(_copy_value, row)) + "\n"
