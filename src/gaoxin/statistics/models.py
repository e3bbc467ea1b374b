"""Economic statistics: the indicator catalogue, enterprise returns, accepted values and their
rollups, official figures, check rules and their findings (DOMAIN.md, "Economic statistics").

Periods are stored as the integer yyyymm (`gaoxin.core.periods.Period.key`): the same month last
year is `period - 100`. Money is in 万元, electricity in 万千瓦时; an indicator carries its unit.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import RestrictedQuerySet, Versioned, ZoneScopedModel
from gaoxin.core.models.access import VIEW, ZONE_FIGURES_POLICY, user_scope_q
from gaoxin.core.periods import Period

AMOUNT = {"max_digits": 20, "decimal_places": 4}


class CatalogueQuerySet(models.QuerySet):
    """Catalogue rows are either standard (zone empty, seen by everyone signed in) or a zone's own,
    kept by the zone's statistics officers (ZONE_FIGURES_POLICY, as deadlines and the zone's
    figures are)."""

    def restrict(self, user, action: str = VIEW):
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        q = user_scope_q(user, action, policy=ZONE_FIGURES_POLICY)
        if q is True:
            return self.all()
        if action == VIEW:
            q |= Q(zone__isnull=True)
            # Enterprise users read the catalogue of their zone to fill their returns.
            zones = [m.zone_id for m in user.memberships_cached() if m.zone_id]
            q |= Q(zone_id__in=zones)
        return self.filter(q)

    def for_zone(self, zone):
        """The standard rows and the zone's own, the zone's replacing a standard one of the same
        code is left to the caller (`catalogue.indicators_for`)."""
        return self.filter(Q(zone__isnull=True) | Q(zone=zone))


class Indicator(Versioned):
    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("月度")
        QUARTERLY = "quarterly", _("季度")
        YEARLY = "yearly", _("年度")

    class Source(models.TextChoices):
        RETURN = "return", _("企业报表")
        OFFICIAL = "official", _("官方数据")
        COMPUTED = "computed", _("平台计算")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("求和")
        RATIO = "ratio", _("比值(分子合计 ÷ 分母合计)")
        NONE = "none", _("不汇总(仅官方发布)")

    zone = models.ForeignKey(
        "core.Zone",
        verbose_name=_("园区"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("留空为全平台标准指标"),
    )
    # The catalogue is small and read by every zone; standard rows have no zone: on a distributed
    # database it is copied to every node (core/scale.py, docs/scale.md).
    placement = "reference"
    code = models.SlugField(_("指标代码"), max_length=40)
    name = models.CharField(_("指标名称"), max_length=60)
    unit = models.CharField(_("计量单位"), max_length=12)
    frequency = models.CharField(
        _("频率"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    cumulative = models.BooleanField(_("本年累计值"), default=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    aggregation = models.CharField(
        _("汇总方式"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    numerator = models.ForeignKey(
        "self", verbose_name=_("分子指标"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    denominator = models.ForeignKey(
        "self", verbose_name=_("分母指标"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    decimal_places = models.PositiveSmallIntegerField(_("小数位数"), default=2)
    definition = models.TextField(_("指标解释"), blank=True)
    department = models.CharField(_("责任部门"), max_length=50, blank=True)
    position = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("统计指标")
        verbose_name_plural = _("统计指标")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(zone__isnull=True), name="indicator_standard_code"
            ),
            models.UniqueConstraint(fields=["zone", "code"], name="indicator_zone_code"),
        ]

    def __str__(self):
        return f"{self.name}({self.unit})"


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    ACCEPTED = "accepted", _("已审核通过")
    RETURNED = "returned", _("已退回")


class Return(Versioned, ZoneScopedModel):
    """An enterprise's monthly return (B204-1 output, B203 finance) for one period.

    `data` holds the figures as typed ({indicator code: "decimal"}), cumulative where the
    indicator is; `explanations` the enterprise's answers to warnings ({rule/indicator key: text}).
    Accepting a return publishes its figures into `ReturnValue`.
    """

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT,
        related_name="returns",
    )  # fmt: skip
    period = models.PositiveIntegerField(_("报告期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )
    data = models.JSONField(_("填报数据"), default=dict, blank=True)
    explanations = models.JSONField(_("情况说明"), default=dict, blank=True)
    due_on = models.DateField(_("截止日期"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("报送人"),
    )  # fmt: skip
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("审核人"),
    )  # fmt: skip
    returned_reason = models.TextField(_("退回理由"), blank=True)
    revision = models.PositiveIntegerField(_("修订次数"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    access_enterprise_path = "enterprise"

    class Meta:
        ordering = ["zone_id", "-period", "enterprise"]
        verbose_name = _("月度报表")
        verbose_name_plural = _("月度报表")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "period"], name="return_one_per_period"),
            models.CheckConstraint(
                condition=Q(period__gte=200002) & Q(period__lte=210012), name="return_period_range"
            ),
        ]
        indexes = [
            models.Index(fields=["zone", "period", "status"]),
            models.Index(fields=["zone", "enterprise", "-period"]),
        ]

    def __str__(self):
        return f"{self.enterprise_id} {self.period_obj.label()}"

    @property
    def period_obj(self) -> Period:
        return Period.of(self.period)


class ReturnRevision(ZoneScopedModel):
    """The history of a return: a snapshot at each submission, acceptance, return or revision."""

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("修订次数"))
    status = models.CharField(_("状态"), max_length=10, choices=ReturnStatus.choices)
    data = models.JSONField(_("数据"), default=dict)
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    access_enterprise_path = "ret__enterprise"

    class Meta:
        ordering = ["ret", "-at", "-id"]
        verbose_name = _("报表修订记录")
        verbose_name_plural = _("报表修订记录")
        indexes = [models.Index(fields=["zone", "ret"])]


class ReturnValue(models.Model):
    """One accepted figure: the fact table the engine and the rollups read (~12M rows in a big zone).

    value: as reported (cumulative year to date where the indicator is); month_value: the
    month's own value (value minus the previous reporting month's; the 1–2月 value itself), kept
    current by the services when a neighbouring month is revised.
    """

    # Only the two composite indexes below: single-column FK indexes on ~12M rows would slow
    # every write and serve no query.
    zone = models.ForeignKey(
        "core.Zone", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    period = models.PositiveIntegerField()
    value = models.DecimalField(**AMOUNT)
    month_value = models.DecimalField(**AMOUNT, null=True)
    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="values", db_index=False)

    objects = RestrictedQuerySet.as_manager()
    access_enterprise_path = "enterprise"

    class Meta:
        verbose_name = _("报表数值")
        verbose_name_plural = _("报表数值")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "indicator", "period"], name="return_value_unique"
            )
        ]
        indexes = [
            models.Index(fields=["zone", "period", "indicator"]),
        ]

    def __str__(self):
        return f"{self.enterprise_id} {self.indicator_id} {self.period} = {self.value}"


class Rollup(models.Model):
    """Pre-aggregated sums of accepted values by zone, indicator, period and breakdown, refreshed
    when returns are accepted; the cockpit reads these, not the 12M values.

    dimension/key: ("all", ""), ("section", "C"), ("division", "39"), ("scale", "large"),
    ("above_scale", "1"), ("tag", "<tag id>"). same_*/base_*: this period's and last year's sums
    over the enterprises that reported both (同口径), so growth = same / base − 1.
    """

    zone = models.ForeignKey(
        "core.Zone", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    period = models.PositiveIntegerField()
    dimension = models.CharField(max_length=12)
    key = models.CharField(max_length=20, blank=True)
    enterprises = models.PositiveIntegerField(default=0)
    value = models.DecimalField(**AMOUNT)
    month_value = models.DecimalField(**AMOUNT, null=True)
    same_value = models.DecimalField(**AMOUNT, null=True)
    base_value = models.DecimalField(**AMOUNT, null=True)
    same_month = models.DecimalField(**AMOUNT, null=True)
    base_month = models.DecimalField(**AMOUNT, null=True)
    # How many enterprises each sum above is over (0: the sum is NULL), so that taking one out
    # of a group (rollups_incremental) knows when a sum becomes NULL again.
    month_count = models.PositiveIntegerField(default=0)
    same_count = models.PositiveIntegerField(default=0)  # same_value and base_value
    same_month_count = models.PositiveIntegerField(default=0)  # same_month and base_month

    objects = RestrictedQuerySet.as_manager()
    access_policy = ZONE_FIGURES_POLICY

    class Meta:
        verbose_name = _("汇总数据")
        verbose_name_plural = _("汇总数据")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "period", "indicator", "dimension", "key"], name="rollup_unique"
            )
        ]

    def __str__(self):
        return f"{self.zone_id} {self.indicator_id} {self.period} {self.dimension}:{self.key}"


class OfficialSource(models.TextChoices):
    STATISTICS = "statistics", _("统计局")
    TAX = "tax", _("税务局")
    POWER = "power", _("供电公司")
    SCIENCE = "science", _("科技局")
    OTHER = "other", _("其他")


class OfficialFigure(Versioned, ZoneScopedModel):
    """A zone figure published by an authority (value added, its growth at comparable prices,
    high-tech share …), entered or imported with its source and kept apart from computed ones."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.PositiveIntegerField(_("报告期"))
    value = models.DecimalField(_("数值"), **AMOUNT, null=True, blank=True)
    yoy_pct = models.DecimalField(
        _("同比增长(%)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("数据来源"), max_length=12, choices=OfficialSource.choices)
    source_note = models.CharField(_("来源说明"), max_length=200, blank=True)
    entered_by_name = models.CharField(_("录入人"), max_length=150, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    access_policy = ZONE_FIGURES_POLICY

    class Meta:
        ordering = ["zone_id", "-period", "indicator"]
        verbose_name = _("官方数据")
        verbose_name_plural = _("官方数据")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "indicator", "period"], name="official_figure_unique"
            )
        ]


class Rule(Versioned):
    """A declarative check on returns. Standard rules have no zone; a zone's rule of the same
    code replaces the standard one (to change its threshold or severity, or switch it off)."""

    placement = "reference"  # like the catalogue: standard rules have no zone (docs/scale.md)

    class Kind(models.TextChoices):
        REQUIRED = "required", _("必填")
        RANGE = "range", _("取值范围")
        NOT_DECREASING = "not_decreasing", _("累计值不应减少")
        SWING_MONTH = "swing_month", _("环比波动")
        SWING_YEAR = "swing_year", _("同比波动")
        RATIO = "ratio", _("指标间比例(交叉核对)")
        PEER_OUTLIER = "peer_outlier", _("同行业同规模离群")
        UNIT_SLIP = "unit_slip", _("单位错误(相差万倍)")

    class Severity(models.TextChoices):
        ERROR = "error", _("错误")
        WARNING = "warning", _("警告")

    zone = models.ForeignKey(
        "core.Zone", verbose_name=_("园区"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    code = models.SlugField(_("规则代码"), max_length=60)
    name = models.CharField(_("规则名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    other = models.ForeignKey(
        Indicator, verbose_name=_("对照指标"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    params = models.JSONField(_("参数"), default=dict, blank=True)
    severity = models.CharField(_("级别"), max_length=10, choices=Severity.choices)
    is_active = models.BooleanField(_("启用"), default=True)
    position = models.PositiveIntegerField(_("排序"), default=100)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("审核规则")
        verbose_name_plural = _("审核规则")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(zone__isnull=True), name="rule_standard_code"
            ),
            models.UniqueConstraint(fields=["zone", "code"], name="rule_zone_code"),
        ]

    def __str__(self):
        return self.name


class FindingStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    EXPLAINED = "explained", _("企业已说明")
    QUERIED = "queried", _("已发询问")
    CLOSED = "closed", _("已关闭")


class Finding(ZoneScopedModel):
    """What a rule found in a return: an error blocks acceptance, a warning needs an explanation.
    An officer may send it to the enterprise as a query with a deadline, which the matters module
    follows as a data-query matter (through `statistics.queries`)."""

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="findings")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+"
    )
    period = models.PositiveIntegerField(_("报告期"))
    rule_code = models.CharField(_("规则代码"), max_length=60)
    kind = models.CharField(_("类型"), max_length=20, choices=Rule.Kind.choices)
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    severity = models.CharField(_("级别"), max_length=10, choices=Rule.Severity.choices)
    message = models.TextField(_("问题"))
    status = models.CharField(
        _("状态"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    explanation = models.TextField(_("企业说明"), blank=True)
    query_due_on = models.DateField(_("询问回复期限"), null=True, blank=True)
    queried_at = models.DateTimeField(_("询问时间"), null=True, blank=True)
    queried_by_name = models.CharField(_("询问人"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    access_enterprise_path = "enterprise"

    class Meta:
        ordering = ["zone_id", "-period", "severity", "id"]
        verbose_name = _("审核发现")
        verbose_name_plural = _("审核发现")
        indexes = [
            models.Index(fields=["zone", "status", "period"]),
            # the list's default ordering, within the zone (issue 16)
            models.Index(fields=["zone", "-period", "severity", "id"], name="finding_zone_period"),
        ]


class Deadline(ZoneScopedModel):
    """When a period's returns are due in a zone (default: the 8th of the following month)."""

    period = models.PositiveIntegerField(_("报告期"))
    due_on = models.DateField(_("截止日期"))

    objects = RestrictedQuerySet.as_manager()
    access_policy = ZONE_FIGURES_POLICY

    class Meta:
        ordering = ["zone_id", "-period"]
        verbose_name = _("报送截止日期")
        verbose_name_plural = _("报送截止日期")
        constraints = [models.UniqueConstraint(fields=["zone", "period"], name="deadline_unique")]


class Reminder(ZoneScopedModel):
    """A 催报: an officer reminded an enterprise that a period's return is missing or late."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+"
    )
    period = models.PositiveIntegerField(_("报告期"))
    message = models.CharField(_("提醒内容"), max_length=300)
    sent_by_name = models.CharField(_("催报人"), max_length=150, blank=True)
    sent_at = models.DateTimeField(_("催报时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    access_enterprise_path = "enterprise"

    class Meta:
        ordering = ["zone_id", "-sent_at"]
        verbose_name = _("催报记录")
        verbose_name_plural = _("催报记录")
        indexes = [models.Index(fields=["zone", "period", "enterprise"])]
