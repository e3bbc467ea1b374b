"""Abstract models for what many business records share (core.records has the helpers that
act on them: the stale-version check and the audited soft delete)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DELETED_REASON_MAX = 200


class Versioned(models.Model):
    """A record several officers edit: a save from an older version answers 409 (DESIGN.md,
    Concurrency); every save through a service bumps it."""

    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        abstract = True


class SoftDeleted(models.Model):
    """A record that is never erased: deleting marks it with the reason and the time (mechanism
    4); lists leave it out, the audit trail keeps it."""

    is_deleted = models.BooleanField(_("已删除"), default=False)
    deleted_reason = models.CharField(_("删除理由"), max_length=DELETED_REASON_MAX, blank=True)
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True)

    class Meta:
        abstract = True


class Owned(models.Model):
    """A record someone answers for: a responsible department and officer (a project, a matter)."""

    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True
