"""What the utilities' endpoints share: the router, the zone a write lands in, who may feed the
ledger, and an account as the API shows it."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gaoxin.core.api import PackageRouter, local, money, number, zone_by_code
from gaoxin.core.models import Zone
from gaoxin.core.roles import PARTNER
from gaoxin.core.zones import visible_zones

from ..models import BAND, UNIT, Account
from ..models.access import partner_zone_ids

router = PackageRouter(__package__, tags=["水电气"])


def feeding_zone(user, code: str | None) -> Zone:
    """The zone a batch lands in: the one named by `code`, else the one zone the user feeds
    (a partner account's company's zone, an officer's own). 422 when it cannot be told."""
    partner_zones = partner_zone_ids(user)
    if partner_zones and not can_add_anywhere(user):
        zones = Zone.objects.filter(pk__in=partner_zones)
        if code:
            zone = zones.filter(code=code.strip().replace("\x00", "")).first()
            if zone is None:
                raise ValidationError({"zone": _("未找到园区代码 %(c)s") % {"c": code}})
            return zone
        zones = list(zones[:2])
        if len(zones) != 1:
            raise ValidationError({"zone": _("您的账户属于多个园区,请用 zone 参数指定园区代码")})
        return zones[0]
    zone = zone_by_code(user, code)
    if zone is not None:
        return zone
    zones = list(visible_zones(user)[:2])
    if len(zones) != 1:
        raise ValidationError({"zone": _("您可查看多个园区,请用 zone 参数指定园区代码")})
    return zones[0]


def can_add_anywhere(user) -> bool:
    """Whether the user holds any role besides a partner's (an officer, an admin …)."""
    return any(m.role != PARTNER for m in user.memberships_cached())


def _ref(obj) -> dict:
    return {"id": obj.pk, "name": obj.name}


def account_out(a: Account) -> dict:
    return {
        "id": a.pk,
        "zone": a.zone.code,
        "enterprise": _ref(a.enterprise),
        "kind": a.kind,
        "kind_name": a.get_kind_display(),
        "unit": UNIT[a.kind],
        "meter_no": a.meter_no,
        "company": _ref(a.company),
        "tariff": _ref(a.tariff),
        "capacity_kva": number(a.capacity_kva),
        "demand_kw": number(a.demand_kw),
        "protected": a.protected,
        "protected_reason": a.protected_reason,
        "protected_from": a.protected_from,
        "protected_until": a.protected_until,
        "opened_on": a.opened_on,
        "closed_on": a.closed_on,
        "balance": money(a.balance),
        "balance_at": local(a.balance_at),
        "daily_cost": money(a.daily_cost),
        "days_left": number(a.days_left),
        "level": a.level,
        "level_name": a.get_level_display(),
        "band": BAND[a.level],
        "forecast_at": local(a.forecast_at),
        "version": a.version,
    }
