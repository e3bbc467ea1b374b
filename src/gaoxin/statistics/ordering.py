"""The returns' order by their enterprise's name, for the API's list and the returns page."""

from gaoxin.core.api_paging import pinned
from gaoxin.core.paging import JoinedKey


def by_enterprise_name(returns, descending: bool = False):
    """Latest period first, then by the enterprise's name (`descending`: Z to A). One period of
    one zone (a zone officer's list) is read by walking the enterprises' (zone, name, id) index
    and probing each one's return, which stops at the page; a database cannot walk it with the
    period in front of the order, even a fixed one, nor by the return's own `enterprise_id`."""
    sign = "-" if descending else ""
    fixed = pinned(returns)
    if "period" in fixed and "zone_id" in fixed:
        returns = returns.filter(enterprise__zone_id=fixed["zone_id"])  # every return's own zone
        key = JoinedKey("enterprise")
        return returns.order_by(
            f"{sign}enterprise__name", key.desc() if descending else key.asc(), f"{sign}pk"
        )
    return returns.order_by("-period", f"{sign}enterprise__name", f"{sign}pk")
