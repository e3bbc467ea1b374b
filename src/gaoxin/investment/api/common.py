"""What the investment endpoints share: the router, types, who sees what, and numbers."""

from decimal import Decimal
from typing import Annotated, Literal

from django.db.models import BooleanField, Case, Value, When
from ninja import Field

from gaoxin.core.api import SCOPED_READ_ERRORS, Id, PackageRouter, Schema, check_access, number
from gaoxin.core.errors import Forbidden
from gaoxin.core.models.access import VIEW
from gaoxin.core.roles import ENTERPRISE_USER

from .. import services
from ..models import Category, FundsEntry, Project

# Operation ids stay `gaoxin_investment_api_<function>` whichever module holds the function.
router = PackageRouter(__package__, tags=["招商引资"])

CategoryCode = Literal[tuple(Category.values)]
SourceCode = Literal[tuple(FundsEntry.Source.values)]
Money = Annotated[Decimal, Field(description="万元")]
Reference = Id | str

READ_ERRORS = SCOPED_READ_ERRORS  # a read that may be refused (403) or not found (404)


# --- access ---------------------------------------------------------------------------------


def visible(user):
    return Project.objects.restrict(user, VIEW).active()


def with_audience(user, qs):
    """Annotate `full`: whether the row goes out in full or as the public status only."""
    if not services.sees_pipeline(user):
        return qs.annotate(full=Value(False, output_field=BooleanField()))
    if ENTERPRISE_USER not in user.roles():
        return qs.annotate(full=Value(True, output_field=BooleanField()))
    q = services.pipeline_q(user)
    if q is True:
        return qs.annotate(full=Value(True, output_field=BooleanField()))
    return qs.annotate(full=Case(When(q, then=True), default=False, output_field=BooleanField()))


def require_pipeline(user, message: str) -> None:
    if not services.sees_pipeline(user):
        raise Forbidden(message)


def check_may(user, pk: int, action: str) -> None:
    """404 when `user` cannot see the project, 403 with the service's reason when they see it
    but may not `action` it: what the service answers, told before the payload is read further."""
    allowed = Project.objects.restrict(user, action).active()
    check_access(visible(user), allowed, pk, lambda: services.refusal(user, action))


# --- figures --------------------------------------------------------------------------------


def percent(value) -> float | None:
    return None if value is None else float(value)


class FigureOut(Schema):
    count: int
    investment_wan: int | float = Field(description="计划总投资合计(万元),数字")


class ProgressOut(Schema):
    projects: float | None = Field(description="签约项目数完成目标的百分比")
    investment: float | None
    large: float | None
    time: float | None = Field(description="时间进度百分比")


def figure_out(figure: dict) -> dict:
    return {"count": figure["count"], "investment_wan": number(figure["investment_wan"])}


def figures_out(figures: dict) -> dict:
    """The headline figures (`summary.headline`): signed, started, in production, and how many
    signed projects are 亿元以上 and 5020."""
    return {
        "signed": figure_out(figures["signed"]),
        "started": figure_out(figures["started"]),
        "production": figure_out(figures["production"]),
        "over_100m": figures["over_100m"],
        "class_5020": figures["class_5020"],
    }
