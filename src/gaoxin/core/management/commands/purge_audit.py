"""`gaoxin purge_audit [--dry-run]`: delete audit records older than AUDIT_RETENTION_DAYS.

Run it from cron (e.g. weekly). Never anything younger than 180 days goes, whatever the setting;
the purge itself is recorded in the audit trail.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from gaoxin.core.retention import BATCH, purge_audit


class Command(BaseCommand):
    help = "删除超过保存期(AUDIT_RETENTION_DAYS,至少 180 天)的审计记录,并记录本次清理。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计将删除的记录数,不删除")
        parser.add_argument(
            "--batch", type=int, default=BATCH, help=f"每个事务删除的记录数(默认 {BATCH})"
        )

    def handle(self, *args, dry_run=False, batch=BATCH, **options):
        if batch < 1:
            raise CommandError("--batch 应为正整数")
        try:
            result = purge_audit(dry_run=dry_run, batch=batch)
        except DatabaseError as exc:
            raise CommandError(f"清理中断:{exc}") from exc
        cutoff = timezone.localtime(result.cutoff).strftime("%Y-%m-%d %H:%M:%S")
        if result.dry_run:
            self.stdout.write(
                f"试运行:保存期 {result.days} 天,{cutoff} 之前的审计记录 {result.count} 条"
                f"将被删除,保留 {result.remaining} 条;未做任何更改。"
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"已删除 {cutoff} 之前的审计记录 {result.count} 条(保存期 {result.days} 天),"
                f"现有 {result.remaining} 条(含本次清理的记录)。"
            )
        )
