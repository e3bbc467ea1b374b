"""Unique, gapless numbers per zone, series and year (BF-2026-0001), safe under concurrency.

`next_number(zone, series)` must run inside the creating transaction: it locks the series' row
until that transaction ends, so twenty officers creating at once queue for a moment instead of
colliding on a unique constraint, and a creation that rolls back gives its number back. Take the
number last, after validating, so a refused creation burns nothing and the lock is held briefly.

PostgreSQL queues on the row lock (SELECT ... FOR UPDATE); SQLite has no row locks but its
transactions begin IMMEDIATE (settings), so writers already run one at a time.
"""

from collections.abc import Callable

from django.db import IntegrityError, transaction

from .models import NumberSequence


def next_number(zone, series: str, *, start: Callable[[], int] | None = None) -> int:
    """The next number of `series` in `zone` (a Zone or its id), starting at 1.

    `start()` gives the highest number already stored in the series; it is asked once, when the
    series gets its counter row, so records numbered before the counter existed (a database
    upgraded from max+1 numbering) are continued instead of collided with.
    """
    zone_id = getattr(zone, "pk", zone)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the creating transaction")
    rows = NumberSequence.objects.select_for_update().filter(zone_id=zone_id, series=series)
    seq = rows.first()
    if seq is None:
        try:
            # A savepoint: another creator may insert the row first. Its insert holds the unique
            # key until it ends, so this one waits, fails and then reads (and locks) that row:
            # only the row that got in was seeded, and nothing could number in between.
            with transaction.atomic():
                last = int(start() or 0) if start is not None else 0
                seq = NumberSequence.objects.create(zone_id=zone_id, series=series, last=last)
        except IntegrityError:
            seq = rows.get()
    seq.last += 1
    NumberSequence.objects.filter(pk=seq.pk).update(last=seq.last)
    return seq.last
