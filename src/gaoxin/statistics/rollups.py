"""Rollups: the accepted values (`ReturnValue`, ~12M rows in a big zone) pre-aggregated by zone,
period, indicator and breakdown, so the cockpit reads a few hundred rows instead.

`refresh(zone_id, periods)` recomputes every `Rollup` row of those periods of one zone with a
handful of set-based statements (no Python loop over enterprises), on SQLite and PostgreSQL:

1. the period's values, each joined (LEFT JOIN) with the same enterprise's value of the same
   indicator one year earlier (P − 100) and with the enterprise's current attributes, go into a
   temporary table once;
2. one GROUP BY sums them by indicator, period and the enterprise attributes (industry, scale,
   above-scale flag) into a second, small temporary table;
3. one INSERT … SELECT … GROUP BY per dimension adds those up: ("all", ""), ("section", 门类
   letter), ("division", 大类 2 digits), ("scale", Enterprise.scale), ("above_scale", "1"/"0");
   ("tag", str(tag id)) is summed from the first table joined with the enterprises' tags.

Same-set (同口径) sums: `same_value`/`base_value` are this year's and last year's sums over the
enterprises that reported the indicator to this zone in both periods; `same_month`/`base_month`
likewise over those with a month value in both. Growth = same / base − 1 (see `engine`).
Enterprises without an industry (or a scale) are in "all" but in no section/division (scale) row.
`month_count`, `same_count` and `same_month_count` count the enterprises behind `month_value`,
`same_value`/`base_value` and `same_month`/`base_month`: a sum over none is NULL, over some 0 or
more, and the incremental update (`rollups_incremental`) needs to know which when it takes an
enterprise out of a group.

Accepting returns updates the rollups incrementally (`rollups_incremental`: the old
contributions of the enterprises whose values changed out, the new ones in); `refresh` stays for
bulk loads (`refresh_all`, the demo, the benchmark generator) and is the reference the
incremental update is tested against.

`affected(periods)` says which periods' rollups change when these periods' values change.
"""

from collections.abc import Iterable

from django.db import connection, transaction

from gaoxin.core.periods import Period
from gaoxin.enterprises.models import Enterprise

from .models import ReturnValue, Rollup

DIMENSIONS = ("all", "section", "division", "scale", "above_scale", "tag")
CHUNK = 12  # periods per pass: bounds the temporary table on a full rebuild
TEMP = "gx_rollup_src"


def affected(periods: Iterable[int]) -> set[int]:
    """The periods whose rollups change when the values of `periods` change: each period P, the
    same month next year (P + 100, whose base it is), and the next reporting month of the same
    year (whose month values are differences with P) together with that month's own next-year
    period (whose base month values they are)."""
    out = set()
    for key in periods:
        period = Period.of(int(key))
        out.update((period.key, period.key + 100))
        if period.month < 12:
            following = period.next_reporting().key
            out.update((following, following + 100))
    return out


def _tables() -> dict:
    from gaoxin.core.models import Industry

    return {
        "rv": ReturnValue._meta.db_table,
        "rollup": Rollup._meta.db_table,
        "ent": Enterprise._meta.db_table,
        "industry": Industry._meta.db_table,
        "tags": Enterprise.tags.through._meta.db_table,
        "tmp": TEMP,
    }


AGG = "gx_rollup_agg"

# Same-set sums over the joined rows (first level) and over partial sums (second level).
_SUMS = """COUNT(*) AS enterprises, SUM(s.value) AS value, SUM(s.month_value) AS month_value,
    SUM(CASE WHEN s.base_value IS NOT NULL THEN s.value END) AS same_value,
    SUM(s.base_value) AS base_value,
    SUM(CASE WHEN s.base_month IS NOT NULL AND s.month_value IS NOT NULL
             THEN s.month_value END) AS same_month,
    SUM(CASE WHEN s.base_month IS NOT NULL AND s.month_value IS NOT NULL
             THEN s.base_month END) AS base_month,
    COUNT(s.month_value) AS month_count, COUNT(s.base_value) AS same_count,
    SUM(CASE WHEN s.base_month IS NOT NULL AND s.month_value IS NOT NULL
             THEN 1 ELSE 0 END) AS same_month_count"""
_RESUMS = """SUM(a.enterprises), SUM(a.value), SUM(a.month_value), SUM(a.same_value),
    SUM(a.base_value), SUM(a.same_month), SUM(a.base_month), SUM(a.month_count),
    SUM(a.same_count), SUM(a.same_month_count)"""

_COLUMNS = """zone_id, indicator_id, period, dimension, "key", enterprises, value, month_value,
    same_value, base_value, same_month, base_month, month_count, same_count, same_month_count"""

# dimension → (key expression over the first-level sums `a`, extra join, extra condition)
_DIMENSION_SQL = {
    "all": ("''", "", ""),
    "section": ("i.section", "JOIN {industry} i ON i.code = a.industry_id", ""),
    "division": ("SUBSTR(a.industry_id, 1, 2)", "", "AND a.industry_id IS NOT NULL"),
    "scale": ("a.scale", "", "AND a.scale IS NOT NULL AND a.scale <> ''"),
    "above_scale": ("CASE WHEN a.above_scale THEN '1' ELSE '0' END", "", ""),
}


def _insert_sql(dimension: str, names: dict) -> str:
    key, join, condition = _DIMENSION_SQL[dimension]
    group = "" if dimension == "all" else f", {key}"
    return f"""
        INSERT INTO {names["rollup"]} ({_COLUMNS})
        SELECT %s, a.indicator_id, a.period, '{dimension}', {key}, {_RESUMS}
        FROM {AGG} a {join.format(**names)}
        WHERE 1 = 1 {condition}
        GROUP BY a.indicator_id, a.period{group}
    """


def refresh(zone_id: int, periods: Iterable[int]) -> None:
    """Recompute every Rollup row of `periods` for the zone from its accepted values (delete and
    insert, in the caller's transaction or one of its own)."""
    keys = sorted({int(p) for p in periods})
    if not keys:
        return
    names = _tables()
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(keys), CHUNK):
            _refresh_chunk(cursor, names, zone_id, keys[start : start + CHUNK])


def _refresh_chunk(cursor, names: dict, zone_id: int, keys: list[int]) -> None:
    marks = ", ".join(["%s"] * len(keys))
    cursor.execute(
        f"DELETE FROM {names['rollup']} WHERE zone_id = %s AND period IN ({marks})",
        [zone_id, *keys],
    )
    cursor.execute(f"DROP TABLE IF EXISTS {TEMP}")
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE {TEMP} AS
        SELECT v.enterprise_id, v.indicator_id, v.period, v.value, v.month_value,
               b.value AS base_value, b.month_value AS base_month,
               e.industry_id, e.scale, e.above_scale
        FROM {names["rv"]} v
        JOIN {names["ent"]} e ON e.id = v.enterprise_id
        LEFT JOIN {names["rv"]} b
               ON b.enterprise_id = v.enterprise_id AND b.indicator_id = v.indicator_id
              AND b.period = v.period - 100 AND b.zone_id = v.zone_id
        WHERE v.zone_id = %s AND v.period IN ({marks})
        """,
        [zone_id, *keys],
    )
    # First level: the sums by indicator, period and enterprise attributes (a few hundred groups
    # a period instead of thousands of enterprises); the dimensions add those up.
    cursor.execute(f"DROP TABLE IF EXISTS {AGG}")
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE {AGG} AS
        SELECT s.indicator_id, s.period, s.industry_id, s.scale, s.above_scale, {_SUMS}
        FROM {TEMP} s
        GROUP BY s.indicator_id, s.period, s.industry_id, s.scale, s.above_scale
        """
    )
    for dimension in _DIMENSION_SQL:
        cursor.execute(_insert_sql(dimension, names), [zone_id])
    # Tags: an enterprise may carry several, so they are summed from the enterprise rows.
    cursor.execute(
        f"""
        INSERT INTO {names["rollup"]} ({_COLUMNS})
        SELECT %s, s.indicator_id, s.period, 'tag', CAST(t.tag_id AS VARCHAR(20)), {_SUMS}
        FROM {TEMP} s JOIN {names["tags"]} t ON t.enterprise_id = s.enterprise_id
        GROUP BY s.indicator_id, s.period, t.tag_id
        """,
        [zone_id],
    )
    cursor.execute(f"DROP TABLE {AGG}")
    cursor.execute(f"DROP TABLE {TEMP}")


def refresh_all(zone_id: int) -> int:
    """Rebuild every rollup of a zone (after a bulk load); the number of periods refreshed."""
    periods = set(
        ReturnValue.objects.filter(zone_id=zone_id).values_list("period", flat=True).distinct()
    )
    periods = affected(periods)
    refresh(zone_id, periods)
    return len(periods)
