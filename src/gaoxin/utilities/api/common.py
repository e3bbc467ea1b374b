"""What the utilities' endpoints share: the router, the zone a write lands in, who may feed the
ledger and the kind of a row that left it out (the file imports share these), and an account as
the API shows it."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gaoxin.core.api import PackageRouter, local, money, number, zone_by_code
from gaoxin.core.models import Zone
from gaoxin.core.models.access import ADD, VIEW, can_add
from gaoxin.core.roles import PARTNER
from gaoxin.core.zones import visible_zones

from ..models import BAND, UNIT, Account, Kind, Reading, UtilityCompany
from ..models.access import partner_company_ids, partner_zone_ids

router = PackageRouter(__package__, tags=["水电气"])


def zone_named(user, code: str | None) -> Zone | None:
    """The zone `code` names among those the user sees (core.api.zone_by_code); for a partner
    account, among its company's zones. Unknown and not visible read the same (422)."""
    if not code or not partner_zone_ids(user) or can_add_anywhere(user):
        return zone_by_code(user, code)
    zone = Zone.objects.filter(
        pk__in=partner_zone_ids(user), code=code.strip().replace("\x00", "")
    ).first()
    if zone is None:
        raise ValidationError({"zone": _("未找到园区代码 %(c)s") % {"c": code}})
    return zone


def feeding_zone(user, code: str | None) -> Zone:
    """The zone a batch lands in: the one named by `code`, else the one zone the user feeds
    (a partner account's company's zone, an officer's own). 422 when it cannot be told."""
    zone = zone_named(user, code)
    if zone is not None:
        return zone
    if partner_zone_ids(user) and not can_add_anywhere(user):
        zones = list(Zone.objects.filter(pk__in=partner_zone_ids(user))[:2])
        message = _("您的账户属于多个园区,请用 zone 参数指定园区代码")
    else:
        zones = list(visible_zones(user)[:2])
        message = _("您可查看多个园区,请用 zone 参数指定园区代码")
    if len(zones) != 1:
        raise ValidationError({"zone": message})
    return zones[0]


def can_add_anywhere(user) -> bool:
    """Whether the user holds any role besides a partner's (an officer, an admin …)."""
    return any(m.role != PARTNER for m in user.memberships_cached())


# --- who feeds the ledger (the file imports share it) -----------------------------------------


def may_feed(user) -> bool:
    """Whether `user` feeds ledgers anywhere: an officer who keeps them, or a partner account
    of a utility company."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if any(ADD in Reading.access_policy.get(m.role, ()) for m in user.memberships_cached()):
        return True
    return bool(partner_company_ids(user))


def can_feed(user, zone) -> bool:
    """Officers who keep the zone's ledgers, and a partner account of a company of the zone."""
    if can_add(user, Reading, zone):
        return True
    if zone.pk not in partner_zone_ids(user):
        return False
    return UtilityCompany.objects.filter(pk__in=partner_company_ids(user), zone=zone).exists()


@dataclass
class Problem:
    """A row's problem as services.ingest.RowError has it (row counted from 1)."""

    row: int
    field: str
    value: str
    message: str


def fill_kinds(user, zone, rows: list[dict]) -> list[Problem]:
    """Rows without a kind get one: a partner account feeding one kind has that; otherwise the
    kind of the meter number among the accounts `user` sees (a number two kinds share needs the
    kind). A meter nobody can tell is left to the service, which answers it as unknown."""
    missing = [i for i, r in enumerate(rows) if not r.get("kind")]
    if not missing:
        return []
    kinds = set(
        UtilityCompany.objects.filter(pk__in=partner_company_ids(user), zone=zone).values_list(
            "kind", flat=True
        )
    )
    if len(kinds) == 1 and not can_add(user, Reading, zone):
        (only,) = kinds
        for i in missing:
            rows[i]["kind"] = only
        return []
    by_meter: dict[str, set] = {}
    visible = Account.objects.restrict(user, VIEW).filter(zone=zone)
    for meter, kind in visible.values_list("meter_no", "kind"):
        by_meter.setdefault(meter, set()).add(kind)
    fallback = next(iter(sorted(kinds)), Kind.ELECTRICITY)
    problems = []
    for i in missing:
        meter = rows[i]["meter_no"]
        found = by_meter.get(meter, ())
        if len(found) > 1:
            problems.append(
                Problem(i + 1, "kind", "", _("表号 %(m)s 有多个类别的账户,请填写类别(电/水/气)")
                        % {"m": meter})
            )  # fmt: skip
        rows[i]["kind"] = next(iter(found)) if found else fallback
    return problems


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
