"""The patent ledger and software copyrights: the IP the pre-assessment counts."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import Versioned, ZoneScopedModel

from .choices import PatentKind, PatentStatus, Source
from .records import OWN_READ_POLICY


class Patent(Versioned, ZoneScopedModel):
    """A patent or application owned by an enterprise; `number` is the application number in its
    normal form (201710601862.3, 95115608.X), without `ZL`."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("权利人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("申请号"), max_length=16)
    kind = models.CharField(_("专利类型"), max_length=14, choices=PatentKind.choices)
    title = models.CharField(_("专利名称"), max_length=200)
    applied_on = models.DateField(_("申请日"))
    granted_on = models.DateField(_("授权公告日"), null=True, blank=True)
    status = models.CharField(_("法律状态"), max_length=10, choices=PatentStatus.choices)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default="entered")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    access_policy = OWN_READ_POLICY
    access_enterprise_path = "enterprise"

    class Meta:
        ordering = ["zone_id", "-applied_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["zone", "number"], name="patent_number")]
        indexes = [
            models.Index(fields=["zone", "granted_on"]),
            models.Index(fields=["zone", "enterprise"]),
            # the list's default ordering, within the zone (issue 16)
            models.Index(fields=["zone", "-applied_on", "-id"], name="patent_zone_applied"),
        ]
        verbose_name = _("专利")
        verbose_name_plural = _("专利")

    def __str__(self):
        return f"{self.number} {self.title}"


class SoftwareCopyright(ZoneScopedModel):
    """A registered software copyright (软件著作权), Class II IP."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("著作权人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("登记号"), max_length=20)
    title = models.CharField(_("软件名称"), max_length=200)
    registered_on = models.DateField(_("登记日期"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    access_policy = OWN_READ_POLICY
    access_enterprise_path = "enterprise"

    class Meta:
        ordering = ["zone_id", "-registered_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "number"], name="software_copyright_number")
        ]
        indexes = [
            # the list's default ordering, within the zone (issue 16)
            models.Index(fields=["zone", "-registered_on", "-id"], name="software_zone_registered")
        ]
        verbose_name = _("软件著作权")
        verbose_name_plural = _("软件著作权")

    def __str__(self):
        return f"{self.number} {self.title}"
