"""`gaoxin export KIND FILE --zone CODE [--user NAME]`: write what the user may see in the zone
to an .xlsx with the import's headers (so it can be edited and imported back)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gaoxin.core.spreadsheets.registry import get_target, kinds, resolve_actor, resolve_zone


class Command(BaseCommand):
    help = "导出为 .xlsx(表头与导入模板一致),如 gaoxin export enterprises 企业.xlsx --zone ZA"

    def add_arguments(self, parser):
        parser.add_argument("kind", help=", ".join(kinds()))
        parser.add_argument("file", help=_("导出的 .xlsx 文件路径"))
        parser.add_argument("--zone", required=True, help=_("园区代码"))
        parser.add_argument("--user", help=_("操作人账号(默认:第一个平台管理员)"))

    def handle(self, *args, kind, file, zone, user, **options):
        target = get_target(kind)
        if target.export_file is None:
            raise CommandError(_("%(k)s 不支持导出") % {"k": kind})
        if not file.lower().endswith(".xlsx"):
            raise CommandError(_("导出文件名应以 .xlsx 结尾"))
        zone = resolve_zone(zone)
        actor = resolve_actor(user)
        try:
            count = target.export_file(actor, zone, file)
        except OSError as exc:
            raise CommandError(_("无法写入 %(f)s:%(e)s") % {"f": file, "e": exc}) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("已导出 %(n)d 条%(l)s到 %(f)s") % {"n": count, "l": target.label, "f": file}
            )
        )
