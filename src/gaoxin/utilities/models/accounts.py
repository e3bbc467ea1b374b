"""The utility companies, their tariffs (versioned by date), the zone's settings, and the prepaid
accounts: one per meter, with its balance and forecast kept on the row for the risk list."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import Versioned, ZoneScopedModel
from gaoxin.core.models.access import ZONE_SETTINGS_POLICY

from .access import OWN_READ_POLICY, PartnerScopedQuerySet
from .choices import Kind, Level, Structure

MONEY = {"max_digits": 14, "decimal_places": 2}  # 元, two decimals (small amounts)


class UtilityCompany(ZoneScopedModel):
    """A water, power or gas company serving the zone; its partner accounts (`users`, holding
    core's PARTNER role in the zone) push its meters' ledgers and read nothing else."""

    name = models.CharField(_("单位名称"), max_length=60)
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("接口账户"), blank=True, related_name="+"
    )

    objects = PartnerScopedQuerySet.as_manager()
    access_policy = ZONE_SETTINGS_POLICY
    access_company_path = "pk"

    class Meta:
        ordering = ["zone_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="utilitycompany_unique_name")
        ]
        verbose_name = _("水电气公司")
        verbose_name_plural = _("水电气公司")

    def __str__(self):
        return self.name


class Tariff(ZoneScopedModel):
    """A named tariff (一般工商业分时电价, 非居民用水 …); what it charges lives in its versions."""

    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    structure = models.CharField(_("计价方式"), max_length=10, choices=Structure.choices)

    access_policy = ZONE_SETTINGS_POLICY

    class Meta:
        ordering = ["zone_id", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="tariff_unique_name")]
        verbose_name = _("价格方案")
        verbose_name_plural = _("价格方案")

    def __str__(self):
        return self.name


class TariffVersion(ZoneScopedModel):
    """The prices of a tariff from a date on (agency purchase prices change monthly). The version
    in force on a day is the latest that starts on or before it; a charge names the version that
    priced it. `rates` by structure (tariffs.py validates and prices them):

    single / flat:  {"price": "0.6512"}
    tou:            {"prices": {"critical": …, "peak": …, "flat": …, "valley": …},
                     "hours": {"peak": [[8, 11], [18, 21]], "valley": [[23, 7]], …},
                     "critical_months": [7, 8, 12, 1]}
    two_part:       the tou (or single) keys plus {"capacity_price": 元/kVA·月} or
                    {"demand_price": 元/kW·月}
    tiered:         {"tiers": [["2000", "4.10"], [null, "5.20"]]} (monthly volume up to, price)
    """

    tariff = models.ForeignKey(
        Tariff, verbose_name=_("价格方案"), on_delete=models.PROTECT, related_name="versions"
    )
    valid_from = models.DateField(_("执行日期"))
    rates = models.JSONField(_("价格"))
    note = models.CharField(_("依据"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    access_policy = ZONE_SETTINGS_POLICY

    class Meta:
        ordering = ["tariff", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["tariff", "valid_from"], name="tariffversion_unique_day"
            )
        ]
        verbose_name = _("价格版本")
        verbose_name_plural = _("价格版本")

    def __str__(self):
        return f"{self.tariff} · {self.valid_from:%Y-%m-%d}"


class ZoneUtilitySettings(ZoneScopedModel):
    """The zone's warning levels (days of supply left) and what counts as a sharp drop."""

    first_level_days = models.PositiveSmallIntegerField(_("一级预警(剩余天数)"), default=7)
    second_level_days = models.PositiveSmallIntegerField(_("二级预警(剩余天数)"), default=3)
    drop_percent = models.PositiveSmallIntegerField(
        _("骤降幅度(%)"), default=50, validators=[MinValueValidator(10), MaxValueValidator(95)]
    )
    drop_days = models.PositiveSmallIntegerField(
        _("骤降持续天数"), default=3, validators=[MinValueValidator(2), MaxValueValidator(30)]
    )
    mismatch_percent = models.PositiveSmallIntegerField(
        _("用电量核对容差(%)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    access_policy = ZONE_SETTINGS_POLICY

    class Meta:
        constraints = [models.UniqueConstraint(fields=["zone"], name="utilitysettings_one_a_zone")]
        verbose_name = _("水电气预警设置")
        verbose_name_plural = _("水电气预警设置")


class Account(Versioned, ZoneScopedModel):
    """A prepaid account: one meter of one enterprise. `balance` and the forecast are kept on the
    row (ledger.py and forecast.py write them) so the risk list is one indexed query; the ledger
    entries are the truth they are computed from."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    meter_no = models.CharField(_("表号"), max_length=32)
    company = models.ForeignKey(
        UtilityCompany,
        verbose_name=_("供应单位"),
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    tariff = models.ForeignKey(
        Tariff, verbose_name=_("价格方案"), on_delete=models.PROTECT, related_name="+"
    )
    capacity_kva = models.DecimalField(
        _("受电容量(kVA)"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    demand_kw = models.DecimalField(
        _("核定需量(kW)"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # 保电: supply that must never be cut (a hospital's, a continuous process's) and why.
    protected = models.BooleanField(_("保电"), default=False)
    protected_reason = models.CharField(_("保电原因"), max_length=100, blank=True)
    protected_from = models.DateField(_("保电开始"), null=True, blank=True)
    protected_until = models.DateField(_("保电结束"), null=True, blank=True)
    opened_on = models.DateField(_("开户日期"))
    closed_on = models.DateField(_("销户日期"), null=True, blank=True)

    balance = models.DecimalField(_("余额(元)"), default=0, **MONEY)
    balance_at = models.DateTimeField(_("余额时间"), null=True, blank=True)
    daily_cost = models.DecimalField(_("预测日均费用(元)"), null=True, blank=True, **MONEY)
    days_left = models.DecimalField(
        _("可用天数"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    level = models.PositiveSmallIntegerField(
        _("预警级别"), choices=Level.choices, default=Level.NONE
    )
    forecast_at = models.DateTimeField(_("预测时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = PartnerScopedQuerySet.as_manager()
    access_policy = OWN_READ_POLICY
    access_enterprise_path = "enterprise"
    access_company_path = "company_id"

    class Meta:
        ordering = ["zone_id", "days_left", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "kind", "meter_no"], name="account_unique_meter"
            ),
        ]
        indexes = [
            models.Index(fields=["zone", "level", "days_left"], name="account_risk"),
            # the lists' risk order (level high first, fewest days first) on PostgreSQL
            models.Index(fields=["zone", "-level", "days_left"], name="account_risk_order"),
            models.Index(fields=["zone", "enterprise"], name="account_enterprise"),
        ]
        verbose_name = _("预付费账户")
        verbose_name_plural = _("预付费账户")

    def __str__(self):
        return f"{self.get_kind_display()} {self.meter_no}"
