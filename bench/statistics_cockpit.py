"""Benchmark: the economic cockpit (经济运行监测) on a zone of 5,000 enterprises × 10 years ×
11 reporting months × 20 indicators (~11 million accepted values), against DuckDB computing the
same figures from the raw values, on SQLite and on PostgreSQL.

In one run per database (a child process each):
  1. bench/statistics_data.py generates the data set (seeded) and loads it into a fresh database
     (SQLite in a temporary directory; PostgreSQL database gaoxin_bench at 127.0.0.1:5432, user
     postgres, dropped and created), then builds the rollups with `rollups.refresh`;
  2. the cockpit: GET /statistics/?period=<last>&mode=ytd through django.test.Client, signed in
     as a zone leader, no cache anywhere (the page reads the rollups; `ReturnValue` only for
     the top enterprises and the contributions); the median of --repeat requests after two
     warm-ups, and the number of SQL statements per request;
  3. DuckDB (in-memory, the same generated values loaded from the same arrays, DOUBLE values,
     its default threads) computes the same figures from the raw values with the best SQL we
     could write: 20 indicator cards with same-set growth and their 13-month trends (one query),
     the 门类 and 大类 breakdown (GROUPING SETS), the top 10 and the 10 largest contributions
     to growth; the median of --repeat runs;
  4. both sides' figures are compared (values, same-set growth, top 10, contributions).

Reproduce:  .venv/bin/python bench/statistics_cockpit.py [--database sqlite|postgres|both]
            [--enterprises 5000] [--years 10] [--repeat 15]
(needs duckdb: .venv/bin/pip install -r bench/requirements.txt)
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import statistics_data as sd
from common import QueryCounter, each_database

FOCUS = "output_value"


def configure() -> None:
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def median_ms(samples) -> float:
    return statistics.median(samples) * 1000


# ---- the cockpit -----------------------------------------------------------------------------


def run_cockpit(leader, period: str, repeat: int) -> dict:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(leader)
    url = reverse("statistics:cockpit")
    params = {"period": period, "mode": "ytd"}
    for _ in range(2):
        response = client.get(url, params)
        assert response.status_code == 200, response.status_code
    samples = []
    for _ in range(repeat):
        with QueryCounter() as counter:
            t = time.perf_counter()
            response = client.get(url, params)
            samples.append(time.perf_counter() - t)
        assert response.status_code == 200
    return {"ms": median_ms(samples), "queries": counter.count, "bytes": len(response.content)}


def engine_figures(zone, period: int) -> dict:
    """The cockpit's figures (the engine it renders) for the comparison."""
    from gaoxin.statistics import catalogue, engine

    indicators = catalogue.indicators_for(zone)
    focus = next(i for i in indicators if i.code == FOCUS)
    cards = {
        f.code: (f.value, f.yoy_pct)
        for f in engine.figures(zone, period, indicators=indicators)
        if f.source == "computed"
    }
    trend = engine.trend(zone, focus, period, 13)
    divisions = engine.breakdown(zone, focus, period, "division")
    return {
        "cards": cards,
        "trend": [(p.period, p.value, p.yoy_pct) for p in trend],
        "divisions": {r["key"]: (r["value"], r["yoy_pct"]) for r in divisions},
        "top": [r["enterprise_id"] for r in engine.top(zone, focus, period)],
        "contributions": [r["enterprise_id"] for r in engine.contributions(zone, focus, period)],
    }


def time_refresh(zone, period: int) -> tuple[list[int], float]:
    """What accepting one return of last year's November costs the rollups: the refresh
    `publish` schedules (that period, the next month and the same two a year later)."""
    from django.db import transaction

    from gaoxin.statistics import rollups

    periods = sorted(rollups.affected([period - 101]))
    t = time.perf_counter()
    with transaction.atomic():
        rollups.refresh(zone.pk, periods)
    return periods, time.perf_counter() - t


# ---- DuckDB ----------------------------------------------------------------------------------


def duck_load(data, ids: list[int], zone_id: int, var: Path):
    """DuckDB in memory with the generated values and enterprises (via the same text the
    PostgreSQL COPY reads)."""
    import duckdb

    from gaoxin.core.models import Industry

    values = var / "values.tsv"
    with values.open("w") as f:
        for text in sd.value_lines(data, zone_id, ids):
            f.write(text)
    sections = dict(Industry.objects.filter(level="class").values_list("code", "section"))
    enterprises = var / "enterprises.tsv"
    with enterprises.open("w") as f:
        for e in range(data.enterprises):
            industry = data.ent_industry[e]
            f.write(
                f"{e + 1}\t基准{e + 1:05d}科技有限公司\t{sections[industry]}\t{industry[:2]}\t"
                f"{data.ent_scale[e]}\n"
            )
    t = time.perf_counter()
    con = duckdb.connect()
    con.execute(
        f"""CREATE TABLE v AS SELECT * FROM read_csv('{values}', delim='\t', header=false,
        columns={{'zone_id': 'INTEGER', 'enterprise_id': 'INTEGER', 'indicator_id': 'INTEGER',
                  'period': 'INTEGER', 'value': 'DOUBLE', 'month_value': 'DOUBLE',
                  'ret_id': 'INTEGER'}})"""
    )
    con.execute(
        f"""CREATE TABLE e AS SELECT * FROM read_csv('{enterprises}', delim='\t', header=false,
        columns={{'id': 'INTEGER', 'name': 'VARCHAR', 'section': 'VARCHAR',
                  'division': 'VARCHAR', 'scale': 'VARCHAR'}})"""
    )
    return con, time.perf_counter() - t


def duck_figures(con, period: int, focus_id: int) -> dict:
    from gaoxin.core.periods import Period

    periods = [p.key for p in Period.of(period).months_back(13)]
    cur = ", ".join(map(str, periods))
    base = ", ".join(str(p - 100) for p in periods)
    pair = f"""
        WITH c AS (SELECT * FROM v WHERE period IN ({cur})),
             b AS (SELECT * FROM v WHERE period IN ({base}))
    """
    join = "LEFT JOIN b ON b.enterprise_id = c.enterprise_id AND b.indicator_id = c.indicator_id " \
           "AND b.period = c.period - 100"  # fmt: skip
    sums = """COUNT(*), SUM(c.value), SUM(CASE WHEN b.value IS NOT NULL THEN c.value END),
              SUM(b.value)"""
    cards = con.execute(
        f"{pair} SELECT c.indicator_id, c.period, {sums} FROM c {join} GROUP BY ALL"
    ).fetchall()
    breakdown = con.execute(
        f"""{pair} SELECT e.section, e.division, {sums} FROM c JOIN e ON e.id = c.enterprise_id
        {join} WHERE c.indicator_id = {focus_id} AND c.period = {period}
        GROUP BY GROUPING SETS ((e.section), (e.division))"""
    ).fetchall()
    top = con.execute(
        f"""{pair} SELECT c.enterprise_id, e.name, c.value, b.value FROM c
        JOIN e ON e.id = c.enterprise_id {join}
        WHERE c.indicator_id = {focus_id} AND c.period = {period}
        ORDER BY c.value DESC, c.enterprise_id LIMIT 10"""
    ).fetchall()
    contributions = con.execute(
        f"""{pair} SELECT c.enterprise_id, e.name, c.value, b.value, c.value - b.value AS change
        FROM c JOIN e ON e.id = c.enterprise_id {join}
        WHERE c.indicator_id = {focus_id} AND c.period = {period} AND b.value IS NOT NULL
        ORDER BY abs(c.value - b.value) DESC, c.enterprise_id LIMIT 10"""
    ).fetchall()
    return {"cards": cards, "breakdown": breakdown, "top": top, "contributions": contributions}


def run_duck(con, period: int, focus_id: int, repeat: int):
    duck_figures(con, period, focus_id)  # warm-up
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = duck_figures(con, period, focus_id)
        samples.append(time.perf_counter() - t)
    return out, median_ms(samples)


def growth(same, base):
    if same is None or not base:
        return None
    pct = (Decimal(repr(same)) / Decimal(repr(base)) - 1) * 100
    return pct.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def compare(ours: dict, duck: dict, ids: dict, period: int, focus_id: int) -> list[str]:
    """The differences between the cockpit's figures and DuckDB's (empty when they agree)."""
    problems = []
    by_id = {pk: code for code, pk in ids.items()}
    at = {(r[0], r[1]): r for r in duck["cards"]}
    for code, (value, yoy) in ours["cards"].items():
        if code not in ids:
            continue  # ratios: derived from two cards
        row = at.get((ids[code], period))
        if row is None:
            problems.append(f"{code}: DuckDB has no value")
            continue
        if value is None or abs(float(value) - row[3]) > 0.01 or growth(row[4], row[5]) != yoy:
            problems.append(f"{code}: cockpit {value} {yoy}% · DuckDB {row[3]:.1f} "
                            f"{growth(row[4], row[5])}%")  # fmt: skip
    for p, value, yoy in ours["trend"]:
        row = at.get((ids[FOCUS], p))
        if (row is None) != (value is None) or (
            row and (abs(float(value) - row[3]) > 0.01 or growth(row[4], row[5]) != yoy)
        ):
            problems.append(f"trend {p}: cockpit {value} {yoy}% · DuckDB {row}")
    divisions = {r[1]: r for r in duck["breakdown"] if r[1] is not None}
    for key, (value, yoy) in ours["divisions"].items():
        row = divisions.get(key)
        if row is None or abs(float(value) - row[3]) > 0.01 or growth(row[4], row[5]) != yoy:
            problems.append(f"division {key}: cockpit {value} {yoy}% · DuckDB {row}")
    if ours["top"] != [r[0] for r in duck["top"]]:
        problems.append("top 10 differ")
    if ours["contributions"] != [r[0] for r in duck["contributions"]]:
        problems.append("contributions differ")
    del by_id, focus_id
    return problems


# ---- one database ----------------------------------------------------------------------------


def bench(args) -> int:
    started = time.perf_counter()
    var = Path(tempfile.mkdtemp(prefix="gaoxin-bench-cockpit-"))
    sd.setup(args.database, var)
    configure()
    t = time.perf_counter()
    data = sd.generate(args.enterprises, args.years)
    generated = time.perf_counter() - t
    loaded = sd.load(data, args.database)
    zone, leader, id_list = loaded["zone"], loaded["leader"], loaded["indicator_ids"]
    ids = dict(zip(data.codes, id_list, strict=True))
    period = data.periods[-1]
    label = f"{period // 100}-{period % 100:02d}"

    refresh_s = time_refresh(zone, period)
    cockpit = run_cockpit(leader, label, args.repeat)
    ours = engine_figures(zone, period)
    con, duck_load_s = duck_load(data, id_list, zone.pk, var)
    duck, duck_ms = run_duck(con, period, ids[FOCUS], args.repeat)
    problems = compare(ours, duck, ids, period, ids[FOCUS])

    timings = loaded["timings"]
    print(f"== {args.database}: {args.enterprises:,} enterprises × {args.years} years × 11 months "
          f"× {len(data.codes)} indicators = {data.values:,} values, {len(data.ret_ent):,} "
          f"returns")  # fmt: skip
    print(f"build: generate {generated:.1f} s, seed {timings['seed']:.1f} s, load "
          f"{timings['load']:.1f} s, indexes {timings['index']:.1f} s, rollups (all "
          f"{len(data.periods)} periods) {timings['rollups']:.1f} s; DuckDB load "
          f"{duck_load_s:.1f} s")  # fmt: skip
    periods, seconds = refresh_s
    print(f"rollups after accepting one return ({periods[0]}): refresh of "
          f"{len(periods)} periods {seconds:.2f} s")  # fmt: skip
    value, yoy = ours["cards"][FOCUS]
    print(f"figures {label} (1–12月): 工业总产值 {value:,.1f} 万元, 同口径增长 {yoy}%; "
          f"营业收入 {ours['cards']['revenue'][0]:,.1f} 万元 {ours['cards']['revenue'][1]}%")  # fmt: skip
    print(f"{'':26}{'cockpit (Django)':>20}{'DuckDB (raw values)':>24}")
    print(f"{'median of ' + str(args.repeat):26}{cockpit['ms']:>17.1f} ms{duck_ms:>21.1f} ms")
    print(f"{'SQL statements / request':26}{cockpit['queries']:>20}")
    ratio = duck_ms / cockpit["ms"]
    print(f"{'DuckDB ÷ cockpit':26}{ratio:>19.1f}×   (target: cockpit faster, > 1×: "
          f"{'met' if ratio > 1 else 'NOT met'})")  # fmt: skip
    print(f"figures agree: {'yes' if not problems else 'NO'}")
    for problem in problems[:10]:
        print(f"  {problem}")
    print(f"run time ({args.database}): {time.perf_counter() - started:.0f} s")
    if not args.keep:
        cleanup(args.database, var, con)
    return 0 if ratio > 1 and not problems else 1


def cleanup(database: str, var: Path, con) -> None:
    """Remove the generated database (1–2 GB) and files; --keep leaves them for inspection."""
    from django.db import connection

    con.close()
    connection.close()
    shutil.rmtree(var, ignore_errors=True)
    if database == "postgres":
        sd.pg_admin(f"DROP DATABASE IF EXISTS {sd.PG_NAME}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--enterprises", type=int, default=5000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="keep the database and files")
    args = parser.parse_args()
    command = (
        f".venv/bin/python bench/statistics_cockpit.py --enterprises {args.enterprises} "
        f"--years {args.years} --repeat {args.repeat}"
    )
    if args.database == "both":
        started = time.perf_counter()
        code = each_database(__file__)
        print(f"total run time: {time.perf_counter() - started:.0f} s")
        print(f"reproduce: {command}")
        return code
    code = bench(args)
    print(f"reproduce: {command} --database {args.database}")
    return code


if __name__ == "__main__":
    sys.exit(main())
