"""Projects: the list (the list page's filters), create, read, edit, stage moves, delete, history."""

from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Body, Field, Header, Query, Status
from pydantic import ConfigDict

from gaoxin.core.api import (
    CURSOR,
    DEFAULT_PAGE_SIZE,
    WRITE_ERRORS,
    AuditEntryOut,
    Count,
    DeleteIn,
    DeleteQuery,
    ErrorOut,
    Id,
    Input,
    Int,
    IsoDate,
    PageOut,
    PathId,
    Schema,
    api_field_names,
    audit_entries,
    delete_reason,
    filter_data,
    filtered,
    one_zone,
    paginate,
    service_names,
    version_from,
    zone_by_code,
)
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord, Department, Tag
from gaoxin.core.models.access import CHANGE, DELETE
from gaoxin.core.zones import visible_zones

from .. import services
from ..filters import ProjectFilter
from ..models import Category, Stage
from .common import (
    CategoryCode,
    Money,
    Reference,
    check_may,
    router,
    visible,
    with_audience,
)
from .detail import (
    RELATED,
    ProjectDetailOut,
    ProjectOut,
    ProjectPublicOut,
    TimelineOut,
    detail_response,
    event_out,
    load,
    project_out,
    public_out,
)

# Service field names that the API spells differently.
API_FIELD_NAMES = {"industry": "industry_code", "investor_enterprise": "investor_enterprise_id"}
# Filters of the list an enterprise user may use: the others would reveal money or dates.
PUBLIC_FILTERS = {"q", "stage", "category", "zone", "page", "page_size", "ordering"}
PUBLIC_ORDERING = {"name", "-name", "stage_on", "-stage_on"}


class ProjectList(PageOut):
    items: list[ProjectOut | ProjectPublicOut]


class ProjectListQuery(Input):
    q: str | None = Field(None, max_length=100, description="项目名称或投资方片段")
    stage: list[str] = Field([], description="当前阶段,可重复")
    category: list[str] = Field([], description="项目类别,可重复")
    department: list[Id] = Field([], description="责任部门编号,可重复")
    chain: list[Id] = Field([], description="产业链标签编号,可重复")
    channel: list[Id] = Field([], description="招商渠道标签编号,可重复")
    size: str | None = Field(None, description="large 亿元以上 / 5020")
    reached: str | None = Field(None, description="期间(start–end)内到达的阶段")
    start: IsoDate | None = None
    end: IsoDate | None = None
    overdue: bool | None = Field(None, description="承诺逾期")
    ordering: str | None = Field(None, description="如 name、-planned_investment、-signed_on")
    zone: str | None = Field(None, description="园区代码;默认所有可见园区")
    page: Int = 1
    page_size: Int = Field(DEFAULT_PAGE_SIZE, description="最大 500,超出按 500")
    cursor: str | None = CURSOR


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
    expected_jobs: Count | None = None
    department: Reference | None = Field(None, description="责任部门名称或编号")
    officer: str | None = Field(None, description="责任人账号")
    site: str = ""
    summary: str = ""
    stage: Literal[tuple(Stage.values)] = Field(
        Stage.LEAD.value, description="登记时的阶段:lead / visit / negotiation / signed"
    )
    on: IsoDate | None = Field(None, description="进入该阶段的日期;默认今天")
    note: str = ""


class ProjectPatch(Input):
    """Only the fields sent are changed. A field that cannot be empty cannot be sent as null."""

    model_config = ConfigDict(extra="forbid")

    version: Int | None = Field(None, description="编辑开始时的版本;也可用 If-Match 请求头")
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
    expected_jobs: Count | None = None
    department: Reference | None = None
    officer: str | None = None
    site: str = None
    summary: str = None


class StageIn(Input):
    model_config = ConfigDict(extra="forbid")

    stage: str = Field(max_length=20, description="目标阶段,如 visit、signed、on_hold")
    on: IsoDate = Field(description="日期 YYYY-MM-DD")
    note: str = Field("", description="说明;退回、暂缓、终止必填")
    version: Int | None = Field(None, description="也可用 If-Match 请求头")


class ProjectHistoryOut(Schema):
    audit: list[AuditEntryOut]
    events: list[TimelineOut]


# --- endpoints ------------------------------------------------------------------------------


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
    if not services.sees_pipeline(user):
        _public_filters_only(filters)
    zone = zone_by_code(user, filters.zone)
    base = visible(user)
    if zone is not None:
        base = base.filter(zone=zone)
    thresholds = None
    if filters.size:
        thresholds_zone = zone or one_zone(user, None, "size")
        thresholds = services.thresholds_for(thresholds_zone)
    data = filter_data(filters)
    filterset = ProjectFilter(data, queryset=base, zone=zone, thresholds=thresholds)
    if zone is None:  # only references of zones the user may see are valid choices
        zones = visible_zones(user)
        tags = Tag.objects.filter(zone__in=zones)
        filterset.filters["chain"].queryset = tags.filter(category=Tag.Category.INDUSTRY_CHAIN)
        filterset.filters["channel"].queryset = tags.filter(category=Tag.Category.SOURCE_CHANNEL)
        filterset.filters["department"].queryset = Department.objects.filter(zone__in=zones)
    qs = filtered(filterset)
    qs = qs.order_by(*(qs.query.order_by or ("zone_id", "-stage_on")), "-pk")
    qs = with_audience(user, qs.select_related(*RELATED))
    page = paginate(qs, filters.page, filters.page_size, filters.cursor)
    return page.out([project_out(p) if p.full else public_out(p) for p in page.rows])


@router.post(
    "/projects",
    response={201: ProjectDetailOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="登记招商项目",
)
def create_project(request, response: HttpResponse, payload: ProjectIn):
    user = request.auth
    data = service_names(payload.model_dump(), API_FIELD_NAMES)
    zone = one_zone(user, data.pop("zone"))
    stage, on, note = data.pop("stage"), data.pop("on"), data.pop("note")
    with api_field_names(API_FIELD_NAMES):
        project = services.create_project(user, zone, stage=stage, on=on, note=note, **data)
    response["Location"] = f"{request.path.rstrip('/')}/{project.pk}"
    return Status(201, detail_response(response, user, project.pk))


@router.get(
    "/projects/{int:project_id}",
    response={200: ProjectDetailOut | ProjectPublicOut, 401: ErrorOut, 404: ErrorOut},
    summary="招商项目详情(企业用户只见公开状态)",
)
def get_project(request, response: HttpResponse, project_id: PathId):
    return detail_response(response, request.auth, project_id)


@router.patch(
    "/projects/{int:project_id}",
    response={200: ProjectDetailOut, **WRITE_ERRORS},
    summary="修改招商项目(只改提交的字段;版本不符答 409)",
)
def update_project(
    request,
    response: HttpResponse,
    project_id: PathId,
    payload: ProjectPatch,
    if_match: str | None = Header(None, alias="If-Match"),
):
    user = request.auth
    changes = service_names(payload.model_dump(exclude_unset=True), API_FIELD_NAMES)
    version = version_from(changes.pop("version", None), if_match, required=True)
    check_may(user, project_id, CHANGE)
    with api_field_names(API_FIELD_NAMES):
        services.update_project(user, project_id, changes, version=version)
    return detail_response(response, user, project_id)


@router.delete(
    "/projects/{int:project_id}",
    response={204: None, **WRITE_ERRORS},
    summary="删除招商项目(软删除,必须说明理由)",
)
def delete_project(
    request,
    project_id: PathId,
    params: Query[DeleteQuery],
    payload: Body[DeleteIn | None] = None,
    if_match: str | None = Header(None, alias="If-Match"),
):
    user = request.auth
    reason = delete_reason(params, payload)
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
    project_id: PathId,
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
    response={200: ProjectHistoryOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="招商项目的变更记录与阶段事件",
)
def history(request, project_id: PathId):
    user = request.auth
    project = load(user, project_id)
    if not project.full:
        raise Forbidden(_("无权查看该项目的变更记录"))
    records = AuditRecord.objects.for_object(project).order_by("-time", "-id")
    return {
        "audit": audit_entries(records),
        "events": [event_out(e) for e in project.events.order_by("-on", "-id")],
    }
