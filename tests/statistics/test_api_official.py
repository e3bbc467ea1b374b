"""Official figures and the catalogue over the API: per role, the source rule, versions."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gaoxin.core.models import AuditRecord
from gaoxin.statistics import services
from gaoxin.statistics.models import Indicator, OfficialFigure, Rule
from gaoxin.statistics.services import configuration as services_catalogue
from tests.support.api import ROLES

pytestmark = pytest.mark.django_db

VISIBLE = {
    "admin": {"ZA", "ZB", "ZC"},
    "province": {"ZA", "ZB"},
    "zone_admin": {"ZA"},
    "leader": {"ZA"},
    "staff": {"ZA"},
    "enterprise": set(),
}
LIST_QUERIES = 5  # token, memberships, count, the page's ids, its rows


@pytest.fixture
def published(world):
    figures = {}
    for zone in (world.zone_a, world.zone_b, world.zone_c):
        figures[zone.code] = services.save_official(
            world.admin, zone, indicator="industrial_value_added", period=201912,
            value=Decimal("760000"), yoy_pct=Decimal("10.4"), source="statistics",
        )  # fmt: skip
    world.figures = figures
    return world


def errors(r):
    return [(e["field"], e["message"]) for e in r.json()["errors"]]


def state():
    return (
        list(OfficialFigure.objects.order_by("pk").values_list("value", "yoy_pct", "version")),
        AuditRecord.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
def test_list_per_role(published, api_as, role):
    r = api_as(role).get("/statistics/official")
    assert r.status_code == 200
    assert {i["zone"] for i in r.json()["items"]} == VISIBLE[role]


def test_item_shape(published, api_as):
    r = api_as("leader").get(
        "/statistics/official", period="2019-12", indicator="industrial_value_added"
    )
    (item,) = r.json()["items"]
    assert item == {
        "id": published.figures["ZA"].pk,
        "zone": "ZA",
        "indicator": "industrial_value_added",
        "indicator_name": "规上工业增加值",
        "unit": "万元",
        "period": "2019-12",
        "value": 760000,
        "yoy_pct": 10.4,
        "source": "statistics",
        "source_name": "统计局",
        "source_label": "官方·统计局",
        "source_note": "",
        "version": 1,
        "entered_by_name": "admin",
        "updated_at": item["updated_at"],
    }


def test_list_query_count(published, api_as):
    api = api_as("admin")
    api.get("/statistics/official")
    counts = {}
    for size in (1, 3):
        with CaptureQueriesContext(connection) as ctx:
            r = api.get("/statistics/official", page_size=size)
        assert len(r.json()["items"]) == size
        counts[size] = len(ctx.captured_queries)
    assert counts == {1: LIST_QUERIES, 3: LIST_QUERIES}


def test_staff_enters_a_figure(published, api_as):
    body = {
        "indicator": "hightech_share",
        "period": "2019-12",
        "value": "24.2",
        "source": "statistics",
    }
    r = api_as("staff").post("/statistics/official", body)
    assert r.status_code == 201, r.content
    assert (r.json()["value"], r.json()["source_label"]) == (24.2, "官方·统计局")
    fig = OfficialFigure.objects.get(pk=r.json()["id"])
    assert (fig.zone.code, fig.period, fig.value) == ("ZA", 201912, Decimal("24.2"))


def test_tax_bureau_may_publish_a_return_indicator(published, api_as):
    body = {"indicator": "industrial_tax", "period": "2019-12", "value": 24400, "yoy_pct": 14.9,
            "source": "tax"}  # fmt: skip
    r = api_as("staff").post("/statistics/official", body)
    assert r.status_code == 201, r.content
    assert r.json()["source_label"] == "官方·税务局"
    before = state()
    r = api_as("staff").post(
        "/statistics/official", {**body, "period": "2019-11", "source": "statistics"}
    )
    assert r.status_code == 422
    assert errors(r) == [
        (
            "indicator",
            "「税金总额」不是官方发布指标;统计局数据只能录入官方指标,税务局等其他来源可录入任意指标",
        )
    ]
    assert state() == before


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"indicator": "nope"}, [("indicator", "未知的指标代码 nope")]),
        ({"period": "2019-13"}, [("period", "报告期不正确:2019年13月")]),
        ({"value": "abc"}, [("value", '应为数字(可写作字符串,如 "1200.5")')]),
        ({"source": "rumour"}, None),
        ({"value": None, "yoy_pct": None}, [("value", "数值和同比增长至少填写一项")]),
        ({"period": "2019-12", "indicator": "industrial_value_added"}, None),
        ({"zone": "ZC"}, [("zone", "未找到园区代码 ZC")]),
    ],
)
def test_create_bad_input(published, api_as, body, expected):
    before = state()
    base = {"indicator": "gdp", "period": "2019-12", "value": 1, "source": "statistics"}
    r = api_as("staff").post("/statistics/official", {**base, **body})
    assert r.status_code == 422, r.content
    if expected is not None:
        assert errors(r) == expected
    assert state() == before


@pytest.mark.parametrize("role", ["leader", "province", "enterprise"])
def test_create_refused(published, api_as, role):
    before = state()
    body = {
        "zone": "ZA",
        "indicator": "gdp",
        "period": "2019-12",
        "value": 1,
        "source": "statistics",
    }
    assert api_as(role).post("/statistics/official", body).status_code == 403
    assert state() == before


def test_patch_and_stale_version(published, api_as):
    fig = published.figures["ZA"]
    api = api_as("zone_admin")
    r = api.patch(
        f"/statistics/official/{fig.pk}", {"version": 1, "yoy_pct": "10.5", "source_note": "年报"}
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["value"], body["yoy_pct"], body["version"], body["source_note"]) == (
        760000,
        10.5,
        2,
        "年报",
    )
    before = state()
    r = api.patch(f"/statistics/official/{fig.pk}", {"version": 1, "yoy_pct": 1})
    assert (r.status_code, r.json()["current_version"]) == (409, 2)
    assert state() == before


@pytest.mark.parametrize(
    ("role", "zone", "status"),
    [("leader", "ZA", 403), ("province", "ZA", 403), ("enterprise", "ZA", 404),
     ("staff", "ZB", 404), ("zone_admin", "ZC", 404)],
)  # fmt: skip
def test_patch_refused(published, api_as, role, zone, status):
    fig = published.figures[zone]
    before = state()
    r = api_as(role).patch(f"/statistics/official/{fig.pk}", {"version": 1, "value": 5})
    assert r.status_code == status
    assert state() == before


# --- catalogue --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_indicators_per_role(world, api_as, role):
    r = api_as(role).get("/statistics/indicators")
    assert r.status_code == 200
    codes = [i["code"] for i in r.json()["items"]]
    assert codes[:3] == ["output_value", "revenue", "profit"]
    assert len(codes) == 17


def test_zone_indicator_shows_in_its_zone_only(world, api_as):
    services_catalogue.save_indicator(
        world.zone_admin, world.zone_a, code="patents", name="专利申请量", unit="件",
        frequency="monthly", cumulative=True, source="return", aggregation="sum",
        decimal_places=0, definition="", department="科技创新局", is_active=True,
    )  # fmt: skip
    r = api_as("staff").get("/statistics/indicators", source="return")
    items = r.json()["items"]
    assert items[-1]["code"] == "patents"
    assert items[-1]["standard"] is False
    assert "patents" not in [
        i["code"] for i in api_as("admin").get("/statistics/indicators", zone="ZB").json()["items"]
    ]
    ratio = next(
        i
        for i in api_as("staff").get("/statistics/indicators", source="computed").json()["items"]
        if i["code"] == "rd_revenue_ratio"
    )
    assert (ratio["numerator"], ratio["denominator"]) == ("rd_spending", "revenue")


def test_rules_with_override(world, api_as):
    services_catalogue.save_rule(
        world.zone_admin, world.zone_a, code="swing-month-output", params={"pct": 80},
        severity="warning", is_active=False, version=1,
    )  # fmt: skip
    r = api_as("leader").get("/statistics/rules")
    rule = next(i for i in r.json()["items"] if i["code"] == "swing-month-output")
    assert (rule["params"], rule["is_active"], rule["overridden"]) == ({"pct": 80}, False, True)
    assert len(r.json()["items"]) == Rule.objects.filter(zone__isnull=True).count()
    other = api_as("admin").get("/statistics/rules", zone="ZB").json()["items"]
    rule = next(i for i in other if i["code"] == "swing-month-output")
    assert (rule["params"], rule["is_active"], rule["overridden"]) == ({"pct": 50}, True, False)
    assert Indicator.objects.filter(zone__isnull=False).count() == 0
