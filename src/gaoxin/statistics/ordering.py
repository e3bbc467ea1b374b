"""The returns' order by their enterprise's name, for the API's list and the returns page."""

from gaoxin.core.paging import JoinedKey, pinned

# From this many returns in the period, the list walks the enterprises' name index; below, the
# database sorts them (a walk of a sparse period reads every enterprise of the zone to find few).
WALK_FROM = 1_000


def by_enterprise_name(returns, descending: bool = False, *, count: int = 0):
    """Latest period first, then by the enterprise's name (`descending`: Z to A), then by the
    enterprise. One period of one zone of WALK_FROM returns or more (`count`: the rows' capped
    count; a zone officer's list) is read by walking the enterprises' (zone, name, id) index and
    probing each one's return, which stops at the page: a database cannot walk it with the
    period in front of the order, even a fixed one, nor by the return's own `enterprise_id`
    (the same value, which `enterprise__pk` reads)."""
    sign = "-" if descending else ""
    fixed = pinned(returns)
    if "period" not in fixed:
        return returns.order_by("-period", f"{sign}enterprise__name", f"{sign}pk")
    key = f"{sign}enterprise__pk"  # the same order and cursor both ways
    if count >= WALK_FROM and "zone_id" in fixed:
        returns = returns.filter(enterprise__zone_id=fixed["zone_id"])  # every return's own zone
        key = JoinedKey("enterprise").desc() if descending else JoinedKey("enterprise").asc()
    return returns.order_by(f"{sign}enterprise__name", key, f"{sign}pk")
