"""What builds an enterprise's capacity to innovate: platforms, talents in programmes,
industry–university–research cooperation (产学研合作) and cloud adoption (企业上云)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import Versioned, ZoneScopedModel

from .choices import MONEY, CloudLevel, Level, PlatformKind, Source
from .records import OWN_READ_POLICY


class EnterpriseRecord(ZoneScopedModel):
    """What these records share: the enterprise, where the row came from, when it was made."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default="entered")
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    access_policy = OWN_READ_POLICY
    access_enterprise_path = "enterprise"

    class Meta:
        abstract = True


class Platform(Versioned, EnterpriseRecord):
    """An innovation platform (创新平台) hosted by an enterprise, at the level that recognised it."""

    name = models.CharField(_("平台名称"), max_length=100)
    kind = models.CharField(_("平台类型"), max_length=20, choices=PlatformKind.choices)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    recognised_on = models.DateField(_("认定日期"))

    class Meta:
        ordering = ["zone_id", "-recognised_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "name", "level"], name="platform_unique_name"
            )
        ]
        indexes = [models.Index(fields=["zone", "recognised_on"])]
        verbose_name = _("创新平台")
        verbose_name_plural = _("创新平台")

    def __str__(self):
        return self.name


class Talent(EnterpriseRecord):
    """A person selected into a talent programme (人才工程) while working at an enterprise."""

    name = models.CharField(_("姓名"), max_length=50)
    programme = models.CharField(_("人才计划"), max_length=100)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("入选年度"))

    class Meta:
        ordering = ["zone_id", "-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "name", "programme", "year"], name="talent_unique"
            )
        ]
        indexes = [models.Index(fields=["zone", "year"])]
        verbose_name = _("科技人才")
        verbose_name_plural = _("科技人才")

    def __str__(self):
        return f"{self.name} {self.programme}"


class Cooperation(EnterpriseRecord):
    """An industry–university–research cooperation: a project with a partner institution."""

    partner = models.CharField(_("合作单位"), max_length=100)
    project = models.CharField(_("合作项目"), max_length=200)
    amount = models.DecimalField(_("合同金额(万元)"), null=True, blank=True, **MONEY)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        ordering = ["zone_id", "-starts_on", "-id"]
        indexes = [models.Index(fields=["zone", "starts_on"])]
        verbose_name = _("产学研合作")
        verbose_name_plural = _("产学研合作")

    def __str__(self):
        return f"{self.partner} {self.project}"


class CloudAdoption(EnterpriseRecord):
    """An enterprise's move to the cloud (企业上云) at a level, with its provider."""

    level = models.CharField(_("上云层级"), max_length=10, choices=CloudLevel.choices)
    adopted_on = models.DateField(_("上云日期"))
    provider = models.CharField(_("服务商"), max_length=50, blank=True)

    class Meta:
        ordering = ["zone_id", "-adopted_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "level"], name="cloud_unique_level")
        ]
        indexes = [models.Index(fields=["zone", "adopted_on"])]
        verbose_name = _("企业上云")
        verbose_name_plural = _("企业上云")

    def __str__(self):
        return f"{self.enterprise} {self.get_level_display()}"
