"""Findings and queries: the enterprise explains a warning; an officer closes it, or sends it to
the enterprise as a query with a deadline (handed to the matters module through `queries`)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import audit, clock
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import CHANGE, VIEW

from .. import queries
from ..models import Finding, FindingStatus, Return, Rule
from .reporting import bounded, require_officer
from .returns import EXPLANATION_MAX

NOTE_MAX = 300  # an officer's note on closing a finding
MESSAGE_MAX = 300  # the message of a query to the enterprise
REVIEW_REFUSED = gettext_lazy("只有园区经济运行工作人员可以发送询问或关闭审核发现")


def _finding(actor, finding_or_pk, action=VIEW) -> Finding:
    pk = getattr(finding_or_pk, "pk", finding_or_pk)
    finding = Finding.objects.restrict(actor, VIEW).select_related("ret", "zone").get(pk=pk)
    if action != VIEW and not Finding.objects.restrict(actor, action).filter(pk=pk).exists():
        raise Forbidden(_("无权处理该审核发现"))
    return Finding.objects.select_for_update().select_related("ret", "zone").get(pk=finding.pk)


@transaction.atomic
def explain(actor, finding, text) -> Finding:
    """The enterprise (or an officer on its behalf) explains a finding."""
    finding = _finding(actor, finding, CHANGE)
    text = bounded(text, "explanation", EXPLANATION_MAX, _("情况说明"))
    if not text:
        raise ValidationError({"explanation": _("请填写情况说明")})
    if finding.status == FindingStatus.CLOSED:
        raise ValidationError({"status": _("该审核发现已关闭")})
    before = audit.snapshot(finding)
    finding.explanation = text
    finding.status = FindingStatus.EXPLAINED
    finding.save()
    ret = finding.ret
    ret.explanations = {**(ret.explanations or {}), finding.rule_code: text}
    Return.objects.filter(pk=ret.pk).update(explanations=ret.explanations)
    audit.record(
        actor, AuditRecord.Action.UPDATE, finding, before=before, after=audit.snapshot(finding),
        message=_("情况说明:%(t)s") % {"t": text},
    )  # fmt: skip
    return finding


@transaction.atomic
def close_finding(actor, finding, note="") -> Finding:
    """An officer accepts a warning's explanation (or judges it harmless). Errors are not closed:
    the enterprise fixes the figures and the checks run again."""
    finding = _finding(actor, finding, CHANGE)
    require_officer(actor, finding.zone, REVIEW_REFUSED)
    note = bounded(note, "note", NOTE_MAX, _("关闭说明"))
    if finding.severity == Rule.Severity.ERROR:
        raise ValidationError({"status": _("错误类问题不能直接关闭,须由企业修改数据后重新报送")})
    if finding.status == FindingStatus.CLOSED:
        raise ValidationError({"status": _("该审核发现已关闭")})
    before = audit.snapshot(finding)
    finding.status, finding.closed_at = FindingStatus.CLOSED, clock.now()
    finding.save()
    audit.record(
        actor, AuditRecord.Action.STATUS, finding, before=before, after=audit.snapshot(finding),
        message=note,
    )  # fmt: skip
    return finding


@transaction.atomic
def send_query(actor, finding, *, due_on, message="") -> Finding:
    """Send a finding to the enterprise as a query with a deadline, handed on commit to the
    handlers registered with `queries` (the matters module opens a data-query matter)."""
    finding = _finding(actor, finding, CHANGE)
    require_officer(actor, finding.zone, REVIEW_REFUSED)
    message = bounded(message, "message", MESSAGE_MAX, _("询问内容"))
    if finding.status == FindingStatus.CLOSED:
        raise ValidationError({"status": _("该审核发现已关闭")})
    if not isinstance(due_on, datetime.date) or due_on < clock.today():
        raise ValidationError({"due_on": _("回复期限应为今天或以后的日期")})
    before = audit.snapshot(finding)
    finding.status, finding.query_due_on = FindingStatus.QUERIED, due_on
    finding.queried_at, finding.queried_by_name = clock.now(), actor.username
    finding.save()
    audit.record(
        actor, AuditRecord.Action.STATUS, finding, before=before, after=audit.snapshot(finding),
        message=_("发送询问,%(d)s 前回复。%(m)s") % {"d": due_on, "m": message},
    )  # fmt: skip
    transaction.on_commit(lambda: queries.dispatch(finding, message=message, sender=actor))
    return finding
