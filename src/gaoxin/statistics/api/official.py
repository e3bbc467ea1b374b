"""Official figures: zone figures an authority published (统计局, 税务局 …), entered with their
source and kept apart from the figures computed from returns."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Query, Status

from gaoxin.core.api import (
    WRITE_ERRORS,
    ErrorOut,
    PathId,
    check_access,
    local,
    number,
    one_zone,
    paginate,
    valid_id,
    version_from,
    zone_by_code,
)
from gaoxin.core.errors import Forbidden
from gaoxin.core.models.access import ADD, CHANGE, VIEW
from gaoxin.core.periods import Period

from .. import catalogue, services
from ..models import OfficialFigure, OfficialSource
from .common import router
from .schemas import (
    READ_ERRORS,
    StatOfficialIn,
    StatOfficialList,
    StatOfficialOut,
    StatOfficialPatch,
    StatOfficialQuery,
    period_text,
    sees_zone,
)

RELATED = ("zone", "indicator")


def source_label(source: str) -> str:
    """「官方·统计局」: how pages, exports and the API label a published figure."""
    return _("官方·%(s)s") % {"s": OfficialSource(source).label}


def official_out(f: OfficialFigure) -> dict:
    return {
        "id": f.pk,
        "zone": f.zone.code,
        "indicator": f.indicator.code,
        "indicator_name": f.indicator.name,
        "unit": f.indicator.unit,
        "period": period_text(f.period),
        "value": number(f.value),
        "yoy_pct": None if f.yoy_pct is None else float(f.yoy_pct),
        "source": f.source,
        "source_name": f.get_source_display(),
        "source_label": source_label(f.source),
        "source_note": f.source_note,
        "version": f.version,
        "entered_by_name": f.entered_by_name,
        "updated_at": local(f.updated_at),
    }


def _reload(pk: int, response=None) -> dict:
    figure = OfficialFigure.objects.select_related(*RELATED).get(pk=valid_id(pk, OfficialFigure))
    if response is not None:
        response["ETag"] = f'"{figure.version}"'
    return official_out(figure)


def zone_indicator(zone, code: str):
    for indicator in catalogue.indicators_for(zone, active_only=False):
        if indicator.code == code.strip():
            return indicator
    raise ValidationError({"indicator": _("未知的指标代码 %(c)s") % {"c": code}})


@router.get(
    "/official",
    response={200: StatOfficialList, **READ_ERRORS},
    summary="官方数据(统计局、税务局等发布的园区数据)",
)
def list_official(request, filters: Query[StatOfficialQuery]):
    user = request.auth
    qs = OfficialFigure.objects.restrict(user, VIEW).select_related(*RELATED)
    zone = zone_by_code(user, filters.zone)
    if zone is not None:
        qs = qs.filter(zone=zone)
    if filters.period:
        qs = qs.filter(period=Period.parse(filters.period, reporting=False, field="period").key)
    if filters.indicator:
        qs = qs.filter(indicator__code=filters.indicator.strip())
    if filters.source:
        qs = qs.filter(source=filters.source)
    qs = qs.order_by("zone__code", "-period", "indicator__position", "indicator__code", "pk")
    page = paginate(qs, filters.page, filters.page_size, filters.cursor)
    return page.out([official_out(f) for f in page.rows])


@router.post(
    "/official",
    response={201: StatOfficialOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="录入官方数据(须注明来源)",
)
def create_official(request, response: HttpResponse, payload: StatOfficialIn):
    user = request.auth
    zone = one_zone(user, payload.zone)
    if not sees_zone(user, OfficialFigure, zone, ADD):
        raise Forbidden(_("无权录入官方数据"))
    period = Period.parse(payload.period, reporting=False, field="period").key
    indicator = zone_indicator(zone, payload.indicator)
    existing = OfficialFigure.objects.filter(zone=zone, indicator=indicator, period=period).first()
    if existing is not None:
        raise ValidationError(
            {
                "period": _("本期该指标的官方数据已存在(编号 %(id)s),请修改原记录")
                % {"id": existing.pk}
            }
        )
    figure = services.save_official(
        user,
        zone,
        indicator=indicator,
        period=period,
        value=payload.value,
        yoy_pct=payload.yoy_pct,
        source=payload.source,
        source_note=payload.source_note,
    )
    response["Location"] = f"{request.path.rstrip('/')}/{figure.pk}"
    return Status(201, _reload(figure.pk, response))


@router.patch(
    "/official/{int:figure_id}",
    response={200: StatOfficialOut, **WRITE_ERRORS},
    summary="修改官方数据(版本不符答 409)",
)
def update_official(
    request,
    response: HttpResponse,
    figure_id: PathId,
    payload: StatOfficialPatch,
    if_match: str | None = Header(None, alias="If-Match"),
):
    user = request.auth
    changes = payload.model_dump(exclude_unset=True)
    version = version_from(changes.pop("version", None), if_match, required=True)
    visible = OfficialFigure.objects.restrict(user, VIEW)
    allowed = OfficialFigure.objects.restrict(user, CHANGE)
    check_access(visible, allowed, figure_id, _("无权修改官方数据"))
    figure = OfficialFigure.objects.select_related(*RELATED).get(pk=figure_id)
    current = {
        "value": figure.value,
        "yoy_pct": figure.yoy_pct,
        "source": figure.source,
        "source_note": figure.source_note,
    }
    data = {**current, **{k: v for k, v in changes.items() if k in current}}
    if data["source"] is None:
        raise ValidationError({"source": _("请选择数据来源")})
    services.save_official(
        user,
        figure.zone,
        indicator=figure.indicator,
        period=figure.period,
        value=data["value"],
        yoy_pct=data["yoy_pct"],
        source=data["source"],
        source_note=data["source_note"] or "",
        version=version,
    )
    return _reload(figure_id, response)
