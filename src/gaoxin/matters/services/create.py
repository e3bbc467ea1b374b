"""Raising a matter: its kind's rules, the department it is routed to, its due date by the service
level, and its number (BF-2026-0001)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.clock import today
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord, Department
from gaoxin.core.models.access import ADD, can_in_zone
from gaoxin.core.numbering import next_number
from gaoxin.core.workdays import add_working_days
from gaoxin.enterprises.models import Enterprise

from .. import catalogue, notices
from ..models import (
    KIND_PREFIX,
    KIND_SERVICE_DAYS,
    Channel,
    Kind,
    Matter,
    Meeting,
    Priority,
    ServiceMode,
    Status,
    WorkingGroup,
)
from .common import (
    EventType,
    actor_name,
    add_event,
    category_of,
    choice,
    clean_text,
    department_of,
    enterprise_of,
    in_zone,
    person,
    project_in_zone,
)

# Officers may create matters of any kind; enterprises raise help requests (and visit follow-ups
# are the officers' own).
ENTERPRISE_KINDS = (Kind.HELP,)
TITLE_MAX, DESCRIPTION_MAX, CONTACT_MAX = 100, 5000, 100


def service_days(kind, category=None) -> int:
    return category.service_days if category else KIND_SERVICE_DAYS[Kind(kind)]


def default_due(kind, category=None, start: datetime.date | None = None) -> datetime.date:
    """The due date a service level gives: so many working days after `start` (today)."""
    return add_working_days(start or today(), service_days(kind, category))


def route(zone, kind, category, enterprise) -> Department | None:
    """The department a new matter goes to: its category's department, else the department
    leading the enterprise's support working group (help requests), else none (the zone's admins
    assign it)."""
    if category is not None and category.department_id:
        return category.department
    if enterprise is not None and kind == Kind.HELP:
        group = (
            WorkingGroup.objects.filter(zone=zone, enterprises=enterprise, department__isnull=False)
            .select_related("department")
            .first()
        )
        if group is not None:
            return group.department
    return None


def _number(zone_id, kind) -> str:
    """The next number of its kind in the zone this year: BF-2026-0001. Call it last in the
    creating transaction: it locks the series until that transaction ends (core.numbering)."""
    series = f"{KIND_PREFIX[Kind(kind)]}-{today().year}"
    seq = next_number(zone_id, series, start=lambda: _highest(zone_id, series))
    return f"{series}-{seq:04d}"


def _highest(zone_id, series) -> int:
    """The highest number stored in a series (matters numbered before core.numbering); longest
    first, since BF-2026-10000 sorts before BF-2026-9999 as text."""
    last = (
        Matter.objects.filter(zone_id=zone_id, number__startswith=f"{series}-")
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    return int(last.rsplit("-", 1)[1]) if last else 0


def clean_title(value) -> str:
    return clean_text(value, "title", _("标题"), TITLE_MAX, required=_("请填写标题"))


def clean_description(value) -> str:
    return clean_text(value, "description", _("详细情况"), DESCRIPTION_MAX)


def clean_contact(value) -> str:
    return clean_text(value, "contact", _("联系人及电话"), CONTACT_MAX)


@transaction.atomic
def create_matter(
    actor,
    zone,
    *,
    kind,
    title,
    description="",
    category=None,
    enterprise=None,
    project=None,
    channel=None,
    department=None,
    officer=None,
    helpers=(),
    priority=None,
    due_on=None,
    service_mode=None,
    contact="",
    meeting=None,
    working_group=None,
    finding=None,
    visible_to_enterprise=None,
) -> Matter:
    """Raise a matter. Enterprise users raise help requests for their own enterprise, routed to a
    department by `route()`; officers raise any kind and may name the owner and the due date."""
    kind = choice(kind, Kind, "kind", None)
    if kind is None:
        raise ValidationError({"kind": _("请选择事项类型")})
    own = enterprise_of(actor) if actor.is_enterprise_only() else None
    if own is not None:
        if kind not in ENTERPRISE_KINDS:
            raise Forbidden(_("企业用户只能提交帮扶诉求"))
        zone, enterprise, channel = own.zone, own, Channel.PLATFORM
        department = officer = due_on = meeting = working_group = finding = None
        helpers, priority, visible_to_enterprise = (), None, True
    if not can_in_zone(actor, Matter, zone, ADD) and own is None:
        raise Forbidden(_("无权在该园区登记事项"))
    catalogue.ensure_categories(zone)
    category = category_of(category, zone, kind)
    if kind == Kind.HELP and category is None:
        raise ValidationError({"category": _("请选择帮扶措施类别")})
    enterprise = in_zone(Enterprise, enterprise, zone, "enterprise", _("企业不存在或不属于本园区"))
    if enterprise is not None and enterprise.is_deleted:
        raise ValidationError({"enterprise": _("企业不存在或不属于本园区")})
    project = project_in_zone(project, zone)
    if kind == Kind.AGENCY and project is None:
        raise ValidationError({"project": _("项目代办须关联投资项目")})
    if kind in (Kind.HELP, Kind.DATA_QUERY, Kind.VISIT) and enterprise is None:
        raise ValidationError({"enterprise": _("请选择企业")})
    if kind == Kind.SCHEDULING and project is None and enterprise is None:
        raise ValidationError({"project": _("调度问题须关联项目或企业")})
    department = in_zone(Department, department, zone, "department", _("部门不存在或不属于本园区"))
    meeting = in_zone(Meeting, meeting, zone, "meeting", _("调度会不存在或不属于本园区"))
    working_group = in_zone(
        WorkingGroup, working_group, zone, "working_group", _("帮扶工作组不存在或不属于本园区")
    )
    officer = person(officer, zone, "officer")
    helper_users = [person(h, zone, "helpers") for h in helpers or ()]
    if due_on is not None and (not isinstance(due_on, datetime.date) or due_on < today()):
        raise ValidationError({"due_on": _("办理期限应为今天或以后的日期")})
    if department is None:
        department = route(zone, kind, category, enterprise)
    if department is None and officer is not None:
        department = department_of(officer, zone)
    if department is None and own is None:  # staff raise matters for their own department
        department = department_of(actor, zone)
    if visible_to_enterprise is None:
        visible_to_enterprise = kind != Kind.SCHEDULING
    title, description = clean_title(title), clean_description(description)
    contact = clean_contact(contact)
    matter = Matter(
        zone_id=getattr(zone, "pk", zone),
        kind=kind,
        category=category,
        title=title,
        description=description,
        enterprise=enterprise,
        project=project,
        finding=finding,
        meeting=meeting,
        working_group=working_group,
        channel=choice(channel, Channel, "channel", Channel.PLATFORM),
        raised_by=actor if getattr(actor, "pk", None) else None,
        raised_by_name=actor_name(actor),
        contact=contact,
        department=department,
        officer=officer,
        priority=choice(priority, Priority, "priority", Priority.NORMAL),
        service_mode=choice(service_mode, ServiceMode, "service_mode", ServiceMode.REGULAR),
        due_on=due_on or default_due(kind, category),
        status=Status.ASSIGNED if officer else Status.OPEN,
        visible_to_enterprise=bool(visible_to_enterprise),
    )
    matter.number = _number(matter.zone_id, kind)  # last: a refused matter burns no number
    matter.save()
    if helper_users:
        matter.helpers.set(helper_users)
    add_event(actor, matter, EventType.CREATED, matter.description, to_status=matter.status)
    audit.record(actor, AuditRecord.Action.CREATE, matter, after=audit.snapshot(matter))
    notices.on_new(matter, actor)
    return matter
