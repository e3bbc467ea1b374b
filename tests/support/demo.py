"""The demo province for tests that only read it: built once per test run (`demo`, session
scope), inside a transaction that is rolled back at the end of the run.

Registered in tests/conftest.py, which also moves every test using `demo` to the end of the run:
the open transaction then never overlaps a test that expects an empty database or builds its own
demo. (Under pytest-xdist each worker would build its own; `make test` runs the SQLite and the
PostgreSQL suites side by side instead.)"""

from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.test import override_settings

from gaoxin.demo.build import build_demo
from tests.support.access import FAST_HASHERS
from tests.support.seed import reload_seed


@contextmanager
def demo_in_transaction(django_db_blocker, **kwargs):
    """Yields what build_demo() returns. The demo's deferred foreign keys are checked once, here:
    otherwise PostgreSQL checks them all again at every test's end (as Django's TestCase does),
    seconds each."""
    # The accounts' password hashed as the tests hash theirs: PBKDF2's work factor costs a fifth
    # of a second at every check (the fuzzer's sign-ins and password changes make hundreds).
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        reload_seed()  # the demo runs last, after transactional tests flushed the seeded rows
        result = build_demo(**kwargs)
        if connection.features.can_defer_constraint_checks:
            connection.check_constraints()
        yield result
        transaction.set_rollback(True)


@pytest.fixture(scope="session")
def demo(django_db_setup, django_db_blocker):
    """The demo province (the context build_demo returns: zones, accounts, each step's summary
    under its module label), built once per run and rolled back after the last test using it."""
    with demo_in_transaction(django_db_blocker) as result:
        yield result


def uses_demo(item) -> bool:
    """Whether the test reads the session demo (a fixture of its own named `demo` does not
    count: tests/core/test_backup.py builds and commits its own)."""
    definitions = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    found = definitions.get("demo")
    return bool(found) and found[-1].func.__module__ == __name__


def demo_last(items: list) -> None:
    """Move the tests that read the session demo to the end of the run, in their order."""
    readers = [item for item in items if uses_demo(item)]
    if readers:
        items[:] = [item for item in items if not uses_demo(item)] + readers
