"""How long the audit trail is kept, and the one sanctioned way to remove what is older.

等保2.0 asks for at least six months of audit records; FLOOR_DAYS is that floor. The database
refuses to delete anything younger (migration core 0008), whatever the setting says; the system
check in core/checks.py refuses to start with a shorter AUDIT_RETENTION_DAYS.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .models import AuditRecord

FLOOR_DAYS = 180
DEFAULT_DAYS = 1095  # three years
BATCH = 5000


def retention_days() -> int:
    """The configured retention, never below the floor."""
    return max(int(getattr(settings, "AUDIT_RETENTION_DAYS", DEFAULT_DAYS)), FLOOR_DAYS)


@dataclass(frozen=True)
class PurgeResult:
    days: int
    cutoff: datetime
    count: int  # deleted, or, for a dry run, that would be
    remaining: int
    dry_run: bool


def _unlock(cursor) -> None:
    """Within the current transaction only: let the audit table's guard pass old rows."""
    if connection.vendor == "postgresql":
        cursor.execute("SELECT set_config('gaoxin.audit_purge', 'on', true)")
    elif connection.vendor == "sqlite":
        cursor.execute("INSERT INTO gaoxin_audit_purge (token) VALUES (1)")


def _lock(cursor) -> None:
    # Explicit, because inside an outer transaction (tests) SET LOCAL would outlive this batch;
    # on an error the rollback undoes the unlock as well.
    if connection.vendor == "postgresql":
        cursor.execute("SELECT set_config('gaoxin.audit_purge', 'off', true)")
    elif connection.vendor == "sqlite":
        cursor.execute("DELETE FROM gaoxin_audit_purge")


def _delete_batch(cutoff: datetime, size: int) -> int:
    table = connection.ops.quote_name(AuditRecord._meta.db_table)
    limit = connection.ops.adapt_datetimefield_value(cutoff)
    with transaction.atomic(), connection.cursor() as cursor:
        _unlock(cursor)
        cursor.execute(
            f"DELETE FROM {table} WHERE id IN "
            f"(SELECT id FROM {table} WHERE time < %s ORDER BY id LIMIT %s)",
            [limit, size],
        )
        deleted = cursor.rowcount
        _lock(cursor)
    return deleted


def purge_audit(*, dry_run: bool = False, batch: int = BATCH, now=None) -> PurgeResult:
    """Delete the audit records older than the retention, in batches of `batch` rows (each its
    own transaction), and record the purge itself. A dry run only counts."""
    days = retention_days()
    cutoff = (now or timezone.now()) - timedelta(days=days)
    expired = AuditRecord.objects.filter(time__lt=cutoff)
    if dry_run:
        count = expired.count()
        return PurgeResult(days, cutoff, count, AuditRecord.objects.count() - count, True)
    deleted = 0
    try:
        while True:
            n = _delete_batch(cutoff, batch)
            deleted += n
            if n < batch:
                break
    finally:
        # Also after a failure part-way: what was deleted is on record.
        local = timezone.localtime(cutoff).strftime("%Y-%m-%d %H:%M:%S")
        audit.record(
            "system",
            AuditRecord.Action.DELETE,
            repr_=_("审计记录"),
            message=_("按保存期 %(days)s 天清理审计记录:删除 %(time)s 之前的记录 %(n)s 条")
            % {"days": days, "time": local, "n": deleted},
        )
    return PurgeResult(days, cutoff, deleted, AuditRecord.objects.count(), False)
