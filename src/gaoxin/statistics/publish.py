"""Publishing accepted returns into the fact table (`ReturnValue`) and keeping the rollups current.

An accepted return's figures replace whatever that enterprise had for that period. Each value
keeps its month value beside it (cumulative minus the previous reporting month's; the 1–2月 value
as it is; a point-in-time indicator's value as it is), so the month view is a plain sum; when a
month is revised, the next month's month values change too.

The rollups move with the values, in the same transaction: the enterprises' old contributions
out, the new ones in (`rollups_incremental`), a few small statements whatever the zone's size.
A batch of more than `INCREMENTAL_MAX` enterprises (a whole period accepted at once) refreshes
the affected periods in full once the transaction commits instead, as `full_refresh()` makes
every publish do (the benchmark's baseline, the reference in the tests).
"""

import contextlib
import contextvars
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.db import transaction

from gaoxin.core.bulk import chunks, insert, max_in_params
from gaoxin.core.periods import Period

from .catalogue import indicators_for
from .models import ReturnValue

VALUE_FIELDS = ("zone", "enterprise", "indicator", "period", "value", "month_value", "ret")
# Above this many enterprises in one batch, refreshing the affected periods costs less than
# taking every enterprise's contributions out and putting them back.
INCREMENTAL_MAX = 1000
_FULL = contextvars.ContextVar("gaoxin_rollups_full_refresh", default=False)


@contextlib.contextmanager
def full_refresh():
    """Publish as before the incremental update: the affected periods of the whole zone
    recomputed on commit (`rollups.refresh`). For the benchmark's baseline and the tests."""
    token = _FULL.set(True)
    try:
        yield
    finally:
        _FULL.reset(token)


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _existing(zone_id, period: int, enterprise_ids) -> dict:
    """{(enterprise, indicator): ReturnValue} of one period for these enterprises."""
    found = {}
    for chunk in chunks(enterprise_ids, max_in_params()):
        for row in ReturnValue.objects.filter(
            zone_id=zone_id, period=period, enterprise_id__in=chunk
        ):
            found[(row.enterprise_id, row.indicator_id)] = row
    return found


def publish_many(zone, returns, *, refresh: bool = True) -> int:
    """Write the values of these accepted returns of one zone; returns the number of values.

    Runs inside the caller's transaction. `refresh=False` lets a bulk loader (the demo, the
    benchmark generator) refresh the rollups itself once at the end; otherwise the rollups are
    updated incrementally before this returns (see the module's docstring).
    """
    zone_id = getattr(zone, "pk", zone)
    returns = list(returns)
    if not returns:
        return 0
    indicators = {i.code: i for i in indicators_for(zone_id, source="return")}
    by_period = defaultdict(dict)  # period → {enterprise_id: return}
    for ret in returns:
        by_period[ret.period][ret.enterprise_id] = ret
    enterprise_ids = {ret.enterprise_id for ret in returns}
    change = None
    if refresh and not _FULL.get() and len(enterprise_ids) <= INCREMENTAL_MAX:
        from . import rollups, rollups_incremental

        # Before anything is read: the enterprises locked, their contributions taken.
        change = rollups_incremental.begin(zone_id, enterprise_ids, rollups.affected(by_period))

    # 1. The new values, with month values from the batch itself or the stored previous month.
    # (enterprise, indicator, period) → (value, month value, return): plain tuples, not model
    # instances, which cost most of the time when the demo publishes ~140,000 values at once.
    new_rows = {}
    for period in sorted(by_period):
        batch = by_period[period]
        previous = Period.of(period).previous_reporting()
        stored_previous = {}
        if previous is not None:
            missing = [e for e in batch if e not in by_period.get(previous.key, {})]
            stored_previous = _existing(zone_id, previous.key, missing) if missing else {}
        for enterprise_id, ret in batch.items():
            for code, raw in (ret.data or {}).items():
                indicator = indicators.get(code)
                value = _decimal(raw)
                if indicator is None or value is None:
                    continue
                month = value
                if indicator.cumulative and previous is not None:
                    before = new_rows.get((enterprise_id, indicator.pk, previous.key))
                    if before is not None:
                        before = before[0]
                    elif stored := stored_previous.get((enterprise_id, indicator.pk)):
                        before = stored.value
                    month = value - before if before is not None else None
                new_rows[(enterprise_id, indicator.pk, period)] = (value, month, ret.pk)

    # 2. Replace what the enterprises had for those periods.
    for period, batch in by_period.items():
        for chunk in chunks(batch, max_in_params()):
            ReturnValue.objects.filter(
                zone_id=zone_id, period=period, enterprise_id__in=chunk
            ).delete()
    insert(
        ReturnValue,
        VALUE_FIELDS,
        (
            (zone_id, enterprise_id, indicator_id, period, value, month, ret_id)
            for (enterprise_id, indicator_id, period), (value, month, ret_id) in new_rows.items()
        ),
    )

    # 3. The following month's month values, where it is stored and not part of this batch.
    cumulative = {i.pk for i in indicators.values() if i.cumulative}
    changed_next = set()
    for period, batch in by_period.items():
        following = Period.of(period).next_reporting()
        if following.year != period // 100:
            continue
        outside = [e for e in batch if e not in by_period.get(following.key, {})]
        updates = []
        for (enterprise_id, indicator_id), row in _existing(
            zone_id, following.key, outside
        ).items():
            if indicator_id not in cumulative:
                continue
            before = new_rows.get((enterprise_id, indicator_id, period))
            row.month_value = row.value - before[0] if before is not None else None
            updates.append(row)
        if updates:
            ReturnValue.objects.bulk_update(updates, ["month_value"], batch_size=2000)
            changed_next.add(following.key)

    if change is not None:
        change.apply()
    elif refresh:
        periods = set(by_period) | changed_next
        transaction.on_commit(lambda: _refresh(zone_id, periods))
    return len(new_rows)


def _refresh(zone_id, periods) -> None:
    from . import rollups

    with transaction.atomic():
        rollups.refresh(zone_id, rollups.affected(periods))


def publish(ret) -> int:
    """One accepted return (services.accept)."""
    return publish_many(ret.zone_id, [ret])
