"""The matters module's panels on the enterprise and project pages (core.modules)."""

from gaoxin.core.clock import today

from .models import ACTIVE, Matter

SHOWN = 10


def _panel(request, **subject) -> dict | None:
    matters = (
        Matter.objects.restrict(request.user, "view")
        .filter(status__in=ACTIVE, **subject)
        .with_light(today())
        .order_by("due_on", "pk")
    )
    rows = list(matters[:SHOWN])
    if not rows:
        return None
    return {"matters": rows, "count": len(rows) if len(rows) < SHOWN else matters.count()}


def enterprise(request, enterprise) -> dict | None:
    """The enterprise's open matters (requests, problems, queries) the user may see."""
    return _panel(request, enterprise=enterprise)


def project(request, project) -> dict | None:
    """The project's open matters (its scheduling problems and approvals)."""
    return _panel(request, project=project)
