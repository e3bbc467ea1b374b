"""Peers: the zone's other enterprises of the same industry division (2 digits) and scale for the
period. Peer outliers compare an enterprise's ratio with their median; unit slips compare a
value with the median of theirs."""

from collections import defaultdict
from decimal import Decimal

from gaoxin.enterprises.models import Enterprise

from .history import load_accepted

TWO = Decimal(2)


def median_without(ratios: list, index: int):
    """The median of the sorted list with the element at `index` left out."""
    n = len(ratios) - 1

    def at(k):
        return ratios[k] if k < index else ratios[k + 1]

    if n % 2:
        return at(n // 2)
    return (at(n // 2 - 1) + at(n // 2)) / TWO


def profiles(zone_id, items) -> dict:
    """{enterprise id: (industry division, scale)} of the zone's enterprises (one query) and of
    the batch's enterprises given as objects."""
    profile = {
        pk: ((industry or "")[:2], scale or "")
        for pk, industry, scale in Enterprise.objects.filter(zone_id=zone_id).values_list(
            "id", "industry_id", "scale"
        )
    }
    for _key, enterprise, _period, _data in items:
        pk = getattr(enterprise, "pk", enterprise)
        if pk not in profile and hasattr(enterprise, "industry_id"):
            profile[pk] = ((enterprise.industry_id or "")[:2], enterprise.scale or "")
    return profile


def peer_groups(zone_id, rules, items, ids, code_of, profile):
    """For each peer rule: {(period, division, scale): sorted ratios}."""
    periods = {period for _k, _e, period, _d in items}
    indicator_ids = sorted(
        {pk for r in rules for code in (r.ind.code, r.other.code) for pk in ids[code]}
    )
    accepted = load_accepted(zone_id, "value", periods, indicator_ids, code_of)
    batch = {(getattr(e, "pk", e), p): data for _k, e, p, data in items}
    groups = {}
    for rule in rules:
        a, b = rule.ind.code, rule.other.code
        ratios = defaultdict(list)
        for (enterprise, period), slot in accepted.items():
            if (enterprise, period) in batch or enterprise not in profile:
                continue
            x, y = slot.get(a), slot.get(b)
            if x is not None and y:
                division, scale = profile[enterprise]
                ratios[(period, division, scale)].append(x / y)
        for (enterprise, period), data in batch.items():
            if enterprise not in profile:
                continue
            x, y = data.get(a), data.get(b)
            if x is not None and y:
                division, scale = profile[enterprise]
                ratios[(period, division, scale)].append(x / y)
        for values in ratios.values():
            values.sort()
        groups[rule.code] = ratios
    return groups


def value_groups(zone_id, codes, items, ids, code_of, profile) -> dict:
    """For the unit-slip checks: {code: {(period, division, scale): sorted positive values}} of
    the period's accepted values of the zone's enterprises and the batch's own (an item replaces
    its enterprise's accepted values), in one query."""
    periods = {period for _k, _e, period, _d in items}
    indicator_ids = sorted({pk for code in codes for pk in ids[code]})
    accepted = load_accepted(zone_id, "value", periods, indicator_ids, code_of)
    batch = {(getattr(e, "pk", e), p): data for _k, e, p, data in items}
    groups = {code: defaultdict(list) for code in codes}
    for rows, skip in ((accepted.items(), batch), (batch.items(), ())):
        for (enterprise, period), slot in rows:
            if (enterprise, period) in skip or enterprise not in profile:
                continue
            division, scale = profile[enterprise]
            for code in codes:
                value = slot.get(code)
                if value is not None and value > 0:
                    groups[code][(period, division, scale)].append(value)
    for by_group in groups.values():
        for values in by_group.values():
            values.sort()
    return groups
