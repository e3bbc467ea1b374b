"""The statistics module's panel on the enterprise page (一企一档; core.modules)."""

from gaoxin.core.periods import Period

from .models import Return

SHOWN = 6


def enterprise(request, enterprise) -> dict | None:
    """The enterprise's latest monthly returns, as far as the user may see them; each opens
    where this user works on it (the enterprise fills its own, officers review)."""
    returns = list(
        Return.objects.restrict(request.user, "view")
        .filter(enterprise=enterprise)
        .order_by("-period")[:SHOWN]
    )
    if not returns:
        return None
    own = request.user.is_enterprise_only()
    for r in returns:
        r.label = str(Period.of(r.period))
    return {"returns": returns, "own": own}
