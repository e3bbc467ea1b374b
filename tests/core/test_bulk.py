"""core.bulk.insert: plain tuples in, the same values out, on SQLite (multi-row INSERTs) and PostgreSQL
(COPY); the statement runs under the connection's execute wrappers; errors are Django's."""

import datetime
import json

import pytest
from django.db import IntegrityError, connection, connections, transaction

from gaoxin.core import bulk
from gaoxin.core.models import AuditRecord

pytestmark = pytest.mark.django_db

FIELDS = (
    "time", "actor_name", "action", "object_repr", "before", "message", "ip", "request_id",
    "object_id",
)  # fmt: skip
AT = datetime.datetime(2019, 12, 31, 23, 59, 30, tzinfo=datetime.UTC)
TEXT = "第一行\n第二行\r\n\\N 不是空值"


def rows(n):
    """COPY's special characters (tab, newline, carriage return, backslash, \\N), Chinese, None."""
    return [
        (
            AT + datetime.timedelta(seconds=i),
            f"user{i}",
            "create",
            "企业\t甲\\乙",
            json.dumps({"note": "a\\tb", "n": i}),
            TEXT,
            None,
            "",
            "",
        )  # fmt: skip
        for i in range(n)
    ]


def test_insert_writes_every_value_as_given():
    bulk.insert(AuditRecord, FIELDS, rows(3))
    got = list(AuditRecord.objects.order_by("time").values_list(*FIELDS))
    assert len(got) == 3
    assert got[0] == (
        AT, "user0", "create", "企业\t甲\\乙", {"note": "a\\tb", "n": 0}, TEXT, None, "", "",
    )  # fmt: skip
    assert [r[1] for r in got] == ["user0", "user1", "user2"]


def test_insert_in_several_batches(monkeypatch):
    monkeypatch.setattr(bulk, "WRITE_BATCH", 2)
    bulk.insert(AuditRecord, FIELDS, rows(5))
    assert sorted(AuditRecord.objects.values_list("actor_name", flat=True)) == [
        f"user{i}" for i in range(5)
    ]
    assert bulk.INSERT_SECONDS["auditrecord"] >= 0


def test_nothing_to_insert_sends_nothing():
    seen = []
    with connection.execute_wrapper(lambda execute, *args: seen.append(args) or execute(*args)):
        bulk.insert(AuditRecord, FIELDS, [])
    assert seen == []
    assert not AuditRecord.objects.exists()


def test_the_statement_runs_under_the_execute_wrappers():
    """Query counters (bench/common.py), logs and blockers installed with execute_wrapper see it."""
    seen, order = [], []

    def outer(execute, sql, params, many, context):
        order.append("outer")
        seen.append((sql.split()[0], context["connection"] is connections["default"]))
        return execute(sql, params, many, context)

    def inner(execute, sql, params, many, context):
        order.append("inner")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(outer), connection.execute_wrapper(inner):
        bulk.insert(AuditRecord, FIELDS, rows(2))
    verb = "COPY" if connection.vendor == "postgresql" else "INSERT"
    assert seen == [(verb, True)]
    assert order == ["outer", "inner"]
    assert AuditRecord.objects.count() == 2


def test_a_blocking_wrapper_stops_the_write():
    def blocker(*args):
        raise RuntimeError("no database access here")

    with pytest.raises(RuntimeError), connection.execute_wrapper(blocker):
        bulk.insert(AuditRecord, FIELDS, rows(1))
    assert not AuditRecord.objects.exists()


def test_a_database_error_is_djangos_and_writes_nothing():
    bad = rows(3)
    bad[2] = (AT, "user2", None, "", None, "", None, "", "")  # action is NOT NULL
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert(AuditRecord, FIELDS, bad)
    assert not AuditRecord.objects.exists()


def test_chunks_and_in_limits():
    assert list(bulk.chunks(range(5), 2)) == [[0, 1], [2, 3], [4]]
    assert list(bulk.chunks([], 2)) == []
    assert 500 <= bulk.max_in_params() <= 60000


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's multi-row INSERT")
def test_sqlite_sends_as_many_rows_per_statement_as_its_parameter_limit_allows(monkeypatch):
    from django.test.utils import CaptureQueriesContext

    # Two rows' parameters per statement (max_in_params keeps 100 below the limit).
    monkeypatch.setattr(bulk, "max_in_params", lambda: 2 * len(FIELDS) - 100)
    with CaptureQueriesContext(connection) as queries:
        bulk.insert(AuditRecord, FIELDS, rows(5))
    inserts = [q["sql"] for q in queries if q["sql"].startswith("INSERT")]
    assert [sql.count("), (") + 1 for sql in inserts] == [2, 2, 1]
    assert sorted(AuditRecord.objects.values_list("actor_name", flat=True)) == [
        f"user{i}" for i in range(5)
    ]
