"""The append-only audit trail (DESIGN.md mechanism 4)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..roles import PLATFORM_ADMIN, ZONE_ADMIN
from .access import RestrictedQuerySet


class AuditImmutableError(Exception):
    pass


class AuditQuerySet(RestrictedQuerySet):
    def update(self, **kwargs):
        raise AuditImmutableError("audit records cannot be changed")

    def delete(self):
        raise AuditImmutableError("audit records cannot be deleted")

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
        )


class AuditRecord(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("新建")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        RESTORE = "restore", _("恢复")
        STATUS = "status", _("状态变更")
        STAGE = "stage", _("阶段变更")
        IMPORT = "import", _("批量导入")
        IMPORT_REJECTED = "import_rejected", _("导入被拒")
        EXPORT = "export", _("导出")
        LOGIN = "login", _("登录成功")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOGOUT = "logout", _("退出登录")
        LOCKED = "locked", _("账号锁定")
        TOKEN = "token", _("签发令牌")
        TOKEN_REVOKE = "token_revoke", _("撤销令牌")
        PASSWORD = "password", _("修改密码")
        PASSWORD_RESET = "password_reset", _("重置密码")
        ROLE = "role", _("角色授权变更")
        OTP = "otp", _("双因素认证")
        THROTTLED = "throttled", _("登录限流")
        BACKUP = "backup", _("备份")
        RESTORE_BACKUP = "restore_backup", _("从备份恢复")

    time = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    action = models.CharField(_("动作"), max_length=20, choices=Action.choices)
    zone = models.ForeignKey(
        "core.Zone", verbose_name=_("园区"), null=True, blank=True, on_delete=models.PROTECT
    )
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    message = models.TextField(_("说明"), blank=True)

    objects = AuditQuerySet.as_manager()
    access_policy = {PLATFORM_ADMIN: {"view"}, ZONE_ADMIN: {"view"}}
    access_zone_path = "zone"

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [
            models.Index(fields=["zone", "-time"]),
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["actor_name", "-time"]),
        ]

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditImmutableError("audit records cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("audit records cannot be deleted")

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
