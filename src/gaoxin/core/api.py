"""Platform endpoints: API tokens, who am I, zones, the industry code list, the audit trail.

Also the pieces every domain router shares: the error schemas, paging, ids, money, versions,
the 404-or-403 access check, deletion reasons and audit entries.
"""

import datetime
import re
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from typing import Any, Literal

from django.contrib.auth import authenticate, user_logged_in
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router
from ninja.errors import HttpError
from pydantic import ConfigDict, field_validator

from . import otp, tokens
from .api_history import AuditEntryOut, audit_entries, local  # noqa: F401 (shared)
from .api_paging import (  # noqa: F401 (shared)
    CURSOR,
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    PageOut,
    paginate,
)
from .api_types import MAX_ID, MAX_INT, Count, Id, Int, IsoDate, IsoDateTime, PathId, Schema  # noqa: F401 (shared)
from .audit_export import TooManyRecords
from .audit_export import export as audit_export_xlsx
from .errors import Forbidden
from .models import AuditRecord, Industry, Role, Zone
from .spreadsheets import XLSX
from .zones import home_zone, visible_zones

router = Router(tags=["平台"])

LAST_USED_EVERY = timedelta(minutes=1)
MAX_INDUSTRY_RESULTS = 50


# --- shared schemas and helpers -------------------------------------------------------------


def _without_nul(value):
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(_("不能包含空字符(\\x00)"))
    if isinstance(value, list | tuple):
        for item in value:
            _without_nul(item)
    return value


class Input(Schema):
    """Base of every request schema: NUL characters are refused here, because PostgreSQL
    cannot store or even compare them and would answer a 500."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value):
        return _without_nul(value)


class FieldError(Schema):
    field: str = Field(description="出错的字段(空字符串表示整体)")
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


class StaleOut(ErrorOut):
    current_version: int


AUTH_ERRORS = {401: ErrorOut}
# A read any signed-in user may make: only a bad query (400, 422) or no sign-in (401) fails it.
READ_ERRORS = {400: ErrorOut, 401: ErrorOut, 422: ErrorOut}
# A read that may be refused: also 403 (role) and 404 (no such object, or not visible).
SCOPED_READ_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {**SCOPED_READ_ERRORS, 409: StaleOut}


class PackageRouter(Router):
    """A router whose endpoints live in the modules of one package (`gaoxin.investment.api`).

    Ninja names an operation after its function's module; here the package names it
    (`gaoxin_investment_api_list_projects`), so splitting the package by concept never changes
    an operation id. An explicit `operation_id=` still wins.
    """

    def __init__(self, package: str, **kwargs):
        super().__init__(**kwargs)
        self.package = package

    def add_api_operation(self, path, methods, view_func, *, operation_id=None, **kwargs):
        if operation_id is None:
            operation_id = f"{self.package}_{view_func.__name__}".replace(".", "_")
        return super().add_api_operation(
            path, methods, view_func, operation_id=operation_id, **kwargs
        )


def zone_by_code(user, code: str | None, field: str = "zone") -> Zone | None:
    """A zone the user may see, by code; unknown and not visible read the same."""
    if code is None or code == "":
        return None
    if "\x00" in code:  # a plain query parameter, not checked by Input: PostgreSQL would 500
        raise ValidationError({field: _("不能包含空字符(\\x00)")})
    zone = visible_zones(user).filter(code=code.strip()).first()
    if zone is None:
        raise ValidationError({field: _("未找到园区代码 %(c)s") % {"c": code}})
    return zone


def reading_zone(user, code: str | None, field: str = "zone") -> Zone:
    """For reads: the zone named by `code`, else the one the user works in, as on the pages
    (their own membership's zone, or the first zone they may see). The answer names it."""
    zone = zone_by_code(user, code, field)
    if zone is not None:
        return zone
    zone = home_zone(user)
    if zone is None:
        raise ValidationError({field: _("您没有可查看的园区")})
    return zone


def one_zone(user, code: str | None, field: str = "zone", message: str | None = None) -> Zone:
    """For writes: the zone named by `code`, or the user's only zone; 422 when none is named and
    the user does not have exactly one."""
    zone = zone_by_code(user, code, field)
    if zone is not None:
        return zone
    zones = list(visible_zones(user)[:2])
    if len(zones) != 1:
        raise ValidationError({field: message or _("您可查看多个园区,请用 zone 参数指定园区代码")})
    return zones[0]


def valid_id(pk: int, model) -> int:
    """`pk`, or `model.DoesNotExist` (a 404) when no row can have it."""
    if not 0 < pk <= MAX_ID:  # a huge id would overflow the database driver
        raise model.DoesNotExist()
    return pk


def check_access(visible, allowed, pk: int, forbidden: str | Callable[[], str]) -> None:
    """404 when row `pk` is not in the queryset `visible`, 403 with `forbidden` (a message, or a
    function that gives it) when it is but not in `allowed`. Services answer both with
    DoesNotExist (their `get_for`); the API tells them apart first."""
    if not visible.filter(pk=valid_id(pk, visible.model)).exists():
        raise visible.model.DoesNotExist()
    if not allowed.filter(pk=pk).exists():
        raise Forbidden(forbidden() if callable(forbidden) else forbidden)


def number(value) -> int | float | None:
    """A stored figure as a JSON number: 23400 for an integral amount, else a float."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def money(value: Decimal | None) -> str | None:
    """A stored amount as a decimal string without trailing zeros."""
    if value is None:
        return None
    return format(value.normalize(), "f")  # 1000.0000 → "1000", 12.5000 → "12.5"


def version_from(body_version: int | None, if_match: str | None, *, required: bool) -> int | None:
    """The version an edit started from: the body's `version`, else the If-Match header."""
    if body_version is not None:
        return body_version
    if if_match:
        m = re.fullmatch(r'\s*(?:W/)?"?(\d{1,9})"?\s*', if_match)
        if m is None:
            raise ValidationError({"If-Match": _('If-Match 应为版本号,如 "3"')})
        return int(m.group(1))
    if required:
        raise ValidationError(
            {"version": _("请提供编辑开始时的版本号(请求体 version 或 If-Match 请求头)")}
        )
    return None


def service_names(data: dict, names: Mapping[str, str]) -> dict:
    """`data` with the API's field names (the values of `names`) renamed to the services' (its
    keys): the way in of what `api_field_names` turns back on the way out."""
    for field, api_name in names.items():
        if api_name in data:
            data[field] = data.pop(api_name)
    return data


@contextmanager
def api_field_names(names: Mapping[str, str]):
    """Service errors name model fields; report them under the API's `names` for them."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError({names.get(f, f): m for f, m in exc.message_dict.items()}) from None


def filter_data(filters: Schema, skip=("zone", "page", "page_size", "cursor")) -> QueryDict:
    """A list query's filters as its FilterSet reads them from the page's query string."""
    data = QueryDict(mutable=True)
    for name, value in filters:
        if name in skip:
            continue
        if isinstance(value, list):
            data.setlist(name, [str(v) for v in value])
        elif isinstance(value, bool):
            data[name] = "true" if value else "false"
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        elif value:
            data[name] = value
    return data


def filtered(filterset):
    """The FilterSet's queryset; its errors as a 422, by field."""
    if not filterset.is_valid():
        raise ValidationError({f: list(m) for f, m in filterset.errors.items()})
    return filterset.qs


class DeleteQuery(Input):
    reason: str | None = Field(None, description="删除理由(也可放在请求体)")


class DeleteIn(Input):
    model_config = ConfigDict(extra="forbid")

    reason: str = ""
    version: Int | None = None


def delete_reason(params: DeleteQuery, payload: DeleteIn | None) -> str:
    """The reason for a deletion, from the body or else the query string."""
    return (payload.reason if payload and payload.reason else params.reason) or ""


class ZoneOut(Schema):
    code: str
    name: str
    short_name: str
    level: str
    level_name: str
    division_code: str
    province_code: str


def zone_out(zone: Zone) -> dict:
    return {
        "code": zone.code,
        "name": zone.name,
        "short_name": zone.short_name,
        "level": zone.level,
        "level_name": zone.get_level_display(),
        "division_code": zone.division_id,
        "province_code": zone.province_id,
    }


# --- tokens ---------------------------------------------------------------------------------


class TokenIn(Input):
    username: str = Field(max_length=150)
    password: str = Field(max_length=4096)
    name: str = Field("", max_length=100, description="令牌用途,便于在令牌列表中辨认")
    otp: str | None = Field(
        None, max_length=64, description="双因素认证码(6 位动态码或恢复码);管理员必填"
    )


class TokenOut(Schema):
    token: str = Field(description="只显示这一次;服务器只保存其摘要")
    token_type: str = "Bearer"
    expires_at: datetime.datetime


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="用账号密码换取接口令牌",
)
def issue_token(request, payload: TokenIn):
    # Through authenticate(request=...) so django-axes counts failures and enforces lockout,
    # and user_login_failed lands in the audit trail.
    user = authenticate(request=request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # Answer in the API's shape; AxesMiddleware would otherwise swap in the HTML lockout page.
        request.axes_locked_out = False
        raise HttpError(403, _("账号因多次登录失败已被锁定,请稍后再试或联系管理员"))
    if user is None:
        raise HttpError(401, _("用户名或密码错误"))
    otp.check_api_second_factor(user, payload.otp)  # 401/403 for those who must give a code
    token, key = tokens.issue(user, request, name=payload.name)
    # A token is a login: last_login moves, axes clears the failure count, the login is audited.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return {"token": key, "token_type": "Bearer", "expires_at": local(token.expires_at)}


# --- who am I, zones ------------------------------------------------------------------------


class RoleOut(Schema):
    role: str
    role_name: str
    scope: str = Field(description="platform / province / zone / department / enterprise")
    scope_name: str
    province_code: str | None
    zone: str | None
    department: str | None
    enterprise_id: int | None


class MeOut(Schema):
    username: str
    name: str
    roles: list[RoleOut]
    zones: list[ZoneOut]


def role_out(m) -> dict:
    scope = (
        "enterprise"
        if m.enterprise_id
        else "department"
        if m.department_id
        else "zone"
        if m.zone_id
        else "province"
        if m.province_id
        else "platform"
    )
    scope_obj = m.enterprise or m.department or m.zone or m.province
    return {
        "role": m.role,
        "role_name": str(Role(m.role).label),
        "scope": scope,
        "scope_name": str(scope_obj) if scope_obj else _("全平台"),
        "province_code": m.province_id,
        "zone": m.zone.code if m.zone_id else None,
        "department": m.department.name if m.department_id else None,
        "enterprise_id": m.enterprise_id,
    }


@router.get("/me", response={200: MeOut, **AUTH_ERRORS}, summary="当前用户、角色与可见园区")
def me(request):
    user = request.auth
    return {
        "username": user.username,
        "name": user.display_name,
        "roles": [role_out(m) for m in user.memberships_cached()],
        "zones": [zone_out(z) for z in visible_zones(user)],
    }


class ZoneList(Schema):
    items: list[ZoneOut]
    count: int


@router.get("/zones", response={200: ZoneList, **AUTH_ERRORS}, summary="可见的园区")
def zones(request):
    items = [zone_out(z) for z in visible_zones(request.auth)]
    return {"items": items, "count": len(items)}


# --- industries (GB/T 4754-2017) ------------------------------------------------------------


class IndustryOut(Schema):
    code: str
    name: str
    level: str
    level_name: str
    parent: str | None
    section: str


class IndustryList(Schema):
    items: list[IndustryOut]
    count: int = Field(description=f"匹配总数(最多返回 {MAX_INDUSTRY_RESULTS} 条)")


class IndustryQuery(Input):
    q: str = Field("", max_length=50, description="代码前缀或名称片段")
    level: Literal[tuple(Industry.Level.values)] | None = Field(
        None, description="section 门类 / division 大类 / group 中类 / class 小类"
    )


@router.get(
    "/industries",
    response={200: IndustryList, **READ_ERRORS},
    summary="检索国民经济行业分类(代码前缀或名称)",
)
def industries(request, filters: Query[IndustryQuery]):
    qs = Industry.objects.all()
    if filters.level:
        qs = qs.filter(level=filters.level)
    q = filters.q.strip()
    if q:
        qs = qs.filter(Q(code__startswith=q.upper()) | Q(name__icontains=q))
    rows = list(qs.order_by("code")[:MAX_INDUSTRY_RESULTS])
    items = [
        {
            "code": i.code,
            "name": i.name,
            "level": i.level,
            "level_name": i.get_level_display(),
            "parent": i.parent_id,
            "section": i.section,
        }
        for i in rows
    ]
    return {"items": items, "count": qs.count() if len(rows) == MAX_INDUSTRY_RESULTS else len(rows)}


# --- the audit trail (admins) ---------------------------------------------------------------


class AuditFilters(Input):
    zone: str | None = Field(None, description="园区代码")
    actor: str | None = Field(None, description="操作人账号")
    action: Literal[tuple(AuditRecord.Action.values)] | None = None
    object_type: str | None = Field(None, description="如 enterprises.enterprise 或 enterprise")
    object_id: str | None = None
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None


class AuditQuery(AuditFilters):
    page: Int = 1
    page_size: Int = DEFAULT_PAGE_SIZE
    cursor: str | None = CURSOR


class AuditOut(Schema):
    id: int
    time: datetime.datetime
    actor_name: str
    action: str
    action_name: str
    zone: str | None
    object_type: str | None
    object_id: str
    object_repr: str
    before: Any
    after: Any
    message: str
    request_id: str
    ip: str | None


class AuditList(PageOut):
    items: list[AuditOut]


def audit_out(r: AuditRecord) -> dict:
    ct = r.content_type
    return {
        "id": r.pk,
        "time": local(r.time),
        "actor_name": r.actor_name,
        "action": r.action,
        "action_name": r.get_action_display(),
        "zone": r.zone.code if r.zone_id else None,
        "object_type": f"{ct.app_label}.{ct.model}" if ct else None,
        "object_id": r.object_id,
        "object_repr": r.object_repr,
        "before": r.before,
        "after": r.after,
        "message": r.message,
        "request_id": r.request_id,
        "ip": r.ip,
    }


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@router.get(
    "/audit",
    response={200: AuditList, 403: ErrorOut, **READ_ERRORS},
    summary="审计记录(管理员)",
)
def audit_records(request, filters: Query[AuditQuery]):
    qs, _zone = _audit_selection(request.auth, filters)
    page = paginate(qs, filters.page, filters.page_size, filters.cursor)
    return page.out([audit_out(r) for r in page.rows])


@router.get(
    "/audit/export",
    response={403: ErrorOut, **READ_ERRORS},
    summary="导出审计记录(管理员,.xlsx,单次至多 10 万条)",
    openapi_extra={"responses": {200: {"description": "审计记录工作簿(附件)", "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}}},
)  # fmt: skip
def audit_export(request, filters: Query[AuditFilters]):
    qs, zone = _audit_selection(request.auth, filters)
    conditions = "&".join(f"{k}={v}" for k, v in filters.dict().items() if v is not None)
    try:
        return audit_export_xlsx(request.auth, qs, zone=zone, conditions=conditions)
    except TooManyRecords as exc:
        raise HttpError(422, str(exc)) from None


def _audit_selection(user, filters: AuditFilters):
    """The records an admin's filters select, and the zone they name (if any)."""
    if not user.roles() & set(AuditRecord.access_policy):
        raise HttpError(403, _("仅管理员可以查看审计记录"))
    qs = AuditRecord.objects.restrict(user, "view").select_related("zone", "content_type")
    zone = zone_by_code(user, filters.zone)
    if zone is not None:
        qs = qs.filter(zone=zone)
    if filters.actor:
        qs = qs.filter(actor_name=filters.actor.strip())
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.object_type:
        app_label, _dot, model = filters.object_type.strip().lower().rpartition(".")
        qs = qs.filter(content_type__model=model)
        if app_label:
            qs = qs.filter(content_type__app_label=app_label)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id.strip())
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ValidationError({"date_to": _("结束日期不能早于开始日期")})
    # Whole local (Asia/Shanghai) days, as a range so the time index is used.
    if filters.date_from:
        qs = qs.filter(time__gte=_day_start(filters.date_from))
    if filters.date_to and filters.date_to < datetime.date.max:
        qs = qs.filter(time__lt=_day_start(filters.date_to + timedelta(days=1)))
    return qs, zone
