"""An agency case's (项目代办) approval checklist and appointments."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import Versioned, ZoneScopedModel

from .categories import Category
from .choices import ServiceMode
from .matter import Matter


class ApprovalItem(Versioned, ZoneScopedModel):
    """One approval on an agency case's checklist (施工许可), with its state and dates."""

    class State(models.TextChoices):
        PENDING = "pending", _("未启动")
        PREPARING = "preparing", _("材料准备")
        SUBMITTED = "submitted", _("已受理")
        APPROVED = "approved", _("已办结")
        RETURNED = "returned", _("退回补正")
        NOT_NEEDED = "not_needed", _("不涉及")

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="approval_items")
    category = models.ForeignKey(
        Category, verbose_name=_("审批事项"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.PENDING)
    approver = models.CharField(
        _("审批部门/经办人"), max_length=100, blank=True, help_text=_("1+1+N 中的审批人员")
    )
    submitted_on = models.DateField(_("受理日期"), null=True, blank=True)
    approved_on = models.DateField(_("办结日期"), null=True, blank=True)
    due_on = models.DateField(_("承诺办结日期"), null=True, blank=True)
    # 退回补正: [{"returned_on": ISO date, "resumed_on": ISO date or null}], see agency_time
    pauses = models.JSONField(_("退回补正记录"), default=list, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    access_enterprise_path = "matter__enterprise"
    access_department_path = "matter__department"
    access_policy = Matter.access_policy

    class Meta:
        ordering = ["matter", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "category"], name="approval_item_unique")
        ]
        verbose_name = _("审批事项")
        verbose_name_plural = _("审批事项")

    def __str__(self):
        return f"{self.category} · {self.get_state_display()}"


class Appointment(ZoneScopedModel):
    """An appointment of an agency case: by appointment, after hours or on site, with a date and
    a place."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="appointments")
    item = models.ForeignKey(
        ApprovalItem,
        verbose_name=_("审批事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    mode = models.CharField(_("服务方式"), max_length=20, choices=ServiceMode.choices)
    starts_at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=100)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by_name = models.CharField(_("预约人"), max_length=150, blank=True)
    is_cancelled = models.BooleanField(_("已取消"), default=False)

    access_enterprise_path = "matter__enterprise"
    access_department_path = "matter__department"
    access_policy = Matter.access_policy

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            # One booking per window and time: the service refuses a second one with a message;
            # this catches two officers booking at the same moment. On-site visits happen at the
            # project, not at a window, and cancelled bookings free their slot.
            models.UniqueConstraint(
                fields=["zone", "place", "starts_at"],
                # Two equalities, not `mode__in`: PostgreSQL prints an IN over varchar
                # differently after a backup is restored, and the round trip compares schemas.
                condition=models.Q(is_cancelled=False)
                & (models.Q(mode=ServiceMode.APPOINTMENT) | models.Q(mode=ServiceMode.AFTER_HOURS)),
                name="appointment_window_time_unique",
            )
        ]
        verbose_name = _("预约")
        verbose_name_plural = _("预约")

    def __str__(self):
        return f"{self.get_mode_display()} {self.starts_at:%Y-%m-%d %H:%M} {self.place}"
