"""The .xlsx exports of the matters module's lists: agency cases (项目代办), scheduling meetings,
the inbox and the working groups. Each is what its list shows with the list's filters, read
through `restrict(user, VIEW)` like the page (404 where the page is 404), written by the shared
`list_export` (Chinese headers, dates as dates, a Chinese file name, audited)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Case, Count, Q, When
from django.urls import path
from django.utils.translation import gettext as _

from gaoxin.core import clock
from gaoxin.core.models.access import VIEW
from gaoxin.core.pages import zone_for
from gaoxin.core.spreadsheets import Column
from gaoxin.core.spreadsheets.exports import list_export
from gaoxin.enterprises import search

from .. import agency
from ..models import ACTIVE, DONE, Kind, Light, Matter, Meeting, WorkingGroup
from .inbox import _why, inbox_matters


def _names(users) -> str:
    return "、".join(u.display_name or u.username for u in users)


# --- agency cases --------------------------------------------------------------------------------


def agency_filtered(request, zone, today):
    """The agency cases of the list page and its export, with their filters: `q` (number,
    title, project, enterprise), `state` (active / done / all), `mine` (officer or helper);
    open cases first (red, yellow, green follow from the due date), the finished ones last."""
    user = request.user
    cases = agency.agency_cases(user, zone)
    q = (request.GET.get("q") or "").strip()
    if q:
        cases = cases.filter(
            Q(number__icontains=q)
            | Q(title__icontains=q)
            | Q(project__name__icontains=q)
            | search.name_q(q, "enterprise")
        )
    state = request.GET.get("state") or "active"
    if state == "active":
        cases = cases.filter(status__in=ACTIVE)
    elif state == "done":
        cases = cases.filter(status__in=DONE)
    if request.GET.get("mine") == "1":
        cases = cases.filter(
            Q(officer=user)
            | Q(pk__in=Matter.helpers.through.objects.filter(user=user).values("matter_id"))
        )
    return cases.with_light(today).order_by(
        Case(When(light_db=Light.DONE, then=1), default=0), "due_on", "pk"
    )


def agency_columns() -> list[Column]:
    return [
        Column("number", _("编号"), width=16),
        Column("title", _("标题"), width=30),
        Column("project", _("项目"), width=30),
        Column("enterprise", _("企业"), width=30),
        Column("department", _("责任部门"), width=16),
        Column("officer", _("责任人"), width=12),
        Column("helpers", _("协办人"), width=20),
        Column("approved", _("已办结审批事项"), width=10),
        Column("total", _("需办理审批事项"), width=10),
        Column("late", _("超时事项"), width=8),
        Column("elapsed", _("已用工作日"), width=10),
        Column("due_on", _("办理期限"), date=True, width=12),
        Column("light", _("红黄绿灯"), width=8),
        Column("status", _("状态"), width=10),
    ]


@login_required
def agency_export(request):
    zone, today = zone_for(request), clock.today()

    def rows():
        for m in agency_filtered(request, zone, today).iterator(chunk_size=500):
            p = agency.progress(m, on=today)
            yield {
                "number": m.number,
                "title": m.title,
                "project": m.project.name if m.project_id else "",
                "enterprise": m.enterprise.name if m.enterprise_id else "",
                "department": m.department.name if m.department_id else "",
                "officer": m.officer.display_name if m.officer_id else "",
                "helpers": _names(m.helpers.all()),
                "approved": p.approved,
                "total": p.total,
                "late": p.late,
                "elapsed": p.elapsed,
                "due_on": m.due_on,
                "light": str(Light(m.light_db).label),
                "status": m.get_status_display(),
            }

    return list_export(request, zone, agency_columns(), rows(), title=_("项目代办清单"))


# --- meetings ------------------------------------------------------------------------------------


def meeting_columns() -> list[Column]:
    return [
        Column("held_on", _("会议日期"), date=True, width=12),
        Column("title", _("会议名称"), width=30),
        Column("chair", _("主持人"), width=12),
        Column("place", _("地点"), width=20),
        Column("attendees", _("参会人员"), width=30),
        Column("projects", _("调度项目"), width=40),
        Column("problems", _("议定问题数"), width=10),
        Column("open", _("未办结问题数"), width=10),
    ]


@login_required
def meeting_export(request):
    zone = zone_for(request, Meeting)
    meetings = (
        Meeting.objects.restrict(request.user, VIEW)
        .filter(zone=zone)
        .annotate(
            problem_count=Count("problems", distinct=True),
            open_count=Count("problems", filter=Q(problems__status__in=ACTIVE), distinct=True),
        )
        .prefetch_related("projects")
        .order_by("-held_on", "-id")
    )
    rows = (
        {
            "held_on": m.held_on,
            "title": m.title,
            "chair": m.chair,
            "place": m.place,
            "attendees": m.attendees,
            "projects": "、".join(sorted(p.name for p in m.projects.all())),
            "problems": m.problem_count,
            "open": m.open_count,
        }
        for m in meetings
    )
    return list_export(request, zone, meeting_columns(), rows, title=_("重大项目调度会清单"))


# --- the inbox -----------------------------------------------------------------------------------


def inbox_columns() -> list[Column]:
    return [
        Column("light", _("红黄绿灯"), width=8),
        Column("number", _("编号"), width=16),
        Column("title", _("标题"), width=36),
        Column("enterprise", _("企业"), width=30),
        Column("project", _("项目"), width=30),
        Column("department", _("责任部门"), width=16),
        Column("officer", _("责任人"), width=12),
        Column("due_on", _("办理期限"), date=True, width=12),
        Column("status", _("状态"), width=10),
        Column("why", _("待办原因"), width=10),
    ]


@login_required
def inbox_export(request):
    zone, user = zone_for(request), request.user
    matters = list(inbox_matters(user, zone, clock.today()))
    helping = set(
        Matter.helpers.through.objects.filter(
            user=user, matter_id__in=[m.pk for m in matters]
        ).values_list("matter_id", flat=True)
    )
    rows = (
        {
            "light": str(Light(m.light_db).label),
            "number": m.number,
            "title": m.title,
            "enterprise": m.enterprise.name if m.enterprise_id else "",
            "project": m.project.name if m.project_id else "",
            "department": m.department.name if m.department_id else "",
            "officer": m.officer.display_name if m.officer_id else "",
            "due_on": m.due_on,
            "status": m.get_status_display(),
            "why": _why(m, user, helping),
        }
        for m in matters
    )
    return list_export(request, zone, inbox_columns(), rows, title=_("我的待办"))


# --- working groups ------------------------------------------------------------------------------


def group_columns() -> list[Column]:
    return [
        Column("name", _("工作组"), width=20),
        Column("leader", _("组长"), width=12),
        Column("department", _("牵头部门"), width=16),
        Column("members", _("成员"), width=30),
        Column("enterprises", _("包联企业"), width=40),
        Column("n_enterprises", _("包联企业数"), width=10),
        Column("n_open", _("在办诉求"), width=10),
    ]


@login_required
def group_export(request):
    zone = zone_for(request, WorkingGroup)
    groups = (
        WorkingGroup.objects.restrict(request.user, VIEW)
        .filter(zone=zone)
        .select_related("department")
        .prefetch_related("members", "enterprises")
        .annotate(
            n_enterprises=Count("enterprises", distinct=True),
            n_open=Count(
                "matters",
                filter=Q(matters__kind=Kind.HELP, matters__status__in=ACTIVE),
                distinct=True,
            ),
        )
        .order_by("name")
    )
    rows = (
        {
            "name": g.name,
            "leader": g.leader_name,
            "department": g.department.name if g.department_id else "",
            "members": "、".join(
                filter(None, [_names(g.members.all()), g.member_names.replace(",", "、")])
            ),
            "enterprises": "、".join(sorted(e.name for e in g.enterprises.all())),
            "n_enterprises": g.n_enterprises,
            "n_open": g.n_open,
        }
        for g in groups
    )
    return list_export(request, zone, group_columns(), rows, title=_("帮扶工作组清单"))


urlpatterns = [
    path("agency/export/", agency_export, name="agency_export"),
    path("meetings/export/", meeting_export, name="meeting_export"),
    path("inbox/export/", inbox_export, name="inbox_export"),
    path("assistance/groups/export/", group_export, name="group_export"),
]
