"""Every write to a matter goes through here: pages, API, the statistics query seam, the daily job
and the demo (DESIGN.md mechanism 3).

Each function runs in one transaction, checks access through `restrict()`, validates, bumps the
version, appends to the matter's timeline (`MatterEvent`), writes the audit record and sends its
notifications on commit (`notify`). The agency checklist, meetings and the help ledgers have
their own services modules (`agency`, `meetings`, `assistance`).
"""

import datetime

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord, Department, Membership, User
from gaoxin.core.models.access import ADD, CHANGE, VIEW, can_in_zone
from gaoxin.core.numbering import next_number
from gaoxin.core.records import check_version
from gaoxin.core.uploads import check_upload
from gaoxin.core.workdays import add_working_days
from gaoxin.enterprises.models import Enterprise

from . import catalogue, notify
from .models import (
    ACTIVE,
    KIND_PREFIX,
    KIND_SERVICE_DAYS,
    Category,
    Channel,
    Kind,
    Matter,
    MatterEvent,
    Meeting,
    Priority,
    ServiceMode,
    Status,
    WorkingGroup,
)

EventType = MatterEvent.Type
OFFICER_ROLES = ("zone_admin", "zone_staff", "zone_leader")
# Who may move a matter from one status to another (officers; the enterprise only as noted).
TRANSITIONS = {
    Status.OPEN: {Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED, Status.WITHDRAWN},
    Status.ASSIGNED: {Status.IN_PROGRESS, Status.RESOLVED, Status.WITHDRAWN},
    Status.IN_PROGRESS: {Status.RESOLVED, Status.WITHDRAWN},
    Status.REOPENED: {Status.IN_PROGRESS, Status.RESOLVED, Status.WITHDRAWN},
    Status.RESOLVED: {Status.CLOSED, Status.REOPENED},
    Status.CLOSED: {Status.REOPENED},
    Status.WITHDRAWN: set(),
}
# The enterprise withdraws its own request, or reopens it when the answer did not solve it.
ENTERPRISE_TRANSITIONS = {Status.WITHDRAWN, Status.REOPENED}
# Officers may create matters of any kind; enterprises raise help requests (and visit follow-ups
# are the officers' own).
ENTERPRISE_KINDS = (Kind.HELP,)
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


def today() -> datetime.date:
    return timezone.localdate()


# --- who is who --------------------------------------------------------------------------------


def is_officer(actor, zone) -> bool:
    """Officers of the zone handle matters: platform and zone admins, zone staff."""
    return can_in_zone(actor, Matter, zone, ADD) and not actor.is_enterprise_only()


def enterprise_of(actor) -> Enterprise | None:
    """The enterprise an enterprise user speaks for (None for officers)."""
    for m in actor.memberships_cached():
        if m.role == "enterprise_user":
            return m.enterprise
    return None


def zone_people(zone):
    """The zone's officers (admins, leaders, staff): who may own or help with a matter."""
    return (
        User.objects.filter(
            is_active=True, memberships__zone=zone, memberships__role__in=OFFICER_ROLES
        )
        .distinct()
        .order_by("username")
    )


# --- reading -----------------------------------------------------------------------------------


def get_for(actor, pk, action: str = VIEW, *, related=()) -> Matter:
    """The matter `pk` if `actor` may do `action` to it; missing and forbidden look the same."""
    try:
        return Matter.objects.restrict(actor, action).select_related(*related).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Matter.DoesNotExist(_("未找到该事项")) from None


def events_for(actor, matter):
    """The matter's timeline as `actor` may read it: enterprise users do not see internal notes."""
    events = matter.events.select_related("actor")
    if actor.is_enterprise_only():
        events = events.filter(internal=False)
    return events


def lock(actor, matter, action=CHANGE) -> Matter:
    """The matter locked for update if `actor` may do `action` to it: 404 when not visible, 403
    when visible but not changeable."""
    pk = getattr(matter, "pk", matter)
    if not Matter.objects.restrict(actor, VIEW).filter(pk=pk).exists():
        raise Matter.DoesNotExist(_("未找到该事项"))
    if not Matter.objects.restrict(actor, action).filter(pk=pk).exists():
        raise Forbidden(_("无权办理该事项"))
    return (
        Matter.objects.select_for_update(of=("self",)).select_related("zone", "category").get(pk=pk)
    )


def require_officer(actor, matter):
    if not is_officer(actor, matter.zone):
        raise Forbidden(_("只有园区工作人员可以办理事项"))


# --- validation --------------------------------------------------------------------------------


def in_zone(model, value, zone, field, message):
    """A reference by object or pk that must belong to `zone`."""
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    found = model.objects.filter(pk=pk, zone=zone).first() if str(pk).isdigit() else None
    if found is None:
        raise ValidationError({field: message})
    return found


def _person(value, zone, field):
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    if not str(pk).isdigit() or not zone_people(zone).filter(pk=pk).exists():
        raise ValidationError({field: _("应为本园区的工作人员")})
    return User.objects.get(pk=pk)


def project_in_zone(value, zone):
    from gaoxin.investment.models import Project

    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    found = (
        Project.objects.filter(pk=pk, zone=zone, is_deleted=False).first()
        if str(pk).isdigit()
        else None
    )
    if found is None:
        raise ValidationError({"project": _("项目不存在或不属于本园区")})
    return found


def _category(value, zone, kind):
    if value in (None, ""):
        return None
    found = in_zone(Category, value, zone, "category", _("分类不存在或不属于本园区"))
    if found.kind != kind:
        raise ValidationError(
            {"category": _("分类“%(c)s”不属于%(k)s") % {"c": found, "k": Kind(kind).label}}
        )
    if not found.is_active:
        raise ValidationError({"category": _("分类“%(c)s”已停用") % {"c": found}})
    return found


def _choice(value, choices, field, default):
    if value in (None, ""):
        return default
    if value not in choices.values:
        allowed = "、".join(f"{v}({label})" for v, label in choices.choices)
        raise ValidationError({field: _("取值应为 %(a)s 之一") % {"a": allowed}})
    return value


def required_text(value, field, message, limit):
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value[:limit]


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


def add_event(actor, matter, type_, text="", *, before=None, internal=False, **fields):
    return MatterEvent.objects.create(
        zone_id=matter.zone_id,
        matter=matter,
        type=type_,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "display_name", "") or getattr(actor, "username", "") or "",
        text=text,
        from_status=before or "",
        to_status=fields.pop("to_status", ""),
        internal=internal,
        **fields,
    )


def _audit(actor, action, matter, before, message=""):
    audit.record(
        actor, action, matter, before=before, after=audit.snapshot(matter), message=message[:500]
    )


def _save(matter, *fields):
    matter.version += 1
    matter.save(update_fields=[*fields, "version", "updated_at"])


# --- creating ----------------------------------------------------------------------------------


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
    kind = _choice(kind, Kind, "kind", None)
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
    category = _category(category, zone, kind)
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
    officer = _person(officer, zone, "officer")
    helper_users = [_person(h, zone, "helpers") for h in helpers or ()]
    if due_on is not None and (not isinstance(due_on, datetime.date) or due_on < today()):
        raise ValidationError({"due_on": _("办理期限应为今天或以后的日期")})
    if department is None:
        department = route(zone, kind, category, enterprise)
    if department is None and officer is not None:
        department = _department_of(officer, zone)
    if department is None and own is None:  # staff raise matters for their own department
        department = _department_of(actor, zone)
    if visible_to_enterprise is None:
        visible_to_enterprise = kind != Kind.SCHEDULING
    matter = Matter(
        zone_id=getattr(zone, "pk", zone),
        kind=kind,
        category=category,
        title=required_text(title, "title", _("请填写标题"), 100),
        description=(description or "").strip()[:5000],
        enterprise=enterprise,
        project=project,
        finding=finding,
        meeting=meeting,
        working_group=working_group,
        channel=_choice(channel, Channel, "channel", Channel.PLATFORM),
        raised_by=actor if getattr(actor, "pk", None) else None,
        raised_by_name=getattr(actor, "display_name", "") or getattr(actor, "username", ""),
        contact=(contact or "").strip()[:100],
        department=department,
        officer=officer,
        priority=_choice(priority, Priority, "priority", Priority.NORMAL),
        service_mode=_choice(service_mode, ServiceMode, "service_mode", ServiceMode.REGULAR),
        due_on=due_on or default_due(kind, category),
        status=Status.ASSIGNED if officer else Status.OPEN,
        visible_to_enterprise=bool(visible_to_enterprise),
    )
    matter.number = _number(matter.zone_id, kind)  # last: a refused matter burns no number
    matter.save()
    if helper_users:
        matter.helpers.set(helper_users)
    add_event(actor, matter, EventType.CREATED, matter.description[:500], to_status=matter.status)
    audit.record(actor, AuditRecord.Action.CREATE, matter, after=audit.snapshot(matter))
    notify.on_new(matter)
    return matter


def _department_of(user, zone):
    m = Membership.objects.filter(user=user, zone=zone, department__isnull=False).first()
    return m.department if m else None


# --- changing ----------------------------------------------------------------------------------


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
        matter.title = required_text(fields["title"], "title", _("请填写标题"), 100)
    if "description" in fields:
        matter.description = (fields["description"] or "").strip()[:5000]
    if "category" in fields:
        matter.category = _category(fields["category"], matter.zone, matter.kind)
        if matter.kind == Kind.HELP and matter.category is None:
            raise ValidationError({"category": _("请选择帮扶措施类别")})
    if "priority" in fields:
        matter.priority = _choice(fields["priority"], Priority, "priority", Priority.NORMAL)
    if "service_mode" in fields:
        matter.service_mode = _choice(
            fields["service_mode"], ServiceMode, "service_mode", ServiceMode.REGULAR
        )
    if "contact" in fields:
        matter.contact = (fields["contact"] or "").strip()[:100]
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
    _save(matter, *changed)
    add_event(actor, matter, EventType.UPDATE, _("修改了:%(f)s") % {"f": "、".join(
        str(Matter._meta.get_field(f).verbose_name) for f in changed)}, internal=True)  # fmt: skip
    _audit(actor, AuditRecord.Action.UPDATE, matter, before)
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
    officer = _person(officer, matter.zone, "officer")
    before = audit.snapshot(matter)
    matter.department, matter.officer = department, officer
    if officer is not None and matter.status == Status.OPEN:
        matter.status = Status.ASSIGNED
    _save(matter, "department", "officer", "status")
    if helpers is not None:
        matter.helpers.set([_person(h, matter.zone, "helpers") for h in helpers])
    names = "、".join(h.display_name for h in matter.helpers.all())
    text = _("责任部门:%(d)s;责任人:%(o)s") % {
        "d": department, "o": officer.display_name if officer else _("未指定"),
    }  # fmt: skip
    if names:
        text += _(";协办:%(h)s") % {"h": names}
    if (note or "").strip():
        text += "。" + note.strip()[:300]
    add_event(
        actor, matter, EventType.ASSIGN, text, before=before["status"], to_status=matter.status
    )
    _audit(actor, AuditRecord.Action.UPDATE, matter, before, text)
    notify.on_assigned(matter)
    return matter


@transaction.atomic
def change_due(actor, matter, *, version, due_on, reason) -> Matter:
    """Adjust the due date; the reason is required and kept on the timeline."""
    matter = lock(actor, matter)
    require_officer(actor, matter)
    check_version(matter, version)
    reason = required_text(reason, "reason", _("调整办理期限须说明原因"), 300)
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
    _save(matter, "due_on", "due_soon_notified_on", "overdue_notified_on")
    text = _("办理期限由 %(a)s 调整为 %(b)s:%(r)s") % {"a": old, "b": due_on, "r": reason}
    add_event(actor, matter, EventType.DUE, text)
    _audit(actor, AuditRecord.Action.UPDATE, matter, before, text)
    return matter


@transaction.atomic
def transition(actor, matter, to, *, version, text="") -> Matter:
    """Move a matter to status `to`. Resolving needs the resolution, reopening and withdrawing a
    reason. Enterprise users withdraw their own request or reopen it; officers do the rest."""
    matter = lock(actor, matter)
    check_version(matter, version)
    to = _choice(to, Status, "status", None)
    if to is None:
        raise ValidationError({"status": _("请选择目标状态")})
    if actor.is_enterprise_only():
        if to not in ENTERPRISE_TRANSITIONS:
            raise Forbidden(_("企业用户只能撤回诉求或申请重新办理"))
    else:
        require_officer(actor, matter)
    if to not in TRANSITIONS[Status(matter.status)]:
        raise ValidationError(
            {"status": _("事项当前为“%(a)s”,不能变为“%(b)s”") % {
                "a": matter.get_status_display(), "b": Status(to).label}}
        )  # fmt: skip
    text = (text or "").strip()
    before = audit.snapshot(matter)
    now = timezone.now()
    if to == Status.RESOLVED:
        matter.resolution = required_text(text, "resolution", _("办结须填写办理结果"), 5000)
        matter.resolved_at = now
    elif to == Status.REOPENED:
        required_text(text, "reason", _("重新办理须说明原因"), 1000)
        matter.resolved_at = matter.closed_at = None
        matter.rating, matter.rating_comment, matter.rated_at = None, "", None
        matter.due_soon_notified_on = matter.overdue_notified_on = matter.escalated_at = None
        matter.due_on = max(matter.due_on, default_due(matter.kind, matter.category))
    elif to == Status.WITHDRAWN:
        required_text(text, "reason", _("撤回须说明原因"), 1000)
        matter.closed_at = now
    elif to == Status.CLOSED:
        matter.closed_at = now
    matter.status = to
    _save(
        matter, "status", "resolution", "resolved_at", "closed_at", "rating", "rating_comment",
        "rated_at", "due_on", "due_soon_notified_on", "overdue_notified_on", "escalated_at",
    )  # fmt: skip
    add_event(actor, matter, EventType.STATUS, text[:2000], before=before["status"], to_status=to)
    _audit(actor, AuditRecord.Action.STATUS, matter, before, text)
    notify.on_status(matter, to)
    return matter


def start(actor, matter, *, version, note="") -> Matter:
    return transition(actor, matter, Status.IN_PROGRESS, version=version, text=note)


def resolve(actor, matter, *, version, resolution) -> Matter:
    return transition(actor, matter, Status.RESOLVED, version=version, text=resolution)


@transaction.atomic
def comment(actor, matter, *, text, internal=False, attachment=None) -> MatterEvent:
    """Add to the timeline: a message, optionally with a file. Internal notes are the officers'
    own. An enterprise's reply to a data query also explains the statistics finding behind it."""
    matter = lock(actor, matter)
    enterprise_user = actor.is_enterprise_only()
    if internal and enterprise_user:
        raise Forbidden(_("企业用户不能发布内部备注"))
    text = (text or "").strip()
    if not text and attachment is None:
        raise ValidationError({"text": _("请填写留言内容或上传附件")})
    if matter.status == Status.WITHDRAWN:
        raise ValidationError({"text": _("事项已撤回,不能留言")})
    fields = {}
    if attachment is not None:
        name, _content_type = check_upload(attachment)
        fields = {"attachment": attachment, "attachment_name": name}
    event = add_event(
        actor,
        matter,
        EventType.ATTACHMENT if attachment is not None and not text else EventType.COMMENT,
        text[:5000],
        internal=bool(internal),
        **fields,
    )
    if enterprise_user and matter.finding_id and text:
        from gaoxin.statistics import services as statistics

        finding = matter.finding
        if finding.status != "closed":
            statistics.explain(actor, finding, text)
    audit.record(
        actor,
        AuditRecord.Action.UPDATE,
        matter,
        message=(_("留言:%(t)s") % {"t": text[:200]}) if text else _("上传附件"),
    )
    Matter.objects.filter(pk=matter.pk).update(updated_at=timezone.now())
    notify.on_comment(matter, event)
    return event


@transaction.atomic
def rate(actor, matter, *, rating, comment="") -> Matter:
    """The enterprise rates a resolved matter (好差评, 1–5); rating closes it."""
    matter = lock(actor, matter)
    if not actor.is_enterprise_only():
        raise Forbidden(_("只有提出诉求的企业可以评价"))
    if matter.status not in (Status.RESOLVED, Status.CLOSED):
        raise ValidationError({"rating": _("事项办结后才能评价")})
    if matter.rating is not None:
        raise ValidationError({"rating": _("该事项已评价")})
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("评价应为 1 到 5 之间的整数")})
    comment = (comment or "").strip()[:300]
    if rating <= 2 and not comment:
        raise ValidationError({"comment": _("差评请写明不满意的原因")})
    before = audit.snapshot(matter)
    now = timezone.now()
    matter.rating, matter.rating_comment, matter.rated_at = rating, comment, now
    if matter.status == Status.RESOLVED:
        matter.status, matter.closed_at = Status.CLOSED, now
    _save(matter, "rating", "rating_comment", "rated_at", "status", "closed_at")
    text = _("评价 %(n)s 星。%(c)s") % {"n": rating, "c": comment}
    add_event(
        actor, matter, EventType.RATING, text, before=before["status"], to_status=matter.status
    )
    _audit(actor, AuditRecord.Action.STATUS, matter, before, text)
    notify.on_rated(matter)
    return matter


@transaction.atomic
def escalate(actor, matter, *, reason="", on: datetime.date | None = None) -> Matter:
    """Escalate a matter to the zone's leaders (督办). The daily job escalates red matters; an
    officer may escalate any open matter with a reason. `actor` None is the daily job, run for the
    day `on`."""
    if actor is None:
        matter = (
            Matter.objects.select_for_update(of=("self",)).select_related("zone").get(pk=matter.pk)
        )
    else:
        matter = lock(actor, matter)
        require_officer(actor, matter)
        reason = required_text(reason, "reason", _("升级督办须说明原因"), 300)
    if matter.status not in ACTIVE:
        raise ValidationError({"status": _("事项已办结,无需督办")})
    if matter.escalated_at is not None:
        raise ValidationError({"status": _("事项已升级督办")})
    before = audit.snapshot(matter)
    matter.escalated_at = timezone.now()
    if matter.priority == Priority.NORMAL:
        matter.priority = Priority.HIGH
    _save(matter, "escalated_at", "priority")
    text = reason or _("已逾期 %(d)s 天,自动升级至园区领导督办") % {
        "d": ((on or today()) - matter.due_on).days
    }
    add_event(actor, matter, EventType.ESCALATE, text)
    _audit(actor or "system", AuditRecord.Action.STATUS, matter, before, text)
    notify.on_escalated(matter, text)
    return matter


# --- the statistics seam -------------------------------------------------------------------------


def open_data_query(finding, message="") -> Matter | None:
    """Registered with `statistics.queries`: an officer sent a finding to the enterprise as a
    query; it becomes a data-query matter owned by that officer, due when the query is."""
    if Matter.objects.filter(finding=finding).exists():
        return None
    sender = User.objects.filter(username=finding.queried_by_name).first()
    if sender is None:
        return None
    finding_text = finding.message
    indicator = getattr(finding.indicator, "name", "")
    title = _("数据询问:%(i)s %(m)s") % {"i": indicator, "m": finding_text}
    description = "\n".join(p for p in ((message or "").strip(), finding_text) if p)
    return create_matter(
        sender,
        finding.zone,
        kind=Kind.DATA_QUERY,
        title=title[:100],
        description=description,
        category=catalogue.standard(finding.zone, Kind.DATA_QUERY),
        enterprise=finding.enterprise,
        channel=Channel.SYSTEM,
        department=_department_of(sender, finding.zone),
        officer=sender if zone_people(finding.zone).filter(pk=sender.pk).exists() else None,
        due_on=max(finding.query_due_on or today(), today()),
        finding=finding,
    )
