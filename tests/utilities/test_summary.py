"""The utilities cockpit's figures (summary.cockpit): the open accounts by band, this year's
warnings by level and how each ended, cut-offs and surprise stops, consumption by industry and
month, and metered against reported electricity; each figure's link lists exactly what it counts."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from gaoxin.utilities import summary
from gaoxin.utilities.models import CutOff, Kind, Level, Warning
from tests.support import utilities as u
from tests.support.returns import put_values

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = "2026-10-15 12:00 +0800"


def warn(account, level, raised, *, cleared=None, topup=None):
    return Warning.objects.create(
        zone=account.zone, account=account, level=level, raised_at=u.local(raised, 9),
        days_left=Decimal("2.0"), balance=Decimal("100"), cleared_at=cleared and u.local(cleared, 9),
        cleared_by=topup,
    )  # fmt: skip


def cut(account, day, *, surprise=False):
    return CutOff.objects.create(
        zone=account.zone, account=account, at=u.local(day, 9), surprise=surprise, source="api"
    )


@pytest.fixture
def scene(world):
    """a1's electricity account red, a2's water yellow, a1's gas green, a closed red one and
    zone C's red one (neither counted); warnings and cut-offs of this year and last."""
    s = type("Scene", (), {})()
    s.power = u.account(world.a1, level=Level.SECOND, days_left=Decimal("2.0"))
    s.water = u.account(world.a2, Kind.WATER, level=Level.FIRST, days_left=Decimal("5.0"))
    s.gas = u.account(world.a1, Kind.GAS, days_left=Decimal("40.0"))
    u.account(world.a2, level=Level.EXHAUSTED, closed_on=D(2026, 8, 1))
    u.account(world.c1, level=Level.SECOND)
    topup = u.topup(s.power, Decimal("500"), paid_at=u.local(D(2026, 9, 3), 10))
    warn(s.power, Level.FIRST, D(2026, 9, 1), cleared=D(2026, 9, 3), topup=topup)  # topped up
    warn(s.power, Level.SECOND, D(2026, 10, 1))  # then cut off on 10-05
    warn(s.water, Level.FIRST, D(2026, 10, 10))  # open
    warn(s.gas, Level.FIRST, D(2026, 3, 1), cleared=D(2026, 3, 5))  # cleared otherwise
    warn(s.gas, Level.SECOND, D(2025, 12, 1), cleared=D(2025, 12, 2))  # last year
    cut(s.power, D(2026, 10, 5))
    cut(s.gas, D(2026, 5, 1), surprise=True)
    cut(s.water, D(2025, 6, 1), surprise=True)  # last year
    return s


@time_machine.travel(TODAY, tick=False)
def test_accounts_by_band_count_the_zones_open_accounts(world, scene):
    bands = {b["band"]: b["n"] for b in summary.bands(world.zone_a)}
    assert bands == {"red": 1, "yellow": 1, "green": 1}
    data = summary.cockpit(world.zone_a, D(2026, 10, 15))
    assert data["accounts"] == 3
    assert [b["url"] for b in data["bands"]] == [
        reverse("utilities:accounts") + f"?band={b}" for b in ("red", "yellow", "green")
    ]


@time_machine.travel(TODAY, tick=False)
def test_warnings_by_level_and_how_they_ended(world, scene):
    w = summary.warning_endings(world.zone_a, D(2026, 10, 15))
    assert w["raised"] == 4
    assert [(r["level"], r["n"]) for r in w["by_level"]] == [(1, 3), (2, 1), (3, 0)]
    assert {r["key"]: r["n"] for r in w["ended"]} == {
        "topped_up": 1, "cut_off": 1, "open": 1, "other": 1,
    }  # fmt: skip


@time_machine.travel(TODAY, tick=False)
def test_cutoffs_and_surprise_stops_this_year(world, scene):
    c = summary.cutoffs(world.zone_a, D(2026, 10, 15))
    assert (c["n"], c["surprise"]) == (2, 1)
    assert c["surprise_url"] == reverse("utilities:cutoffs") + "?year=2026&surprise=true"


@time_machine.travel(TODAY, tick=False)
def test_every_link_lists_what_its_figure_counts(world, scene, client):
    client.force_login(world.staff)
    data = summary.cockpit(world.zone_a, D(2026, 10, 15))
    checks = [(b["url"], b["n"]) for b in data["bands"]]
    checks += [(r["url"], r["n"]) for r in data["warnings"]["by_level"]]
    checks += [(r["url"], r["n"]) for r in data["warnings"]["ended"]]
    checks += [(data["warnings"]["url"], 4), (data["cutoffs"]["url"], 2),
               (data["cutoffs"]["surprise_url"], 1)]  # fmt: skip
    for url, n in checks:
        response = client.get(url)
        assert response.status_code == 200, url
        shown = response.context["table"].paginator.count if "table" in response.context else (
            response.context["page"].paginator.count)  # fmt: skip
        assert shown == n, url


@time_machine.travel(TODAY, tick=False)
def test_consumption_by_industry_section_and_month(world):
    power = u.account(world.a1)
    water = u.account(world.a2, Kind.WATER)
    u.readings(power, days=28, daily=Decimal("100"), start=D(2026, 9, 1))
    u.readings(water, days=10, daily=Decimal("3"), start=D(2026, 10, 1))
    blocks = {b["kind"]: b for b in summary.consumption(world.zone_a, D(2026, 10, 15))}
    assert list(blocks) == ["electricity", "water"]
    months = blocks["electricity"]["months"]
    assert (months[0], months[-1], len(months)) == ("2025-11", "2026-10", 12)
    [row] = blocks["electricity"]["rows"]
    section = world.a1.industry.section
    assert row["section"] == section
    assert (row["values"][-2], row["values"][-1], row["total"]) == (2800, 0, 2800)
    assert row["url"] == reverse("utilities:accounts") + f"?kind=electricity&section={section}"
    assert blocks["water"]["unit"] == "m³"
    assert blocks["water"]["rows"][0]["values"][-1] == 30


@time_machine.travel(TODAY, tick=False)
def test_metered_against_reported_electricity_over_the_same_enterprises(world):
    power = u.account(world.a1)
    other = u.account(world.a2)  # a2 reports nothing: its meter is left out
    u.readings(power, days=28, daily=Decimal("100"), start=D(2026, 9, 1))
    u.readings(other, days=28, daily=Decimal("900"), start=D(2026, 9, 1))
    # 0.25 万千瓦时 = 2,500 kWh reported against 2,800 metered
    put_values(world.a1, 202609, {"industrial_electricity": "2"},
               months={"industrial_electricity": "0.25"})  # fmt: skip
    rows = {r["period"]: r for r in summary.electricity(world.zone_a, D(2026, 10, 15))}
    assert "2026-01" not in rows  # January is reported with February (1–2月)
    sept = rows["2026-09"]
    assert (sept["enterprises"], sept["metered"], sept["reported"]) == (1, 2800, 2500)
    assert sept["diff_percent"] == Decimal("12.0")
    assert "2026-10" not in rows  # nobody has reported October yet
    assert sept["url"] == reverse("utilities:findings") + "?kind=mismatch&period=2026-09"


@time_machine.travel("2026-02-20 12:00 +0800", tick=False)
def test_the_first_return_of_a_year_meets_january_and_february_together(world):
    power = u.account(world.a1)
    u.readings(power, days=40, daily=Decimal("100"), start=D(2026, 1, 1))
    put_values(world.a1, 202602, {"industrial_electricity": "0.4"},
               months={"industrial_electricity": "0.4"})  # fmt: skip
    rows = {r["period"]: r for r in summary.electricity(world.zone_a, D(2026, 2, 20))}
    assert (rows["2026-02"]["metered"], rows["2026-02"]["reported"]) == (4000, 4000)


def test_nobodys_figures_leak_to_another_zone(world, scene):
    assert summary.cockpit(world.zone_b, D(2026, 10, 15))["accounts"] == 0
