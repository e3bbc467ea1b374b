"""Password bookkeeping for every door, and the audit of the doors that bypass the services.

Every password set (page, API, Django admin, `changepassword`, `createsuperuser`) keeps its hash
in the history the validator reads. A password change or a superuser's creation made outside a
door that audits it (the CLI commands, a shell) is audited here.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .. import audit
from ..models import AuditRecord, User
from ..passwords import record_history
from . import door_actor

USER_FIELDS = (
    "username",
    "full_name",
    "phone",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
    "must_change_password",
)


def zone_of(user):
    """The zone an account belongs to, for its audit rows (None for platform-wide accounts)."""
    return next((m.zone_id for m in user.memberships.all() if m.zone_id), None)


@receiver(post_save, sender=User)
def on_user_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    # `_password` is set by set_password() until the save finishes (a hasher upgrade clears it
    # first: not a change); a user created with a ready hash (createsuperuser) has none.
    changed = instance._password is not None or (created and instance.has_usable_password())
    if not changed:
        return
    record_history(instance)
    if door_actor() is not None:
        return  # the door audits it
    if created:
        if instance.is_superuser or instance.is_staff:
            audit.record(
                None,
                AuditRecord.Action.CREATE,
                instance,
                zone=None,
                repr_=instance.username,
                after=audit.snapshot(instance, USER_FIELDS),
                message=_("在产品之外创建的管理账号(如 createsuperuser 命令)"),
            )
        return
    audit.record(
        None,
        AuditRecord.Action.PASSWORD,
        instance,
        zone=zone_of(instance),
        repr_=instance.username,
        message=_("在产品之外修改了密码(如 changepassword 命令)"),
    )
