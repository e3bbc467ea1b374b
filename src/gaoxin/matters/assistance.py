"""Help for enterprises (帮扶): the support working groups and the help ledgers — awards and
subsidies paid, loans arranged, job fairs with the positions each enterprise offered, and the work
resumption of above-scale enterprises and key projects — with `summary()`, their totals for a
period (the cockpit and `/api/v1/assistance/summary` read it).

Every write runs in one transaction, checks access (`ZONE_FIGURES_POLICY`: admins and staff add and
change, admins remove), validates with Chinese messages and is audited. A ledger row is removed
with a reason, kept in the audit record.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.clock import today
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord, Department
from gaoxin.core.models.access import ADD, CHANGE, DELETE, VIEW, can_in_zone
from gaoxin.core.records import check_version
from gaoxin.enterprises.models import Enterprise

from .models import Award, JobFair, JobOffer, Loan, Resumption, WorkingGroup
from .services import clean_text, in_zone, zone_people
from .services import project_in_zone as _zone_project

MAX_WAN = Decimal("999999999999")  # the MONEY field holds 12 integral digits
NOTE_MAX = 200  # a ledger row's or a fair's note
LEDGERS = {"award": Award, "loan": Loan, "offer": JobOffer, "resumption": Resumption}


# --- reading -------------------------------------------------------------------------------------


def in_period(queryset, field: str, start: datetime.date | None, end: datetime.date | None):
    """Rows whose date `field` falls in start..end (both inclusive, either open)."""
    if start:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end:
        queryset = queryset.filter(**{f"{field}__lte": end})
    return queryset


# --- the summary (the contract with the cockpit and the API) -------------------------------------


def _rate(resumed: int, tracked: int) -> Decimal | None:
    if not tracked:
        return None
    return (Decimal(resumed) * 100 / tracked).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _money(value) -> Decimal:
    return Decimal(value) if value is not None else Decimal("0")


def summary(zone, start: datetime.date, end: datetime.date) -> dict:
    """The help ledgers' totals for `zone` from `start` to `end` (inclusive): awards by the date
    paid, loans by the date granted (credit, guaranteed and total), job fairs held and the
    positions offered at them, and the resumption rates as of `end` (`resumption_rates`). Four
    queries."""
    zone_id = _zone_id(zone)
    awards = Award.objects.filter(zone_id=zone_id, paid_on__gte=start, paid_on__lte=end).aggregate(
        enterprises=Count("enterprise", distinct=True), count=Count("id"), amount=Sum("amount")
    )
    kinds = {"credit": Q(kind=Loan.Kind.CREDIT), "guaranteed": Q(kind=Loan.Kind.GUARANTEED)}
    loan_aggs = {}
    for key, q in kinds.items():
        loan_aggs[f"{key}_enterprises"] = Count("enterprise", distinct=True, filter=q)
        loan_aggs[f"{key}_count"] = Count("id", filter=q)
        loan_aggs[f"{key}_amount"] = Sum("amount", filter=q)
    loan_aggs.update(
        total_enterprises=Count("enterprise", distinct=True),
        total_count=Count("id"),
        total_amount=Sum("amount"),
    )
    loans = Loan.objects.filter(
        zone_id=zone_id, granted_on__gte=start, granted_on__lte=end
    ).aggregate(**loan_aggs)
    jobs = JobFair.objects.filter(zone_id=zone_id, held_on__gte=start, held_on__lte=end).aggregate(
        fairs=Count("id", distinct=True),
        enterprises=Count("offers__enterprise", distinct=True),
        positions=Sum("offers__positions"),
    )
    return {
        "start": start,
        "end": end,
        "awards": {
            "enterprises": awards["enterprises"],
            "count": awards["count"],
            "amount_wan": _money(awards["amount"]),
        },
        "loans": {
            key: {
                "enterprises": loans[f"{key}_enterprises"],
                "count": loans[f"{key}_count"],
                "amount_wan": _money(loans[f"{key}_amount"]),
            }
            for key in ("credit", "guaranteed", "total")
        },
        "jobs": {
            "fairs": jobs["fairs"],
            "enterprises": jobs["enterprises"],
            "positions": jobs["positions"] or 0,
        },
        "resumption": resumption_rates(zone_id, end),
    }


def resumption_rates(zone, as_of: datetime.date) -> dict:
    """The zone's resumption rates as of `as_of`, by subject and overall: "tracked" = tracked from
    a day ≤ as_of; "resumed" = of those, resumed on a day ≤ as_of; rate in percent with one
    decimal, None when nothing is tracked. One query."""
    tracked = Q(tracked_from__lte=as_of)
    resumed = tracked & Q(resumed_on__lte=as_of)
    aggs = {}
    for subject in Resumption.Subject.values:
        aggs[f"{subject}_tracked"] = Count("id", filter=tracked & Q(subject=subject))
        aggs[f"{subject}_resumed"] = Count("id", filter=resumed & Q(subject=subject))
    res = Resumption.objects.filter(zone_id=_zone_id(zone)).aggregate(**aggs)

    def block(t, r):
        return {"tracked": t, "resumed": r, "rate": _rate(r, t)}

    ent = (res["enterprise_tracked"], res["enterprise_resumed"])
    proj = (res["project_tracked"], res["project_resumed"])
    return {
        "as_of": as_of,
        "enterprises": block(*ent),
        "projects": block(*proj),
        "overall": block(ent[0] + proj[0], ent[1] + proj[1]),
    }


# --- validation ----------------------------------------------------------------------------------


def _require(actor, model, zone, action, message=None):
    if not can_in_zone(actor, model, zone, action):
        raise Forbidden(message or _("无权登记帮扶台账"))


def _lock(actor, model, obj, action=CHANGE):
    """The row locked for update if `actor` may do `action` to it: DoesNotExist when not visible,
    Forbidden when visible but not allowed."""
    pk = getattr(obj, "pk", obj)
    if not model.objects.restrict(actor, VIEW).filter(pk=pk).exists():
        raise model.DoesNotExist(_("未找到该记录"))
    if not model.objects.restrict(actor, action).filter(pk=pk).exists():
        raise Forbidden(_("无权修改该记录"))
    return model.objects.select_for_update().select_related("zone").get(pk=pk)


def _enterprise(value, zone, field="enterprise"):
    """The zone's (not deleted) enterprise `value` refers to; required."""
    message = _("企业不存在或不属于本园区")
    found = in_zone(Enterprise, value, zone, field, message)
    if found is None:
        raise ValidationError({field: _("请选择企业")})
    if found.is_deleted:
        raise ValidationError({field: message})
    return found


def _project(value, zone):
    """The zone's (not deleted) investment project `value` refers to; required."""
    found = _zone_project(value, zone)
    if found is None:
        raise ValidationError({"project": _("请选择项目")})
    return found


def _all_in(queryset, values, field, message) -> list:
    """The rows of `queryset` that `values` (objects or pks) name; every one must be there."""
    pks = [getattr(v, "pk", v) for v in values or ()]
    if any(not str(pk).isdigit() for pk in pks):
        raise ValidationError({field: message})
    found = list(queryset.filter(pk__in=pks))
    if len(found) != len(set(map(int, pks))):
        raise ValidationError({field: message})
    return found


def _amount(value, field="amount") -> Decimal:
    """An amount in 万元: a number > 0 with at most four decimals."""
    try:
        amount = Decimal(str(value).strip().replace(",", "")) if value not in (None, "") else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError({field: _("请填写金额(万元),如 12.5")})
    if amount <= 0:
        raise ValidationError({field: _("金额应大于 0(单位:万元)")})
    if amount > MAX_WAN:
        raise ValidationError({field: _("金额过大,请确认单位为万元")})
    if amount != amount.quantize(Decimal("0.0001")):
        raise ValidationError({field: _("金额最多保留四位小数(万元)")})
    return amount


def _past(value, field, label, *, required=True) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("请填写%(l)s") % {"l": label}})
        return None
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise ValidationError({field: _("%(l)s格式应为 YYYY-MM-DD") % {"l": label}})
    if value > today():
        raise ValidationError({field: _("%(l)s不能晚于今天") % {"l": label}})
    return value


def _created_by(actor) -> str:
    return getattr(actor, "display_name", "") or getattr(actor, "username", "") or ""


def _note(value) -> str:
    return clean_text(value, "note", _("备注"), NOTE_MAX)


def _zone_id(zone):
    return getattr(zone, "pk", zone)


# --- working groups ------------------------------------------------------------------------------


def _group_fields(zone, data: dict) -> dict:
    out = {}
    if "name" in data:
        out["name"] = clean_text(
            data["name"], "name", _("工作组名称"), 50, required=_("请填写工作组名称")
        )
    if "leader_name" in data:
        out["leader_name"] = clean_text(
            data["leader_name"], "leader_name", _("组长"), 50, required=_("请填写组长")
        )
    if "department" in data:
        out["department"] = in_zone(
            Department, data["department"], zone, "department", _("部门不存在或不属于本园区")
        )
    if "member_names" in data:
        out["member_names"] = clean_text(data["member_names"], "member_names", _("其他成员"), 300)
    if "members" in data:
        out["members"] = _all_in(
            zone_people(zone), data["members"], "members", _("成员应为本园区的工作人员")
        )
    if "enterprises" in data:
        out["enterprises"] = _all_in(
            Enterprise.objects.filter(zone=zone, is_deleted=False),
            data["enterprises"],
            "enterprises",
            _("企业不存在或不属于本园区"),
        )
    return out


def _check_group_name(zone, name, pk=None):
    clash = WorkingGroup.objects.filter(zone=zone, name=name).exclude(pk=pk)
    if clash.exists():
        raise ValidationError({"name": _("本园区已有名为“%(n)s”的工作组") % {"n": name}})


@transaction.atomic
def create_group(
    actor,
    zone,
    *,
    name,
    leader_name,
    department=None,
    members=(),
    member_names="",
    enterprises=(),
) -> WorkingGroup:
    """A support working group with its members and the enterprises assigned to it."""
    _require(actor, WorkingGroup, zone, ADD, _("无权设立帮扶工作组"))
    data = _group_fields(
        zone,
        {
            "name": name,
            "leader_name": leader_name,
            "department": department,
            "members": members,
            "member_names": member_names,
            "enterprises": enterprises,
        },
    )
    _check_group_name(zone, data["name"])
    group = WorkingGroup.objects.create(
        zone_id=_zone_id(zone),
        name=data["name"],
        leader_name=data["leader_name"],
        department=data["department"],
        member_names=data["member_names"],
    )
    group.members.set(data["members"])
    group.enterprises.set(data["enterprises"])
    audit.record(actor, AuditRecord.Action.CREATE, group, after=audit.snapshot(group))
    return group


@transaction.atomic
def update_group(actor, group, *, version, **fields) -> WorkingGroup:
    """Change a working group: name, leader, department, members, assigned enterprises."""
    group = _lock(actor, WorkingGroup, group)
    check_version(group, version)
    allowed = {"name", "leader_name", "department", "members", "member_names", "enterprises"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({f: _("不可修改的字段") for f in sorted(unknown)})
    data = _group_fields(group.zone, fields)
    if "name" in data:
        _check_group_name(group.zone, data["name"], group.pk)
    before = audit.snapshot(group)
    for key in ("name", "leader_name", "department", "member_names"):
        if key in data:
            setattr(group, key, data[key])
    group.version += 1
    group.save()
    if "members" in data:
        group.members.set(data["members"])
    if "enterprises" in data:
        group.enterprises.set(data["enterprises"])
    audit.record(
        actor, AuditRecord.Action.UPDATE, group, before=before, after=audit.snapshot(group)
    )
    return group


# --- the ledgers ---------------------------------------------------------------------------------


def _record_create(actor, obj):
    audit.record(actor, AuditRecord.Action.CREATE, obj, after=audit.snapshot(obj))
    return obj


@transaction.atomic
def add_award(actor, zone, *, enterprise, policy, amount, paid_on, note="") -> Award:
    """An award or subsidy paid to an enterprise (万元)."""
    _require(actor, Award, zone, ADD)
    award = Award(
        zone_id=_zone_id(zone),
        enterprise=_enterprise(enterprise, zone),
        policy=clean_text(policy, "policy", _("政策名称"), 100, required=_("请填写政策名称")),
        amount=_amount(amount),
        paid_on=_past(paid_on, "paid_on", _("兑现日期")),
        note=_note(note),
        created_by_name=_created_by(actor),
    )
    award.save()
    return _record_create(actor, award)


@transaction.atomic
def add_loan(actor, zone, *, enterprise, bank, kind, amount, granted_on, note="") -> Loan:
    """A loan arranged for an enterprise: credit or a special guaranteed loan (万元)."""
    _require(actor, Loan, zone, ADD)
    if kind not in Loan.Kind.values:
        raise ValidationError({"kind": _("请选择贷款类型:信贷或担保专项贷款")})
    loan = Loan(
        zone_id=_zone_id(zone),
        enterprise=_enterprise(enterprise, zone),
        bank=clean_text(bank, "bank", _("银行"), 50, required=_("请填写放款银行")),
        kind=kind,
        amount=_amount(amount),
        granted_on=_past(granted_on, "granted_on", _("放款日期")),
        note=_note(note),
        created_by_name=_created_by(actor),
    )
    loan.save()
    return _record_create(actor, loan)


@transaction.atomic
def create_fair(actor, zone, *, title, held_on, ends_on=None, online=True, note="") -> JobFair:
    """A job fair (网络招聘会) the zone held; the positions are added per enterprise."""
    _require(actor, JobFair, zone, ADD)
    held_on = _past(held_on, "held_on", _("开始日期"))
    ends_on = _past(ends_on, "ends_on", _("结束日期"), required=False) if ends_on else None
    if ends_on and ends_on < held_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期")})
    fair = JobFair.objects.create(
        zone_id=_zone_id(zone),
        title=clean_text(title, "title", _("招聘会名称"), 100, required=_("请填写招聘会名称")),
        held_on=held_on,
        ends_on=ends_on,
        online=bool(online),
        note=_note(note),
    )
    return _record_create(actor, fair)


@transaction.atomic
def add_offer(actor, fair, *, enterprise, positions, jobs="", note="") -> JobOffer:
    """The positions one enterprise offered at a fair (one row per enterprise per fair)."""
    fair = _lock(actor, JobFair, fair, ADD)
    try:
        positions = int(positions)
    except (TypeError, ValueError):
        positions = 0
    if positions < 1:
        raise ValidationError({"positions": _("岗位数应为不小于 1 的整数")})
    if positions > 1_000_000:
        raise ValidationError({"positions": _("岗位数过大,请核实")})
    enterprise = _enterprise(enterprise, fair.zone)
    if JobOffer.objects.filter(fair=fair, enterprise=enterprise).exists():
        raise ValidationError(
            {"enterprise": _("“%(e)s”已登记参加本场招聘会") % {"e": enterprise.name}}
        )
    offer = JobOffer(
        zone_id=fair.zone_id,
        fair=fair,
        enterprise=enterprise,
        positions=positions,
        jobs=clean_text(jobs, "jobs", _("招聘岗位"), 200),
        note=_note(note),
        created_by_name=_created_by(actor),
    )
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError:  # two officers registering the same enterprise at once
        raise ValidationError(
            {"enterprise": _("“%(e)s”已登记参加本场招聘会") % {"e": enterprise.name}}
        ) from None
    return _record_create(actor, offer)


RESUMPTION_FIELDS = ("tracked_from", "resumed_on", "workers_back", "workers_total", "note")


def _resumption_values(data: dict, current: Resumption | None = None) -> dict:
    out = {}
    if "tracked_from" in data:
        out["tracked_from"] = _past(data["tracked_from"], "tracked_from", _("纳入跟踪日期"))
    if "resumed_on" in data:
        out["resumed_on"] = _past(data["resumed_on"], "resumed_on", _("复工日期"), required=False)
    for key, label in (("workers_back", _("返岗人数")), ("workers_total", _("职工总数"))):
        if key in data:
            value = data[key]
            if value in (None, ""):
                out[key] = None
                continue
            try:
                value = int(value)
            except (TypeError, ValueError):
                value = -1
            if value < 0:
                raise ValidationError({key: _("%(l)s应为不小于 0 的整数") % {"l": label}})
            out[key] = value
    if "note" in data:
        out["note"] = _note(data["note"])
    merged = {k: getattr(current, k, None) for k in RESUMPTION_FIELDS} | out
    back, total = merged.get("workers_back"), merged.get("workers_total")
    if back is not None and total is not None and back > total:
        raise ValidationError({"workers_back": _("返岗人数不能多于职工总数")})
    return out


@transaction.atomic
def add_resumption(
    actor,
    zone,
    *,
    subject,
    enterprise=None,
    project=None,
    tracked_from,
    resumed_on=None,
    workers_back=None,
    workers_total=None,
    note="",
) -> Resumption:
    """Track the work resumption of an above-scale enterprise or a key project (one row each)."""
    _require(actor, Resumption, zone, ADD)
    if subject == Resumption.Subject.ENTERPRISE:
        if project not in (None, ""):
            raise ValidationError({"project": _("对象为规上企业时不填项目")})
        enterprise = _enterprise(enterprise, zone)
        if not enterprise.above_scale:
            raise ValidationError({"enterprise": _("“%(e)s”不是规上企业") % {"e": enterprise.name}})
        if Resumption.objects.filter(zone_id=_zone_id(zone), enterprise=enterprise).exists():
            raise ValidationError({"enterprise": _("该企业已在复工跟踪中")})
    elif subject == Resumption.Subject.PROJECT:
        if enterprise not in (None, ""):
            raise ValidationError({"enterprise": _("对象为重点项目时不填企业")})
        project = _project(project, zone)
        if Resumption.objects.filter(zone_id=_zone_id(zone), project=project).exists():
            raise ValidationError({"project": _("该项目已在复工跟踪中")})
    else:
        raise ValidationError({"subject": _("请选择对象:规上企业或重点项目")})
    values = _resumption_values(
        {
            "tracked_from": tracked_from,
            "resumed_on": resumed_on,
            "workers_back": workers_back,
            "workers_total": workers_total,
            "note": note,
        }
    )
    row = Resumption(
        zone_id=_zone_id(zone),
        subject=subject,
        enterprise=enterprise if subject == Resumption.Subject.ENTERPRISE else None,
        project=project if subject == Resumption.Subject.PROJECT else None,
        **values,
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ValidationError({subject: _("该对象已在复工跟踪中")}) from None
    return _record_create(actor, row)


@transaction.atomic
def update_resumption(actor, row, *, version, **fields) -> Resumption:
    """Record the resumption (date, workers back) or correct the tracking of one subject."""
    row = _lock(actor, Resumption, row)
    check_version(row, version)
    unknown = set(fields) - set(RESUMPTION_FIELDS)
    if unknown:
        raise ValidationError({f: _("不可修改的字段") for f in sorted(unknown)})
    values = _resumption_values(fields, row)
    before = audit.snapshot(row)
    for key, value in values.items():
        setattr(row, key, value)
    row.version += 1
    row.save()
    audit.record(actor, AuditRecord.Action.UPDATE, row, before=before, after=audit.snapshot(row))
    return row


@transaction.atomic
def remove_entry(actor, obj, *, reason) -> None:
    """Remove a ledger row (an award, a loan, an offer, a resumption record) entered by mistake;
    the reason and the row's values stay in the audit record. Zone admins only."""
    model = type(obj)
    if model not in LEDGERS.values():
        raise ValueError(model)
    obj = _lock(actor, model, obj, DELETE)
    reason = clean_text(reason, "reason", _("删除原因"), 200, required=_("删除须说明原因"))
    before = audit.snapshot(obj)
    audit.record(actor, AuditRecord.Action.DELETE, obj, before=before, message=reason)
    obj.delete()
