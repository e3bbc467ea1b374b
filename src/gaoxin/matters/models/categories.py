"""A zone's categories of matters (分类与时限): the sub-kinds with their service level and default
department."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import RestrictedQuerySet, ZoneScopedModel
from gaoxin.core.models.access import VIEW, ZONE_SETTINGS_POLICY
from gaoxin.core.roles import ENTERPRISE_USER

from .choices import Kind


class CategoryQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = VIEW):
        """Officers by ZONE_SETTINGS_POLICY; enterprise users read their zone's categories to
        raise a request."""
        qs = super().restrict(user, action)
        if action != VIEW or not (user and user.is_authenticated and user.is_active):
            return qs
        zones = [m.zone_id for m in user.memberships_cached() if m.role == ENTERPRISE_USER]
        return (qs | self.filter(zone_id__in=zones)) if zones else qs


class Category(ZoneScopedModel):
    """A zone's sub-category of a kind: an approval item of agency cases (施工许可), one of the six
    help measures (资金), a kind of scheduling problem. Its service level sets the due date and its
    department receives the matters raised under it."""

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=50)
    service_days = models.PositiveSmallIntegerField(
        _("办理时限(工作日)"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("默认责任部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = CategoryQuerySet.as_manager()
    access_policy = ZONE_SETTINGS_POLICY

    class Meta:
        ordering = ["zone_id", "kind", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "kind", "code"], name="matter_category_code")
        ]
        verbose_name = _("事项分类")
        verbose_name_plural = _("事项分类")

    def __str__(self):
        return self.name
