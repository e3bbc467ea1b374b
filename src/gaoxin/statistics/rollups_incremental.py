"""The incremental rollup update: accepting a return moves the rollups by what changed, instead of
recomputing every `Rollup` row of the affected periods of the whole zone (`rollups.refresh`,
seconds in a zone of 5,000 enterprises).

An enterprise's contribution to the rollups of period X is a function of its own values of X
and of X − 100 (the same-set base) and of its attributes (industry, scale, above-scale flag,
tags). Publishing returns (`publish.publish_many`) rewrites the enterprises' values of their
periods P and the month values of the next reporting month, so their contributions to
`rollups.affected(P)` (P, P + 100, the next reporting month and its P + 100) change, and nobody
else's. In the writer's transaction:

1. `begin(zone, enterprises, periods)` locks the enterprises' rows (PostgreSQL: FOR NO KEY
   UPDATE, in id order; SQLite writes one at a time anyway), so two writers of the same
   enterprise's values (March of two years, or February and March) go one after the other and
   the second reads the first's values (`services.accept` today also locks the return's
   enterprise and zone rows through its select_related; `accept_clean` and the importers do
   not, and this must not depend on it); it then copies the enterprises' current
   contributions into a temporary table with sign −1 (with the attributes and tags they are
   counted under);
2. the writer replaces the values;
3. `Change.apply()` copies the new contributions with sign +1, sums the signed rows by
   indicator, period, dimension and key (groups whose sums do not move are left out), and adds
   those deltas to `Rollup` with one INSERT … ON CONFLICT DO UPDATE SET x = x + delta (row
   locks, in a fixed order: concurrent updates of the same rows queue and none is lost), then
   deletes the rows of the periods no enterprise is left in.

The count columns (`month_count`, `same_count`, `same_month_count`) say when a sum goes back to
NULL, so the result equals `rollups.refresh` exactly (tests/statistics/test_rollups_incremental).
The rollups count each enterprise under its attributes of the last rebuild; when they changed
since (an enterprise moved to another industry) and a count would go below zero, the database's
CHECK refuses it and the affected periods are rebuilt in full instead (`rollups.refresh`), as
every accept did before.
"""

from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction

from gaoxin.core.bulk import chunks, max_in_params

from . import rollups
from .models import ReturnValue

DELTA = "gx_rollup_delta"  # the signed contributions (one row per value, one more per tag)

_DELTA_DDL = f"""CREATE TEMPORARY TABLE IF NOT EXISTS {DELTA} (
    enterprise_id BIGINT, indicator_id BIGINT, period INTEGER, sign INTEGER, value NUMERIC,
    month_value NUMERIC, base_value NUMERIC, base_month NUMERIC, industry_id VARCHAR(10),
    scale VARCHAR(10), above_scale BOOLEAN, tag_id BIGINT)"""

_BOTH_MONTHS = "d.base_month IS NOT NULL AND d.month_value IS NOT NULL"
# The signed sums of a group.
_SIGNED = f"""SUM(d.sign) AS enterprises, SUM(d.sign * d.value) AS value,
    SUM(CASE WHEN d.month_value IS NOT NULL THEN d.sign ELSE 0 END) AS month_count,
    SUM(d.sign * d.month_value) AS month_value,
    SUM(CASE WHEN d.base_value IS NOT NULL THEN d.sign ELSE 0 END) AS same_count,
    SUM(CASE WHEN d.base_value IS NOT NULL THEN d.sign * d.value END) AS same_value,
    SUM(d.sign * d.base_value) AS base_value,
    SUM(CASE WHEN {_BOTH_MONTHS} THEN d.sign ELSE 0 END) AS same_month_count,
    SUM(CASE WHEN {_BOTH_MONTHS} THEN d.sign * d.month_value END) AS same_month,
    SUM(CASE WHEN {_BOTH_MONTHS} THEN d.sign * d.base_month END) AS base_month"""
# A group whose sums all stay put (its enterprises' values did not change) is left out.
_MOVED = f"""SUM(d.sign) <> 0 OR SUM(CASE WHEN d.month_value IS NOT NULL THEN d.sign ELSE 0 END) <> 0
    OR SUM(CASE WHEN d.base_value IS NOT NULL THEN d.sign ELSE 0 END) <> 0
    OR SUM(CASE WHEN {_BOTH_MONTHS} THEN d.sign ELSE 0 END) <> 0
    OR COALESCE(SUM(d.sign * d.value), 0) <> 0 OR COALESCE(SUM(d.sign * d.month_value), 0) <> 0
    OR COALESCE(SUM(d.sign * d.base_value), 0) <> 0
    OR COALESCE(SUM(CASE WHEN d.base_value IS NOT NULL THEN d.sign * d.value END), 0) <> 0
    OR COALESCE(SUM(CASE WHEN {_BOTH_MONTHS} THEN d.sign * d.month_value END), 0) <> 0
    OR COALESCE(SUM(CASE WHEN {_BOTH_MONTHS} THEN d.sign * d.base_month END), 0) <> 0"""

# dimension → (key over the delta rows `d`, extra join, extra condition); as rollups._DIMENSION_SQL
_DIMENSIONS = {
    "all": ("''", "", ""),
    "section": ("i.section", "JOIN {industry} i ON i.code = d.industry_id", ""),
    "division": ("SUBSTR(d.industry_id, 1, 2)", "", "AND d.industry_id IS NOT NULL"),
    "scale": ("d.scale", "", "AND d.scale IS NOT NULL AND d.scale <> ''"),
    "above_scale": ("CASE WHEN d.above_scale THEN '1' ELSE '0' END", "", ""),
}

# sum column → its count column: the sum is NULL when the count is 0.
_COUNTED = {
    "month_value": "month_count",
    "same_value": "same_count",
    "base_value": "same_count",
    "same_month": "same_month_count",
    "base_month": "same_month_count",
}


def _changes_sql(names: dict) -> str:
    """The signed contributions summed by indicator, period, dimension and key (one SELECT a
    dimension, UNION ALL), the groups whose sums did not move left out."""
    parts = []
    for dimension, (key, join, condition) in _DIMENSIONS.items():
        group = "" if dimension == "all" else f", {key}"
        parts.append(
            f"""SELECT d.indicator_id, d.period, '{dimension}' AS dimension, {key} AS "key",
                {_SIGNED}
            FROM {DELTA} d {join.format(**names)}
            WHERE d.tag_id IS NULL {condition}
            GROUP BY d.indicator_id, d.period{group}
            HAVING {_MOVED}"""
        )
    parts.append(
        f"""SELECT d.indicator_id, d.period, 'tag', CAST(d.tag_id AS VARCHAR(20)), {_SIGNED}
        FROM {DELTA} d
        WHERE d.tag_id IS NOT NULL
        GROUP BY d.indicator_id, d.period, d.tag_id
        HAVING {_MOVED}"""
    )
    return "\nUNION ALL\n".join(parts)


def _upsert_sql(names: dict) -> str:
    """Add the deltas to the rollup rows (a new row is the delta itself). A delta row's sum
    carries a count delta of 0 only when its enterprises' values moved but not their number:
    NULLIF(…, 0) then keeps it NULL for a new row (nothing to add) and adds it to an old one."""
    rollup = names["rollup"]
    inserted, updated = [], []
    for column, count in _COUNTED.items():
        inserted.append(
            f"CASE WHEN c.{count} = 0 THEN NULLIF(COALESCE(c.{column}, 0), 0) "
            f"ELSE COALESCE(c.{column}, 0) END"
        )
        updated.append(
            f"{column} = CASE WHEN {rollup}.{count} + excluded.{count} = 0 THEN NULL "
            f"ELSE COALESCE({rollup}.{column}, 0) + COALESCE(excluded.{column}, 0) END"
        )
    counts = ("enterprises", "value", "month_count", "same_count", "same_month_count")
    updated += [f"{c} = {rollup}.{c} + excluded.{c}" for c in counts]
    return f"""
        INSERT INTO {rollup} (zone_id, indicator_id, period, dimension, "key", enterprises,
            value, month_count, same_count, same_month_count, {", ".join(_COUNTED)})
        SELECT %s, c.indicator_id, c.period, c.dimension, c."key", c.enterprises,
            COALESCE(c.value, 0), c.month_count, c.same_count, c.same_month_count,
            {", ".join(inserted)}
        FROM ({_changes_sql(names)}) c
        WHERE 1 = 1
        ORDER BY c.indicator_id, c.period, c.dimension, c."key"
        ON CONFLICT (zone_id, period, indicator_id, dimension, "key") DO UPDATE SET
            {", ".join(updated)}
        RETURNING enterprises
    """


class Change:
    """The rollup contributions of some enterprises over some periods, taken before a write
    (`begin`) and applied after it (`apply`), in the writer's transaction."""

    def __init__(self, zone_id: int, enterprise_ids: list[int], periods: list[int]):
        self.zone_id, self.enterprise_ids, self.periods = zone_id, enterprise_ids, periods
        self.names = rollups._tables()
        self.fell_back = False  # True when the periods were rebuilt in full instead

    def _capture(self, cursor, sign: int) -> None:
        """The enterprises' current contributions, with sign: one row per value (the
        enterprise's attributes as they are now) and one per value and tag."""
        names, periods = self.names, self.periods
        rv, ent, tags = names["rv"], names["ent"], names["tags"]
        columns = """enterprise_id, indicator_id, period, sign, value, month_value, base_value,
            base_month, industry_id, scale, above_scale, tag_id"""
        # SQLite: the unary + keeps it on the unique index that leads with the enterprise (not
        # the zone's period index). PostgreSQL: the periods go into that index scan; without
        # them its estimate crosses the parallel-query threshold (2 workers: +30 ms).
        plus = "+" if connection.vendor == "sqlite" else ""
        where = (
            f"LEFT JOIN {rv} b ON b.enterprise_id = v.enterprise_id"
            " AND b.indicator_id = v.indicator_id AND b.period = v.period - 100"
            " AND b.zone_id = v.zone_id"
            f" WHERE {plus}v.zone_id = %s"
            f" AND {plus}v.period IN ({', '.join(['%s'] * len(periods))})"
            " AND v.enterprise_id IN ({ids})"
        )
        rows = (
            f"INSERT INTO {DELTA} ({columns}) SELECT v.enterprise_id, v.indicator_id, v.period,"
            " %s, v.value, v.month_value, b.value, b.month_value, e.industry_id, e.scale,"
            f" e.above_scale, NULL FROM {rv} v JOIN {ent} e ON e.id = v.enterprise_id {where}"
            " UNION ALL SELECT v.enterprise_id, v.indicator_id, v.period,"
            " %s, v.value, v.month_value, b.value, b.month_value, NULL, NULL, NULL, t.tag_id"
            f" FROM {rv} v JOIN {tags} t ON t.enterprise_id = v.enterprise_id {where}"
        )
        size = max(1, (max_in_params() - 2 * len(periods) - 4) // 2)
        for chunk in chunks(self.enterprise_ids, size):
            ids = ", ".join(["%s"] * len(chunk))
            params = [sign, self.zone_id, *periods, *chunk]
            cursor.execute(rows.format(ids=ids), params * 2)

    def apply(self) -> None:
        """Add the new contributions, take the old ones out of `Rollup`; drop emptied rows."""
        rollup = self.names["rollup"]
        with connection.cursor() as cursor:
            self._capture(cursor, +1)
            try:
                with transaction.atomic():
                    cursor.execute(_upsert_sql(self.names), [self.zone_id])
                    emptied = any(count == 0 for (count,) in cursor.fetchall())
                    if emptied:  # a group no enterprise is left in
                        marks = ", ".join(["%s"] * len(self.periods))
                        cursor.execute(
                            f"DELETE FROM {rollup} WHERE zone_id = %s AND period IN ({marks}) "
                            "AND enterprises = 0",
                            [self.zone_id, *self.periods],
                        )
            except IntegrityError:
                # A count below zero: the rollups counted an enterprise under other attributes
                # than it has now. The affected periods are rebuilt from the values instead.
                self.fell_back = True
                rollups.refresh(self.zone_id, self.periods)


def begin(zone_id: int, enterprise_ids: Iterable[int], periods: Iterable[int]) -> Change:
    """Lock the enterprises and take their contributions to the rollups of `periods` (every
    period their write changes: `rollups.affected`) before the write. Inside a transaction."""
    change = Change(zone_id, sorted(set(enterprise_ids)), sorted({int(p) for p in periods}))
    # The temporary table is kept for the connection's life and emptied for each use.
    opening = [_DELTA_DDL, f"DELETE FROM {DELTA}"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The enterprises' rows locked until the transaction ends (SQLite has one writer at
            # a time): writers of the same enterprise's values wait for each other. In one round
            # trip with the table's statements: without parameters psycopg sends them at once
            # (the ids are the database's integers, written in as such).
            ids = ", ".join(str(int(pk)) for pk in change.enterprise_ids)
            lock = (
                f"SELECT id FROM {change.names['ent']} WHERE id IN ({ids}) ORDER BY id "
                "FOR NO KEY UPDATE"
            )
            cursor.execute("; ".join([lock, *opening] if ids else opening))
        else:
            for sql in opening:
                cursor.execute(sql)
        if change.enterprise_ids and change.periods:
            change._capture(cursor, -1)
    return change


# Beyond this many enterprises regrouped at once (an import), the zone is rebuilt instead.
REGROUP_MAX = 200


def regroup(zone_id: int, enterprise_ids: list[int]):
    """The enterprises' hook (enterprises.regrouping): their industry, scale, above-scale flag or
    tags are about to change, so their values move to other rollup groups in every period they
    reported (and the year after, whose base they are)."""
    if len(enterprise_ids) > REGROUP_MAX:
        return lambda: rollups.refresh_all(zone_id)
    periods = set(
        ReturnValue.objects.filter(zone_id=zone_id, enterprise_id__in=enterprise_ids)
        .values_list("period", flat=True)
        .distinct()
    )
    if not periods:
        return lambda: None
    return begin(zone_id, enterprise_ids, rollups.affected(periods)).apply
