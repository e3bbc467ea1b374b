"""Writing the entered figures of a high-tech pre-assessment (models.AssessmentInput): the
enterprise fills its own, officers (zone admin, staff, platform admin) any enterprise of their
zone; leaders and the province read. Validated field by field with Chinese messages, one
transaction, audited; a stale version answers 409.

    save_assessment_input(actor, enterprise, year, *, version=None, **fields) -> AssessmentInput

Only the fields given change (None clears one). Who may read: `enterprise_for(actor, pk)`;
who may write: `can_enter(actor, enterprise)`.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core.clock import today
from gaoxin.core.errors import Forbidden
from gaoxin.core.models.access import ADD, VIEW, can_in_zone
from gaoxin.core.records import check_version
from gaoxin.enterprises.models import Enterprise

from .models import AssessmentInput
from .services import common

FIRST_YEAR = 1990
MAX_PEOPLE = 10_000_000
MAX_CONVERSIONS = 100_000
MONEY_FIELDS = ("total_income", "hightech_income", "net_assets_1", "net_assets_2", "net_assets_3")
FLAG_FIELDS = ("core_ip", "no_major_incident", "ip_own_rd", "leads_standard")
COUNT_FIELDS = {
    "staff": MAX_PEOPLE, "st_staff": MAX_PEOPLE, "conversions_1": MAX_CONVERSIONS,
    "conversions_2": MAX_CONVERSIONS, "conversions_3": MAX_CONVERSIONS,
}  # fmt: skip
POINT_FIELDS = {
    "ip_advancement": 8, "ip_support": 8, "rd_accounting": 6, "rd_institution": 6,
    "conversion_platform": 4, "talent_training": 4,
}  # fmt: skip
SHARE_FIELD = "rd_in_china_share"
FIELDS = (*MONEY_FIELDS, *FLAG_FIELDS, *COUNT_FIELDS, *POINT_FIELDS, SHARE_FIELD)


def label(name) -> str:
    return str(AssessmentInput._meta.get_field(name).verbose_name)


def enterprise_for(actor, enterprise) -> Enterprise:
    """The (not deleted) enterprise `enterprise` (object or pk) if `actor` sees it; else
    Enterprise.DoesNotExist (404)."""
    pk = getattr(enterprise, "pk", enterprise)
    if str(pk).isdigit() and int(pk) < 2**63:
        found = (
            Enterprise.objects.restrict(actor, VIEW)
            .filter(pk=pk, is_deleted=False)
            .select_related("zone")
            .first()
        )
        if found is not None:
            return found
    raise Enterprise.DoesNotExist(_("未找到该企业"))


def can_enter(actor, enterprise) -> bool:
    """Officers of the enterprise's zone, or the enterprise's own users."""
    if can_in_zone(actor, AssessmentInput, enterprise.zone, ADD):
        return True
    return bool(actor and actor.is_authenticated) and enterprise.pk in actor.own_enterprise_ids()


def application_year(value) -> int:
    """An application year: 1990 … next year."""
    return common.integer(
        value, "year", _("申报年度"), low=FIRST_YEAR, high=today().year + 1, required=True
    )


def flag(value, name):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    raise ValidationError({name: _("%(l)s应为是或否") % {"l": label(name)}})


def share(value):
    if value in (None, ""):
        return None
    try:
        number = None if isinstance(value, bool) else Decimal(str(value).strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not 0 <= number <= 100:
        raise ValidationError({SHARE_FIELD: _("境内研发费用占比应为 0 至 100 之间的百分数")})
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError({SHARE_FIELD: _("境内研发费用占比最多保留两位小数")})
    return number


def clean_value(name, value):
    if name in MONEY_FIELDS:
        return common.amount(value, name)
    if name in FLAG_FIELDS:
        return flag(value, name)
    if name in COUNT_FIELDS:
        return common.integer(value, name, label(name), low=0, high=COUNT_FIELDS[name],
                              required=False)  # fmt: skip
    if name in POINT_FIELDS:
        return common.integer(value, name, label(name), low=0, high=POINT_FIELDS[name],
                              required=False)  # fmt: skip
    return share(value)


def check_together(values: dict) -> None:
    """What the fields say together: parts within their wholes."""
    staff, st = values.get("staff"), values.get("st_staff")
    if staff is not None and st is not None and st > staff:
        raise ValidationError({"st_staff": _("科技人员数不能超过职工总数")})
    total, hightech = values.get("total_income"), values.get("hightech_income")
    if total is not None and hightech is not None and hightech > total:
        raise ValidationError({"hightech_income": _("高新技术产品(服务)收入不能超过总收入")})


@transaction.atomic
def save_assessment_input(actor, enterprise, year, *, version=None, **fields) -> AssessmentInput:
    """Enter (or change) the figures of `enterprise` for application `year`; only the fields
    given change. 404 when the enterprise is not visible, 403 when it is but `actor` may not
    enter for it, 409 on a stale `version`."""
    enterprise = enterprise_for(actor, enterprise)
    if not can_enter(actor, enterprise):
        raise Forbidden(_("无权填报该企业的高企自评"))
    year = application_year(year)
    common.check_fields(fields, FIELDS)
    values = {name: clean_value(name, value) for name, value in fields.items()}
    who = {"entered_by": actor, "entered_by_name": common_name(actor)}
    existing = (
        AssessmentInput.objects.select_for_update().filter(enterprise=enterprise, year=year).first()
    )
    duplicate = _("该企业 %(y)s 年度的自评填报已存在,请刷新后修改") % {"y": year}
    if existing is None:
        check_together(values)
        obj = AssessmentInput(zone_id=enterprise.zone_id, enterprise=enterprise, year=year,
                              **values, **who)  # fmt: skip
        return common.save_new(actor, obj, duplicate)
    check_version(existing, version)  # a stale save answers 409 before anything else
    check_together(common.current_values(existing, FIELDS) | values)
    if all(getattr(existing, k) == v for k, v in values.items()):
        values, who = {}, {}  # nothing changes: not even who entered it last
    return common.save_changes(actor, existing, values | who, version=version,
                               duplicate_message=duplicate)  # fmt: skip


def common_name(actor) -> str:
    return getattr(actor, "display_name", "") or getattr(actor, "username", "") or ""
