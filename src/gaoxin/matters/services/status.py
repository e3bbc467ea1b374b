"""A matter's life: its status transitions (resolve, reopen, withdraw, close), the enterprise's
rating, and the escalation to the zone's leaders (督办)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.clock import today
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.core.records import check_version

from .. import notices
from ..models import ACTIVE, Matter, Priority, Status
from .common import (
    EventType,
    add_event,
    audit_change,
    choice,
    clean_text,
    lock,
    require_officer,
    save,
)
from .create import default_due

# Who may move a matter from one status to another (officers; the enterprise only as noted).
TRANSITIONS = {
    Status.OPEN: {Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED, Status.WITHDRAWN},
    Status.ASSIGNED: {Status.IN_PROGRESS, Status.RESOLVED, Status.WITHDRAWN},
    Status.IN_PROGRESS: {Status.RESOLVED, Status.WITHDRAWN},
    Status.REOPENED: {Status.IN_PROGRESS, Status.RESOLVED, Status.WITHDRAWN},
    Status.RESOLVED: {Status.CLOSED, Status.REOPENED},
    Status.CLOSED: {Status.REOPENED},
    Status.WITHDRAWN: set(),
}
# The enterprise withdraws its own request, or reopens it when the answer did not solve it.
ENTERPRISE_TRANSITIONS = {Status.WITHDRAWN, Status.REOPENED}
RESOLUTION_MAX = 5000
REASON_MAX = 1000  # why a matter is reopened or withdrawn
NOTE_MAX = 5000  # what an officer adds when starting or closing it
RATING_COMMENT_MAX = 300
ESCALATION_REASON_MAX = 300


def _transition_text(to, text) -> str:
    """The text a transition to `to` needs: the resolution, or the reason to reopen or withdraw
    (required), else an optional note."""
    if to == Status.RESOLVED:
        return clean_text(
            text, "resolution", _("办理结果"), RESOLUTION_MAX, required=_("办结须填写办理结果")
        )
    if to == Status.REOPENED:
        return clean_text(text, "reason", _("原因"), REASON_MAX, required=_("重新办理须说明原因"))
    if to == Status.WITHDRAWN:
        return clean_text(text, "reason", _("原因"), REASON_MAX, required=_("撤回须说明原因"))
    return clean_text(text, "text", _("说明"), NOTE_MAX)


@transaction.atomic
def transition(actor, matter, to, *, version, text="") -> Matter:
    """Move a matter to status `to`. Resolving needs the resolution, reopening and withdrawing a
    reason. Enterprise users withdraw their own request or reopen it; officers do the rest."""
    matter = lock(actor, matter)
    check_version(matter, version)
    to = choice(to, Status, "status", None)
    if to is None:
        raise ValidationError({"status": _("请选择目标状态")})
    if actor.is_enterprise_only():
        if to not in ENTERPRISE_TRANSITIONS:
            raise Forbidden(_("企业用户只能撤回诉求或申请重新办理"))
    else:
        require_officer(actor, matter)
    if to not in TRANSITIONS[Status(matter.status)]:
        raise ValidationError(
            {"status": _("事项当前为“%(a)s”,不能变为“%(b)s”") % {
                "a": matter.get_status_display(), "b": Status(to).label}}
        )  # fmt: skip
    text = _transition_text(to, text)
    before = audit.snapshot(matter)
    now = timezone.now()
    if to == Status.RESOLVED:
        matter.resolution = text
        matter.resolved_at = now
    elif to == Status.REOPENED:
        matter.resolved_at = matter.closed_at = None
        matter.rating, matter.rating_comment, matter.rated_at = None, "", None
        matter.due_soon_notified_on = matter.overdue_notified_on = matter.escalated_at = None
        matter.due_on = max(matter.due_on, default_due(matter.kind, matter.category))
    elif to in (Status.WITHDRAWN, Status.CLOSED):
        matter.closed_at = now
    matter.status = to
    save(
        matter, "status", "resolution", "resolved_at", "closed_at", "rating", "rating_comment",
        "rated_at", "due_on", "due_soon_notified_on", "overdue_notified_on", "escalated_at",
    )  # fmt: skip
    add_event(actor, matter, EventType.STATUS, text, before=before["status"], to_status=to)
    audit_change(actor, AuditRecord.Action.STATUS, matter, before, text)
    notices.on_status(matter, to, actor)
    return matter


def start(actor, matter, *, version, note="") -> Matter:
    return transition(actor, matter, Status.IN_PROGRESS, version=version, text=note)


def resolve(actor, matter, *, version, resolution) -> Matter:
    return transition(actor, matter, Status.RESOLVED, version=version, text=resolution)


@transaction.atomic
def rate(actor, matter, *, rating, comment="") -> Matter:
    """The enterprise rates a resolved matter (好差评, 1–5); rating closes it."""
    matter = lock(actor, matter)
    if not actor.is_enterprise_only():
        raise Forbidden(_("只有提出诉求的企业可以评价"))
    if matter.status not in (Status.RESOLVED, Status.CLOSED):
        raise ValidationError({"rating": _("事项办结后才能评价")})
    if matter.rating is not None:
        raise ValidationError({"rating": _("该事项已评价")})
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("评价应为 1 到 5 之间的整数")})
    comment = clean_text(comment, "comment", _("评价意见"), RATING_COMMENT_MAX)
    if rating <= 2 and not comment:
        raise ValidationError({"comment": _("差评请写明不满意的原因")})
    before = audit.snapshot(matter)
    now = timezone.now()
    matter.rating, matter.rating_comment, matter.rated_at = rating, comment, now
    if matter.status == Status.RESOLVED:
        matter.status, matter.closed_at = Status.CLOSED, now
    save(matter, "rating", "rating_comment", "rated_at", "status", "closed_at")
    text = _("评价 %(n)s 星。%(c)s") % {"n": rating, "c": comment}
    add_event(
        actor, matter, EventType.RATING, text, before=before["status"], to_status=matter.status
    )
    audit_change(actor, AuditRecord.Action.STATUS, matter, before, text)
    notices.on_rated(matter, actor)
    return matter


@transaction.atomic
def escalate(actor, matter, *, reason="", on: datetime.date | None = None) -> Matter:
    """Escalate a matter to the zone's leaders (督办). The daily job escalates red matters; an
    officer may escalate any open matter with a reason. `actor` None is the daily job, run for the
    day `on`."""
    if actor is None:
        matter = (
            Matter.objects.select_for_update(of=("self",)).select_related("zone").get(pk=matter.pk)
        )
    else:
        matter = lock(actor, matter)
        require_officer(actor, matter)
        reason = clean_text(
            reason, "reason", _("督办原因"), ESCALATION_REASON_MAX, required=_("升级督办须说明原因")
        )
    if matter.status not in ACTIVE:
        raise ValidationError({"status": _("事项已办结,无需督办")})
    if matter.escalated_at is not None:
        raise ValidationError({"status": _("事项已升级督办")})
    before = audit.snapshot(matter)
    matter.escalated_at = timezone.now()
    if matter.priority == Priority.NORMAL:
        matter.priority = Priority.HIGH
    save(matter, "escalated_at", "priority")
    text = reason or _("已逾期 %(d)s 天,自动升级至园区领导督办") % {
        "d": ((on or today()) - matter.due_on).days
    }
    add_event(actor, matter, EventType.ESCALATE, text)
    audit_change(actor or "system", AuditRecord.Action.STATUS, matter, before, text)
    notices.on_escalated(matter, text, actor)
    return matter
