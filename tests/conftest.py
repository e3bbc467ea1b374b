import os
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    TagFactory,
    ZoneFactory,
    member,
)

# Shared fixtures by concept (tests/support/): the access matrix's world, the demo province.
pytest_plugins = ["tests.support.access", "tests.support.demo"]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The tests reading the session demo run last, after pytest-django's ordering: the demo's
    open transaction must not overlap a test that builds its own or expects an empty database."""
    from tests.support.demo import demo_last

    demo_last(items)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """MD5 in tests (Django's advice): PBKDF2's million rounds cost a third of a second per
    sign-in and per password checked against the history. PBKDF2 stays listed for the hashes
    made outside a test (the demo's)."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _isolated_cache(settings, tmp_path):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": str(tmp_path),
        }
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _two_factor_where_tested(request, settings):
    """Tests sign admins in with force_login and take tokens with a password only; the second
    factor is required (as in production) in the tests marked `otp`, which exercise it."""
    if request.node.get_closest_marker("otp") is None:
        settings.OTP_REQUIRED_ROLES = ()


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
        from gaoxin.core.codelists import ensure_code_lists
        from gaoxin.statistics.catalogue import ensure_standard

        ensure_code_lists()
        ensure_standard()


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


@pytest.fixture
def world(db):
    """Two zones of one province and one of another, a user per role, enterprises in each.

    zone_a (Jiangxi): enterprises a1, a2 (a1 is the enterprise user's own); zone_b (Jiangxi): b1;
    zone_c (Hunan): c1. province = Jiangxi viewer.
    """
    zone_a = ZoneFactory(
        code="ZA", name="甲高新技术产业开发区", short_name="甲高新区", division_id="360121"
    )
    zone_b = ZoneFactory(
        code="ZB", name="乙高新技术产业开发区", short_name="乙高新区", division_id="360802"
    )
    zone_c = ZoneFactory(
        code="ZC", name="丙高新技术产业开发区", short_name="丙高新区", division_id="430104"
    )
    dept_a = DepartmentFactory(zone=zone_a, name="经济发展局")
    tag_a = TagFactory(zone=zone_a, name="电子信息")
    a1 = EnterpriseFactory(zone=zone_a, name="甲一电子科技有限公司")
    a1.tags.add(tag_a)
    a2 = EnterpriseFactory(zone=zone_a, name="甲二纺织有限公司", industry_id="1711")
    b1 = EnterpriseFactory(zone=zone_b, name="乙一新材料有限公司", industry_id="3041")
    c1 = EnterpriseFactory(zone=zone_c, name="丙一智能装备有限公司", industry_id="3491")
    users = {
        "admin": member("platform_admin", username="admin"),
        "province": member("province_viewer", username="province", province="360000"),
        "zone_admin": member("zone_admin", username="zone_admin", zone=zone_a),
        "leader": member("zone_leader", username="leader", zone=zone_a),
        "staff": member("zone_staff", username="staff", zone=zone_a, department=dept_a),
        "enterprise": member("enterprise_user", username="enterprise", zone=zone_a, enterprise=a1),
    }
    return SimpleNamespace(
        zone_a=zone_a,
        zone_b=zone_b,
        zone_c=zone_c,
        dept_a=dept_a,
        tag_a=tag_a,
        a1=a1,
        a2=a2,
        b1=b1,
        c1=c1,
        users=users,
        **users,
    )
