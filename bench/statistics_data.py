"""The statistics benchmark's data set: one zone of 5,000 enterprises reporting monthly for ten
years (11 returns a year: 1–2月 then March … December) on 20 indicators — the 9 standard return
indicators and 11 the zone defines itself — about 12 million accepted values (`ReturnValue`),
550,000 accepted returns, and the rollups built from them by `rollups.refresh`.

Generated in plain Python (seeded, the same every run) into compact column arrays, then loaded
into a fresh database as fast as each engine allows:
- SQLite: executemany in one transaction with PRAGMA journal_mode=OFF, synchronous=OFF and
  foreign_keys=OFF while loading (WAL again afterwards);
- PostgreSQL: COPY … FROM STDIN (psycopg), foreign-key triggers off for the load
  (session_replication_role = replica; the generated ids are consistent by construction).
On both, the fact table's two indexes are dropped before the load and built afterwards.

Used by bench/statistics_cockpit.py; on its own it builds the database and prints the timings:

    .venv/bin/python bench/statistics_data.py [--database sqlite|postgres] [--enterprises 5000]
                                              [--years 10]
"""

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
import time
from array import array
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

PG_SERVER = "postgres://postgres@127.0.0.1:5432/"
PG_NAME = "gaoxin_bench"
LAST_YEAR = 2025
MONTHS = tuple(range(2, 13))
# month weights of a year's total (index by month; February carries January too)
WEIGHTS = {2: 0.13, 3: 0.085, 4: 0.08, 5: 0.082, 6: 0.09, 7: 0.078, 8: 0.078, 9: 0.085,
           10: 0.08, 11: 0.09, 12: 0.122}  # fmt: skip
# standard code → (share of output, cumulative)
STANDARD = {
    "output_value": (1.0, True), "revenue": (0.95, True), "profit": (0.06, True),
    "industrial_tax": (0.04, True), "industrial_electricity": (0.08, True),
    "employees": (0.02, False), "rd_spending": (0.03, True), "exports": (0.15, True),
    "fixed_asset_investment": (0.05, True),
}  # fmt: skip
# the zone's own return indicators: code, name, unit, share of output, cumulative
OWN = (
    ("sales_output", "工业销售产值", "万元", 0.97, True),
    ("new_product_output", "新产品产值", "万元", 0.2, True),
    ("main_cost", "主营业务成本", "万元", 0.8, True),
    ("vat_payable", "应交增值税", "万元", 0.025, True),
    ("energy_use", "综合能源消费量", "吨标准煤", 0.01, True),
    ("payroll", "应付职工薪酬", "万元", 0.09, True),
    ("rd_staff", "研发人员数", "人", 0.003, False),
    ("patent_filings", "专利申请数", "件", 0.0004, True),
    ("receivables", "应收账款", "万元", 0.25, False),
    ("inventory", "存货", "万元", 0.15, False),
    ("total_assets", "资产总计", "万元", 1.6, False),
)
INDUSTRIES = (
    "3974", "3973", "3982", "3841", "3825", "3891", "2761", "2720", "3581", "2829", "3451",
    "3491", "3670", "3089", "1711", "1492", "6513", "6520", "7320", "3311",
)  # fmt: skip
SCALES = ("large", "medium", "medium", "small", "small", "small", "micro")
TAGS = ("电子信息", "新材料", "生物医药", "装备制造", "纺织服装", "新能源")


@dataclass
class Data:
    """The generated data set as column arrays (one entry per value / return / enterprise)."""

    enterprises: int
    years: list[int]
    codes: list[str] = field(default_factory=list)
    cumulative: list[bool] = field(default_factory=list)
    # values
    ent: array = field(default_factory=lambda: array("l"))
    ind: array = field(default_factory=lambda: array("l"))  # index into codes
    per: array = field(default_factory=lambda: array("l"))
    val: array = field(default_factory=lambda: array("d"))
    mval: array = field(default_factory=lambda: array("d"))
    ret: array = field(default_factory=lambda: array("l"))
    # returns
    ret_ent: array = field(default_factory=lambda: array("l"))
    ret_per: array = field(default_factory=lambda: array("l"))
    ret_data: list[str] = field(default_factory=list)
    # enterprises (id = index + 1)
    ent_industry: list[str] = field(default_factory=list)
    ent_scale: list[str] = field(default_factory=list)
    ent_tag: list[int] = field(default_factory=list)  # index into TAGS

    @property
    def values(self) -> int:
        return len(self.val)

    @property
    def periods(self) -> list[int]:
        return [y * 100 + m for y in self.years for m in MONTHS]


def generate(enterprises: int = 5000, years: int = 10, seed: int = 20191231) -> Data:
    """Seeded values: each enterprise has a size, each year a growth, each month a share of the
    year; cumulative indicators add the months up, the others are point-in-time levels. Some
    enterprises start reporting later (so same-set growth differs from the totals' growth) and
    3% have not reported the last month."""
    rng = random.Random(seed)
    first = LAST_YEAR - years + 1
    data = Data(enterprises=enterprises, years=list(range(first, LAST_YEAR + 1)))
    data.codes = list(STANDARD) + [o[0] for o in OWN]
    shares = [s for s, _c in STANDARD.values()] + [o[3] for o in OWN]
    data.cumulative = [c for _s, c in STANDARD.values()] + [o[4] for o in OWN]
    n_ind = len(data.codes)
    cumulative = data.cumulative
    size, level, start = [], [], []
    for _e in range(enterprises):
        size.append(rng.lognormvariate(0, 1.2) * 30000)  # tenths of 万元 of output a year
        level.append(1.0)
        start.append(first if rng.random() < 0.85 else rng.randint(first + 1, LAST_YEAR))
        data.ent_industry.append(INDUSTRIES[rng.randrange(len(INDUSTRIES))])
        data.ent_scale.append(SCALES[rng.randrange(len(SCALES))])
        data.ent_tag.append(rng.randrange(len(TAGS)))
    last_period = LAST_YEAR * 100 + 12
    missing_last = {e for e in range(enterprises) if rng.random() < 0.03}
    ret_id = 0
    ent_a, ind_a, per_a = data.ent.append, data.ind.append, data.per.append
    val_a, mval_a, ret_a = data.val.append, data.mval.append, data.ret.append
    indices = range(n_ind)
    codes = data.codes
    dumps = json.dumps
    for year in data.years:
        annual = []
        for e in range(enterprises):
            if year > first:
                level[e] = max(0.3, level[e] * (1 + rng.gauss(0.08, 0.12)))
            base = size[e] * level[e]
            annual.append([base * shares[i] for i in indices])
        cum = [[0] * n_ind for _ in range(enterprises)]
        for month in MONTHS:
            period = year * 100 + month
            weight = WEIGHTS[month]
            for e in range(enterprises):
                if year < start[e] or (period == last_period and e in missing_last):
                    continue
                ret_id += 1
                a, c = annual[e], cum[e]
                r = weight * (0.8 + 0.4 * rng.random())
                eid = e + 1
                figures = {}
                for i in indices:
                    if cumulative[i]:
                        inc = int(a[i] * r)
                        c[i] += inc
                        value, month_value = c[i] / 10, inc / 10
                    else:
                        value = month_value = int(a[i] * (0.95 + r)) / 10
                    ent_a(eid)
                    ind_a(i)
                    per_a(period)
                    val_a(value)
                    mval_a(month_value)
                    ret_a(ret_id)
                    figures[codes[i]] = str(value)
                data.ret_ent.append(eid)
                data.ret_per.append(period)
                data.ret_data.append(dumps(figures, ensure_ascii=False))
    return data


# ---- databases -------------------------------------------------------------------------------


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_SERVER + "postgres", autocommit=True) as conn:
        conn.execute(sql)


def recreate(name: str) -> None:
    """Drop the PostgreSQL database `name` (ending its sessions) and create it empty."""
    pg_admin(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    )
    pg_admin(f"DROP DATABASE IF EXISTS {name}")
    pg_admin(f"CREATE DATABASE {name}")


def setup(database: str, var: Path) -> None:
    """Django on a fresh database: SQLite under `var`, or PostgreSQL database gaoxin_bench
    (dropped and created)."""
    os.environ["GAOXIN_VAR"] = str(var)
    os.environ["DJANGO_SETTINGS_MODULE"] = "gaoxin.settings"
    os.environ["DB_CONN_MAX_AGE"] = "0"
    if database == "postgres":
        recreate(PG_NAME)
        os.environ["DATABASE_URL"] = PG_SERVER + PG_NAME
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def seed(data: Data) -> dict:
    """Migrate; the zone, its users, its own indicators, tags, enterprises and some official
    figures. Returns {zone, leader, indicator_ids}."""
    from django.core.management import call_command

    from gaoxin.core.codes import make_uscc
    from gaoxin.core.models import Membership, Tag, User, Zone
    from gaoxin.enterprises.models import Enterprise
    from gaoxin.statistics.models import Indicator, OfficialFigure

    call_command("migrate", verbosity=0)
    zone = Zone.objects.create(
        code="BENCH", name="基准高新技术产业开发区", short_name="基准高新区", level="national",
        division_id="360121",
    )  # fmt: skip
    leader = User.objects.create(username="bench-leader", full_name="基准园区领导")
    Membership.objects.create(user=leader, role="zone_leader", zone=zone)
    for position, (code, name, unit, _share, cumulative) in enumerate(OWN, start=1):
        Indicator.objects.create(
            zone=zone, code=code, name=name, unit=unit, cumulative=cumulative, source="return",
            aggregation="sum", position=1000 + position, decimal_places=1,
        )  # fmt: skip
    by_code = {i.code: i.pk for i in Indicator.objects.filter(zone=None, source="return")}
    by_code.update({i.code: i.pk for i in Indicator.objects.filter(zone=zone, source="return")})
    tags = Tag.objects.bulk_create([Tag(zone=zone, name=t) for t in TAGS])
    Enterprise.objects.bulk_create(
        [
            Enterprise(
                id=e + 1, zone=zone, name=f"基准{e + 1:05d}科技有限公司",
                uscc=make_uscc("9", "1", "360121", f"{e + 1:08d}"),
                legal_representative="张三", industry_id=data.ent_industry[e],
                scale=data.ent_scale[e], above_scale=True, status="operating",
            )
            for e in range(data.enterprises)
        ],
        batch_size=500,
    )  # fmt: skip
    Through = Enterprise.tags.through
    Through.objects.bulk_create(
        [Through(enterprise_id=e + 1, tag_id=tags[t].pk) for e, t in enumerate(data.ent_tag)],
        batch_size=2000,
    )
    official = []
    va = Indicator.objects.get(zone=None, code="industrial_value_added")
    share = Indicator.objects.get(zone=None, code="hightech_share")
    for period in data.periods:
        official.append(
            OfficialFigure(zone=zone, indicator=va, period=period, value=760000, yoy_pct=10.4,
                           source="statistics")
        )  # fmt: skip
        official.append(
            OfficialFigure(zone=zone, indicator=share, period=period, value=24.2,
                           source="statistics")
        )  # fmt: skip
    OfficialFigure.objects.bulk_create(official)
    _reset_sequences()
    return {
        "zone": zone,
        "leader": leader,
        "indicator_ids": [by_code[c] for c in data.codes],
    }


def _reset_sequences() -> None:
    from django.core.management.color import no_style
    from django.db import connection

    from gaoxin.enterprises.models import Enterprise

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Enterprise]):
            cursor.execute(sql)


def _fact_indexes(action: str) -> None:
    """Drop ("remove") or build ("add") ReturnValue's unique constraint and index.

    SQLite keeps the unique constraint inside CREATE TABLE (Django would copy the whole table to
    drop or add it): the empty table is recreated without it and the constraint comes back as
    the equivalent UNIQUE INDEX of the same name after the load."""
    from django.db import connection

    from gaoxin.statistics.models import ReturnValue

    table = ReturnValue._meta.db_table
    (unique,) = ReturnValue._meta.constraints
    if connection.vendor != "sqlite":
        with connection.schema_editor() as editor:
            for index in ReturnValue._meta.indexes:
                getattr(editor, f"{action}_index")(ReturnValue, index)
            getattr(editor, f"{action}_constraint")(ReturnValue, unique)
        return
    raw = connection.connection
    if action == "remove":
        for index in ReturnValue._meta.indexes:
            raw.execute(f'DROP INDEX "{index.name}"')
        (sql,) = raw.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
        ).fetchone()
        start = sql.index(f', CONSTRAINT "{unique.name}"')
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute(f'DROP TABLE "{table}"')
        raw.execute(sql[:start] + ")")
        return
    columns = ", ".join(f'"{ReturnValue._meta.get_field(f).column}"' for f in unique.fields)
    raw.execute(f'CREATE UNIQUE INDEX "{unique.name}" ON "{table}" ({columns})')
    for index in ReturnValue._meta.indexes:
        columns = ", ".join(f'"{ReturnValue._meta.get_field(f).column}"' for f in index.fields)
        raw.execute(f'CREATE INDEX "{index.name}" ON "{table}" ({columns})')


def _return_rows(data: Data, zone_id: int):
    now = datetime.datetime(LAST_YEAR + 1, 1, 10, 8, 0, tzinfo=datetime.UTC).isoformat()
    for i, (eid, period, figures) in enumerate(
        zip(data.ret_ent, data.ret_per, data.ret_data, strict=True), start=1
    ):
        yield (i, zone_id, eid, period, "accepted", figures, "{}", "", 0, 1, now, now, now, now)


RETURN_COLUMNS = (
    "id, zone_id, enterprise_id, period, status, data, explanations, returned_reason, revision, "
    "version, submitted_at, reviewed_at, created_at, updated_at"
)
VALUE_COLUMNS = "zone_id, enterprise_id, indicator_id, period, value, month_value, ret_id"


def _load_sqlite(data: Data, zone_id: int, ids: list[int]) -> None:
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    raw.execute("PRAGMA journal_mode=OFF")
    raw.execute("PRAGMA synchronous=OFF")
    raw.execute("PRAGMA foreign_keys=OFF")
    raw.execute("PRAGMA cache_size=-400000")
    raw.execute("BEGIN")
    raw.executemany(
        f"INSERT INTO statistics_return ({RETURN_COLUMNS}) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _return_rows(data, zone_id),
    )
    raw.executemany(
        f"INSERT INTO statistics_returnvalue ({VALUE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        zip(
            repeat(zone_id),
            data.ent,
            (ids[i] for i in data.ind),
            data.per,
            data.val,
            data.mval,
            data.ret,
        ),  # fmt: skip
    )
    raw.execute("COMMIT")


def value_lines(data: Data, zone_id: int, ids: list[int], chunk: int = 200_000):
    """The values as tab-separated text (COPY and DuckDB read the same), in chunks."""
    z = str(zone_id)
    rows = zip(data.ent, data.ind, data.per, data.val, data.mval, data.ret, strict=True)
    buffer = []
    for e, i, p, v, m, r in rows:
        buffer.append(f"{z}\t{e}\t{ids[i]}\t{p}\t{v!r}\t{m!r}\t{r}\n")
        if len(buffer) >= chunk:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def _load_postgres(data: Data, zone_id: int, ids: list[int]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg cursor
        raw.execute("SET session_replication_role = replica")
        raw.execute("SET synchronous_commit = off")
        with raw.copy(f"COPY statistics_return ({RETURN_COLUMNS}) FROM STDIN") as copy:
            for row in _return_rows(data, zone_id):
                copy.write_row(row)
        with raw.copy(f"COPY statistics_returnvalue ({VALUE_COLUMNS}) FROM STDIN") as copy:
            for text in value_lines(data, zone_id, ids):
                copy.write(text)
        raw.execute("SET session_replication_role = DEFAULT")
        raw.execute("SET maintenance_work_mem = '1GB'")


def load(data: Data, database: str) -> dict:
    """Seed, load the returns and values, build the indexes and the rollups; the seconds of
    each step and what was loaded."""
    from django.db import connection, transaction

    from gaoxin.statistics import rollups

    timings = {}
    t = time.perf_counter()
    seeded = seed(data)
    zone, ids = seeded["zone"], seeded["indicator_ids"]
    timings["seed"] = time.perf_counter() - t

    t = time.perf_counter()
    _fact_indexes("remove")
    if database == "sqlite":
        _load_sqlite(data, zone.pk, ids)
    else:
        _load_postgres(data, zone.pk, ids)
    timings["load"] = time.perf_counter() - t

    t = time.perf_counter()
    _fact_indexes("add")
    with connection.cursor() as cursor:
        if database == "sqlite":
            cursor.execute("PRAGMA analysis_limit=2000")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")
    timings["index"] = time.perf_counter() - t

    t = time.perf_counter()
    with transaction.atomic():
        rollups.refresh(zone.pk, data.periods)
    if database == "sqlite":
        connection.connection.execute("PRAGMA journal_mode=WAL")
        connection.connection.execute("PRAGMA synchronous=NORMAL")
        connection.connection.execute("PRAGMA foreign_keys=ON")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE statistics_rollup")
    timings["rollups"] = time.perf_counter() - t
    return {**seeded, "timings": timings}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--enterprises", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="gaoxin-bench-stats-"))
    setup(args.database, var)
    t = time.perf_counter()
    data = generate(args.enterprises, args.years)
    generated = time.perf_counter() - t
    result = load(data, args.database)
    print(
        f"{data.values:,} values, {len(data.ret_ent):,} returns, {args.enterprises:,} enterprises"
    )
    print(f"generate {generated:.1f} s; " + "; ".join(
        f"{k} {v:.1f} s" for k, v in result["timings"].items()
    ))  # fmt: skip
    print(f"database: {args.database} ({var if args.database == 'sqlite' else PG_NAME})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
