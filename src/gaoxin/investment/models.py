"""Investment attraction (招商引资): projects from first lead to production, their dated stage
events, the investor's commitments and the funds actually in place, documents, campaigns and
department targets, and each zone's size-class thresholds.

Three money figures are kept apart and never added together (DOMAIN.md): 计划总投资
`planned_investment`, 固定资产投资 `fixed_asset_investment`, 实际到位资金 `FundsEntry`.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import Owned, RestrictedQuerySet, SoftDeleted, Versioned, ZoneScopedModel
from gaoxin.core.models.access import RECORDS_POLICY, VIEW, ZONE_SETTINGS_POLICY
from gaoxin.core.roles import ENTERPRISE_USER

ZERO = Decimal("0")
MONEY = {"max_digits": 16, "decimal_places": 4, "validators": [MinValueValidator(ZERO)]}


class Category(models.TextChoices):
    INDUSTRIAL = "industrial", _("工业")
    SERVICES = "services", _("服务业")
    AGRICULTURE = "agriculture", _("农业")
    INFRASTRUCTURE = "infrastructure", _("基础设施")


class Stage(models.TextChoices):
    LEAD = "lead", _("线索")
    VISIT = "visit", _("考察")
    NEGOTIATION = "negotiation", _("洽谈")
    SIGNED = "signed", _("签约")
    STARTED = "started", _("开工")
    PRODUCTION = "production", _("投产")
    ON_HOLD = "on_hold", _("暂缓")
    DROPPED = "dropped", _("终止")


# The main line, in order; 暂缓 and 终止 stand beside it.
PIPELINE = (
    Stage.LEAD,
    Stage.VISIT,
    Stage.NEGOTIATION,
    Stage.SIGNED,
    Stage.STARTED,
    Stage.PRODUCTION,
)
ORDER = {stage: i for i, stage in enumerate(PIPELINE)}
# The date field on Project that remembers when each main stage was reached.
MILESTONE_FIELD = {
    Stage.LEAD: "lead_on",
    Stage.VISIT: "visit_on",
    Stage.NEGOTIATION: "negotiation_on",
    Stage.SIGNED: "signed_on",
    Stage.STARTED: "started_on",
    Stage.PRODUCTION: "production_on",
}


class ProjectQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(is_deleted=False)


class Project(Owned, Versioned, SoftDeleted, ZoneScopedModel):
    name = models.CharField(_("项目名称"), max_length=100)
    category = models.CharField(
        _("项目类别"), max_length=20, choices=Category.choices, default=Category.INDUSTRIAL
    )
    investor_name = models.CharField(_("投资方"), max_length=100)
    investor_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("落地企业"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="investment_projects",
        help_text=_("投资方在本园区注册的企业;注册后关联"),
    )
    origin_province = models.ForeignKey(
        "core.Division",
        verbose_name=_("投资方来源省份"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    origin_country = models.CharField(
        _("投资方来源国家/地区"), max_length=50, blank=True, help_text=_("境外投资方填写")
    )
    industry = models.ForeignKey(
        "core.Industry",
        verbose_name=_("国民经济行业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    chain = models.ForeignKey(
        "core.Tag",
        verbose_name=_("产业链"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"category": "industry_chain"},
    )
    channel = models.ForeignKey(
        "core.Tag",
        verbose_name=_("招商渠道"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"category": "source_channel"},
    )
    planned_investment = models.DecimalField(_("计划总投资(万元)"), **MONEY)
    fixed_asset_investment = models.DecimalField(
        _("其中固定资产投资(万元)"), null=True, blank=True, **MONEY
    )
    foreign_investment_usd = models.DecimalField(_("外资(万美元)"), null=True, blank=True, **MONEY)
    land_mu = models.DecimalField(
        _("用地(亩)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    building_area = models.DecimalField(
        _("建筑面积(平方米)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    expected_output = models.DecimalField(_("预计年产值(万元)"), null=True, blank=True, **MONEY)
    expected_tax = models.DecimalField(_("预计年税收(万元)"), null=True, blank=True, **MONEY)
    expected_jobs = models.PositiveIntegerField(_("预计用工(人)"), null=True, blank=True)
    site = models.CharField(_("项目选址"), max_length=200, blank=True)
    summary = models.TextField(_("项目简介"), blank=True)

    stage = models.CharField(_("当前阶段"), max_length=12, choices=Stage.choices)
    stage_on = models.DateField(_("进入当前阶段日期"))
    # Where a project on hold stands on the main line, to resume from.
    halted_from = models.CharField(
        _("暂缓前阶段"), max_length=12, choices=Stage.choices, blank=True
    )
    # When each main stage was (last) reached; kept by services from the stage events so that
    # counts for any period are one indexed query. A move back clears the later ones.
    lead_on = models.DateField(_("线索日期"), null=True, blank=True)
    visit_on = models.DateField(_("考察日期"), null=True, blank=True)
    negotiation_on = models.DateField(_("洽谈日期"), null=True, blank=True)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    production_on = models.DateField(_("投产日期"), null=True, blank=True)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProjectQuerySet.as_manager()
    # An enterprise user sees only the public status of their own enterprise's project.
    access_enterprise_path = "investor_enterprise"
    access_department_path = "department"
    access_policy = {**RECORDS_POLICY, ENTERPRISE_USER: {VIEW}}  # they never change it

    class Meta:
        ordering = ["zone_id", "-stage_on", "-id"]
        verbose_name = _("招商项目")
        verbose_name_plural = _("招商项目")
        indexes = [
            models.Index(fields=["zone", "stage"]),
            models.Index(fields=["zone", "signed_on"]),
            models.Index(fields=["zone", "started_on"]),
            models.Index(fields=["zone", "production_on"]),
            models.Index(fields=["zone", "department"]),
            models.Index(fields=["zone", "name"]),
            # the list's default ordering, within the zone (issue 16)
            models.Index(fields=["zone", "-stage_on", "-id"], name="project_zone_stage_on"),
        ]

    def __str__(self):
        return self.name

    @property
    def line_stage(self) -> str:
        """Where the project stands on the main line (a project on hold keeps its place)."""
        return self.halted_from if self.stage == Stage.ON_HOLD else self.stage

    @property
    def days_visit_to_signed(self) -> int | None:
        """Speed, as investors hear it bragged about: days from 考察 to 签约."""
        if self.visit_on and self.signed_on:
            return (self.signed_on - self.visit_on).days
        return None

    @property
    def days_signed_to_started(self) -> int | None:
        if self.signed_on and self.started_on:
            return (self.started_on - self.signed_on).days
        return None

    @property
    def is_closed(self) -> bool:
        return self.stage in (Stage.PRODUCTION, Stage.DROPPED)


class StageEvent(ZoneScopedModel):
    """One dated move of a project: forward, back (with a reason), on hold, dropped, resumed."""

    class Kind(models.TextChoices):
        ENTER = "enter", _("登记")
        FORWARD = "forward", _("推进")
        BACK = "back", _("退回")
        HOLD = "hold", _("暂缓")
        DROP = "drop", _("终止")
        RESUME = "resume", _("恢复")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    from_stage = models.CharField(_("原阶段"), max_length=12, choices=Stage.choices, blank=True)
    stage = models.CharField(_("阶段"), max_length=12, choices=Stage.choices)
    on = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("登记人"), max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    access_enterprise_path = "project__investor_enterprise"
    access_policy = {**Project.access_policy, ENTERPRISE_USER: set()}

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("阶段事件")
        verbose_name_plural = _("阶段事件")
        indexes = [models.Index(fields=["zone", "project", "on"])]


class Commitment(Versioned, ZoneScopedModel):
    """What the investor promised at signing (投资协议约定)."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="commitment")
    investment = models.DecimalField(_("承诺投资(万元)"), null=True, blank=True, **MONEY)
    funds_in_place = models.DecimalField(_("承诺到位资金(万元)"), null=True, blank=True, **MONEY)
    funds_by = models.DateField(_("资金到位期限"), null=True, blank=True)
    start_by = models.DateField(_("开工期限"), null=True, blank=True)
    production_by = models.DateField(_("投产期限"), null=True, blank=True)
    land_mu = models.DecimalField(
        _("承诺用地(亩)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    annual_output = models.DecimalField(_("承诺年产值(万元)"), null=True, blank=True, **MONEY)
    annual_tax = models.DecimalField(_("承诺年税收(万元)"), null=True, blank=True, **MONEY)
    jobs = models.PositiveIntegerField(_("承诺用工(人)"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    access_department_path = "project__department"
    access_policy = {**Project.access_policy, ENTERPRISE_USER: set()}

    class Meta:
        verbose_name = _("投资承诺")
        verbose_name_plural = _("投资承诺")


class FundsEntry(ZoneScopedModel):
    """Funds actually in place (实际到位资金), entered as they arrive."""

    class Source(models.TextChoices):
        OUT_OF_PROVINCE = "out_of_province", _("省外资金")
        FOREIGN = "foreign", _("境外资金")
        IN_PROVINCE = "in_province", _("省内资金")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funds")
    on = models.DateField(_("到位日期"))
    amount = models.DecimalField(_("到位金额(万元)"), **MONEY)
    source = models.CharField(
        _("资金来源"), max_length=20, choices=Source.choices, default=Source.OUT_OF_PROVINCE
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    actor_name = models.CharField(_("登记人"), max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    access_department_path = "project__department"
    access_policy = {**Project.access_policy, ENTERPRISE_USER: set()}

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("到位资金")
        verbose_name_plural = _("到位资金")
        indexes = [models.Index(fields=["zone", "project", "on"])]


def document_path(instance, filename):
    # The stored name is random: the user's file name never reaches the file system.
    return f"investment/{instance.zone_id}/{uuid.uuid4().hex}"


class Document(ZoneScopedModel):
    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("投资协议")
        FEASIBILITY = "feasibility", _("可行性研究报告")
        LICENSE = "license", _("营业执照")
        MINUTES = "minutes", _("会议纪要")
        PHOTO = "photo", _("现场照片")
        OTHER = "other", _("其他")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("材料类型"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to=document_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小(字节)"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    uploaded_by = models.CharField(_("上传人"), max_length=150, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    is_deleted = models.BooleanField(_("已删除"), default=False)

    objects = RestrictedQuerySet.as_manager()
    access_department_path = "project__department"
    access_policy = {**Project.access_policy, ENTERPRISE_USER: set()}

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("项目材料")
        verbose_name_plural = _("项目材料")
        indexes = [models.Index(fields=["zone", "project"])]

    def __str__(self):
        return self.name


# Campaigns, department targets and size-class thresholds are the zone's to set
# (ZONE_SETTINGS_POLICY): its admins write them; officers, leaders and the province read them;
# enterprise users see none.


class Campaign(Versioned, ZoneScopedModel):
    """A drive such as 百日招商, with a date window and targets."""

    name = models.CharField(_("活动名称"), max_length=100)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    target_projects = models.PositiveIntegerField(_("目标签约项目数"), null=True, blank=True)
    target_investment = models.DecimalField(
        _("目标签约投资额(万元)"), null=True, blank=True, **MONEY
    )
    target_large = models.PositiveIntegerField(_("目标亿元以上项目数"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    access_policy = ZONE_SETTINGS_POLICY

    class Meta:
        ordering = ["zone_id", "-start"]
        verbose_name = _("招商活动")
        verbose_name_plural = _("招商活动")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="campaign_window")
        ]

    def __str__(self):
        return self.name


class DepartmentTarget(ZoneScopedModel):
    """A department's annual targets for projects and investment signed."""

    department = models.ForeignKey(
        "core.Department", verbose_name=_("部门"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    target_projects = models.PositiveIntegerField(_("目标签约项目数"), null=True, blank=True)
    target_investment = models.DecimalField(
        _("目标签约投资额(万元)"), null=True, blank=True, **MONEY
    )
    target_large = models.PositiveIntegerField(_("目标亿元以上项目数"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    access_policy = ZONE_SETTINGS_POLICY

    class Meta:
        ordering = ["zone_id", "-year", "department"]
        verbose_name = _("部门年度目标")
        verbose_name_plural = _("部门年度目标")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "year"], name="department_target_unique_year"
            )
        ]


class Thresholds(Versioned, ZoneScopedModel):
    """A zone's size classes (DOMAIN.md: configurable): 亿元以上 and the "5020" threshold."""

    large = models.DecimalField(
        _("亿元以上项目门槛(万元)"), max_digits=16, decimal_places=4, default=Decimal("10000")
    )
    class_5020 = models.DecimalField(
        _("5020 项目门槛(万元)"),
        max_digits=16,
        decimal_places=4,
        help_text=_("江西“5020”:市级 50 亿元,县级 20 亿元"),
    )

    objects = RestrictedQuerySet.as_manager()
    access_policy = ZONE_SETTINGS_POLICY

    class Meta:
        verbose_name = _("项目规模门槛")
        verbose_name_plural = _("项目规模门槛")
        constraints = [models.UniqueConstraint(fields=["zone"], name="thresholds_one_per_zone")]
