"""What the statistics services share: who owes a return for a period and by when, who
reviews returns, and how figures and texts are taken as typed. `services` and the workflow
modules (`returns`, `findings`, `official`) build on it."""

import calendar
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from gaoxin.core.models.access import CHANGE, can_in_zone
from gaoxin.core.periods import Period
from gaoxin.core.records import refuse_in_zone
from gaoxin.enterprises.models import Enterprise, Status

from ..models import Deadline, FindingStatus, Return, ReturnStatus

DEFAULT_DUE_DAY = 8  # returns are due on the 8th of the following month unless the zone says
EDITABLE = (ReturnStatus.DRAFT, ReturnStatus.RETURNED)
OPEN_FINDINGS = (FindingStatus.OPEN, FindingStatus.EXPLAINED, FindingStatus.QUERIED)


# --- who reports, and by when ---------------------------------------------------------------


def period_end(period) -> datetime.date:
    p = Period.of(period)
    return datetime.date(p.year, p.month, calendar.monthrange(p.year, p.month)[1])


def expected_reporters(zone, period):
    """The enterprises that owe a return for the period: above-scale (入规 before the period
    ends), operating, not deleted."""
    end = period_end(period)
    return Enterprise.objects.filter(
        zone=zone, is_deleted=False, above_scale=True, status=Status.OPERATING
    ).filter(Q(above_scale_since__isnull=True) | Q(above_scale_since__lte=end))


def default_due_on(period) -> datetime.date:
    p = Period.of(period)
    year, month = (p.year + 1, 1) if p.month == 12 else (p.year, p.month + 1)
    return datetime.date(year, month, DEFAULT_DUE_DAY)


def due_on(zone, period) -> datetime.date:
    key = Period.of(period).key
    deadline = Deadline.objects.filter(zone=zone, period=key).values_list("due_on", flat=True)
    return next(iter(deadline), None) or default_due_on(key)


# --- access -----------------------------------------------------------------------------------


def is_officer(actor, zone) -> bool:
    """Officers of the zone review returns: platform and zone admins, zone staff."""
    return can_in_zone(actor, Return, zone, CHANGE)


def require_officer(actor, zone, refused=None) -> None:
    """Only the zone's officers review: Forbidden (`refused`, or that they review returns) for
    anyone else who sees the zone; Zone.DoesNotExist for those who do not."""
    if not is_officer(actor, zone):
        refuse_in_zone(actor, zone, str(refused or _("只有园区经济运行工作人员可以审核报表")))


# --- as typed -----------------------------------------------------------------------------------


def number(value):
    """A typed figure as a finite Decimal, None when blank; ValueError/InvalidOperation if not a
    number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):
        value = repr(value)
    parsed = Decimal(str(value).strip().replace(",", ""))
    if not parsed.is_finite():
        raise ValueError
    return parsed


def bounded(value, field: str, limit: int, what: str) -> str:
    """`value` stripped; a ValidationError on `field` when it is longer than `limit` characters
    (`what` names it in the message): text is refused, never cut."""
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError(
            {
                field: _("%(w)s不能超过 %(n)d 个字(现为 %(c)d 个字)")
                % {"w": what, "n": limit, "c": len(value)}
            }
        )
    return value
