"""The enterprise registry over REST: list, read, create, edit, change status, delete, history.

Reads start from `Enterprise.objects.restrict()`; every write goes through `services`. An
enterprise the user cannot see answers 404 "未找到该企业"; one they can see but may not change
answers 403, with nothing written.
"""

import datetime
from decimal import Decimal
from typing import Literal

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Body, Field, Header, Query, Router, Status
from pydantic import ConfigDict

from gaoxin.core.api import (
    CURSOR,
    DEFAULT_PAGE_SIZE,
    READ_ERRORS,
    WRITE_ERRORS,
    AuditEntryOut,
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
    check_access,
    delete_reason,
    filter_data,
    filtered,
    local,
    money,
    one_zone,
    paginate,
    service_names,
    valid_id,
    version_from,
    zone_by_code,
)
from gaoxin.core.models import AuditRecord, Tag
from gaoxin.core.models.access import CHANGE, DELETE, VIEW
from gaoxin.core.zones import visible_zones

from . import services
from .filters import EnterpriseFilter
from .models import Enterprise, Scale
from .models import Status as EnterpriseStatus

router = Router(tags=["企业"])

StatusCode = Literal[tuple(EnterpriseStatus.values)]
ScaleCode = Literal[("", *Scale.values)]
# Service field names that the API spells differently.
API_FIELD_NAMES = {"industry": "industry_code"}


# --- schemas --------------------------------------------------------------------------------


class ContactOut(Schema):
    id: int
    name: str
    title: str
    phone: str
    email: str
    is_primary: bool


class EnterpriseOut(Schema):
    id: int
    name: str
    uscc: str = Field(description="统一社会信用代码")
    industry_code: str = Field(description="GB/T 4754-2017 小类(4 位)")
    industry_name: str
    status: str
    status_name: str
    status_since: datetime.date | None
    zone: str = Field(description="园区代码")
    zone_name: str
    legal_representative: str
    registered_capital: str | None = Field(description="注册资本,万元,十进制字符串")
    established_on: datetime.date | None
    address: str
    scale: str
    scale_name: str
    above_scale: bool
    above_scale_since: datetime.date | None
    high_tech: bool
    tags: list[str]
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class EnterpriseDetailOut(EnterpriseOut):
    uscc_override_reason: str
    contacts: list[ContactOut]


class EnterpriseList(PageOut):
    items: list[EnterpriseOut]


class ContactIn(Input):
    model_config = ConfigDict(extra="forbid")

    name: str
    title: str = ""
    phone: str = ""
    email: str = ""
    is_primary: bool = False


class EnterpriseIn(Input):
    model_config = ConfigDict(extra="forbid")

    zone: str | None = Field(None, description="园区代码;只有一个园区的用户可省略")
    name: str
    uscc: str
    industry_code: str = Field(description="GB/T 4754-2017 小类(4 位)")
    legal_representative: str = ""
    registered_capital: Decimal | None = Field(None, description="万元")
    established_on: IsoDate | None = None
    address: str = ""
    scale: ScaleCode = ""
    above_scale: bool = False
    above_scale_since: IsoDate | None = None
    high_tech: bool = False
    status: StatusCode = EnterpriseStatus.OPERATING.value
    status_since: IsoDate | None = None
    tags: list[str] = Field([], description="本园区已定义的标签名称")
    contacts: list[ContactIn] = []
    uscc_override_reason: str = Field("", description="校验例外理由(仅管理员)")


class EnterprisePatch(Input):
    """Only the fields sent are changed. A field that cannot be empty cannot be sent as null."""

    model_config = ConfigDict(extra="forbid")

    version: Int | None = Field(None, description="编辑开始时的版本;也可用 If-Match 请求头")
    name: str = None
    uscc: str = None
    industry_code: str = None
    legal_representative: str = None
    registered_capital: Decimal | None = None
    established_on: IsoDate | None = None
    address: str = None
    scale: ScaleCode = None
    above_scale: bool = None
    above_scale_since: IsoDate | None = None
    high_tech: bool = None
    tags: list[str] = None
    contacts: list[ContactIn] = Field(None, description="整体替换联系人")
    uscc_override_reason: str = None


class StatusIn(Input):
    model_config = ConfigDict(extra="forbid")

    status: StatusCode
    on: IsoDate
    note: str = ""
    version: Int | None = Field(None, description="也可用 If-Match 请求头")


class StatusChangeOut(Schema):
    status: str
    status_name: str
    on: datetime.date
    note: str
    actor_name: str
    created_at: datetime.datetime


class HistoryOut(Schema):
    audit: list[AuditEntryOut]
    status_changes: list[StatusChangeOut]


class ListQuery(Input):
    q: str | None = Field(None, description="名称片段或信用代码前缀")
    industry: str | None = Field(None, description="行业代码,任一层级(C、39、397、3974)")
    status: list[str] = Field([], description="经营状态,可重复")
    scale: list[str] = Field([], description="企业规模,可重复")
    above_scale: bool | None = None
    high_tech: bool | None = None
    tag: list[Id] = Field([], description="标签编号,可重复")
    ordering: str | None = Field(None, description="如 name、-registered_capital")
    zone: str | None = Field(None, description="园区代码;默认所有可见园区")
    page: Int = 1
    page_size: Int = Field(DEFAULT_PAGE_SIZE, description="最大 500,超出按 500")
    cursor: str | None = CURSOR


# --- helpers --------------------------------------------------------------------------------


def enterprise_out(e: Enterprise, *, detail: bool = False) -> dict:
    data = {
        "id": e.pk,
        "name": e.name,
        "uscc": e.uscc,
        "industry_code": e.industry_id,
        "industry_name": e.industry.name,
        "status": e.status,
        "status_name": e.get_status_display(),
        "status_since": e.status_since,
        "zone": e.zone.code,
        "zone_name": e.zone.name,
        "legal_representative": e.legal_representative,
        "registered_capital": money(e.registered_capital),
        "established_on": e.established_on,
        "address": e.address,
        "scale": e.scale,
        "scale_name": e.get_scale_display() if e.scale else "",
        "above_scale": e.above_scale,
        "above_scale_since": e.above_scale_since,
        "high_tech": e.high_tech,
        "tags": sorted(t.name for t in e.tags.all()),
        "version": e.version,
        "created_at": local(e.created_at),
        "updated_at": local(e.updated_at),
    }
    if detail:
        data["uscc_override_reason"] = e.uscc_override_reason
        data["contacts"] = [
            {
                "id": c.pk,
                "name": c.name,
                "title": c.title,
                "phone": c.phone,
                "email": c.email,
                "is_primary": c.is_primary,
            }
            for c in e.contacts.all()
        ]
    return data


def visible(user):
    return Enterprise.objects.restrict(user, VIEW).active()


def load(user, pk: int) -> Enterprise:
    """The enterprise as `user` sees it, with what the JSON needs; 404 when not visible."""
    qs = visible(user).select_related("industry", "zone").prefetch_related("tags", "contacts")
    return qs.get(pk=valid_id(pk, Enterprise))


def check_may(user, pk: int, action: str) -> None:
    """404 when `user` cannot see the enterprise, 403 when they see it but may not `action` it."""
    messages = {CHANGE: _("无权修改该企业"), DELETE: _("无权删除该企业")}
    allowed = Enterprise.objects.restrict(user, action).active()
    check_access(visible(user), allowed, pk, messages[action])


def detail_response(response, user, pk: int) -> dict:
    enterprise = load(user, pk)
    response["ETag"] = f'"{enterprise.version}"'
    return enterprise_out(enterprise, detail=True)


# --- endpoints ------------------------------------------------------------------------------


@router.get(
    "",
    response={200: EnterpriseList, **READ_ERRORS},
    summary="企业列表(与列表页相同的筛选)",
)
def list_enterprises(request, filters: Query[ListQuery]):
    user = request.auth
    zone = zone_by_code(user, filters.zone)
    base = visible(user)
    if zone is not None:
        base = base.filter(zone=zone)
    filterset = EnterpriseFilter(filter_data(filters), queryset=base, zone=zone)
    # Only tags of zones the user may see are valid choices.
    tags = (
        Tag.objects.filter(zone=zone) if zone else Tag.objects.filter(zone__in=visible_zones(user))
    )
    filterset.filters["tag"].queryset = tags
    qs = filtered(filterset)
    # by zone, then name: the (zone, name, id) index, no join to the zones to order
    qs = with_relations(qs.order_by(*(qs.query.order_by or ("zone_id", "name")), "pk"))
    # The page's rows by id from the visible ones: the search is not worked out a second time.
    rows = with_relations(base)
    page = paginate(qs, filters.page, filters.page_size, filters.cursor, rows=rows)
    return page.out([enterprise_out(e) for e in page.rows])


def with_relations(enterprises):
    """What enterprise_out reads of each enterprise."""
    return enterprises.select_related("industry", "zone").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.only("id", "name"))
    )


@router.post(
    "",
    response={201: EnterpriseDetailOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="登记企业",
)
def create_enterprise(request, response: HttpResponse, payload: EnterpriseIn):
    user = request.auth
    data = payload.model_dump()
    zone = one_zone(user, data.pop("zone"), message=_("请指定园区代码"))
    contacts = data.pop("contacts")
    service_names(data, API_FIELD_NAMES)
    with api_field_names(API_FIELD_NAMES):
        enterprise = services.create_enterprise(user, zone, contacts=contacts, **data)
    response["Location"] = f"{request.path.rstrip('/')}/{enterprise.pk}"
    return Status(201, detail_response(response, user, enterprise.pk))


@router.get(
    "/{int:enterprise_id}",
    response={200: EnterpriseDetailOut, 401: ErrorOut, 404: ErrorOut},
    summary="企业详情",
)
def get_enterprise(request, response: HttpResponse, enterprise_id: PathId):
    return detail_response(response, request.auth, enterprise_id)


@router.patch(
    "/{int:enterprise_id}",
    response={200: EnterpriseDetailOut, **WRITE_ERRORS},
    summary="修改企业(只改提交的字段;版本不符答 409)",
)
def update_enterprise(
    request,
    response: HttpResponse,
    enterprise_id: PathId,
    payload: EnterprisePatch,
    if_match: str | None = Header(None, alias="If-Match"),
):
    user = request.auth
    changes = payload.model_dump(exclude_unset=True)
    version = version_from(changes.pop("version", None), if_match, required=True)
    contacts = changes.pop("contacts", None)
    service_names(changes, API_FIELD_NAMES)
    check_may(user, enterprise_id, CHANGE)
    with api_field_names(API_FIELD_NAMES):
        services.update_enterprise(user, enterprise_id, changes, version=version, contacts=contacts)
    return detail_response(response, user, enterprise_id)


@router.post(
    "/{int:enterprise_id}/status",
    response={200: EnterpriseDetailOut, **WRITE_ERRORS},
    summary="变更经营状态(在营 / 停产 / 迁出 / 注销)",
)
def change_status(
    request,
    response: HttpResponse,
    enterprise_id: PathId,
    payload: StatusIn,
    if_match: str | None = Header(None, alias="If-Match"),
):
    user = request.auth
    version = version_from(payload.version, if_match, required=True)
    check_may(user, enterprise_id, CHANGE)
    with api_field_names(API_FIELD_NAMES):
        services.change_status(
            user, enterprise_id, payload.status, on=payload.on, note=payload.note, version=version
        )
    return detail_response(response, user, enterprise_id)


@router.delete(
    "/{int:enterprise_id}",
    response={204: None, **WRITE_ERRORS},
    summary="删除企业(软删除,必须说明理由)",
)
def delete_enterprise(
    request,
    enterprise_id: PathId,
    params: Query[DeleteQuery],
    payload: Body[DeleteIn | None] = None,
    if_match: str | None = Header(None, alias="If-Match"),
):
    user = request.auth
    reason = delete_reason(params, payload)
    version = version_from(payload.version if payload else None, if_match, required=False)
    check_may(user, enterprise_id, DELETE)
    services.delete_enterprise(user, enterprise_id, reason=reason, version=version)
    return Status(204, None)


@router.get(
    "/{int:enterprise_id}/history",
    response={200: HistoryOut, 401: ErrorOut, 404: ErrorOut},
    summary="企业的变更记录与经营状态历史",
)
def history(request, enterprise_id: PathId):
    enterprise = load(request.auth, enterprise_id)
    # Whoever may see the enterprise may see its history; the audit trail as a whole stays
    # admin-only (GET /api/v1/audit).
    records = AuditRecord.objects.for_object(enterprise).order_by("-time", "-id")
    return {
        "audit": audit_entries(records),
        "status_changes": [
            {
                "status": s.status,
                "status_name": s.get_status_display(),
                "on": s.on,
                "note": s.note,
                "actor_name": s.actor_name,
                "created_at": local(s.created_at),
            }
            for s in enterprise.status_changes.order_by("-on", "-id")
        ],
    }
