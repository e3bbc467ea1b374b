"""`gaoxin search_index [--zone CODE]`: rebuild the enterprise name search (enterprises/search.py)
from the registry, e.g. after rows were written around the services (a restore, raw SQL)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core.models import Zone
from gaoxin.enterprises import search


class Command(BaseCommand):
    help = "重建企业名称检索索引(名称片段、拼音首字母)"

    def add_arguments(self, parser):
        parser.add_argument("--zone", help="园区代码;默认全部园区")

    def handle(self, *args, zone=None, **options):
        target = None
        if zone:
            target = Zone.objects.filter(code=zone.strip()).first()
            if target is None:
                raise CommandError(_("未找到园区代码 %(c)s") % {"c": zone})
        with transaction.atomic():
            count = search.rebuild(target)
        self.stdout.write(_("已重建 %(n)d 家企业的名称检索索引") % {"n": count})
