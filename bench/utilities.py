"""Benchmark: a zone's prepaid electricity ledger — 5,000 accounts × 200 days of daily readings
(1,000,000) — pushed through the API in batches and imported from one metering-system CSV, then
every forecast recomputed and the risk list read; side by side, in the same run, with the naive
path: one service call per reading.

Every scenario starts from a fresh copy of the same seeded database (one zone, its power company
with the partner account `power`, 5,000 enterprises each with an electricity account on a
single tariff of 0.80 元/kWh, balances set so that after the 200 days some accounts are inside
each warning level):

  1. API: `power` POSTs /api/v1/utilities/readings through Django's test client with a bearer
     token, 100 batches of 10,000 rows (two days of every meter, in the order a metering system
     pushes them, the kind left out as a company's account may): JSON, the schema, then
     services.ingest.post_readings (pricing, balances, the batch's audit record, the forecasts
     and warnings of after_ledger), each batch its own transaction. The bodies are serialised
     before the clock starts (the client's work).
  2. file: the same 1,000,000 rows as ONE CSV (UTF-8, 表号/抄表时间/示数 as exported) through
     importers.import_readings (`gaoxin import utility_readings`): one batch, one transaction.
     The upload limits (200,000 rows and 30 MB by default) are raised for this run through
     IMPORT_MAX_ROWS / IMPORT_MAX_MB / IMPORT_MAX_CELLS.
  3. naive: services.ingest.post_readings called once per reading, on the first --naive-rows
     rows of the same push order (days 1–10 of the first accounts); measured and extrapolated to
     1,000,000 rows, labelled so.
  4. forecasts: forecast.recompute(zone) of all 5,000 accounts after scenario 1 (median of 3).
  5. risk list: GET /api/v1/utilities/accounts?risk=red as the zone's staff member (bearer
     token), median of --repeat after two warm-ups.

The bench holds what a server would not (a million generated readings, the request bodies): it
is put out of the cyclic collector's sight (gc.freeze()) before each timed part, or every full
collection would walk it and be charged to the pipeline.

Targets (issue 15): API ≤ 30 s, file ≤ 15 s, forecasts ≤ 2 s, risk list ≤ 50 ms.

Reproduce:  .venv/bin/python bench/utilities.py [--database sqlite|postgres] [--accounts 5000]
            [--days 200] [--batch 10000] [--naive-rows 2000] [--repeat 15] [--skip-file]
PostgreSQL: a local server at 127.0.0.1:5432, user postgres, trust authentication; the run
creates (and drops) gaoxin_bench_utilities and gaoxin_bench_utilities_template.
"""

import argparse
import datetime
import gc
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from common import QueryCounter, fresh_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PG_SERVER = "postgres://postgres@127.0.0.1:5432/"
PG_NAME = "gaoxin_bench_utilities"
PG_TEMPLATE = "gaoxin_bench_utilities_template"
PRICE = Decimal("0.80")
WEEK = (1.0, 1.0, 1.0, 1.0, 1.0, 0.55, 0.45)  # Monday first: factories rest at weekends
TARGETS = {"api": 30.0, "file": 15.0, "forecast": 2.0, "risk_ms": 50.0}


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


def setup(database: str, var: Path, rows: int) -> None:
    os.environ["GAOXIN_VAR"] = str(var)
    os.environ["DJANGO_SETTINGS_MODULE"] = "gaoxin.settings"
    # One file of every reading: the upload limits raised for this run (printed).
    os.environ["IMPORT_MAX_ROWS"] = str(rows + 10)
    os.environ["IMPORT_MAX_MB"] = "200"
    os.environ["IMPORT_MAX_CELLS"] = str((rows + 10) * 3)
    if database == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    else:
        pg_recreate(PG_TEMPLATE)
        os.environ["DATABASE_URL"] = PG_SERVER + PG_TEMPLATE
        os.environ["DB_CONN_MAX_AGE"] = "0"
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False


def fresh(database: str, var: Path, template: Path | None) -> None:
    from django.db import connection

    if database == "sqlite":
        fresh_database(var, template)
        return
    connection.close()
    pg_recreate(PG_NAME, PG_TEMPLATE)
    connection.settings_dict["NAME"] = PG_NAME


# ---- the zone and its readings ---------------------------------------------------------------


class Data:
    """The accounts' meters, the days and each meter's index on each day (seeded random)."""

    def __init__(self, accounts: int, days: int, seed: int = 15):
        rng = random.Random(seed)
        today = datetime.date.today()
        self.days = [today - datetime.timedelta(days=days - n) for n in range(days)]
        self.meters = [f"36012{n:07d}" for n in range(accounts)]
        self.indexes, self.balances = [], []
        for _n in range(accounts):
            daily = rng.uniform(100, 2000)  # kWh a working day
            index, used = Decimal(rng.randint(1000, 90000)), Decimal(0)
            series = []
            for k, day in enumerate(self.days):
                if k:
                    step = daily * WEEK[day.weekday()] * rng.uniform(0.9, 1.1)
                    step = Decimal(f"{step:.2f}")
                    index += step
                    used += step
                series.append(index)
            self.indexes.append(series)
            # What the 200 days cost, plus −2 … 25 days of supply: every warning band is filled.
            self.balances.append(used * PRICE + Decimal(f"{daily * rng.uniform(-2, 25):.2f}"))
        self.read_at = [f"{d.isoformat()}T23:00:00+08:00" for d in self.days]

    @property
    def rows(self) -> int:
        return len(self.meters) * len(self.days)

    def push_order(self, days=None, accounts=None):
        """(meter, read_at text, index text) day by day, every meter within a day."""
        for k in range(len(self.days)) if days is None else days:
            at = self.read_at[k]
            for n in range(len(self.meters)) if accounts is None else accounts:
                yield self.meters[n], at, str(self.indexes[n][k])


def seed(database: str, var: Path, data: Data) -> Path | None:
    from django.core.management import call_command
    from django.db import connection

    from gaoxin.core.codes import make_uscc
    from gaoxin.core.models import Membership, User, Zone
    from gaoxin.enterprises.models import Enterprise
    from gaoxin.utilities.models import Account, Tariff, TariffVersion, UtilityCompany

    call_command("migrate", verbosity=0)
    zone = Zone.objects.create(
        code="BENCH", name="基准高新技术产业开发区", level="national", division_id="360121"
    )
    for username, role in (("bench-admin", "platform_admin"), ("power", "partner"),
                           ("staff", "zone_staff")):  # fmt: skip
        user = User.objects.create(username=username, full_name=username)
        Membership.objects.create(
            user=user, role=role, zone=None if role == "platform_admin" else zone
        )
    power = UtilityCompany.objects.create(zone=zone, name="基准供电公司", kind="electricity")
    power.users.add(User.objects.get(username="power"))
    tariff = Tariff.objects.create(zone=zone, name="一般工商业单一电价", kind="electricity",
                                   structure="single")  # fmt: skip
    TariffVersion.objects.create(zone=zone, tariff=tariff, valid_from=data.days[0].replace(day=1),
                                 rates={"price": str(PRICE)})  # fmt: skip
    enterprises = Enterprise.objects.bulk_create(
        [
            Enterprise(zone=zone, name=f"基准{n:05d}科技有限公司",
                       uscc=make_uscc("9", "1", "360121", f"{30_000_000 + n:08d}"),
                       industry_id="3974", scale="small", legal_representative="张三")
            for n in range(len(data.meters))
        ],
        batch_size=2000,
    )  # fmt: skip
    Account.objects.bulk_create(
        [
            Account(zone=zone, enterprise=e, kind="electricity", meter_no=meter, company=power,
                    tariff=tariff, opened_on=data.days[0], balance=balance)
            for e, meter, balance in zip(enterprises, data.meters, data.balances, strict=True)
        ],
        batch_size=2000,
    )  # fmt: skip
    connection.close()
    if database == "sqlite":
        template = var / "template.sqlite3"
        shutil.copy(var / "gaoxin.sqlite3", template)
        return template
    return None


def people():
    from gaoxin.core.models import User, Zone

    return (
        Zone.objects.get(code="BENCH"),
        User.objects.get(username="power"),
        User.objects.get(username="staff"),
    )


def bearer(user) -> dict:
    from gaoxin.core.models import ApiToken

    _token, key = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


# ---- the scenarios ---------------------------------------------------------------------------


def run_api(data: Data, batch: int) -> dict:
    from django.test import Client

    from gaoxin.utilities.models import Reading

    _zone, power, _staff = people()
    per_day = len(data.meters)
    bodies, chunk = [], []
    for meter, at, index in data.push_order():
        chunk.append({"meter_no": meter, "read_at": at, "index": index})
        if len(chunk) == batch:
            bodies.append(json.dumps({"rows": chunk}))
            chunk = []
    if chunk:
        bodies.append(json.dumps({"rows": chunk}))
    client, auth = Client(), bearer(power)
    client.get("/api/v1/me", **auth)  # the first request loads the URLs and the API
    gc.freeze()  # the bench's own data (the readings, the bodies) is not the server's heap
    written, per_batch = 0, []
    with QueryCounter() as counter:
        started = time.perf_counter()
        for body in bodies:
            t = time.perf_counter()
            r = client.post("/api/v1/utilities/readings", body, content_type="application/json",
                            **auth)  # fmt: skip
            per_batch.append(time.perf_counter() - t)
            assert r.status_code == 201, r.content[:500]
            written += r.json()["written"]
        total = time.perf_counter() - started
    assert written == Reading.objects.count() == data.rows, (written, data.rows)
    return {"total": total, "queries": counter.count, "batches": len(bodies), "per_day": per_day,
            "median_batch": statistics.median(per_batch), "max_batch": max(per_batch)}  # fmt: skip


def run_file(data: Data, var: Path) -> dict:
    from gaoxin.utilities import importers
    from gaoxin.utilities.models import Reading

    zone, power, _staff = people()
    path = var / "抄表数据.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("表号,抄表时间,示数\r\n")
        for meter, at, index in data.push_order():
            fh.write(f"{meter},{at[:10]} 23:00:00,{index}\r\n")
    size = path.stat().st_size
    gc.freeze()
    with QueryCounter() as counter:
        started = time.perf_counter()
        result = importers.import_readings(power, zone, path)
        total = time.perf_counter() - started
    assert result.ok, [e.as_dict() for e in result.sorted_errors()[:5]]
    assert result.created == Reading.objects.count() == data.rows
    return {"total": total, "queries": counter.count, "timings": result.timings, "mb": size / 2**20}


def run_naive(data: Data, rows: int) -> dict:
    from gaoxin.utilities.models import Source
    from gaoxin.utilities.services import ingest

    zone, power, _staff = people()
    days = min(10, len(data.days))
    accounts = min(max(rows // days, 1), len(data.meters))
    sample = list(data.push_order(days=range(days), accounts=range(accounts)))[:rows]
    aware = {}
    for _m, at, _i in sample:
        aware.setdefault(at, datetime.datetime.fromisoformat(at))
    gc.freeze()
    with QueryCounter() as counter:
        started = time.perf_counter()
        for meter, at, index in sample:
            ingest.post_readings(
                power, zone,
                [{"meter_no": meter, "kind": "electricity", "read_at": aware[at],
                  "index": Decimal(index)}],
                source=Source.API,
            )  # fmt: skip
        total = time.perf_counter() - started
    return {"total": total, "queries": counter.count, "rows": len(sample)}


def run_forecasts(repeat: int = 3) -> dict:
    from gaoxin.utilities import forecast
    from gaoxin.utilities.models import Account

    zone, _power, _staff = people()
    samples, counts = [], []
    for _ in range(repeat):
        with QueryCounter() as counter:
            t = time.perf_counter()
            done = forecast.recompute(zone=zone)
            samples.append(time.perf_counter() - t)
        counts.append(counter.count)
    levels = dict.fromkeys(range(4), 0)
    for level in Account.objects.values_list("level", flat=True):
        levels[level] += 1
    return {"median": statistics.median(samples), "fastest": min(samples), "accounts": done,
            "queries": counts[-1], "levels": levels}  # fmt: skip


def run_risk_list(repeat: int) -> dict:
    from django.test import Client

    _zone, _power, staff = people()
    client, auth = Client(), bearer(staff)
    url = "/api/v1/utilities/accounts"
    for _ in range(2):
        assert client.get(url, {"risk": "red"}, **auth).status_code == 200
    samples = []
    for _ in range(repeat):
        with QueryCounter() as counter:
            t = time.perf_counter()
            r = client.get(url, {"risk": "red"}, **auth)
            samples.append(time.perf_counter() - t)
        assert r.status_code == 200
    body = r.json()
    return {"median_ms": statistics.median(samples) * 1000, "fastest_ms": min(samples) * 1000,
            "queries": counter.count, "count": body["count"], "shown": len(body["items"])}  # fmt: skip


# ---- the report ------------------------------------------------------------------------------


def verdict(value: float, target: float) -> str:
    return "met" if value <= target else "NOT met"


def report(args, data, api, file, naive, forecasts, risk) -> int:
    rows = data.rows
    scale = rows / naive["rows"]
    naive_total = naive["total"] * scale
    print(f"== {args.database}: {len(data.meters):,} accounts × {len(data.days)} days = "
          f"{rows:,} readings ({data.days[0]} … {data.days[-1]})")  # fmt: skip
    print(f"{'':30}{'pipeline':>16}    naive: one service call per reading")
    print(f"{'':30}{f'{rows:,} readings':>16}    measured on {naive['rows']:,}, ×{scale:g} "
          f"extrapolated")  # fmt: skip
    naive_line = f"{naive['total']:.2f} s → ≈ {naive_total:,.0f} s (extrapolated)"
    print(f"{'API, ' + str(api['batches']) + ' batches of ' + str(args.batch):30}"
          f"{api['total']:>14.1f} s    {naive_line}")  # fmt: skip
    print(f"{'  rows/s':30}{rows / api['total']:>16,.0f}    {naive['rows'] / naive['total']:,.0f}")
    print(
        f"{'  one batch: median (max)':30}{api['median_batch']:>11.2f} s ({api['max_batch']:.2f})"
    )
    naive_q = f"{naive['queries']:,} → ≈ {round(naive['queries'] * scale):,} (extrapolated)"
    print(f"{'  SQL statements':30}{api['queries']:>16,}    {naive_q}")
    print(f"{'  speed-up':30}{naive_total / api['total']:>15.0f}×")
    if file:
        t = file["timings"]
        print(f"{'file, one CSV (' + format(file['mb'], '.0f') + ' MB)':30}{file['total']:>14.1f} s"
              f"    read {t.get('read', 0):.1f} s, validate {t.get('validate', 0):.1f} s, "
              f"write {t.get('write', 0):.1f} s")  # fmt: skip
        print(f"{'  rows/s':30}{rows / file['total']:>16,.0f}")
        print(f"{'  SQL statements':30}{file['queries']:>16,}")
        print(f"{'  speed-up':30}{naive_total / file['total']:>15.0f}×")
    print(f"{'forecasts, recompute all':30}{forecasts['median']:>14.2f} s    fastest "
          f"{forecasts['fastest']:.2f} s, {forecasts['accounts']:,} accounts, "
          f"{forecasts['queries']} statements; levels 0/1/2/3: "
          f"{'/'.join(str(v) for v in forecasts['levels'].values())}")  # fmt: skip
    print(f"{'risk list ?risk=red':30}{risk['median_ms']:>13.1f} ms    fastest "
          f"{risk['fastest_ms']:.1f} ms, {risk['queries']} statements, {risk['count']:,} red "
          f"accounts ({risk['shown']} on the page)")  # fmt: skip
    checks = [
        ("API ≤ 30 s", api["total"], TARGETS["api"]),
        ("forecasts ≤ 2 s", forecasts["median"], TARGETS["forecast"]),
        ("risk list ≤ 50 ms", risk["median_ms"], TARGETS["risk_ms"]),
    ]
    if file:
        checks.insert(1, ("file ≤ 15 s", file["total"], TARGETS["file"]))
    print("targets: " + "; ".join(f"{name}: {verdict(v, t)}" for name, v, t in checks))
    print(f"upload limits for this run: IMPORT_MAX_ROWS={os.environ['IMPORT_MAX_ROWS']}, "
          f"IMPORT_MAX_MB={os.environ['IMPORT_MAX_MB']}, "
          f"IMPORT_MAX_CELLS={os.environ['IMPORT_MAX_CELLS']}")  # fmt: skip
    return 0 if all(v <= t for _n, v, t in checks) else 1


def bench(args) -> int:
    started = time.perf_counter()
    var = Path(tempfile.mkdtemp(prefix="gaoxin-bench-utilities-"))
    data = Data(args.accounts, args.days)
    setup(args.database, var, data.rows)
    template = seed(args.database, var, data)
    print(f"seeded in {time.perf_counter() - started:.0f} s")
    fresh(args.database, var, template)
    naive = run_naive(data, args.naive_rows)
    file = None
    if not args.skip_file:
        fresh(args.database, var, template)
        file = run_file(data, var)
    fresh(args.database, var, template)
    api = run_api(data, args.batch)
    forecasts = run_forecasts()
    risk = run_risk_list(args.repeat)
    code = report(args, data, api, file, naive, forecasts, risk)
    print(f"run time: {time.perf_counter() - started:.0f} s")
    from django.db import connection

    connection.close()
    shutil.rmtree(var, ignore_errors=True)
    if args.database == "postgres":
        pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME}")
        pg_admin(f"DROP DATABASE IF EXISTS {PG_TEMPLATE}")
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--days", type=int, default=200)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--naive-rows", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--skip-file", action="store_true", help="leave out the file import")
    args = parser.parse_args()
    code = bench(args)
    print(
        f"\nreproduce: .venv/bin/python bench/utilities.py --database {args.database} "
        f"--accounts {args.accounts} --days {args.days} --batch {args.batch} "
        f"--naive-rows {args.naive_rows} --repeat {args.repeat}"
        + (" --skip-file" if args.skip_file else "")
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
