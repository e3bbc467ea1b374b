"""The summary figures of a zone's pipeline: signed, started and in production in a period."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query

from gaoxin.core import clock
from gaoxin.core.api import Input, IsoDate, Schema, number, reading_zone

from .. import services, summary
from .common import (
    READ_ERRORS,
    CategoryCode,
    FigureOut,
    figures_out,
    percent,
    require_pipeline,
    router,
)


class SummaryQuery(Input):
    start: IsoDate | None = Field(None, description="开始日期 YYYY-MM-DD(与 end 同时给出)")
    end: IsoDate | None = Field(None, description="结束日期 YYYY-MM-DD(含)")
    period: str | None = Field(
        None, max_length=20, description="2019、2020Q1 或 2020-03;与 start/end 二选一"
    )
    zone: str | None = Field(None, description="园区代码;可查看多个园区时必填")
    category: list[CategoryCode] = Field([], description="项目类别,可重复;默认全部")


class FunnelOut(Schema):
    stage: str
    label: str
    count: int
    rate: float | None = Field(description="相对上一阶段的转化率(%)")


class ThresholdFigures(Schema):
    large_wan: int | float
    class_5020_wan: int | float


class SummaryOut(Schema):
    zone: str
    start: datetime.date
    end: datetime.date
    label: str
    category: list[str]
    signed: FigureOut
    started: FigureOut
    production: FigureOut
    over_100m: int = Field(description="期间内签约的亿元以上项目数")
    class_5020: int = Field(description="期间内签约的 5020 项目数")
    funnel: list[FunnelOut]
    thresholds: ThresholdFigures


def funnel_out(rows) -> list[dict]:
    return [{**row, "rate": percent(row["rate"])} for row in rows]


@router.get(
    "/summary",
    response={200: SummaryOut, **READ_ERRORS},
    summary="招商统计:期间内签约、开工、投产的项目数与计划总投资",
)
def summary_figures(request, filters: Query[SummaryQuery]):
    user = request.auth
    require_pipeline(user, _("无权查看招商统计"))
    if filters.period and (filters.start or filters.end):
        raise ValidationError({"period": _("period 与 start/end 只能二选一")})
    period = summary.parse_period(
        filters.period, start=filters.start, end=filters.end, today=clock.today()
    )
    zone = reading_zone(user, filters.zone)
    projects = services.pipeline(user).filter(zone=zone)
    categories = list(dict.fromkeys(filters.category))
    if categories:
        projects = projects.filter(category__in=categories)
    thresholds = services.thresholds_for(zone)
    figures = summary.headline(projects, period, thresholds)
    return {
        "zone": zone.code,
        "start": period.start,
        "end": period.end,
        "label": str(period.label),
        "category": categories,
        **figures_out(figures),
        "funnel": funnel_out(figures["funnel"]),
        "thresholds": {
            "large_wan": number(thresholds.large),
            "class_5020_wan": number(thresholds.class_5020),
        },
    }
