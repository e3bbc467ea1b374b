"""Each person's notifications (the bell in the top bar, the page `/notifications/`, e-mail).

Any module notifies a person through `gaoxin.core.notifications.notify()`. A notification has a
kind, a short code "<module>.<event>" ("matters.assigned", "statistics.reminder") whose label and
badge colour the module registers here (`register_kind`), a text of at most `TEXT_MAX`
characters, and optionally what it is about: a generic target (any row) and the page to open.
Core names no module: the kinds are registered by the modules that send them.
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .access import ACTIONS, VIEW

TEXT_MAX = 300
URL_MAX = 300
KIND_MAX = 50
KIND_PATTERN = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")
TONES = ("secondary", "danger", "warning", "success", "info", "primary")


@dataclass(frozen=True)
class NotificationKind:
    """What a kind code means: its label (shown on the badge and in the e-mail's subject) and
    the badge's colour (a Bootstrap tone)."""

    code: str
    label: str
    tone: str = "secondary"


KINDS: dict[str, NotificationKind] = {}


def check_kind_code(code) -> str:
    if not isinstance(code, str) or len(code) > KIND_MAX or not KIND_PATTERN.fullmatch(code):
        raise ValueError(f"a notification kind is '<module>.<event>' in lower case: {code!r}")
    return code


def register_kind(code: str, label, *, tone: str = "secondary") -> NotificationKind:
    """Declare a kind of notification (a module does it once, when its code is imported)."""
    if tone not in TONES:
        raise ValueError(f"unknown tone {tone!r}; one of {TONES}")
    kind = NotificationKind(check_kind_code(code), label, tone)
    KINDS[code] = kind
    return kind


def kind_of(code: str) -> NotificationKind:
    """The registered kind; an unregistered one is labelled with its module's name."""
    kind = KINDS.get(code)
    if kind is not None:
        return kind
    module = code.split(".", 1)[0]
    config = next((c for c in apps.get_app_configs() if c.label == module), None)
    return NotificationKind(code, config.verbose_name if config else _("通知"))


class NotificationQuerySet(models.QuerySet):
    def restrict(self, user, action: str = VIEW):
        """Everyone reads and marks only their own notifications."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类型"), max_length=KIND_MAX)
    text = models.CharField(_("内容"), max_length=TEXT_MAX)
    # What it is about (any row of any module), and the page that opens it.
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    url = models.CharField(_("链接"), max_length=URL_MAX, blank=True)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox"),
            models.Index(fields=["content_type", "object_id"], name="notification_target"),
        ]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")

    def __str__(self):
        return self.text

    @property
    def kind_info(self) -> NotificationKind:
        return kind_of(self.kind)

    @property
    def kind_label(self) -> str:
        return self.kind_info.label
