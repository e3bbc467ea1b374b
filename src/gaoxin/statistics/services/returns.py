"""The monthly return's workflow: the figures as typed, then draft → submitted → accepted, or back
to the enterprise (returned) with reasons; an accepted return is revised with a reason, keeping
its history. Submitting runs the checks (`checks`) and keeps what they find; an open error, or a
warning nobody explained, blocks an enterprise's own submission (`refuse_unresolved`) and, on a
return an officer submitted for it, acceptance. Figures are read as typed by `read_figure`.
Accepting publishes the figures (`publish`), which keeps the rollups current. Each write runs in
one transaction, checks access through `restrict()`, validates, bumps the version and writes the
audit record.
"""

from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from gaoxin.core import audit, clock
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import ADD, CHANGE, VIEW, can_in_zone
from gaoxin.core.periods import Period
from gaoxin.core.records import check_version
from gaoxin.core.spreadsheets.normalize import clean_text, compact, display, parse_quantity
from gaoxin.enterprises.models import Enterprise

from .. import checks, publish
from ..catalogue import indicators_for
from ..models import Finding, FindingStatus, Return, ReturnRevision, ReturnStatus, Rule
from .reporting import EDITABLE, OPEN_FINDINGS, bounded, due_on, is_officer, require_officer

MAX_WHOLE_DIGITS = 15  # models.AMOUNT holds 16; the rollups' sums need the room
PLACES = 4  # models.AMOUNT
STORED_PLACES = Decimal(1).scaleb(-PLACES)
FIGURE_TEXT_MAX = 40  # characters of a typed figure, with its unit and separators
EXPLANATION_MAX = 1000  # an enterprise's explanation of a warning (情况说明)
REASON_MAX = 1000  # why an officer sends a return back


def _lock(actor, ret_or_pk, action=CHANGE) -> Return:
    """The return, locked for update, if the actor may act on it (else 404 as if missing)."""
    pk = getattr(ret_or_pk, "pk", ret_or_pk)
    if not Return.objects.restrict(actor, VIEW).filter(pk=pk).exists():
        raise Return.DoesNotExist
    if not Return.objects.restrict(actor, action).filter(pk=pk).exists():
        raise Forbidden(_("无权修改该报表"))
    return Return.objects.select_for_update().select_related("enterprise", "zone").get(pk=pk)


# --- the figures typed --------------------------------------------------------------------------


def read_figure(indicator, raw) -> Decimal | None:
    """A figure as a person typed it in the return form or sent it to the API (text, int, float
    or Decimal), in the indicator's unit; None when blank. Read as the importer reads a cell
    (`core.spreadsheets.parse_quantity`: 1.2亿 and 500万 in the indicator's unit, 1,234.5, full-
    width digits, spaces); then it must fit the stored amounts (15 whole digits, 4 decimals);
    -0 is 0. ValueError with the reason."""
    if raw is None or (isinstance(raw, str) and not clean_text(raw)):
        return None
    if isinstance(raw, str) and len(raw.strip()) > FIGURE_TEXT_MAX:
        text = raw.strip()
        raise ValueError(
            _("「%(v)s…」过长:数值最多填写 %(m)d 个字符(现为 %(n)d 个)")
            % {"v": text[:20], "m": FIGURE_TEXT_MAX, "n": len(text)}
        )
    unit = indicator.unit
    number = parse_quantity(raw, unit)
    if isinstance(raw, float):
        shown = repr(raw)  # 1e+30, as sent
    else:
        shown = format(raw, "f") if isinstance(raw, Decimal) else display(raw).strip()
    if abs(number) >= Decimal(10) ** MAX_WHOLE_DIGITS:
        raise ValueError(
            _("「%(v)s」超出可填写的范围:整数部分最多 %(n)d 位(单位:%(u)s),请检查单位")
            % {"v": shown, "n": MAX_WHOLE_DIGITS, "u": unit}
        )
    if number != number.quantize(STORED_PLACES, rounding=ROUND_DOWN):
        args = {"v": shown, "x": format(number.normalize(), "f"), "n": PLACES, "u": unit}
        if isinstance(raw, str) and compact(raw).replace(",", "") != args["x"]:
            raise ValueError(
                _("「%(v)s」折合 %(x)s %(u)s,小数位数过多:最多保留 %(n)d 位小数") % args
            )
        raise ValueError(_("「%(v)s」的小数位数过多:最多保留 %(n)d 位小数(单位:%(u)s)") % args)
    return Decimal(0) if number == 0 else number


def clean_data(zone, data: dict) -> dict:
    """{code: figure as typed} checked against the zone's return indicators (`read_figure`); the
    stored form is {code: "decimal string" | None}. Unknown codes and figures that cannot be
    stored are errors, all at once, each naming its indicator."""
    indicators = {i.code: i for i in indicators_for(zone, source="return")}
    errors, clean = {}, {}
    for code, raw in (data or {}).items():
        indicator = indicators.get(code)
        if indicator is None:
            errors[code] = _("未知的报表指标 %(c)s") % {"c": code}
            continue
        try:
            number = read_figure(indicator, raw)
        except ValueError as exc:
            errors[code] = _("%(n)s:%(m)s") % {"n": indicator.name, "m": exc}
            continue
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
    now = clock.today()
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
        what = _("情况说明(%(k)s)") % {"k": key}
        text = bounded(text, "explanations", EXPLANATION_MAX, what)
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
            severity=problem.severity, message=problem.message, explanation=explanation,
            status=FindingStatus.EXPLAINED if explanation else FindingStatus.OPEN,
        )  # fmt: skip
        if old is not None and old.status == FindingStatus.QUERIED and not explanation:
            finding.status = FindingStatus.QUERIED
            finding.query_due_on, finding.queried_at = old.query_due_on, old.queried_at
            finding.queried_by_name = old.queried_by_name
        findings.append(finding)
    return Finding.objects.bulk_create(findings)


def refuse_unresolved(actor, ret, findings) -> None:
    """An enterprise sends a return only with nothing standing against it: every error corrected,
    every warning explained (`blocking`). Else a ValidationError naming each: an error under its
    indicator's code, a warning under explanations.<rule code>, above them how many there are.
    An officer of the zone who submits for the enterprise (代填, an import) keeps the findings on
    the return to follow up, as before: they stop acceptance, not the submission."""
    stops = blocking(findings)
    if not stops or is_officer(actor, ret.zone):
        return
    codes = {i.pk: i.code for i in indicators_for(ret.zone_id)}
    errors = {
        NON_FIELD_ERRORS: [
            _("报表有 %(n)d 项审核问题未处理,不能报送:错误须更正数据,警告须填写情况说明")
            % {"n": len(stops)}
        ]
    }
    for f in stops:
        if f.severity == Rule.Severity.ERROR:
            key = codes.get(f.indicator_id, "findings")
            message = _("须更正后才能报送:%(m)s") % {"m": f.message}
        else:
            key = f"explanations.{f.rule_code}"
            message = _("须填写情况说明后才能报送:%(m)s") % {"m": f.message}
        errors.setdefault(key, []).append(message)
    raise ValidationError(errors)


@transaction.atomic
def submit(actor, ret, *, version) -> Return:
    """Send the return to the zone: the checks run and their findings are kept. An enterprise
    cannot send it while an error stands or a warning is unexplained (`refuse_unresolved`: the
    whole submission is undone); an officer's submission keeps them, and they stop acceptance
    until fixed."""
    ret = _lock(actor, ret)
    check_version(ret, version)
    if ret.status not in EDITABLE:
        raise ValidationError(
            {"status": _("报表%(s)s,不能重复报送") % {"s": ret.get_status_display()}}
        )
    if not any(v not in (None, "") for v in (ret.data or {}).values()):
        raise ValidationError({"data": _("报表还没有填写任何数据")})
    before = audit.snapshot(ret)
    ret.status, ret.submitted_at = ReturnStatus.SUBMITTED, clock.now()
    ret.submitted_by = actor if getattr(actor, "pk", None) else None
    ret.returned_reason = ""
    ret.version += 1
    ret.save()
    findings = _run_checks(ret)
    refuse_unresolved(actor, ret, findings)
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
    require_officer(actor, ret.zone)
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
    ret.status, ret.reviewed_at = ReturnStatus.ACCEPTED, clock.now()
    ret.reviewed_by = actor if getattr(actor, "pk", None) else None
    ret.version += 1


@transaction.atomic
def accept_clean(actor, zone, period) -> int:
    """Accept, at once, every submitted return of the period with nothing blocking it."""
    require_officer(actor, zone)
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
    require_officer(actor, ret.zone)
    check_version(ret, version)
    reason = bounded(reason, "reason", REASON_MAX, _("退回理由"))
    if not reason:
        raise ValidationError({"reason": _("退回报表必须填写理由")})
    if ret.status != ReturnStatus.SUBMITTED:
        raise ValidationError({"status": _("只有已报送的报表可以退回(当前:%(s)s)") % {
            "s": ret.get_status_display()}})  # fmt: skip
    before = audit.snapshot(ret)
    ret.status, ret.returned_reason = ReturnStatus.RETURNED, reason
    ret.reviewed_at, ret.reviewed_by = clock.now(), actor
    ret.version += 1
    ret.save()
    _snapshot(actor, ret, reason).save()
    _audit_status(actor, ret, before, _("退回:%(r)s") % {"r": reason})
    return ret


@transaction.atomic
def revise(actor, ret, *, data, reason, version, explanations=None) -> Return:
    """Correct a submitted or accepted return, with a reason: it goes back to submitted and is
    checked again (an enterprise's revision, like its submission, is refused while an error
    stands or a warning is unexplained); the accepted figures stay published until it is
    accepted again."""
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
    ret.submitted_at = clock.now()
    ret.version += 1
    ret.save()
    findings = _run_checks(ret)
    refuse_unresolved(actor, ret, findings)
    _snapshot(actor, ret, reason).save()
    audit.record(
        actor, AuditRecord.Action.UPDATE, ret, before=before, after=audit.snapshot(ret),
        message=_("修订(第 %(n)d 次):%(r)s;审核发现 %(f)d 项") % {
            "n": ret.revision, "r": reason, "f": len(findings)},
    )  # fmt: skip
    return ret


def return_timeline(ret, revisions):
    """A return's audit timeline: its own records and the imports that wrote its revisions (one
    record per import, at the revisions' instant, in the return's zone, by the same actor)."""
    imported = {(r.at, r.actor_name) for r in revisions}
    own = Q(content_type=ContentType.objects.get_for_model(Return), object_id=str(ret.pk))
    by_import = Q(
        zone_id=ret.zone_id,
        action=AuditRecord.Action.IMPORT,
        time__in={at for at, _name in imported},
        actor_name__in={name for _at, name in imported},
    )
    records = (
        AuditRecord.objects.filter(own | by_import) if imported else AuditRecord.objects.filter(own)
    )
    return records.order_by("-time", "-id")
