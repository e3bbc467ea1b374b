"""Working days of an agency case that stop while an approval item waits for the applicant
(退回补正): the time the applicant takes to complete the materials is not counted in the approval's
service level, so an item's elapsed working days and promised date leave it out, and so does the
project's elapsed time on the days when everything still open sits with the applicant.

An item's pauses are `ApprovalItem.pauses`, a list of {"returned_on": ISO date, "resumed_on": ISO
date or null}: sent back on `returned_on`, the materials back on `resumed_on` (null while it still
waits). A pause stops the clock for the working days after `returned_on` up to and including
`resumed_on` (or up to today while open), as `core.workdays.working_days_between` counts.
"""

import datetime

from gaoxin.core.workdays import is_working_day, working_days_between

ONE_DAY = datetime.timedelta(days=1)


def windows(item, on: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The item's pauses as (returned_on, resumed_on) dates, an open one ending on `on`."""
    result = []
    for pause in item.pauses or ():
        start = datetime.date.fromisoformat(pause["returned_on"])
        end = pause.get("resumed_on")
        end = datetime.date.fromisoformat(end) if end else on
        result.append((start, max(start, end)))
    return result


def open_pause(item) -> dict | None:
    """The pause still waiting for the applicant, if any."""
    pauses = item.pauses or ()
    return pauses[-1] if pauses and not pauses[-1].get("resumed_on") else None


def _paused(day: datetime.date, spans) -> bool:
    return any(start < day <= end for start, end in spans)


def paused_between(item, start: datetime.date, end: datetime.date, on: datetime.date) -> int:
    """Working days after `start` up to `end` that the item spent with the applicant."""
    total = 0
    for r, s in windows(item, on):
        lo, hi = max(r, start), min(s, end)
        if hi > lo:
            total += working_days_between(lo, hi)
    return total


def elapsed(item, start: datetime.date, end: datetime.date, on: datetime.date) -> int:
    """Working days from `start` to `end`, less those with the applicant."""
    return working_days_between(start, end) - paused_between(item, start, end, on)


def due(item, submitted_on: datetime.date, days: int, on: datetime.date) -> datetime.date:
    """The promised date: `days` working days after acceptance, not counting the days with the
    applicant. While the item still waits, its pause runs to `on`, so the date moves on with it;
    an item already late when it was sent back keeps its date."""
    spans = windows(item, on)
    day, left = submitted_on, days
    while left > 0:
        day += ONE_DAY
        if is_working_day(day) and not _paused(day, spans):
            left -= 1
    return day


def project_paused(needed, start: datetime.date, end: datetime.date, on: datetime.date) -> int:
    """Working days after `start` up to `end` on which every needed item not yet approved was
    with the applicant (the project waits for the enterprise, not for the approvers)."""
    spans = [(item, windows(item, on)) for item in needed]
    if not any(s for _i, s in spans):
        return 0
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        if not is_working_day(day):
            continue
        still_open = [s for item, s in spans if item.approved_on is None or item.approved_on >= day]
        if still_open and all(_paused(day, s) for s in still_open):
            count += 1
    return count
