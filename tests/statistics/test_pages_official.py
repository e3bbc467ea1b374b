"""The official figures pages: the list per role with source badges, filters, export; add and
edit through services.save_official with the source rule, versions and refusals."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from gaoxin.core.models import AuditRecord
from gaoxin.statistics import services
from gaoxin.statistics.models import OfficialFigure

pytestmark = pytest.mark.django_db

URL = "/statistics/official/"
NEW = "/statistics/official/new/"


@pytest.fixture
def published(world):
    figures = {}
    for zone in (world.zone_a, world.zone_b):
        figures[zone.code] = services.save_official(
            world.admin, zone, indicator="industrial_value_added", period=201912,
            value=Decimal("760000"), yoy_pct=Decimal("10.4"), source="statistics",
        )  # fmt: skip
    figures["tax"] = services.save_official(
        world.admin, world.zone_a, indicator="official_tax", period=201912,
        value=Decimal("24400"), yoy_pct=Decimal("14.9"), source="tax",
    )  # fmt: skip
    world.figures = figures
    return world


def state():
    return (
        list(OfficialFigure.objects.order_by("pk").values_list("value", "yoy_pct", "version")),
        AuditRecord.objects.count(),
    )


@pytest.mark.parametrize("role", ["admin", "province", "zone_admin", "leader", "staff"])
def test_list_readers(client, published, role):
    client.force_login(published.users[role])
    r = client.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="result-count">2 条' in html
    assert "官方·统计局" in html and "官方·税务局" in html
    assert "760,000 万元" in html and "+10.4" in html
    assert "2019年1–12月" in html
    editable = role in ("admin", "zone_admin", "staff")
    assert ('id="create-link"' in html) is editable
    assert (f"/statistics/official/{published.figures['ZA'].pk}/edit/" in html) is editable


def test_enterprise_user_gets_404(client, published):
    client.force_login(published.enterprise)
    assert client.get(URL).status_code == 404
    assert client.get(NEW).status_code == 404


def test_filters_and_export(client, published):
    client.force_login(published.leader)
    assert 'id="result-count">1 条' in client.get(URL, {"source": "tax"}).content.decode()
    assert 'id="result-count">0 条' in client.get(URL, {"year": "2018"}).content.decode()
    assert 'id="result-count">2 条' in client.get(URL, {"period": "2019-12"}).content.decode()
    r = client.get(URL, {"period": "2019-13"})
    assert "报告期不正确:2019年13月" in r.content.decode()
    r = client.get(URL, {"export": "xlsx", "indicator": "industrial_value_added"})
    rows = list(load_workbook(io.BytesIO(r.content)).active.values)
    assert rows[0][:3] == ("报告期", "期间", "指标代码")
    assert rows[1][:8] == (
        "2019-12", "2019年1–12月", "industrial_value_added", "规上工业增加值", "万元",
        760000, 10.4, "官方·统计局",
    )  # fmt: skip
    assert len(rows) == 2


def test_list_query_count(client, published, django_assert_num_queries):
    """session, user, memberships, indicators (filter), count, the page's ids, its rows."""
    client.force_login(published.staff)
    client.get(URL)
    with django_assert_num_queries(8):
        client.get(URL)
    for period in range(201902, 201912):
        services.save_official(
            published.admin, published.zone_a, indicator="gdp", period=period,
            value=Decimal(period), yoy_pct=None, source="statistics",
        )  # fmt: skip
    with django_assert_num_queries(8):
        r = client.get(URL)
    assert 'id="result-count">12 条' in r.content.decode()


def test_staff_adds_a_figure(client, published):
    client.force_login(published.staff)
    r = client.get(NEW)
    assert r.status_code == 200
    assert "高新技术产业增加值占规上工业增加值比重(%)" in r.content.decode()
    r = client.post(NEW, {"indicator": "hightech_share", "period": "2019-12", "value": "24.2",
                          "yoy_pct": "", "source": "statistics", "source_note": "统计局年报"})  # fmt: skip
    assert r.status_code == 302, r.content.decode()
    fig = OfficialFigure.objects.get(indicator__code="hightech_share")
    assert (fig.zone_id, fig.period, fig.value, fig.yoy_pct) == (
        published.zone_a.pk,
        201912,
        Decimal("24.2"),
        None,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"indicator": "revenue"},
            "「营业收入」不是官方发布指标;统计局数据只能录入官方指标,税务局等其他来源可录入任意指标",
        ),
        ({"period": "2019-13"}, "报告期不正确:2019年13月"),
        ({"value": "很多"}, "「很多」不是数字"),
        ({"value": "", "yoy_pct": ""}, "数值和同比增长至少填写一项"),
        (
            {"indicator": "industrial_value_added"},
            "本期该指标的官方数据已存在,请在列表中修改原记录",
        ),
        ({"indicator": "nope"}, "选择一个有效的选项"),
    ],
)
def test_add_bad_input(client, published, data, message):
    client.force_login(published.staff)
    before = state()
    base = {"indicator": "gdp", "period": "2019-12", "value": "1", "source": "statistics"}
    r = client.post(NEW, {**base, **data})
    assert r.status_code == 422
    html = r.content.decode()
    assert message in html or (message == "选择一个有效的选项" and "Select a valid choice" in html)
    assert state() == before


def test_tax_bureau_may_publish_a_return_indicator(client, published):
    client.force_login(published.staff)
    r = client.post(NEW, {"indicator": "industrial_tax", "period": "2019-12", "value": "24400",
                          "source": "tax"})  # fmt: skip
    assert r.status_code == 302


@pytest.mark.parametrize("role", ["leader", "province"])
def test_readers_cannot_add_or_edit(client, published, role):
    client.force_login(published.users[role])
    before = state()
    assert client.get(NEW).status_code == 404
    body = {"indicator": "gdp", "period": "2019-12", "value": "1", "source": "statistics"}
    assert client.post(NEW, body).status_code == 404
    pk = published.figures["ZA"].pk
    assert (
        client.post(f"/statistics/official/{pk}/edit/", {**body, "version": 1}).status_code == 404
    )
    assert state() == before


def test_edit_and_stale_version(client, published):
    client.force_login(published.zone_admin)
    fig = published.figures["ZA"]
    edit = f"/statistics/official/{fig.pk}/edit/"
    r = client.get(edit)
    assert r.status_code == 200
    assert 'value="760000"' in r.content.decode()
    body = {"value": "761000", "yoy_pct": "10.5", "source": "statistics", "source_note": "",
            "version": 1}  # fmt: skip
    assert client.post(edit, body).status_code == 302
    fig.refresh_from_db()
    assert (fig.value, fig.yoy_pct, fig.version) == (Decimal("761000"), Decimal("10.5"), 2)
    before = state()
    r = client.post(edit, {**body, "value": "1"})
    assert r.status_code == 409
    assert "该记录已被他人修改(当前版本 2)" in r.content.decode()
    assert state() == before
    # another zone's figure is not found from this zone
    assert client.get(f"/statistics/official/{published.figures['ZB'].pk}/edit/").status_code == 404
