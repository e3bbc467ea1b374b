"""The platform's one clock. Everything that asks "what day is it" asks `today()`, so tests move
time in one place (time-machine) and the zone's day is Asia/Shanghai's, not the server's UTC."""

import datetime

from django.utils import timezone


def today() -> datetime.date:
    return timezone.localdate()


def now() -> datetime.datetime:
    return timezone.now()
