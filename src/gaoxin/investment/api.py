"""Investment attraction over REST: the summary figures, projects and their stages, commitments,
funds in place, documents, campaigns, department targets and the zone's size thresholds.

Reads start from `Project.objects.restrict(user, "view").active()`; every write goes through
`services`. A project the user cannot see answers 404 "未找到该招商项目"; one they see but may not
change answers 403, with nothing written. Enterprise users see only the public status of their own
enterprise's project (`ProjectPublicOut`) and nothing of the pipeline's figures.

Money: stored amounts (planned investment, commitments, funds, targets, thresholds) go out as
decimal strings in 万元, as in the enterprise API. Computed figures named `*_wan` (the summary,
campaign progress, department progress) are JSON numbers: an integral amount as an integer.
"""

import datetime
import re
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated, Any, Literal
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, Value, When
from django.http import FileResponse, HttpResponse, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Body, Field, File, Form, Header, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import ConfigDict

from gaoxin.core.api import (
    DEFAULT_PAGE_SIZE,
    ErrorOut,
    Input,
    StaleOut,
    local,
    paginate,
    zone_by_code,
)
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord, Department, Tag
from gaoxin.core.models.access import CHANGE, DELETE, VIEW, can_add, user_scope_q
from gaoxin.core.zones import visible_zones
from gaoxin.enterprises.api import money, version_from

from . import delivery as delivery_rules
from . import services, stages, summary
from .filters import ProjectFilter
from .models import (
    Campaign,
    Category,
    Commitment,
    DepartmentTarget,
    Document,
    FundsEntry,
    Project,
    Stage,
    StageEvent,
    Thresholds,
)

router = Router(tags=["招商引资"])

MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
CategoryCode = Literal[tuple(Category.values)]
SourceCode = Literal[tuple(FundsEntry.Source.values)]
# Roles that see the pipeline itself; an enterprise user sees only their project's public status.
PIPELINE_ROLES = frozenset(role for role in Project.access_policy if role != "enterprise_user")
# Service field names that the API spells differently.
API_FIELD_NAMES = {"industry": "industry_code", "investor_enterprise": "investor_enterprise_id"}
# Filters of the list an enterprise user may use: the others would reveal money or dates.
PUBLIC_FILTERS = {"q", "stage", "category", "zone", "page", "page_size", "ordering"}
PUBLIC_ORDERING = {"name", "-name", "stage_on", "-stage_on"}

WRITE_ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: StaleOut,
    422: ErrorOut,
}
READ_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

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


# --- access ---------------------------------------------------------------------------------


def visible(user):
    return Project.objects.restrict(user, VIEW).active()


def sees_pipeline(user) -> bool:
    return bool(user.roles() & PIPELINE_ROLES)


def full_view_q(user):
    """The projects `user` sees in full (not only as an investor's public status): True = all."""
    return user_scope_q(
        user, VIEW, policy=Project.access_policy, department_path="department", enterprise_path=None
    )


def full_visible(user):
    """The pipeline as a role that works on it sees it (summary, campaigns, targets)."""
    q = full_view_q(user)
    qs = Project.objects.all() if q is True else Project.objects.filter(q)
    return qs.active()


def with_audience(user, qs):
    """Annotate `full`: whether the row goes out in full or as the public status only."""
    if not sees_pipeline(user):
        return qs.annotate(full=Value(False, output_field=BooleanField()))
    if "enterprise_user" not in user.roles():
        return qs.annotate(full=Value(True, output_field=BooleanField()))
    q = full_view_q(user)
    if q is True:
        return qs.annotate(full=Value(True, output_field=BooleanField()))
    return qs.annotate(full=Case(When(q, then=True), default=False, output_field=BooleanField()))


def require_pipeline(user, message: str) -> None:
    if not sees_pipeline(user):
        raise Forbidden(message)


def _valid_id(pk: int, model=Project) -> int:
    if not 0 < pk <= MAX_ID:  # a huge id would overflow the database driver
        raise model.DoesNotExist()
    return pk


def check_may(user, pk: int, action: str) -> None:
    """404 when `user` cannot see the project, 403 when they see it but may not `action` it."""
    if not visible(user).filter(pk=_valid_id(pk)).exists():
        raise Project.DoesNotExist()
    if not Project.objects.restrict(user, action).active().filter(pk=pk).exists():
        if action == CHANGE and services.is_staff_only(user):
            raise Forbidden(_("只能修改本部门负责的招商项目"))
        messages = {CHANGE: _("无权修改该招商项目"), DELETE: _("无权删除该招商项目")}
        raise Forbidden(messages[action])


def one_zone(user, code: str | None, field: str = "zone"):
    """The zone named by `code`, or the user's only zone; 422 when several and none named."""
    zone = zone_by_code(user, code, field)
    if zone is not None:
        return zone
    zones = list(visible_zones(user)[:2])
    if len(zones) != 1:
        raise ValidationError({field: _("您可查看多个园区,请用 zone 参数指定园区代码")})
    return zones[0]


def reading_zone(user, code: str | None, field: str = "zone"):
    """For reads: the zone named by `code`, else the one the user works in, as on the pages
    (their own membership's zone, or the first zone they may see). The answer names it."""
    zone = zone_by_code(user, code, field)
    if zone is not None:
        return zone
    own = next((m.zone for m in user.memberships_cached() if m.zone_id), None)
    zone = own or visible_zones(user).order_by("code").first()
    if zone is None:
        raise ValidationError({field: _("您没有可查看的园区")})
    return zone


@contextmanager
def api_field_names():
    """Service errors name model fields; report them under the API's names."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {API_FIELD_NAMES.get(f, f): m for f, m in exc.message_dict.items()}
        ) from None


def number(value) -> int | float | None:
    """A computed figure as a JSON number: 1198000 for an integral amount, else a float."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def percent(value) -> float | None:
    return None if value is None else float(value)


# --- summary --------------------------------------------------------------------------------


class SummaryQuery(Input):
    start: datetime.date | None = Field(None, description="开始日期 YYYY-MM-DD(与 end 同时给出)")
    end: datetime.date | None = Field(None, description="结束日期 YYYY-MM-DD(含)")
    period: str | None = Field(
        None, max_length=20, description="2019、2020Q1 或 2020-03;与 start/end 二选一"
    )
    zone: str | None = Field(None, description="园区代码;可查看多个园区时必填")
    category: list[CategoryCode] = Field([], description="项目类别,可重复;默认全部")


class FigureOut(Schema):
    count: int
    investment_wan: int | float = Field(description="计划总投资合计(万元),数字")


class FunnelOut(Schema):
    stage: str
    label: str
    count: int
    rate: float | None = Field(description="相对上一阶段的转化率(%)")


class ThresholdFigures(Schema):
    large_wan: int | float
    class_5020_wan: int | float


class SummaryOut(Schema):
    zone: str
    start: datetime.date
    end: datetime.date
    label: str
    category: list[str]
    signed: FigureOut
    started: FigureOut
    production: FigureOut
    over_100m: int = Field(description="期间内签约的亿元以上项目数")
    class_5020: int = Field(description="期间内签约的 5020 项目数")
    funnel: list[FunnelOut]
    thresholds: ThresholdFigures


def figure_out(figure: dict) -> dict:
    return {"count": figure["count"], "investment_wan": number(figure["investment_wan"])}


def funnel_out(rows) -> list[dict]:
    return [{**row, "rate": percent(row["rate"])} for row in rows]


@router.get(
    "/summary",
    response={200: SummaryOut, **READ_ERRORS},
    summary="招商统计:期间内签约、开工、投产的项目数与计划总投资",
)
def summary_figures(request, filters: Query[SummaryQuery]):
    user = request.auth
    require_pipeline(user, _("无权查看招商统计"))
    if filters.period and (filters.start or filters.end):
        raise ValidationError({"period": _("period 与 start/end 只能二选一")})
    period = summary.parse_period(
        filters.period, start=filters.start, end=filters.end, today=services.today()
    )
    zone = reading_zone(user, filters.zone)
    projects = full_visible(user).filter(zone=zone)
    categories = list(dict.fromkeys(filters.category))
    if categories:
        projects = projects.filter(category__in=categories)
    thresholds = services.thresholds_for(zone)
    figures = summary.headline(projects, period, thresholds)
    return {
        "zone": zone.code,
        "start": period.start,
        "end": period.end,
        "label": str(period.label),
        "category": categories,
        "signed": figure_out(figures["signed"]),
        "started": figure_out(figures["started"]),
        "production": figure_out(figures["production"]),
        "over_100m": figures["over_100m"],
        "class_5020": figures["class_5020"],
        "funnel": funnel_out(figures["funnel"]),
        "thresholds": {
            "large_wan": number(thresholds.large),
            "class_5020_wan": number(thresholds.class_5020),
        },
    }


# --- project schemas ------------------------------------------------------------------------


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


class ProjectList(Schema):
    items: list[ProjectOut | ProjectPublicOut]
    count: int
    page: int
    page_size: int


class ProjectListQuery(Input):
    q: str | None = Field(None, max_length=100, description="项目名称或投资方片段")
    stage: list[str] = Field([], description="当前阶段,可重复")
    category: list[str] = Field([], description="项目类别,可重复")
    department: list[Id] = Field([], description="责任部门编号,可重复")
    chain: list[Id] = Field([], description="产业链标签编号,可重复")
    channel: list[Id] = Field([], description="招商渠道标签编号,可重复")
    size: str | None = Field(None, description="large 亿元以上 / 5020")
    reached: str | None = Field(None, description="期间(start–end)内到达的阶段")
    start: datetime.date | None = None
    end: datetime.date | None = None
    overdue: bool | None = Field(None, description="承诺逾期")
    ordering: str | None = Field(None, description="如 name、-planned_investment、-signed_on")
    zone: str | None = Field(None, description="园区代码;默认所有可见园区")
    page: int = 1
    page_size: int = Field(DEFAULT_PAGE_SIZE, description="最大 500,超出按 500")


Money = Annotated[Decimal, Field(description="万元")]
Reference = int | str


class ProjectIn(Input):
    model_config = ConfigDict(extra="forbid")

    zone: str | None = Field(None, description="园区代码;只有一个园区的用户可省略")
    name: str
    category: CategoryCode = Category.INDUSTRIAL.value
    investor_name: str
    investor_enterprise_id: Id | None = Field(None, description="投资方在本园区注册的企业编号")
    origin_province: str | None = Field(None, description="省份代码或名称(省外投资方)")
    origin_country: str = Field("", description="国家/地区(境外投资方)")
    industry_code: str | None = Field(None, description="GB/T 4754-2017 行业代码")
    chain: str | None = Field(None, description="产业链标签名称")
    channel: str | None = Field(None, description="招商渠道标签名称")
    planned_investment: Money
    fixed_asset_investment: Money | None = None
    foreign_investment_usd: Decimal | None = Field(None, description="万美元")
    land_mu: Decimal | None = Field(None, description="亩")
    building_area: Decimal | None = Field(None, description="平方米")
    expected_output: Money | None = None
    expected_tax: Money | None = None
    expected_jobs: int | None = None
    department: Reference | None = Field(None, description="责任部门名称或编号")
    officer: str | None = Field(None, description="责任人账号")
    site: str = ""
    summary: str = ""
    stage: Literal[tuple(Stage.values)] = Field(
        Stage.LEAD.value, description="登记时的阶段:lead / visit / negotiation / signed"
    )
    on: datetime.date | None = Field(None, description="进入该阶段的日期;默认今天")
    note: str = ""


class ProjectPatch(Input):
    """Only the fields sent are changed. A field that cannot be empty cannot be sent as null."""

    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(None, description="编辑开始时的版本;也可用 If-Match 请求头")
    name: str = None
    category: CategoryCode = None
    investor_name: str = None
    investor_enterprise_id: Id | None = None
    origin_province: str | None = None
    origin_country: str = None
    industry_code: str | None = None
    chain: str | None = None
    channel: str | None = None
    planned_investment: Decimal = None
    fixed_asset_investment: Decimal | None = None
    foreign_investment_usd: Decimal | None = None
    land_mu: Decimal | None = None
    building_area: Decimal | None = None
    expected_output: Decimal | None = None
    expected_tax: Decimal | None = None
    expected_jobs: int | None = None
    department: Reference | None = None
    officer: str | None = None
    site: str = None
    summary: str = None


class StageIn(Input):
    model_config = ConfigDict(extra="forbid")

    stage: str = Field(max_length=20, description="目标阶段,如 visit、signed、on_hold")
    on: datetime.date = Field(description="日期 YYYY-MM-DD")
    note: str = Field("", description="说明;退回、暂缓、终止必填")
    version: int | None = Field(None, description="也可用 If-Match 请求头")


class DeleteQuery(Input):
    reason: str | None = Field(None, description="删除理由(也可放在请求体)")


class DeleteIn(Input):
    model_config = ConfigDict(extra="forbid")

    reason: str = ""
    version: int | None = None


class AuditEntryOut(Schema):
    time: datetime.datetime
    actor_name: str
    action: str
    action_name: str
    before: Any
    after: Any
    message: str


class HistoryOut(Schema):
    audit: list[AuditEntryOut]
    events: list[TimelineOut]


# --- project output -------------------------------------------------------------------------


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
    qs = with_audience(user, visible(user)).select_related(*RELATED, "investor_enterprise")
    return qs.get(pk=_valid_id(pk))


def detail_out(project: Project) -> dict:
    if not project.full:
        return public_out(project)
    today = services.today()
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


def _references(data: dict) -> dict:
    """API names → service names."""
    for api_name, field in (
        ("industry_code", "industry"),
        ("investor_enterprise_id", "investor_enterprise"),
    ):
        if api_name in data:
            data[field] = data.pop(api_name)
    return data


# --- projects -------------------------------------------------------------------------------


def _public_filters_only(filters: ProjectListQuery) -> None:
    """An enterprise user filters only by what their public view shows."""
    errors = {}
    for name, value in filters.model_dump().items():
        if name in PUBLIC_FILTERS or value in (None, []):
            continue
        errors[name] = [_("企业用户不能按此条件筛选")]
    if filters.ordering and filters.ordering not in PUBLIC_ORDERING:
        errors["ordering"] = [_("企业用户只能按名称或阶段日期排序")]
    if errors:
        raise ValidationError(errors)


@router.get(
    "/projects",
    response={200: ProjectList, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut},
    summary="招商项目列表(与列表页相同的筛选)",
)
def list_projects(request, filters: Query[ProjectListQuery]):
    user = request.auth
    if not sees_pipeline(user):
        _public_filters_only(filters)
    zone = zone_by_code(user, filters.zone)
    base = visible(user)
    if zone is not None:
        base = base.filter(zone=zone)
    thresholds = None
    if filters.size:
        thresholds_zone = zone or one_zone(user, None, "size")
        thresholds = services.thresholds_for(thresholds_zone)
    data = QueryDict(mutable=True)
    for name in ("q", "size", "reached", "ordering"):
        if getattr(filters, name):
            data[name] = getattr(filters, name)
    for name in ("start", "end"):
        if getattr(filters, name):
            data[name] = getattr(filters, name).isoformat()
    if filters.overdue is not None:
        data["overdue"] = "true" if filters.overdue else "false"
    for name in ("stage", "category", "department", "chain", "channel"):
        data.setlist(name, [str(v) for v in getattr(filters, name)])
    filterset = ProjectFilter(data, queryset=base, zone=zone, thresholds=thresholds)
    if zone is None:  # only references of zones the user may see are valid choices
        zones = visible_zones(user)
        tags = Tag.objects.filter(zone__in=zones)
        filterset.filters["chain"].queryset = tags.filter(category=Tag.Category.INDUSTRY_CHAIN)
        filterset.filters["channel"].queryset = tags.filter(category=Tag.Category.SOURCE_CHANNEL)
        filterset.filters["department"].queryset = Department.objects.filter(zone__in=zones)
    if not filterset.is_valid():
        raise ValidationError({f: list(m) for f, m in filterset.errors.items()})
    qs = filterset.qs
    qs = qs.order_by(*(qs.query.order_by or ("zone__code", "-stage_on")), "-pk")
    qs = with_audience(user, qs.select_related(*RELATED))
    rows, count, page, page_size = paginate(qs, filters.page, filters.page_size)
    return {
        "items": [project_out(p) if p.full else public_out(p) for p in rows],
        "count": count,
        "page": page,
        "page_size": page_size,
    }


@router.post(
    "/projects",
    response={201: ProjectDetailOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="登记招商项目",
)
def create_project(request, response: HttpResponse, payload: ProjectIn):
    user = request.auth
    data = _references(payload.model_dump())
    zone = one_zone(user, data.pop("zone"))
    stage, on, note = data.pop("stage"), data.pop("on"), data.pop("note")
    with api_field_names():
        project = services.create_project(user, zone, stage=stage, on=on, note=note, **data)
    response["Location"] = f"{request.path.rstrip('/')}/{project.pk}"
    return Status(201, detail_response(response, user, project.pk))


@router.get(
    "/projects/{int:project_id}",
    response={200: ProjectDetailOut | ProjectPublicOut, 401: ErrorOut, 404: ErrorOut},
    summary="招商项目详情(企业用户只见公开状态)",
)
def get_project(request, response: HttpResponse, project_id: int):
    return detail_response(response, request.auth, project_id)


@router.patch(
    "/projects/{int:project_id}",
    response={200: ProjectDetailOut, **WRITE_ERRORS},
    summary="修改招商项目(只改提交的字段;版本不符答 409)",
)
def update_project(
    request,
    response: HttpResponse,
    project_id: int,
    payload: ProjectPatch,
    if_match: str | None = Header(None, alias="If-Match"),
):
    user = request.auth
    changes = _references(payload.model_dump(exclude_unset=True))
    version = version_from(changes.pop("version", None), if_match, required=True)
    check_may(user, project_id, CHANGE)
    with api_field_names():
        services.update_project(user, project_id, changes, version=version)
    return detail_response(response, user, project_id)


@router.delete(
    "/projects/{int:project_id}",
    response={204: None, **WRITE_ERRORS},
    summary="删除招商项目(软删除,必须说明理由)",
)
def delete_project(
    request,
    project_id: int,
    params: Query[DeleteQuery],
    payload: Body[DeleteIn | None] = None,
    if_match: str | None = Header(None, alias="If-Match"),
):
    user = request.auth
    reason = (payload.reason if payload and payload.reason else params.reason) or ""
    version = version_from(payload.version if payload else None, if_match, required=False)
    check_may(user, project_id, DELETE)
    services.delete_project(user, project_id, reason=reason, version=version)
    return Status(204, None)


@router.post(
    "/projects/{int:project_id}/stage",
    response={200: ProjectDetailOut, **WRITE_ERRORS},
    summary="变更项目阶段(推进、退回、暂缓、终止、恢复)",
)
def move_stage(
    request,
    response: HttpResponse,
    project_id: int,
    payload: StageIn,
    if_match: str | None = Header(None, alias="If-Match"),
):
    user = request.auth
    version = version_from(payload.version, if_match, required=True)
    check_may(user, project_id, CHANGE)
    services.move_stage(
        user, project_id, payload.stage.strip(), on=payload.on, note=payload.note, version=version
    )
    return detail_response(response, user, project_id)


@router.get(
    "/projects/{int:project_id}/history",
    response={200: HistoryOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="招商项目的变更记录与阶段事件",
)
def history(request, project_id: int):
    user = request.auth
    project = load(user, project_id)
    if not project.full:
        raise Forbidden(_("无权查看该项目的变更记录"))
    records = AuditRecord.objects.for_object(project).order_by("-time", "-id")
    return {
        "audit": [
            {
                "time": local(r.time),
                "actor_name": r.actor_name,
                "action": r.action,
                "action_name": r.get_action_display(),
                "before": r.before,
                "after": r.after,
                "message": r.message,
            }
            for r in records
        ],
        "events": [event_out(e) for e in project.events.order_by("-on", "-id")],
    }


# --- commitments and funds in place ---------------------------------------------------------


class CommitmentIn(Input):
    """The whole commitment: fields left out are cleared."""

    model_config = ConfigDict(extra="forbid")

    investment: Money | None = None
    funds_in_place: Money | None = None
    funds_by: datetime.date | None = None
    start_by: datetime.date | None = None
    production_by: datetime.date | None = None
    land_mu: Decimal | None = Field(None, description="亩")
    annual_output: Money | None = None
    annual_tax: Money | None = None
    jobs: int | None = None
    note: str = ""
    version: int | None = Field(
        None, description="承诺的版本(详情中 commitment.version);修改已有承诺时必填"
    )


class FundsIn(Input):
    model_config = ConfigDict(extra="forbid")

    on: datetime.date
    amount: Money
    source: SourceCode = FundsEntry.Source.OUT_OF_PROVINCE.value
    note: str = ""


@router.put(
    "/projects/{int:project_id}/commitment",
    response={200: ProjectDetailOut, **WRITE_ERRORS},
    summary="登记或修改投资承诺(签约后)",
)
def save_commitment(request, response: HttpResponse, project_id: int, payload: CommitmentIn):
    user = request.auth
    data = payload.model_dump()
    version = data.pop("version")
    check_may(user, project_id, CHANGE)
    if version is None and Commitment.objects.filter(project_id=project_id).exists():
        raise ValidationError(
            {"version": _("该项目已有投资承诺,请提供其版本号(commitment.version)")}
        )
    services.save_commitment(user, project_id, data, version=version)
    return detail_response(response, user, project_id)


@router.post(
    "/projects/{int:project_id}/funds",
    response={201: FundsOut, **WRITE_ERRORS},
    summary="登记实际到位资金",
)
def add_funds(request, project_id: int, payload: FundsIn):
    user = request.auth
    check_may(user, project_id, CHANGE)
    entry = services.add_funds(
        user,
        project_id,
        on=payload.on,
        amount=payload.amount,
        source=payload.source,
        note=payload.note,
    )
    return Status(201, funds_out(entry))


@router.delete(
    "/funds/{int:funds_id}",
    response={204: None, **WRITE_ERRORS},
    summary="删除到位资金记录(必须说明理由)",
)
def delete_funds(
    request, funds_id: int, params: Query[DeleteQuery], payload: Body[DeleteIn | None] = None
):
    user = request.auth
    reason = (payload.reason if payload and payload.reason else params.reason) or ""
    seen = FundsEntry.objects.restrict(user, VIEW).filter(
        pk=_valid_id(funds_id, FundsEntry), project__is_deleted=False
    )
    if not seen.exists():
        raise FundsEntry.DoesNotExist()
    if not FundsEntry.objects.restrict(user, CHANGE).filter(pk=funds_id).exists():
        raise Forbidden(_("无权删除该到位资金记录"))
    services.delete_funds(user, funds_id, reason=reason)
    return Status(204, None)


# --- documents ------------------------------------------------------------------------------


def visible_document(user, pk: int, action: str = VIEW):
    return Document.objects.restrict(user, action).filter(
        pk=_valid_id(pk, Document), is_deleted=False, project__is_deleted=False
    )


@router.post(
    "/projects/{int:project_id}/documents",
    response={201: DocumentOut, **WRITE_ERRORS},
    summary="上传项目材料(PDF、图片、Word、Excel,按内容识别类型)",
)
def upload_document(
    request,
    response: HttpResponse,
    project_id: int,
    kind: Form[str],
    file: File[UploadedFile],
):
    user = request.auth
    check_may(user, project_id, CHANGE)
    document = services.add_document(user, project_id, kind=kind.strip(), upload=file)
    response["Location"] = f"/api/v1/investment/documents/{document.pk}"
    return Status(201, document_out(document))


def content_disposition(name: str, pk: int) -> str:
    fallback = re.sub(r"[^A-Za-z0-9._ -]", "", name).strip(" .")
    ext = name.rpartition(".")[2] if "." in name else ""
    if not fallback or fallback.startswith(".") or fallback != name:
        fallback = f"document-{pk}" + (f".{re.sub(r'[^A-Za-z0-9]', '', ext)}" if ext else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@router.get(
    "/documents/{int:document_id}",
    response={401: ErrorOut, 404: ErrorOut},
    summary="下载项目材料",
    openapi_extra={
        "responses": {
            200: {
                "description": "文件内容(附件)",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def download_document(request, document_id: int):
    document = visible_document(request.auth, document_id).first()
    if document is None:
        raise Document.DoesNotExist()
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise HttpError(404, _("材料文件已丢失,请重新上传")) from None
    response = FileResponse(handle, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition(document.name, document.pk)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@router.delete(
    "/documents/{int:document_id}",
    response={204: None, **WRITE_ERRORS},
    summary="删除项目材料",
)
def delete_document(
    request, document_id: int, params: Query[DeleteQuery], payload: Body[DeleteIn | None] = None
):
    user = request.auth
    reason = (payload.reason if payload and payload.reason else params.reason) or ""
    if not visible_document(user, document_id).exists():
        raise Document.DoesNotExist()
    if not visible_document(user, document_id, CHANGE).exists():
        raise Forbidden(_("无权删除该材料"))
    services.delete_document(user, document_id, reason=reason)
    return Status(204, None)


# --- campaigns ------------------------------------------------------------------------------


class CampaignOut(Schema):
    id: int
    zone: str
    name: str
    start: datetime.date
    end: datetime.date
    target_projects: int | None
    target_investment: str | None = Field(description="目标签约投资额,万元,十进制字符串")
    target_large: int | None
    note: str
    version: int
    created_at: datetime.datetime


class DailyOut(Schema):
    date: datetime.date
    signed: int
    investment_wan: int | float


class ProgressOut(Schema):
    projects: float | None = Field(description="签约项目数完成目标的百分比")
    investment: float | None
    large: float | None
    time: float | None = Field(description="时间进度百分比")


class CampaignFigures(Schema):
    signed: FigureOut
    started: FigureOut
    production: FigureOut
    over_100m: int
    class_5020: int


class CampaignDetailOut(CampaignOut):
    figures: CampaignFigures
    progress: ProgressOut
    days_elapsed: int
    days_total: int
    daily: list[DailyOut]


class CampaignList(Schema):
    items: list[CampaignOut]
    count: int


class CampaignQuery(Input):
    zone: str | None = Field(None, description="园区代码;默认所有可见园区")


class CampaignIn(Input):
    model_config = ConfigDict(extra="forbid")

    zone: str | None = Field(None, description="园区代码;只有一个园区的用户可省略")
    name: str
    start: datetime.date
    end: datetime.date
    target_projects: int | None = None
    target_investment: Money | None = None
    target_large: int | None = None
    note: str = ""


class CampaignPatch(Input):
    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(None, description="编辑开始时的版本;也可用 If-Match 请求头")
    name: str = None
    start: datetime.date = None
    end: datetime.date = None
    target_projects: int | None = None
    target_investment: Decimal | None = None
    target_large: int | None = None
    note: str = None


def campaign_out(c: Campaign) -> dict:
    return {
        "id": c.pk,
        "zone": c.zone.code,
        "name": c.name,
        "start": c.start,
        "end": c.end,
        "target_projects": c.target_projects,
        "target_investment": money(c.target_investment),
        "target_large": c.target_large,
        "note": c.note,
        "version": c.version,
        "created_at": local(c.created_at),
    }


def campaign_detail(user, pk: int, response=None) -> dict:
    campaign = (
        Campaign.objects.restrict(user, VIEW).select_related("zone").get(pk=_valid_id(pk, Campaign))
    )
    projects = full_visible(user).filter(zone=campaign.zone)
    thresholds = services.thresholds_for(campaign.zone)
    data = summary.campaign_progress(projects, campaign, thresholds, services.today())
    figures = data["figures"]
    if response is not None:
        response["ETag"] = f'"{campaign.version}"'
    return {
        **campaign_out(campaign),
        "figures": {
            "signed": figure_out(figures["signed"]),
            "started": figure_out(figures["started"]),
            "production": figure_out(figures["production"]),
            "over_100m": figures["over_100m"],
            "class_5020": figures["class_5020"],
        },
        "progress": {k: percent(v) for k, v in data["progress"].items()},
        "days_elapsed": data["days_elapsed"],
        "days_total": data["days_total"],
        "daily": [
            {
                "date": d["date"],
                "signed": d["signed"],
                "investment_wan": number(d["investment_wan"]),
            }
            for d in data["daily"]
        ],
    }


def check_campaign(user, pk: int, action: str) -> None:
    if not Campaign.objects.restrict(user, VIEW).filter(pk=_valid_id(pk, Campaign)).exists():
        raise Campaign.DoesNotExist()
    if services.is_staff_only(user) or not (
        Campaign.objects.restrict(user, action).filter(pk=pk).exists()
    ):
        raise Forbidden(_("只有园区管理员可以修改或删除招商活动"))


@router.get(
    "/campaigns",
    response={200: CampaignList, **READ_ERRORS},
    summary="招商活动列表",
)
def list_campaigns(request, filters: Query[CampaignQuery]):
    user = request.auth
    require_pipeline(user, _("无权查看招商活动"))
    qs = Campaign.objects.restrict(user, VIEW).select_related("zone")
    zone = zone_by_code(user, filters.zone)
    if zone is not None:
        qs = qs.filter(zone=zone)
    items = [campaign_out(c) for c in qs.order_by("zone__code", "-start", "-pk")]
    return {"items": items, "count": len(items)}


@router.post(
    "/campaigns",
    response={201: CampaignDetailOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="设立招商活动(园区管理员)",
)
def create_campaign(request, response: HttpResponse, payload: CampaignIn):
    user = request.auth
    require_pipeline(user, _("只有园区管理员可以设立招商活动"))
    data = payload.model_dump()
    zone = one_zone(user, data.pop("zone"))
    campaign = services.create_campaign(user, zone, **data)
    response["Location"] = f"{request.path.rstrip('/')}/{campaign.pk}"
    return Status(201, campaign_detail(user, campaign.pk, response))


@router.get(
    "/campaigns/{int:campaign_id}",
    response={200: CampaignDetailOut, 401: ErrorOut, 404: ErrorOut},
    summary="招商活动详情与进度",
)
def get_campaign(request, response: HttpResponse, campaign_id: int):
    return campaign_detail(request.auth, campaign_id, response)


@router.patch(
    "/campaigns/{int:campaign_id}",
    response={200: CampaignDetailOut, **WRITE_ERRORS},
    summary="修改招商活动(园区管理员;版本不符答 409)",
)
def update_campaign(
    request,
    response: HttpResponse,
    campaign_id: int,
    payload: CampaignPatch,
    if_match: str | None = Header(None, alias="If-Match"),
):
    user = request.auth
    changes = payload.model_dump(exclude_unset=True)
    version = version_from(changes.pop("version", None), if_match, required=True)
    check_campaign(user, campaign_id, CHANGE)
    services.update_campaign(user, campaign_id, changes, version=version)
    return campaign_detail(user, campaign_id, response)


@router.delete(
    "/campaigns/{int:campaign_id}",
    response={204: None, **WRITE_ERRORS},
    summary="删除招商活动(园区管理员)",
)
def delete_campaign(request, campaign_id: int):
    user = request.auth
    check_campaign(user, campaign_id, DELETE)
    services.delete_campaign(user, campaign_id)
    return Status(204, None)


# --- department targets ---------------------------------------------------------------------


class TargetRowOut(Schema):
    department_id: int | None
    department: str
    year: int
    target_projects: int | None
    target_investment: str | None = Field(description="万元,十进制字符串")
    target_large: int | None
    signed: int
    signed_investment_wan: int | float
    large: int
    started: int
    production: int
    progress: ProgressOut


class TargetList(Schema):
    zone: str
    year: int
    items: list[TargetRowOut]


class TargetQuery(Input):
    year: int | None = Field(None, description="年度;默认今年")
    zone: str | None = Field(None, description="园区代码;可查看多个园区时必填")


class TargetIn(Input):
    model_config = ConfigDict(extra="forbid")

    zone: str | None = Field(None, description="园区代码;只有一个园区的用户可省略")
    department: Reference = Field(description="部门名称或编号")
    year: int
    target_projects: int | None = None
    target_investment: Money | None = None
    target_large: int | None = None


def _share(done, target) -> float | None:
    return round(float(Decimal(done) * 100 / Decimal(target)), 1) if target else None


def target_rows(user, zone, year: int) -> list[dict]:
    if not 2000 <= year <= services.today().year + 1:
        raise ValidationError(
            {"year": _("年度应在 2000 至 %(y)s 之间") % {"y": services.today().year + 1}}
        )
    period = summary.parse_period(str(year), today=services.today())
    targets = list(DepartmentTarget.objects.filter(zone=zone, year=year))
    projects = full_visible(user).filter(zone=zone)
    stats = {
        row["department_id"]: row
        for row in summary.departments(projects, period, services.thresholds_for(zone), targets)
    }
    by_department = {t.department_id: t for t in targets}
    departments = [(d.pk, d.name) for d in Department.objects.filter(zone=zone).order_by("name")]
    if None in stats:
        departments.append((None, stats[None]["department"]))
    rows = []
    for pk, name in departments:
        row, target = stats.get(pk, {}), by_department.get(pk)
        signed = row.get("signed", 0)
        investment = row.get("signed_investment_wan", Decimal("0"))
        large = row.get("large", 0)
        rows.append(
            {
                "department_id": pk,
                "department": name,
                "year": year,
                "target_projects": target.target_projects if target else None,
                "target_investment": money(target.target_investment) if target else None,
                "target_large": target.target_large if target else None,
                "signed": signed,
                "signed_investment_wan": number(investment),
                "large": large,
                "started": row.get("started", 0),
                "production": row.get("production", 0),
                "progress": {
                    "projects": _share(signed, target and target.target_projects),
                    "investment": _share(investment, target and target.target_investment),
                    "large": _share(large, target and target.target_large),
                    "time": None,
                },
            }
        )
    return rows


@router.get(
    "/targets",
    response={200: TargetList, **READ_ERRORS},
    summary="部门年度招商目标与完成情况",
)
def list_targets(request, filters: Query[TargetQuery]):
    user = request.auth
    require_pipeline(user, _("无权查看部门招商目标"))
    zone = reading_zone(user, filters.zone)
    year = filters.year if filters.year is not None else services.today().year
    return {"zone": zone.code, "year": year, "items": target_rows(user, zone, year)}


@router.put(
    "/targets",
    response={200: TargetRowOut, **WRITE_ERRORS},
    summary="设定部门年度招商目标(园区管理员)",
)
def set_target(request, payload: TargetIn):
    user = request.auth
    require_pipeline(user, _("只有园区管理员可以设定部门目标"))
    zone = one_zone(user, payload.zone)
    target = services.set_department_target(
        user,
        zone,
        payload.department,
        payload.year,
        target_projects=payload.target_projects,
        target_investment=payload.target_investment,
        target_large=payload.target_large,
    )
    rows = target_rows(user, zone, target.year)
    return next(r for r in rows if r["department_id"] == target.department_id)


# --- thresholds -----------------------------------------------------------------------------


class ThresholdsOut(Schema):
    zone: str
    large: str = Field(description="亿元以上项目门槛,万元")
    class_5020: str = Field(description="5020 项目门槛,万元")
    version: int
    saved: bool = Field(description="false 表示尚未设置,使用按园区级别的默认值")


class ThresholdsQuery(Input):
    zone: str | None = Field(None, description="园区代码;可查看多个园区时必填")


class ThresholdsIn(Input):
    model_config = ConfigDict(extra="forbid")

    zone: str | None = Field(None, description="园区代码;只有一个园区的用户可省略")
    large: Money
    class_5020: Money
    version: int | None = Field(None, description="已设置过门槛时必填;也可用 If-Match 请求头")


def thresholds_out(t: Thresholds, response=None) -> dict:
    if response is not None:
        response["ETag"] = f'"{t.version}"'
    return {
        "zone": t.zone.code,
        "large": money(t.large),
        "class_5020": money(t.class_5020),
        "version": t.version,
        "saved": t.pk is not None,
    }


@router.get(
    "/thresholds",
    response={200: ThresholdsOut, **READ_ERRORS},
    summary="园区项目规模门槛(亿元以上、5020)",
)
def get_thresholds(request, response: HttpResponse, filters: Query[ThresholdsQuery]):
    user = request.auth
    require_pipeline(user, _("无权查看项目规模门槛"))
    zone = reading_zone(user, filters.zone)
    return thresholds_out(services.thresholds_for(zone), response)


@router.put(
    "/thresholds",
    response={200: ThresholdsOut, **WRITE_ERRORS},
    summary="设置园区项目规模门槛(园区管理员;版本不符答 409)",
)
def put_thresholds(
    request,
    response: HttpResponse,
    payload: ThresholdsIn,
    if_match: str | None = Header(None, alias="If-Match"),
):
    user = request.auth
    require_pipeline(user, _("只有园区管理员可以设置项目规模门槛"))
    zone = one_zone(user, payload.zone)
    if services.is_staff_only(user) or not can_add(user, Thresholds, zone):
        raise Forbidden(_("只有园区管理员可以设置项目规模门槛"))
    saved = Thresholds.objects.filter(zone=zone).exists()
    version = version_from(payload.version, if_match, required=saved)
    thresholds = services.save_thresholds(
        user, zone, large=payload.large, class_5020=payload.class_5020, version=version
    )
    return thresholds_out(thresholds, response)
