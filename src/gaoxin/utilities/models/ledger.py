"""The ledger of an account: readings (each priced by the tariff version in force), top-ups,
other charges and corrections, cut-offs reported by the utility, and the batches they came in.
Entries are never overwritten: a re-sent entry is recognised by its key and skipped, a
correction is a new entry. balance = top-ups − priced readings − charges (ledger.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import ZoneScopedModel

from .access import OWN_READ_POLICY, PartnerScopedQuerySet
from .accounts import MONEY, Account, TariffVersion, UtilityCompany
from .choices import ChargeKind, Register, Source

VOLUME = {"max_digits": 16, "decimal_places": 3}  # kWh or m³


class LedgerEntry(ZoneScopedModel):
    """What every ledger table shares: the account, the access rules (the enterprise reads its
    own; the account's company feeds it) and where the entry came from."""

    account = models.ForeignKey(
        Account, verbose_name=_("账户"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.API)
    batch = models.ForeignKey(
        "utilities.Batch",
        verbose_name=_("批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("入账时间"), auto_now_add=True)

    objects = PartnerScopedQuerySet.as_manager()
    access_policy = OWN_READ_POLICY
    access_enterprise_path = "account__enterprise"
    access_company_path = "account__company_id"

    class Meta:
        abstract = True


class Batch(ZoneScopedModel):
    """One push or one file from a utility company (or an officer): all or nothing. The audit
    record names the batch; its rows carry it."""

    class What(models.TextChoices):
        READINGS = "readings", _("读数")
        TOPUPS = "topups", _("充值")
        CUTOFFS = "cutoffs", _("停供")

    what = models.CharField(_("内容"), max_length=10, choices=What.choices)
    company = models.ForeignKey(
        UtilityCompany,
        verbose_name=_("供应单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    written = models.PositiveIntegerField(_("入账"), default=0)
    repeated = models.PositiveIntegerField(_("重复(已跳过)"), default=0)

    objects = PartnerScopedQuerySet.as_manager()
    access_policy = OWN_READ_POLICY
    access_company_path = "company_id"

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("数据批次")
        verbose_name_plural = _("数据批次")


class Reading(LedgerEntry):
    """A meter reading of one register at one time. `usage` is the consumption since the
    register's previous reading and `amount` what it cost, priced by `tariff_version`."""

    read_at = models.DateTimeField(_("抄表时间"))
    day = models.DateField(_("日期"))
    register = models.CharField(
        _("时段"), max_length=10, choices=Register.choices, default=Register.TOTAL
    )
    index = models.DecimalField(_("示数"), **VOLUME)
    usage = models.DecimalField(_("用量"), **VOLUME)
    amount = models.DecimalField(_("费用(元)"), **MONEY)
    tariff_version = models.ForeignKey(
        TariffVersion,
        verbose_name=_("计价版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["account", "read_at", "register"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "register", "read_at"], name="reading_unique_time"
            ),
        ]
        indexes = [
            models.Index(fields=["zone", "day"], name="reading_zone_day"),
            models.Index(fields=["account", "day"], name="reading_account_day"),
        ]
        verbose_name = _("读数")
        verbose_name_plural = _("读数")


class TopUp(LedgerEntry):
    paid_at = models.DateTimeField(_("充值时间"))
    amount = models.DecimalField(_("金额(元)"), **MONEY)
    transaction_id = models.CharField(_("交易号"), max_length=64)
    channel = models.CharField(_("渠道"), max_length=20, blank=True)

    class Meta:
        ordering = ["account", "-paid_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "transaction_id"], name="topup_unique_transaction"
            ),
        ]
        indexes = [models.Index(fields=["zone", "paid_at"], name="topup_zone_time")]
        verbose_name = _("充值")
        verbose_name_plural = _("充值")


class Charge(LedgerEntry):
    """A charge besides the priced readings (a two-part tariff's monthly capacity or demand
    charge) or a correction of an entry (negative: money back), with its reason."""

    day = models.DateField(_("日期"))
    kind = models.CharField(_("类别"), max_length=12, choices=ChargeKind.choices)
    amount = models.DecimalField(_("金额(元)"), **MONEY)
    tariff_version = models.ForeignKey(
        TariffVersion,
        verbose_name=_("计价版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    corrects_reading = models.ForeignKey(
        Reading,
        verbose_name=_("更正的读数"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    corrects_topup = models.ForeignKey(
        TopUp,
        verbose_name=_("更正的充值"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["account", "-day"]
        constraints = [
            # One capacity or demand charge an account a month (the day is the month's first).
            models.UniqueConstraint(
                fields=["account", "kind", "day"],
                condition=models.Q(kind="capacity")
                | models.Q(kind="demand"),  # not IN: pg_dump rewrites it
                name="charge_one_a_month",
            ),
        ]
        verbose_name = _("费用")
        verbose_name_plural = _("费用")


class CutOff(LedgerEntry):
    """A stop of supply reported by the utility (the platform never cuts). `surprise`: the
    account had not been warned at both levels before it (a broken promise, a red matter)."""

    at = models.DateTimeField(_("停供时间"))
    reason = models.CharField(_("原因"), max_length=100, blank=True)
    restored_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    surprise = models.BooleanField(_("未经两级预警"), default=False)
    matter = models.ForeignKey(
        "matters.Matter",
        verbose_name=_("事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-at"]
        constraints = [models.UniqueConstraint(fields=["account", "at"], name="cutoff_unique_time")]
        verbose_name = _("停供")
        verbose_name_plural = _("停供")
