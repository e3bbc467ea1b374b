"""Unique, gapless numbers per zone, series and year (BF-2026-0001), safe under concurrency.

`next_number(zone, series)` must run inside the creating transaction: it locks the series' row
until that transaction ends, so twenty officers creating at once queue for a moment instead of
colliding on a unique constraint, and a creation that rolls back gives its number back.
"""

from django.db import IntegrityError, transaction

from .models import NumberSequence


def next_number(zone, series: str) -> int:
    """The next number of `series` in `zone` (a Zone or its id), starting at 1."""
    zone_id = getattr(zone, "pk", zone)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the creating transaction")
    rows = NumberSequence.objects.select_for_update().filter(zone_id=zone_id, series=series)
    seq = rows.first()
    if seq is None:
        try:
            with transaction.atomic():  # a savepoint: another creator may insert it first
                seq = NumberSequence.objects.create(zone_id=zone_id, series=series)
        except IntegrityError:
            seq = rows.get()
    seq.last += 1
    NumberSequence.objects.filter(pk=seq.pk).update(last=seq.last)
    return seq.last
