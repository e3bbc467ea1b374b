"""The prepaid accounts over REST: the risk list (GET /accounts?risk=red, red first: the fewest
days of supply left) and one account with its open warnings (GET /accounts/{account_id}).

Reads start from `Account.objects.restrict()`: officers, leaders and the province see their
zones' accounts, an enterprise user its own, a utility company's partner account its company's
(one kind, one zone). Missing and not visible answer the same 404."""

from django.db.models import F
from ninja import Query

from gaoxin.core.api import SCOPED_READ_ERRORS, PathId, local, money, number, paginate
from gaoxin.core.models.access import VIEW

from ..models import Account, Level, Warning
from . import schemas as s
from .common import account_out, router, zone_named

RISK_LEVELS = {
    "red": (Level.SECOND, Level.EXHAUSTED),
    "yellow": (Level.FIRST,),
    "green": (Level.NONE,),
}
RELATED = ("zone", "enterprise", "company", "tariff")


def visible(user):
    return Account.objects.restrict(user, VIEW).select_related(*RELATED)


@router.get(
    "/accounts",
    response={200: s.UtilityAccountList, **SCOPED_READ_ERRORS},
    summary="预付费账户列表(风险名单:?risk=red 红色在前,按可用天数升序)",
)
def list_accounts(request, filters: Query[s.UtilityAccountQuery]):
    user = request.auth
    qs = visible(user)
    zone = zone_named(user, filters.zone)
    if zone is not None:
        qs = qs.filter(zone=zone)
    if filters.risk:
        qs = qs.filter(level__in=RISK_LEVELS[filters.risk])
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.enterprise is not None:
        qs = qs.filter(enterprise_id=filters.enterprise)
    if filters.company is not None:
        qs = qs.filter(company_id=filters.company)
    if filters.meter_no:
        qs = qs.filter(meter_no=filters.meter_no.strip())
    if filters.protected is not None:
        qs = qs.filter(protected=filters.protected)
    qs = qs.order_by("-level", F("days_left").asc(nulls_last=True), "pk")
    page = paginate(qs, filters.page, filters.page_size, filters.cursor)
    return page.out([account_out(a) for a in page.rows])


@router.get(
    "/accounts/{int:account_id}",
    response={200: s.UtilityAccountDetailOut, **SCOPED_READ_ERRORS},
    summary="预付费账户详情:余额、预计可用天数、预警级别与未解除的预警",
)
def get_account(request, account_id: PathId):
    account = visible(request.auth).filter(pk=account_id).first()
    if account is None:
        raise Account.DoesNotExist()
    warnings = (
        Warning.objects.restrict(request.auth, VIEW)
        .filter(account=account, cleared_at__isnull=True)
        .order_by("level")
    )
    return {
        **account_out(account),
        "open_warnings": [
            {
                "level": w.level,
                "level_name": w.get_level_display(),
                "raised_at": local(w.raised_at),
                "days_left": number(w.days_left),
                "balance": money(w.balance),
            }
            for w in warnings
        ],
    }
