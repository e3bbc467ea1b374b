"""Utilities on the enterprise page (一企一档) and the home page: the officers' red and yellow
accounts and open findings, the leader's key figures (意外停供), an enterprise user's balances.
Each shows only what the person may see and nothing when there is nothing."""

import datetime
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse

from gaoxin.utilities import panels
from gaoxin.utilities.models import CutOff, Finding, Kind, Level
from tests.support import utilities as u

pytestmark = pytest.mark.django_db
D = datetime.date


def request_for(user, zone):
    request = RequestFactory().get("/")
    request.user, request.zone = user, zone
    return request


@pytest.fixture
def scene(world):
    s = type("Scene", (), {})()
    s.red = u.account(world.a1, meter_no="E-1", level=Level.EXHAUSTED, days_left=Decimal("0"))
    s.yellow = u.account(world.a2, Kind.WATER, meter_no="W-1", level=Level.FIRST,
                         days_left=Decimal("5.5"))  # fmt: skip
    s.green = u.account(world.a1, Kind.GAS, meter_no="G-1", days_left=Decimal("30"))
    s.zone_c = u.account(world.c1, meter_no="C-1", level=Level.SECOND)
    Finding.objects.create(
        zone=world.zone_a, kind=Finding.Kind.DROP, account=s.green, enterprise=world.a1,
        detected_on=D(2026, 10, 1), expected=100, observed=20, change_percent=-80,
    )  # fmt: skip
    CutOff.objects.create(zone=world.zone_a, account=s.red, at=u.local(datetime.date.today(), 1),
                          surprise=True, source="api")  # fmt: skip
    return s


def test_the_enterprise_panel_lists_its_accounts_fewest_days_first(world, scene):
    panel = panels.enterprise(request_for(world.staff, world.zone_a), world.a1)
    assert [a.meter_no for a in panel["accounts"]] == ["E-1", "G-1"]
    assert panels.enterprise(request_for(world.enterprise, world.zone_a), world.a2) is None
    assert panels.enterprise(request_for(world.staff, world.zone_a), world.c1) is None


def test_the_enterprise_page_draws_the_panel(client, world, scene):
    client.force_login(world.staff)
    body = client.get(reverse("enterprises:detail", args=[world.a1.pk])).content.decode()
    assert 'id="panel-utilities"' in body and "E-1" in body


def test_the_officers_card_shows_red_then_yellow_and_the_open_findings(world, scene):
    card = panels.officer_card(request_for(world.staff, world.zone_a))
    assert [(t.tone, t.url) for t in card["tasks"]] == [
        ("danger", reverse("utilities:account", args=[scene.red.pk])),
        ("warning", reverse("utilities:account", args=[scene.yellow.pk])),
        ("info", reverse("utilities:findings") + "?status=open"),
    ]
    assert card["count"] == 3
    assert panels.officer_card(request_for(world.enterprise, world.zone_a)) is None


def test_the_officers_card_says_so_when_nothing_is_at_risk(world):
    card = panels.officer_card(request_for(world.staff, world.zone_a))
    assert (card["tasks"], card["empty"]) == ([], "没有处于预警的水电气账户。")


def test_the_leaders_card_has_the_key_figures_with_surprise_stops(world, scene):
    card = panels.leader_card(request_for(world.leader, world.zone_a))
    figures = {f.label: (f.value, f.url) for f in card["figures"]}
    assert figures["红色预警账户"][0] == "1"
    assert figures["黄色预警账户"][0] == "1"
    year = datetime.date.today().year
    assert figures["今年意外停供"] == (
        "1",
        reverse("utilities:cutoffs") + f"?year={year}&surprise=true",
    )
    assert figures["待核实用量发现"][0] == "1"
    assert panels.leader_card(request_for(world.enterprise, world.zone_a)) is None


def test_the_enterprise_card_shows_its_own_balances_and_days_left(world, scene):
    card = panels.enterprise_card(request_for(world.enterprise, world.zone_a))
    assert [t.text for t in card["tasks"]] == ["电 E-1", "气 G-1"]
    assert card["tasks"][0].note == "余额 0.00 元,可用 0.0 天"
    assert card["url"] == reverse("utilities:mine")
    assert panels.enterprise_card(request_for(world.staff, world.zone_a)) is None


def test_the_home_page_draws_each_roles_card(client, world, scene):
    for user, key in ((world.staff, "utilities"), (world.leader, "utilities-figures"),
                      (world.enterprise, "utilities-mine")):  # fmt: skip
        client.force_login(user)
        body = client.get(reverse("home")).content.decode()
        assert "水电气" in body, key
