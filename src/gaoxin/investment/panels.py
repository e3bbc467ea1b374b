"""The investment module's panel on the enterprise page (一企一档; core.modules)."""

from .models import Project

SHOWN = 10


def enterprise(request, enterprise) -> dict | None:
    """The projects this enterprise invests in, as far as the user may see them."""
    projects = (
        Project.objects.restrict(request.user, "view")
        .filter(investor_enterprise=enterprise)
        .order_by("-pk")
    )
    rows = list(projects[:SHOWN])
    if not rows:
        return None
    return {"projects": rows, "count": len(rows) if len(rows) < SHOWN else projects.count()}
