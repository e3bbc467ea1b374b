"""The demo's agency cases (项目代办) and scheduling meetings (重大项目调度会) for a zone.

Agency cases: about eight signed or started investment projects, each with a 1+1+N team (an
officer of the 政务服务中心 or the project's department, a helper of the 招商局), a checklist of
approval items in various states (approved, accepted, returned for correction, in preparation)
and some appointments. Three scheduling meetings about 75, 45 and 15 days before `today` walk a
few projects and raise 3–6 problems each: some resolved, some open, some overdue.

Everything is written through the services (`matters.services`, `agency`, `meetings`) with the
zone's admin as the actor; the services date what they write with the real clock, so the dates
the story needs (a case opened weeks ago, an item approved last month, a problem resolved between
two meetings) are then set on the rows (and their timeline entries) directly.
"""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_noop

from gaoxin.core import audit
from gaoxin.core.models import AuditRecord, Department, Membership
from gaoxin.core.workdays import add_working_days, is_working_day
from gaoxin.investment.models import Project, Stage
from gaoxin.matters import agency, catalogue, meetings, services
from gaoxin.matters.models import (
    Appointment,
    ApprovalItem,
    Kind,
    Matter,
    MatterEvent,
    ServiceMode,
)

CASES = 8
AUDIT_MESSAGE = gettext_noop("演示数据")  # kept in Chinese, shown in the reader's language
# Approval items every case has, and the ones drawn for each.
ALWAYS = ("project_filing", "construction_permit")
OPTIONAL = (
    "land_presite",
    "land_planning",
    "building_planning",
    "drawing_review",
    "eia",
    "energy_review",
    "fire_design",
)
APPROVERS = {
    "project_filing": "区发改局",
    "land_presite": "自然资源分局",
    "land_planning": "自然资源分局",
    "building_planning": "自然资源分局",
    "drawing_review": "施工图审查中心",
    "construction_permit": "区住建局",
    "eia": "生态环境分局",
    "energy_review": "区发改局",
    "fire_design": "区住建局",
    "joint_acceptance": "区住建局",
}
PLACES = ("政务服务中心代办窗口", "政务服务中心3号窗口", "项目现场", "自然资源分局二楼")
# (days before `today`, title)
MEETINGS = (
    (75, "重大项目调度会(第一次)"),
    (45, "重大项目调度会(第二次)"),
    (15, "重大项目调度会(第三次)"),
)
CHAIR = "管委会主任 刘建华"
ATTENDEES = "管委会分管领导,招商局、经济发展局、政务服务中心、自然资源分局、区住建局、供电所负责人"
# Problems raised at each meeting: (scheduling category code, title, outcome), outcome one of
# "resolved" (between this meeting and the next), "late" (open and overdue), "soon" (due within
# three days), "open" (due later).
PROBLEMS = (
    (
        ("land", "二期用地指标未落实", "late"),
        ("utilities", "施工临时用电未接入", "resolved"),
        ("approval", "施工图审查意见未回复", "resolved"),
        ("construction", "进场道路未硬化", "resolved"),
        ("funding", "项目资本金到位滞后", "open"),
    ),
    (
        ("utilities", "供水管网未接通", "late"),
        ("approval", "环评批复进度滞后", "resolved"),
        ("construction", "周边村民阻工", "soon"),
        ("land", "土地出让金分期缴纳申请", "open"),
    ),
    (
        ("utilities", "110千伏专线接入方案未定", "soon"),
        ("approval", "消防设计审查需补正材料", "open"),
        ("other", "企业高管子女入学协调", "open"),
        ("construction", "冬季施工安全措施", "open"),
        ("funding", "设备购置贴息申报", "resolved_late"),
    ),
)


@dataclass
class AgencySummary:
    zone: object
    cases: int = 0
    items: int = 0
    appointments: int = 0
    meetings: int = 0
    problems: int = 0
    open_problems: int = 0
    overdue_problems: int = 0


def _admin(zone):
    m = (
        Membership.objects.filter(zone=zone, role="zone_admin", user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return m.user if m else None


def _staff(zone) -> dict:
    """The zone's staff accounts by department name."""
    found = {}
    for m in Membership.objects.filter(zone=zone, role="zone_staff", user__is_active=True).select_related(
        "user", "department"
    ).order_by("pk"):  # fmt: skip
        found.setdefault(m.department.name if m.department_id else None, m.user)
    return found


def _investor(project):
    enterprise = project.investor_enterprise if project.investor_enterprise_id else None
    return enterprise if enterprise is not None and not enterprise.is_deleted else None


def _weekday(day: datetime.date) -> datetime.date:
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _backdate(matter, created: datetime.date) -> None:
    """Date a matter and its first timeline entry as raised on `created`."""
    Matter.objects.filter(pk=matter.pk).update(created_at=_at(created, 9))
    MatterEvent.objects.filter(matter=matter, type=MatterEvent.Type.CREATED).update(
        time=_at(created, 9)
    )


def build_zone(zone, rng: random.Random, today: datetime.date) -> AgencySummary:
    """Write the zone's agency cases and scheduling meetings; `today` is the demo's present."""
    summary = AgencySummary(zone)
    admin = _admin(zone)
    if admin is None:
        return summary
    catalogue.ensure_categories(zone)
    staff = _staff(zone)
    depts = {d.name: d for d in Department.objects.filter(zone=zone)}
    projects = list(
        Project.objects.filter(
            zone=zone, is_deleted=False, stage__in=(Stage.SIGNED, Stage.STARTED)
        ).order_by("-planned_investment", "pk")[: CASES * 3]
    )
    rng.shuffle(projects)
    _cases(zone, rng, today, admin, staff, depts, projects[:CASES], summary)
    _meetings(
        zone, rng, today, admin, staff, depts, projects[CASES : CASES + 6] or projects, summary
    )
    return summary


# --- agency cases --------------------------------------------------------------------------------


def _cases(zone, rng, today, admin, staff, depts, projects, summary) -> None:
    approvals = {c.code: c for c in agency.approval_categories(zone)}
    officer = staff.get("政务服务中心") or staff.get("经济发展局") or admin
    helper = staff.get("招商局")
    service_dept = depts.get("政务服务中心") or depts.get("经济发展局")
    modes = (
        ServiceMode.REGULAR,
        ServiceMode.APPOINTMENT,
        ServiceMode.AFTER_HOURS,
        ServiceMode.ON_SITE,
    )
    for n, project in enumerate(projects):
        opened = _weekday(today - datetime.timedelta(days=rng.randint(20, 120)))
        helpers = [h for h in (helper, admin) if h is not None and h != officer]
        matter = services.create_matter(
            admin,
            zone,
            kind=Kind.AGENCY,
            title=f"{project.name}审批全程代办",
            description="“1+1+N”代办:政务服务中心专员牵头、招商局项目专员协办,相关审批部门全程参与。",
            project=project,
            enterprise=_investor(project),
            department=service_dept,
            officer=officer if officer != admin else None,
            helpers=helpers,
            service_mode=modes[n % len(modes)],
            contact=f"{project.investor_name} 项目联系人",
        )
        due = add_working_days(opened, 60)
        Matter.objects.filter(pk=matter.pk).update(due_on=due)
        _backdate(matter, opened)
        codes = list(ALWAYS) + rng.sample(OPTIONAL, rng.randint(3, 5))
        items = agency.set_checklist(
            admin, matter, [approvals[c].pk for c in codes if c in approvals]
        )
        summary.cases += 1
        summary.items += len(items)
        # Walk the checklist in order: the first ones approved, then one accepted (or returned),
        # one in preparation, the rest not started. Two cases are nearly done.
        done = len(items) - 1 if n < 2 else rng.randint(0, len(items) - 2)
        day = opened
        rows = []
        for i, item in enumerate(items):
            before = audit.snapshot(item)
            if i < done:
                day = add_working_days(day, rng.randint(1, 3))
                submitted = min(day, today)
                span = max(1, item.category.service_days - rng.randint(0, 3))
                approved = min(add_working_days(submitted, span), today)
                day = approved
                item.state, item.submitted_on, item.approved_on = (
                    ApprovalItem.State.APPROVED, submitted, approved,
                )  # fmt: skip
            elif i == done:
                submitted = min(add_working_days(day, rng.randint(1, 4)), today)
                item.state = rng.choice(
                    (ApprovalItem.State.SUBMITTED,) * 3 + (ApprovalItem.State.RETURNED,)
                )
                item.submitted_on, item.approved_on = submitted, None
                if item.state == ApprovalItem.State.RETURNED:
                    item.note = "材料需补正,已通知企业"
                    # sent back two working days after acceptance: its clock stops there
                    back = min(add_working_days(submitted, 2), today)
                    item.pauses = [{"returned_on": back.isoformat(), "resumed_on": None}]
            elif i == done + 1:
                item.state = ApprovalItem.State.PREPARING
            else:
                continue
            agency.check_item(item.state, item.submitted_on, item.approved_on)
            item.due_on = agency.promised_on(item.category, item.submitted_on, item)
            item.approver = APPROVERS.get(item.category.code, "")
            item.version += 1
            item.save()
            rows.append(
                audit.build(
                    admin,
                    AuditRecord.Action.UPDATE,
                    item,
                    before=before,
                    after=audit.snapshot(item),
                    message=AUDIT_MESSAGE,
                )  # fmt: skip
            )
        AuditRecord.objects.bulk_create(rows)
        # An appointment or two: one past, one coming (for the cases by appointment / on site).
        if matter.service_mode != ServiceMode.REGULAR:
            pending = next(
                (i for i in items if i.state in (ApprovalItem.State.SUBMITTED, ApprovalItem.State.RETURNED, ApprovalItem.State.PREPARING)),
                None,
            )  # fmt: skip
            mode = matter.service_mode
            for days, hour in ((-rng.randint(3, 10), 10), (rng.randint(2, 9), 15)):
                when = today + datetime.timedelta(days=days)
                if mode == ServiceMode.AFTER_HOURS:
                    hour = 18
                place = PLACES[2] if mode == ServiceMode.ON_SITE else rng.choice(PLACES)
                starts_at = _at(_weekday(when), hour)
                # one booking per window and time: the next half hour when the slot is taken
                while agency.window_taken(zone.pk, mode, place, starts_at):
                    starts_at += datetime.timedelta(minutes=30)
                appointment = Appointment.objects.create(
                    zone=zone,
                    matter=matter,
                    item=pending,
                    mode=mode,
                    starts_at=starts_at,
                    place=place,
                    note="企业负责人携带材料原件",
                    created_by_name=officer.display_name,
                )
                audit.record(
                    admin, AuditRecord.Action.CREATE, appointment,
                    after=audit.snapshot(appointment), message=AUDIT_MESSAGE,
                )  # fmt: skip
                summary.appointments += 1
        # A case whose every item is approved is resolved by its officer.
        progress = agency.progress(Matter.objects.get(pk=matter.pk))
        if progress.done:
            matter = Matter.objects.get(pk=matter.pk)
            matter = services.resolve(
                admin, matter, version=matter.version,
                resolution="审批事项全部办结,项目已取得施工许可。",
            )  # fmt: skip
            Matter.objects.filter(pk=matter.pk).update(resolved_at=_at(progress.finished_on, 16))


# --- scheduling meetings -------------------------------------------------------------------------


def _meetings(zone, rng, today, admin, staff, depts, projects, summary) -> None:
    owners = [
        (depts.get(name), user)
        for name, user in staff.items()
        if name and depts.get(name) is not None
    ] or [(None, None)]
    dates = [_weekday(today - datetime.timedelta(days=d)) for d, _title in MEETINGS]
    held = []
    for k, ((_days, title), day) in enumerate(zip(MEETINGS, dates, strict=True)):
        walked = projects[k : k + 4] if len(projects) > 4 else projects
        meeting = meetings.create_meeting(
            admin,
            zone,
            title=f"{day.year}年{day.month}月{title}",
            held_on=day,
            chair=CHAIR,
            place="管委会三楼会议室",
            attendees=ATTENDEES,
            projects=walked,
            summary="会议逐一听取重点项目建设进展,协调解决项目推进中的困难和问题。\n"
            "各责任单位要对照问题清单,明确时限、压实责任,按期办结并及时反馈。",
        )
        held.append(meeting)
        summary.meetings += 1
        for j, (code, problem, outcome) in enumerate(PROBLEMS[k]):
            project = walked[j % len(walked)] if walked else None
            dept, owner = owners[(k + j) % len(owners)]
            matter = meetings.add_problem(
                admin,
                meeting,
                title=problem,
                description=f"{project.name if project else ''}:{problem},请责任单位限时协调解决。",
                project=project,
                category=catalogue.standard(zone, Kind.SCHEDULING, code),
                department=dept,
                officer=owner,
            )
            next_day = dates[k + 1] if k + 1 < len(dates) else today
            if outcome == "late":
                due = day + datetime.timedelta(days=rng.randint(10, 14))
                due = min(due, today - datetime.timedelta(days=2))
            elif outcome == "soon":
                due = today + datetime.timedelta(days=rng.randint(1, 3))
            elif outcome == "open":
                due = today + datetime.timedelta(days=rng.randint(10, 30))
            else:
                due = day + datetime.timedelta(days=rng.randint(10, 20))
            Matter.objects.filter(pk=matter.pk).update(due_on=due)
            _backdate(matter, day)
            summary.problems += 1
            if outcome.startswith("resolved"):
                matter = Matter.objects.get(pk=matter.pk)
                matter = services.start(
                    admin, matter, version=matter.version, note="已召集相关单位现场协调"
                )
                matter = services.resolve(
                    admin, matter, version=matter.version, resolution="经协调已解决,项目正常推进。"
                )
                done = day + datetime.timedelta(
                    days=rng.randint(5, max(6, (next_day - day).days - 2))
                )
                done = min(done, today)
                if outcome == "resolved_late":
                    done = min(today, day + datetime.timedelta(days=3))
                Matter.objects.filter(pk=matter.pk).update(resolved_at=_at(done, 16))
                MatterEvent.objects.filter(matter=matter).exclude(
                    type=MatterEvent.Type.CREATED
                ).update(time=_at(done, 16))
            else:
                summary.open_problems += 1
                summary.overdue_problems += due < today
