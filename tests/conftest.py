import copy
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections, transaction
from django.test import override_settings

from tests.support.seed import reload_seed
from tests.support.world import build_world

# Shared fixtures by concept (tests/support/): the access matrix's world, the demo province,
# the API clients, the investment projects, monthly returns and the figures rolled up from them.
pytest_plugins = [
    "tests.support.access",
    "tests.support.demo",
    "tests.support.api",
    "tests.support.pipeline",
    "tests.support.returns",
    "tests.support.figures",
]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The tests reading the session demo run last, after pytest-django's ordering: the demo's
    open transaction must not overlap a test that builds its own or expects an empty database.

    A sweep of the whole surface marked `engine(vendor)` runs on that engine only (deselected on
    the other): the access matrix's pages on SQLite, its API operations and the API fuzzer on PostgreSQL. What they check is
    decided by the access layer and the API's validation above the ORM; each behaviour that
    depends on the engine has its own tests, which run on both."""
    from django.db import connection

    from tests.support.demo import demo_last

    other = [
        item
        for item in items
        if (marker := item.get_closest_marker("engine")) and marker.args[0] != connection.vendor
    ]
    if other:
        config.hook.pytest_deselected(items=other)
        leaving = set(map(id, other))
        items[:] = [item for item in items if id(item) not in leaving]
    demo_last(items)


@pytest.fixture(scope="session")
def _test_media_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session", autouse=True)
def _test_settings(_test_media_root):
    """The settings every test runs with, set once for the run (each override and its undoing
    per test cost more than most tests do):
    - MD5 passwords (Django's advice): PBKDF2's million rounds cost a third of a second per
      sign-in and per password checked against the history. PBKDF2 stays listed for the hashes
      made outside a test (the demo's).
    - An in-memory cache and an upload folder of the run's own, emptied after each test
      (`_isolated_cache_and_uploads`).
    - Static files without the manifest `collectstatic` writes, looked up when asked for: every
      test client loads the middleware again, and WhiteNoise would scan the collected files each
      time (90 ms a test once `make run` has collected them).
    - No second factor: tests sign admins in with force_login and take tokens with a password
      only; the tests marked `otp` require it, as production does (`_two_factor_where_tested`)."""
    from django.conf import settings

    from tests.support.access import FAST_HASHERS  # a plugin: imported once pytest registered it

    production_otp_roles = settings.OTP_REQUIRED_ROLES
    with override_settings(
        PASSWORD_HASHERS=FAST_HASHERS,
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        MEDIA_ROOT=_test_media_root,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        WHITENOISE_AUTOREFRESH=True,
        OTP_REQUIRED_ROLES=(),
    ):
        yield production_otp_roles


@pytest.fixture(autouse=True)
def _isolated_cache_and_uploads(_test_media_root):
    """Each test starts with an empty cache and no uploaded files: what one test stored is gone
    before the next (a test that points either setting elsewhere is undone by `settings`)."""
    yield
    from django.core.cache import caches

    caches["default"].clear()
    if any(_test_media_root.iterdir()):
        shutil.rmtree(_test_media_root)
        _test_media_root.mkdir()


@pytest.fixture(autouse=True)
def _two_factor_where_tested(request, _test_settings):
    """The second factor required of the production roles in the tests marked `otp`."""
    if request.node.get_closest_marker("otp") is None:
        yield
        return
    with override_settings(OTP_REQUIRED_ROLES=_test_settings):
        yield


@pytest.fixture(autouse=True)
def _code_lists_after_flush(request):
    """Transactional tests flush every table, the data migration's code lists too: reload them."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    )
    if marker is not None and marker.kwargs.get("transaction"):
        transactional = True
    if transactional:
        request.getfixturevalue("transactional_db")
        reload_seed()


@contextmanager
def _audit_guard_lifted(connection):
    """The audit table's guard (migration core 0008) off, then back exactly as it was."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditrecord DISABLE TRIGGER USER")
            try:
                yield
            finally:
                cursor.execute("ALTER TABLE core_auditrecord ENABLE TRIGGER USER")
            return
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            ["core_auditrecord"],
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            yield
        finally:
            for _name, sql in triggers:
                cursor.execute(sql)


@pytest.fixture(scope="session", autouse=True)
def _flush_passes_the_audit_guard():
    """Transactional tests end with a flush (TRUNCATE or DELETE of every table), which the audit
    table refuses by design, as it refuses `gaoxin flush` in production; in tests the flush,
    and nothing else, lifts the guard for its duration."""
    original = FlushCommand.handle

    def handle(self, **options):
        with _audit_guard_lifted(connections[options["database"]]):
            return original(self, **options)

    FlushCommand.handle = handle
    yield
    FlushCommand.handle = original


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """A reused test database (`--reuse-db`, the PostgreSQL run) is left as the last run left it:
    emptied by a transactional test's flush (the seeded code lists too, whose data migrations do
    not run again), or holding the rows of a run killed midway. Start it from the seed alone."""
    if request.config.getoption("reuse_db", False):
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
            reload_seed()


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.fixture(scope="module")
def _module_world(request, django_db_setup, django_db_blocker):
    """The world, built once for a module whose tests all run in transactions (Django's
    setUpTestData): inside an atomic block rolled back after the module's last test. None when
    the module has a transactional test, which must see committed rows and ends with a flush."""
    from tests.support.demo import uses_demo  # a plugin: imported once pytest registered it

    items = [i for i in request.session.items if getattr(i, "module", None) is request.module]
    # A module that also reads the session demo builds it in the same connection: no open block.
    if any(_transactional(i) or uses_demo(i) for i in items):
        yield None
        return
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(request, _module_world, db):
    """Two zones of one province and one of another, a user per role, enterprises in each
    (tests/support/world.py). Each test gets its own copy of the module's world: its database
    changes are rolled back after it, its in-memory changes never reach the next test."""
    if _module_world is None:
        return build_world()
    return copy.deepcopy(_module_world)
