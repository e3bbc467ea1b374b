"""Every write to the statistics module goes through here: pages, API, importer, CLI and demo.

A monthly return moves draft → submitted → accepted, or back to the enterprise (returned) with
reasons; an accepted return can be revised with a reason, keeping its history. Submitting runs
the checks (`checks`) and stores what they find; an open error, or a warning nobody explained,
blocks acceptance. Accepting publishes the figures (`publish`), which keeps the rollups current.
Each function runs in one transaction, checks access through `restrict()` / `can_in_zone`,
validates, bumps the version and writes the audit record.
"""

import calendar
import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import ADD, CHANGE, VIEW, can_in_zone
from gaoxin.core.periods import Period
from gaoxin.core.records import check_version
from gaoxin.enterprises.models import Enterprise, Status

from . import checks, publish, queries
from .catalogue import indicators_for
from .models import (
    Deadline,
    Finding,
    FindingStatus,
    Indicator,
    OfficialFigure,
    OfficialSource,
    Reminder,
    Return,
    ReturnRevision,
    ReturnStatus,
    Rule,
)

DEFAULT_DUE_DAY = 8  # returns are due on the 8th of the following month unless the zone says
MAX_WHOLE_DIGITS = 15
EDITABLE = (ReturnStatus.DRAFT, ReturnStatus.RETURNED)
OPEN_FINDINGS = (FindingStatus.OPEN, FindingStatus.EXPLAINED, FindingStatus.QUERIED)


def today() -> datetime.date:
    return timezone.localdate()


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


def _require_officer(actor, zone):
    if not is_officer(actor, zone):
        raise Forbidden(_("只有园区经济运行工作人员可以审核报表"))


def _lock(actor, ret_or_pk, action=CHANGE) -> Return:
    """The return, locked for update, if the actor may act on it (else 404 as if missing)."""
    pk = getattr(ret_or_pk, "pk", ret_or_pk)
    if not Return.objects.restrict(actor, VIEW).filter(pk=pk).exists():
        raise Return.DoesNotExist
    if not Return.objects.restrict(actor, action).filter(pk=pk).exists():
        raise Forbidden(_("无权修改该报表"))
    return Return.objects.select_for_update().select_related("enterprise", "zone").get(pk=pk)


# --- the figures typed --------------------------------------------------------------------------


def _number(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):
        value = repr(value)
    number = Decimal(str(value).strip().replace(",", ""))
    if not number.is_finite():
        raise ValueError
    return number


def clean_data(zone, data: dict) -> dict:
    """{code: Decimal | None} checked against the zone's return indicators; the stored form is
    {code: "decimal string" | None}. Unknown codes and non-numbers are errors, all at once."""
    indicators = {i.code: i for i in indicators_for(zone, source="return")}
    errors, clean = {}, {}
    for code, raw in (data or {}).items():
        indicator = indicators.get(code)
        if indicator is None:
            errors[code] = _("未知的报表指标 %(c)s") % {"c": code}
            continue
        try:
            number = _number(raw)
        except (InvalidOperation, ValueError, TypeError):
            errors[code] = _("%(n)s应为数字(单位:%(u)s),实际为 %(v)s") % {
                "n": indicator.name, "u": indicator.unit, "v": raw,
            }  # fmt: skip
            continue
        if number is not None and abs(number) >= Decimal(10) ** MAX_WHOLE_DIGITS:
            errors[code] = _("%(n)s数值过大,请检查单位(应为%(u)s)") % {
                "n": indicator.name, "u": indicator.unit,
            }  # fmt: skip
            continue
        if number is not None and number.as_tuple().exponent < -4:
            number = number.quantize(Decimal("0.0001"))
        clean[code] = None if number is None else format(number.normalize(), "f")
    if errors:
        raise ValidationError(errors)
    return clean


def as_numbers(data: dict) -> dict:
    """Stored {code: "decimal"} → {code: Decimal | None}, for the checks and the engine."""
    out = {}
    for code, raw in (data or {}).items():
        try:
            out[code] = None if raw is None or raw == "" else Decimal(str(raw))
        except InvalidOperation:
            out[code] = None
    return out


def check_data(zone, enterprise, period, data) -> list:
    """What the checks find in figures as typed (the form's live check); writes nothing."""
    period = Period.reporting(period).key
    numbers = as_numbers(clean_data(zone, data))
    return checks.evaluate(zone, [(0, enterprise, period, numbers)]).get(0, [])


# --- returns ------------------------------------------------------------------------------------


def _snapshot(actor, ret, note=""):
    return ReturnRevision(
        zone_id=ret.zone_id, ret=ret, number=ret.revision, status=ret.status,
        data=dict(ret.data or {}), note=note, actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", ""),
    )  # fmt: skip


def _audit_status(actor, ret, before, message=""):
    audit.record(
        actor, AuditRecord.Action.STATUS, ret, before=before, after=audit.snapshot(ret),
        message=message,
    )  # fmt: skip


def refuse_future(period) -> None:
    """A return is for a month that has begun: the form and the service refuse later ones."""
    now = today()
    if Period.of(period) > Period(now.year, now.month):
        raise ValidationError({"period": _("不能填报未来月份的报表")})


def return_for(actor, enterprise, period, *, create: bool = False) -> Return | None:
    """The enterprise's return for the period; with create=True a new draft when there is none.
    The enterprise must be visible to the actor; creating needs the right to fill it. Reading
    takes no write lock (the form's GET), only creating does."""
    period = Period.reporting(period).key
    enterprise = (
        Enterprise.objects.restrict(actor, VIEW)
        .filter(is_deleted=False)
        .get(pk=getattr(enterprise, "pk", enterprise))
    )
    existing = Return.objects.restrict(actor, VIEW).filter(enterprise=enterprise, period=period)
    ret = existing.first()
    if ret is not None or not create:
        return ret
    if not (
        can_in_zone(actor, Return, enterprise.zone, ADD)
        or any(m.enterprise_id == enterprise.pk for m in actor.memberships_cached())
    ):
        raise Forbidden(_("无权填报该企业的报表"))
    refuse_future(period)
    try:
        with transaction.atomic():
            ret = Return.objects.create(
                zone_id=enterprise.zone_id, enterprise=enterprise, period=period,
                due_on=due_on(enterprise.zone_id, period),
            )  # fmt: skip
            audit.record(actor, AuditRecord.Action.CREATE, ret, after=audit.snapshot(ret))
    except IntegrityError:  # created by someone else a moment ago (one return per period)
        return existing.get()
    return ret


@transaction.atomic
def save_draft(actor, ret, *, data, explanations=None, version) -> Return:
    """Keep the figures typed so far (merged into what is there); the return stays a draft."""
    ret = _lock(actor, ret)
    check_version(ret, version)
    if ret.status not in EDITABLE:
        raise ValidationError(
            {"status": _("报表%(s)s,不能再保存草稿;如需更正请提交修订并说明理由")
             % {"s": ret.get_status_display()}}
        )  # fmt: skip
    before = audit.snapshot(ret)
    ret.data = {**(ret.data or {}), **clean_data(ret.zone_id, data)}
    if explanations is not None:
        ret.explanations = _clean_explanations(explanations, ret.explanations)
    ret.version += 1
    ret.save()
    audit.record(actor, AuditRecord.Action.UPDATE, ret, before=before, after=audit.snapshot(ret))
    return ret


def _clean_explanations(new, old) -> dict:
    merged = dict(old or {})
    for key, text in (new or {}).items():
        text = (text or "").strip()[:500]
        if text:
            merged[str(key)] = text
        else:
            merged.pop(str(key), None)
    return merged


def _run_checks(ret) -> list[Finding]:
    """Replace the return's unresolved findings with what the checks find now, keeping an
    explanation or a query already given for the same problem."""
    problems = checks.evaluate(
        ret.zone_id, [(ret.pk, ret.enterprise, ret.period, as_numbers(ret.data))]
    ).get(ret.pk, [])
    previous = {
        (f.rule_code, f.indicator_id): f
        for f in Finding.objects.filter(ret=ret, status__in=OPEN_FINDINGS)
    }
    Finding.objects.filter(ret=ret, status__in=OPEN_FINDINGS).delete()
    codes = {i.code: i.pk for i in indicators_for(ret.zone_id)}
    findings = []
    for problem in problems:
        indicator_id = codes.get(problem.indicator_code)
        old = previous.get((problem.rule_code, indicator_id))
        explanation = (ret.explanations or {}).get(problem.rule_code, "")
        finding = Finding(
            zone_id=ret.zone_id, ret=ret, enterprise_id=ret.enterprise_id, period=ret.period,
            rule_code=problem.rule_code, kind=problem.kind, indicator_id=indicator_id,
            severity=problem.severity, message=problem.message[:300], explanation=explanation,
            status=FindingStatus.EXPLAINED if explanation else FindingStatus.OPEN,
        )  # fmt: skip
        if old is not None and old.status == FindingStatus.QUERIED and not explanation:
            finding.status = FindingStatus.QUERIED
            finding.query_due_on, finding.queried_at = old.query_due_on, old.queried_at
            finding.queried_by_name = old.queried_by_name
        findings.append(finding)
    return Finding.objects.bulk_create(findings)


@transaction.atomic
def submit(actor, ret, *, version) -> Return:
    """Send the return to the zone: the checks run and their findings are kept; errors do not
    stop the submission (the officer sees them) but stop acceptance until fixed."""
    ret = _lock(actor, ret)
    check_version(ret, version)
    if ret.status not in EDITABLE:
        raise ValidationError(
            {"status": _("报表%(s)s,不能重复报送") % {"s": ret.get_status_display()}}
        )
    if not any(v not in (None, "") for v in (ret.data or {}).values()):
        raise ValidationError({"data": _("报表还没有填写任何数据")})
    before = audit.snapshot(ret)
    ret.status, ret.submitted_at = ReturnStatus.SUBMITTED, timezone.now()
    ret.submitted_by = actor if getattr(actor, "pk", None) else None
    ret.returned_reason = ""
    ret.version += 1
    ret.save()
    findings = _run_checks(ret)
    _snapshot(actor, ret).save()
    _audit_status(actor, ret, before, _("报送 %(p)s 报表,审核发现 %(n)d 项") % {
        "p": ret.period_obj.label(), "n": len(findings),
    })  # fmt: skip
    return ret


def blocking(findings) -> list[Finding]:
    """What stops acceptance: an unresolved error; a warning not explained or closed."""
    return [
        f
        for f in findings
        if f.status in OPEN_FINDINGS
        and (f.severity == Rule.Severity.ERROR or f.status != FindingStatus.EXPLAINED)
    ]


@transaction.atomic
def accept(actor, ret, *, version) -> Return:
    ret = _lock(actor, ret)
    _require_officer(actor, ret.zone)
    check_version(ret, version)
    if ret.status != ReturnStatus.SUBMITTED:
        raise ValidationError({"status": _("只有已报送的报表可以审核通过(当前:%(s)s)") % {
            "s": ret.get_status_display()}})  # fmt: skip
    stops = blocking(ret.findings.all())
    if stops:
        raise ValidationError(
            {"findings": [_("不能审核通过:%(m)s") % {"m": f.message} for f in stops]}
        )
    before = audit.snapshot(ret)
    _mark_accepted(actor, ret)
    ret.save()
    publish.publish(ret)
    _snapshot(actor, ret).save()
    _audit_status(actor, ret, before, _("审核通过 %(p)s 报表") % {"p": ret.period_obj.label()})
    return ret


def _mark_accepted(actor, ret):
    ret.status, ret.reviewed_at = ReturnStatus.ACCEPTED, timezone.now()
    ret.reviewed_by = actor if getattr(actor, "pk", None) else None
    ret.version += 1


@transaction.atomic
def accept_clean(actor, zone, period) -> int:
    """Accept, at once, every submitted return of the period with nothing blocking it."""
    _require_officer(actor, zone)
    period = Period.reporting(period).key
    candidates = list(
        Return.objects.restrict(actor, CHANGE)
        .select_for_update()
        .filter(zone=zone, period=period, status=ReturnStatus.SUBMITTED)
    )
    open_by_return = {}
    # The period's open findings (no IN list of returns: a big zone's would pass the limit).
    for finding in Finding.objects.filter(zone=zone, period=period, status__in=OPEN_FINDINGS):
        open_by_return.setdefault(finding.ret_id, []).append(finding)
    clean = [r for r in candidates if not blocking(open_by_return.get(r.pk, []))]
    records = []
    for ret in clean:
        before = audit.snapshot(ret)
        _mark_accepted(actor, ret)
        records.append(audit.build(
            actor, AuditRecord.Action.STATUS, ret, before=before, after=audit.snapshot(ret),
            message=_("批量审核通过 %(p)s 报表") % {"p": Period.of(period).label()},
        ))  # fmt: skip
    Return.objects.bulk_update(clean, ["status", "reviewed_at", "reviewed_by", "version"])
    publish.publish_many(zone, clean)
    ReturnRevision.objects.bulk_create([_snapshot(actor, r) for r in clean])
    AuditRecord.objects.bulk_create(records)
    return len(clean)


@transaction.atomic
def send_back(actor, ret, *, reason, version) -> Return:
    """Return a submitted return to the enterprise with the reasons to fix."""
    ret = _lock(actor, ret)
    _require_officer(actor, ret.zone)
    check_version(ret, version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("退回报表必须填写理由")})
    if ret.status != ReturnStatus.SUBMITTED:
        raise ValidationError({"status": _("只有已报送的报表可以退回(当前:%(s)s)") % {
            "s": ret.get_status_display()}})  # fmt: skip
    before = audit.snapshot(ret)
    ret.status, ret.returned_reason = ReturnStatus.RETURNED, reason[:1000]
    ret.reviewed_at, ret.reviewed_by = timezone.now(), actor
    ret.version += 1
    ret.save()
    _snapshot(actor, ret, reason).save()
    _audit_status(actor, ret, before, _("退回:%(r)s") % {"r": reason})
    return ret


@transaction.atomic
def revise(actor, ret, *, data, reason, version, explanations=None) -> Return:
    """Correct a submitted or accepted return, with a reason: it goes back to submitted and is
    checked again; the accepted figures stay published until it is accepted again."""
    ret = _lock(actor, ret)
    check_version(ret, version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("修订报表必须说明理由")})
    if ret.status not in (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED):
        raise ValidationError({"status": _("草稿或退回的报表请直接修改后报送")})
    before = audit.snapshot(ret)
    ret.data = {**(ret.data or {}), **clean_data(ret.zone_id, data)}
    if explanations is not None:
        ret.explanations = _clean_explanations(explanations, ret.explanations)
    ret.status, ret.revision = ReturnStatus.SUBMITTED, ret.revision + 1
    ret.submitted_at = timezone.now()
    ret.version += 1
    ret.save()
    findings = _run_checks(ret)
    _snapshot(actor, ret, reason).save()
    audit.record(
        actor, AuditRecord.Action.UPDATE, ret, before=before, after=audit.snapshot(ret),
        message=_("修订(第 %(n)d 次):%(r)s;审核发现 %(f)d 项") % {
            "n": ret.revision, "r": reason, "f": len(findings)},
    )  # fmt: skip
    return ret


# --- findings and queries -------------------------------------------------------------------------


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
    text = (text or "").strip()
    if not text:
        raise ValidationError({"explanation": _("请填写情况说明")})
    if finding.status == FindingStatus.CLOSED:
        raise ValidationError({"status": _("该审核发现已关闭")})
    before = audit.snapshot(finding)
    finding.explanation = text[:1000]
    finding.status = FindingStatus.EXPLAINED
    finding.save()
    ret = finding.ret
    ret.explanations = {**(ret.explanations or {}), finding.rule_code: text[:500]}
    Return.objects.filter(pk=ret.pk).update(explanations=ret.explanations)
    audit.record(
        actor, AuditRecord.Action.UPDATE, finding, before=before, after=audit.snapshot(finding),
        message=_("情况说明:%(t)s") % {"t": text[:200]},
    )  # fmt: skip
    return finding


@transaction.atomic
def close_finding(actor, finding, note="") -> Finding:
    """An officer accepts a warning's explanation (or judges it harmless). Errors are not closed:
    the enterprise fixes the figures and the checks run again."""
    finding = _finding(actor, finding, CHANGE)
    _require_officer(actor, finding.zone)
    if finding.severity == Rule.Severity.ERROR:
        raise ValidationError({"status": _("错误类问题不能直接关闭,须由企业修改数据后重新报送")})
    if finding.status == FindingStatus.CLOSED:
        raise ValidationError({"status": _("该审核发现已关闭")})
    before = audit.snapshot(finding)
    finding.status, finding.closed_at = FindingStatus.CLOSED, timezone.now()
    finding.save()
    audit.record(
        actor, AuditRecord.Action.STATUS, finding, before=before, after=audit.snapshot(finding),
        message=(note or "").strip()[:200],
    )  # fmt: skip
    return finding


@transaction.atomic
def send_query(actor, finding, *, due_on, message="") -> Finding:
    """Send a finding to the enterprise as a query with a deadline (handed to the matters module
    through `queries` once it registers)."""
    finding = _finding(actor, finding, CHANGE)
    _require_officer(actor, finding.zone)
    if finding.status == FindingStatus.CLOSED:
        raise ValidationError({"status": _("该审核发现已关闭")})
    if not isinstance(due_on, datetime.date) or due_on < today():
        raise ValidationError({"due_on": _("回复期限应为今天或以后的日期")})
    before = audit.snapshot(finding)
    finding.status, finding.query_due_on = FindingStatus.QUERIED, due_on
    finding.queried_at, finding.queried_by_name = timezone.now(), actor.username
    finding.save()
    audit.record(
        actor, AuditRecord.Action.STATUS, finding, before=before, after=audit.snapshot(finding),
        message=_("发送询问,%(d)s 前回复。%(m)s") % {"d": due_on, "m": (message or "").strip()[:200]},
    )  # fmt: skip
    transaction.on_commit(lambda: queries.dispatch(finding, message=message))
    return finding


# --- reminders (催报) and deadlines -------------------------------------------------------------


def missing_reporters(zone, period):
    """Expected reporters without a submitted or accepted return for the period."""
    done = Return.objects.filter(
        zone=zone, period=Period.of(period).key,
        status__in=(ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED),
    ).values("enterprise_id")  # fmt: skip
    return expected_reporters(zone, period).exclude(pk__in=done)


@transaction.atomic
def remind(actor, zone, period, enterprise_ids=None, message="") -> int:
    """Remind the enterprises that have not reported (all of them, or those named): a 催报 record
    each, and a notification (the bell, an e-mail after the commit) to each enterprise's active
    enterprise users, from the officer, opening their returns."""
    from django.urls import reverse

    from gaoxin.core.models import Membership
    from gaoxin.core.notifications import notify
    from gaoxin.core.roles import ENTERPRISE_USER

    _require_officer(actor, zone)
    period = Period.reporting(period)
    targets = missing_reporters(zone, period)
    if enterprise_ids is not None:
        targets = targets.filter(pk__in=list(enterprise_ids))
    due = due_on(zone, period)
    text = (message or "").strip()[:300] or _("请于 %(d)s 前报送 %(p)s 统计报表。") % {
        "d": due,
        "p": period.label(),
    }
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
        notify(people.get(r.enterprise_id, ()), text, kind="statistics.reminder", target=r,
               url=reverse("statistics:my"), sender=actor)  # fmt: skip
    return len(reminders)


@transaction.atomic
def set_deadline(actor, zone, period, due) -> Deadline:
    if not can_in_zone(actor, Deadline, zone, CHANGE):
        raise Forbidden(_("无权设置报送截止日期"))
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


# --- official figures -------------------------------------------------------------------------


def _indicator(zone, indicator) -> Indicator:
    code = indicator.code if isinstance(indicator, Indicator) else str(indicator or "").strip()
    for row in indicators_for(zone, active_only=False):
        if row.code == code or row.name == code:
            return row
    raise ValidationError({"indicator": _("未知的指标 %(c)s") % {"c": code}})


def check_official_source(indicator, source: str) -> None:
    """The statistics bureau publishes official indicators only; another authority (the tax
    bureau, the power company …) may publish a figure of any indicator, such as tax."""
    if indicator.source != Indicator.Source.OFFICIAL and source == OfficialSource.STATISTICS:
        raise ValidationError(
            {
                "indicator": _(
                    "「%(n)s」不是官方发布指标;统计局数据只能录入官方指标,"
                    "税务局等其他来源可录入任意指标"
                )
                % {"n": indicator.name}
            }
        )


@transaction.atomic
def save_official(
    actor, zone, *, indicator, period, value, yoy_pct, source, source_note="", version=None
) -> OfficialFigure:
    """Enter or correct a figure an authority published, with its source."""
    if not can_in_zone(actor, OfficialFigure, zone, CHANGE):
        raise Forbidden(_("无权录入官方数据"))
    indicator = _indicator(zone, indicator)
    errors = {}
    try:
        period = Period.of(period)
    except ValueError as exc:
        errors["period"] = str(exc)
    if source not in OfficialSource.values:
        errors["source"] = _("数据来源应为 %(s)s 之一") % {"s": "、".join(OfficialSource.labels)}
    else:
        try:
            check_official_source(indicator, source)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    numbers = {}
    for field, raw in (("value", value), ("yoy_pct", yoy_pct)):
        try:
            numbers[field] = _number(raw)
        except (InvalidOperation, ValueError, TypeError):
            errors[field] = _("应为数字,实际为 %(v)s") % {"v": raw}
    if not errors and numbers["value"] is None and numbers["yoy_pct"] is None:
        errors["value"] = _("数值和同比增长至少填写一项")
    if errors:
        raise ValidationError(errors)
    zone_id = getattr(zone, "pk", zone)
    figure = (
        OfficialFigure.objects.select_for_update()
        .filter(zone_id=zone_id, indicator=indicator, period=period.key)
        .first()
    )
    before = None
    if figure is None:
        figure = OfficialFigure(zone_id=zone_id, indicator=indicator, period=period.key)
    else:
        check_version(figure, version)
        before = audit.snapshot(figure)
        figure.version += 1
    figure.value, figure.yoy_pct = numbers["value"], numbers["yoy_pct"]
    figure.source, figure.source_note = source, (source_note or "").strip()[:200]
    figure.entered_by_name = actor.username
    figure.full_clean(exclude={"zone", "indicator"})
    figure.save()
    audit.record(
        actor, AuditRecord.Action.UPDATE if before else AuditRecord.Action.CREATE, figure,
        before=before, after=audit.snapshot(figure),
        repr_=f"{indicator.name} {period.ytd_label()}",
    )  # fmt: skip
    return figure
