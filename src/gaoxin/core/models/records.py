"""Abstract models for what many business records share (core.records has the helpers that
act on them: the stale-version check and the audited soft delete)."""

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
