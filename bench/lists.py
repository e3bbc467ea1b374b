"""Benchmark: every list at 100,000 rows in one zone — the API's page 1, page 100 and a deep
cursor, and the HTML page — today's path and the new one side by side, in one run, on the same
data (issue 16, item 1).

One zone holds 100,000 of each: enterprises, projects, matters, returns (one period), findings,
certifications, utility accounts and awards (built with bulk_create; the built database is cached
under /tmp for SQLite and kept as gx_bench_lists on PostgreSQL, rebuilt with --rebuild). The
zone's admin reads every list through Django's test client (session for pages, the same user for
the API), two warm-ups, then --repeat timed requests: p50 and p95 server time and the number of
SQL statements.

  baseline  the path before issue 16: a full COUNT(*) of the list on every page (the former
            `paginate` and Django's Paginator), without the list-ordering indexes of issue 16
            (dropped for the run, recreated after), the page read in one statement with its
            joins. The orderings by zone_id instead of the zone's code (no join to order within
            a zone) are in every column.
  capped    the count capped at COUNT_CAP (core.paging) and the indexes, the page still read in
            one statement (the previous step).
  new       as capped, the page read in two steps (`core.paging.page_rows`: its ids by the
            ordering's index, then its rows by id), and an HTML page's rows written by
            `core.tables.render_body` with django-tables2's per-cell signature reading and
            template compiling cached, a column's cell attributes read once and dates
            formatted in Python (`core.tables`; baseline and capped render as django-tables2
            ships); returns by enterprise name walked through the enterprises' (zone, name, id)
            index from 1,000 in the period (`statistics.ordering`; baseline and capped sort);
            `cursor` (API only) is page 100 read through the next_cursor of page 99.

Reproduce:  .venv/bin/python bench/lists.py [--database sqlite|postgres] [--rows 100000]
            [--repeat 20] [--page-repeat 5] [--rebuild] [--only matters,projects]
            (no --database: both, one process each). PostgreSQL: 127.0.0.1:5432, user postgres.
"""

import argparse
import datetime
import os
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from common import QueryCounter, each_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PG_SERVER = "postgres://postgres@127.0.0.1:5432/"
PG_NAME = "gx_bench_lists"
CACHE = Path("/tmp/gx-bench-lists-{rows}.sqlite3")
PERIOD = 202503
# A page slower than this is timed once, not repeated: at 100,000 enterprises the filter forms'
# enterprise <select> renders every enterprise (tens of seconds; the pickers are issue 16 item 2).
SLOW_PAGE_MS = 3000
NEW_INDEXES = (
    ("investment.Project", "project_zone_stage_on"),
    ("matters.Matter", "matter_zone_created"),
    ("statistics.Finding", "finding_zone_period"),
    ("innovation.Certification", "certification_zone_issued"),
    ("utilities.Account", "account_risk_order"),
)
LISTS = {  # name: (API path, page path)
    "enterprises": ("/api/v1/enterprises", "/enterprises/"),
    "projects": ("/api/v1/investment/projects", "/investment/projects/"),
    "matters": ("/api/v1/matters", "/matters/list/"),
    "returns": (
        f"/api/v1/statistics/returns?period={PERIOD}",
        f"/statistics/returns/?period={PERIOD // 100}-{PERIOD % 100:02d}",
    ),
    "findings": ("/api/v1/statistics/findings", "/statistics/findings/"),
    "certifications": ("/api/v1/innovation/certifications", "/innovation/certifications/"),
    "utility accounts": ("/api/v1/utilities/accounts", "/utilities/"),
    "awards": ("/api/v1/assistance/awards", "/matters/assistance/awards/"),
}


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_SERVER + "postgres", autocommit=True) as conn:
        conn.execute(sql)


def setup(database: str, var: Path, rows: int, rebuild: bool) -> bool:
    """Django on `database`; True when the data is already there."""
    os.environ["GAOXIN_VAR"] = str(var)
    os.environ["DJANGO_SETTINGS_MODULE"] = "gaoxin.settings"
    cached = False
    if database == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        cache = Path(str(CACHE).format(rows=rows))
        if cache.exists() and not rebuild:
            shutil.copy(cache, var / "gaoxin.sqlite3")
            cached = True
    else:
        import psycopg

        with psycopg.connect(PG_SERVER + "postgres", autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [PG_NAME]
            ).fetchone()
        if exists and rebuild:
            pg_admin(f"DROP DATABASE {PG_NAME}")
        if not exists or rebuild:
            pg_admin(f"CREATE DATABASE {PG_NAME}")
        cached = bool(exists) and not rebuild
        os.environ["DATABASE_URL"] = PG_SERVER + PG_NAME
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    settings.OTP_REQUIRED_ROLES = ()  # the admin reads the lists; its second factor is not measured
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    if cached:
        from gaoxin.core.models import Zone

        cached = Zone.objects.filter(code="L1").exists()
    return cached


def build(rows: int) -> None:
    """One zone, its admin and `rows` of every list (bulk_create, in one transaction)."""
    from django.db import connection, transaction

    from gaoxin.core.codes import make_uscc
    from gaoxin.core.models import Membership, User, Zone
    from gaoxin.enterprises.models import Enterprise
    from gaoxin.innovation.models import Certification
    from gaoxin.investment.models import Project
    from gaoxin.matters.models import Award, Matter
    from gaoxin.statistics.models import Finding, Return
    from gaoxin.utilities.models import Account, Tariff, UtilityCompany

    day0 = datetime.date(2020, 1, 1)

    def day(n):
        return day0 + datetime.timedelta(days=n % 1800)

    def bulk(model, objects):
        t = time.perf_counter()
        made = model.objects.bulk_create(objects, batch_size=2000)
        print(f"  {model.__name__:16}{len(made):>9,} rows  {time.perf_counter() - t:6.1f} s")
        return made

    with transaction.atomic():
        zone = Zone.objects.create(
            code="L1", name="列表高新技术产业开发区", short_name="列表高新区",
            level="national", division_id="360121",
        )  # fmt: skip
        admin = User.objects.create(username="bench-lists", full_name="列表管理员")
        Membership.objects.create(user=admin, role="zone_admin", zone=zone)
        words = ("光电", "纺织", "新材料", "电子", "医药", "智能", "能源", "软件", "精密", "汽车")
        ents = bulk(
            Enterprise,
            [
                Enterprise(
                    zone=zone, name=f"赣江{words[n % 10]}{n:06d}科技有限公司",
                    uscc=make_uscc("9", "1", "360121", f"{n:08d}"), industry_id="3974",
                    status="operating",
                )
                for n in range(rows)
            ],
        )  # fmt: skip
        bulk(
            Project,
            [
                Project(
                    zone=zone, name=f"项目{n:06d}", investor_name=f"投资方{n % 977}",
                    planned_investment=Decimal(1000 + n % 5000), stage="lead", stage_on=day(n),
                )
                for n in range(rows)
            ],
        )  # fmt: skip
        bulk(
            Matter,
            [
                Matter(
                    zone=zone, number=f"L{n:07d}", kind="help", title=f"诉求{n}",
                    due_on=day(n + 30), enterprise=ents[n],
                )
                for n in range(rows)
            ],
        )  # fmt: skip
        rets = bulk(
            Return,
            [
                Return(zone=zone, enterprise=e, period=PERIOD, status="submitted")
                for e in ents
            ],
        )  # fmt: skip
        bulk(
            Finding,
            [
                Finding(
                    zone=zone, ret=r, enterprise_id=r.enterprise_id, period=PERIOD,
                    rule_code="R1", kind="swing_month", severity=("error", "warning")[n % 2],
                    message="环比波动过大",
                )
                for n, r in enumerate(rets)
            ],
        )  # fmt: skip
        bulk(
            Certification,
            [
                Certification(
                    zone=zone, enterprise=e, kind="hightech", status="certified",
                    issued_on=day(n), number=f"GR{n:08d}",
                )
                for n, e in enumerate(ents)
            ],
        )  # fmt: skip
        company = UtilityCompany.objects.create(zone=zone, name="国网列表供电", kind="electricity")
        tariff = Tariff.objects.create(
            zone=zone, name="一般工商业", kind="electricity", structure="single"
        )
        bulk(
            Account,
            [
                Account(
                    zone=zone, enterprise=e, kind="electricity", meter_no=f"36{n:010d}",
                    company=company, tariff=tariff, opened_on=day(n), level=n % 4,
                    days_left=None if n % 17 == 0 else n % 90,
                )
                for n, e in enumerate(ents)
            ],
        )  # fmt: skip
        bulk(
            Award,
            [
                Award(
                    zone=zone, enterprise=e, policy="稳岗补贴", amount=Decimal(5 + n % 50),
                    paid_on=day(n),
                )
                for n, e in enumerate(ents)
            ],
        )  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def set_indexes(present: bool) -> None:
    """Drop (baseline) or create (new) the list-ordering indexes of issue 16."""
    from django.apps import apps
    from django.db import connection

    with connection.schema_editor() as editor:
        for label, name in NEW_INDEXES:
            model = apps.get_model(label)
            index = next(i for i in model._meta.indexes if i.name == name)
            with connection.cursor() as cursor:
                names = connection.introspection.get_constraints(cursor, model._meta.db_table)
            if present and name not in names:
                editor.add_index(model, index)
            elif not present and name in names:
                editor.remove_index(model, index)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def use_full_counts(full: bool) -> None:
    """Today's count (every row, exact) or the capped one."""
    from gaoxin.core import paging

    if not hasattr(paging, "_capped_count"):
        paging._capped_count = paging.capped_count
    count = (lambda qs, cap=None: (qs.count(), True)) if full else paging._capped_count
    paging.capped_count = count


def one_statement(queryset, start: int, stop: int, rows=None) -> list:
    """The page's rows as read before `page_rows`: one slice, with its joins."""
    return list(queryset[start:stop])


def use_two_steps(on: bool) -> None:
    """The page's rows read in two steps (ids, then rows) or in one statement with its joins."""
    from gaoxin.core import paging

    if not hasattr(paging, "_page_rows"):
        paging._page_rows = paging.page_rows
    paging.page_rows = paging._page_rows if on else one_statement


def use_name_walk(on: bool) -> None:
    """Returns by enterprise name read by walking the enterprises' (zone, name, id) index from
    1,000 returns in the period (statistics.ordering), or sorted by the database whatever their
    number (before)."""
    from gaoxin.statistics import ordering

    if not hasattr(ordering, "_walk_from"):
        ordering._walk_from = ordering.WALK_FROM
    ordering.WALK_FROM = ordering._walk_from if on else float("inf")


def use_stock_tables(on: bool) -> None:
    """django-tables2 as it ships (its bootstrap5 template writing every cell, the signature of
    every cell's render method read afresh, a template column compiled for every cell, a date
    column's template rendered for every cell) or the page's rows written by
    core.tables.render_body with those readings cached and dates formatted in Python."""
    import django_tables2

    from gaoxin.core import tables

    def every(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every(sub)

    for cls in every(django_tables2.Table):
        cls._meta.template_name = "django_tables2/bootstrap5.html" if on else "core/table.html"
    tables.speed_up_tables(not on)


def timed(client, url: str, repeat: int, warm: int = 2, slow_ms: float | None = None) -> dict:
    """p50/p95 of `repeat` requests after `warm` ones; a request slower than `slow_ms` is
    measured once and not repeated (flagged)."""
    for _ in range(warm):
        t = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        once = (time.perf_counter() - t) * 1000
    if slow_ms is not None and once > slow_ms:
        with QueryCounter() as counter:
            client.get(url)
        return {"p50": once, "p95": once, "queries": counter.count, "once": True}
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


def cell(figures: dict) -> str:
    if figures.get("once"):
        return f"{figures['p50']:7.0f} once    ({figures['queries']})"
    return f"{figures['p50']:7.1f} / {figures['p95']:7.1f} ({figures['queries']})"


def with_param(url: str, extra: str) -> str:
    return url + ("&" if "?" in url else "?") + extra


def measure(client, names, repeat: int, page_repeat: int, cursors: bool) -> dict:
    results = {}
    for name in names:
        api, page = LISTS[name]
        row = {
            "API p1": timed(client, with_param(api, "page_size=50"), repeat),
            "API p100": timed(client, with_param(api, "page_size=50&page=100"), repeat),
        }
        if cursors:
            answer = client.get(with_param(api, "page_size=50&page=99")).json()
            cursor = answer["next_cursor"]
            if cursor:
                row["API cursor p100"] = timed(
                    client, with_param(api, f"page_size=50&cursor={cursor}"), repeat
                )
        row["page"] = timed(client, page, page_repeat, warm=1, slow_ms=SLOW_PAGE_MS)
        results[name] = row
        print(f"  {name}: measured", file=sys.stderr, flush=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"))
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--page-repeat", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    if args.database is None:
        return each_database(__file__)
    var = Path(tempfile.mkdtemp(prefix="gx-lists-"))
    if not setup(args.database, var, args.rows, args.rebuild):
        print(f"building {args.rows:,} rows of every list ({args.database}) …")
        set_indexes(True)
        build(args.rows)
        if args.database == "sqlite":
            from django.db import connection

            connection.close()
            shutil.copy(var / "gaoxin.sqlite3", str(CACHE).format(rows=args.rows))
    from django.db import connection
    from django.test import Client

    from gaoxin.core.models import User, Zone
    from gaoxin.core.paging import COUNT_CAP
    from gaoxin.core.zones import SESSION_KEY

    client = Client()
    client.force_login(User.objects.get(username="bench-lists"))
    session = client.session
    session[SESSION_KEY] = Zone.objects.get(code="L1").pk
    session.save()
    names = [n for n in LISTS if not args.only or n in args.only.split(",")]
    use_full_counts(True)
    use_two_steps(False)
    use_stock_tables(True)
    use_name_walk(False)
    set_indexes(False)
    base = measure(client, names, args.repeat, args.page_repeat, cursors=False)
    use_full_counts(False)
    set_indexes(True)
    capped = measure(client, names, args.repeat, args.page_repeat, cursors=True)
    use_two_steps(True)
    use_stock_tables(False)
    use_name_walk(True)
    new = measure(client, names, args.repeat, args.page_repeat, cursors=True)

    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(
        f"\n{vendor} {connection.Database.sqlite_version if vendor == 'SQLite' else ''}"
        f" — {args.rows:,} rows a list in one zone, {args.repeat} requests each "
        f"(2-core machine, load average {os.getloadavg()[0]:.1f}); ms p50 / p95 (queries)"
    )
    print(
        f"{'list':18}{'request':17}{'baseline: full COUNT, no index':>31}"
        f"{'capped count, indexes':>31}{'new: two reads, rows in Python':>31}"
    )
    worst = 0.0
    for name in names:
        for request, figures in new[name].items():
            columns = [base[name].get(request), capped[name].get(request), figures]
            cells = "".join(f"{cell(c) if c else '—':>31}" for c in columns)
            print(f"{name:18}{request:17}{cells}")
            if not request.startswith("page"):
                worst = max(worst, figures["p95"])
    print(
        f"\ncount cap {COUNT_CAP:,}; worst new API p95 {worst:.1f} ms (target ≤ 25 ms); 'once': a page slower than {SLOW_PAGE_MS} ms, timed once"
    )
    print(f"reproduce: .venv/bin/python bench/lists.py --database {args.database}")
    if vendor == "SQLite":
        connection.close()
        shutil.rmtree(var, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
