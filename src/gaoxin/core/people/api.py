"""/api/v1/people: accounts and their role memberships, for platform and zone admins; and
/api/v1/auth/password, where anyone changes their own password.

Reads start from `services.visible_accounts()`; every write goes through `services`. An account
outside the caller's scope answers 404 "未找到该用户"; one they see but may not change (another
zone admin, for a zone admin) answers 403, with nothing written.
"""

import datetime
from typing import Literal

from django.contrib.auth import update_session_auth_hash
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from ..api import (
    CURSOR,
    ErrorOut,
    Id,
    Input,
    PageOut,
    PathId,
    RoleOut,
    check_access,
    local,
    paginate,
    role_out,
    zone_by_code,
)
from ..api_types import Schema
from ..errors import Forbidden
from ..models import Division, Membership, Role, User, Zone
from ..passwords import change_reason, password_age_days
from . import services

router = Router(tags=["人员"])
auth_router = Router(tags=["人员"])

PASSWORD_PATH = "/api/v1/auth/password"
# Reachable while a password change is due: the change itself, signing in and out.
OPEN_API_PATHS = (PASSWORD_PATH, "/api/v1/auth/token", "/api/v1/auth/logout")

RoleCode = Literal[tuple(Role.values)]
LIST_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
READ_ONE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
CHANGE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def hold_for_password_change(request, user) -> None:
    """Bearer requests answer 403 until a due password change is made (the pages and session
    requests are held by PasswordPolicyMiddleware), but for the password change itself."""
    if request.path_info in OPEN_API_PATHS:
        return
    reason = change_reason(user)
    if reason is not None:
        raise Forbidden(_("须先修改密码:") + reason)


# --- schemas --------------------------------------------------------------------------------


class MembershipOut(RoleOut):
    id: int


class AccountOut(Schema):
    id: int
    username: str
    full_name: str
    phone: str
    email: str
    is_active: bool
    must_change_password: bool = Field(description="下次登录须修改密码")
    date_joined: datetime.datetime
    last_login: datetime.datetime | None
    password_changed_at: datetime.datetime | None
    password_age_days: int = Field(description="密码已使用的天数")
    roles: list[MembershipOut]


class AccountCreatedOut(AccountOut):
    initial_password: str = Field(description="一次性初始密码,只显示这一次;首次登录须修改")


class AccountList(PageOut):
    items: list[AccountOut]


class AccountQuery(Input):
    q: str | None = Field(None, max_length=100, description="姓名、用户名或手机号片段")
    role: RoleCode | None = None
    zone: str | None = Field(None, max_length=20, description="园区代码")
    department: Id | None = Field(None, description="部门编号")
    active: bool | None = Field(None, description="true 只看启用的,false 只看停用的")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=500)
    cursor: str | None = CURSOR


class ScopeIn(Input):
    role: RoleCode
    zone: str | None = Field(None, max_length=20, description="园区代码(园区角色、企业用户)")
    department: Id | None = Field(None, description="部门编号(园区工作人员)")
    enterprise: Id | None = Field(None, description="企业编号(企业用户)")
    province: str | None = Field(None, max_length=6, description="省级行政区划代码(省级查看)")


class AccountIn(ScopeIn):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(max_length=150)
    full_name: str = Field(max_length=50)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)


class MembershipIn(ScopeIn):
    model_config = ConfigDict(extra="forbid")


class AccountPatch(Input):
    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(None, max_length=50)
    phone: str = Field(None, max_length=20)
    email: str = Field(None, max_length=254)


class ActiveIn(Input):
    model_config = ConfigDict(extra="forbid")

    active: bool
    reason: str = Field("", max_length=200, description="停用理由(停用时必填)")


class PasswordResetOut(Schema):
    password: str = Field(description="一次性密码,只显示这一次;下次登录须修改")


class PasswordChangeIn(Input):
    model_config = ConfigDict(extra="forbid")

    old_password: str = Field(max_length=4096)
    new_password: str = Field(max_length=4096)


class PasswordChangedOut(Schema):
    password_changed_at: datetime.datetime
    must_change_password: bool


# --- helpers --------------------------------------------------------------------------------


def _memberships():
    return Prefetch(
        "memberships",
        queryset=Membership.objects.select_related(
            "province", "zone", "department", "enterprise"
        ).order_by("pk"),
    )


def account_out(user: User) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "phone": user.phone,
        "email": user.email,
        "is_active": user.is_active,
        "must_change_password": user.must_change_password,
        "date_joined": local(user.date_joined),
        "last_login": local(user.last_login),
        "password_changed_at": local(user.password_changed_at),
        "password_age_days": password_age_days(user),
        "roles": [{"id": m.pk, **role_out(m)} for m in user.memberships.all()],
    }


def load(actor, pk: int) -> User:
    """The account as `actor` sees it; 404 when not visible."""
    if not 0 < pk <= 2**63 - 1:
        raise User.DoesNotExist()
    return services.visible_accounts(actor).prefetch_related(_memberships()).get(pk=pk)


def check_change(actor, pk: int) -> None:
    check_access(
        services.visible_accounts(actor),
        services.changeable_accounts(actor),
        pk,
        _("无权管理该账号"),
    )


def require_admin(actor) -> None:
    if not services.is_people_admin(actor):
        raise HttpError(403, _("只有管理员可以管理人员"))


def scope_objects(actor, payload: ScopeIn) -> dict:
    """The zone, department, enterprise and province a payload names, each one the actor may
    see; an unknown or invisible one is a 422 on its field."""
    from django.core.exceptions import ValidationError

    zone = zone_by_code(actor, payload.zone)
    if zone is None and not services.is_platform_admin(actor):
        # A zone admin's people are in their zone: name it only when they have several.
        zones = services.admin_zone_ids(actor)
        zone = Zone.objects.get(pk=next(iter(zones))) if len(zones) == 1 else None
    out = {"zone": zone, "department": None, "enterprise": None, "province": None}
    if payload.department is not None:
        dept = services.departments_for(actor).filter(pk=payload.department).first()
        if dept is None:
            raise ValidationError({"department": _("未找到部门 %(d)s") % {"d": payload.department}})
        out["department"] = dept
        if payload.zone is None:
            out["zone"] = dept.zone
    if payload.enterprise is not None:
        model = Membership._meta.get_field("enterprise").related_model
        enterprise = (
            model.objects.restrict(actor, "view").filter(pk=payload.enterprise).first()
            if payload.enterprise <= 2**63 - 1
            else None
        )
        if enterprise is None:
            raise ValidationError({"enterprise": _("未找到企业 %(e)s") % {"e": payload.enterprise}})
        out["enterprise"] = enterprise
        if payload.zone is None:
            out["zone"] = enterprise.zone
    if payload.province:
        province = Division.objects.filter(pk=payload.province, level="province").first()
        if province is None:
            raise ValidationError(
                {"province": _("未找到省级行政区划代码 %(p)s") % {"p": payload.province}}
            )
        out["province"] = province
    return out


# --- endpoints ------------------------------------------------------------------------------


@router.get("", response={200: AccountList, **LIST_ERRORS}, summary="人员账号列表(管理员)")
def list_accounts(request, filters: Query[AccountQuery]):
    actor = request.auth
    require_admin(actor)
    qs = services.visible_accounts(actor)
    if filters.q and filters.q.strip():
        q = filters.q.strip()
        qs = qs.filter(Q(full_name__icontains=q) | Q(username__icontains=q) | Q(phone__icontains=q))
    memberships = Membership.objects.filter(user=OuterRef("pk"))
    if filters.role:
        memberships = memberships.filter(role=filters.role)
    zone = zone_by_code(actor, filters.zone)
    if zone is not None:
        memberships = memberships.filter(zone=zone)
    if filters.department is not None:
        memberships = memberships.filter(department_id=filters.department)
    if filters.role or zone is not None or filters.department is not None:
        qs = qs.filter(Exists(memberships))
    if filters.active is not None:
        qs = qs.filter(is_active=filters.active)
    qs = qs.order_by("username", "pk").prefetch_related(_memberships())
    page = paginate(qs, filters.page, filters.page_size, filters.cursor)
    return page.out([account_out(u) for u in page.rows])


@router.post("", response={201: AccountCreatedOut, **LIST_ERRORS}, summary="新建账号")
def create_account(request, payload: AccountIn):
    actor = request.auth
    require_admin(actor)
    scope = scope_objects(actor, payload)
    user, password = services.create_account(
        actor,
        scope["zone"],
        payload.username,
        payload.full_name,
        payload.phone,
        payload.email,
        payload.role,
        department=scope["department"],
        enterprise=scope["enterprise"],
        province=scope["province"],
    )
    return Status(201, {**account_out(load(actor, user.pk)), "initial_password": password})


@router.get("/{int:user_id}", response={200: AccountOut, **READ_ONE_ERRORS}, summary="账号详情")
def get_account(request, user_id: PathId):
    return account_out(load(request.auth, user_id))


@router.patch(
    "/{int:user_id}",
    response={200: AccountOut, **CHANGE_ERRORS},
    summary="修改账号的姓名、手机、邮箱(只改提交的字段)",
)
def update_account(request, user_id: PathId, payload: AccountPatch):
    actor = request.auth
    check_change(actor, user_id)
    services.update_account(actor, load(actor, user_id), payload.model_dump(exclude_unset=True))
    return account_out(load(actor, user_id))


@router.post(
    "/{int:user_id}/memberships",
    response={201: AccountOut, **CHANGE_ERRORS},
    summary="授予角色",
)
def add_membership(request, user_id: PathId, payload: MembershipIn):
    actor = request.auth
    check_change(actor, user_id)
    scope = scope_objects(actor, payload)
    services.add_membership(actor, load(actor, user_id), payload.role, **scope)
    return Status(201, account_out(load(actor, user_id)))


@router.delete(
    "/{int:user_id}/memberships/{int:membership_id}",
    response={204: None, **CHANGE_ERRORS},
    summary="撤销角色",
)
def remove_membership(request, user_id: PathId, membership_id: PathId):
    actor = request.auth
    check_change(actor, user_id)
    user = load(actor, user_id)
    membership = next((m for m in user.memberships.all() if m.pk == membership_id), None)
    if membership is None:
        raise Membership.DoesNotExist()
    services.remove_membership(actor, user, membership)
    return Status(204, None)


@router.post(
    "/{int:user_id}/active",
    response={200: AccountOut, **CHANGE_ERRORS},
    summary="停用或启用账号(停用须说明理由)",
)
def set_active(request, user_id: PathId, payload: ActiveIn):
    actor = request.auth
    check_change(actor, user_id)
    services.set_active(actor, load(actor, user_id), payload.active, payload.reason)
    return account_out(load(actor, user_id))


@router.post(
    "/{int:user_id}/password-reset",
    response={200: PasswordResetOut, **CHANGE_ERRORS},
    summary="重置密码:返回一次性密码,下次登录须修改;撤销其全部接口令牌",
)
def reset_password(request, user_id: PathId):
    actor = request.auth
    check_change(actor, user_id)
    return {"password": services.reset_password(actor, load(actor, user_id))}


@auth_router.post(
    "/password",
    response={200: PasswordChangedOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="修改本人密码(须提供原密码;新密码不能与最近用过的相同)",
)
def change_password(request, payload: PasswordChangeIn):
    user = services.change_password(request.auth, payload.old_password, payload.new_password)
    if getattr(request, "api_token", None) is None:
        # A browser session stays signed in; every other session of the account ends.
        update_session_auth_hash(request, user)
    return {
        "password_changed_at": local(user.password_changed_at),
        "must_change_password": user.must_change_password,
    }
