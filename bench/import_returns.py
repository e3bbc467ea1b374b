"""Benchmark: importing a 100,000-row monthly returns workbook (5,000 enterprises × 20 periods, the
nine standard return indicators) with our pipeline and with django-import-export, on SQLite and
on PostgreSQL.

In one run per database, on the same freshly seeded database (one zone, one admin, 5,000
enterprises of the zone's registry; each scenario starts from an identical copy):
  1. ours: gaoxin.statistics.importers.import_returns — read with calamine, validate every row,
     run every check rule over the whole file (checks.evaluate), write the submitted returns,
     a revision snapshot of each (the row-level trail), the findings and the import's audit
     record, in one transaction;
  1b. the floor: the very rows ours wrote (returns, revisions, findings, audit), dumped and
     written again into a fresh copy by the database's fastest path alone — PostgreSQL
     COPY FROM STDIN, SQLite multi-row INSERTs on the raw connection — in one transaction;
  2. django-import-export 4: a resources.ModelResource for Return (统一社会信用代码 through a
     ForeignKeyWidget on Enterprise.uscc, 报告期 through a widget, the nine indicator columns
     mapped into `data`), the way its docs show: tablib reads the .xlsx, import_data(dry_run=True),
     then, with no errors, import_data(dry_run=False). We chose `use_bulk=True` (bulk_create in
     batches of 1,000) and `skip_diff=True`: its fastest documented settings that keep the
     lookup of an existing (enterprise, period) return, as ours does. It writes only the Return
     rows (no checks, revisions, findings or audit), so the comparison favours it.
     By default it runs on the first --baseline-rows rows and is extrapolated linearly (labelled);
     --baseline-rows 100000 runs it on the whole file.

PostgreSQL: a local server at 127.0.0.1:5432, user postgres, trust authentication; the run
creates (and drops) the databases gaoxin_bench_import and gaoxin_bench_import_template.

Reproduce:  .venv/bin/python bench/import_returns.py [--database sqlite|postgres|both]
            [--enterprises 5000] [--periods 20] [--baseline-rows 10000] [--profile]
(needs django-import-export and pyinstrument: .venv/bin/pip install -r bench/requirements.txt)
"""

import argparse
import datetime
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import QueryCounter, each_database, fresh_database, setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PG_SERVER = "postgres://postgres@127.0.0.1:5432/"
PG_NAME = "gaoxin_bench_import"
PG_TEMPLATE = "gaoxin_bench_import_template"
CODES = (
    "output_value", "revenue", "profit", "industrial_tax", "industrial_electricity", "employees",
    "rd_spending", "exports", "fixed_asset_investment",
)  # fmt: skip
HEADERS = (
    "报告期", "统一社会信用代码", "企业名称", "工业总产值(万元)", "营业收入(万元)", "利润总额(万元)",
    "税金总额(万元)", "工业用电量(万千瓦时)", "从业人员期末人数(人)", "研发费用(万元)",
    "出口交货值(万元)", "固定资产投资(万元)",
)  # fmt: skip
INDUSTRIES = ["3974", "3973", "3841", "3825", "2761", "3581", "2829", "3451", "3491", "3670"]
SCALES = ["large", "medium", "medium", "small", "small", "small", "micro"]


def reporting_periods(count: int) -> list[int]:
    """`count` reporting months ending 2019-12 (January never has a return)."""
    periods, year, month = [], 2019, 12
    while len(periods) < count:
        periods.append(year * 100 + month)
        month -= 1
        if month < 2:
            year, month = year - 1, 12
    return sorted(periods)


# ---- databases -------------------------------------------------------------------------------


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_SERVER + "postgres", autocommit=True) as conn:
        conn.execute(sql)


def pg_recreate(name: str, template: str | None = None) -> None:
    pg_admin(
        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname IN ('{name}') AND pid <> pg_backend_pid()"
    )
    pg_admin(f"DROP DATABASE IF EXISTS {name}")
    pg_admin(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))


def setup(database: str, var: Path) -> None:
    if database == "sqlite":
        setup_django(var)
        return
    pg_recreate(PG_TEMPLATE)
    os.environ["GAOXIN_VAR"] = str(var)
    os.environ["DATABASE_URL"] = PG_SERVER + PG_TEMPLATE
    os.environ["DB_CONN_MAX_AGE"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "gaoxin.settings"
    import django

    django.setup()


def fresh(database: str, var: Path, template: Path | None) -> None:
    """Every scenario starts from the same seeded database."""
    from django.db import connection

    if database == "sqlite":
        fresh_database(var, template)
        return
    connection.close()
    pg_recreate(PG_NAME, PG_TEMPLATE)
    connection.settings_dict["NAME"] = PG_NAME


def seed(database: str, var: Path, enterprises: int) -> Path | None:
    from django.core.management import call_command
    from django.db import connection

    from gaoxin.core.codes import make_uscc
    from gaoxin.core.models import Membership, User, Zone
    from gaoxin.enterprises.models import Enterprise

    call_command("migrate", verbosity=0)
    zone = Zone.objects.create(
        code="BENCH", name="基准高新技术产业开发区", level="national", division_id="360121"
    )
    admin = User.objects.create(username="bench-admin", full_name="基准管理员")
    Membership.objects.create(user=admin, role="platform_admin")
    rng = random.Random(4)
    Enterprise.objects.bulk_create(
        [
            Enterprise(
                zone=zone, name=f"基准{i:05d}科技有限公司",
                uscc=make_uscc("9", "1", "360121", f"{20_000_000 + i:08d}"),
                industry_id=rng.choice(INDUSTRIES), scale=rng.choice(SCALES),
                above_scale=True, above_scale_since=datetime.date(2015, 1, 1),
                legal_representative="张三",
            )
            for i in range(enterprises)
        ],
        batch_size=2000,
    )  # fmt: skip
    connection.close()
    if database == "sqlite":
        template = var / "template.sqlite3"
        shutil.copy(var / "gaoxin.sqlite3", template)
        return template
    return None


# ---- the workbook -----------------------------------------------------------------------------


def make_rows(enterprises, periods, seed_value=20191231) -> list[list]:
    """Cumulative figures growing month by month, per enterprise; a few cells typed as people
    do (1.2亿, 3,000, full-width digits); a planted cumulative decrease and a unit slip."""
    rng = random.Random(seed_value)
    rows = []
    for i, e in enumerate(enterprises):
        base = rng.uniform(200, 20000)  # a month's output, 万元
        mix = [1, rng.uniform(0.8, 1.2), rng.uniform(0.01, 0.1), rng.uniform(0.01, 0.06),
               rng.uniform(0.02, 0.05), None, rng.uniform(0.01, 0.06), rng.uniform(0, 0.3),
               rng.uniform(0, 0.2)]  # fmt: skip
        people = int(base / 10 * rng.uniform(0.6, 1.6)) + 20
        cumulative = [0.0] * len(CODES)
        for period in periods:
            month = period % 100
            grown = base * (1 + (period // 100 - 2018) * 0.08)
            if month == 2 or period == periods[0]:  # a new year (or January to now before)
                cumulative = [grown * (s or 0) * (month - 2) for s in mix]
            months = 2 if month == 2 else 1
            figures = []
            for k, (code, share) in enumerate(zip(CODES, mix, strict=True)):
                if code == "employees":
                    figures.append(people + rng.randint(-5, 5))
                    continue
                cumulative[k] += grown * share * months * rng.uniform(0.92, 1.08)
                figures.append(round(cumulative[k], 1))
            if rng.random() < 0.02:
                figures[0] = f"{figures[0]:,.1f}"  # 12,345.6
            elif rng.random() < 0.01:
                figures[1] = f"{figures[1] / 10000:.4f}亿"
            name = e.name if rng.random() < 0.5 else None
            rows.append([f"{period // 100}-{month:02d}", e.uscc, name, *figures])
        if i == 7:
            rows[-2][3] = rows[-3][3] / 2  # cumulative output falls (error)
        if i == 11:
            rows[-1][4] = rows[-1][4] * 10000  # revenue typed in 元 (unit slip)
    return rows


def write_workbook(path: Path, rows: list[list]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("月度报表")
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    wb.save(path)


# ---- the two importers --------------------------------------------------------------------------


def run_ours(path: Path, actor, zone, profile: bool):
    from gaoxin.statistics.importers import import_returns

    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    with QueryCounter() as queries:
        started, cpu = time.perf_counter(), time.process_time()
        result = import_returns(actor, zone, path)
        total = time.perf_counter() - started
        result.cpu = time.process_time() - cpu
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    return result, total, queries.count


def return_resource(zone, actor):
    """django-import-export's way: a ModelResource for Return."""
    from django.utils import timezone
    from import_export import fields, resources, widgets

    from gaoxin.core.periods import Period
    from gaoxin.enterprises.models import Enterprise
    from gaoxin.statistics.catalogue import indicators_for
    from gaoxin.statistics.importers.columns import amount_parser
    from gaoxin.statistics.models import Return

    indicators = {i.code: i for i in indicators_for(zone, source="return")}
    parsers = {code: amount_parser(i) for code, i in indicators.items()}
    columns = dict(zip(CODES, HEADERS[3:], strict=True))

    class PeriodWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return Period.reporting(str(value)).key

    class ReturnResource(resources.ModelResource):
        enterprise = fields.Field(
            attribute="enterprise", column_name="统一社会信用代码",
            widget=widgets.ForeignKeyWidget(Enterprise, field="uscc"),
        )  # fmt: skip
        period = fields.Field(attribute="period", column_name="报告期", widget=PeriodWidget())

        class Meta:
            model = Return
            fields = ("enterprise", "period")
            import_id_fields = ("enterprise", "period")
            use_bulk = True
            batch_size = 1000
            skip_diff = True

        def import_instance(self, instance, row, **kwargs):
            super().import_instance(instance, row, **kwargs)
            data = {}
            for code, header in columns.items():
                value = row.get(header)
                number = None if value in (None, "") else parsers[code](value)
                data[code] = None if number is None else format(number.normalize(), "f")
            instance.data = data
            instance.zone = zone
            instance.status = "submitted"
            instance.submitted_at = timezone.now()
            instance.submitted_by = actor

    return ReturnResource()


def run_baseline(path: Path, actor, zone):
    from import_export.formats.base_formats import XLSX

    with QueryCounter() as queries:
        started = time.perf_counter()
        dataset = XLSX().create_dataset(path.read_bytes())
        resource = return_resource(zone, actor)
        dry = resource.import_data(dataset, dry_run=True, raise_errors=False)
        if dry.has_errors() or dry.has_validation_errors():
            raise SystemExit(f"baseline dry run failed: {dry.row_errors()[:3]}")
        result = resource.import_data(dataset, dry_run=False, raise_errors=True)
        total = time.perf_counter() - started
    return result, total, queries.count


# ---- the floor: the same rows written by the database's fastest path -------------------------------

FLOOR_MODELS = ("Return", "ReturnRevision", "Finding")  # + the audit records


def dump_written():
    """What our import wrote, table by table, in the database's own form: COPY TO (text) on
    PostgreSQL, the rows as tuples on SQLite."""
    from django.apps import apps
    from django.db import connection

    from gaoxin.core.models import AuditRecord

    models = [apps.get_model("statistics", m) for m in FLOOR_MODELS] + [AuditRecord]
    dumped = []
    with connection.cursor() as cursor:
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            if connection.vendor == "postgresql":
                buffer = bytearray()
                with cursor.copy(f"COPY {table} TO STDOUT") as copy:
                    for block in copy:
                        buffer += block
                dumped.append((table, bytes(buffer), None))
            else:
                cursor.execute(f"SELECT * FROM {table}")
                width = len(cursor.description)
                dumped.append((table, cursor.fetchall(), width))
    return dumped


def run_floor(dumped) -> float:
    """Write the dumped rows into the fresh database in one transaction: COPY FROM STDIN on
    PostgreSQL; on SQLite one multi-row INSERT per 2,000 rows through the raw connection (its
    fastest path), the same transaction and commit as an import."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, rows, width in dumped:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    copy.write(rows)
                continue
            raw = connection.connection.cursor()
            per = max(1, 32000 // width)
            mark = "(" + ", ".join(["?"] * width) + ")"
            for i in range(0, len(rows), per):
                chunk = rows[i : i + per]
                sql = f"INSERT INTO {table} VALUES " + ", ".join([mark] * len(chunk))
                raw.execute(sql, [v for row in chunk for v in row])
    return time.perf_counter() - started


# ---- one database -----------------------------------------------------------------------------


def bench(args) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="gaoxin-bench-returns-"))
    var = tmp / "var"
    var.mkdir()
    try:
        setup(args.database, var)
        from django.db import connection

        template = seed(args.database, var, args.enterprises)
        from gaoxin.core.models import AuditRecord, User, Zone
        from gaoxin.enterprises.models import Enterprise
        from gaoxin.statistics.models import Finding, Return, ReturnRevision

        started = time.perf_counter()
        enterprises = list(Enterprise.objects.order_by("pk"))
        rows = make_rows(enterprises, reporting_periods(args.periods))
        good = tmp / "returns.xlsx"
        write_workbook(good, rows)
        n = min(args.baseline_rows, len(rows))
        sample = tmp / "returns-sample.xlsx"
        write_workbook(sample, rows[:n])
        generated = time.perf_counter() - started
        vendor = connection.vendor
        version = (
            ".".join(map(str, connection.Database.sqlite_version_info))
            if (vendor == "sqlite")
            else str(connection.cursor().connection.info.server_version)
        )

        def actors():
            return User.objects.get(username="bench-admin"), Zone.objects.get(code="BENCH")

        # 1. ours, all rows, and 2. the floor: the very rows ours wrote, written by the database's
        # fastest path; alternating, --repeat times each (medians: the machine is shared).
        runs, floors = [], []
        for attempt in range(args.repeat):
            fresh(args.database, var, template)
            actor, zone = actors()
            result, total, queries = run_ours(good, actor, zone, args.profile and not attempt)
            assert result.ok, result.sorted_errors()[:5]
            runs.append((total, result.cpu, dict(result.timings)))
            if not attempt:
                written = {
                    "returns": Return.objects.count(),
                    "revisions": ReturnRevision.objects.count(),
                    "findings": Finding.objects.count(),
                    "audit": AuditRecord.objects.count(),
                }
                assert written["returns"] == len(rows) == written["revisions"], written
                # One audit record for the import; each return's revision is its row-level trail.
                assert written["audit"] == 1, written
                kinds = dict(
                    sorted(
                        (k, Finding.objects.filter(kind=k).count())
                        for k in set(Finding.objects.values_list("kind", flat=True))
                    )
                )
                dumped = dump_written()
            fresh(args.database, var, template)
            floors.append(run_floor(dumped))
            assert Return.objects.count() == len(rows)
        del dumped
        total = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        t = {k: statistics.median(r[2][k] for r in runs) for k in runs[0][2]}
        floor = statistics.median(floors)

        # 3. django-import-export, on the sample
        fresh(args.database, var, template)
        actor, zone = actors()
        _base, base_total, base_queries = run_baseline(sample, actor, zone)
        assert Return.objects.count() == n, Return.objects.count()
        connection.close()
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        if args.database == "postgres" and not args.keep:
            for name in (PG_NAME, PG_TEMPLATE):
                try:
                    pg_recreate(name)
                    pg_admin(f"DROP DATABASE IF EXISTS {name}")
                except Exception:  # noqa: BLE001 - cleaning up is best effort
                    pass

    rows_n = len(rows)
    scale = rows_n / n
    base_full = base_total * scale
    label = "measured" if n == rows_n else f"measured on {n:,} rows, ×{scale:g} extrapolated"
    print(
        f"\n== {vendor} {version}: import {rows_n:,} returns "
        f"({args.enterprises:,} enterprises × {args.periods} periods, {len(CODES)} indicators)"
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"(workbook generated in {generated:.1f} s, not counted; load average {load} "
        f"on {os.cpu_count()} cores)\n"
    )
    print(f"median of {args.repeat} runs of ours and of the floor, alternating")
    print(f"{'':26}{'ours':>16}    django-import-export ({label})")
    print(f"{'read (calamine + parse)':26}{t['read']:>14.2f} s")
    print(f"{'validate':26}{t['validate']:>14.2f} s")
    print(f"{'checks (all rules)':26}{t['checks']:>14.2f} s")
    print(f"{'write (1 transaction)':26}{t['write']:>14.2f} s")
    extra = f" → ≈ {base_full:.1f} s" if n != rows_n else ""
    print(f"{'total':26}{total:>14.2f} s    {base_total:.2f} s{extra}")
    print(f"{'  of which CPU (this process)':26}{cpu:>14.2f} s")
    from gaoxin.core.bulk import INSERT_SECONDS

    inserts = ", ".join(f"{k} {v:.2f} s" for k, v in INSERT_SECONDS.items())
    print(f"{'  inserts (last run)':26}  {inserts}")
    print(f"{'rows/s':26}{rows_n / total:>16,.0f}    {n / base_total:,.0f}")
    extra_q = f" → ≈ {round(base_queries * scale):,}" if n != rows_n else ""
    print(f"{'SQL statements':26}{queries:>16,}    {base_queries:,}{extra_q}")
    print(f"{'speed-up':26}{base_full / total:>15.1f}×")
    how = "COPY FROM STDIN" if vendor == "postgresql" else "multi-row INSERT"
    print(
        f"\nthe floor: the same {written['returns']:,} returns, {written['revisions']:,} revisions, "
        f"{written['findings']:,} findings and the audit written by {how} alone "
        f"(no reading, no checks), one transaction: {floor:.2f} s (runs: {', '.join(f'{x:.2f}' for x in floors)}); ours {total / floor:.1f}× that (runs: {', '.join(f'{r[0]:.2f}' for r in runs)})"
    )
    print(
        f"\nours wrote {written['returns']:,} returns, {written['revisions']:,} revisions, "
        f"{written['findings']:,} findings {kinds}, {written['audit']:,} audit records; "
        f"django-import-export wrote the Return rows only."
    )
    ratio = base_full / total
    goal = (
        f"within 2× of COPY: {'met' if total <= 2 * floor else 'NOT met'} ({total / floor:.1f}×)"
        if vendor == "postgresql"
        else f"under 5 s: {'met' if total < 5 else 'NOT met'} ({total:.1f} s)"
    )
    print(f"targets: ≥ 10× faster than django-import-export: "
          f"{'met' if ratio >= 10 else 'NOT met'} ({ratio:.1f}×); {goal}")  # fmt: skip
    met = total <= 2 * floor if vendor == "postgresql" else total < 5
    return 0 if met and ratio >= 10 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--enterprises", type=int, default=5000)
    parser.add_argument("--periods", type=int, default=20)
    parser.add_argument("--baseline-rows", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of ours and of the floor")
    parser.add_argument("--profile", action="store_true", help="pyinstrument profile of ours")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    command = (
        f".venv/bin/python bench/import_returns.py --enterprises {args.enterprises} "
        f"--periods {args.periods} --baseline-rows {args.baseline_rows} --repeat {args.repeat}"
    )
    if args.database == "both":
        code = each_database(__file__)
        print(f"reproduce: {command}")
        return code
    code = bench(args)
    print(f"\nreproduce: {command} --database {args.database}")
    return code


if __name__ == "__main__":
    sys.exit(main())
