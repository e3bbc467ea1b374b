"""The accepted values the checks compare with: one query per field whatever the batch size."""

from django.db.models import Q

from ..models import ReturnValue

# Above this many enterprises, the history query reads the zone's periods and filters in Python
# instead of naming the enterprises (SQLite's bound-parameter limit, and a cheaper plan).
ENTERPRISE_FILTER_LIMIT = 500
# Above this many periods, the queries read a period range and filter in Python.
PERIOD_FILTER_LIMIT = 200


def _period_filter(periods: set[int]) -> tuple[Q, bool]:
    """A filter on these periods: an IN list, or a range (then filter in Python: True)."""
    if len(periods) <= PERIOD_FILTER_LIMIT:
        return Q(period__in=sorted(periods)), False
    return Q(period__gte=min(periods), period__lte=max(periods)), True


def load_accepted(zone_id, field, periods, indicator_ids, code_of, wanted=None):
    """Accepted values of one field ("value" or "month_value") in one query:
    {(enterprise, period): {code: Decimal}}; `wanted`: only these (enterprise, period) pairs."""
    if not periods or not indicator_ids:
        return {}
    period_q, filter_periods = _period_filter(periods)
    qs = ReturnValue.objects.filter(period_q, zone_id=zone_id, indicator_id__in=indicator_ids)
    if wanted is not None:
        enterprises = {enterprise for enterprise, _p in wanted}
        if len(enterprises) <= ENTERPRISE_FILTER_LIMIT:
            qs = qs.filter(enterprise_id__in=sorted(enterprises))
    found: dict[tuple[int, int], dict] = {}
    rows = qs.values_list("enterprise_id", "period", "indicator_id", field)
    for enterprise, period, indicator, value in rows.iterator(chunk_size=20000):
        pair = (enterprise, period)
        if wanted is not None:
            if pair not in wanted:
                continue
        elif filter_periods and period not in periods:
            continue
        slot = found.get(pair)
        if slot is None:
            slot = found[pair] = {}
        slot[code_of[indicator]] = value
    return found
