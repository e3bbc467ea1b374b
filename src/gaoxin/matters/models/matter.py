"""The matter (事项) and its timeline (`MatterEvent`)."""

import datetime
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import Owned, RestrictedQuerySet, Versioned, ZoneScopedModel
from gaoxin.core.models.access import ADD, CHANGE, VIEW, user_scope_q
from gaoxin.core.roles import (
    ENTERPRISE_USER,
    PLATFORM_ADMIN,
    PROVINCE_VIEWER,
    ZONE_ADMIN,
    ZONE_LEADER,
    ZONE_STAFF,
)

from .categories import Category
from .choices import (
    ACTIVE,
    DONE,
    DUE_SOON_DAYS,
    Channel,
    Kind,
    Light,
    Priority,
    ServiceMode,
    Status,
)


class MatterQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = VIEW):
        """Officers by zone; zone staff change their department's matters and those they own or
        help with (1+1+N teams span departments); enterprise users see their enterprise's matters
        that are open to them (scheduling problems are internal)."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        q = user_scope_q(user, action, department_path="department", policy=Matter.access_policy)
        if q is True:
            return self.all()
        for m in user.memberships_cached():
            if m.role == ZONE_STAFF and action == CHANGE:
                q |= Q(zone_id=m.zone_id, officer=user) | Q(
                    zone_id=m.zone_id,
                    pk__in=Matter.helpers.through.objects.filter(user=user).values("matter_id"),
                )
            elif m.role == ENTERPRISE_USER and action in (VIEW, CHANGE):
                q |= Q(enterprise_id=m.enterprise_id, visible_to_enterprise=True)
        return self.filter(q)

    def active(self):
        return self.filter(status__in=ACTIVE)

    def with_light(self, today: datetime.date):
        """Annotate `light_db` (green / yellow / red / done) as the database computes it, for
        counting and filtering; `Matter.light()` is the same rule in Python."""
        soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
        return self.annotate(
            light_db=models.Case(
                models.When(status__in=DONE, then=models.Value(Light.DONE)),
                models.When(due_on__lt=today, then=models.Value(Light.RED)),
                models.When(due_on__lte=soon, then=models.Value(Light.YELLOW)),
                default=models.Value(Light.GREEN),
                output_field=models.CharField(),
            )
        )

    def light(self, light: str, today: datetime.date):
        soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
        if light == Light.DONE:
            return self.filter(status__in=DONE)
        active = self.filter(status__in=ACTIVE)
        if light == Light.RED:
            return active.filter(due_on__lt=today)
        if light == Light.YELLOW:
            return active.filter(due_on__gte=today, due_on__lte=soon)
        return active.filter(due_on__gt=soon)


class Matter(Owned, Versioned, ZoneScopedModel):
    number = models.CharField(_("编号"), max_length=20, editable=False)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    category = models.ForeignKey(
        Category,
        verbose_name=_("分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matters",
    )
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("详细情况"), blank=True)
    # The subject: an enterprise and/or an investment project.
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matters",
    )
    project = models.ForeignKey(
        "investment.Project",
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matters",
    )
    # Where it came from: a statistics finding (data query), a meeting (scheduling problem).
    finding = models.OneToOneField(
        "statistics.Finding",
        verbose_name=_("审核发现"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matter",
    )
    meeting = models.ForeignKey(
        "matters.Meeting",
        verbose_name=_("调度会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    working_group = models.ForeignKey(
        "matters.WorkingGroup",
        verbose_name=_("帮扶工作组"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matters",
    )
    channel = models.CharField(
        _("来源渠道"), max_length=20, choices=Channel.choices, default=Channel.PLATFORM
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_by_name = models.CharField(_("提出人"), max_length=150, blank=True)
    contact = models.CharField(_("联系人及电话"), max_length=100, blank=True)
    # Who owns it: the department and officer (core Owned), with helpers (1+1+N agency teams).
    helpers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("协办人"), blank=True, related_name="+"
    )
    service_mode = models.CharField(
        _("服务方式"), max_length=20, choices=ServiceMode.choices, default=ServiceMode.REGULAR
    )
    priority = models.CharField(
        _("优先级"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    due_on = models.DateField(_("办理期限"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    visible_to_enterprise = models.BooleanField(
        _("企业可见"), default=True, help_text=_("调度会问题等内部事项对企业不可见")
    )
    resolution = models.TextField(_("办理结果"), blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    # Reminders already sent, so the daily job sends each one once.
    due_soon_notified_on = models.DateField(null=True, blank=True, editable=False)
    overdue_notified_on = models.DateField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(_("升级时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("评价"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.CharField(_("评价意见"), max_length=300, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    # Its people's notifications (core's), removed with it; `Notification.objects.filter(matter=)`.
    notifications = GenericRelation("core.Notification", related_query_name="matter")

    objects = MatterQuerySet.as_manager()
    access_enterprise_path = "enterprise"
    access_department_path = "department"
    access_policy = {
        PLATFORM_ADMIN: {VIEW, ADD, CHANGE},
        PROVINCE_VIEWER: {VIEW},
        ZONE_ADMIN: {VIEW, ADD, CHANGE},
        ZONE_LEADER: {VIEW, CHANGE},  # leaders comment and press escalated matters
        ZONE_STAFF: {VIEW, ADD, CHANGE},
        ENTERPRISE_USER: {VIEW, ADD, CHANGE},
    }

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "number"], name="matter_unique_number")
        ]
        indexes = [
            models.Index(fields=["zone", "status", "due_on"]),
            models.Index(fields=["zone", "kind", "status"]),
            models.Index(fields=["zone", "department", "status"]),
            models.Index(fields=["enterprise", "status"]),
            # the list's default ordering, within the zone (issue 16)
            models.Index(fields=["zone", "-created_at", "-id"], name="matter_zone_created"),
        ]
        verbose_name = _("事项")
        verbose_name_plural = _("事项")

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("matters:detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    def light(self, today: datetime.date) -> str:
        if self.status in DONE:
            return Light.DONE
        if self.due_on < today:
            return Light.RED
        if self.due_on <= today + datetime.timedelta(days=DUE_SOON_DAYS):
            return Light.YELLOW
        return Light.GREEN


def attachment_path(instance, filename):
    """A random name on disk (the user's name is kept in `attachment_name`); files are served only
    through the access path, never from a public media URL."""
    return f"matters/{instance.zone_id}/{uuid.uuid4().hex}"


class MatterEvent(ZoneScopedModel):
    """One entry of a matter's timeline: a comment, a status change, an assignment, a due-date
    change with its reason, an attachment, an escalation, a rating."""

    class Type(models.TextChoices):
        CREATED = "created", _("提出")
        COMMENT = "comment", _("留言")
        STATUS = "status", _("状态变更")
        ASSIGN = "assign", _("分派")
        DUE = "due", _("调整期限")
        ATTACHMENT = "attachment", _("附件")
        ESCALATE = "escalate", _("升级督办")
        RATING = "rating", _("评价")
        REMINDER = "reminder", _("提醒")
        UPDATE = "update", _("修改")

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("类型"), max_length=20, choices=Type.choices)
    time = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    text = models.TextField(_("内容"), blank=True)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    internal = models.BooleanField(_("仅内部可见"), default=False)
    attachment = models.FileField(_("附件"), upload_to=attachment_path, blank=True)
    attachment_name = models.CharField(_("附件名"), max_length=200, blank=True)

    access_enterprise_path = "matter__enterprise"
    access_policy = Matter.access_policy

    class Meta:
        ordering = ["time", "id"]
        indexes = [models.Index(fields=["matter", "time"])]
        verbose_name = _("事项动态")
        verbose_name_plural = _("事项动态")

    def __str__(self):
        return f"{self.get_type_display()} {self.actor_name}"
