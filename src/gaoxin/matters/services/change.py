"""Changing a matter: its description (title, details, category, subject...), its owners
(department, officer, helpers) and its due date."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.clock import today
from gaoxin.core.models import AuditRecord, Department
from gaoxin.core.records import check_version
from gaoxin.enterprises.models import Enterprise

from .. import notices
from ..models import ACTIVE, Kind, Matter, Priority, ServiceMode, Status
from .common import (
    EventType,
    add_event,
    audit_change,
    category_of,
    choice,
    clean_text,
    in_zone,
    lock,
    person,
    project_in_zone,
    require_officer,
    save,
)
from .create import clean_contact, clean_description, clean_title

EDITABLE_FIELDS = (
    "title",
    "description",
    "category",
    "priority",
    "contact",
    "service_mode",
    "visible_to_enterprise",
    "project",
    "enterprise",
)
NOTE_MAX = 300  # an assignment's note
REASON_MAX = 300  # why the due date moves


@transaction.atomic
def update_matter(actor, matter, *, version, **fields) -> Matter:
    """Officers correct a matter's description: title, details, category, priority, subject..."""
    matter = lock(actor, matter)
    require_officer(actor, matter)
    check_version(matter, version)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({f: _("不可修改的字段") for f in sorted(unknown)})
    before = audit.snapshot(matter)
    if "title" in fields:
        matter.title = clean_title(fields["title"])
    if "description" in fields:
        matter.description = clean_description(fields["description"])
    if "category" in fields:
        matter.category = category_of(fields["category"], matter.zone, matter.kind)
        if matter.kind == Kind.HELP and matter.category is None:
            raise ValidationError({"category": _("请选择帮扶措施类别")})
    if "priority" in fields:
        matter.priority = choice(fields["priority"], Priority, "priority", Priority.NORMAL)
    if "service_mode" in fields:
        matter.service_mode = choice(
            fields["service_mode"], ServiceMode, "service_mode", ServiceMode.REGULAR
        )
    if "contact" in fields:
        matter.contact = clean_contact(fields["contact"])
    if "visible_to_enterprise" in fields:
        matter.visible_to_enterprise = bool(fields["visible_to_enterprise"])
    if "enterprise" in fields:
        matter.enterprise = in_zone(
            Enterprise,
            fields["enterprise"],
            matter.zone,
            "enterprise",
            _("企业不存在或不属于本园区"),
        )
    if "project" in fields:
        matter.project = project_in_zone(fields["project"], matter.zone)
    after = audit.snapshot(matter)
    changed = [field for field in after if after[field] != before.get(field)]
    if not changed:
        return matter
    save(matter, *changed)
    names = "、".join(str(Matter._meta.get_field(f).verbose_name) for f in changed)
    add_event(actor, matter, EventType.UPDATE, _("修改了:%(f)s") % {"f": names}, internal=True)
    audit_change(actor, AuditRecord.Action.UPDATE, matter, before)
    return matter


@transaction.atomic
def assign(actor, matter, *, version, department, officer=None, helpers=None, note="") -> Matter:
    """Hand a matter to a department and an officer (with helpers for 1+1+N). Zone staff may not
    hand a matter to another department unless they own it."""
    matter = lock(actor, matter)
    require_officer(actor, matter)
    check_version(matter, version)
    if matter.status not in ACTIVE:
        raise ValidationError(
            {"status": _("事项已%(s)s,不能分派") % {"s": matter.get_status_display()}}
        )
    department = in_zone(
        Department, department, matter.zone, "department", _("部门不存在或不属于本园区")
    )
    if department is None:
        raise ValidationError({"department": _("请选择责任部门")})
    officer = person(officer, matter.zone, "officer")
    note = clean_text(note, "note", _("分派说明"), NOTE_MAX)
    before = audit.snapshot(matter)
    matter.department, matter.officer = department, officer
    if officer is not None and matter.status == Status.OPEN:
        matter.status = Status.ASSIGNED
    save(matter, "department", "officer", "status")
    if helpers is not None:
        matter.helpers.set([person(h, matter.zone, "helpers") for h in helpers])
    names = "、".join(h.display_name for h in matter.helpers.all())
    text = _("责任部门:%(d)s;责任人:%(o)s") % {
        "d": department, "o": officer.display_name if officer else _("未指定"),
    }  # fmt: skip
    if names:
        text += _(";协办:%(h)s") % {"h": names}
    if note:
        text += "。" + note
    add_event(
        actor, matter, EventType.ASSIGN, text, before=before["status"], to_status=matter.status
    )
    audit_change(actor, AuditRecord.Action.UPDATE, matter, before, text)
    notices.on_assigned(matter, actor)
    return matter


@transaction.atomic
def change_due(actor, matter, *, version, due_on, reason) -> Matter:
    """Adjust the due date; the reason is required and kept on the timeline."""
    matter = lock(actor, matter)
    require_officer(actor, matter)
    check_version(matter, version)
    reason = clean_text(
        reason, "reason", _("调整原因"), REASON_MAX, required=_("调整办理期限须说明原因")
    )
    if not isinstance(due_on, datetime.date):
        raise ValidationError({"due_on": _("日期格式应为 YYYY-MM-DD")})
    if due_on < today():
        raise ValidationError({"due_on": _("办理期限应为今天或以后的日期")})
    if matter.status not in ACTIVE:
        raise ValidationError({"due_on": _("事项已办结,不能调整期限")})
    if due_on == matter.due_on:
        raise ValidationError({"due_on": _("新期限与原期限相同")})
    before = audit.snapshot(matter)
    old = matter.due_on
    matter.due_on = due_on
    # A new date starts the reminders afresh.
    matter.due_soon_notified_on = matter.overdue_notified_on = None
    save(matter, "due_on", "due_soon_notified_on", "overdue_notified_on")
    text = _("办理期限由 %(a)s 调整为 %(b)s:%(r)s") % {"a": old, "b": due_on, "r": reason}
    add_event(actor, matter, EventType.DUE, text)
    audit_change(actor, AuditRecord.Action.UPDATE, matter, before, text)
    return matter
