"""Every write to the enterprise registry goes through here: pages, API, importer and CLI alike.

Each function runs in one transaction, checks access through `restrict()`, validates with the
model's rules, bumps the version and writes the audit record.
"""

import datetime

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core import audit, clock
from gaoxin.core.codes import normalize_phone, phone_problem
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord, Industry, Tag
from gaoxin.core.models.access import can_add
from gaoxin.core.records import check_version, soft_delete
from gaoxin.core.roles import ADMINS

from . import derived, regrouping
from .models import Contact, Enterprise, Status, StatusChange

# Fields kept by services (status has its own dated history; zone never changes by edit).
EDITABLE_FIELDS = (
    "name",
    "uscc",
    "uscc_override_reason",
    "legal_representative",
    "registered_capital",
    "established_on",
    "industry",
    "address",
    "scale",
    "above_scale",
    "above_scale_since",
    "high_tech",
    "tags",
)
STATUS_NOTE_MAX = StatusChange._meta.get_field("note").max_length


def is_admin(actor) -> bool:
    return bool(actor.roles() & ADMINS)


def resolve_industry(value) -> Industry | None:
    if value is None or isinstance(value, Industry):
        return value
    code = str(value).strip()
    industry = Industry.objects.filter(pk=code).first()
    if industry is None:
        raise ValidationError(
            {"industry": _("行业代码 %(c)s 不存在于 GB/T 4754-2017") % {"c": code}}
        )
    return industry


def resolve_tags(zone, values) -> list[Tag]:
    names = [getattr(v, "name", v) for v in values or []]
    names = [str(n).strip() for n in names if str(n).strip()]
    tags = {t.name: t for t in Tag.objects.filter(zone=zone, name__in=names)}
    unknown = [n for n in names if n not in tags]
    if unknown:
        known = "、".join(Tag.objects.filter(zone=zone).values_list("name", flat=True)) or "无"
        raise ValidationError(
            {
                "tags": _("标签 %(t)s 未在本园区定义(可选:%(k)s)")
                % {"t": "、".join(unknown), "k": known}
            }
        )
    return [tags[n] for n in dict.fromkeys(names)]


def uscc_taken_message(actor, holder: Enterprise) -> str:
    """Why a code cannot be registered again: the holder is named only to someone who may see
    it, so the message never reveals another zone's (or province's) enterprise."""
    if actor is not None and Enterprise.objects.restrict(actor).filter(pk=holder.pk).exists():
        return _("统一社会信用代码 %(u)s 已被「%(n)s」(%(z)s)使用") % {
            "u": holder.uscc,
            "n": holder.name,
            "z": holder.zone,
        }
    return _("统一社会信用代码 %(u)s 已在平台登记,不能重复登记") % {"u": holder.uscc}


def duplicate_uscc_error(actor, uscc: str, exclude_pk=None) -> str | None:
    other = Enterprise.objects.active().filter(uscc=uscc).exclude(pk=exclude_pk)
    other = other.select_related("zone").first()
    return None if other is None else uscc_taken_message(actor, other)


def validate(enterprise: Enterprise, *, actor=None, check_unique: bool = True) -> None:
    """The registry's rules for one record; raises ValidationError keyed by field name. `actor`
    decides whether a duplicate code's holder may be named."""
    errors = {}
    for field in enterprise._meta.concrete_fields:
        value = getattr(enterprise, field.attname)
        if isinstance(value, str) and "\x00" in value:  # PostgreSQL cannot store NUL
            errors[field.name] = [_("含有不可见的空字符(NUL),请删除后重试")]
    try:
        enterprise.clean_fields(exclude={"zone", "industry", "tags", *errors})
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not enterprise.industry_id:
        errors.setdefault("industry", [_("请选择国民经济行业(4 位小类)")])
    try:
        enterprise.clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    since, established = enterprise.above_scale_since, enterprise.established_on
    dated = isinstance(since, datetime.date) and isinstance(established, datetime.date)
    if dated and since < established and "above_scale_since" not in errors:
        errors["above_scale_since"] = [
            _("入规日期(%(s)s)不能早于成立日期(%(e)s)") % {"s": since, "e": established}
        ]
    if check_unique and "uscc" not in errors:
        dup = duplicate_uscc_error(actor, enterprise.uscc, enterprise.pk)
        if dup:
            errors["uscc"] = [dup]
    if errors:
        raise ValidationError(errors)


def _check_override(actor, data: dict) -> None:
    if data.get("uscc_override_reason") and not is_admin(actor):
        raise ValidationError({"uscc_override_reason": _("只有管理员可以登记校验例外")})


def get_for(actor, pk, action: str) -> Enterprise:
    """The enterprise `pk` if `actor` may do `action` to it; missing and forbidden look the same."""
    try:
        return Enterprise.objects.restrict(actor, action).active().get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Enterprise.DoesNotExist(_("未找到该企业")) from None


@transaction.atomic
def create_enterprise(
    actor, zone, *, contacts=(), status=Status.OPERATING, status_since=None, **data
):
    if not can_add(actor, Enterprise, zone):
        raise Forbidden(_("无权在该园区登记企业"))
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({f: _("未知字段") for f in unknown})
    data = derived.refuse_typed(data)
    _check_override(actor, data)
    tags = resolve_tags(zone, data.pop("tags", []))
    data["industry"] = resolve_industry(data.get("industry"))
    enterprise = Enterprise(zone=zone, status=status, status_since=status_since, **data)
    validate(enterprise, actor=actor)
    enterprise.save()
    enterprise.tags.set(tags)
    Contact.objects.bulk_create(_contact_rows(enterprise, contacts))
    StatusChange.objects.create(
        zone=zone,
        enterprise=enterprise,
        status=status,
        on=status_since or clock.today(),
        note=_("登记入库"),
        actor_name=actor.username,
    )
    audit.record(actor, AuditRecord.Action.CREATE, enterprise, after=audit.snapshot(enterprise))
    return enterprise


def _lock(actor, enterprise_or_pk, action) -> Enterprise:
    pk = getattr(enterprise_or_pk, "pk", enterprise_or_pk)
    get_for(actor, pk, action)  # access check (404 when outside the actor's scope)
    return Enterprise.objects.select_for_update().get(pk=pk)


@transaction.atomic
def update_enterprise(
    actor, enterprise_or_pk, changes: dict, *, version=None, contacts=None
) -> Enterprise:
    """Apply `changes` (and replace the contacts when given) as one audited edit."""
    enterprise = _lock(actor, enterprise_or_pk, "change")
    check_version(enterprise, version)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({f: _("该字段不可修改") for f in unknown})
    changes = derived.refuse_typed(changes, enterprise)
    if actor.is_enterprise_only():
        locked = set(changes) - Enterprise.enterprise_editable
        if locked:
            raise Forbidden(_("企业用户只能修改地址和法定代表人"))
    _check_override(actor, changes)
    before = audit.snapshot(enterprise)
    changes = dict(changes)
    tags = resolve_tags(enterprise.zone, changes.pop("tags")) if "tags" in changes else None
    if "industry" in changes:
        changes["industry"] = resolve_industry(changes["industry"])
    for field, value in changes.items():
        setattr(enterprise, field, value)
    validate(enterprise, actor=actor)
    rows = _contact_rows(enterprise, contacts) if contacts is not None else None
    after = audit.snapshot(enterprise)
    if tags is not None:
        after["tags"] = sorted(t.name for t in tags)
    if rows is not None:
        before["contacts"] = _contact_lines(enterprise.contacts.all())
        after["contacts"] = _contact_lines(rows)
    if after == before:  # nothing changed: no new version, no audit record
        return enterprise
    enterprise.version += 1
    after["version"] = enterprise.version
    moved = tags is not None or bool(regrouping.GROUPING & set(changes))
    with regrouping.regrouping(enterprise.zone_id, [enterprise.pk] if moved else []):
        enterprise.save()
        if tags is not None:
            enterprise.tags.set(tags)
    if rows is not None:
        enterprise.contacts.all().delete()
        Contact.objects.bulk_create(rows)
    audit.record(actor, AuditRecord.Action.UPDATE, enterprise, before=before, after=after)
    return enterprise


@transaction.atomic
def change_status(
    actor, enterprise_or_pk, status: str, *, on: datetime.date, note="", version=None
):
    enterprise = _lock(actor, enterprise_or_pk, "change")
    if actor.is_enterprise_only():
        raise Forbidden(_("企业用户不能变更经营状态"))
    check_version(enterprise, version)
    errors = {}
    if status not in Status.values:
        errors["status"] = _("无效的经营状态 %(s)s") % {"s": status}
    if on > clock.today():
        errors["on"] = _("状态日期不能晚于今天")
    last = enterprise.status_changes.order_by("-on", "-id").first()
    if last and on < last.on:
        errors["on"] = _("状态日期不能早于上一次变更(%(d)s)") % {"d": last.on}
    if status == enterprise.status:
        errors["status"] = _("企业已是该状态")
    note = (note or "").strip()
    if len(note) > STATUS_NOTE_MAX:  # refused, never cut
        errors["note"] = _("说明不能超过 %(max)s 个字(现为 %(n)s 个字)") % {
            "max": STATUS_NOTE_MAX,
            "n": len(note),
        }
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(enterprise)
    enterprise.status, enterprise.status_since = status, on
    enterprise.version += 1
    enterprise.save(update_fields=["status", "status_since", "version", "updated_at"])
    StatusChange.objects.create(
        zone=enterprise.zone,
        enterprise=enterprise,
        status=status,
        on=on,
        note=note,
        actor_name=actor.username,
    )
    audit.record(
        actor,
        AuditRecord.Action.STATUS,
        enterprise,
        before=before,
        after=audit.snapshot(enterprise),
        message=note,
    )
    return enterprise


@transaction.atomic
def delete_enterprise(actor, enterprise_or_pk, *, reason: str, version=None) -> Enterprise:
    enterprise = _lock(actor, enterprise_or_pk, "delete")
    check_version(enterprise, version)
    return soft_delete(actor, enterprise, reason, reason_required=_("删除企业必须填写理由"))


def clean_phone(value) -> str:
    """A contact's phone as stored (half-width, no spaces), or ValidationError on `phone`: a
    mainland mobile, or a landline with its area code and an optional extension."""
    phone = normalize_phone(value)
    problem = phone_problem(phone)
    if problem:
        raise ValidationError({"phone": problem})
    return phone


def contact_errors(contact: Contact, *, exclude=()) -> dict[str, list[str]]:
    """Every rule of one contact (the model's fields and the phone), all at once; the contact's
    phone is normalised in place. Pages, API and importer check contacts with this."""
    errors = {}
    contact.phone = normalize_phone(contact.phone)
    problem = phone_problem(contact.phone)
    try:
        contact.clean_fields(
            exclude={"zone", "enterprise", *exclude, *(["phone"] if problem else [])}
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if problem:
        errors["phone"] = [problem]
    return errors


def _contact_rows(enterprise, contacts) -> list[Contact]:
    rows, errors = [], {}
    for i, c in enumerate(contacts):
        contact = Contact(zone=enterprise.zone, enterprise=enterprise, **c)
        for field, messages in contact_errors(contact).items():
            errors[f"contacts[{i}].{field}"] = messages
        rows.append(contact)
    if errors:
        raise ValidationError(errors)
    return rows


def _contact_lines(contacts) -> list[str]:
    return [" ".join(filter(None, [c.name, c.title, c.phone, c.email])) for c in contacts]


def check(actor, zone, data: dict, *, pk=None) -> dict[str, list[str]]:
    """Dry run for inline validation: the errors `data` would get, without writing anything."""
    data = dict(data)
    data.pop("tags", None)
    try:
        data["industry"] = resolve_industry(data.get("industry"))
        if pk is not None:
            enterprise = get_for(actor, pk, "change")
            for field, value in data.items():
                setattr(enterprise, field, value)
        else:
            enterprise = Enterprise(zone=zone, **data)
        validate(enterprise, actor=actor)
    except ValidationError as exc:
        return exc.message_dict
    return {}
