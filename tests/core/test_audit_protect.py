"""The audit table refuses changes in the database itself; retention and `gaoxin purge_audit`."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.contrib import admin
from django.core.checks import run_checks
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from gaoxin.core import audit
from gaoxin.core.models import AuditRecord, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
POSTGRES = connection.vendor == "postgresql"


def _record(user, days_ago=0, message="原记录"):
    """An audit record written `days_ago` days ago (auto_now_add stamps the clock's time)."""
    with time_machine.travel(timezone.now() - timedelta(days=days_ago), tick=False):
        return audit.record(user, AuditRecord.Action.UPDATE, repr_="对象", message=message)


def _refused(sql, params=()):
    """Run raw SQL as any connection could; the database must refuse it."""
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def _purge_flag(cursor):
    """What `gaoxin purge_audit` does inside its transaction (anyone can do the same)."""
    if POSTGRES:
        cursor.execute("SELECT set_config('gaoxin.audit_purge', 'on', true)")
    else:
        cursor.execute("INSERT INTO gaoxin_audit_purge (token) VALUES (1)")


def _state():
    return list(AuditRecord.objects.order_by("pk").values_list("pk", "message", "actor_id"))


# --- the database refuses ---------------------------------------------------------------------


def test_plain_update_delete_and_truncate_are_refused():
    user = UserFactory()
    recent, old = _record(user), _record(user, days_ago=400)
    before = _state()
    _refused("UPDATE core_auditrecord SET message = %s WHERE id = %s", ["改过", recent.pk])
    _refused("UPDATE core_auditrecord SET time = %s", [timezone.now()])
    _refused("DELETE FROM core_auditrecord WHERE id = %s", [recent.pk])
    _refused("DELETE FROM core_auditrecord WHERE id = %s", [old.pk])  # old, but no purge flag
    _refused("DELETE FROM core_auditrecord")
    assert _state() == before


@pytest.mark.skipif(not POSTGRES, reason="SQLite has no TRUNCATE (a DELETE without WHERE)")
@pytest.mark.django_db(transaction=True)
def test_truncate_is_refused():
    # Outside a test transaction: there, pending foreign-key checks would refuse it first.
    _record(UserFactory())
    _refused("TRUNCATE core_auditrecord")
    _refused("TRUNCATE core_auditrecord CASCADE")
    assert AuditRecord.objects.count() == 1


def test_even_the_purge_flag_lets_nothing_younger_than_180_days_go():
    user = UserFactory()
    young = _record(user, days_ago=179)
    before = _state()
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        _purge_flag(cursor)
        cursor.execute("DELETE FROM core_auditrecord WHERE id = %s", [young.pk])
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        _purge_flag(cursor)
        cursor.execute("UPDATE core_auditrecord SET message = %s", ["改过"])
    assert _state() == before


def test_deleting_an_account_unlinks_its_records_and_keeps_who_it_was():
    gone, other = UserFactory(username="gone"), UserFactory(username="other")
    rec = _record(gone)
    _refused(
        "UPDATE core_auditrecord SET actor_id = NULL, actor_name = %s WHERE id = %s",
        ["nobody", rec.pk],
    )
    _refused("UPDATE core_auditrecord SET actor_id = %s WHERE id = %s", [other.pk, rec.pk])
    gone.delete()
    rec = AuditRecord.objects.get(pk=rec.pk)
    assert (rec.actor_id, rec.actor_name, rec.message) == (None, "gone", "原记录")
    assert not User.objects.filter(username="gone").exists()


@pytest.mark.skipif(POSTGRES, reason="PostgreSQL compares whole rows; SQLite lists the columns")
def test_sqlite_update_guard_names_every_column():
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'core_auditrecord_no_update'")
        (sql,) = cursor.fetchone()
    columns = {f.column for f in AuditRecord._meta.concrete_fields} - {"actor_id"}
    assert {c for c in columns if f'NEW."{c}" IS OLD."{c}"' in sql} == columns


@pytest.mark.django_db(transaction=True)
def test_a_flush_in_tests_passes_and_leaves_the_guard_in_place():
    # tests/conftest.py lifts the guard for Django's flush only; afterwards it holds again.
    _record(UserFactory())
    call_command("flush", interactive=False, verbosity=0)
    assert AuditRecord.objects.count() == 0
    rec = _record(UserFactory())
    _refused("DELETE FROM core_auditrecord WHERE id = %s", [rec.pk])
    assert AuditRecord.objects.filter(pk=rec.pk).exists()


def test_the_admin_offers_no_way_to_change_or_delete():
    model_admin = admin.site._registry[AuditRecord]
    request = RequestFactory().get("/admin/core/auditrecord/")
    request.user = User.objects.create_superuser("root", password="Unused-pass-2026!")
    assert "delete_selected" not in model_admin.get_actions(request)
    assert (
        model_admin.has_add_permission(request),
        model_admin.has_change_permission(request),
        model_admin.has_delete_permission(request),
    ) == (False, False, False)


# --- retention ----------------------------------------------------------------------------------


def _purge(*args):
    out = io.StringIO()
    call_command("purge_audit", *args, stdout=out)
    return out.getvalue()


def _purge_records():
    return list(
        AuditRecord.objects.filter(action="delete", object_repr="审计记录").values_list(
            "actor_name", "message"
        )
    )


def test_purge_removes_only_what_is_older_than_the_retention(settings):
    settings.AUDIT_RETENTION_DAYS = 365
    user = UserFactory()
    expired = [_record(user, days_ago=d) for d in (1000, 400, 366)]
    kept = [_record(user, days_ago=d) for d in (364, 200, 1, 0)]
    output = _purge()
    remaining = set(AuditRecord.objects.values_list("pk", flat=True))
    assert remaining >= {r.pk for r in kept}
    assert remaining.isdisjoint({r.pk for r in expired})
    assert "已删除" in output and "审计记录 3 条(保存期 365 天)" in output
    ((actor, message),) = _purge_records()
    assert actor == "system"
    assert message.startswith("按保存期 365 天清理审计记录:删除 ")
    assert message.endswith(" 之前的记录 3 条")


def test_a_setting_below_the_floor_still_keeps_180_days(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    user = UserFactory()
    expired = _record(user, days_ago=181)
    kept = [_record(user, days_ago=d) for d in (179, 100, 31)]
    _purge()
    remaining = set(AuditRecord.objects.values_list("pk", flat=True))
    assert expired.pk not in remaining
    assert {r.pk for r in kept} <= remaining
    ((_actor, message),) = _purge_records()
    assert message.startswith("按保存期 180 天清理审计记录")


def test_purge_works_in_batches_and_records_itself_once(settings):
    settings.AUDIT_RETENTION_DAYS = 180
    user = UserFactory()
    for d in range(200, 205):
        _record(user, days_ago=d)
    young = _record(user, days_ago=10)
    _purge("--batch", "2")
    assert list(
        AuditRecord.objects.exclude(object_repr="审计记录").values_list("pk", flat=True)
    ) == [young.pk]
    ((_actor, message),) = _purge_records()
    assert message.endswith(" 之前的记录 5 条")


def test_dry_run_counts_and_changes_nothing(settings):
    settings.AUDIT_RETENTION_DAYS = 180
    user = UserFactory()
    _record(user, days_ago=300)
    _record(user, days_ago=5)
    before = _state()
    output = _purge("--dry-run")
    assert _state() == before
    assert "试运行:保存期 180 天" in output and "审计记录 1 条将被删除,保留 1 条" in output


@pytest.mark.parametrize(("days", "refused"), [(179, True), (0, True), (180, False), (1095, False)])
def test_the_system_check_refuses_less_than_180_days(settings, days, refused):
    settings.AUDIT_RETENTION_DAYS = days
    ids = [m.id for m in run_checks()]
    assert ("core.E001" in ids) is refused
