"""What the platform cannot know for a high-tech pre-assessment (高企自评), entered by the
enterprise or an officer for an application year and shown as entered; the rest comes from the
returns and the IP ledger (innovation.assessment)."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import Versioned, ZoneScopedModel
from gaoxin.core.models.access import ADD, CHANGE, RECORDS_POLICY, VIEW
from gaoxin.core.roles import ENTERPRISE_USER

from .choices import MONEY


def _points(most: int, label: str):
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MaxValueValidator(most)]
    )


class AssessmentInput(Versioned, ZoneScopedModel):
    """The entered figures of one enterprise for one application year (`year`); money figures
    are for the latest accounting year (year − 1)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("申报年度"))
    staff = models.PositiveIntegerField(_("职工总数"), null=True, blank=True)
    st_staff = models.PositiveIntegerField(_("科技人员数"), null=True, blank=True)
    total_income = models.DecimalField(_("总收入(万元)"), null=True, blank=True, **MONEY)
    hightech_income = models.DecimalField(
        _("高新技术产品(服务)收入(万元)"), null=True, blank=True, **MONEY
    )
    rd_in_china_share = models.DecimalField(
        _("境内研发费用占比(%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MaxValueValidator(100)],
    )  # fmt: skip
    core_ip = models.BooleanField(_("拥有支撑主要产品的核心知识产权"), null=True, blank=True)
    no_major_incident = models.BooleanField(
        _("近一年无重大安全、质量事故或严重环境违法"), null=True, blank=True
    )
    conversions_1 = models.PositiveSmallIntegerField(_("前第三年成果转化数"), null=True, blank=True)
    conversions_2 = models.PositiveSmallIntegerField(_("前第二年成果转化数"), null=True, blank=True)
    conversions_3 = models.PositiveSmallIntegerField(_("上一年成果转化数"), null=True, blank=True)
    ip_advancement = _points(8, _("知识产权技术先进程度(0–8)"))
    ip_support = _points(8, _("对主要产品的核心支持作用(0–8)"))
    ip_own_rd = models.BooleanField(_("知识产权为自主研发"), null=True, blank=True)
    leads_standard = models.BooleanField(_("主持制定国家或行业标准"), null=True, blank=True)
    rd_accounting = _points(6, _("研发组织管理制度与辅助账(0–6)"))
    rd_institution = _points(6, _("研发机构与产学研合作(0–6)"))
    conversion_platform = _points(4, _("成果转化平台与激励(0–4)"))
    talent_training = _points(4, _("人才培养与绩效评价(0–4)"))
    net_assets_1 = models.DecimalField(_("前第三年末净资产(万元)"), null=True, blank=True, **MONEY)
    net_assets_2 = models.DecimalField(_("前第二年末净资产(万元)"), null=True, blank=True, **MONEY)
    net_assets_3 = models.DecimalField(_("上一年末净资产(万元)"), null=True, blank=True, **MONEY)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_by_name = models.CharField(_("填报人"), max_length=150, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    # The enterprise fills in its own; officers fill in for it; leaders and the province read.
    access_policy = {**RECORDS_POLICY, ENTERPRISE_USER: {VIEW, ADD, CHANGE}}
    access_enterprise_path = "enterprise"

    class Meta:
        ordering = ["zone_id", "enterprise", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="assessment_input_unique")
        ]
        verbose_name = _("高企自评填报")
        verbose_name_plural = _("高企自评填报")

    def __str__(self):
        return f"{self.enterprise} {self.year}"
