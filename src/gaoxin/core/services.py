"""Writes to the platform's own records (zone tags), audited like every other write."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .errors import Forbidden
from .models import AuditRecord, Tag
from .roles import ADMINS, PLATFORM_ADMIN, ZONE_ADMIN

TAG_ADMINS = ADMINS


def _require_tag_admin(actor, zone) -> None:
    allowed = any(
        m.role == PLATFORM_ADMIN or (m.role == ZONE_ADMIN and m.zone_id == zone.pk)
        for m in actor.memberships_cached()
    )
    if not allowed:
        raise Forbidden(_("只有园区管理员可以维护标签"))


@transaction.atomic
def create_tag(actor, zone, name: str, category: str = Tag.Category.INDUSTRY_CHAIN) -> Tag:
    _require_tag_admin(actor, zone)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("请填写标签名称")})
    if len(name) > 30:
        raise ValidationError({"name": _("标签名称不超过 30 个字")})
    if category not in Tag.Category.values:
        raise ValidationError({"category": _("无效的标签类别")})
    if Tag.objects.filter(zone=zone, name=name).exists():
        raise ValidationError({"name": _("本园区已有标签「%(n)s」") % {"n": name}})
    tag = Tag.objects.create(zone=zone, name=name, category=category)
    audit.record(actor, AuditRecord.Action.CREATE, tag, after=audit.snapshot(tag))
    return tag


@transaction.atomic
def delete_tag(actor, tag: Tag) -> None:
    """Removing a tag unlabels its enterprises (the audit record keeps what it was)."""
    _require_tag_admin(actor, tag.zone)
    before = audit.snapshot(tag)
    audit.record(actor, AuditRecord.Action.DELETE, tag, before=before)
    tag.delete()
