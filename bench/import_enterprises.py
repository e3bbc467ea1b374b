"""Benchmark: importing 20,000 enterprises from one .xlsx (DESIGN.md mechanism 5).

Builds a fresh SQLite database in a temporary GAOXIN_VAR (migrate, one zone, one admin, the zone's
tags), writes a workbook of realistic rows, then in one run:
  1. imports it with the pipeline (gaoxin.enterprises.importers.import_enterprises),
  2. imports the same rows with ONE bad cell into a fresh copy: rejected, exactly one error,
  3. the baseline: services.create_enterprise per row (one outer transaction, so it is all or
     nothing too) on a sample, extrapolated to the full size and labelled as such.

Reproduce:  .venv/bin/python bench/import_enterprises.py [--rows 20000] [--baseline-rows 1000]
"""

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import QueryCounter, fresh_database, report, setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华红玉兰建国志文斌辉鹏飞宇浩然晨阳欣怡"
PLACES = ["江西", "南昌", "赣州", "九江", "吉安", "宜春", "上饶", "抚州", "景德镇", "萍乡", "新余"]
STEMS = "赣鑫瑞泰恒汇联博创华宏盛达通源丰晟昌隆信诚德润安嘉和兴远鸿鼎凯越卓"
TRADES = [
    ("光电", "3974"),
    ("电子", "3982"),
    ("新材料", "3089"),
    ("生物医药", "2720"),
    ("纺织", "1711"),
    ("机械", "3421"),
    ("智能装备", "3491"),
    ("汽车零部件", "3670"),
    ("食品", "1492"),
    ("锂电", "3841"),
]
SUFFIXES = ["科技有限公司", "股份有限公司", "有限责任公司", "实业有限公司", "制造有限公司"]
TAGS = ["电子信息", "新材料", "生物医药", "装备制造", "纺织服装", "新能源"]
ROADS = ["艾溪湖北路", "火炬大街", "高新大道", "紫阳大道", "京东大道", "天祥大道", "创新一路"]
HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "法定代表人",
    "注册资本(万元)",
    "成立日期",
    "行业代码",
    "地址",
    "企业规模",
    "规上企业",
    "入规日期",
    "高新技术企业",
    "经营状态",
    "产业链标签",
    "联系人",
    "联系电话",
]
BAD_ROW_INDEX = 12345  # 0-based among data rows: Excel row 12347 (header is row 1)


def seed_template(var: Path) -> Path:
    """Migrate and seed once; every scenario starts from a copy of this file."""
    from django.core.management import call_command
    from django.db import connection

    from gaoxin.core.models import Membership, Tag, User, Zone

    call_command("migrate", verbosity=0)
    zone = Zone.objects.create(
        code="BENCH", name="基准高新技术产业开发区", level="national", division_id="360121"
    )
    admin = User.objects.create(username="bench-admin", full_name="基准管理员")
    Membership.objects.create(user=admin, role="platform_admin")
    Tag.objects.bulk_create([Tag(zone=zone, name=t) for t in TAGS])
    connection.close()
    template = var / "template.sqlite3"
    shutil.copy(var / "gaoxin.sqlite3", template)
    return template


def person(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def make_rows(n: int, seed: int = 20191103) -> list[list]:
    """Rows as people type them: money as 1.2亿 / 500万 / 3,000, dates in several shapes."""
    import datetime

    from gaoxin.core.codes import make_uscc
    from gaoxin.core.models import Industry

    rng = random.Random(seed)
    names = dict(Industry.objects.filter(level="class").values_list("code", "name"))
    rows = []
    for i in range(n):
        trade, code = rng.choice(TRADES)
        stem = rng.choice(STEMS) + rng.choice(STEMS)
        name = f"{rng.choice(PLACES)}{stem}{trade}{rng.choice(SUFFIXES)}"
        if i % 7 == 0:
            name = f"{name[:-4]}（{rng.choice(PLACES)}）{name[-4:]}"
        uscc = make_uscc("9", "1", "360121", f"{30_000_000 + i:08d}")
        capital = rng.choice(
            [f"{rng.randint(1, 50) / 10}亿", f"{rng.randint(50, 9000)}万", rng.randint(50, 90000)]
        )
        if isinstance(capital, int) and capital >= 1000:
            capital = f"{capital:,}"
        day = datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randint(0, 8000))
        established = rng.choice(
            [day, f"{day.year}年{day.month}月{day.day}日", f"{day.year}.{day.month}.{day.day}"]
        )
        above = rng.random() < 0.3
        since = datetime.date(max(day.year + 1, 2012), 1, 1) if above else None
        industry = rng.choice([f"{code} {names[code]}", code])
        tags = "、".join(rng.sample(TAGS, rng.choice((0, 1, 1, 2))))
        rows.append(
            [
                name,
                uscc,
                person(rng),
                capital,
                established,
                industry,
                f"江西省南昌市高新区{rng.choice(ROADS)}{rng.randint(1, 999)}号",
                rng.choice(["大型", "中型", "小型", "小型", "微型"]),
                "是" if above else "否",
                since,
                rng.choice(["是", "否", "否"]),
                rng.choice(["在营"] * 18 + ["停产", "迁出"]),
                tags,
                person(rng),
                f"13{rng.randint(100000000, 999999999)}",
            ]
        )
    return rows


def write_workbook(path: Path, rows: list[list]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("企业名录")
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    wb.save(path)


def run_pipeline(path: Path, actor, zone):
    from gaoxin.enterprises.importers import import_enterprises

    with QueryCounter() as queries:
        started = time.perf_counter()
        result = import_enterprises(actor, zone, path)
        total = time.perf_counter() - started
    return result, total, queries.count


def run_baseline(path: Path, actor, zone, n: int):
    """The naive importer: the same reader, then services.create_enterprise row by row."""
    from django.db import transaction

    from gaoxin.core.spreadsheets import read_records
    from gaoxin.enterprises import services
    from gaoxin.enterprises.importers import enterprise_columns

    fields = set(services.EDITABLE_FIELDS)
    with QueryCounter() as queries:
        started = time.perf_counter()
        parsed = read_records(path, enterprise_columns())
        with transaction.atomic():
            for record in parsed.records[:n]:
                v = dict(record.values)
                data = {k: x for k, x in v.items() if k in fields and x is not None}
                data["industry"] = v["industry"][0]
                data["tags"] = v["tags"] or []
                contacts = [{"name": v["contact_name"], "phone": v["contact_phone"] or ""}]
                services.create_enterprise(
                    actor, zone, contacts=contacts, status=v["status"] or "operating", **data
                )
        total = time.perf_counter() - started
    return total, queries.count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--baseline-rows", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="gaoxin-bench-"))
    var = tmp / "var"
    var.mkdir()
    try:
        setup_django(var)
        template = seed_template(var)
        from django.db import connection

        from gaoxin.core.models import AuditRecord, User, Zone
        from gaoxin.enterprises.models import Enterprise

        started = time.perf_counter()
        rows = make_rows(args.rows)
        good = tmp / "enterprises.xlsx"
        write_workbook(good, rows)
        bad_rows = [list(r) for r in rows]
        bad_index = min(BAD_ROW_INDEX, args.rows - 1)
        wrong = "0" if bad_rows[bad_index][1][-1] != "0" else "1"
        bad_rows[bad_index][1] = bad_rows[bad_index][1][:-1] + wrong  # a wrong check character
        bad = tmp / "enterprises-one-bad-cell.xlsx"
        write_workbook(bad, bad_rows)
        generated = time.perf_counter() - started

        def actors():
            return User.objects.get(username="bench-admin"), Zone.objects.get(code="BENCH")

        # 1. the pipeline, all rows
        fresh_database(var, template)
        actor, zone = actors()
        result, total, queries = run_pipeline(good, actor, zone)
        assert result.ok, result.sorted_errors()[:5]
        created = Enterprise.objects.count()
        audits = AuditRecord.objects.count()
        assert created == args.rows and audits == args.rows + 1, (created, audits)

        # 2. one bad cell: everything rejected, one error naming that cell
        fresh_database(var, template)
        actor, zone = actors()
        rejected, rejected_total, rejected_queries = run_pipeline(bad, actor, zone)
        errors = rejected.sorted_errors()
        # nothing written but the audited rejection itself
        assert Enterprise.objects.count() == 0
        assert list(AuditRecord.objects.values_list("action", flat=True)) == ["import_rejected"]
        bad_cell = f"B{bad_index + 2}"

        # 3. the baseline on a sample
        n = min(args.baseline_rows, args.rows)
        fresh_database(var, template)
        actor, zone = actors()
        base_total, base_queries = run_baseline(good, actor, zone, n)
        assert Enterprise.objects.count() == n
        connection.close()
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    print(f"gaoxin bench: import {args.rows:,} enterprises from one .xlsx into SQLite (WAL)")
    print(f"(workbook of {args.rows:,} rows generated in {generated:.1f} s, not counted)\n")
    return report(
        rows=args.rows,
        sample=n,
        baseline="services.create_enterprise per row",
        result=result,
        total=total,
        queries=queries,
        base_total=base_total,
        base_queries=base_queries,
        errors=errors,
        bad_cell=bad_cell,
        rejected_total=rejected_total,
        rejected_queries=rejected_queries,
        reproduce=f"bench/import_enterprises.py --rows {args.rows} --baseline-rows {args.baseline_rows}",
    )


if __name__ == "__main__":
    sys.exit(main())
