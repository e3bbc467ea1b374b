"""The zones side by side (园区对比): the province's view of its zones' main figures for one
period, ranked by the figure chosen. Computed figures come from the rollups and official ones as
published (`engine.measure`, as on each zone's cockpit), for every zone at once: a fixed number of
queries whatever the number of zones (bench/province.py measures 1, 10 and 50 zones)."""

from dataclasses import dataclass

from django.db.models import Max, Q

from gaoxin.core import units
from gaoxin.core.models.access import VIEW, can_in_zone
from gaoxin.core.zones import visible_zones

from . import engine
from .models import Indicator, OfficialFigure, Rollup

# The figures a province compares zones by, in this order (standard catalogue codes).
COMPARED = (
    "revenue",
    "output_value",
    "industrial_tax",
    "industrial_electricity",
    "rd_revenue_ratio",
    "industrial_value_added",
    "hightech_share",
)


@dataclass
class Cell:
    value: object
    yoy_pct: object
    display: str


@dataclass
class Row:
    zone: object
    rank: int | None  # None: the zone has no figure for the ranked column
    enterprises: int | None
    cells: list[Cell]


def compared_zones(user) -> list:
    """The zones whose figures the user reads (the cockpit's rule, zone by zone); no query per
    zone: the memberships are the user's, cached."""
    return [z for z in visible_zones(user).order_by("code") if can_in_zone(user, Rollup, z, VIEW)]


def latest_period(zones) -> int | None:
    """The latest period with accepted returns in any of the zones, in one query."""
    found = Rollup.objects.filter(zone__in=zones, dimension="all").aggregate(latest=Max("period"))
    return found["latest"]


def offered_periods(zones, shown: int) -> list[int]:
    """Periods with accepted returns in any of the zones, newest first (January is no reporting
    period), and the one shown."""
    keys = set(
        Rollup.objects.filter(zone__in=zones, dimension="all")
        .order_by()
        .values_list("period", flat=True)
        .distinct()
    )
    return sorted((keys | {shown}) - {k for k in keys if k % 100 == 1}, reverse=True)


def _catalogues(zones) -> tuple[list[Indicator], dict]:
    """The standard compared indicators (the columns) and, per zone, the effective indicator of
    each column: the zone's own of the same code replaces the standard one. One query."""
    codes = set(COMPARED)
    rows = Indicator.objects.filter(code__in=codes).filter(Q(zone__isnull=True) | Q(zone__in=zones))
    standard, own = {}, {}
    for ind in rows:
        if ind.zone_id is None:
            standard[ind.code] = ind
        else:
            own[(ind.zone_id, ind.code)] = ind
    columns = [standard[c] for c in COMPARED if c in standard and standard[c].is_active]
    effective = {z.pk: [own.get((z.pk, c.code), c) for c in columns] for z in zones}
    return columns, effective


def compare(zones, period: int, mode: str, sort: str = COMPARED[0]) -> tuple[list, list[Row]]:
    """(columns, rows): each zone's figures for `period`, ranked by the column `sort` (largest
    first, zones without it last). Three queries, whatever the number of zones."""
    columns, effective = _catalogues(zones)
    computed = {i for inds in effective.values() for i in inds if engine.is_computed(i)}
    ids = {i for ind in computed for i in engine.rollup_ids([ind])}
    rollups: dict[int, dict] = {z.pk: {} for z in zones}
    if ids:
        for row in Rollup.objects.filter(
            zone__in=zones, period=period, dimension="all", key="", indicator_id__in=ids
        ).values("zone_id", *engine.rollup_fields(mode)):
            rollups[row["zone_id"]][row["indicator_id"]] = row
    official_ids = {i.pk for inds in effective.values() for i in inds if not engine.is_computed(i)}
    official = {
        (o.zone_id, o.indicator_id): o
        for o in OfficialFigure.objects.filter(
            zone__in=zones, period=period, indicator_id__in=official_ids
        )
    }
    rows = []
    for zone in zones:
        cells, enterprises = [], None
        for ind in effective[zone.pk]:
            if engine.is_computed(ind):
                m = engine.measure(ind, rollups[zone.pk], mode)
                value, yoy = engine.shown_value(ind, m.value), m.yoy_pct
                if ind.code == COMPARED[0]:
                    enterprises = m.enterprises
            else:
                o = official.get((zone.pk, ind.pk))
                value, yoy = (o.value, engine.round_pct(o.yoy_pct)) if o else (None, None)
            shown = "—" if value is None else units.figure(value, ind.unit, ind.decimal_places)
            cells.append(Cell(value, yoy, shown))
        rows.append(Row(zone, None, enterprises, cells))
    if not columns:
        return columns, rows
    order = next((n for n, c in enumerate(columns) if c.code == sort), 0)
    rows.sort(key=lambda r: (r.cells[order].value is None, -(r.cells[order].value or 0)))
    for rank, row in enumerate(r for r in rows if r.cells[order].value is not None):
        row.rank = rank + 1
    return columns, rows
