"""A book of accepted figures on top of the world (tests/support/world.py), rolled up: what the
engine, the statistics cockpit and the figures API compute from.

Fixture (registered in tests/conftest.py): `figures_book`.
"""

from decimal import Decimal

import pytest

from gaoxin.enterprises.models import Enterprise
from gaoxin.statistics import rollups
from gaoxin.statistics.models import OfficialFigure
from tests.factories import EnterpriseFactory
from tests.support.returns import indicator, put_values

D = Decimal


@pytest.fixture
def figures_book(world):
    """Zone A, 2018-11 … 2019-12. a3 reports only in 2019 (left out of same-set growth)."""
    a1, a2 = world.a1, world.a2
    Enterprise.objects.filter(pk=a1.pk).update(scale="large", above_scale=True)
    Enterprise.objects.filter(pk=a2.pk).update(scale="small", above_scale=True)
    a3 = EnterpriseFactory(zone=world.zone_a, name="甲三光电有限公司", above_scale=True)
    v = {"output_value": 90, "revenue": 80, "rd_spending": 4}
    put_values(a1, 201811, v, {"output_value": 9, "revenue": 8, "rd_spending": "0.4"})
    v = {"output_value": 100, "revenue": 90, "rd_spending": 5, "employees": 50}
    put_values(a1, 201812, v, {"output_value": 10, "revenue": 10, "rd_spending": 1})
    v = {"output_value": 50, "revenue": 60, "rd_spending": 1}
    put_values(a2, 201812, v, {"output_value": 5, "revenue": 6, "rd_spending": "0.1"})
    v = {"output_value": 108, "revenue": 99, "rd_spending": 6}
    put_values(a1, 201911, v, {"output_value": 11, "revenue": 9, "rd_spending": "0.5"})
    v = {"output_value": 120, "revenue": 110, "rd_spending": 8, "employees": 55}
    put_values(a1, 201912, v, {"output_value": 12, "revenue": 11, "rd_spending": 2})
    v = {"output_value": 40, "revenue": 50, "rd_spending": 1}
    put_values(a2, 201912, v, {"output_value": 4, "revenue": 5, "rd_spending": "0.2"})
    v = {"output_value": 30, "revenue": 30, "rd_spending": 3}
    put_values(a3, 201912, v, {"output_value": 3, "revenue": 3, "rd_spending": "0.3"})
    put_values(world.b1, 201912, {"output_value": 1000}, {"output_value": 100})
    OfficialFigure.objects.create(
        zone=world.zone_a,
        indicator=indicator("industrial_value_added"),
        period=201912,
        value=D("760000"),
        yoy_pct=D("10.4"),
        source="statistics",
    )
    OfficialFigure.objects.create(
        zone=world.zone_a,
        indicator=indicator("official_tax"),
        period=201912,
        value=D("24400"),
        yoy_pct=D("14.94"),
        source="tax",
    )
    rollups.refresh(world.zone_a.pk, rollups.affected([201811, 201812, 201911, 201912]))
    world.a3 = a3
    return world
