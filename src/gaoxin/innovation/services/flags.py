"""The registry's high-tech flag, derived from the certificates (issue point 5): an enterprise is
high-tech on a day exactly when it holds a certified high-tech certificate valid that day."""

import datetime

from django.utils.translation import gettext as _

from gaoxin.core.clock import today
from gaoxin.enterprises import derived
from gaoxin.enterprises.models import Enterprise

from ..models import Certification
from ..models.records import valid_on

FIELD = "high_tech"


def _sync(enterprises, on: datetime.date) -> int:
    holders = set(
        Certification.objects.filter(valid_on(on), enterprise__in=enterprises).values_list(
            "enterprise_id", flat=True
        )
    )
    changes = {
        pk: pk in holders
        for pk, flag in enterprises.values_list("pk", FIELD)
        if flag != (pk in holders)
    }
    if not changes:
        return 0
    message = _("按 %(d)s 有效的高新技术企业证书更新") % {"d": on.isoformat()}
    return derived.set_derived(FIELD, changes, message=message)


def sync_high_tech_flags(zone, on: datetime.date) -> int:
    """Set `Enterprise.high_tech` of the zone's (not deleted) enterprises to whether they hold a
    certificate valid on `on`; each change audited as the system's. Returns the flags changed."""
    zone_id = getattr(zone, "pk", zone)
    return _sync(Enterprise.objects.filter(zone_id=zone_id, is_deleted=False), on)


def sync_enterprise_flag(enterprise, on: datetime.date | None = None) -> int:
    """The same for one enterprise (after each certification write), as of today by default."""
    pk = getattr(enterprise, "pk", enterprise)
    return _sync(Enterprise.objects.filter(pk=pk), on or today())


def holding(enterprise, on: datetime.date | None = None) -> Certification | None:
    """The certificate the flag rests on (valid on `on`, today by default), for showing the flag
    with its date and number; None when the enterprise holds none."""
    pk = getattr(enterprise, "pk", enterprise)
    valid = Certification.objects.filter(valid_on(on or today()), enterprise_id=pk)
    return valid.order_by("-issued_on").first()
