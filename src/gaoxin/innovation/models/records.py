"""Certifications (高新技术企业, 科技型中小企业, the zone's other titles), the high-tech annual
reports, and the zone's yearly targets. A certification's status is also its tier in the
cultivation pipeline (培育库): cultivating → applied → certified (→ renewal as it nears expiry)."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import Versioned, ZoneScopedModel
from gaoxin.core.models.access import RECORDS_POLICY, VIEW, ZONE_SETTINGS_POLICY
from gaoxin.core.roles import ENTERPRISE_USER

from .choices import CertKind, CertStatus, Source, TechField

# Officers keep the innovation records; an enterprise reads its own (一企一档), nobody else's.
OWN_READ_POLICY = {**RECORDS_POLICY, ENTERPRISE_USER: {VIEW}}


def valid_on(on) -> Q:
    """The high-tech certificates in force on `on` (certified, within their dates): the one rule
    behind the registry flag, the risks, the reminders and the lists' "valid" filter."""
    return Q(kind=CertKind.HIGHTECH, status=CertStatus.CERTIFIED) & _within(on)


# A past year's figures also count the certificates that have expired since (revoked ones never).
HELD = (CertStatus.CERTIFIED, CertStatus.EXPIRED)


def held_on(on) -> Q:
    """The high-tech certificates that were in force on `on`, whatever became of them since
    but revocation: the cockpit's figures of a day or year."""
    return Q(kind=CertKind.HIGHTECH, status__in=HELD) & _within(on)


def _within(on) -> Q:
    return Q(issued_on__lte=on, expires_on__gte=on)


class Title(ZoneScopedModel):
    """Another title the zone tracks (专精特新, 瞪羚企业 …), set by the zone's admins."""

    name = models.CharField(_("称号"), max_length=40)
    yearly = models.BooleanField(_("按年认定"), default=False)

    access_policy = ZONE_SETTINGS_POLICY

    class Meta:
        ordering = ["zone_id", "name"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="title_unique_name")]
        verbose_name = _("企业称号")
        verbose_name_plural = _("企业称号")

    def __str__(self):
        return self.name


class Certification(Versioned, ZoneScopedModel):
    """An enterprise's certification or title, from cultivation to expiry."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=12, choices=CertKind.choices)
    title = models.ForeignKey(
        Title, verbose_name=_("称号"), null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(_("状态"), max_length=12, choices=CertStatus.choices)
    number = models.CharField(_("证书编号"), max_length=40, blank=True)
    field = models.CharField(_("技术领域"), max_length=16, choices=TechField.choices, blank=True)
    applied_on = models.DateField(_("申报日期"), null=True, blank=True)
    issued_on = models.DateField(_("发证日期"), null=True, blank=True)
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(
        _("评价得分"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default="entered")
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    access_policy = OWN_READ_POLICY
    access_enterprise_path = "enterprise"

    class Meta:
        ordering = ["zone_id", "-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "number"], condition=~Q(number=""), name="certification_number"
            )
        ]
        indexes = [
            models.Index(fields=["zone", "kind", "status"]),
            models.Index(fields=["zone", "enterprise"]),
            # the list's default ordering, within the zone (issue 16)
            models.Index(fields=["zone", "-issued_on", "-id"], name="certification_zone_issued"),
        ]
        verbose_name = _("资质认定")
        verbose_name_plural = _("资质认定")

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}".strip()


class AnnualReport(ZoneScopedModel):
    """A certified high-tech enterprise's annual report on `year` (filed by 31 May of the next
    year, or the zone's own deadline); two missed in a row flag the certificate for cancellation."""

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("报告年度"))
    due_on = models.DateField(_("截止日期"))
    filed_on = models.DateField(_("填报日期"), null=True, blank=True)

    access_policy = OWN_READ_POLICY
    access_enterprise_path = "certification__enterprise"

    class Meta:
        ordering = ["certification", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["certification", "year"], name="annual_report_unique")
        ]
        indexes = [models.Index(fields=["zone", "due_on"])]
        verbose_name = _("高企年报")
        verbose_name_plural = _("高企年报")

    def __str__(self):
        return f"{self.certification} {self.year}"


class Target(Versioned, ZoneScopedModel):
    """The zone's innovation targets for a year."""

    year = models.PositiveSmallIntegerField(_("年度"))
    new_hightech = models.PositiveIntegerField(_("新认定高新技术企业"), default=0)
    reserve = models.PositiveIntegerField(_("入库培育企业"), default=0)
    invention_patents = models.PositiveIntegerField(_("发明专利授权"), default=0)
    provincial_platforms = models.PositiveIntegerField(_("新增省级以上平台"), default=0)
    provincial_talents = models.PositiveIntegerField(_("新增省级以上人才"), default=0)
    cloud_enterprises = models.PositiveIntegerField(_("上云企业"), default=0)
    population = models.PositiveIntegerField(
        _("常住人口"), null=True, blank=True, help_text=_("用于计算每万人发明专利拥有量")
    )

    access_policy = ZONE_SETTINGS_POLICY

    class Meta:
        ordering = ["zone_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["zone", "year"], name="target_unique_year")]
        verbose_name = _("科创目标")
        verbose_name_plural = _("科创目标")

    def __str__(self):
        return str(self.year)
