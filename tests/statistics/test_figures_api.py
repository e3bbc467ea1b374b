"""GET /api/v1/statistics/figures: the zone's computed and official figures for a period, for
each role; bad input answers 422 with a Chinese message."""

import pytest
from django.test import Client

from gaoxin.statistics.models import Rollup
from tests.support.api import Api, bearer
from tests.support.periods import PERIOD_FORMS

URL = "/statistics/figures"


@pytest.fixture
def api_as(world):
    return lambda role: Api(Client(), bearer(world.users[role]))


def by_code(response):
    assert response.status_code == 200, response.content
    return {row["indicator"]: row for row in response.json()}


@pytest.mark.parametrize("role", ["admin", "zone_admin", "leader", "staff"])
def test_zone_figures_for_readers(figures_book, api_as, role):
    params = {"period": "2019-12"} if role != "admin" else {"period": "2019-12", "zone": "ZA"}
    got = by_code(api_as(role).get(URL, **params))
    assert got["output_value"] == {
        "indicator": "output_value",
        "name": "工业总产值",
        "unit": "万元",
        "value": 190,
        "yoy_pct": 6.7,
        "source": "computed",
        "source_label": "平台计算",
        "cumulative": True,
        "enterprises": 3,
    }
    assert got["industrial_value_added"] == {
        "indicator": "industrial_value_added",
        "name": "规上工业增加值",
        "unit": "万元",
        "value": 760000,
        "yoy_pct": 10.4,
        "source": "official",
        "source_label": "官方数据·统计局",
        "cumulative": True,
        "enterprises": None,
    }
    assert got["rd_revenue_ratio"]["value"] == 6.32
    assert got["exports"]["value"] is None and got["exports"]["yoy_pct"] is None
    assert got["employees"]["cumulative"] is False


def test_month_mode(figures_book, api_as):
    got = by_code(api_as("leader").get(URL, period="2019-12", mode="month"))
    assert (got["output_value"]["value"], got["output_value"]["yoy_pct"]) == (19, 6.7)


def test_province_reads_its_zones_by_code(figures_book, api_as):
    api = api_as("province")
    assert by_code(api.get(URL, period="2019-12", zone="ZA"))["output_value"]["value"] == 190
    # Zone B has no rollups: the figures are listed without values.
    assert by_code(api.get(URL, period="2019-12", zone="ZB"))["output_value"]["value"] is None
    r = api.get(URL, period="2019-12", zone="ZC")  # another province's zone
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "zone", "message": "未找到园区代码 ZC"}]


def test_officers_of_one_zone_do_not_see_another(figures_book, api_as):
    r = api_as("leader").get(URL, period="2019-12", zone="ZB")
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "zone", "message": "未找到园区代码 ZB"}]


def test_enterprise_users_are_forbidden(figures_book, api_as):
    r = api_as("enterprise").get(URL, period="2019-12")
    assert r.status_code == 403
    assert r.json() == {"detail": "无权查看园区经济运行数据", "errors": []}
    assert Rollup.objects.count() > 0  # nothing changed


def test_anonymous_is_401(figures_book):
    assert Api(Client()).get(URL, period="2019-12").status_code == 401


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"period": "2019-13"}, "period", "报告期不正确:2019年13月"),
        ({"period": "12/2019"}, "period", PERIOD_FORMS % "12/2019"),
        ({"period": "2019-01"}, "period", "1 月免报:1–2 月合并为一期,请填写 2019-02"),
        ({"period": " "}, "period", "请填写报告期(YYYY-MM,如 2019-12)"),
    ],
)
def test_bad_period_is_422(figures_book, api_as, params, field, message):
    r = api_as("leader").get(URL, **params)
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": field, "message": message}]


def test_bad_mode_and_missing_period_are_422(figures_book, api_as):
    r = api_as("leader").get(URL, period="2019-12", mode="week")
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "mode"
    r = api_as("leader").get(URL)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "period"


def test_query_count(figures_book, api_as, django_assert_num_queries):
    api = api_as("leader")
    # token + user + memberships, then catalogue, rollups, official figures
    with django_assert_num_queries(6):
        assert api.get(URL, period="2019-12").status_code == 200
