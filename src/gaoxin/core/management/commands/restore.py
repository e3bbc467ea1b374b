"""`gaoxin restore FILE [--force]`: bring this installation back to the state in a backup made
by `gaoxin backup` (see gaoxin.core.backup). Refuses a non-empty target unless --force."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gaoxin.core.backup import BackupError, restore_backup, terminal_progress


class Command(BaseCommand):
    help = "从 gaoxin backup 生成的备份文件恢复数据库和上传文件;目标不是空的时需加 --force"
    # The recovery tool runs whatever the system checks would say of this deployment (they read
    # the URLs and the modules' declarations, not the data it restores): as Django's migrate,
    # which the restore runs when the backup is older.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("备份文件(.tar.gz)"))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("目标已有数据时,用备份替换其中的全部数据和上传文件"),
        )

    def handle(self, *args, file, force=False, **options):
        self.stdout.write(_("正在校验并恢复备份 %(f)s……") % {"f": file})
        try:
            result = restore_backup(file, force=force, progress=terminal_progress(self.stderr))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(result.lines()[0]))
        for line in result.lines()[1:]:
            self.stdout.write(line)
