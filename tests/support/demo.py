"""The demo province for tests that only read it: built once per module or class, inside a
transaction that is rolled back afterwards."""

from contextlib import contextmanager

from django.db import connection, transaction

from gaoxin.core.demo import build_demo


@contextmanager
def demo_in_transaction(django_db_blocker, **kwargs):
    """Yields what build_demo() returns. The demo's deferred foreign keys are checked once, here:
    otherwise PostgreSQL checks them all again at every test's end (as Django's TestCase does),
    seconds each."""
    with django_db_blocker.unblock(), transaction.atomic():
        result = build_demo(**kwargs)
        if connection.features.can_defer_constraint_checks:
            connection.check_constraints()
        yield result
        transaction.set_rollback(True)
