"""`gaoxin demo [--if-empty] [--seed N]`: load the demo province into an empty database."""

import time

from django.core.management.base import BaseCommand, CommandError

from gaoxin.core.models import Zone
from gaoxin.demo.build import DemoExists, blockers, build_demo
from gaoxin.demo.plan import DEFAULT_SEED
from gaoxin.demo.report import account_rows, existing_accounts, table


class Command(BaseCommand):
    help = "载入演示省份(江西省,3 个园区)的确定性演示数据;只能载入空数据库。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="数据库中已有园区时不做任何更改(供 make run 使用)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"随机种子,相同种子生成相同数据(默认 {DEFAULT_SEED})",
        )

    def handle(self, *args, if_empty=False, seed=DEFAULT_SEED, **options):
        if if_empty:
            zones = Zone.objects.count()
            if zones:
                self.stdout.write(f"演示数据已存在(数据库中已有 {zones} 个园区),未做任何更改。")
                self._accounts(account_rows(existing_accounts()))
                return
        reason = blockers()
        if reason:
            raise self._refusal(reason)
        self.stdout.write(f"正在载入演示数据(随机种子 {seed})……")
        started = time.perf_counter()
        try:
            demo = build_demo(seed, progress=self.stdout.write)
        except DemoExists as exc:  # data arrived since the check above
            raise self._refusal(str(exc)) from None
        elapsed = time.perf_counter() - started
        summaries = list(demo.summaries.values())
        counts = [f"{len(demo.zones)} 个园区"]
        counts += [s.headline() for s in summaries if hasattr(s, "headline")]
        counts.append(f"{len(demo.accounts)} 个账号")
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已载入:{','.join(counts)},用时 {elapsed:.1f} 秒。")
        )
        for summary in summaries:
            for line in summary.lines() if hasattr(summary, "lines") else ():
                self.stdout.write(line)
        self._accounts(account_rows(demo.accounts))

    @staticmethod
    def _refusal(reason: str) -> CommandError:
        return CommandError(
            f"{reason},拒绝载入演示数据:演示数据只能载入空数据库。"
            "请换用新的数据库(migrate 后再运行),或加 --if-empty 在已有数据时跳过。"
        )

    def _accounts(self, rows):
        if rows:
            self.stdout.write("\n演示账号:\n" + table(rows) + "\n")
