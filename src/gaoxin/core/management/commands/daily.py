"""`gaoxin daily [--date YYYY-MM-DD] [--only LABEL ...]`: the one daily command a scheduler runs
(cron, a systemd timer). It runs every installed module's daily job (core.modules, `daily_job`)
in menu order, each in its own try, so one module's failure does not stop the others; it exits
non-zero when any failed. Safe to run more than once a day: each job sends each reminder once."""

import datetime
import logging

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from gaoxin.core import modules

logger = logging.getLogger(__name__)


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("日期格式应为 YYYY-MM-DD:%(t)s") % {"t": text}) from None


class Command(BaseCommand):
    help = "运行各模块的每日任务(事项提醒与督办等);每日运行一次,可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help=_("按哪一天计算(YYYY-MM-DD,默认今天;用于补跑)"))
        parser.add_argument(
            "--only", nargs="+", metavar="MODULE", help=_("只运行这些模块的任务(模块标识)")
        )

    def handle(self, *args, date=None, only=None, **options):
        today = _date(date) if date else None
        jobs = [m for m in modules.installed() if m.daily_job]
        if only:
            unknown = sorted(set(only) - {m.label for m in jobs})
            if unknown:
                raise CommandError(
                    _("没有每日任务的模块:%(u)s(可选:%(all)s)")
                    % {"u": ", ".join(unknown), "all": ", ".join(m.label for m in jobs)}
                )
            jobs = [m for m in jobs if m.label in only]
        failed = []
        for module in jobs:
            try:
                line = import_string(module.daily_job)(today)
            except Exception:
                logger.exception("daily job of %s failed", module.label)
                failed.append(module)
                self.stderr.write(_("%(m)s:每日任务失败,详见日志") % {"m": module.verbose_name})
                continue
            self.stdout.write(self.style.SUCCESS(f"{module.verbose_name}:{line}"))
        if failed:
            raise CommandError(
                _("%(n)s 个模块的每日任务失败:%(m)s")
                % {"n": len(failed), "m": "、".join(str(m.verbose_name) for m in failed)}
            )
