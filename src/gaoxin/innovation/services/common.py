"""What every innovation write shares: the access checks, the validation of values (Chinese
messages naming the field), the audited create / update / remove."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.clock import today
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import CHANGE, VIEW, can_in_zone
from gaoxin.core.records import check_version, refuse_in_zone
from gaoxin.enterprises.models import Enterprise

from ..models import Source

MAX_WAN = Decimal("999999999999")  # MONEY holds 12 integral digits (万元)
NOTE_MAX = 200
REASON_MAX = 200
FIRST_YEAR, MAX_COUNT = 1985, 1_000_000
MAX_PK = 2**63 - 1  # a larger id would overflow the database driver


def pk_of(value) -> int | None:
    """The id `value` (an object or an id) names, or None when no row can have it."""
    pk = getattr(value, "pk", value)
    if isinstance(pk, bool) or not str(pk).isdigit() or not 0 < int(pk) <= MAX_PK:
        return None
    return int(pk)


def zone_id(zone):
    return getattr(zone, "pk", zone)


def require(actor, model, zone, action, message=None) -> None:
    """`actor` may do `action` on `model` across `zone`: else 404 when the zone is not visible,
    403 with the reason when it is (enterprise users only read their own records)."""
    if not can_in_zone(actor, model, zone, action):
        refuse_in_zone(actor, zone, message or _("无权登记科技创新记录"))


def lock(actor, model, obj, action=CHANGE):
    """The row, locked for update, if `actor` may do `action` to it: DoesNotExist (404) when not
    visible, Forbidden (403) when visible but not allowed."""
    pk = pk_of(obj)
    if pk is None or not model.objects.restrict(actor, VIEW).filter(pk=pk).exists():
        raise model.DoesNotExist(_("未找到该记录"))
    if not model.objects.restrict(actor, action).filter(pk=pk).exists():
        raise Forbidden(_("无权修改该记录") if action == CHANGE else _("无权删除该记录"))
    return model.objects.select_for_update().select_related("zone").get(pk=pk)


def enterprise_in(actor, zone, value, field="enterprise") -> Enterprise:
    """The zone's (not deleted) enterprise `value` (object or pk) names, visible to `actor`."""
    if value in (None, ""):
        raise ValidationError({field: _("请选择企业")})
    pk = pk_of(value)
    found = None
    if pk is not None:
        found = (
            Enterprise.objects.restrict(actor, VIEW)
            .filter(pk=pk, zone_id=zone_id(zone), is_deleted=False)
            .first()
        )
    if found is None:
        raise ValidationError({field: _("企业不存在或不属于本园区")})
    return found


def text(value, field, label, limit, *, required=None) -> str:
    """`value` trimmed; `required` is the message when empty; never cut, refused when too long."""
    value = "" if value is None else str(value).strip()
    if "\x00" in value:
        raise ValidationError({field: _("%(l)s含有空字符,请删除后重试") % {"l": label}})
    if not value and required:
        raise ValidationError({field: required})
    if len(value) > limit:
        raise ValidationError(
            {field: _("%(l)s不能超过 %(max)s 个字(现为 %(n)s 个字)") % {
                "l": label, "max": limit, "n": len(value)}}
        )  # fmt: skip
    return value


def note(value) -> str:
    return text(value, "note", _("备注"), NOTE_MAX)


def choice(value, choices, field, message):
    """One of a TextChoices' values, else `message`."""
    if value not in choices.values:
        raise ValidationError({field: message})
    return choices(value)


def source(value) -> str:
    return choice(value or Source.ENTERED, Source, "source", _("来源应为录入或导入"))


def date(value, field, label, *, required=True, past=True) -> datetime.date | None:
    """A date (a `date` or YYYY-MM-DD); `past`: a fact, so not after today."""
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("请填写%(l)s") % {"l": label}})
        return None
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise ValidationError({field: _("%(l)s格式应为 YYYY-MM-DD") % {"l": label}})
    if past and value > today():
        raise ValidationError({field: _("%(l)s不能晚于今天") % {"l": label}})
    return value


def integer(value, field, label, *, low, high, required=True) -> int | None:
    """An integer low..high; booleans and fractions are refused."""
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("请填写%(l)s") % {"l": label}})
        return None
    try:
        number = None if isinstance(value, bool) else int(str(value).strip())
    except ValueError:
        number = None
    if number is None:
        raise ValidationError({field: _("%(l)s应为整数") % {"l": label}})
    if not low <= number <= high:
        raise ValidationError(
            {field: _("%(l)s应在 %(a)s 至 %(b)s 之间") % {"l": label, "a": low, "b": high}}
        )
    return number


def year(value, field="year", label=None, *, required=True) -> int | None:
    """A year that has begun (1985 … this year)."""
    return integer(
        value, field, label or _("年度"), low=FIRST_YEAR, high=today().year, required=required
    )


def amount(value, field="amount") -> Decimal | None:
    """An optional amount in 万元: ≥ 0, at most four decimals, within what the column holds."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or isinstance(value, bool):
        raise ValidationError({field: _("请填写金额(万元),如 12.5")})
    if number < 0:
        raise ValidationError({field: _("金额不能为负数")})
    if number > MAX_WAN:
        raise ValidationError({field: _("金额过大,请确认单位为万元")})
    if number != number.quantize(Decimal("0.0001")):
        raise ValidationError({field: _("金额最多保留四位小数(万元)")})
    return number


def on_field(field, check, value):
    """`check(value)`, its field-less ValidationError put on `field`."""
    try:
        return check(value)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise ValidationError({field: exc.messages}) from None


def check_fields(fields: dict, allowed) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationError({f: _("不可修改的字段") for f in unknown})


def current_values(obj, names) -> dict:
    """The record's current values of `names` (foreign keys as objects), to merge changes into."""
    return {n: getattr(obj, n) for n in names}


def save_new(actor, obj, duplicate_message: str):
    """Insert `obj` and audit it; a unique clash from a concurrent insert answers
    `duplicate_message` (field-less) instead of a 500."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ValidationError(duplicate_message) from None
    audit.record(actor, AuditRecord.Action.CREATE, obj, after=audit.snapshot(obj))
    return obj


def save_changes(actor, obj, values: dict, *, version=None, duplicate_message: str):
    """Apply `values` (already validated) to the locked `obj`: the stale-version check first, no
    new version or audit record when nothing changed."""
    if hasattr(obj, "version"):
        check_version(obj, version)
    before = audit.snapshot(obj)
    for key, value in values.items():
        setattr(obj, key, value)
    after = audit.snapshot(obj)
    if after == before:
        return obj
    if hasattr(obj, "version"):
        obj.version += 1
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ValidationError(duplicate_message) from None
    audit.record(actor, AuditRecord.Action.UPDATE, obj, before=before, after=audit.snapshot(obj))
    return obj
