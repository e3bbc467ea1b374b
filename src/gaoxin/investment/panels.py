"""The investment module's panel on the enterprise page (一企一档) and its workbench cards
(core.modules, core.workbench)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from gaoxin.core import clock, workbench
from gaoxin.core.money import format_wan
from gaoxin.core.roles import ENTERPRISE_USER

from . import delivery, services, summary
from .models import Commitment, Project, Stage

SHOWN = 10
OPEN = (Stage.LEAD, Stage.VISIT, Stage.NEGOTIATION, Stage.SIGNED, Stage.STARTED)


def enterprise(request, enterprise) -> dict | None:
    """The projects this enterprise invests in, as far as the user may see them, each with its
    commitment's standing where the user may read commitments (officers, not the investor)."""
    projects = (
        Project.objects.restrict(request.user, "view")
        .filter(investor_enterprise=enterprise)
        .order_by("-pk")
    )
    rows = list(projects[:SHOWN])
    if not rows:
        return None
    committed = set(
        Commitment.objects.restrict(request.user, "view")
        .filter(project__in=rows)
        .values_list("project_id", flat=True)
    )
    behind = set(
        delivery.with_overdue(Project.objects.filter(pk__in=committed), clock.today())
        .values_list("pk", flat=True)
    ) if committed else set()  # fmt: skip
    for p in rows:
        p.has_commitment, p.behind = p.pk in committed, p.pk in behind
    return {"projects": rows, "count": len(rows) if len(rows) < SHOWN else projects.count()}


def _link(period, stage) -> str:
    return f"{reverse('investment:projects')}?{summary.list_query(period, stage)}"


def leader_card(request) -> dict | None:
    """This year's investment so far: signed (count and planned investment), started and into
    production, each opening the projects behind it."""
    zone = request.zone
    if zone is None:
        return None
    period = summary.parse_period(None, today=clock.today())
    projects = Project.objects.restrict(request.user, "view").filter(zone=zone)
    figures = summary.headline(projects, period, services.thresholds_for(zone))
    return workbench.card(
        _("招商引资 · %(p)s") % {"p": period.label},
        icon="bi-briefcase",
        url=reverse("investment:cockpit"),
        figures=[
            workbench.KeyFigure(
                _("签约项目"), str(figures["signed"]["count"]), url=_link(period, Stage.SIGNED),
                note=format_wan(figures["signed"]["investment_wan"]),
            ),
            workbench.KeyFigure(
                _("开工项目"), str(figures["started"]["count"]), url=_link(period, Stage.STARTED),
                note=format_wan(figures["started"]["investment_wan"]),
            ),
            workbench.KeyFigure(
                _("投产项目"), str(figures["production"]["count"]),
                url=_link(period, Stage.PRODUCTION),
                note=format_wan(figures["production"]["investment_wan"]),
            ),
        ],
        key="investment",
    )  # fmt: skip


def officer_card(request) -> dict | None:
    """The projects an officer is in charge of: those behind on their commitments first."""
    zone = request.zone
    if zone is None:
        return None
    mine = (
        Project.objects.restrict(request.user, "view")
        .filter(zone=zone, officer=request.user, stage__in=OPEN)
        .order_by("-pk")
    )
    behind = set(delivery.with_overdue(mine, clock.today()).values_list("pk", flat=True))
    rows = list(mine[:SHOWN])
    if not rows and not behind:
        return None
    rows += list(mine.filter(pk__in=behind - {p.pk for p in rows}))
    tasks = [
        workbench.Task(
            p.name,
            reverse("investment:project_detail", args=[p.pk]),
            note=str(p.get_stage_display()),
            tone="danger" if p.pk in behind else "info",
            badge=_("承诺逾期") if p.pk in behind else "",
        )
        for p in rows
    ]
    return workbench.card(
        _("我负责的招商项目"),
        icon="bi-briefcase",
        url=reverse("investment:projects"),
        tasks=tasks,
        count=max(len(tasks), mine.count()),
        key="my-projects",
    )


def investor_card(request) -> dict | None:
    """An enterprise's own investment projects and where each stands."""
    if ENTERPRISE_USER not in request.user.roles():
        return None
    projects = list(
        Project.objects.restrict(request.user, "view")
        .filter(investor_enterprise__in=request.user.own_enterprise_ids())
        .order_by("-pk")[:SHOWN]
    )
    if not projects:
        return None
    tasks = [
        workbench.Task(
            p.name,
            reverse("investment:project_detail", args=[p.pk]),
            note=str(p.get_stage_display()),
            tone="success" if p.stage == Stage.PRODUCTION else "info",
        )
        for p in projects
    ]
    return workbench.card(
        _("我的投资项目"), icon="bi-briefcase", url=reverse("investment:projects"), tasks=tasks,
        key="investor-projects",
    )  # fmt: skip
