"""Benchmark: accepting one monthly return in a zone of 5,000 enterprises, with the incremental
rollup update against the full refresh of the affected periods it replaced, on SQLite and on
PostgreSQL.

The zone is `statistics_data`'s (5,000 enterprises, 20 return indicators, 11 returns a year),
here with two years of accepted returns (2024 and 2025: a year and the year before it, the
same-set base), about 2.2 million values, loaded fast and rolled up once. An officer of the zone
then revises an accepted November 2025 return (+2 % on its cumulative figures; the checks run,
their warnings are explained: not timed) and accepts it again; what is timed is the service call
`services.accept` end to end: the return locked, the checks' findings read, the values replaced,
December's month values moved, the rollups updated, the revision and the audit record written,
the transaction committed (with its on-commit work). Each run takes another enterprise; the two
ways alternate, run by run:
  - incremental: `publish_many` takes the enterprise's old contributions to the rollups of the
    affected periods (2025-11, 2025-12 and the next year's) out and puts the new ones in
    (`rollups_incremental`), in the accept's transaction;
  - baseline: the same call under `publish.full_refresh()`: every rollup row of the affected
    periods recomputed from the zone's values once the transaction commits (`rollups.refresh`),
    which is what accepting did before.
At the end the zone's rollups (every row, every column) are compared with a full rebuild.

PostgreSQL: a local server at 127.0.0.1:5432, user postgres, trust authentication; the run
creates (and drops) the database --pg-name (default gaoxin_bench_accept).

Reproduce:  .venv/bin/python bench/accept_return.py [--database sqlite|postgres|both]
            [--enterprises 5000] [--years 2] [--runs 9] [--pg-name gaoxin_bench_accept]
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import statistics_data
from common import QueryCounter, each_database

PERIOD = statistics_data.LAST_YEAR * 100 + 11
COLUMNS = (
    "indicator_id", "period", "dimension", "key", "enterprises", "value", "month_value",
    "same_value", "base_value", "same_month", "base_month", "month_count", "same_count",
    "same_month_count",
)  # fmt: skip


def officer(zone):
    from gaoxin.core.models import Membership, User

    user = User.objects.create(username="bench-officer", full_name="经发局统计员")
    Membership.objects.create(user=user, role="zone_staff", zone=zone)
    return user


def revised(actor, ret, step: int):
    """The return revised (+2 % on the cumulative figures every other time), its warnings
    explained: submitted and ready to accept."""
    from gaoxin.statistics import services
    from gaoxin.statistics.models import FindingStatus

    factor = Decimal("1.02") if step % 2 == 0 else Decimal("1")
    data = {
        code: str((Decimal(v) * factor).quantize(Decimal("0.1"))) for code, v in ret.data.items()
    }
    ret = services.revise(actor, ret, data=data, reason="核对后更正", version=ret.version)
    for finding in ret.findings.filter(status=FindingStatus.OPEN):
        services.explain(actor, finding, "企业核实:订单集中交付")
    ret.refresh_from_db()
    return ret


def accept(actor, ret, *, baseline: bool) -> tuple[float, int]:
    """Seconds and statements of one `services.accept`, commit and on-commit work included."""
    from gaoxin.statistics import publish, services

    with QueryCounter() as counter:
        started = time.perf_counter()
        if baseline:
            with publish.full_refresh():
                services.accept(actor, ret, version=ret.version)
        else:
            services.accept(actor, ret, version=ret.version)
        seconds = time.perf_counter() - started
    return seconds, counter.count


def rollup_rows(zone_id) -> set[tuple]:
    from gaoxin.statistics.models import Rollup

    return set(Rollup.objects.filter(zone_id=zone_id).values_list(*COLUMNS))


def as_rebuilt(zone_id) -> tuple[bool, int, int]:
    """(equal, rows, differing rows): the zone's rollups against a full rebuild from its values."""
    from django.db import transaction

    from gaoxin.statistics import rollups
    from gaoxin.statistics.models import Rollup

    kept = rollup_rows(zone_id)
    with transaction.atomic():
        Rollup.objects.filter(zone_id=zone_id).delete()
        rollups.refresh_all(zone_id)
    rebuilt = rollup_rows(zone_id)
    return kept == rebuilt, len(rebuilt), len(kept ^ rebuilt)


def bench(args) -> int:
    statistics_data.PG_NAME = args.pg_name
    var = Path(tempfile.mkdtemp(prefix="gaoxin-bench-accept-"))
    statistics_data.setup(args.database, var)
    from django.db import connection

    from gaoxin.statistics.models import Return

    started = time.perf_counter()
    data = statistics_data.generate(args.enterprises, args.years)
    loaded = statistics_data.load(data, args.database)
    zone = loaded["zone"]
    actor = officer(zone)
    build = time.perf_counter() - started
    print(
        f"{connection.vendor}: {args.enterprises:,} enterprises, {data.values:,} values, "
        f"{len(data.ret_ent):,} accepted returns, built in {build:.0f} s"
    )

    rng = random.Random(2025)
    candidates = list(Return.objects.filter(zone=zone, period=PERIOD).values_list("pk", flat=True))
    chosen = rng.sample(candidates, 2 * args.runs + 2)
    times = {"incremental": [], "baseline": []}
    queries = {"incremental": [], "baseline": []}
    for step, pk in enumerate(chosen):
        way = "incremental" if step % 2 == 0 else "baseline"
        ret = revised(actor, Return.objects.get(pk=pk), step // 2)
        seconds, count = accept(actor, ret, baseline=way == "baseline")
        if step >= 2:  # the first of each way warms the connection up (not counted)
            times[way].append(seconds)
            queries[way].append(count)

    inc, base = (statistics.median(times[w]) * 1000 for w in ("incremental", "baseline"))
    print(f"\naccepting one {PERIOD // 100}-{PERIOD % 100:02d} return, median of {args.runs} runs")
    print(f"{'':28}{'incremental':>14}{'baseline (full refresh)':>26}")
    print(f"{'services.accept, end to end':28}{inc:>11.1f} ms{base:>23.1f} ms")
    fastest = (min(times[w]) * 1000 for w in ("incremental", "baseline"))
    print(f"{'fastest run':28}{next(fastest):>11.1f} ms{next(fastest):>23.1f} ms")
    q_inc, q_base = (statistics.median(queries[w]) for w in ("incremental", "baseline"))
    print(f"{'SQL statements':28}{q_inc:>14.0f}{q_base:>26.0f}")
    print(f"{'speed-up':28}{base / inc:>13.1f}×")
    target = inc <= 50
    print(f"target ≤ 50 ms: {'met' if target else 'NOT met'}")

    equal, rows, differing = as_rebuilt(zone.pk)
    print(
        f"rollups after {2 * args.runs + 2} accepts against a full rebuild: "
        f"{'equal' if equal else 'DIFFERENT'} ({rows:,} rows, {differing} differing)"
    )
    return 0 if equal else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--enterprises", type=int, default=5000)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--pg-name", default="gaoxin_bench_accept")
    args = parser.parse_args()
    command = (
        f".venv/bin/python bench/accept_return.py --enterprises {args.enterprises} "
        f"--years {args.years} --runs {args.runs}"
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
