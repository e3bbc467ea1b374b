"""The matters' daily reminders (`gaoxin daily`, `gaoxin remind`; `jobs.daily`): due-soon and
overdue reminders once each, and the escalation of matters red for `MATTERS_ESCALATE_AFTER_DAYS`
to the zone's leaders.

Who is told what is `notices` (the services call it too); the notifications themselves are core's
(`gaoxin.core.notifications`). This module uses both and the services: none of them imports it.
"""

import datetime

from django.conf import settings
from django.db import transaction

from gaoxin.core import clock

from . import notices, services
from .models import Matter


def run_daily(today: datetime.date | None = None) -> dict:
    """Send due-soon and overdue reminders (each once per due date) and escalate matters red for
    `MATTERS_ESCALATE_AFTER_DAYS` days. Safe to run more than once a day."""
    today = today or clock.today()
    counts = {"due_soon": 0, "overdue": 0, "escalated": 0}
    # Each reminder names the matter's owners: its officer and helpers, read with the matters.
    active = Matter.objects.active().select_related("zone", "officer").prefetch_related("helpers")
    for matter in active.light("yellow", today).filter(due_soon_notified_on__isnull=True):
        with transaction.atomic():
            notices.on_due_soon(matter)
            Matter.objects.filter(pk=matter.pk).update(due_soon_notified_on=today)
        counts["due_soon"] += 1
    for matter in active.light("red", today).filter(overdue_notified_on__isnull=True):
        with transaction.atomic():
            notices.on_overdue(matter)
            Matter.objects.filter(pk=matter.pk).update(overdue_notified_on=today)
        counts["overdue"] += 1
    late = today - datetime.timedelta(days=settings.MATTERS_ESCALATE_AFTER_DAYS)
    for matter in active.filter(due_on__lte=late, escalated_at__isnull=True):
        services.escalate(None, matter, on=today)
        counts["escalated"] += 1
    return counts
