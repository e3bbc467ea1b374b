"""Every write to the statistics module goes through here: pages, API, importer, CLI and demo.

The work is kept by concept, and every name is importable from here as before:
- `reporting`: who owes a return and by when, who reviews, figures and texts as typed;
- `returns`: the return's workflow (draft → submitted → accepted, or returned with reasons;
  revised with a reason), the checks run on submission, acceptance publishing the figures;
- `findings`: explanations, closing a finding, queries to the enterprise;
- `official`: figures an authority published;
- here: reminders (催报) and the period's deadline.
Each write runs in one transaction, checks access (what the actor cannot see answers
DoesNotExist; what they see but may not change, Forbidden with the reason), validates (text too
long is refused, never cut), bumps the version and writes the audit record.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import audit
from gaoxin.core.clock import today  # a name callers use: the platform's clock
from gaoxin.core.models import AuditRecord, Membership
from gaoxin.core.models.access import CHANGE, can_in_zone
from gaoxin.core.notifications import notify, register_kind
from gaoxin.core.periods import Period
from gaoxin.core.records import refuse_in_zone
from gaoxin.core.roles import ENTERPRISE_USER

from ..models import Deadline, Reminder, Return, ReturnStatus
from .findings import close_finding, explain, send_query
from .official import check_official_source, save_official
from .reporting import (
    DEFAULT_DUE_DAY,
    EDITABLE,
    OPEN_FINDINGS,
    bounded,
    default_due_on,
    due_on,
    expected_reporters,
    is_officer,
    period_end,
    require_officer,
)
from .returns import (
    accept,
    accept_clean,
    as_numbers,
    blocking,
    check_data,
    clean_data,
    refuse_future,
    return_for,
    revise,
    save_draft,
    send_back,
    submit,
)

__all__ = [
    "DEFAULT_DUE_DAY",
    "EDITABLE",
    "OPEN_FINDINGS",
    "REMINDER",
    "REMINDER_MAX",
    "REMIND_REFUSED",
    "accept",
    "accept_clean",
    "as_numbers",
    "blocking",
    "check_data",
    "check_official_source",
    "clean_data",
    "close_finding",
    "default_due_on",
    "due_on",
    "expected_reporters",
    "explain",
    "is_officer",
    "missing_reporters",
    "reporter_counts",
    "period_end",
    "refuse_future",
    "remind",
    "require_officer",
    "return_for",
    "revise",
    "save_draft",
    "save_official",
    "send_back",
    "send_query",
    "set_deadline",
    "submit",
    "today",
]


# --- reminders (催报) and deadlines -------------------------------------------------------------

REMINDER = register_kind("statistics.reminder", gettext_lazy("催报"), tone="warning").code
REMINDER_MAX = Reminder._meta.get_field("message").max_length
REMIND_REFUSED = gettext_lazy("只有经济发展局工作人员可以催报")


def _reported(zone, period):
    """The enterprises with a submitted or accepted return for the period (a subquery)."""
    return Return.objects.filter(
        zone=zone, period=Period.of(period).key,
        status__in=(ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED),
    ).values("enterprise_id")  # fmt: skip


def missing_reporters(zone, period):
    """Expected reporters without a submitted or accepted return for the period."""
    return expected_reporters(zone, period).exclude(pk__in=_reported(zone, period))


def reporter_counts(zone, period) -> tuple[int, int]:
    """(expected, missing) reporters of the period, counted in one read of the expected ones."""
    counted = expected_reporters(zone, period).aggregate(
        expected=Count("pk"), missing=Count("pk", filter=~Q(pk__in=_reported(zone, period)))
    )
    return counted["expected"], counted["missing"]


@transaction.atomic
def remind(actor, zone, period, enterprise_ids=None, message="") -> int:
    """Remind the enterprises that have not reported (all of them, or those named): a 催报 record
    each, and a notification (the bell, an e-mail after the commit) to each enterprise's active
    enterprise users, from the officer, opening their returns. The officer's message is at most
    REMINDER_MAX characters (refused, never cut); without one, the period and its deadline."""
    require_officer(actor, zone, REMIND_REFUSED)
    text = bounded(message, "message", REMINDER_MAX, _("提醒内容"))
    period = Period.reporting(period)
    targets = missing_reporters(zone, period)
    if enterprise_ids is not None:
        targets = targets.filter(pk__in=list(enterprise_ids))
    due = due_on(zone, period)
    text = text or _("请于 %(d)s 前报送 %(p)s 统计报表。") % {"d": due, "p": period.label()}
    reminders = [
        Reminder(zone_id=getattr(zone, "pk", zone), enterprise=e, period=period.key,
                 message=text, sent_by_name=actor.username)
        for e in targets
    ]  # fmt: skip
    Reminder.objects.bulk_create(reminders)  # sets their pks on SQLite and PostgreSQL
    AuditRecord.objects.bulk_create(
        audit.build(actor, AuditRecord.Action.CREATE, r, after=audit.snapshot(r), message=_("催报"))
        for r in reminders
    )
    people = {}
    for m in Membership.objects.filter(
        role=ENTERPRISE_USER, enterprise__in=[r.enterprise_id for r in reminders],
        user__is_active=True,
    ).select_related("user"):  # fmt: skip
        people.setdefault(m.enterprise_id, []).append(m.user)
    for r in reminders:
        notify(people.get(r.enterprise_id, ()), text, kind=REMINDER, target=r,
               url=reverse("statistics:my"), sender=actor)  # fmt: skip
    return len(reminders)


@transaction.atomic
def set_deadline(actor, zone, period, due) -> Deadline:
    if not can_in_zone(actor, Deadline, zone, CHANGE):
        refuse_in_zone(actor, zone, _("无权设置报送截止日期"))
    period = Period.reporting(period)
    if not isinstance(due, datetime.date) or due <= period_end(period):
        raise ValidationError(
            {"due_on": _("截止日期应晚于报告期末(%(d)s)") % {"d": period_end(period)}}
        )
    deadline, created = Deadline.objects.update_or_create(
        zone_id=getattr(zone, "pk", zone), period=period.key, defaults={"due_on": due}
    )
    Return.objects.filter(zone=zone, period=period.key, status__in=EDITABLE).update(due_on=due)
    audit.record(
        actor, AuditRecord.Action.CREATE if created else AuditRecord.Action.UPDATE, deadline,
        after=audit.snapshot(deadline),
    )  # fmt: skip
    return deadline
