"""/api/v1/auth: signing out a token, and listing and revoking API tokens — one's own, or, for
administrators, those of the people they manage."""

import datetime

from django.contrib.auth import logout as auth_logout
from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Field, Query, Router

from . import tokens
from .api import AUTH_ERRORS, CURSOR, READ_ERRORS, ErrorOut, Id, Input, PageOut, local, paginate
from .api_types import Schema
from .models import ApiToken, User
from .people.services import changeable_accounts

router = Router(tags=["平台"])


class TokenInfoOut(Schema):
    id: int
    username: str
    name: str
    created_at: datetime.datetime
    created_ip: str | None
    last_used_at: datetime.datetime | None
    expires_at: datetime.datetime
    current: bool = Field(description="是否为本次请求所用的令牌")


class TokenList(PageOut):
    items: list[TokenInfoOut]


class TokenQuery(Input):
    user: str | None = Field(None, max_length=150, description="账号(管理员查看所管理人员的令牌)")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=500)
    cursor: str | None = CURSOR


class RevokedOut(Schema):
    revoked: int


def managed_users(actor):
    """The accounts whose tokens `actor` may list and revoke: their own, and those they may
    change on the people pages (a zone admin's people; everyone for a platform admin)."""
    return User.objects.filter(Q(pk=actor.pk) | Q(pk__in=changeable_accounts(actor).values("pk")))


def _visible_tokens(request, username: str | None):
    actor = request.auth
    users = managed_users(actor).filter(
        **({"username": username.strip()} if username else {"pk": actor.pk})
    )
    return ApiToken.objects.live().filter(user__in=users.values("pk"))


def _info(token, current_id) -> dict:
    return {
        "id": token.pk,
        "username": token.user.username,
        "name": token.name,
        "created_at": local(token.created_at),
        "created_ip": token.created_ip,
        "last_used_at": local(token.last_used_at),
        "expires_at": local(token.expires_at),
        "current": token.pk == current_id,
    }


def _current_id(request):
    token = getattr(request, "api_token", None)
    return token.pk if token else None


@router.get(
    "/tokens",
    response={200: TokenList, **READ_ERRORS},
    summary="有效的接口令牌(本人;管理员可按账号查看所管理人员的)",
)
def list_tokens(request, filters: Query[TokenQuery]):
    qs = _visible_tokens(request, filters.user).select_related("user").order_by("-created_at")
    page = paginate(qs, filters.page, filters.page_size, filters.cursor)
    current = _current_id(request)
    return page.out([_info(t, current) for t in page.rows])


@router.delete(
    "/tokens/{token_id}",
    response={200: RevokedOut, 404: ErrorOut, **READ_ERRORS},
    summary="撤销一个接口令牌",
)
def revoke_token(request, token_id: Id):
    actor = request.auth
    tokens_qs = ApiToken.objects.live().filter(
        pk=token_id, user__in=managed_users(actor).values("pk")
    )
    if not tokens_qs.exists():
        raise ApiToken.DoesNotExist()
    reason = _("本人撤销") if tokens_qs.filter(user=actor).exists() else _("管理员撤销")
    return {"revoked": tokens.revoke(actor, tokens_qs, reason)}


@router.post(
    "/logout",
    response={200: RevokedOut, **AUTH_ERRORS},
    summary="退出:撤销本次请求所用的令牌(浏览器会话则退出并撤销该会话签发的令牌)",
)
def logout(request):
    actor = request.auth
    token = getattr(request, "api_token", None)
    if token is not None:
        return {"revoked": tokens.revoke(actor, ApiToken.objects.filter(pk=token.pk), _("退出"))}
    revoked = tokens.revoke_session_tokens(actor, request.session.session_key or "")
    auth_logout(request)
    return {"revoked": revoked}
