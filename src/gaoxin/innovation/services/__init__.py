"""Every write to the innovation records goes through here: pages, API, importers and the demo.

Each function runs in one transaction, checks access (officers keep the records; enterprise users
only read their own and fill their pre-assessment, `assessment`), validates with Chinese messages
naming the field and writes the audit record. A record is removed with a reason, kept in the
audit record; a certification write re-derives the enterprise's high-tech flag (`flags`)."""

from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import DELETE

from ..models import (
    Certification,
    CertKind,
    CloudAdoption,
    Cooperation,
    Patent,
    Platform,
    SoftwareCopyright,
    Talent,
)
from . import common
from .capacity import (
    add_cloud,
    add_cooperation,
    add_platform,
    add_talent,
    update_cloud,
    update_cooperation,
    update_platform,
    update_talent,
)
from .certifications import (
    add_certification,
    add_title,
    expiry,
    file_annual_report,
    report_due,
    save_target,
    update_certification,
)
from .flags import holding, sync_enterprise_flag, sync_high_tech_flags, valid_on
from .ip import add_copyright, add_patent, update_copyright, update_patent

# The records `remove_record` takes (targets and titles are the zone's settings, kept by admins).
REMOVABLE = (Certification, Patent, SoftwareCopyright, Platform, Talent, Cooperation, CloudAdoption)


@transaction.atomic
def remove_record(actor, obj, *, reason) -> None:
    """Remove a record entered by mistake (zone admins); the reason and its values stay in the
    audit record. Removing a high-tech certificate re-derives the enterprise's flag."""
    model = type(obj)
    if model not in REMOVABLE:
        raise ValueError(model)
    obj = common.lock(actor, model, obj, DELETE)
    reason = common.text(
        reason, "reason", _("删除原因"), common.REASON_MAX, required=_("删除须说明原因")
    )
    audit.record(actor, AuditRecord.Action.DELETE, obj, before=audit.snapshot(obj), message=reason)
    enterprise_id = obj.enterprise_id
    hightech = model is Certification and obj.kind == CertKind.HIGHTECH
    obj.delete()
    if hightech:
        sync_enterprise_flag(enterprise_id)


__all__ = [
    "add_certification",
    "add_cloud",
    "add_cooperation",
    "add_copyright",
    "add_patent",
    "add_platform",
    "add_talent",
    "add_title",
    "expiry",
    "file_annual_report",
    "holding",
    "remove_record",
    "report_due",
    "save_target",
    "sync_enterprise_flag",
    "sync_high_tech_flags",
    "update_certification",
    "update_cloud",
    "update_cooperation",
    "update_copyright",
    "update_patent",
    "update_platform",
    "update_talent",
    "valid_on",
]
