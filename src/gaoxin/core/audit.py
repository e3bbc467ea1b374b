"""Writing the audit trail. Services call `record()` inside their transaction."""

import datetime
import decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from . import context
from .models import AuditRecord


def _plain(value):
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj, fields=None) -> dict:
    """A JSON-safe copy of an object's field values (foreign keys as ids, m2m as sorted names)."""
    data = {}
    for field in obj._meta.concrete_fields:
        if fields and field.name not in fields:
            continue
        data[field.name] = _plain(getattr(obj, field.attname))
    for field in obj._meta.many_to_many:
        if fields and field.name not in fields:
            continue
        if obj.pk:
            data[field.name] = sorted(str(o) for o in getattr(obj, field.name).all())
    return data


def build(actor, action, obj=None, *, before=None, after=None, zone=None, message="", repr_=None):
    """An unsaved record, for bulk writes (imports); `record()` saves one."""
    if zone is None and obj is not None:
        zone_id = getattr(obj, "zone_id", None)
    else:
        zone_id = getattr(zone, "pk", zone)
    return AuditRecord(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or str(actor or ""),
        request_id=context.request_id.get(),
        ip=context.client_ip.get(),
        action=action,
        zone_id=zone_id,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(repr_ or (str(obj) if obj is not None else ""))[:200],
        before=before,
        after=after,
        message=message,
    )


def record(actor, action, obj=None, **kwargs) -> AuditRecord:
    rec = build(actor, action, obj, **kwargs)
    rec.save()
    return rec
