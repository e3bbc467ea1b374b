"""Utilities on the enterprise page (一企一档: its accounts with balance, days left and level)
and on the home page: the officers' accounts in red and yellow and the open findings, the
leader's key figures (意外停供 among them), an enterprise user's own balances and days left. Each
starts from `restrict()` and returns None when there is nothing for this user."""

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from gaoxin.core import clock, workbench
from gaoxin.core.models.access import VIEW, can_in_zone

from . import summary
from .models import Account, Finding, FindingStatus, Level

SHOWN = 5


def _accounts(user):
    return (
        Account.objects.restrict(user, VIEW)
        .filter(closed_on__isnull=True)
        .select_related("company")
        .order_by("-level", F("days_left").asc(nulls_last=True), "pk")
    )


def enterprise(request, enterprise) -> dict | None:
    """The enterprise's accounts the user may see, fewest days left first."""
    rows = list(_accounts(request.user).filter(enterprise=enterprise))
    if not rows:
        return None
    return {"accounts": rows}


def _days(account) -> str:
    if account.days_left is None:
        return _("暂无预测")
    return _("余额 %(b)s 元,可用 %(d)s 天") % {"b": account.balance, "d": account.days_left}


def officer_card(request) -> dict | None:
    """For the zone's officers: the accounts in red and yellow (red first) and the open findings."""
    zone, user = request.zone, request.user
    if zone is None or not can_in_zone(user, Account, zone, VIEW):
        return None
    risky = _accounts(user).filter(zone=zone, level__gte=Level.FIRST).select_related("enterprise")
    count = risky.count()
    tasks = [
        workbench.Task(
            f"{a.enterprise.name} · {a}",
            reverse("utilities:account", args=[a.pk]),
            note=_days(a),
            tone="danger" if a.level >= Level.SECOND else "warning",
            badge=str(a.get_level_display()),
        )  # fmt: skip
        for a in risky[:SHOWN]
    ]
    findings = Finding.objects.restrict(user, VIEW).filter(zone=zone, status=FindingStatus.OPEN)
    n_findings = findings.count()
    if n_findings:
        tasks.append(workbench.Task(
            _("%(n)s 条用量发现待核实") % {"n": n_findings},
            reverse("utilities:findings") + "?status=open", tone="info", badge=_("用量发现"),
        ))  # fmt: skip
    return workbench.card(
        _("水电气保障"), icon="bi-lightning-charge", url=reverse("utilities:accounts"),
        tasks=tasks, count=count + (1 if n_findings else 0),
        empty=_("没有处于预警的水电气账户。"), key="utilities",
    )  # fmt: skip


def leader_card(request) -> dict | None:
    """For leaders: the accounts by band, this year's surprise stops and the open findings."""
    zone = request.zone
    if zone is None or not summary.can_read(request.user, zone):
        return None
    today = clock.today()
    bands = {b["band"]: b for b in summary.bands(zone)}
    stops = summary.cutoffs(zone, today)
    findings = Finding.objects.filter(zone=zone).aggregate(
        n=Count("pk", filter=Q(status=FindingStatus.OPEN))
    )["n"]
    figures = [
        workbench.KeyFigure(_("红色预警账户"), str(bands["red"]["n"]), url=bands["red"]["url"],
                            tone="danger" if bands["red"]["n"] else ""),
        workbench.KeyFigure(_("黄色预警账户"), str(bands["yellow"]["n"]),
                            url=bands["yellow"]["url"]),
        workbench.KeyFigure(_("今年意外停供"), str(stops["surprise"]), url=stops["surprise_url"],
                            tone="danger" if stops["surprise"] else "success"),
        workbench.KeyFigure(_("待核实用量发现"), str(findings),
                            url=summary.link("findings", status="open")),
    ]  # fmt: skip
    return workbench.card(
        _("水电气保障"), icon="bi-lightning-charge", url=reverse("utilities:cockpit"),
        figures=figures, key="utilities-figures",
    )  # fmt: skip


def enterprise_card(request) -> dict | None:
    """For an enterprise user: its accounts' balances and days left, those running out first."""
    own = request.user.own_enterprise_ids()
    if not own:
        return None
    rows = list(_accounts(request.user).filter(enterprise_id__in=own))
    if not rows:
        return None
    tone = {Level.NONE: "success", Level.FIRST: "warning"}
    tasks = [
        workbench.Task(
            str(a),
            reverse("utilities:account", args=[a.pk]),
            note=_days(a),
            tone=tone.get(a.level, "danger"),
            badge=str(a.get_level_display()),
        )  # fmt: skip
        for a in rows[:SHOWN]
    ]
    return workbench.card(
        _("我的水电气"), icon="bi-lightning-charge", url=reverse("utilities:mine"), tasks=tasks,
        count=len(rows), key="utilities-mine",
    )  # fmt: skip
