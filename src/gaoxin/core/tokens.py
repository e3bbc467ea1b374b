"""API tokens: issued, listed and revoked like sessions (等保: no credential outlives its use).

A token expires at `expires_at`, after `SESSION_IDLE_MINUTES` unused (as a session does), when
revoked by its owner or an administrator, when the browser session it was issued from signs
out, and when its owner's password changes (`User.save`). Every revocation is audited.
"""

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .models import ApiToken, AuditRecord
from .models.org import password_change_saved


def _zone_of(user):
    return next((m.zone_id for m in user.memberships_cached() if m.zone_id), None)


def issue(user, request=None, *, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user` (the key is returned once); tied to the browser session when
    issued from a signed-in page."""
    session = getattr(request, "session", None)
    session_key = ""
    if session is not None and getattr(request, "user", None) == user:
        session_key = session.session_key or ""
    agent = request.headers.get("User-Agent", "") if request is not None else ""
    with transaction.atomic():
        token, key = ApiToken.issue(
            user,
            name=(name or agent or _("接口令牌")).strip()[:100],
            session_key=session_key,
            created_ip=request.META.get("REMOTE_ADDR") if request is not None else None,
        )
        audit.record(
            user,
            AuditRecord.Action.TOKEN,
            token,
            zone=_zone_of(user),
            repr_=user.username,
            after={"name": token.name, "expires_at": token.expires_at.isoformat()},
            message=_("签发接口令牌"),
        )
    return token, key


def revoke(actor, tokens, reason: str) -> int:
    """Revoke the live ones among `tokens` (a queryset); one audit record each."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(tokens.filter(revoked_at__isnull=True).select_related("user"))
        for token in rows:
            ApiToken.objects.filter(pk=token.pk).update(revoked_at=now)
            audit.record(
                actor,
                AuditRecord.Action.TOKEN_REVOKE,
                token,
                zone=_zone_of(token.user),
                repr_=f"{token.user.username} · {token.name}"[:200],
                message=reason,
            )
    return len(rows)


def revoke_session_tokens(user, session_key: str) -> int:
    if not session_key:
        return 0
    tokens = ApiToken.objects.filter(user=user, session_key=session_key)
    return revoke(user, tokens, _("退出登录,撤销该会话签发的令牌"))


def revoke_all(actor, user, reason: str) -> int:
    return revoke(actor, ApiToken.objects.filter(user=user), reason)


@receiver(password_change_saved)
def _revoke_on_password_change(sender, user, **kwargs):
    revoke_all(user, user, _("密码已修改,撤销全部接口令牌"))
