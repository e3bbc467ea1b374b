"""The investment pipeline's demo step: every zone's pipeline written in bulk, the main zone's
calibrated (calibration.py), with its 百日招商 drives and the departments' targets."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_noop

from gaoxin.core import audit
from gaoxin.core.models import AuditRecord, Tag

from ..delivery import with_overdue
from ..models import Campaign, Commitment, DepartmentTarget, FundsEntry, Project, Stage, StageEvent
from . import figures
from .calibration import check_calibration
from .catalogue import CHANNELS
from .pipeline import ZonePipeline
from .specs import AS_OF, money

ACTOR = "system"
AUDIT_MESSAGE = gettext_noop("演示数据")  # kept in Chinese, shown in the reader's language


@dataclass
class InvestmentSummary:
    zone: object
    projects: int = 0
    events: int = 0
    commitments: int = 0
    funds: int = 0
    overdue: int = 0
    campaigns: int = 0
    targets: int = 0
    stages: dict = field(default_factory=dict)


@dataclass
class PipelineSummary:
    """What the step wrote: one InvestmentSummary per zone, in plan order."""

    zones: list[InvestmentSummary] = field(default_factory=list)

    def lines(self) -> list[str]:
        return investment_lines(self.zones)


def investment_lines(summaries) -> list[str]:
    """One line per zone on the investment pipeline the demo built (InvestmentSummary rows)."""
    lines = []
    for s in summaries:
        by_stage = "、".join(
            f"{stage.label}{s.stages[stage]}" for stage in Stage if s.stages.get(stage)
        )
        line = (
            f"  {s.zone.name}:招商项目 {s.projects} 个({by_stage}),阶段记录 {s.events} 条,"
            f"投资承诺 {s.commitments} 份(未按承诺推进 {s.overdue} 个),到位资金 {s.funds} 笔"
        )
        if s.campaigns:
            line += f",招商活动 {s.campaigns} 个"
        lines.append(line)
    return lines


def build(demo) -> PipelineSummary:
    """The demo step: each zone's pipeline, in plan order. Needs the registries and the officers'
    accounts (the enterprises step); `demo` is the demo's context."""
    return PipelineSummary([build_zone(demo, plan) for plan in demo.plans])


def build_zone(demo, plan) -> InvestmentSummary:
    """Write one zone's pipeline: channel tags, projects, events, commitments, funds, and for
    the main zone the campaigns and department targets; returns what was written."""
    zone = demo.zones[plan.code]
    calibrated = demo.calibrated(zone)
    departments = demo.departments[plan.code]
    summary = InvestmentSummary(zone)
    pipeline = ZonePipeline(demo, plan, zone, demo.rng(plan.code, "investment"))
    pipeline.channels = {
        t.name: t
        for t in Tag.objects.bulk_create(
            Tag(zone=zone, name=name, category=Tag.Category.SOURCE_CHANNEL) for name in CHANNELS
        )
    }
    specs = pipeline.main_specs() if calibrated else pipeline.small_specs()
    built = [(spec, *pipeline.project(spec)) for spec in specs]
    projects = Project.objects.bulk_create([p for _s, p, _e in built], batch_size=500)
    events = StageEvent.objects.bulk_create(
        [e for _s, _p, evs in built for e in evs], batch_size=500
    )
    commitments, funds = [], []
    for spec, project, _events in built:
        if project.signed_on:
            commitment, entries = pipeline.commitment(project, spec)
            commitments.append(commitment)
            funds += entries
    Commitment.objects.bulk_create(commitments, batch_size=500)
    FundsEntry.objects.bulk_create(funds, batch_size=500)
    campaigns, targets = [], []
    if calibrated:
        campaigns = Campaign.objects.bulk_create(
            Campaign(
                zone=zone,
                name=name,
                start=start,
                end=end,
                target_projects=count,
                target_investment=investment,
                target_large=large,
                note="园区主要领导挂帅,各招商部门分解目标、按日调度",
            )
            for name, start, end, count, investment, large in figures.CAMPAIGNS
        )
    targets = DepartmentTarget.objects.bulk_create(
        _targets(zone, departments, calibrated), batch_size=500
    )
    AuditRecord.objects.bulk_create(
        [
            audit.build(
                ACTOR, AuditRecord.Action.CREATE, p, after=audit.snapshot(p), message=AUDIT_MESSAGE
            )
            for p in projects
        ]
        + [
            audit.build(
                ACTOR,
                AuditRecord.Action.CREATE,
                c,
                after=audit.snapshot(c),
                message=AUDIT_MESSAGE,
                repr_=f"{c.project.name} 的投资承诺",
            )
            for c in commitments
        ]
        + [
            audit.build(
                ACTOR, AuditRecord.Action.CREATE, c, after=audit.snapshot(c), message=AUDIT_MESSAGE
            )
            for c in campaigns
        ],
        batch_size=500,
    )
    summary.projects, summary.events = len(projects), len(events)
    summary.commitments, summary.funds, summary.campaigns = (
        len(commitments),
        len(funds),
        len(campaigns),
    )
    summary.targets = len(targets)
    for project in projects:
        summary.stages[project.stage] = summary.stages.get(project.stage, 0) + 1
    active = Project.objects.filter(zone=zone, is_deleted=False)
    summary.overdue = with_overdue(active, AS_OF).count()
    if calibrated:
        check_calibration(zone, summary.overdue)
    return summary


def _targets(zone, departments, calibrated: bool) -> list[DepartmentTarget]:
    rows = []
    base = figures.DEPARTMENT_TARGETS if calibrated else {"招商局": (8, Decimal("200000"), 3)}
    years = figures.TARGET_SCALE if calibrated else {AS_OF.year: 100}
    for year, scale in years.items():
        for name, (count, investment, large) in base.items():
            if name not in departments:
                continue
            rows.append(
                DepartmentTarget(
                    zone=zone,
                    department=departments[name],
                    year=year,
                    target_projects=max(1, round(count * scale / 100)),
                    target_investment=money(float(investment) * scale / 100, 10000),
                    target_large=max(1, round(large * scale / 100)),
                )
            )
    return rows
