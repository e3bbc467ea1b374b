"""The zone's size thresholds: the 亿元以上 and 5020 project classes."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Header, Query
from pydantic import ConfigDict

from gaoxin.core.api import (
    WRITE_ERRORS,
    Input,
    Int,
    Schema,
    money,
    one_zone,
    reading_zone,
    version_from,
)
from gaoxin.core.errors import Forbidden
from gaoxin.core.models.access import can_add

from .. import plans, services
from ..models import Thresholds
from .common import READ_ERRORS, Money, require_pipeline, router


class ThresholdsOut(Schema):
    zone: str
    large: str = Field(description="亿元以上项目门槛,万元")
    class_5020: str = Field(description="5020 项目门槛,万元")
    version: int
    saved: bool = Field(description="false 表示尚未设置,使用按园区级别的默认值")


class ThresholdsQuery(Input):
    zone: str | None = Field(None, description="园区代码;可查看多个园区时必填")


class ThresholdsIn(Input):
    model_config = ConfigDict(extra="forbid")

    zone: str | None = Field(None, description="园区代码;只有一个园区的用户可省略")
    large: Money
    class_5020: Money
    version: Int | None = Field(None, description="已设置过门槛时必填;也可用 If-Match 请求头")


def thresholds_out(t: Thresholds, response=None) -> dict:
    if response is not None:
        response["ETag"] = f'"{t.version}"'
    return {
        "zone": t.zone.code,
        "large": money(t.large),
        "class_5020": money(t.class_5020),
        "version": t.version,
        "saved": t.pk is not None,
    }


@router.get(
    "/thresholds",
    response={200: ThresholdsOut, **READ_ERRORS},
    summary="园区项目规模门槛(亿元以上、5020)",
)
def get_thresholds(request, response: HttpResponse, filters: Query[ThresholdsQuery]):
    user = request.auth
    require_pipeline(user, _("无权查看项目规模门槛"))
    zone = reading_zone(user, filters.zone)
    return thresholds_out(services.thresholds_for(zone), response)


@router.put(
    "/thresholds",
    response={200: ThresholdsOut, **WRITE_ERRORS},
    summary="设置园区项目规模门槛(园区管理员;版本不符答 409)",
)
def put_thresholds(
    request,
    response: HttpResponse,
    payload: ThresholdsIn,
    if_match: str | None = Header(None, alias="If-Match"),
):
    user = request.auth
    require_pipeline(user, _("只有园区管理员可以设置项目规模门槛"))
    zone = one_zone(user, payload.zone)
    if not can_add(user, Thresholds, zone):
        raise Forbidden(_("只有园区管理员可以设置项目规模门槛"))
    saved = Thresholds.objects.filter(zone=zone).exists()
    version = version_from(payload.version, if_match, required=saved)
    thresholds = plans.save_thresholds(
        user, zone, large=payload.large, class_5020=payload.class_5020, version=version
    )
    return thresholds_out(thresholds, response)
