"""Campaigns (招商活动): a period with targets, and its progress from the projects signed."""

import datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Status
from pydantic import ConfigDict

from gaoxin.core import clock
from gaoxin.core.api import (
    WRITE_ERRORS,
    Count,
    ErrorOut,
    Input,
    Int,
    IsoDate,
    PathId,
    Schema,
    check_access,
    local,
    money,
    number,
    one_zone,
    valid_id,
    version_from,
    zone_by_code,
)
from gaoxin.core.models.access import CHANGE, DELETE, VIEW

from .. import plans, services, summary
from ..models import Campaign
from .common import (
    READ_ERRORS,
    FigureOut,
    Money,
    ProgressOut,
    figures_out,
    percent,
    require_pipeline,
    router,
)


class CampaignOut(Schema):
    id: int
    zone: str
    name: str
    start: datetime.date
    end: datetime.date
    target_projects: int | None
    target_investment: str | None = Field(description="目标签约投资额,万元,十进制字符串")
    target_large: int | None
    note: str
    version: int
    created_at: datetime.datetime


class DailyOut(Schema):
    date: datetime.date
    signed: int
    investment_wan: int | float


class CampaignFigures(Schema):
    signed: FigureOut
    started: FigureOut
    production: FigureOut
    over_100m: int
    class_5020: int


class CampaignDetailOut(CampaignOut):
    figures: CampaignFigures
    progress: ProgressOut
    days_elapsed: int
    days_total: int
    daily: list[DailyOut]


class CampaignList(Schema):
    items: list[CampaignOut]
    count: int


class CampaignQuery(Input):
    zone: str | None = Field(None, description="园区代码;默认所有可见园区")


class CampaignIn(Input):
    model_config = ConfigDict(extra="forbid")

    zone: str | None = Field(None, description="园区代码;只有一个园区的用户可省略")
    name: str
    start: IsoDate
    end: IsoDate
    target_projects: Count | None = None
    target_investment: Money | None = None
    target_large: Count | None = None
    note: str = ""


class CampaignPatch(Input):
    model_config = ConfigDict(extra="forbid")

    version: Int | None = Field(None, description="编辑开始时的版本;也可用 If-Match 请求头")
    name: str = None
    start: IsoDate = None
    end: IsoDate = None
    target_projects: Count | None = None
    target_investment: Decimal | None = None
    target_large: Count | None = None
    note: str = None


def campaign_out(c: Campaign) -> dict:
    return {
        "id": c.pk,
        "zone": c.zone.code,
        "name": c.name,
        "start": c.start,
        "end": c.end,
        "target_projects": c.target_projects,
        "target_investment": money(c.target_investment),
        "target_large": c.target_large,
        "note": c.note,
        "version": c.version,
        "created_at": local(c.created_at),
    }


def campaign_detail(user, pk: int, response=None) -> dict:
    campaigns = Campaign.objects.restrict(user, VIEW).select_related("zone")
    campaign = campaigns.get(pk=valid_id(pk, Campaign))
    projects = services.pipeline(user).filter(zone=campaign.zone)
    thresholds = services.thresholds_for(campaign.zone)
    data = summary.campaign_progress(projects, campaign, thresholds, clock.today())
    if response is not None:
        response["ETag"] = f'"{campaign.version}"'
    return {
        **campaign_out(campaign),
        "figures": figures_out(data["figures"]),
        "progress": {k: percent(v) for k, v in data["progress"].items()},
        "days_elapsed": data["days_elapsed"],
        "days_total": data["days_total"],
        "daily": [
            {
                "date": d["date"],
                "signed": d["signed"],
                "investment_wan": number(d["investment_wan"]),
            }
            for d in data["daily"]
        ],
    }


def check_campaign(user, pk: int, action: str) -> None:
    """404 when `user` cannot see the campaign; 403 unless they may `action` it."""
    allowed = Campaign.objects.restrict(user, action)
    seen = Campaign.objects.restrict(user, VIEW)
    check_access(seen, allowed, pk, _("只有园区管理员可以修改或删除招商活动"))


@router.get(
    "/campaigns",
    response={200: CampaignList, **READ_ERRORS},
    summary="招商活动列表",
)
def list_campaigns(request, filters: Query[CampaignQuery]):
    user = request.auth
    require_pipeline(user, _("无权查看招商活动"))
    qs = Campaign.objects.restrict(user, VIEW).select_related("zone")
    zone = zone_by_code(user, filters.zone)
    if zone is not None:
        qs = qs.filter(zone=zone)
    items = [campaign_out(c) for c in qs.order_by("zone__code", "-start", "-pk")]
    return {"items": items, "count": len(items)}


@router.post(
    "/campaigns",
    response={201: CampaignDetailOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="设立招商活动(园区管理员)",
)
def create_campaign(request, response: HttpResponse, payload: CampaignIn):
    user = request.auth
    require_pipeline(user, _("只有园区管理员可以设立招商活动"))
    data = payload.model_dump()
    zone = one_zone(user, data.pop("zone"))
    campaign = plans.create_campaign(user, zone, **data)
    response["Location"] = f"{request.path.rstrip('/')}/{campaign.pk}"
    return Status(201, campaign_detail(user, campaign.pk, response))


@router.get(
    "/campaigns/{int:campaign_id}",
    response={200: CampaignDetailOut, 401: ErrorOut, 404: ErrorOut},
    summary="招商活动详情与进度",
)
def get_campaign(request, response: HttpResponse, campaign_id: PathId):
    return campaign_detail(request.auth, campaign_id, response)


@router.patch(
    "/campaigns/{int:campaign_id}",
    response={200: CampaignDetailOut, **WRITE_ERRORS},
    summary="修改招商活动(园区管理员;版本不符答 409)",
)
def update_campaign(
    request,
    response: HttpResponse,
    campaign_id: PathId,
    payload: CampaignPatch,
    if_match: str | None = Header(None, alias="If-Match"),
):
    user = request.auth
    changes = payload.model_dump(exclude_unset=True)
    version = version_from(changes.pop("version", None), if_match, required=True)
    check_campaign(user, campaign_id, CHANGE)
    plans.update_campaign(user, campaign_id, changes, version=version)
    return campaign_detail(user, campaign_id, response)


@router.delete(
    "/campaigns/{int:campaign_id}",
    response={204: None, **WRITE_ERRORS},
    summary="删除招商活动(园区管理员)",
)
def delete_campaign(request, campaign_id: PathId):
    user = request.auth
    check_campaign(user, campaign_id, DELETE)
    plans.delete_campaign(user, campaign_id)
    return Status(204, None)
