"""What every versioned, soft-deleted business record shares (enterprises, projects, ...): the
stale-version check and the audited soft delete with a reason; and the refusal of a zone-wide
write. Services call these inside their own transaction, after (or as) their access check."""

from typing import NoReturn

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .errors import Forbidden, StaleVersion
from .models import AuditRecord, Zone
from .models.records import DELETED_REASON_MAX
from .zones import visible_zones


def refuse_in_zone(actor, zone, message: str) -> NoReturn:
    """Refuse a zone-wide write (adding to a zone, setting its deadline, its campaigns ...):
    Zone.DoesNotExist (404) when `actor` cannot see the zone at all, else Forbidden with
    `message`, the reason (403)."""
    if not visible_zones(actor).filter(pk=getattr(zone, "pk", zone)).exists():
        raise Zone.DoesNotExist(_("未找到该园区"))
    raise Forbidden(message)


def check_version(obj, version) -> None:
    """A save that began from another version than the stored one answers 409, losing nothing."""
    if version is not None and int(version) != obj.version:
        raise StaleVersion(obj.version)


def soft_delete(actor, obj, reason: str, *, reason_required: str):
    """Mark `obj` deleted with the reason, bump its version and audit it; without a reason,
    `reason_required` is the message."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": reason_required})
    if len(reason) > DELETED_REASON_MAX:
        raise ValidationError(
            {
                "reason": _("删除理由最多 %(n)s 个字,现为 %(m)s 个字")
                % {"n": DELETED_REASON_MAX, "m": len(reason)}
            }
        )
    before = audit.snapshot(obj)
    obj.is_deleted, obj.deleted_reason = True, reason
    obj.deleted_at = timezone.now()
    obj.version += 1
    obj.save()
    audit.record(
        actor,
        AuditRecord.Action.DELETE,
        obj,
        before=before,
        after=audit.snapshot(obj),
        message=reason,
    )
    return obj
