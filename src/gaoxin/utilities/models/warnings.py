"""Warnings raised on an account as its days of supply left cross the zone's levels (each level
once an episode, cleared when a top-up lifts the balance), and the findings its consumption
gives the economic officers (a sharp drop; metered electricity against the reported)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import ZoneScopedModel
from gaoxin.core.models.access import ZONE_FIGURES_POLICY

from .access import OWN_READ_POLICY, PartnerScopedQuerySet
from .accounts import MONEY, Account
from .choices import FindingStatus, Level
from .ledger import VOLUME, TopUp


class Warning(ZoneScopedModel):
    account = models.ForeignKey(
        Account, verbose_name=_("账户"), on_delete=models.PROTECT, related_name="warnings"
    )
    level = models.PositiveSmallIntegerField(_("级别"), choices=Level.choices)
    raised_at = models.DateTimeField(_("预警时间"))
    days_left = models.DecimalField(_("可用天数"), max_digits=7, decimal_places=1, null=True)
    balance = models.DecimalField(_("余额(元)"), **MONEY)
    notified = models.PositiveSmallIntegerField(_("通知人数"), default=0)
    matter = models.ForeignKey(
        "matters.Matter",
        verbose_name=_("事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cleared_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        TopUp,
        verbose_name=_("解除的充值"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = PartnerScopedQuerySet.as_manager()
    access_policy = OWN_READ_POLICY
    access_enterprise_path = "account__enterprise"
    access_company_path = "account__company_id"

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "level"],
                condition=models.Q(cleared_at__isnull=True),
                name="warning_one_open_a_level",
            ),
        ]
        indexes = [models.Index(fields=["zone", "raised_at"], name="warning_zone_time")]
        verbose_name = _("余额预警")
        verbose_name_plural = _("余额预警")


class Finding(ZoneScopedModel):
    """What the meters say about an enterprise: its consumption fell sharply against its own
    pattern (a possible stoppage: visit), or its reported electricity disagrees with the meters."""

    class Kind(models.TextChoices):
        DROP = "drop", _("用量骤降")
        MISMATCH = "mismatch", _("报表用电量与电表不符")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    account = models.ForeignKey(
        Account,
        verbose_name=_("账户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    detected_on = models.DateField(_("发现日期"))
    period = models.CharField(_("报告期"), max_length=7, blank=True)  # "2026-10" for a mismatch
    expected = models.DecimalField(_("基准值"), **VOLUME)
    observed = models.DecimalField(_("实际值"), **VOLUME)
    change_percent = models.DecimalField(_("偏差(%)"), max_digits=7, decimal_places=1)
    status = models.CharField(
        _("状态"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    note = models.CharField(_("核实说明"), max_length=200, blank=True)
    matter = models.ForeignKey(
        "matters.Matter",
        verbose_name=_("走访事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    access_policy = ZONE_FIGURES_POLICY  # the zone's working records: no enterprise, no partner

    class Meta:
        ordering = ["-detected_on"]
        indexes = [models.Index(fields=["zone", "status", "detected_on"], name="finding_open")]
        verbose_name = _("用量发现")
        verbose_name_plural = _("用量发现")
