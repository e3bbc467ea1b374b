"""Scheduling meetings (重大项目调度会): a meeting has a date, a chair, the projects walked and the
problems raised, each a scheduling matter (`Matter(kind="scheduling", meeting=...)`) owned by a
department and due by a date like any other.

The agenda of a meeting starts with the problems carried over (前次会议遗留问题): every scheduling
problem of the zone's earlier meetings still open, plus those resolved or closed since the
previous meeting.

Meetings follow `ZONE_FIGURES_POLICY` (admins and staff write, leaders and the province read,
enterprise users see none). Every write runs in one transaction, bumps the meeting's version and
is audited.
"""

import datetime

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from gaoxin.core import audit
from gaoxin.core.clock import today
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import ADD, CHANGE, VIEW, can_in_zone
from gaoxin.core.records import check_version

from . import services
from .models import ACTIVE, DONE, Channel, Kind, Light, Matter, Meeting

MEETING_FIELDS = ("title", "held_on", "chair", "place", "attendees", "projects", "summary")
# The meeting's text fields: (name, label, most characters, the message when required and empty).
TEXT_FIELDS = (
    ("title", _lazy("会议名称"), 100, _lazy("请填写会议名称")),
    ("chair", _lazy("主持人"), 50, _lazy("请填写主持人")),
    ("place", _lazy("地点"), 100, None),
    ("attendees", _lazy("参会人员"), 3000, None),
    ("summary", _lazy("会议纪要"), 20000, None),
)
# The agenda's order: red first, then yellow, green, then the ones done since last time.
LIGHT_ORDER = {Light.RED: 0, Light.YELLOW: 1, Light.GREEN: 2, Light.DONE: 3}


# --- reading -------------------------------------------------------------------------------------


def get_for(actor, pk, action=VIEW) -> Meeting:
    try:
        return Meeting.objects.restrict(actor, action).select_related("zone").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Meeting.DoesNotExist(_("未找到该调度会")) from None


def previous(meeting) -> Meeting | None:
    """The zone's latest meeting held before this one."""
    return (
        Meeting.objects.filter(zone_id=meeting.zone_id, held_on__lt=meeting.held_on)
        .order_by("-held_on", "-id")
        .first()
    )


def _problems(qs):
    return qs.select_related(
        "project", "enterprise", "department", "officer", "meeting", "category"
    )


def problems(meeting) -> list[Matter]:
    """This meeting's own problems, in the order raised."""
    return list(_problems(meeting.problems.filter(kind=Kind.SCHEDULING)).order_by("id"))


def agenda(meeting, on: datetime.date | None = None, *, prev=...) -> list[Matter]:
    """The problems carried over to `meeting`: those of earlier meetings still open, and those
    resolved, closed or withdrawn since the previous meeting (`prev`, looked up unless given).
    Each has `light_now` (as of `on`, today); open ones first, red before yellow before green,
    then by due date."""
    on = on or today()
    if prev is ...:
        prev = previous(meeting)
    if prev is None:
        return []
    since = prev.held_on
    rows = list(
        _problems(
            Matter.objects.filter(
                zone_id=meeting.zone_id,
                kind=Kind.SCHEDULING,
                meeting__held_on__lt=meeting.held_on,
            ).filter(
                Q(status__in=ACTIVE)
                | Q(status__in=DONE, resolved_at__date__gte=since)
                | Q(status__in=DONE, resolved_at__isnull=True, closed_at__date__gte=since)
            )
        )
    )
    for row in rows:
        row.light_now = row.light(on)
    rows.sort(key=lambda m: (LIGHT_ORDER[m.light_now], m.due_on, m.meeting.held_on, m.pk))
    return rows


# --- validation ----------------------------------------------------------------------------------


def _projects(values, zone):
    from gaoxin.investment.models import Project

    pks = []
    for value in values or ():
        pk = getattr(value, "pk", value)
        if not str(pk).isdigit():
            raise ValidationError({"projects": _("项目不存在或不属于本园区")})
        pks.append(int(pk))
    found = list(Project.objects.filter(pk__in=pks, zone=zone, is_deleted=False))
    if len(found) != len(set(pks)):
        raise ValidationError({"projects": _("项目不存在或不属于本园区")})
    return found


def _clean(zone, data) -> dict:
    errors = {}
    clean = {}
    for name, label, limit, required in TEXT_FIELDS:
        try:
            clean[name] = services.clean_text(data.get(name), name, label, limit, required=required)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    held_on = data.get("held_on")
    if isinstance(held_on, str) and held_on:
        try:
            held_on = datetime.date.fromisoformat(held_on)
        except ValueError:
            held_on = None
    if isinstance(held_on, datetime.datetime):
        held_on = held_on.date()
    if not isinstance(held_on, datetime.date):
        errors["held_on"] = _("请填写会议日期(YYYY-MM-DD)")
    elif held_on.year < 2000 or held_on > today() + datetime.timedelta(days=366):
        errors["held_on"] = _("会议日期应在 2000 年以后、一年以内")
    clean["held_on"] = held_on
    try:
        clean["projects"] = _projects(data.get("projects"), zone)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return clean


# --- writing -------------------------------------------------------------------------------------


@transaction.atomic
def create_meeting(
    actor, zone, *, title, held_on, chair, place="", attendees="", projects=(), summary=""
) -> Meeting:
    if not can_in_zone(actor, Meeting, zone, ADD):
        raise Forbidden(_("无权在该园区登记调度会"))
    data = _clean(
        zone,
        {
            "title": title,
            "held_on": held_on,
            "chair": chair,
            "place": place,
            "attendees": attendees,
            "projects": projects,
            "summary": summary,
        },
    )
    walked = data.pop("projects")
    meeting = Meeting.objects.create(
        zone=zone,
        created_by_name=getattr(actor, "display_name", "") or actor.username,
        **data,
    )
    meeting.projects.set(walked)
    audit.record(actor, AuditRecord.Action.CREATE, meeting, after=audit.snapshot(meeting))
    return meeting


def values(meeting) -> dict:
    """The meeting's `MEETING_FIELDS`, the projects walked as a list."""
    current = {name: getattr(meeting, name) for name in MEETING_FIELDS if name != "projects"}
    current["projects"] = list(meeting.projects.all())
    return current


def _lock(actor, meeting) -> Meeting:
    pk = getattr(meeting, "pk", meeting)
    get_for(actor, pk)  # 404 when not visible
    if not Meeting.objects.restrict(actor, CHANGE).filter(pk=pk).exists():
        raise Forbidden(_("无权修改该调度会"))
    return Meeting.objects.select_for_update().select_related("zone").get(pk=pk)


def _same(a: dict, b: dict) -> bool:
    def key(d):
        return {**d, "projects": sorted(p.pk for p in d["projects"])}

    return key(a) == key(b)


@transaction.atomic
def update_meeting(actor, meeting, *, version, **fields) -> Meeting:
    """Change a meeting's fields (any of `MEETING_FIELDS`); stale `version` answers 409."""
    meeting = _lock(actor, meeting)
    check_version(meeting, version)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ValidationError({f: _("不可修改的字段") for f in sorted(unknown)})
    current = values(meeting)
    data = _clean(meeting.zone, {**current, **fields})
    if _same(data, current):
        return meeting
    before = audit.snapshot(meeting)
    walked = data.pop("projects")
    for name, value in data.items():
        setattr(meeting, name, value)
    meeting.version += 1
    meeting.save()
    meeting.projects.set(walked)
    after = audit.snapshot(meeting)
    audit.record(actor, AuditRecord.Action.UPDATE, meeting, before=before, after=after)
    return meeting


@transaction.atomic
def add_problem(
    actor,
    meeting,
    *,
    title,
    description="",
    project=None,
    enterprise=None,
    category=None,
    department=None,
    officer=None,
    due_on=None,
    priority=None,
) -> Matter:
    """A problem raised at the meeting: a scheduling matter, internal to the officers, owned by
    `department` / `officer` and due on `due_on` (else the category's service level)."""
    meeting = _lock(actor, meeting)
    if not services.is_officer(actor, meeting.zone):
        raise Forbidden(_("只有园区工作人员可以登记调度问题"))
    matter = services.create_matter(
        actor,
        meeting.zone,
        kind=Kind.SCHEDULING,
        title=title,
        description=description,
        category=category,
        enterprise=enterprise,
        project=project,
        channel=Channel.MEETING,
        department=department,
        officer=officer,
        priority=priority,
        due_on=due_on,
        meeting=meeting,
        visible_to_enterprise=False,
    )
    audit.record(
        actor,
        AuditRecord.Action.UPDATE,
        meeting,
        message=_("登记调度问题 %(n)s %(t)s") % {"n": matter.number, "t": matter.title},
    )
    return matter


def may_change(actor, meeting) -> bool:
    return Meeting.objects.restrict(actor, CHANGE).filter(pk=meeting.pk).exists()


def may_raise(actor, meeting) -> bool:
    """Whether `actor` may raise a problem at the meeting (an officer who may change it)."""
    return services.is_officer(actor, meeting.zone) and may_change(actor, meeting)


def may_add(actor, zone) -> bool:
    return can_in_zone(actor, Meeting, zone, ADD)
