"""Monthly returns on top of the world (tests/support/world.py): built through the services, or
written straight as accepted values (the rollups' and the engine's input).

Fixture (registered in tests/conftest.py): `reporters`, the world with a1 and a2 above scale.
"""

import datetime
from decimal import Decimal

import pytest

from gaoxin.statistics import services
from gaoxin.statistics.models import Indicator, Return, ReturnValue

RETURN_PERIOD = "2019-12"
RETURN_DATA = {"output_value": "1200", "revenue": "1150", "industrial_electricity": "60",
               "employees": "120"}  # fmt: skip
# A return's figures that no rule finds fault with on their own.
GOOD = {
    "output_value": "1200",
    "revenue": "1150",
    "profit": "80",
    "industrial_tax": "40",
    "industrial_electricity": "60",
    "employees": "120",
    "rd_spending": "30",
}


def build_returns(world) -> dict:
    """A submitted 2019-12 return for a1, a2, b1 and c1 (above scale since 2018), made by the
    platform admin; keyed by the enterprise's name in the world."""
    made = {}
    for key in ("a1", "a2", "b1", "c1"):
        enterprise = getattr(world, key)
        enterprise.above_scale, enterprise.above_scale_since = True, datetime.date(2018, 1, 1)
        enterprise.save()
        ret = services.return_for(world.admin, enterprise, RETURN_PERIOD, create=True)
        ret = services.save_draft(world.admin, ret, data=RETURN_DATA, version=ret.version)
        made[key] = services.submit(world.admin, ret, version=ret.version)
    return made


@pytest.fixture
def reporters(world):
    for enterprise in (world.a1, world.a2):
        enterprise.above_scale = True
        enterprise.above_scale_since = datetime.date(2018, 6, 1)
        enterprise.save()
    return world


def accepted(world, enterprise, period, data):
    """An accepted return, the way the workflow leaves it."""
    ret = services.return_for(world.staff, enterprise, period, create=True)
    ret = services.save_draft(world.staff, ret, data=data, version=ret.version)
    ret = services.submit(world.staff, ret, version=ret.version)
    for finding in ret.findings.all():
        services.explain(world.staff, finding, "季节性因素")
    ret.refresh_from_db()
    return services.accept(world.staff, ret, version=ret.version)


def indicator(code: str) -> Indicator:
    """The standard catalogue's indicator."""
    return Indicator.objects.get(zone__isnull=True, code=code)


def put_values(
    enterprise, period: int, values: dict, months: dict | None = None, zone=None
) -> Return:
    """An accepted return of `enterprise` for `period` with its published values:
    values {code: cumulative value}, months {code: month value} (default: none); `zone` for
    one reported to another zone (before the enterprise moved)."""
    months = months or {}
    zone_id = zone.pk if zone else enterprise.zone_id
    ret = Return.objects.create(
        zone_id=zone_id,
        enterprise=enterprise,
        period=period,
        status="accepted",
        data={k: str(v) for k, v in values.items()},
    )
    ReturnValue.objects.bulk_create(
        ReturnValue(
            zone_id=zone_id,
            enterprise=enterprise,
            indicator=indicator(code),
            period=period,
            value=Decimal(str(value)),
            month_value=None if months.get(code) is None else Decimal(str(months[code])),
            ret=ret,
        )
        for code, value in values.items()
    )
    return ret
