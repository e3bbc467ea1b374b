"""Delivery against commitments: what the investor promised at signing against what happened.

Start and production deadlines are checked against the stage dates, promised funds against the
funds actually in place up to the deadline. Output, tax and jobs come from the statistics the
project's enterprise reports: the statistics module fills that seam by registering a provider
(`register_figures_provider`); until it does, those lines say the figures are awaited.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from .models import FundsEntry, Stage

ZERO = Decimal("0")

# provider(enterprise, year) -> {"output": 万元, "tax": 万元, "jobs": 人} or None.
_providers: list[Callable] = []


def register_figures_provider(provider: Callable) -> None:
    """The statistics module registers how to read an enterprise's annual output, tax and jobs."""
    if provider not in _providers:
        _providers.append(provider)


def enterprise_figures(enterprise, year: int) -> dict | None:
    for provider in _providers:
        figures = provider(enterprise, year)
        if figures:
            return figures
    return None


def funds_by_deadline():
    """A subquery: a project's funds in place up to its commitment's funds deadline."""
    return Coalesce(
        Subquery(
            FundsEntry.objects.filter(
                project=OuterRef("pk"), on__lte=OuterRef("commitment__funds_by")
            )
            .values("project")
            .annotate(total=Sum("amount"))
            .values("total")[:1],
            output_field=DecimalField(max_digits=16, decimal_places=4),
        ),
        Value(ZERO),
        output_field=DecimalField(max_digits=16, decimal_places=4),
    )


def overdue_q(today: datetime.date) -> Q:
    """Projects behind on a commitment: a start or production deadline passed without the stage,
    or the funds deadline passed with less in place than promised. Needs `funds_due_paid`
    annotated (see `with_overdue`)."""
    return ~Q(stage=Stage.DROPPED) & (
        Q(commitment__start_by__lt=today, started_on__isnull=True)
        | Q(commitment__production_by__lt=today, production_on__isnull=True)
        | Q(commitment__funds_by__lt=today, commitment__funds_in_place__gt=F("funds_due_paid"))
    )


def with_overdue(projects, today: datetime.date, overdue: bool = True):
    projects = projects.annotate(funds_due_paid=funds_by_deadline())
    q = overdue_q(today)
    return projects.filter(q) if overdue else projects.exclude(q)


def _deadline_item(key, label, deadline, actual, today, stage_dropped):
    if deadline is None:
        status = "none"
    elif actual is not None:
        status = "met" if actual <= deadline else "late"
    elif stage_dropped:
        status = "dropped"
    elif today > deadline:
        status = "overdue"
    else:
        status = "pending"
    return {"key": key, "label": label, "promised": deadline, "actual": actual, "status": status}


def delivery(project, commitment, funds, today: datetime.date) -> list[dict]:
    """Each promise with what was delivered and a status: met / late (met after the deadline) /
    pending / overdue / short (funds) / awaiting (statistics not yet available) / none."""
    dropped = project.stage == Stage.DROPPED
    items = [
        _deadline_item("start", _("开工"), commitment.start_by, project.started_on, today, dropped),
        _deadline_item(
            "production", _("投产"), commitment.production_by, project.production_on, today, dropped
        ),
    ]
    total = sum((f.amount for f in funds), ZERO)
    promised = commitment.funds_in_place
    if promised:
        by_deadline = sum(
            (f.amount for f in funds if commitment.funds_by and f.on <= commitment.funds_by), ZERO
        )
        if total >= promised:
            status = "met" if by_deadline >= promised else "late"
        elif commitment.funds_by and today > commitment.funds_by and not dropped:
            status = "short"
        else:
            status = "pending"
        items.append(
            {
                "key": "funds",
                "label": _("资金到位"),
                "promised": promised,
                "deadline": commitment.funds_by,
                "actual": total,
                "by_deadline": by_deadline,
                "share": round(total * 100 / promised, 1),
                "status": status,
            }
        )
    figures = None
    year = today.year - 1  # the last full year
    if project.investor_enterprise_id and project.production_on:
        figures = enterprise_figures(project.investor_enterprise, year)
    land = commitment.land_mu or project.land_mu
    for key, label, promised_value in (
        ("output", _("年产值"), commitment.annual_output),
        ("tax", _("年税收"), commitment.annual_tax),
        ("jobs", _("用工"), commitment.jobs),
    ):
        if promised_value is None:
            continue
        actual = figures.get(key) if figures else None
        item = {
            "key": key,
            "label": label,
            "promised": promised_value,
            "actual": actual,
            "year": year,
        }
        if key in ("output", "tax") and land:
            item["promised_per_mu"] = round(promised_value / land, 2)
            item["actual_per_mu"] = round(actual / land, 2) if actual is not None else None
        if actual is None:
            item["status"] = "awaiting"
        else:
            item["status"] = "met" if actual >= promised_value else "short"
        items.append(item)
    return items


def is_overdue(items) -> bool:
    return any(
        i["status"] in ("overdue", "short") and i["key"] in ("start", "production", "funds")
        for i in items
    )
