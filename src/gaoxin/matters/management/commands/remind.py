"""`gaoxin remind [--date YYYY-MM-DD]`: the daily job a scheduler runs (cron, a systemd timer):
due-soon and overdue reminders, each once, and the escalation of matters long overdue to the
zone's leaders (`notify.run_daily`). Safe to run more than once a day."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gaoxin.matters import notify


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("日期格式应为 YYYY-MM-DD:%(t)s") % {"t": text}) from None


class Command(BaseCommand):
    help = "发送事项临期、逾期提醒,并将逾期较久的事项升级至园区领导督办(每日运行一次)。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="按哪一天计算(YYYY-MM-DD,默认今天;用于补跑)",
        )

    def handle(self, *args, date=None, **options):
        today = _date(date) if date else None
        counts = notify.run_daily(today)
        self.stdout.write(
            self.style.SUCCESS(
                _("提醒已发送:临期 %(due_soon)s 件,逾期 %(overdue)s 件;升级督办 %(escalated)s 件。")
                % counts
            )
        )
