"""The closed loop's demo step, for the main zone (服务闭环): agency cases and scheduling meetings
(agency.py), working groups, help requests and the help ledgers calibrated to DOMAIN.md's 2020 H1
figures (assistance.py), and data queries on findings of the present period's returns. It runs
after the registry's, the pipeline's and the statistics' steps.

The services stamp rows with the real clock; help requests are then spread over the last three
months (raised, due, resolved and rated on believable days, a few of them late), so the cockpit's
times to close and its traffic lights tell a story.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from gaoxin.core.models import User
from gaoxin.core.workdays import add_working_days
from gaoxin.matters import notify
from gaoxin.matters.models import Kind, Matter, MatterEvent, Status
from gaoxin.statistics import services as statistics
from gaoxin.statistics.models import Finding, FindingStatus

from .agency import AgencySummary
from .agency import build_zone as build_agency
from .assistance import AssistanceSummary
from .assistance import build_zone as build_assistance

QUERIES = 2  # findings of the present period sent to their enterprises as queries
QUERY_OFFICER = "staff"  # the demo's 经济发展局 officer who reviews returns


@dataclass
class MattersSummary:
    agency: AgencySummary
    assistance: AssistanceSummary
    queries: int = 0

    def as_audit(self) -> dict:
        a = self.agency
        return {
            "代办项目": a.cases,
            "审批事项": a.items,
            "调度会": a.meetings,
            "调度问题": a.problems,
            **self.assistance.as_audit(),
            "数据询问": self.queries,
        }

    def audit(self, zone) -> dict:
        """The counts on the zone's demo audit record (the main zone's only)."""
        return self.as_audit() if zone == self.agency.zone else {}

    def lines(self) -> list[str]:
        return [self.line()]

    def line(self) -> str:
        a, h = self.agency, self.assistance
        return (
            f"  {a.zone.name}:代办项目 {a.cases} 个(审批事项 {a.items} 项),调度会 {a.meetings} 次"
            f"(问题 {a.problems} 个,未办结 {a.open_problems} 个,逾期 {a.overdue_problems} 个),"
            f"帮扶工作组 {h.groups} 个,帮扶诉求 {h.requests} 件,数据询问 {self.queries} 件"
        )


def build(demo) -> MattersSummary:
    """The demo step: the main zone's matters; `demo` is the demo's context."""
    zone = demo.zones[demo.main.code]
    today = timezone.localdate()
    agency = build_agency(zone, demo.rng(zone.code, "agency"), today)
    assistance = build_assistance(zone, demo.rng(zone.code, "assistance"), today)
    _spread_help_requests(zone, demo.rng(zone.code, "help-dates"), today)
    queries = _data_queries(zone, today)
    # Today's run of the daily job, as the zone's scheduler would have done: reminders sent and
    # the matters long overdue escalated to the leaders.
    notify.run_daily(today)
    return MattersSummary(agency, assistance, queries)


def _data_queries(zone, today) -> int:
    """The review officer queries open warnings of the latest period; each becomes a data-query
    matter when the demo commits (statistics.queries → matters.services.open_data_query)."""
    officer = User.objects.filter(username=QUERY_OFFICER, memberships__zone=zone).first()
    if officer is None:
        return 0
    findings = Finding.objects.filter(
        zone=zone, severity="warning", status=FindingStatus.OPEN
    ).order_by("-period", "pk")[:QUERIES]
    for finding in findings:
        statistics.send_query(
            officer,
            finding,
            due_on=add_working_days(today, 5),
            message="请核实该项数据并说明原因,如填报有误请修改后重新报送。",
        )
    return len(findings)


def _spread_help_requests(zone, rng, today) -> None:
    """Move each help request back to a day in the last 90 (its timeline with it); resolved ones
    took 1 to service level + 5 working days, so a few were late."""
    for matter in Matter.objects.filter(zone=zone, kind=Kind.HELP).select_related("category"):
        raised = today - datetime.timedelta(days=rng.randint(3, 90))
        shift = datetime.datetime.combine(raised, datetime.time(rng.randint(8, 17), 30))
        shift = timezone.make_aware(shift) - matter.created_at
        days = matter.category.service_days if matter.category else 10
        matter.created_at += shift
        matter.due_on = add_working_days(raised, days)
        if matter.status not in (Status.RESOLVED, Status.CLOSED):
            # Still open: no later than today's due date unless it really is overdue.
            matter.due_on = max(matter.due_on, today - datetime.timedelta(days=rng.randint(0, 6)))
        else:
            took = add_working_days(raised, rng.randint(1, days + 5))
            done = min(took, today)
            matter.resolved_at = timezone.make_aware(
                datetime.datetime.combine(done, datetime.time(16, 0))
            )
            if matter.closed_at:
                matter.closed_at = matter.rated_at = matter.resolved_at + datetime.timedelta(
                    hours=20
                )
        Matter.objects.filter(pk=matter.pk).update(
            created_at=matter.created_at,
            due_on=matter.due_on,
            resolved_at=matter.resolved_at,
            closed_at=matter.closed_at,
            rated_at=matter.rated_at if matter.rating else None,
        )
        for event in MatterEvent.objects.filter(matter=matter).order_by("time", "id"):
            when = event.time + shift
            if matter.resolved_at and event.to_status in (Status.RESOLVED, Status.CLOSED):
                when = matter.resolved_at
            MatterEvent.objects.filter(pk=event.pk).update(time=min(when, timezone.now()))
