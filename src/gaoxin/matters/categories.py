"""The zone's matter categories (分类与时限): zone admins change a category's service level,
default department, name, order and whether it is in use, and add their own. Audited."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord, Department
from gaoxin.core.models.access import ADD, CHANGE, can_in_zone

from . import catalogue
from .models import Category, Kind
from .services import clean_text, in_zone

FIELDS = ("name", "service_days", "department", "order", "is_active")


def may_edit(actor, zone) -> bool:
    return can_in_zone(actor, Category, zone, CHANGE)


def _clean(zone, data: dict, *, kind: str, exclude=None) -> dict:
    out = {}
    if "name" in data:
        name = clean_text(data["name"], "name", _("分类名称"), 50, required=_("请填写分类名称"))
        same = Category.objects.filter(zone=zone, kind=kind, name=name)
        if exclude is not None:
            same = same.exclude(pk=exclude.pk)
        if same.exists():
            raise ValidationError({"name": _("本类型下已有同名分类“%(n)s”") % {"n": name}})
        out["name"] = name
    if "service_days" in data:
        days = data["service_days"]
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
            raise ValidationError({"service_days": _("办理时限应为 1 到 365 个工作日")})
        out["service_days"] = days
    if "department" in data:
        message = _("部门不存在或不属于本园区")
        out["department"] = in_zone(Department, data["department"], zone, "department", message)
    if "order" in data:
        order = data["order"] or 0
        if not isinstance(order, int) or not 0 <= order <= 999:
            raise ValidationError({"order": _("排序应为 0 到 999 的整数")})
        out["order"] = order
    if "is_active" in data:
        out["is_active"] = bool(data["is_active"])
    return out


@transaction.atomic
def update_category(actor, category, **data) -> Category:
    category = Category.objects.select_for_update().get(pk=getattr(category, "pk", category))
    if not may_edit(actor, category.zone):
        raise Forbidden(_("只有园区管理员可以修改分类与时限"))
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationError({f: _("不可修改的字段") for f in sorted(unknown)})
    changes = _clean(category.zone, data, kind=category.kind, exclude=category)
    before = audit.snapshot(category)
    for field, value in changes.items():
        setattr(category, field, value)
    after = audit.snapshot(category)
    if after == before:
        return category
    category.save()
    audit.record(actor, AuditRecord.Action.UPDATE, category, before=before, after=after)
    return category


def _code(zone, kind) -> str:
    taken = set(Category.objects.filter(zone=zone, kind=kind).values_list("code", flat=True))
    numbers = [int(m.group(1)) for c in taken if (m := re.fullmatch(r"zone-(\d+)", c))]
    return f"zone-{max(numbers, default=0) + 1}"


@transaction.atomic
def create_category(actor, zone, *, kind, name, service_days, department=None, order=0,
                    is_active=True) -> Category:  # fmt: skip
    """A zone's own category of `kind` (its code is generated: zone-1, zone-2...)."""
    if not can_in_zone(actor, Category, zone, ADD) or not may_edit(actor, zone):
        raise Forbidden(_("只有园区管理员可以添加分类"))
    if kind not in Kind.values:
        raise ValidationError({"kind": _("请选择事项类型")})
    catalogue.ensure_categories(zone)
    data = {"name": name, "service_days": service_days, "department": department,
            "order": order, "is_active": is_active}  # fmt: skip
    changes = _clean(zone, data, kind=kind)
    category = Category.objects.create(zone=zone, kind=kind, code=_code(zone, kind), **changes)
    audit.record(actor, AuditRecord.Action.CREATE, category, after=audit.snapshot(category))
    return category
