"""Which zone a request works in: the session's choice among the zones the user may see."""

from .models import Zone

SESSION_KEY = "gaoxin_zone_id"


def visible_zones(user):
    return Zone.objects.restrict(user, "view").select_related("province")


def home_zone(user, zones=None):
    """The zone a user works in unless they choose another: their own membership's zone, else the
    first zone they may see (a platform admin or province viewer)."""
    own = next((m.zone for m in user.memberships_cached() if m.zone_id), None)
    return own or (zones if zones is not None else visible_zones(user)).first()


def current_zone(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return None
    zones = visible_zones(user)
    chosen = request.session.get(SESSION_KEY)
    if chosen:
        zone = zones.filter(pk=chosen).first()
        if zone:
            return zone
    return home_zone(user, zones)
