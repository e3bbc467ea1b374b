"""Department targets for a year, with how far each department has got."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query
from pydantic import ConfigDict

from gaoxin.core import clock
from gaoxin.core.api import (
    WRITE_ERRORS,
    Count,
    Input,
    Int,
    Schema,
    money,
    number,
    one_zone,
    reading_zone,
)
from gaoxin.core.models import Department

from .. import plans, services, summary
from ..models import DepartmentTarget
from .common import (
    READ_ERRORS,
    Money,
    ProgressOut,
    Reference,
    percent,
    require_pipeline,
    router,
)


class TargetRowOut(Schema):
    department_id: int | None
    department: str
    year: int
    target_projects: int | None
    target_investment: str | None = Field(description="万元,十进制字符串")
    target_large: int | None
    signed: int
    signed_investment_wan: int | float
    large: int
    started: int
    production: int
    progress: ProgressOut


class TargetList(Schema):
    zone: str
    year: int
    items: list[TargetRowOut]


class TargetQuery(Input):
    year: Int | None = Field(None, description="年度;默认今年")
    zone: str | None = Field(None, description="园区代码;可查看多个园区时必填")


class TargetIn(Input):
    model_config = ConfigDict(extra="forbid")

    zone: str | None = Field(None, description="园区代码;只有一个园区的用户可省略")
    department: Reference = Field(description="部门名称或编号")
    year: Int
    target_projects: Count | None = None
    target_investment: Money | None = None
    target_large: Count | None = None


def target_rows(user, zone, year: int) -> list[dict]:
    if not 2000 <= year <= clock.today().year + 1:
        raise ValidationError(
            {"year": _("年度应在 2000 至 %(y)s 之间") % {"y": clock.today().year + 1}}
        )
    projects = services.pipeline(user).filter(zone=zone)
    departments = [(d.pk, d.name) for d in Department.objects.filter(zone=zone).order_by("name")]
    if projects.filter(department__isnull=True).exists():
        departments.append((None, _("未指定部门")))
    targets = DepartmentTarget.objects.filter(zone=zone, year=year)
    rows = summary.department_targets(
        projects, year, services.thresholds_for(zone), departments, targets
    )
    return [
        {
            "department_id": row["department_id"],
            "department": row["department"],
            "year": year,
            "target_projects": row["target"].target_projects if row["target"] else None,
            "target_investment": money(row["target"].target_investment) if row["target"] else None,
            "target_large": row["target"].target_large if row["target"] else None,
            "signed": row["signed"],
            "signed_investment_wan": number(row["investment_wan"]),
            "large": row["large"],
            "started": row["started"],
            "production": row["production"],
            "progress": {**{k: percent(v) for k, v in row["progress"].items()}, "time": None},
        }
        for row in rows
    ]


@router.get(
    "/targets",
    response={200: TargetList, **READ_ERRORS},
    summary="部门年度招商目标与完成情况",
)
def list_targets(request, filters: Query[TargetQuery]):
    user = request.auth
    require_pipeline(user, _("无权查看部门招商目标"))
    zone = reading_zone(user, filters.zone)
    year = filters.year if filters.year is not None else clock.today().year
    return {"zone": zone.code, "year": year, "items": target_rows(user, zone, year)}


@router.put(
    "/targets",
    response={200: TargetRowOut, **WRITE_ERRORS},
    summary="设定部门年度招商目标(园区管理员)",
)
def set_target(request, payload: TargetIn):
    user = request.auth
    require_pipeline(user, _("只有园区管理员可以设定部门目标"))
    zone = one_zone(user, payload.zone)
    target = plans.set_department_target(
        user,
        zone,
        payload.department,
        payload.year,
        target_projects=payload.target_projects,
        target_investment=payload.target_investment,
        target_large=payload.target_large,
    )
    rows = target_rows(user, zone, target.year)
    return next(r for r in rows if r["department_id"] == target.department_id)
