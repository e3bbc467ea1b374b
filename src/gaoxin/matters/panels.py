"""The matters module's panels on the enterprise and project pages (core.modules)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from gaoxin.core import workbench
from gaoxin.core.clock import today

from .models import ACTIVE, Award, JobOffer, Light, Loan, Matter, Status
from .views.inbox import inbox_matters

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


# --- workbench cards (core.workbench) -----------------------------------------------------------

TONE_OF_LIGHT = {Light.RED: "danger", Light.YELLOW: "warning", Light.GREEN: "success"}


def inbox_card(request) -> dict | None:
    """The person's inbox (red first): the matters they own or help with, their department's
    unowned ones, the escalated for leaders and admins; for an enterprise, its open requests and
    data queries and the resolved matters waiting for its rating."""
    zone = request.zone
    if zone is None:
        return None
    user = request.user
    waiting = inbox_matters(user, zone, today())
    shown = list(waiting[:SHOWN])
    tasks = [
        workbench.Task(
            f"{m.number} {m.title}",
            reverse("matters:detail", args=[m.pk]),
            note=_("限 %(d)s") % {"d": m.due_on.strftime("%m-%d")} if m.due_on else "",
            tone=TONE_OF_LIGHT.get(m.light_db, "info"),
            badge=_("待评价") if m.status == Status.RESOLVED else str(m.get_kind_display()),
        )
        for m in shown
    ]
    enterprise = user.is_enterprise_only()
    return workbench.card(
        _("我的诉求与待评价") if enterprise else _("我的待办"),
        icon="bi-inbox",
        url=reverse("matters:inbox"),
        tasks=tasks,
        count=len(tasks) if len(tasks) < SHOWN else waiting.count(),
        empty=_("没有待办事项。"),
        key="inbox",
    )


def oversight_card(request) -> dict | None:
    """For leaders: the zone's open matters, the overdue and the escalated, each opening the
    list behind it."""
    zone = request.zone
    if zone is None:
        return None
    counts = (
        Matter.objects.restrict(request.user, "view")
        .filter(zone=zone, status__in=ACTIVE)
        .with_light(today())
        .aggregate(
            open=Count("pk"),
            red=Count("pk", filter=Q(light_db=Light.RED)),
            escalated=Count("pk", filter=Q(escalated_at__isnull=False)),
        )
    )
    base = reverse("matters:list")
    active = "&".join(f"status={s}" for s in ACTIVE)
    figures = [
        workbench.KeyFigure(_("办理中"), str(counts["open"]), url=f"{base}?{active}"),
        workbench.KeyFigure(
            _("逾期"), str(counts["red"]), url=f"{base}?{active}&light=red",
            tone="danger" if counts["red"] else "",
        ),
        workbench.KeyFigure(
            _("升级督办"), str(counts["escalated"]), url=f"{base}?{active}&escalated=true",
            tone="warning" if counts["escalated"] else "",
        ),
    ]  # fmt: skip
    return workbench.card(
        _("服务闭环"), icon="bi-arrow-repeat", url=reverse("matters:cockpit"), figures=figures,
        key="matters",
    )  # fmt: skip


def assistance(request, enterprise) -> dict | None:
    """The enterprise's help received: policy awards, loans and job-fair offers (帮扶台账)."""
    awards = list(
        Award.objects.restrict(request.user, "view")
        .filter(enterprise=enterprise)
        .order_by("-paid_on", "-pk")[:SHOWN]
    )
    loans = list(
        Loan.objects.restrict(request.user, "view")
        .filter(enterprise=enterprise)
        .order_by("-granted_on", "-pk")[:SHOWN]
    )
    offers = list(
        JobOffer.objects.restrict(request.user, "view")
        .filter(enterprise=enterprise)
        .select_related("fair")
        .order_by("-fair__held_on", "-pk")[:SHOWN]
    )
    if not (awards or loans or offers):
        return None
    return {"awards": awards, "loans": loans, "offers": offers}


def rated(request, enterprise) -> dict | None:
    """The enterprise's closed matters and how it rated them."""
    rows = list(
        Matter.objects.restrict(request.user, "view")
        .filter(enterprise=enterprise, status__in=(Status.RESOLVED, Status.CLOSED))
        .order_by("-resolved_at", "-pk")[:SHOWN]
    )
    return {"matters": rows} if rows else None
