"""`gaoxin import KIND FILE --zone CODE [--user NAME] [--update] [--period YYYY-MM]`: import a
spreadsheet, all or nothing. Kinds come from the registry in gaoxin.core.spreadsheets.registry
(enterprises, projects, returns, official ...); --period is for the kinds that take one (returns).

On errors it prints the first 50, writes FILE.errors.xlsx with the bad cells marked and exits 1.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gaoxin.core.errors import Forbidden
from gaoxin.core.spreadsheets.registry import (
    ProgressBar,
    get_target,
    kinds,
    resolve_actor,
    resolve_zone,
)

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = "从 .xlsx/.xls/.csv 导入数据(全部成功或一条不写),如 gaoxin import enterprises 企业.xlsx --zone ZA"

    def add_arguments(self, parser):
        parser.add_argument("kind", help=", ".join(kinds()))
        parser.add_argument("file", help=_("要导入的 .xlsx、.xls 或 .csv 文件"))
        parser.add_argument("--zone", required=True, help=_("目标园区代码"))
        parser.add_argument("--user", help=_("操作人账号(默认:第一个平台管理员)"))
        parser.add_argument(
            "--update", action="store_true", help=_("按统一社会信用代码更新本园区已有记录")
        )
        parser.add_argument("--period", help=_("报告期 YYYY-MM(月度报表:表中没有报告期列时必填)"))

    def handle(self, *args, kind, file, zone, user, update, period=None, **options):
        target = get_target(kind)
        extra = {}
        if period:
            if "period" not in target.options:
                raise CommandError(_("%(k)s 不支持 --period") % {"k": kind}, returncode=2)
            extra["period"] = period
        zone = resolve_zone(zone)
        actor = resolve_actor(user)
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("找不到文件 %(f)s") % {"f": file})
        bar = ProgressBar(getattr(self.stderr, "_out", self.stderr))
        try:
            result = target.import_file(
                actor, zone, path, update_existing=update, progress=bar, **extra
            )
        except Forbidden as exc:
            raise CommandError(f"{actor.username}: {exc}", returncode=1) from None
        finally:
            bar.close()
        if result.ok:
            self.stdout.write(self.style.SUCCESS(result.summary()))
            return
        self.stdout.write(self.style.ERROR(result.summary()))
        errors = result.sorted_errors()
        for e in errors[:SHOWN_ERRORS]:
            where = _("第 %(r)s 行") % {"r": e.row} if e.row is not None else _("文件")
            column = f" {e.column}" if e.column else ""
            value = f"「{e.value}」" if e.value else ""
            self.stdout.write(f"{where}{column}{value}: {e.reason}")
        if len(errors) > SHOWN_ERRORS:
            self.stdout.write(
                _("…… 另有 %(n)d 处错误未列出,见标注文件") % {"n": len(errors) - SHOWN_ERRORS}
            )
        marked = path.with_name(path.name + ".errors.xlsx")
        if result.write_errors_workbook(marked):
            self.stdout.write(_("已在 %(f)s 中标出错误单元格") % {"f": marked})
        raise CommandError(_("导入失败,没有写入任何数据"), returncode=1)
