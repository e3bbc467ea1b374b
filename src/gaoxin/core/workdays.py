"""Working days (工作日), the unit of government service levels: Monday to Friday, less the
holidays in `settings.HOLIDAYS` and plus the make-up working weekends (调休) in
`settings.WORKDAYS_EXTRA`, both lists of ISO dates that a zone updates each year."""

import datetime
from functools import cache

from django.conf import settings


@cache
def _calendar() -> tuple[frozenset, frozenset]:
    def dates(values):
        return frozenset(datetime.date.fromisoformat(v) for v in values)

    return dates(getattr(settings, "HOLIDAYS", ())), dates(getattr(settings, "WORKDAYS_EXTRA", ()))


def is_working_day(day: datetime.date) -> bool:
    holidays, extra = _calendar()
    if day in extra:
        return True
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (the day itself not counted)."""
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days elapsed from `start` to `end`: the days after `start` up to and including
    `end` (0 when `end` is not after `start`)."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count
