"""The zone's figures for a period: computed from accepted returns and official as published,
each labelled with its source (`engine.figures`)."""

from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query

from gaoxin.core.api import Input, Schema, number, zone_by_code
from gaoxin.core.errors import Forbidden
from gaoxin.core.models.access import VIEW, ZONE_FIGURES_POLICY, can_in_zone
from gaoxin.core.periods import Period
from gaoxin.core.zones import home_zone

from .. import engine
from ..models import Rollup
from .common import router
from .schemas import READ_ERRORS


class FiguresQuery(Input):
    period: str = Field(..., max_length=20, description="报告期 YYYY-MM,如 2019-12")
    zone: str | None = Field(None, max_length=40, description="园区代码;默认为当前用户所在园区")
    mode: Literal["ytd", "month"] = Field("ytd", description="ytd 本年累计(默认),month 当月")


class ZoneFigureOut(Schema):
    indicator: str = Field(description="指标代码")
    name: str
    unit: str
    value: int | float | None = Field(description="数值(按指标单位);无数据为 null")
    yoy_pct: float | None = Field(description="同比增长(%),计算数据为同口径增速;保留一位小数")
    source: Literal["official", "computed"]
    source_label: str = Field(description="如「官方数据·统计局」「平台计算」")
    cumulative: bool = Field(description="是否为本年累计值")
    enterprises: int | None = Field(description="参与计算的企业数(官方数据为 null)")


def sees_zone_figures(user) -> bool:
    return bool(user.roles() & set(ZONE_FIGURES_POLICY))


def figures_zone(user, code: str | None):
    """The zone named by `code` (422 when unknown to the user), else the user's own; 403 for
    users who read no zone's figures (enterprise users)."""
    if not sees_zone_figures(user):
        raise Forbidden(_("无权查看园区经济运行数据"))
    zone = zone_by_code(user, code) or home_zone(user)
    if zone is None:
        raise ValidationError({"zone": _("您没有可查看的园区")})
    if not can_in_zone(user, Rollup, zone, VIEW):
        raise Forbidden(_("无权查看园区经济运行数据"))
    return zone


def figure_out(f: engine.Figure) -> dict:
    return {
        "indicator": f.code,
        "name": f.name,
        "unit": f.unit,
        "value": number(f.value),
        "yoy_pct": None if f.yoy_pct is None else float(f.yoy_pct),
        "source": f.source,
        "source_label": f.source_label,
        "cumulative": f.cumulative,
        "enterprises": f.enterprises,
    }


@router.get(
    "/figures",
    response={200: list[ZoneFigureOut], **READ_ERRORS},
    summary="园区经济运行指标:官方数据与平台计算数据(同口径增速)",
)
def list_figures(request, filters: Query[FiguresQuery]):
    user = request.auth
    zone = figures_zone(user, filters.zone)
    period = Period.parse(filters.period, field="period")
    return [figure_out(f) for f in engine.figures(zone, period.key, mode=filters.mode)]
