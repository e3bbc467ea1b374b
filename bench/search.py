"""Benchmark: enterprise name search over 100,000 enterprises in one zone, today's LIKE against the
gram index (enterprises/search.py), side by side, on SQLite and PostgreSQL.

For each search (2 characters common 光电 and rare 博润, 4 characters, a credit code prefix, pinyin
initials) it times, median and p95 of --repeat runs after warm-ups:

- the query: the registry's search as the list runs it (count, then the first page of 50),
  today's `UPPER(name) LIKE '%…%' OR uscc LIKE '…%'` by name against `search.filter_by_name`
  ranked (exact, prefix, then by name);
- the request: `GET /api/v1/enterprises?zone=BS&q=…` through django.test.Client, signed in as one of
  the zone's staff, with today's filter put back for the baseline (same process, same data).

It checks that both paths find the same enterprises (the name part; the pinyin initials are new,
LIKE has none), prints the rows each path reads, and EXPLAINs the registry's first page and count
without a search (the (zone, name, id) index) and one search.

Reproduce:  .venv/bin/python bench/search.py [--database sqlite|postgres|both] [--enterprises 100000]
            [--repeat 60]
SQLite: a built database is cached under /tmp/gx_bench_search/ (delete it to rebuild).
PostgreSQL at 127.0.0.1:5432, user postgres: the database gx_bench_search is reused when it holds
the zone at the asked size, else dropped and built again.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

PG_SERVER = "postgres://postgres@127.0.0.1:5432/"
PG_NAME = "gx_bench_search"
CACHE = Path("/tmp/gx_bench_search")
ZONE = "BS"
PLACES = ("江西", "九江", "南昌", "赣州", "吉安", "上饶", "宜春", "抚州", "萍乡", "鹰潭")
FIRST = "鸿恒华瑞宏鑫晶联创精新金永嘉佳汇盛凯泰博达锦荣宇天康海信隆润兴昌正源聚卓远航德诚明光伟中科"
SECOND = "泰信达源盛丰辉宇光创通科安和邦基德锐博诚昊晟腾越维恒业彩晖煌翔川峰林捷"
# Industry words and how often: 光电 is in about one name in ten, as in the zone.
LINES = (
    ("光电科技", 6), ("光电显示", 2), ("光电器件", 2), ("电子科技", 8), ("智能装备", 6),
    ("新材料", 6), ("纺织", 5), ("服装", 4), ("电子商务", 5), ("医药", 4), ("生物科技", 4),
    ("机械制造", 6), ("汽车零部件", 4), ("食品", 4), ("建材", 3), ("化工", 3), ("物流", 4),
    ("软件", 5), ("信息技术", 5), ("环保科技", 3), ("新能源", 4), ("精密模具", 3), ("包装", 2),
)  # fmt: skip
FORMS = (("有限公司", 8), ("股份有限公司", 1), ("有限责任公司", 1))
DIVISION = "360121"


def generate(n: int, rng: random.Random) -> list[tuple[str, str]]:
    """(name, uscc) of n enterprises: region + 字号 + industry + form, as registrations read."""
    from gaoxin.core.codes import make_uscc

    lines, line_w = zip(*LINES, strict=True)
    forms, form_w = zip(*FORMS, strict=True)
    rows = []
    for i in range(n):
        place = rng.choice(PLACES) if rng.random() < 0.7 else ""
        trade = rng.choice(FIRST) + rng.choice(SECOND)
        if rng.random() < 0.0008:
            trade = "博润"  # rare: about 80 in 100,000
        name = f"{place}{trade}{rng.choices(lines, line_w)[0]}{rng.choices(forms, form_w)[0]}"
        rows.append((name, make_uscc("9", "1", DIVISION, f"{i:08d}")))
    rows[:3] = [
        ("江西赣虹光电科技有限公司", rows[0][1]),
        ("赣虹光电", rows[1][1]),
        ("江西鸿泰光电科技有限公司", rows[2][1]),
    ]
    return rows


def build(n: int) -> None:
    """The zone, its admin and n enterprises, written as the importer writes them (bulk insert,
    then search.index)."""
    from django.db import connection, transaction

    from gaoxin.core.models import Membership, User, Zone
    from gaoxin.core.roles import ZONE_STAFF
    from gaoxin.enterprises import search
    from gaoxin.enterprises.models import Enterprise

    started = time.perf_counter()
    with transaction.atomic():
        zone = Zone.objects.create(
            code=ZONE, name="检索基准高新技术产业开发区", short_name="检索基准高新区",
            level="national", division_id=DIVISION,
        )  # fmt: skip
        user = User.objects.create_user("bench_staff", password="x")
        Membership.objects.create(user=user, role=ZONE_STAFF, zone=zone)
        rows = generate(n, random.Random(16))
        made = [Enterprise(zone=zone, name=a, uscc=b, industry_id="3974") for a, b in rows]
        Enterprise.objects.bulk_create(made, batch_size=2000)
        if any(e.pk is None for e in made):
            ids = dict(Enterprise.objects.filter(zone=zone).values_list("uscc", "pk"))
            for e in made:
                e.pk = ids[e.uscc]
        built = time.perf_counter()
        search.index(made, replace=False)
        indexed = time.perf_counter()
    if connection.vendor == "postgresql":  # as autovacuum would (the visibility map too, or
        with connection.cursor() as cursor:  # no index-only scan); a gaoxin SQLite file has no
            cursor.execute("VACUUM ANALYZE")  # statistics (one zone's would mislead its planner)
    print(
        f"built {n:,} enterprises in {built - started:.1f} s, their search grams in "
        f"{indexed - built:.1f} s"
    )


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def timed(fn, repeat: int) -> tuple[float, float]:
    for _ in range(3):
        fn()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs), percentile(runs, 95)


def like_filter_q(self, queryset, name, value):
    """Today's filter (before enterprises/search.py), for the baseline."""
    from django.db.models import Q

    value = (value or "").strip()
    if not value:
        return queryset
    return queryset.filter(Q(name__icontains=value) | Q(uscc__startswith=value.upper()))


def explain(qs) -> str:
    return "\n".join("      " + line for line in qs.explain().splitlines())


def run(database: str, n: int, repeat: int) -> int:
    import django
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    settings.DEBUG = False
    from django.db import connection
    from django.test import Client

    from gaoxin.core.models import User, Zone
    from gaoxin.enterprises import search
    from gaoxin.enterprises.filters import EnterpriseFilter
    from gaoxin.enterprises.models import Enterprise, EnterpriseNameGram

    assert django.VERSION
    zone = Zone.objects.get(code=ZONE)
    base = Enterprise.objects.filter(zone=zone, is_deleted=False)
    fourth = "鸿泰光电"
    prefix = (
        Enterprise.objects.filter(zone=zone)
        .order_by("pk")
        .values_list("uscc", flat=True)[n // 2][:14]
    )
    cases = [
        ("2 characters, common", "光电"),
        ("2 characters, rare", "博润"),
        ("4 characters", fourth),
        ("USCC prefix (14)", prefix),
        ("pinyin initials", "ghgd"),
        ("1 character (LIKE both)", "博"),
    ]
    client = Client()
    client.force_login(User.objects.get(username="bench_staff"))
    original = EnterpriseFilter.filter_q, EnterpriseFilter.filter_queryset
    baseline = like_filter_q, django_filters_filter_queryset()

    print(f"\n== {database}: {n:,} enterprises in one zone; median / p95 of {repeat} runs, ms ==")
    print(f"{'search':26}{'matches':>9}  {'query: LIKE':>14}  {'query: grams':>14}"
          f"  {'API: LIKE':>14}  {'API: grams':>14}")  # fmt: skip
    worst = 0.0
    ok = True
    for label, text in cases:
        old_qs = like_filter_q(None, base, "q", text).order_by("name", "pk")
        new_qs = search.ranked(search.filter_by_name(base, text, zone=zone, uscc=True), text)
        old_ids = set(old_qs.values_list("pk", flat=True))
        new_ids = set(new_qs.values_list("pk", flat=True))
        name_only = set(
            search.filter_by_name(base, text, zone=zone, uscc=True, pinyin=False).values_list(
                "pk", flat=True
            )
        )
        ok &= name_only == old_ids

        def query(qs):
            return lambda: (qs.count(), list(qs[:50]))

        q_old = timed(query(old_qs), repeat)
        q_new = timed(query(new_qs), repeat)
        url = "/api/v1/enterprises"

        def get(text=text, url=url):
            response = client.get(url, {"zone": ZONE, "q": text})
            assert response.status_code == 200, response.content[:300]

        EnterpriseFilter.filter_q, EnterpriseFilter.filter_queryset = baseline
        a_old = timed(get, repeat)
        EnterpriseFilter.filter_q, EnterpriseFilter.filter_queryset = original
        a_new = timed(get, repeat)
        if label != "1 character (LIKE both)":
            worst = max(worst, a_new[1], q_new[1])
        print(
            f"{label:26}{len(new_ids):>9,}  {q_old[0]:>6.1f} / {q_old[1]:>5.1f}  "
            f"{q_new[0]:>6.1f} / {q_new[1]:>5.1f}  {a_old[0]:>6.1f} / {a_old[1]:>5.1f}  "
            f"{a_new[0]:>6.1f} / {a_new[1]:>5.1f}"
            + ("" if len(new_ids) == len(old_ids) else f"   (LIKE: {len(old_ids):,})")
        )
    grams = EnterpriseNameGram.objects.filter(zone=zone)
    print(
        f"\nsame enterprises as LIKE (name and code part) in every search: {'yes' if ok else 'NO'}"
    )
    print(f"gram rows: {grams.count():,} ({grams.count() / n:.1f} an enterprise)")
    print("rows read for 光电: LIKE reads the zone's", f"{base.count():,};",
          "the grams path reads", f"{grams.filter(gram='光电').count():,} index entries")  # fmt: skip

    def page1():
        response = client.get(url, {"zone": ZONE})
        assert response.status_code == 200

    url = "/api/v1/enterprises"
    EnterpriseFilter.filter_q, EnterpriseFilter.filter_queryset = baseline
    l_old = timed(page1, repeat)
    EnterpriseFilter.filter_q, EnterpriseFilter.filter_queryset = original
    l_new = timed(page1, repeat)
    print(
        f"\nthe registry's page 1, no search (API): today's order (zone code, name, id) "
        f"{l_old[0]:.1f} / {l_old[1]:.1f} ms; by (zone, name, id) index {l_new[0]:.1f} / "
        f"{l_new[1]:.1f} ms"
    )
    listed = base.order_by("name", "pk")
    print("\nEXPLAIN the registry's first page (zone, ordered by name, id):")
    print(explain(listed[:50]))
    print("EXPLAIN its count (capped as the lists count):")
    print(explain(listed.order_by().values("pk")[:10001]))
    print("EXPLAIN a search for 光电 (count's rows):")
    print(explain(search.filter_by_name(base, "光电", zone=zone, uscc=True).values("pk")))
    print(f"\nvendor {connection.vendor}; worst p95 of the grams path {worst:.1f} ms (target 20)")
    return 0 if ok else 1


def django_filters_filter_queryset():
    import django_filters

    return django_filters.FilterSet.filter_queryset


def setup_sqlite(n: int) -> None:
    CACHE.mkdir(exist_ok=True)
    var = CACHE / f"sqlite-{n}"
    fresh = not (var / "gaoxin.sqlite3").exists()
    if fresh:
        shutil.rmtree(var, ignore_errors=True)
        var.mkdir()
    os.environ["GAOXIN_VAR"] = str(var)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "gaoxin.settings"
    import django

    django.setup()
    if fresh:
        from django.core.management import call_command

        try:
            call_command("migrate", verbosity=0)
            build(n)
        except BaseException:
            shutil.rmtree(var, ignore_errors=True)
            raise


def setup_postgres(n: int) -> None:
    from statistics_data import pg_admin

    CACHE.mkdir(exist_ok=True)
    os.environ["GAOXIN_VAR"] = str(CACHE)
    os.environ["DJANGO_SETTINGS_MODULE"] = "gaoxin.settings"
    os.environ["DATABASE_URL"] = PG_SERVER + PG_NAME
    marker = CACHE / f"postgres-{n}.built"
    if not marker.exists():
        pg_admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{PG_NAME}' AND pid <> pg_backend_pid()"
        )
        pg_admin(f"DROP DATABASE IF EXISTS {PG_NAME}")
        pg_admin(f"CREATE DATABASE {PG_NAME}")
    import django

    django.setup()
    if not marker.exists():
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        build(n)
        marker.touch()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args()
    if args.database == "both":
        from common import each_database

        return each_database(__file__)
    if args.database == "sqlite":
        setup_sqlite(args.enterprises)
    else:
        setup_postgres(args.enterprises)
    code = run(args.database, args.enterprises, args.repeat)
    print(
        "\nreproduce: .venv/bin/python bench/search.py --database "
        f"{args.database} --enterprises {args.enterprises} --repeat {args.repeat}"
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
