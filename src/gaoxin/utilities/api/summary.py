"""The zone's utilities figures (GET /summary): accounts by risk band, open warnings, cut-offs
and surprise stops this year. Officers, leaders and the province read; enterprise users and
partner accounts get 403 (they read their own accounts)."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from ninja import Query

from gaoxin.core import clock
from gaoxin.core.api import SCOPED_READ_ERRORS, reading_zone
from gaoxin.core.errors import Forbidden
from gaoxin.core.models.access import VIEW, can_in_zone
from gaoxin.core.roles import GOVERNMENT

from ..models import Account, CutOff, Level, Warning
from . import schemas as s
from .common import router


def can_read(user, zone) -> bool:
    """Zone-wide figures are the government side's: officers, leaders, the province."""
    return can_in_zone(user, Account, zone, VIEW)


@router.get(
    "/summary",
    response={200: s.UtilitySummaryOut, **SCOPED_READ_ERRORS},
    summary="水电气汇总:账户风险分布、未解除预警、停供与意外停供",
)
def get_summary(request, filters: Query[s.UtilitySummaryQuery]):
    user = request.auth
    if not user.roles() & GOVERNMENT:  # an enterprise's or a company's account: not the zone's
        raise Forbidden(_("无权查看园区水电气汇总"))
    zone = reading_zone(user, filters.zone)
    if not can_read(user, zone):
        raise Forbidden(_("无权查看园区水电气汇总"))
    on = filters.on or clock.today()
    accounts = (
        Account.objects.restrict(user, VIEW)
        .filter(zone=zone, opened_on__lte=on)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))
    )
    figures = accounts.aggregate(
        total=Count("pk"),
        red=Count("pk", filter=Q(level__in=(Level.SECOND, Level.EXHAUSTED))),
        yellow=Count("pk", filter=Q(level=Level.FIRST)),
        protected=Count("pk", filter=Q(protected=True)),
    )
    stops = (
        CutOff.objects.restrict(user, VIEW)
        .filter(zone=zone, at__year=on.year, at__date__lte=on)
        .aggregate(total=Count("pk"), surprise=Count("pk", filter=Q(surprise=True)))
    )
    open_warnings = (
        Warning.objects.restrict(user, VIEW).filter(zone=zone, cleared_at__isnull=True).count()
    )
    return {
        "zone": zone.code,
        "on": on,
        "accounts": figures["total"],
        "bands": {
            "red": figures["red"],
            "yellow": figures["yellow"],
            "green": figures["total"] - figures["red"] - figures["yellow"],
        },
        "open_warnings": open_warnings,
        "cutoffs": stops["total"],
        "surprise_stops": stops["surprise"],
        "protected": figures["protected"],
    }
