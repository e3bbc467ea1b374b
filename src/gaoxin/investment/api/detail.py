"""A project as the API shows it: its public status, or in full with its timeline, allowed
stage moves, commitment and how it is delivered, funds in place and documents."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy
from ninja import Field

from gaoxin.core import clock
from gaoxin.core.api import Schema, local, money, valid_id

from .. import delivery as delivery_rules
from .. import services, stages
from ..models import Commitment, Document, FundsEntry, Project, StageEvent
from .common import visible, with_audience

DELIVERY_STATUS = {
    "met": gettext_lazy("已兑现"),
    "late": gettext_lazy("逾期兑现"),
    "pending": gettext_lazy("未到期"),
    "overdue": gettext_lazy("已逾期"),
    "short": gettext_lazy("未足额"),
    "awaiting": gettext_lazy("待统计数据"),
    "none": gettext_lazy("未约定"),
    "dropped": gettext_lazy("项目已终止"),
}


class ProjectPublicOut(Schema):
    """What an enterprise user sees of their own enterprise's project."""

    id: int
    name: str
    category: str
    category_name: str
    stage: str
    stage_name: str
    stage_on: datetime.date
    zone: str


class ProjectOut(ProjectPublicOut):
    zone_name: str
    investor_name: str
    investor_enterprise_id: int | None
    origin_province: str | None = Field(description="GB/T 2260 省级代码")
    origin_province_name: str | None
    origin_country: str
    industry_code: str | None
    industry_name: str | None
    chain: str | None = Field(description="产业链标签")
    channel: str | None = Field(description="招商渠道标签")
    planned_investment: str = Field(description="计划总投资,万元,十进制字符串")
    fixed_asset_investment: str | None = Field(description="其中固定资产投资,万元")
    foreign_investment_usd: str | None = Field(description="外资,万美元")
    land_mu: str | None = Field(description="用地,亩")
    building_area: str | None = Field(description="建筑面积,平方米")
    expected_output: str | None
    expected_tax: str | None
    expected_jobs: int | None
    department_id: int | None
    department: str | None
    officer: str | None = Field(description="责任人账号")
    officer_name: str | None
    site: str
    summary: str
    halted_from: str
    lead_on: datetime.date | None
    visit_on: datetime.date | None
    negotiation_on: datetime.date | None
    signed_on: datetime.date | None
    started_on: datetime.date | None
    production_on: datetime.date | None
    days_visit_to_signed: int | None = Field(description="考察→签约天数")
    days_signed_to_started: int | None = Field(description="签约→开工天数")
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class TimelineOut(Schema):
    kind: str
    kind_name: str
    from_stage: str
    stage: str
    stage_name: str
    on: datetime.date
    note: str
    actor_name: str
    days: int | None = Field(description="在该阶段停留的天数(已投产或终止则为空)")
    current: bool


class MoveOut(Schema):
    stage: str
    stage_name: str
    kind: str
    kind_name: str
    needs_reason: bool


class DeliveryItemOut(Schema):
    key: str
    label: str
    status: str
    status_name: str
    promised: Any = Field(description="约定:日期、金额(万元,字符串)或人数")
    actual: Any
    deadline: datetime.date | None = None
    by_deadline: str | None = None
    share: float | None = Field(None, description="已到位占承诺的百分比")
    year: int | None = None
    promised_per_mu: str | None = None
    actual_per_mu: str | None = None


class CommitmentOut(Schema):
    investment: str | None
    funds_in_place: str | None
    funds_by: datetime.date | None
    start_by: datetime.date | None
    production_by: datetime.date | None
    land_mu: str | None
    annual_output: str | None
    annual_tax: str | None
    jobs: int | None
    note: str
    version: int
    delivery: list[DeliveryItemOut]
    overdue: bool


class FundsOut(Schema):
    id: int
    on: datetime.date
    amount: str
    source: str
    source_name: str
    note: str
    actor_name: str
    created_at: datetime.datetime


class DocumentOut(Schema):
    id: int
    kind: str
    kind_name: str
    name: str
    size: int
    content_type: str
    uploaded_by: str
    uploaded_at: datetime.datetime
    url: str


class ProjectDetailOut(ProjectOut):
    timeline: list[TimelineOut]
    allowed_moves: list[MoveOut]
    commitment: CommitmentOut | None
    funds: list[FundsOut]
    funds_total: str
    documents: list[DocumentOut]


def public_out(p: Project) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "category": p.category,
        "category_name": p.get_category_display(),
        "stage": p.stage,
        "stage_name": p.get_stage_display(),
        "stage_on": p.stage_on,
        "zone": p.zone.code,
    }


def project_out(p: Project) -> dict:
    officer = p.officer
    return {
        **public_out(p),
        "zone_name": p.zone.name,
        "investor_name": p.investor_name,
        "investor_enterprise_id": p.investor_enterprise_id,
        "origin_province": p.origin_province_id,
        "origin_province_name": p.origin_province.name if p.origin_province_id else None,
        "origin_country": p.origin_country,
        "industry_code": p.industry_id,
        "industry_name": p.industry.name if p.industry_id else None,
        "chain": p.chain.name if p.chain_id else None,
        "channel": p.channel.name if p.channel_id else None,
        "planned_investment": money(p.planned_investment),
        "fixed_asset_investment": money(p.fixed_asset_investment),
        "foreign_investment_usd": money(p.foreign_investment_usd),
        "land_mu": money(p.land_mu),
        "building_area": money(p.building_area),
        "expected_output": money(p.expected_output),
        "expected_tax": money(p.expected_tax),
        "expected_jobs": p.expected_jobs,
        "department_id": p.department_id,
        "department": p.department.name if p.department_id else None,
        "officer": officer.username if officer else None,
        "officer_name": (officer.display_name if officer else None),
        "site": p.site,
        "summary": p.summary,
        "halted_from": p.halted_from,
        "lead_on": p.lead_on,
        "visit_on": p.visit_on,
        "negotiation_on": p.negotiation_on,
        "signed_on": p.signed_on,
        "started_on": p.started_on,
        "production_on": p.production_on,
        "days_visit_to_signed": p.days_visit_to_signed,
        "days_signed_to_started": p.days_signed_to_started,
        "version": p.version,
        "created_at": local(p.created_at),
        "updated_at": local(p.updated_at),
    }


def event_out(event: StageEvent, days=None, current=False) -> dict:
    return {
        "kind": event.kind,
        "kind_name": event.get_kind_display(),
        "from_stage": event.from_stage,
        "stage": event.stage,
        "stage_name": event.get_stage_display(),
        "on": event.on,
        "note": event.note,
        "actor_name": event.actor_name,
        "days": days,
        "current": current,
    }


def _plain(value):
    return money(value) if isinstance(value, Decimal) else value


def delivery_item_out(item: dict) -> dict:
    out = {k: _plain(v) for k, v in item.items()}
    out["label"] = str(item["label"])
    out["status_name"] = str(DELIVERY_STATUS.get(item["status"], item["status"]))
    if item.get("share") is not None:
        out["share"] = float(item["share"])
    return out


def commitment_out(project: Project, commitment: Commitment | None, funds, today) -> dict | None:
    if commitment is None:
        return None
    items = delivery_rules.delivery(project, commitment, funds, today)
    return {
        "investment": money(commitment.investment),
        "funds_in_place": money(commitment.funds_in_place),
        "funds_by": commitment.funds_by,
        "start_by": commitment.start_by,
        "production_by": commitment.production_by,
        "land_mu": money(commitment.land_mu),
        "annual_output": money(commitment.annual_output),
        "annual_tax": money(commitment.annual_tax),
        "jobs": commitment.jobs,
        "note": commitment.note,
        "version": commitment.version,
        "delivery": [delivery_item_out(i) for i in items],
        "overdue": delivery_rules.is_overdue(items),
    }


def funds_out(entry: FundsEntry) -> dict:
    return {
        "id": entry.pk,
        "on": entry.on,
        "amount": money(entry.amount),
        "source": entry.source,
        "source_name": entry.get_source_display(),
        "note": entry.note,
        "actor_name": entry.actor_name,
        "created_at": local(entry.created_at),
    }


def document_out(d: Document) -> dict:
    return {
        "id": d.pk,
        "kind": d.kind,
        "kind_name": d.get_kind_display(),
        "name": d.name,
        "size": d.size,
        "content_type": d.content_type,
        "uploaded_by": d.uploaded_by,
        "uploaded_at": local(d.uploaded_at),
        "url": f"/api/v1/investment/documents/{d.pk}",
    }


RELATED = ("zone", "industry", "chain", "channel", "department", "officer", "origin_province")


def load(user, pk: int) -> Project:
    """The project as `user` sees it, with what the detail needs; 404 when not visible."""
    qs = with_audience(user, visible(user)).select_related(*services.SHOWN_WITH)
    return qs.get(pk=valid_id(pk, Project))


def detail_out(project: Project) -> dict:
    if not project.full:
        return public_out(project)
    today = clock.today()
    events = list(project.events.order_by("on", "id"))
    funds = list(project.funds.order_by("on", "id"))
    commitment = Commitment.objects.filter(project=project).first()
    documents = project.documents.filter(is_deleted=False).order_by("-uploaded_at", "-id")
    return {
        **project_out(project),
        "timeline": [
            event_out(row["event"], row["days"], row["current"])
            for row in stages.timeline(project, events, today)
        ],
        "allowed_moves": [
            {
                "stage": stage,
                "stage_name": stages.label(stage),
                "kind": kind,
                "kind_name": str(StageEvent.Kind(kind).label),
                "needs_reason": needs_reason,
            }
            for stage, kind, needs_reason in stages.allowed_targets(project)
        ],
        "commitment": commitment_out(project, commitment, funds, today),
        "funds": [funds_out(f) for f in funds],
        "funds_total": money(sum((f.amount for f in funds), Decimal("0"))),
        "documents": [document_out(d) for d in documents],
    }


def detail_response(response, user, pk: int) -> dict:
    project = load(user, pk)
    if project.full:
        response["ETag"] = f'"{project.version}"'
    return detail_out(project)
