"""Benchmark: a province on one deployment. Builds a province of 1, then 10, then 50 zones
(each --enterprises enterprises, default 5,000, reporting five standard indicators for
February and March of two years, rolled up) in one PostgreSQL database, and after each step
measures the province viewer's pages through django.test.Client, no cache anywhere:

- the zone comparison (园区对比, /statistics/zones/): every zone of the province side by side;
- the economic cockpit (/statistics/) of the first zone, switched to by the viewer;
- the registry across zones (GET /api/v1/enterprises, no zone: all the province's enterprises)
  and its deep page 100.

It prints the median and p95 of --repeat requests (after two warm-ups) and the SQL statements of
one request, side by side for 1, 10 and 50 zones, with the targets of issue 16: the curve stays
flat (a zone's cockpit at 50 zones within 1.5× of 1 zone; the zone comparison ≤ 200 ms).

Reproduce:  .venv/bin/python bench/province.py [--zones 1,10,50] [--enterprises 5000]
            [--repeat 30]
PostgreSQL at 127.0.0.1:5432, user postgres; the database gx_bench_province is dropped and
created. Values are loaded with COPY (foreign-key triggers off while loading; the generated ids
are consistent by construction), the rollups with `rollups.refresh`, as the importer leaves them.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

PG_SERVER = "postgres://postgres@127.0.0.1:5432/"
PG_NAME = "gx_bench_province"
PERIODS = (202402, 202403, 202502, 202503)
SHOWN = "2025-03"
CODES = ("output_value", "revenue", "industrial_tax", "industrial_electricity", "rd_spending")
SHARES = (1.0, 0.95, 0.04, 0.08, 0.03)
INDUSTRIES = ("3974", "3973", "3982", "3841", "3825", "3891", "2761", "3581", "3491", "3670")
DIVISIONS = ("360121", "360802", "360702", "360403", "360102", "360111", "360502", "360602")


def setup(var: Path) -> None:
    from statistics_data import recreate

    os.environ["GAOXIN_VAR"] = str(var)
    os.environ["DJANGO_SETTINGS_MODULE"] = "gaoxin.settings"
    recreate(PG_NAME)
    os.environ["DATABASE_URL"] = PG_SERVER + PG_NAME
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)


def add_zone(n: int, enterprises: int, rng: random.Random, indicator_ids: list[int]) -> int:
    """Zone n with its enterprises (ORM bulk insert), returns and values (COPY), rolled up."""
    from django.db import connection, transaction

    from gaoxin.core.codes import make_uscc
    from gaoxin.core.models import Zone
    from gaoxin.enterprises.models import Enterprise
    from gaoxin.statistics import rollups
    from gaoxin.statistics.models import Return

    division = DIVISIONS[n % len(DIVISIONS)]
    zone = Zone.objects.create(
        code=f"P{n:02d}", name=f"第{n:02d}高新技术产业开发区", short_name=f"第{n:02d}高新区",
        level="provincial", division_id=division,
    )  # fmt: skip
    made = Enterprise.objects.bulk_create(
        [
            Enterprise(
                zone=zone, name=f"{zone.short_name}{e:05d}号科技有限公司",
                uscc=make_uscc("9", "1", division, f"{n:02d}{e:06d}"),
                legal_representative="张三", industry_id=rng.choice(INDUSTRIES),
                scale="small", above_scale=True, status="operating",
            )
            for e in range(enterprises)
        ],
        batch_size=2000,
    )  # fmt: skip
    now = datetime.datetime(2025, 4, 10, tzinfo=datetime.UTC).isoformat()
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute("SET LOCAL session_replication_role = replica")
        raw.execute("SELECT nextval(pg_get_serial_sequence('statistics_return', 'id'))")
        (first,) = raw.fetchone()
        count = len(made) * len(PERIODS)
        raw.execute(
            "SELECT setval(pg_get_serial_sequence('statistics_return', 'id'), %s)",
            [first + count],
        )
        columns = (
            "id, zone_id, enterprise_id, period, status, data, explanations, returned_reason, "
            "revision, version, submitted_at, reviewed_at, created_at, updated_at"
        )
        values = []
        with raw.copy(f"COPY statistics_return ({columns}) FROM STDIN") as copy:
            ret_id = first
            for e in made:
                size = rng.lognormvariate(0, 1.2) * 3000
                for period in PERIODS:
                    growth = 1.08 if period > 202500 else 1.0
                    months = 2 if period % 100 == 2 else 3
                    copy.write_row(
                        (ret_id, zone.pk, e.pk, period, "accepted", "{}", "{}", "", 0, 1,
                         now, now, now, now)
                    )  # fmt: skip
                    for ind, share in zip(indicator_ids, SHARES, strict=True):
                        value = round(size * share * growth * months / 12, 1)
                        month = round(value / months * (2 if months == 2 else 1), 1)
                        values.append(f"{zone.pk}\t{e.pk}\t{ind}\t{period}\t{value}\t{month}\t{ret_id}\n")  # fmt: skip
                    ret_id += 1
        value_columns = "zone_id, enterprise_id, indicator_id, period, value, month_value, ret_id"
        with raw.copy(f"COPY statistics_returnvalue ({value_columns}) FROM STDIN") as copy:
            copy.write("".join(values))
        assert Return.objects.filter(zone=zone).count() == count
        # The planner's statistics must know the new zone's rows (autovacuum would, later).
        raw.execute("ANALYZE enterprises_enterprise, statistics_return, statistics_returnvalue")
        rollups.refresh(zone.pk, rollups.affected(PERIODS))
    return zone.pk


def timed(client, url: str, repeat: int) -> dict:
    from common import QueryCounter

    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - t) * 1000)
    with QueryCounter() as counter:
        client.get(url)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return {"p50": statistics.median(samples), "p95": p95, "queries": counter.count}


def measure(viewer, first_zone: int, repeat: int) -> dict:
    from django.db import connection
    from django.test import Client

    from gaoxin.core.zones import SESSION_KEY

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(viewer)
    session = client.session
    session[SESSION_KEY] = first_zone
    session.save()
    pages = {
        "zone comparison": f"/statistics/zones/?period={SHOWN}",
        "cockpit of one zone": f"/statistics/?period={SHOWN}",
        "registry across zones p1": "/api/v1/enterprises?page_size=50",
        "registry across zones p100": "/api/v1/enterprises?page_size=50&page=100",
    }
    return {name: timed(client, url, repeat) for name, url in pages.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zones", default="1,10,50")
    parser.add_argument("--enterprises", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    steps = [int(z) for z in args.zones.split(",")]
    var = Path(tempfile.mkdtemp(prefix="gx-province-"))
    setup(var)

    from gaoxin.core.models import Membership, User
    from gaoxin.statistics.models import Indicator

    ids = {i.code: i.pk for i in Indicator.objects.filter(zone=None, code__in=CODES)}
    indicator_ids = [ids[c] for c in CODES]
    viewer = User.objects.create(username="bench-province", full_name="省级查看")
    Membership.objects.create(user=viewer, role="province_viewer", province_id="360000")
    rng = random.Random(20250331)
    results, built, first_zone = {}, 0, None
    for target in steps:
        t = time.perf_counter()
        while built < target:
            built += 1
            zone_id = add_zone(built, args.enterprises, rng, indicator_ids)
            first_zone = first_zone or zone_id
        print(f"built {built} zones × {args.enterprises:,} enterprises in "
              f"{time.perf_counter() - t:.1f} s", flush=True)  # fmt: skip
        results[target] = measure(viewer, first_zone, args.repeat)

    print(f"\nPostgreSQL, median / p95 ms of {args.repeat} requests (SQL statements), "
          "django.test.Client, province viewer")  # fmt: skip
    header = f"{'page':30}" + "".join(f"{f'{z} zones':>24}" for z in steps)
    print(header)
    for page in results[steps[0]]:
        cells = "".join(
            "{:>24}".format(f"{r['p50']:.1f} / {r['p95']:.1f} ({r['queries']})")
            for r in (results[z][page] for z in steps)
        )
        print(f"{page:30}{cells}")
    cockpit = [results[z]["cockpit of one zone"]["p50"] for z in steps]
    comparison = results[steps[-1]]["zone comparison"]["p95"]
    flat = cockpit[-1] / cockpit[0]
    print(f"\ncockpit at {steps[-1]} zones ÷ at {steps[0]}: {flat:.2f}× (target ≤ 1.5×)")
    print(f"zone comparison p95 at {steps[-1]} zones: {comparison:.1f} ms (target ≤ 200 ms)")
    print("reproduce: .venv/bin/python bench/province.py " + " ".join(sys.argv[1:]))
    return 0 if flat <= 1.5 and comparison <= 200 else 1


if __name__ == "__main__":
    sys.exit(main())
