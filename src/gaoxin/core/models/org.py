"""Zones, departments, people and their role memberships, API tokens, zone tags."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..roles import ENTERPRISE_USER
from .access import RestrictedQuerySet, ZoneScopedModel

# Sent after a real password change is saved, whatever the door (page, API, admin, CLI).
password_change_saved = Signal()


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    # 等保: a new or reset account changes its password at first login; passwords expire.
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        # set_password() leaves the raw password in `_password` until the save; a hasher upgrade
        # at sign-in clears it first, so only a real change dates the password and ends tokens.
        password_changed = self._password is not None
        if password_changed:
            self.password_changed_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "password_changed_at"}
        existed = self.pk is not None
        super().save(*args, **kwargs)
        if password_changed and existed:
            # Whatever the door (page, API, Django admin, CLI): a new password ends every token
            # (core.tokens listens).
            password_change_saved.send(sender=type(self), user=self)

    def memberships_cached(self) -> list["Membership"]:
        """The user's role memberships, read once per request (every access check uses them)."""
        if not hasattr(self, "_memberships_cache"):
            self._memberships_cache = list(
                self.memberships.select_related("zone", "province", "department", "enterprise")
            )
        return self._memberships_cache

    def roles(self) -> set[str]:
        return {m.role for m in self.memberships_cached()}

    def own_enterprise_ids(self) -> list[int]:
        """The enterprises whose own account this is (enterprise-user memberships)."""
        return [
            m.enterprise_id
            for m in self.memberships_cached()
            if m.role == ENTERPRISE_USER and m.enterprise_id
        ]

    def is_enterprise_only(self) -> bool:
        """Only an enterprise's own account (no officer role): it sees and keeps its own records."""
        return self.roles() == {ENTERPRISE_USER}


class PasswordHistory(models.Model):
    """The hashes of a user's earlier passwords, so a new one cannot reuse the last few."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")

    def __str__(self):
        return f"{self.user_id} · {self.created_at:%Y-%m-%d}"


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")
    PROVINCE_VIEWER = "province_viewer", _("省级查看")
    ZONE_ADMIN = "zone_admin", _("园区管理员")
    ZONE_LEADER = "zone_leader", _("园区领导")
    ZONE_STAFF = "zone_staff", _("园区工作人员")
    ENTERPRISE_USER = "enterprise_user", _("企业用户")
    PARTNER = "partner", _("合作单位")


# The scope each role is held in (the membership fields it needs).
ROLE_SCOPE = {
    Role.PLATFORM_ADMIN: (),
    Role.PROVINCE_VIEWER: ("province",),
    Role.ZONE_ADMIN: ("zone",),
    Role.ZONE_LEADER: ("zone",),
    Role.ZONE_STAFF: ("zone", "department"),
    Role.ENTERPRISE_USER: ("zone", "enterprise"),
    Role.PARTNER: ("zone",),
}


class ZoneQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        """The zones a user may see: every zone of a platform admin, the province's for a province
        viewer, one's own zone for zone roles and enterprise users."""
        from .access import user_scope_q

        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        q = user_scope_q(user, action, zone_path="", enterprise_path=None, zone_field="pk")
        return self.all() if q is True else self.filter(q)


class Zone(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCIAL = "provincial", _("省级")

    code = models.CharField(_("园区代码"), max_length=20, unique=True)
    name = models.CharField(_("园区名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices)
    division = models.ForeignKey(
        "core.Division", verbose_name=_("所在行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    province = models.ForeignKey(
        "core.Division",
        verbose_name=_("所属省份"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    objects = ZoneQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("园区")
        verbose_name_plural = _("园区")

    def __str__(self):
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        self.province_id = self.division_id[:2] + "0000"
        super().save(*args, **kwargs)


class Department(ZoneScopedModel):
    name = models.CharField(_("部门名称"), max_length=50)
    short_name = models.CharField(_("简称"), max_length=20, blank=True)

    class Meta:
        ordering = ["zone", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="department_unique_name")
        ]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self):
        return self.name


class Membership(models.Model):
    """One role a person holds, scoped to a province, a zone, a department or an enterprise."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    province = models.ForeignKey(
        "core.Division", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    zone = models.ForeignKey(Zone, null=True, blank=True, on_delete=models.CASCADE)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.CASCADE)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self):
        scope = self.enterprise or self.department or self.zone or self.province or _("全平台")
        return f"{self.get_role_display()} · {scope}"

    def clean(self):
        need = ROLE_SCOPE[self.role]
        missing = [f for f in need if getattr(self, f + "_id") is None]
        if missing:
            raise ValidationError({f: _("该角色必须指定此范围") for f in missing})
        if self.department_id and self.department.zone_id != self.zone_id:
            raise ValidationError({"department": _("部门不属于所选园区")})
        if self.enterprise_id and self.enterprise.zone_id != self.zone_id:
            raise ValidationError({"enterprise": _("企业不属于所选园区")})


class Tag(ZoneScopedModel):
    """A zone-defined label, such as an industry chain (电子信息, 纺织服装, 新材料)."""

    class Category(models.TextChoices):
        INDUSTRY_CHAIN = "industry_chain", _("产业链")
        SOURCE_CHANNEL = "source_channel", _("招商渠道")
        OTHER = "other", _("其他")

    name = models.CharField(_("标签"), max_length=30)
    category = models.CharField(
        _("类别"), max_length=20, choices=Category.choices, default=Category.INDUSTRY_CHAIN
    )

    class Meta:
        ordering = ["zone", "name"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="tag_unique_name")]
        verbose_name = _("标签")
        verbose_name_plural = _("标签")

    def __str__(self):
        return self.name


class ApiTokenQuerySet(RestrictedQuerySet):
    def live(self, now=None):
        """Tokens that still authenticate: not revoked, not expired, and used (or issued) within
        the idle limit that also ends a session (SESSION_IDLE_MINUTES)."""
        now = now or timezone.now()
        idle_since = now - timedelta(seconds=settings.SESSION_COOKIE_AGE)
        return self.filter(
            models.Q(last_used_at__gte=idle_since)
            | models.Q(last_used_at__isnull=True, created_at__gte=idle_since),
            revoked_at__isnull=True,
            expires_at__gt=now,
        )

    def for_key(self, key: str):
        return self.live().filter(key_hash=ApiToken.hash(key)).select_related("user").first()


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored, so a leaked database leaks no credential."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    # The browser session it was issued from (if any): signing out of it revokes the token.
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    created_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self):
        return f"{self.user} · {self.expires_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user, **fields) -> tuple["ApiToken", str]:
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            key_hash=cls.hash(key),
            expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_HOURS),
            **fields,
        )
        return token, key


class NumberSequence(models.Model):
    """The last number given out in one series (a zone, a kind of record, a year).

    Numbering locks this row for the rest of the transaction, so concurrent creators queue
    instead of colliding, and a rolled-back creation gives its number back: the series stays
    unique and gapless (gaoxin.core.numbering).
    """

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    series = models.CharField(_("序列"), max_length=40)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")
        constraints = [
            models.UniqueConstraint(fields=["zone", "series"], name="number_sequence_unique")
        ]

    def __str__(self):
        return f"{self.zone_id}:{self.series}={self.last}"
