"""What the Django admin changes in accounts and role memberships, audited (issue 11 item 5).

The admin (gaoxin.core.admin) saves through Django's forms; these record each change as the
people services do, inside the admin's transaction.
"""

from django.utils.translation import gettext as _

from .. import audit
from ..models import AuditRecord, Membership, User
from .services import account_snapshot, membership_snapshot, zone_for_audit
from .signals import USER_FIELDS


def admin_snapshot(user) -> dict:
    """An account as the admin edits it: its fields, groups and permissions (its roles are
    audited row by row)."""
    data = audit.snapshot(user, USER_FIELDS)
    data["groups"] = sorted(str(g) for g in user.groups.all())
    data["user_permissions"] = sorted(p.codename for p in user.user_permissions.all())
    return data


def audit_admin_account(actor, user, before: dict | None) -> None:
    """After the admin saved an account (and its groups): one CREATE, STATUS or UPDATE record
    with what changed. A new account must change the password the admin gave it."""
    user.refresh_from_db()
    if before is None:
        User.objects.filter(pk=user.pk).update(must_change_password=True)
        user.must_change_password = True
        audit.record(
            actor,
            AuditRecord.Action.CREATE,
            user,
            zone=zone_for_audit(user),
            repr_=user.username,
            after=account_snapshot(user),
            message=_("在管理后台新建账号"),
        )
        return
    after = admin_snapshot(user)
    changed = [k for k in after if before.get(k) != after[k]]
    if not changed:
        return
    action = AuditRecord.Action.STATUS if changed == ["is_active"] else AuditRecord.Action.UPDATE
    audit.record(
        actor,
        action,
        user,
        zone=zone_for_audit(user),
        repr_=user.username,
        before={k: before.get(k) for k in changed},
        after={k: after[k] for k in changed},
        message=_("在管理后台修改账号"),
    )
    if "is_active" in changed and not user.is_active:
        from ..tokens import revoke_all

        revoke_all(actor, user, _("账号已停用,撤销全部接口令牌"))


def audit_admin_membership(actor, user, before: dict | None, after: Membership | None) -> None:
    """A role granted, changed or revoked in the admin's inline."""
    after_data = membership_snapshot(after) if after is not None else None
    if before == after_data:
        return
    scope = (after_data or before)["scope"]
    if after is None:
        message = _("在管理后台撤销角色:%(m)s") % {"m": scope}
    elif before is None:
        message = _("在管理后台授予角色:%(m)s") % {"m": scope}
    else:
        message = _("在管理后台修改角色:%(a)s → %(b)s") % {"a": before["scope"], "b": scope}
    zone_id = (after_data or {}).get("zone") or (before or {}).get("zone")
    audit.record(
        actor,
        AuditRecord.Action.ROLE,
        user,
        zone=zone_id or zone_for_audit(user),
        repr_=user.username,
        before=before,
        after=after_data,
        message=message,
    )


def audit_admin_delete(actor, user) -> None:
    audit.record(
        actor,
        AuditRecord.Action.DELETE,
        user,
        zone=zone_for_audit(user),
        repr_=user.username,
        before=account_snapshot(user),
        message=_("在管理后台删除账号"),
    )


def audit_admin_password(actor, user) -> None:
    """The admin set (or disabled) a password: for someone else it is a reset, to be changed at
    their next sign-in."""
    user.refresh_from_db()
    own = user.pk == actor.pk
    if not own and user.has_usable_password():
        User.objects.filter(pk=user.pk).update(must_change_password=True)
    if user.has_usable_password():
        message = _("在管理后台设置密码") if own else _("在管理后台重置密码,须在下次登录时修改")
    else:
        message = _("在管理后台停用密码登录")
    audit.record(
        actor,
        AuditRecord.Action.PASSWORD if own else AuditRecord.Action.PASSWORD_RESET,
        user,
        zone=zone_for_audit(user),
        repr_=user.username,
        after={"usable_password": user.has_usable_password()},
        message=message,
    )
