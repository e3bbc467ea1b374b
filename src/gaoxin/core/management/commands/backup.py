"""`gaoxin backup [FILE]`: the database and every uploaded file in one .tar.gz (see
gaoxin.core.backup); default var/backups/gaoxin-YYYYMMDD-HHMMSS.tar.gz."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gaoxin.core.backup import BackupError, create_backup, terminal_progress


class Command(BaseCommand):
    help = "把数据库和全部上传文件备份为一个文件(默认 var/backups/gaoxin-年月日-时分秒.tar.gz)"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help=_("备份文件路径(.tar.gz)"))

    def handle(self, *args, file=None, **options):
        self.stdout.write(_("正在备份数据库和上传文件……"))
        try:
            result = create_backup(file, progress=terminal_progress(self.stderr))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(result.lines()[0]))
        for line in result.lines()[1:]:
            self.stdout.write(line)
