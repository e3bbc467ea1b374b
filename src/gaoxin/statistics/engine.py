"""The one computation engine: every zone figure the pages, the API, exports, the demo's checks
and later reports show comes from here. Pure reads; callers check access first.

Sources:
- computed figures read the rollups (`Rollup`, refreshed by `rollups.refresh`), never the
  millions of accepted values; only `top` and `contributions` read `ReturnValue`, one period of
  one indicator at a time;
- official figures (value added, high-tech share …) come from `OfficialFigure` as published,
  labelled with their authority ("官方数据·统计局"), and are never recomputed.

Modes: "ytd" reads the values as reported (cumulative year to date for cumulative indicators);
"month" reads the month's own values (the 1–2月 return's value for February). Indicators that
are not cumulative (employees, a point in time) read the same in both modes. Official figures
are shown as published in either mode.

Growth (同比) compares the same set of enterprises (同口径): same_value / base_value − 1, as a
percentage rounded to 0.1, None when last year's same-set sum is 0 or missing. The set is the
zone's: enterprises that reported to this zone in both years (one that moved in is new to it).

Ratios (Indicator.aggregation == "ratio", e.g. R&D spending ÷ revenue): numerator total ÷
denominator total × 100, and their growth is the **relative** change of the ratio on the same set,
(num_same / den_same) ÷ (num_base / den_base) − 1, in % — not a difference in percentage points.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import connection
from django.utils.translation import gettext as _

from gaoxin.core.periods import Period

from . import catalogue
from .models import Indicator, OfficialFigure, OfficialSource, ReturnValue, Rollup

YTD, MONTH = "ytd", "month"
MODES = (YTD, MONTH)
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")
ROLLUP_FIELDS = (
    "indicator_id", "period", "key", "enterprises", "value", "month_value",
    "same_value", "base_value", "same_month", "base_month",
)  # fmt: skip


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    code: str
    name: str
    unit: str
    value: Decimal | None
    yoy_pct: Decimal | None
    source: str  # "official" | "computed"
    cumulative: bool
    enterprises: int | None
    source_label: str
    source_note: str = ""
    period: int = 0


@dataclass(frozen=True)
class Point:
    period: int
    label: str
    value: Decimal | None
    yoy_pct: Decimal | None


@dataclass
class Measure:
    """A computed figure's value and its same-set sums."""

    value: Decimal | None = None
    same: Decimal | None = None
    base: Decimal | None = None
    enterprises: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def yoy_pct(self) -> Decimal | None:
        return growth(self.same, self.base)


# --- small helpers ----------------------------------------------------------------------------


def round_pct(value: Decimal | None, places: Decimal = TENTH) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(places, rounding=ROUND_HALF_UP)


def growth(same, base) -> Decimal | None:
    """Same-set growth in %, rounded to 0.1: same / base − 1; None when base is 0 or missing."""
    if same is None or base is None or base == 0:
        return None
    return round_pct((Decimal(same) / Decimal(base) - 1) * HUNDRED)


def ratio(numerator, denominator) -> Decimal | None:
    """numerator ÷ denominator × 100; None when either is missing or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    try:
        return Decimal(numerator) * HUNDRED / Decimal(denominator)
    except InvalidOperation:
        return None


def month_values(values_by_period: dict) -> dict:
    """Month values from cumulative ones ({yyyymm: value}): February (the 1–2月 return) is its
    own value, a later month the difference with the previous reporting month of the same year,
    None when either is missing."""
    out = {}
    for key, value in values_by_period.items():
        period = Period.of(int(key))
        previous = period.previous_reporting()
        if value is None:
            out[key] = None
        elif previous is None:
            out[key] = value
        else:
            before = values_by_period.get(previous.key)
            out[key] = None if before is None else value - before
    return out


def cumulate(month_values_by_period: dict) -> dict:
    """Cumulative values from month values: the running sum within each year from the 1–2月
    return; None from the first missing month of a year on."""
    out = {}
    for key in sorted(month_values_by_period):
        period = Period.of(int(key))
        value = month_values_by_period[key]
        previous = period.previous_reporting()
        if previous is None:
            out[key] = value
        else:
            before = out.get(previous.key)
            out[key] = None if before is None or value is None else before + value
    return out


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(_("口径应为 ytd(累计)或 month(当月)"))
    return mode


def _columns(indicator: Indicator, mode: str) -> tuple[str, str, str]:
    """Which rollup columns a mode reads for an indicator."""
    if mode == MONTH and indicator.cumulative:
        return "month_value", "same_month", "base_month"
    return "value", "same_value", "base_value"


def measure(indicator: Indicator, rows: dict, mode: str = YTD) -> Measure:
    """An indicator's figure from its rollup rows ({indicator id: row dict}); ratios from their
    numerator's and denominator's."""
    value_col, same_col, base_col = _columns(indicator, mode)
    if indicator.aggregation == Indicator.Aggregation.RATIO:
        num = rows.get(indicator.numerator_id)
        den = rows.get(indicator.denominator_id)
        if not num or not den:
            return Measure()
        same = ratio(num[same_col], den[same_col])
        base = ratio(num[base_col], den[base_col])
        return Measure(
            value=ratio(num[value_col], den[value_col]),
            same=same,
            base=base,
            enterprises=den["enterprises"],
        )
    row = rows.get(indicator.pk)
    if not row:
        return Measure()
    return Measure(
        value=row[value_col],
        same=row[same_col],
        base=row[base_col],
        enterprises=row["enterprises"],
    )


def rollup_ids(indicators) -> set[int]:
    """The indicators whose rollup rows make these figures (a ratio's numerator and denominator)."""
    ids = set()
    for ind in indicators:
        if ind.aggregation == Indicator.Aggregation.RATIO:
            ids.update(i for i in (ind.numerator_id, ind.denominator_id) if i)
        else:
            ids.add(ind.pk)
    return ids


def rollup_fields(mode: str) -> tuple[str, ...]:
    """The rollup columns a mode reads (month mode reads the values of point-in-time ones)."""
    values = ("value", "same_value", "base_value")
    months = ("month_value", "same_month", "base_month") if mode == MONTH else ()
    return ("indicator_id", "period", "key", "enterprises", *values, *months)


def _rollups(zone, periods, indicators, dimension="all", fields=ROLLUP_FIELDS) -> dict:
    """{(period, key): {indicator id: row}} in one query."""
    out = defaultdict(dict)
    rows = Rollup.objects.filter(
        zone=zone,
        period__in=list(periods),
        dimension=dimension,
        indicator_id__in=rollup_ids(indicators),
    ).values(*fields)
    for row in rows:
        out[(row["period"], row["key"])][row["indicator_id"]] = row
    return out


def period_rows(zone, period, indicators) -> dict:
    """The zone's "all" rollup rows of one period ({indicator id: row}), in one query: callers
    showing several figures of a period read them once and pass them on (`rows=`)."""
    key = Period.of(period).key
    return _rollups(zone, [key], indicators).get((key, ""), {})


def source_label(source: str) -> str:
    """ "官方数据·统计局" for an official figure's source, "平台计算" for computed."""
    if source == "computed":
        return _("平台计算")
    try:
        authority = OfficialSource(source).label
    except ValueError:
        authority = source
    return _("官方数据·%(s)s") % {"s": authority}


def _places(indicator) -> Decimal:
    return Decimal(1).scaleb(-indicator.decimal_places)


def shown_value(indicator, value: Decimal | None) -> Decimal | None:
    """Ratios are shown at the indicator's decimal places; sums as summed."""
    if value is None or indicator.aggregation != Indicator.Aggregation.RATIO:
        return value
    return value.quantize(_places(indicator), rounding=ROUND_HALF_UP)


def is_computed(indicator) -> bool:
    return indicator.source in (Indicator.Source.RETURN, Indicator.Source.COMPUTED)


# --- figures ----------------------------------------------------------------------------------


def figures(zone, period, *, mode: str = YTD, indicators=None, rows=None) -> list[Figure]:
    """The zone's figures for a period: official ones (as published, with their source) and
    computed ones (the return indicators' sums and the ratios), in catalogue order. Official
    indicators without a published figure for the period are left out; computed ones without
    accepted values have value None. Three queries (catalogue, rollups, official figures)."""
    check_mode(mode)
    key = Period.of(period).key
    indicators = catalogue.indicators_for(zone) if indicators is None else indicators
    computed = [i for i in indicators if is_computed(i)]
    if rows is None:
        rows = period_rows(zone, key, computed)
    official = {
        o.indicator_id: o
        for o in OfficialFigure.objects.filter(
            zone=zone, period=key, indicator_id__in=[i.pk for i in indicators]
        )
    }
    out = []
    for ind in indicators:
        if is_computed(ind):
            m = measure(ind, rows, mode)
            out.append(
                Figure(
                    indicator=ind,
                    code=ind.code,
                    name=ind.name,
                    unit=ind.unit,
                    value=shown_value(ind, m.value),
                    yoy_pct=m.yoy_pct,
                    source="computed",
                    cumulative=ind.cumulative,
                    enterprises=m.enterprises,
                    source_label=source_label("computed"),
                    period=key,
                )
            )
        elif ind.pk in official:
            o = official[ind.pk]
            out.append(
                Figure(
                    indicator=ind,
                    code=ind.code,
                    name=ind.name,
                    unit=ind.unit,
                    value=o.value,
                    yoy_pct=round_pct(o.yoy_pct),
                    source="official",
                    cumulative=ind.cumulative,
                    enterprises=None,
                    source_label=source_label(o.source),
                    source_note=o.source_note,
                    period=key,
                )
            )
    return out


def trends(zone, indicators, period, *, months: int = 13, mode: str = YTD) -> dict:
    """{indicator code: [Point, …]} over the `months` reporting periods up to `period` (oldest
    first) for several indicators, in two queries (rollups, official figures)."""
    check_mode(mode)
    periods = Period.of(period).months_back(months)
    keys = [p.key for p in periods]
    computed = [i for i in indicators if is_computed(i)]
    rows = _rollups(zone, keys, computed, fields=rollup_fields(mode)) if computed else {}
    official = defaultdict(dict)
    others = [i.pk for i in indicators if not is_computed(i)]
    if others:
        for o in OfficialFigure.objects.filter(zone=zone, period__in=keys, indicator_id__in=others):
            official[o.indicator_id][o.period] = o
    labels = {p.key: p.label() for p in periods}
    out = {}
    for ind in indicators:
        points = []
        for p in periods:
            if is_computed(ind):
                m = measure(ind, rows.get((p.key, ""), {}), mode)
                value, yoy = shown_value(ind, m.value), m.yoy_pct
            else:
                o = official[ind.pk].get(p.key)
                value, yoy = (o.value, round_pct(o.yoy_pct)) if o else (None, None)
            points.append(Point(p.key, labels[p.key], value, yoy))
        out[ind.code] = points
    return out


def trend(zone, indicator, period, months: int = 13, mode: str = YTD) -> list[Point]:
    """One indicator's values and growth over the `months` reporting periods up to `period`."""
    return trends(zone, [indicator], period, months=months, mode=mode)[indicator.code]


# --- breakdowns -------------------------------------------------------------------------------

BREAKDOWNS = ("section", "division", "scale", "above_scale", "tag")


def dimension_labels(zone, dimension: str, keys) -> dict:
    """Chinese labels of a dimension's keys (门类/大类 names, scale names, 规上/规下, tag names)."""
    from gaoxin.core.models import Industry, Tag
    from gaoxin.enterprises.models import Scale

    keys = list(keys)
    if dimension in ("section", "division"):
        names = dict(Industry.objects.filter(code__in=keys).values_list("code", "name"))
        return {k: f"{k} {names[k]}" if k in names else k for k in keys}
    if dimension == "scale":
        return {k: str(Scale(k).label) if k in Scale.values else k for k in keys}
    if dimension == "above_scale":
        return {k: _("规上企业") if k == "1" else _("规下企业") for k in keys}
    if dimension == "tag":
        ids = [int(k) for k in keys if k.isdigit()]
        names = {str(pk): n for pk, n in Tag.objects.filter(pk__in=ids).values_list("pk", "name")}
        return {k: names.get(k, k) for k in keys}
    return {k: k for k in keys}


def breakdown(zone, indicator, period, dimension: str, mode: str = YTD, rows=None) -> list[dict]:
    """The figure by industry 门类 ("section") or 大类 ("division"), scale, above-scale flag or
    tag: rows {key, label, value, share (% of the zone's total; None for ratios), yoy_pct,
    enterprises}, largest first. Three queries (rollups of the dimension, the total unless
    `rows` (`period_rows`) is given, labels)."""
    check_mode(mode)
    if dimension not in BREAKDOWNS:
        raise ValueError(f"unknown dimension {dimension!r}")
    key = Period.of(period).key
    by_key = defaultdict(dict)
    for (_p, k), found in _rollups(
        zone, [key], [indicator], dimension, rollup_fields(mode)
    ).items():
        by_key[k] = found
    total = measure(indicator, _all(zone, key, indicator, rows), mode)
    labels = dimension_labels(zone, dimension, by_key)
    is_ratio = indicator.aggregation == Indicator.Aggregation.RATIO
    out = []
    for k, found in by_key.items():
        m = measure(indicator, found, mode)
        if m.value is None:
            continue
        share = None if is_ratio else ratio(m.value, total.value)
        out.append(
            {
                "key": k,
                "label": labels.get(k, k),
                "value": shown_value(indicator, m.value),
                "share": round_pct(share),
                "yoy_pct": m.yoy_pct,
                "enterprises": m.enterprises,
            }
        )
    out.sort(key=lambda r: (-r["value"], r["key"]))
    return out


# --- enterprises behind a figure (one period of one indicator) --------------------------------


def _all(zone, key: int, indicator, rows) -> dict:
    """The period's "all" rows for the indicator: those passed in (`period_rows`) or read."""
    return period_rows(zone, key, [indicator]) if rows is None else rows


def _summed(indicator) -> None:
    if not is_computed(indicator) or indicator.aggregation == Indicator.Aggregation.RATIO:
        raise ValueError(_("只有企业填报的求和指标才能按企业排名"))


FOUR_PLACES = Decimal("0.0001")


def _decimal(value) -> Decimal | None:
    """A raw cursor's amount as the ORM would give it (SQLite answers floats)."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(repr(value)).quantize(FOUR_PLACES)


def _tables() -> dict:
    from gaoxin.enterprises.models import Enterprise

    return {"rv": ReturnValue._meta.db_table, "ent": Enterprise._meta.db_table}


def _fetch(sql: str, params) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            {
                "enterprise_id": row[0],
                "name": row[1],
                "ret_id": row[2],
                "figure": _decimal(row[3]),
                "base": _decimal(row[4]),
            }
            for row in cursor.fetchall()
        ]


def top(zone, indicator, period, n: int = 10, mode: str = YTD, rows=None) -> list[dict]:
    """The n enterprises with the largest values: {enterprise_id, name, ret_id (the accepted
    return behind the value), value, share (% of the zone's total), yoy_pct (the enterprise's
    own growth)}. Two queries (the total unless `rows` is given; the n rows with last year's
    values of those n only)."""
    check_mode(mode)
    _summed(indicator)
    key = Period.of(period).key
    total = measure(indicator, _all(zone, key, indicator, rows), mode).value
    col, t = _columns(indicator, mode)[0], _tables()
    found = _fetch(
        f"""
        SELECT v.enterprise_id, e.name, v.ret_id, v.figure, b.{col}
        FROM (SELECT enterprise_id, ret_id, {col} AS figure FROM {t["rv"]}
              WHERE zone_id = %s AND period = %s AND indicator_id = %s AND {col} IS NOT NULL
              ORDER BY {col} DESC, enterprise_id LIMIT %s) v
        JOIN {t["ent"]} e ON e.id = v.enterprise_id
        LEFT JOIN {t["rv"]} b ON b.zone_id = %s AND b.period = %s AND b.indicator_id = %s
             AND b.enterprise_id = v.enterprise_id
        ORDER BY v.figure DESC, v.enterprise_id
        """,
        [zone.pk, key, indicator.pk, n, zone.pk, key - 100, indicator.pk],
    )
    return [
        {
            "enterprise_id": r["enterprise_id"],
            "name": r["name"],
            "ret_id": r["ret_id"],
            "value": r["figure"],
            "share": round_pct(ratio(r["figure"], total)),
            "yoy_pct": growth(r["figure"], r["base"]),
        }
        for r in found
    ]


def contributions(zone, indicator, period, n: int = 10, mode: str = YTD, rows=None) -> list[dict]:
    """The n enterprises that moved the zone's same-set growth most, up or down: each one's
    change against last year ÷ last year's same-set total × 100, in percentage points (they add
    up, over all enterprises, to the zone's growth). Rows {enterprise_id, name, ret_id, value, base,
    change, contribution_pp (0.01), yoy_pct}, largest |contribution| first. Two queries (one
    join of the period's values with last year's)."""
    check_mode(mode)
    _summed(indicator)
    key = Period.of(period).key
    total = measure(indicator, _all(zone, key, indicator, rows), mode)
    col, t = _columns(indicator, mode)[0], _tables()
    found = _fetch(
        f"""
        SELECT p.enterprise_id, e.name, p.ret_id, p.figure, p.base
        FROM (SELECT v.enterprise_id, v.ret_id, v.{col} AS figure, b.{col} AS base
              FROM {t["rv"]} v
              JOIN {t["rv"]} b ON b.zone_id = v.zone_id AND b.period = %s
                   AND b.indicator_id = v.indicator_id AND b.enterprise_id = v.enterprise_id
              WHERE v.zone_id = %s AND v.period = %s AND v.indicator_id = %s
                AND v.{col} IS NOT NULL AND b.{col} IS NOT NULL
              ORDER BY ABS(v.{col} - b.{col}) DESC, v.enterprise_id
              LIMIT %s) p
        JOIN {t["ent"]} e ON e.id = p.enterprise_id
        ORDER BY ABS(p.figure - p.base) DESC, p.enterprise_id
        """,
        [key - 100, zone.pk, key, indicator.pk, n],
    )
    out = []
    for r in found:
        change = r["figure"] - r["base"]
        share = ratio(change, total.base)
        out.append(
            {
                "enterprise_id": r["enterprise_id"],
                "name": r["name"],
                "ret_id": r["ret_id"],
                "value": r["figure"],
                "base": r["base"],
                "change": change,
                "contribution_pp": round_pct(share, Decimal("0.01")),
                "yoy_pct": growth(r["figure"], r["base"]),
            }
        )
    return out


# --- periods ----------------------------------------------------------------------------------


def latest_period(zone) -> int | None:
    """The latest period with accepted returns in the zone (from its rollups)."""
    return (
        Rollup.objects.filter(zone=zone, dimension="all")
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
