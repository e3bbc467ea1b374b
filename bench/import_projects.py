"""Benchmark: importing a 5,000-row project ledger (招商台账) with stage dates from one .xlsx.

Builds a fresh SQLite database in a temporary GAOXIN_VAR (migrate, one zone, one admin, the zone's
industry chains, channels, departments and officers), writes a ledger of realistic rows (seeded
random), then in one run:
  1. imports it with the pipeline (gaoxin.investment.importers.import_projects),
  2. imports the same rows with ONE bad cell (row 4,999: 开工 a day before 签约) into a fresh
     copy: rejected, exactly one error at that cell, nothing written,
  3. the baseline: services.create_project + services.move_stage per later stage (and
     save_commitment) row by row, in one outer transaction so it is all or nothing too, on a
     sample, extrapolated to the full size and labelled as such.

Reproduce:  .venv/bin/python bench/import_projects.py [--rows 5000] [--baseline-rows 200]
"""

import argparse
import datetime
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import QueryCounter, fresh_database, report, setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

CHAINS = ["电子信息", "新材料", "生物医药", "装备制造", "新能源", "纺织服装"]
CHANNELS = ["产业链招商", "以商招商", "展会招商", "驻外招商", "基金招商", "小分队招商"]
DEPARTMENTS = ["招商一局", "招商二局", "招商三局", "经济发展局", "科技创新局"]
OFFICERS = 24
TRADES = [
    ("柔性显示模组", "3974"),
    ("集成电路封测", "3973"),
    ("锂电池", "3841"),
    ("光伏组件", "3825"),
    ("生物制药", "2761"),
    ("医疗器械", "3581"),
    ("高性能纤维", "2829"),
    ("精密轴承", "3451"),
    ("工业机器人", "3491"),
    ("汽车零部件", "3670"),
    ("智能家电", "3857"),
    ("冷链物流", "5951"),
    ("软件研发中心", "65"),
    ("新型建材", "30"),
]
KINDS = ["项目", "生产基地", "产业园", "扩产项目", "研发中心", "二期项目"]
STEMS = "赣鑫瑞泰恒汇联博创华宏盛达通源丰晟昌隆信诚德润安嘉和兴远鸿鼎凯越卓"
ORIGINS = [
    "广东省",
    "浙江",
    "江苏省",
    "上海市",
    "北京",
    "福建省",
    "湖南",
    "江西省",
    "四川省",
    "山东",
] * 4 + ["中国香港", "中国台湾", "德国", "日本", "韩国", "新加坡", "美国", "英属维尔京群岛"]
HEADERS = [
    "项目名称",
    "项目类别",
    "投资方",
    "投资方来源",
    "行业代码",
    "产业链",
    "招商渠道",
    "计划总投资(万元)",
    "其中固定资产投资(万元)",
    "外资(万美元)",
    "用地(亩)",
    "建筑面积(平方米)",
    "预计年产值(万元)",
    "预计年税收(万元)",
    "预计用工(人)",
    "责任部门",
    "责任人",
    "项目选址",
    "线索日期",
    "考察日期",
    "洽谈日期",
    "签约日期",
    "开工日期",
    "投产日期",
    "暂缓/终止",
    "暂缓/终止日期",
    "暂缓/终止原因",
    "承诺投资(万元)",
    "承诺到位资金(万元)",
    "资金到位期限",
    "开工期限",
    "投产期限",
    "承诺年产值(万元)",
    "承诺年税收(万元)",
    "承诺用工(人)",
]
COL = {h: i for i, h in enumerate(HEADERS)}
BAD_EXCEL_ROW = 4999  # the bad cell's row as Excel shows it (header is row 1)
LAST_DAY = datetime.date(2025, 12, 31)  # every generated date is in the past


def seed_template(var: Path) -> Path:
    """Migrate and seed once; every scenario starts from a copy of this file."""
    from django.core.management import call_command
    from django.db import connection

    from gaoxin.core.models import Department, Membership, Tag, User, Zone

    call_command("migrate", verbosity=0)
    zone = Zone.objects.create(
        code="BENCH", name="基准高新技术产业开发区", level="national", division_id="360121"
    )
    admin = User.objects.create(username="bench-admin", full_name="基准管理员")
    Membership.objects.create(user=admin, role="platform_admin")
    Tag.objects.bulk_create(
        [Tag(zone=zone, name=t, category="industry_chain") for t in CHAINS]
        + [Tag(zone=zone, name=t, category="source_channel") for t in CHANNELS]
    )
    departments = Department.objects.bulk_create(
        [Department(zone=zone, name=d) for d in DEPARTMENTS]
    )
    for i in range(OFFICERS):
        user = User.objects.create(username=f"officer{i:02d}", full_name=f"招商员{i:02d}")
        Membership.objects.create(
            user=user, role="zone_staff", zone=zone, department=departments[i % len(departments)]
        )
    connection.close()
    template = var / "template.sqlite3"
    shutil.copy(var / "gaoxin.sqlite3", template)
    return template


def _date_cell(rng, day: datetime.date):
    return rng.choice(
        [day, day, f"{day.year}年{day.month}月{day.day}日", f"{day.year}.{day.month}.{day.day}"]
    )


def _money(rng, wan: int):
    """As people type it: 5.2亿, 3,000万, or a plain number of 万元."""
    if wan >= 10000 and wan % 1000 == 0 and rng.random() < 0.5:
        return f"{wan / 10000:g}亿"
    if rng.random() < 0.3:
        return f"{wan:,}万"
    return wan


def make_rows(n: int, seed: int = 20190305) -> list[list]:
    """Ledger rows: a project reaches a random stage through dated steps, some skipping the
    early stages, some on hold or dropped, the signed ones with their commitments."""
    from gaoxin.core.models import Industry

    rng = random.Random(seed)
    names = dict(Industry.objects.values_list("code", "name"))
    stages = ["lead", "visit", "negotiation", "signed", "started", "production"]
    reach_weights = [12, 10, 15, 23, 17, 23]
    rows = []
    for i in range(n):
        trade, code = rng.choice(TRADES)
        investor = f"{rng.choice(STEMS)}{rng.choice(STEMS)}{trade[:2]}有限公司"
        name = f"{rng.choice(STEMS)}{rng.choice(STEMS)}{trade}{rng.choice(KINDS)}(第{i + 1}号)"
        reach = rng.choices(range(len(stages)), weights=reach_weights)[0]
        first = 0 if rng.random() < 0.6 else rng.randint(0, min(reach, 3))
        day = datetime.date(2014, 1, 1) + datetime.timedelta(days=rng.randint(0, 3000))
        dates = {}
        for s in range(first, reach + 1):
            if s > first:
                day += datetime.timedelta(days=rng.randint(3, 180))
            dates[stages[s]] = day
        if max(dates.values()) > LAST_DAY:  # pull the whole history back into the past
            shift = max(dates.values()) - LAST_DAY
            dates = {k: v - shift for k, v in dates.items()}
        planned = rng.choice([rng.randint(5, 300) * 100, rng.randint(1, 60) * 10000])
        signed = "signed" in dates
        row = [None] * len(HEADERS)
        row[COL["项目名称"]] = name
        row[COL["项目类别"]] = rng.choice(["工业"] * 8 + ["服务业", "基础设施", "农业", None])
        row[COL["投资方"]] = investor
        row[COL["投资方来源"]] = rng.choice(ORIGINS)
        row[COL["行业代码"]] = rng.choice([code, f"{code} {names[code]}"])
        row[COL["产业链"]] = rng.choice(CHAINS + [None])
        row[COL["招商渠道"]] = rng.choice(CHANNELS)
        row[COL["计划总投资(万元)"]] = _money(rng, planned)
        row[COL["其中固定资产投资(万元)"]] = planned * rng.randint(60, 95) // 100
        if row[COL["投资方来源"]] in ORIGINS[-8:]:
            row[COL["外资(万美元)"]] = planned // 7
        row[COL["用地(亩)"]] = rng.randint(10, 600)
        row[COL["建筑面积(平方米)"]] = rng.randint(5, 300) * 1000
        row[COL["预计年产值(万元)"]] = _money(rng, planned * rng.randint(1, 3))
        row[COL["预计年税收(万元)"]] = planned // rng.randint(10, 30)
        row[COL["预计用工(人)"]] = rng.randint(20, 3000)
        department = rng.randrange(len(DEPARTMENTS))
        row[COL["责任部门"]] = DEPARTMENTS[department]
        officer = department + len(DEPARTMENTS) * rng.randrange(OFFICERS // len(DEPARTMENTS))
        row[COL["责任人"]] = rng.choice([f"officer{officer:02d}", f"招商员{officer:02d}"])
        row[COL["项目选址"]] = f"高新区{rng.choice(STEMS)}{rng.choice(STEMS)}产业园"
        for stage, header in zip(stages, HEADERS[COL["线索日期"] :], strict=False):
            if stage in dates:
                row[COL[header]] = _date_cell(rng, dates[stage])
        last = max(dates.values())
        if reach < 5 and rng.random() < 0.08 and last < LAST_DAY - datetime.timedelta(days=60):
            hold = rng.random() < 0.6
            row[COL["暂缓/终止"]] = "暂缓" if hold else "终止"
            row[COL["暂缓/终止日期"]] = _date_cell(
                rng, last + datetime.timedelta(days=rng.randint(1, 60))
            )
            row[COL["暂缓/终止原因"]] = rng.choice(
                ["投资方资金未落实", "用地指标未落实", "投资方战略调整", "环评未通过"]
            )
        if signed and rng.random() < 0.85:
            sign_day = dates["signed"]
            row[COL["承诺投资(万元)"]] = planned
            row[COL["承诺到位资金(万元)"]] = planned * rng.randint(20, 60) // 100
            row[COL["资金到位期限"]] = sign_day + datetime.timedelta(days=rng.randint(180, 720))
            start_by = sign_day + datetime.timedelta(days=rng.randint(60, 270))
            row[COL["开工期限"]] = start_by
            row[COL["投产期限"]] = start_by + datetime.timedelta(days=rng.randint(180, 720))
            row[COL["承诺年产值(万元)"]] = planned * rng.randint(1, 3)
            row[COL["承诺年税收(万元)"]] = planned // 20
            row[COL["承诺用工(人)"]] = rng.randint(20, 3000)
        rows.append(row)
    return rows


def spoil(rows: list[list]) -> tuple[list[list], str]:
    """A copy with one bad cell: at Excel row 4,999, 开工 one day before 签约."""
    from gaoxin.core.spreadsheets import column_letter, parse_date

    bad = [list(r) for r in rows]
    index = min(BAD_EXCEL_ROW, len(rows) + 1) - 2
    target = bad[index]
    signed = datetime.date(2019, 6, 10)
    if target[COL["签约日期"]] is not None:
        signed = parse_date(target[COL["签约日期"]])
    else:
        for header in ("线索日期", "考察日期", "洽谈日期"):
            target[COL[header]] = None
        target[COL["签约日期"]] = signed
    for header in ("投产日期", "暂缓/终止", "暂缓/终止日期", "暂缓/终止原因"):
        target[COL[header]] = None
    target[COL["开工日期"]] = signed - datetime.timedelta(days=1)
    return bad, f"{column_letter(COL['开工日期'])}{index + 2}"


def write_workbook(path: Path, rows: list[list]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("招商台账")
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    wb.save(path)


def run_pipeline(path: Path, actor, zone):
    from gaoxin.investment.importers import import_projects

    with QueryCounter() as queries:
        started = time.perf_counter()
        result = import_projects(actor, zone, path)
        total = time.perf_counter() - started
    return result, total, queries.count


def run_baseline(path: Path, actor, zone, n: int):
    """The naive importer: the same reader, then the services row by row — create_project at
    the first dated stage, move_stage for every later one, save_commitment."""
    from django.db import transaction

    from gaoxin.core.spreadsheets import read_records
    from gaoxin.investment import services
    from gaoxin.investment.importers import project_columns
    from gaoxin.investment.importers.columns import COMMITMENT_COLUMNS, PLAIN_FIELDS, STAGE_DATES
    from gaoxin.investment.importers.places import COUNTRIES

    with QueryCounter() as queries:
        started = time.perf_counter()
        parsed = read_records(path, project_columns())
        with transaction.atomic():
            for record in parsed.records[:n]:
                v = record.values
                data = {f: v[f] for f in PLAIN_FIELDS if v.get(f) is not None}
                origin = v["origin"]
                if origin in COUNTRIES.values():
                    data["origin_country"] = origin
                else:
                    data["origin_province"] = origin
                data["category"] = v["category"] or "industrial"
                data["industry"] = v["industry"][0]
                for f in ("chain", "channel", "department", "officer"):
                    data[f] = v[f]
                dated = [(s, v[f]) for s, f in STAGE_DATES if v.get(f)]
                (stage, on), later = dated[0], dated[1:]
                project = services.create_project(actor, zone, stage=stage, on=on, **data)
                for stage, on in later:
                    project = services.move_stage(actor, project, stage, on=on)
                if v["halt"]:
                    project = services.move_stage(
                        actor, project, v["halt"], on=v["halt_on"], note=v["halt_reason"]
                    )
                commitment = {m: v[f] for f, m in COMMITMENT_COLUMNS.items() if v.get(f)}
                if commitment:
                    services.save_commitment(actor, project, commitment)
        total = time.perf_counter() - started
    return total, queries.count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--baseline-rows", type=int, default=200)
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
        from gaoxin.investment.models import Commitment, Project, StageEvent

        started = time.perf_counter()
        rows = make_rows(args.rows)
        good = tmp / "ledger.xlsx"
        write_workbook(good, rows)
        bad_rows, bad_cell = spoil(rows)
        bad = tmp / "ledger-one-bad-cell.xlsx"
        write_workbook(bad, bad_rows)
        generated = time.perf_counter() - started

        def actors():
            return User.objects.get(username="bench-admin"), Zone.objects.get(code="BENCH")

        # 1. the pipeline, all rows
        fresh_database(var, template)
        actor, zone = actors()
        result, total, queries = run_pipeline(good, actor, zone)
        assert result.ok, result.sorted_errors()[:5]
        created = Project.objects.count()
        events = StageEvent.objects.count()
        commitments = Commitment.objects.count()
        audits = AuditRecord.objects.count()
        assert created == args.rows and audits == args.rows + 1, (created, audits)
        stages = {}
        for stage in Project.objects.values_list("stage", flat=True):
            stages[stage] = stages.get(stage, 0) + 1
        stages = dict(sorted(stages.items()))

        # 2. one bad cell: everything rejected, one error naming that cell
        fresh_database(var, template)
        actor, zone = actors()
        rejected, rejected_total, rejected_queries = run_pipeline(bad, actor, zone)
        errors = rejected.sorted_errors()
        assert Project.objects.count() == 0 and StageEvent.objects.count() == 0
        assert list(AuditRecord.objects.values_list("action", flat=True)) == ["import_rejected"]

        # 3. the baseline on a sample
        n = min(args.baseline_rows, args.rows)
        fresh_database(var, template)
        actor, zone = actors()
        base_total, base_queries = run_baseline(good, actor, zone, n)
        assert Project.objects.count() == n
        connection.close()
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    print(f"gaoxin bench: import a {args.rows:,}-row project ledger (招商台账) into SQLite (WAL)")
    print(f"(ledger generated in {generated:.1f} s, not counted: {events:,} stage events, "
          f"{commitments:,} commitments; by stage {stages})\n")  # fmt: skip
    return report(
        rows=args.rows,
        sample=n,
        baseline="create_project + move_stage per row",
        result=result,
        total=total,
        queries=queries,
        base_total=base_total,
        base_queries=base_queries,
        errors=errors,
        bad_cell=bad_cell,
        rejected_total=rejected_total,
        rejected_queries=rejected_queries,
        reproduce=f"bench/import_projects.py --rows {args.rows} --baseline-rows {args.baseline_rows}",
    )


if __name__ == "__main__":
    sys.exit(main())
