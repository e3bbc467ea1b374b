"""Investment plans: campaigns (百日招商 drives), department targets and the zone's size-class
thresholds. Zone admins set them; every write validates, runs in one transaction and is audited
(DESIGN.md mechanism 3), like the project services in `services`."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core import audit, clock
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord, Department
from gaoxin.core.models.access import can_add
from gaoxin.core.records import check_version, refuse_in_zone

from .models import Campaign, DepartmentTarget, Thresholds
from .references import by_pk_or_name
from .services import thresholds_for

CAMPAIGN_FIELDS = (
    "name",
    "start",
    "end",
    "target_projects",
    "target_investment",
    "target_large",
    "note",
)


# A campaign is a drive of weeks or months; a longer one is a target (DepartmentTarget).
MAX_CAMPAIGN_DAYS = 366


def _validate_campaign(campaign: Campaign) -> None:
    errors = {}
    campaign.name = " ".join((campaign.name or "").split())
    try:
        campaign.clean_fields(exclude={"zone"})
    except ValidationError as exc:
        errors.update(exc.message_dict)
    start, end = campaign.start, campaign.end
    if isinstance(start, datetime.date) and isinstance(end, datetime.date):  # not a bad date
        if end < start:
            errors["end"] = [_("结束日期不能早于开始日期")]
        elif (end - start).days >= MAX_CAMPAIGN_DAYS:
            errors["end"] = [_("活动时长不能超过 %(n)s 天") % {"n": MAX_CAMPAIGN_DAYS}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_campaign(actor, zone, **data) -> Campaign:
    if not can_add(actor, Campaign, zone):
        refuse_in_zone(actor, zone, _("只有园区管理员可以设立招商活动"))
    unknown = set(data) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValidationError({f: _("未知字段") for f in unknown})
    campaign = Campaign(zone=zone, **data)
    _validate_campaign(campaign)
    campaign.save()
    audit.record(actor, AuditRecord.Action.CREATE, campaign, after=audit.snapshot(campaign))
    return campaign


def _admin_get(model, actor, pk, action="change"):
    """The object if `actor` may `action` it; Forbidden when they only see it."""
    obj = model.objects.restrict(actor, action).filter(pk=pk).first()
    if obj is not None:
        return obj
    if model.objects.restrict(actor, "view").filter(pk=pk).exists():
        raise Forbidden(_("只有园区管理员可以修改%(m)s") % {"m": model._meta.verbose_name})
    raise model.DoesNotExist(_("未找到该%(m)s") % {"m": model._meta.verbose_name})


@transaction.atomic
def update_campaign(actor, pk, changes: dict, *, version=None) -> Campaign:
    campaign = _admin_get(Campaign, actor, pk)
    check_version(campaign, version)
    unknown = set(changes) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValidationError({f: _("未知字段") for f in unknown})
    before = audit.snapshot(campaign)
    for field, value in changes.items():
        setattr(campaign, field, value)
    _validate_campaign(campaign)
    after = audit.snapshot(campaign)
    if after == before:
        return campaign
    campaign.version += 1
    after["version"] = campaign.version
    campaign.save()
    audit.record(actor, AuditRecord.Action.UPDATE, campaign, before=before, after=after)
    return campaign


@transaction.atomic
def delete_campaign(actor, pk) -> None:
    campaign = _admin_get(Campaign, actor, pk, "delete")
    audit.record(actor, AuditRecord.Action.DELETE, campaign, before=audit.snapshot(campaign))
    campaign.delete()


@transaction.atomic
def set_department_target(
    actor,
    zone,
    department,
    year: int,
    *,
    target_projects=None,
    target_investment=None,
    target_large=None,
) -> DepartmentTarget:
    """Set (or replace) a department's annual targets."""
    if not can_add(actor, DepartmentTarget, zone):
        refuse_in_zone(actor, zone, _("只有园区管理员可以设定部门目标"))
    department = by_pk_or_name(Department, zone, department, "department", what=_("部门"))
    if department is None:
        raise ValidationError({"department": _("请选择部门")})
    if not isinstance(year, int) or not 2000 <= year <= clock.today().year + 1:
        raise ValidationError(
            {"year": _("年度应在 2000 至 %(y)s 之间") % {"y": clock.today().year + 1}}
        )
    target = DepartmentTarget.objects.filter(department=department, year=year).first()
    before = audit.snapshot(target) if target else None
    target = target or DepartmentTarget(zone=zone, department=department, year=year)
    target.target_projects = target_projects
    target.target_investment = target_investment
    target.target_large = target_large
    try:
        target.clean_fields(exclude={"zone", "department"})
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    target.save()
    audit.record(
        actor,
        AuditRecord.Action.UPDATE if before else AuditRecord.Action.CREATE,
        target,
        before=before,
        after=audit.snapshot(target),
        repr_=_("%(d)s %(y)s 年招商目标") % {"d": department.name, "y": year},
    )
    return target


@transaction.atomic
def save_thresholds(actor, zone, *, large, class_5020, version=None) -> Thresholds:
    current = Thresholds.objects.select_for_update().filter(zone=zone).first()
    if current is None:
        if not can_add(actor, Thresholds, zone):
            refuse_in_zone(actor, zone, _("只有园区管理员可以设置项目规模门槛"))
        current = thresholds_for(zone)
        before = None
    else:
        if not Thresholds.objects.restrict(actor, "change").filter(pk=current.pk).exists():
            refuse_in_zone(actor, zone, _("只有园区管理员可以设置项目规模门槛"))
        check_version(current, version)
        before = audit.snapshot(current)
    errors = {}
    for field, value in (("large", large), ("class_5020", class_5020)):
        if value is None or value <= 0:
            errors[field] = [_("门槛应为大于 0 的金额(万元)")]
    if errors:
        raise ValidationError(errors)
    current.large, current.class_5020 = large, class_5020
    if before is not None:
        current.version += 1
    current.save()
    audit.record(
        actor,
        AuditRecord.Action.UPDATE if before else AuditRecord.Action.CREATE,
        current,
        before=before,
        after=audit.snapshot(current),
        repr_=_("%(z)s 项目规模门槛") % {"z": zone},
    )
    return current
