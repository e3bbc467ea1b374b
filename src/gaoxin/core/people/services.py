"""Writes to accounts, role memberships and zones: validated, one transaction, audited.

Who manages whom: a platform admin manages every account and zone. A zone admin sees the
accounts whose every role lies in their zone(s) and changes those among them that hold no admin or
province role (other zone admins are the platform's to manage), and may grant only the zone's own
roles (leader, staff, enterprise user). Nobody disables or resets themselves, nor removes their
own last admin role. An account outside one's scope reads as missing.
"""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from .. import audit
from ..errors import Forbidden
from ..models import AuditRecord, Department, Membership, Role, User, Zone
from ..models.org import ROLE_SCOPE
from ..passwords import one_time_password
from . import acting
from .signals import USER_FIELDS

PLATFORM_ROLES = {Role.PLATFORM_ADMIN, Role.PROVINCE_VIEWER}
ADMIN_ROLES = {Role.PLATFORM_ADMIN, Role.ZONE_ADMIN}
# What a zone admin may grant, in their own zone only.
ZONE_GRANTABLE = (Role.ZONE_LEADER, Role.ZONE_STAFF, Role.ENTERPRISE_USER)
EDITABLE = ("full_name", "phone", "email")


# --- who may ---------------------------------------------------------------------------------


def is_platform_admin(actor) -> bool:
    return any(m.role == Role.PLATFORM_ADMIN for m in actor.memberships_cached())


def admin_zone_ids(actor) -> set[int]:
    return {m.zone_id for m in actor.memberships_cached() if m.role == Role.ZONE_ADMIN}


def is_people_admin(actor) -> bool:
    return bool(
        actor and actor.is_authenticated and actor.is_active and actor.roles() & ADMIN_ROLES
    )


def visible_accounts(actor):
    """The accounts `actor` may see on the people pages and in the API."""
    if not is_people_admin(actor):
        return User.objects.none()
    if is_platform_admin(actor):
        return User.objects.all()
    zones = admin_zone_ids(actor)
    inside = Membership.objects.filter(user=OuterRef("pk"), zone_id__in=zones)
    outside = Membership.objects.filter(user=OuterRef("pk")).filter(
        Q(zone__isnull=True) | ~Q(zone_id__in=zones)
    )
    return User.objects.filter(Exists(inside)).exclude(Exists(outside))


def changeable_accounts(actor):
    """The accounts `actor` may change: for a zone admin, none holding an admin or province role
    (but themselves, for what one may do to oneself)."""
    visible = visible_accounts(actor)
    if not is_people_admin(actor) or is_platform_admin(actor):
        return visible
    privileged = Membership.objects.filter(
        user=OuterRef("pk"), role__in=[Role.ZONE_ADMIN, *PLATFORM_ROLES]
    )
    return visible.filter(~Exists(privileged) | Q(pk=actor.pk))


def get_for(actor, pk, action: str = "view") -> User:
    """The account `pk` if `actor` may see it ("view") or change it ("change"); else
    User.DoesNotExist, the same for missing and out of scope."""
    qs = changeable_accounts(actor) if action == "change" else visible_accounts(actor)
    return qs.get(pk=pk)


def may_grant(actor, role: str, zone: Zone | None) -> bool:
    if is_platform_admin(actor):
        return True
    return role in ZONE_GRANTABLE and zone is not None and zone.pk in admin_zone_ids(actor)


def grantable_roles(actor) -> list[tuple[str, str]]:
    if is_platform_admin(actor):
        return list(Role.choices)
    return [(r.value, r.label) for r in ZONE_GRANTABLE]


def _require_change(actor, user) -> None:
    if not changeable_accounts(actor).filter(pk=user.pk).exists():
        raise Forbidden(_("无权管理该账号"))


def _require_admin(actor) -> None:
    if not is_people_admin(actor):
        raise Forbidden(_("只有管理员可以管理人员"))


# --- snapshots -------------------------------------------------------------------------------


def account_snapshot(user) -> dict:
    """What the audit trail keeps of an account: never its password hash."""
    data = audit.snapshot(user, USER_FIELDS)
    data["memberships"] = sorted(str(m) for m in user.memberships.all())
    return data


def membership_snapshot(m: Membership) -> dict:
    data = audit.snapshot(m, ["role", "province", "zone", "department", "enterprise"])
    data["scope"] = str(m)
    return data


def zone_for_audit(user, fallback=None):
    zone_id = next((m.zone_id for m in user.memberships.all() if m.zone_id), None)
    return zone_id or getattr(fallback, "pk", fallback)


# --- validation ------------------------------------------------------------------------------


def _text(data: dict, field: str, max_length: int, *, required=False, label="") -> str:
    value = " ".join(str(data.get(field) or "").split())
    if required and not value:
        raise ValidationError({field: _("请填写%(f)s") % {"f": label}})
    if len(value) > max_length:
        raise ValidationError({field: _("不能超过 %(n)d 个字符") % {"n": max_length}})
    return value


def _clean_phone(data: dict) -> str:
    phone = _text(data, "phone", 20)
    if phone and not all(c.isdigit() or c in "+- " for c in phone):
        raise ValidationError({"phone": _("手机号只能包含数字、空格、+ 和 -")})
    return phone


def _clean_email(data: dict) -> str:
    email = _text(data, "email", 254)
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            raise ValidationError({"email": _("邮箱格式不正确")}) from None
    return email


def _clean_profile(data: dict) -> dict:
    """The profile fields present in `data`, cleaned; every field's error at once."""
    cleaners = {
        "full_name": lambda d: _text(d, "full_name", 50, required=True, label=_("姓名")),
        "phone": _clean_phone,
        "email": _clean_email,
    }
    out, errors = {}, {}
    for field, clean in cleaners.items():
        if field in data:
            try:
                out[field] = clean(data)
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return out


def _clean_username(username: str) -> str:
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": _("请填写用户名")})
    field = User._meta.get_field("username")
    if len(username) > field.max_length:
        raise ValidationError({"username": _("不能超过 %(n)d 个字符") % {"n": field.max_length}})
    for validator in field.validators:
        try:
            validator(username)
        except ValidationError:
            raise ValidationError(
                {"username": _("用户名只能包含字母、数字和 @ . + - _ 字符")}
            ) from None
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("用户名「%(u)s」已被使用") % {"u": username}})
    return username


def build_membership(user, role, *, zone=None, department=None, enterprise=None, province=None):
    """A validated, unsaved membership: only the scope its role is held in is kept."""
    if role not in Role.values:
        raise ValidationError({"role": _("无效的角色")})
    role = Role(role)
    scope = ROLE_SCOPE[role]
    if role == Role.PROVINCE_VIEWER and province is None and zone is not None:
        province = zone.province_id
    m = Membership(
        user=user,
        role=role,
        province_id=getattr(province, "pk", province) if "province" in scope else None,
        zone=zone if "zone" in scope else None,
        department=department if "department" in scope else None,
        enterprise=enterprise if "enterprise" in scope else None,
    )
    m.clean()
    if m.province_id and not Zone.objects.filter(province_id=m.province_id).exists():
        raise ValidationError({"province": _("该省份没有园区")})
    return m


def _same_scope(m: Membership) -> Q:
    return Q(
        user_id=m.user_id,
        role=m.role,
        province_id=m.province_id,
        zone_id=m.zone_id,
        department_id=m.department_id,
        enterprise_id=m.enterprise_id,
    )


# --- accounts --------------------------------------------------------------------------------


@transaction.atomic
def create_account(
    actor,
    zone,
    username,
    full_name,
    phone="",
    email="",
    role=Role.ZONE_STAFF,
    department=None,
    enterprise=None,
    province=None,
) -> tuple[User, str]:
    """A new account with one role and a one-time password (returned once; the account must
    change it at the first sign-in)."""
    _require_admin(actor)
    if not may_grant(actor, role, zone):
        raise Forbidden(_("无权在该园区授予此角色"))
    errors = {}
    try:
        username = _clean_username(username)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        profile = _clean_profile({"full_name": full_name, "phone": phone, "email": email})
    except ValidationError as exc:
        errors.update(exc.message_dict)
    user = User(username=username if "username" not in errors else "", must_change_password=True)
    try:
        membership = build_membership(
            user, role, zone=zone, department=department, enterprise=enterprise, province=province
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    for field, value in profile.items():
        setattr(user, field, value)
    password = one_time_password(user)
    user.set_password(password)
    with acting(actor):
        user.save()
        membership.user = user
        membership.save()
    audit.record(
        actor,
        AuditRecord.Action.CREATE,
        user,
        zone=membership.zone_id,
        repr_=user.username,
        after=account_snapshot(user),
        message=_("新建账号,授予角色:%(m)s") % {"m": membership},
    )
    return user, password


@transaction.atomic
def update_account(actor, user, data: dict) -> User:
    """Change an account's name, phone or e-mail (only the fields in `data`)."""
    _require_change(actor, user)
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationError({f: _("不能修改此项") for f in sorted(unknown)})
    user = User.objects.select_for_update().get(pk=user.pk)
    changes = {f: v for f, v in _clean_profile(data).items() if getattr(user, f) != v}
    if not changes:
        return user
    before = audit.snapshot(user, list(changes))
    for field, value in changes.items():
        setattr(user, field, value)
    with acting(actor):
        user.save(update_fields=list(changes))
    audit.record(
        actor,
        AuditRecord.Action.UPDATE,
        user,
        zone=zone_for_audit(user),
        repr_=user.username,
        before=before,
        after=audit.snapshot(user, list(changes)),
    )
    return user


@transaction.atomic
def set_active(actor, user, active: bool, reason: str = "") -> User:
    """Disable (reason required) or enable an account. A disabled account cannot sign in, its
    sessions end at their next request and its API tokens are revoked."""
    _require_change(actor, user)
    if user.pk == actor.pk:
        raise ValidationError({"active": _("不能停用或启用自己的账号")})
    reason = " ".join((reason or "").split())
    if not active and not reason:
        raise ValidationError({"reason": _("请填写停用理由")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("不能超过 %(n)d 个字符") % {"n": 200}})
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        return user
    user.is_active = active
    with acting(actor):
        user.save(update_fields=["is_active"])
    audit.record(
        actor,
        AuditRecord.Action.STATUS,
        user,
        zone=zone_for_audit(user),
        repr_=user.username,
        before={"is_active": not active},
        after={"is_active": active},
        message=reason or (_("启用账号") if active else _("停用账号")),
    )
    if not active:
        from ..tokens import revoke_all

        revoke_all(actor, user, _("账号已停用,撤销全部接口令牌"))
    return user


@transaction.atomic
def reset_password(actor, user) -> str:
    """A new one-time password for `user` (returned once): they must change it at the next
    sign-in; their sessions end (the session hash changes) and their API tokens are revoked."""
    _require_change(actor, user)
    if user.pk == actor.pk:
        raise ValidationError({"password": _("请通过「修改密码」修改自己的密码")})
    user = User.objects.select_for_update().get(pk=user.pk)
    password = one_time_password(user)
    user.set_password(password)
    user.must_change_password = True
    with acting(actor):
        user.save()  # User.save revokes the tokens
    audit.record(
        actor,
        AuditRecord.Action.PASSWORD_RESET,
        user,
        zone=zone_for_audit(user),
        repr_=user.username,
        after={"must_change_password": True},
        message=_("重置密码,须在下次登录时修改"),
    )
    return password


@transaction.atomic
def change_password(user, old_password: str, new_password: str) -> User:
    """One's own password change: the old one must be right, the new one must pass every
    validator (complexity, history). It ends the forced change and restarts the expiry clock."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password or ""):
        raise ValidationError({"old_password": _("原密码不正确")})
    try:
        password_validation.validate_password(new_password or "", user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from None
    user.set_password(new_password)
    user.must_change_password = False
    with acting(user):
        user.save()
    audit.record(
        user,
        AuditRecord.Action.PASSWORD,
        user,
        zone=zone_for_audit(user),
        repr_=user.username,
        after={"must_change_password": False},
        message=_("本人修改密码"),
    )
    return user


# --- memberships -----------------------------------------------------------------------------


@transaction.atomic
def add_membership(
    actor, user, role, *, zone=None, department=None, enterprise=None, province=None
) -> Membership:
    _require_change(actor, user)
    if not may_grant(actor, role, zone):
        raise Forbidden(_("无权在该园区授予此角色"))
    m = build_membership(
        user, role, zone=zone, department=department, enterprise=enterprise, province=province
    )
    User.objects.select_for_update().get(pk=user.pk)  # one membership change at a time
    if Membership.objects.filter(_same_scope(m)).exists():
        raise ValidationError({"role": _("该账号已有此角色授权:%(m)s") % {"m": m}})
    with acting(actor):
        m.save()
    audit.record(
        actor,
        AuditRecord.Action.ROLE,
        user,
        zone=m.zone_id or zone_for_audit(user),
        repr_=user.username,
        after=membership_snapshot(m),
        message=_("授予角色:%(m)s") % {"m": m},
    )
    return m


@transaction.atomic
def remove_membership(actor, user, membership: Membership) -> None:
    _require_change(actor, user)
    User.objects.select_for_update().get(pk=user.pk)
    membership = Membership.objects.filter(pk=membership.pk, user=user).first()
    if membership is None:
        raise Membership.DoesNotExist()
    if not may_grant(actor, membership.role, membership.zone):
        raise Forbidden(_("无权撤销此角色"))
    others = list(user.memberships.exclude(pk=membership.pk))
    if not others:
        raise ValidationError({"membership": _("账号至少保留一个角色;不再使用的账号请停用")})
    if (
        user.pk == actor.pk
        and membership.role in ADMIN_ROLES
        and not any(o.role in ADMIN_ROLES for o in others)
    ):
        raise ValidationError({"membership": _("不能撤销自己最后一个管理员角色")})
    before = membership_snapshot(membership)
    zone_id = membership.zone_id or zone_for_audit(user)
    with acting(actor):
        membership.delete()
    audit.record(
        actor,
        AuditRecord.Action.ROLE,
        user,
        zone=zone_id,
        repr_=user.username,
        before=before,
        message=_("撤销角色:%(m)s") % {"m": before["scope"]},
    )


# --- zones (platform admins) -----------------------------------------------------------------

ZONE_FIELDS = ("code", "name", "short_name", "level", "division")


def _require_platform(actor) -> None:
    if not is_platform_admin(actor):
        raise Forbidden(_("只有平台管理员可以管理园区"))


def _clean_zone(data: dict, zone: Zone | None) -> dict:
    from ..models import Division

    errors, out = {}, {}
    for field, limit, required, label in (
        ("code", 20, True, _("园区代码")),
        ("name", 100, True, _("园区名称")),
        ("short_name", 30, False, _("简称")),
    ):
        if field in data:
            try:
                out[field] = _text(data, field, limit, required=required, label=label)
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if "code" in out and not errors.get("code"):
        clash = Zone.objects.filter(code__iexact=out["code"])
        if zone is not None:
            clash = clash.exclude(pk=zone.pk)
        if clash.exists():
            errors["code"] = [_("园区代码「%(c)s」已被使用") % {"c": out["code"]}]
    if "level" in data:
        if data["level"] not in Zone.Level.values:
            errors["level"] = [_("无效的园区级别")]
        out["level"] = data["level"]
    if "division" in data:
        code = str(getattr(data["division"], "pk", data["division"]) or "").strip()
        division = Division.objects.filter(pk=code).first()
        if division is None or division.level == Division.Level.PROVINCE:
            errors["division"] = [_("请填写县级或地级行政区划代码(6 位)")]
        out["division"] = division
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def create_zone(actor, data: dict) -> Zone:
    _require_platform(actor)
    missing = {
        f: [_("此项为必填项")] for f in ("code", "name", "level", "division") if not data.get(f)
    }
    if missing:
        raise ValidationError(missing)
    zone = Zone(**_clean_zone({f: data.get(f, "") for f in ZONE_FIELDS}, None))
    zone.save()
    audit.record(actor, AuditRecord.Action.CREATE, zone, zone=zone, after=audit.snapshot(zone))
    return zone


def _zone_value(zone, field):
    return zone.division_id if field == "division" else getattr(zone, field)


@transaction.atomic
def update_zone(actor, zone: Zone, data: dict) -> Zone:
    _require_platform(actor)
    zone = Zone.objects.select_for_update().get(pk=zone.pk)
    cleaned = _clean_zone({f: v for f, v in data.items() if f in ZONE_FIELDS}, zone)
    changes = {f: v for f, v in cleaned.items() if _zone_value(zone, f) != getattr(v, "pk", v)}
    if not changes:
        return zone
    before = audit.snapshot(zone)
    for field, value in changes.items():
        setattr(zone, field, value)
    zone.save()
    audit.record(
        actor,
        AuditRecord.Action.UPDATE,
        zone,
        zone=zone,
        before=before,
        after=audit.snapshot(zone),
    )
    return zone


def departments_for(actor, zone=None):
    """The departments an actor may put people in."""
    qs = Department.objects.select_related("zone")
    if is_platform_admin(actor):
        return qs.filter(zone=zone) if zone is not None else qs
    return qs.filter(zone_id__in=admin_zone_ids(actor))
