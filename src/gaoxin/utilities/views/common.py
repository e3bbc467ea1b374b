"""What the utilities' pages share: finding a row the user may reach (else 404), H1's and H4's
services looked up when a page calls them, and the module's tabs."""

from importlib import import_module

from django.http import Http404
from django.utils.translation import gettext as _

from gaoxin.core.models.access import VIEW, can_in_zone

from ..models import Account


def get(request, model, pk, action=VIEW, *, zone_wide=False):
    """The row `pk` in the zone the user works in, if `action` is allowed on it; else 404.
    zone_wide: the user must also be allowed `action` across the zone (an officer), which keeps
    a partner account and an enterprise user to reading."""
    zone = getattr(request, "zone", None)
    rows = model.objects.restrict(request.user, action).filter(pk=pk)
    obj = rows.filter(zone=zone).first() if zone is not None else None
    if obj is None and not zone_wide:
        obj = rows.first() if is_partner(request.user) else None  # a partner: its company's
    if obj is None or (zone_wide and not can_in_zone(request.user, model, obj.zone, action)):
        raise Http404(_("未找到该记录"))
    return obj


def service(module: str, name: str):
    """`utilities.services.<module>.<name>` (H1's accounts / corrections, H4's findings)."""
    return getattr(import_module(f"gaoxin.utilities.services.{module}"), name)


def is_partner(user) -> bool:
    from gaoxin.core.roles import PARTNER

    return user.is_authenticated and PARTNER in user.roles()


def officer(user, zone, action=VIEW) -> bool:
    """Whether the user reads (or `action`s) the zone's accounts as an officer does."""
    return can_in_zone(user, Account, zone, action)
