"""The economic cockpit page (经济运行监测): who sees it, what it shows for a period and mode,
that figures click through to the rows behind them, the .xlsx export and the query count."""

import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gaoxin.core.models import AuditRecord
from gaoxin.statistics.models import Finding, Return

COCKPIT = reverse("statistics:cockpit")
EXPORT = reverse("statistics:cockpit-export")
READERS = ["admin", "province", "zone_admin", "leader", "staff"]


def get(client, user, url=COCKPIT, **params):
    client.force_login(user)
    return client.get(url, params)


def text(response) -> str:
    return response.content.decode()


def chart(response, chart_id) -> dict:
    match = re.search(
        rf'<script id="{chart_id}" type="application/json">(.*?)</script>', text(response)
    )
    assert match, chart_id
    return json.loads(match.group(1))


def card(response, code) -> str:
    match = re.search(rf'id="card-{code}">(.*?)data-chart', text(response), re.S)
    assert match, code
    return re.sub(r"\s+", " ", match.group(1))


@pytest.mark.parametrize("role", READERS)
def test_readers_see_the_latest_period(figures_book, client, role):
    r = get(client, figures_book.users[role])
    assert r.status_code == 200
    assert "2019年1–12月" in text(r)
    out = card(r, "output_value")
    assert "190 万元" in out and "同比 +6.7%" in out and "平台计算" in out and "3 家企业" in out
    va = card(r, "industrial_value_added")
    assert "76.00 亿元" in va and "同比 +10.4%" in va and "官方数据·统计局" in va


def test_enterprise_users_get_404(figures_book, client):
    assert get(client, figures_book.enterprise).status_code == 404
    assert get(client, figures_book.enterprise, EXPORT).status_code == 404


def test_anonymous_is_sent_to_login(figures_book, client):
    r = client.get(COCKPIT)
    assert r.status_code == 302 and "login" in r["Location"]


def test_month_mode_and_trend(figures_book, client):
    r = get(client, figures_book.leader, period="2019-12", mode="month")
    assert r.status_code == 200
    out = card(r, "output_value")
    assert "19 万元" in out and "2019年12月" in out and "同比 +6.7%" in out
    trend = chart(r, "chart-trend-output_value")
    assert len(trend["xAxis"]["data"]) == 13
    assert trend["xAxis"]["data"][-2:] == ["2019年11月", "2019年12月"]
    assert trend["series"][0]["data"][-2:] == [11.0, 19.0]
    # Employees are a point in time: the same in both modes.
    assert "55 人" in card(r, "employees") and "期末数" in card(r, "employees")


def test_breakdown_top_and_contributions(figures_book, client):
    r = get(client, figures_book.leader, period="2019-12")
    page = text(r)
    assert "39 计算机、通信和其他电子设备制造业" in page and "17 纺织业" in page
    assert chart(r, "chart-divisions")["series"][0]["data"] == [150.0, 40.0]
    contributions = chart(r, "chart-contributions")
    assert contributions["yAxis"]["data"] == ["甲一电子科技有限公司", "甲二纺织有限公司"]
    assert contributions["series"][0]["data"] == [13.33, -6.67]
    top = re.search(r'id="top-table">(.*?)</table>', page, re.S).group(1)
    assert top.index("甲一电子科技有限公司") < top.index("甲二纺织有限公司") < top.index("甲三光电")
    # Another indicator for the analysis.
    r = get(client, figures_book.leader, period="2019-12", indicator="revenue")
    assert chart(r, "chart-divisions")["series"][0]["data"] == [140.0, 50.0]


def test_figures_click_through_to_their_rows(figures_book, client):
    page = text(get(client, figures_book.leader, period="2019-12"))
    returns = reverse("statistics:returns")
    assert f'href="{returns}?period=2019-12&amp;status=accepted&amp;indicator=output_value"' in page
    assert (
        f'href="{returns}?period=2019-12&amp;status=accepted&amp;indicator=output_value'
        '&amp;division=39"' in page
    )
    assert (
        f"{returns}?period=2019-12&amp;status=accepted&amp;indicator=output_value&amp;section=C"
        in page
    )
    ret = Return.objects.get(enterprise=figures_book.a1, period=201912)
    assert f'href="{reverse("statistics:return", args=[ret.pk])}"' in page
    assert f'href="{reverse("statistics:missing")}?period=2019-12"' in page
    assert f'href="{reverse("statistics:findings")}?period=2019-12"' in page
    official = reverse("statistics:official")
    assert f'href="{official}?period=2019-12&amp;indicator=industrial_value_added"' in page
    # A ratio's card lists the returns carrying its numerator.
    assert f"{returns}?period=2019-12&amp;status=accepted&amp;indicator=rd_spending" in page


def test_missing_and_open_findings(figures_book, client):
    # a1, a2, a3 are above scale and operating: all reported; one more has not.
    from tests.factories import EnterpriseFactory

    EnterpriseFactory(zone=figures_book.zone_a, name="甲四未报有限公司", above_scale=True)
    ret = Return.objects.get(enterprise=figures_book.a2, period=201912)
    Finding.objects.create(
        zone=figures_book.zone_a, ret=ret, enterprise=figures_book.a2, period=201912, rule_code="x",
        kind="range", severity="warning", message="测试",
    )  # fmt: skip
    Finding.objects.create(
        zone=figures_book.zone_a, ret=ret, enterprise=figures_book.a2, period=201912, rule_code="y",
        kind="range", severity="warning", message="测试", status="closed",
    )  # fmt: skip
    page = text(get(client, figures_book.leader, period="2019-12"))
    assert re.search(r'id="figure-missing">1<', page)
    assert re.search(r'id="figure-findings">1<', page)


def test_bad_choices_answer_400_with_a_message(figures_book, client):
    r = get(client, figures_book.leader, period="2019-13")
    assert r.status_code == 400
    assert "报告期不正确:2019年13月" in text(r)
    r = get(client, figures_book.leader, period="2019-01")
    assert r.status_code == 400 and "1 月免报" in text(r)
    r = get(client, figures_book.leader, mode="week")
    assert r.status_code == 400 and "口径应为 ytd(累计)或 month(当月)" in text(r)
    r = get(client, figures_book.leader, indicator="nope")
    assert r.status_code == 400 and "未找到指标 nope" in text(r)
    r = get(client, figures_book.leader, EXPORT, period="2019-13")
    assert r.status_code == 400 and text(r) == "报告期不正确:2019年13月"


def test_a_zone_without_returns(figures_book, client):
    client.force_login(figures_book.admin)
    session = client.session
    session["gaoxin_zone_id"] = figures_book.zone_c.pk
    session.save()
    r = client.get(COCKPIT)
    assert r.status_code == 200
    assert 'id="cockpit-empty"' in text(r)
    # The export still answers, for the last month that is over, without figures.
    r = client.get(EXPORT)
    assert r.status_code == 200
    rows = list(load_workbook(io.BytesIO(r.content))["指标"].iter_rows(min_row=2, values_only=True))
    assert rows and all(row[2] is None for row in rows)


def test_export(figures_book, client):
    r = get(client, figures_book.leader, EXPORT, period="2019-12", mode="ytd")
    assert r.status_code == 200
    assert r["Content-Disposition"] == "attachment; filename=statistics-cockpit-ZA-201912-ytd.xlsx"
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["指标", "趋势", "行业门类", "行业大类", "重点企业", "增长贡献", "说明"]
    rows = {row[1]: row for row in wb["指标"].iter_rows(min_row=2, values_only=True)}
    assert rows["output_value"][2:8] == (190, "万元", 6.7, "2019年1–12月", "平台计算", 3)
    assert rows["industrial_value_added"][2:7] == (760000, "万元", 10.4, "2019年1–12月",
                                                   "官方数据·统计局")  # fmt: skip
    top = list(wb["重点企业"].iter_rows(min_row=2, values_only=True))
    assert top[0] == (1, "甲一电子科技有限公司", 120, 63.2, 20)
    record = AuditRecord.objects.filter(action="export").latest("pk")
    assert record.message == "导出经济运行监测:2019年12月(本年累计)"


def test_query_count(figures_book, client, django_assert_num_queries):
    client.force_login(figures_book.leader)
    client.get(COCKPIT, {"period": "2019-12"})  # warm the session
    with django_assert_num_queries(18):
        r = client.get(COCKPIT, {"period": "2019-12"})
    assert r.status_code == 200
    assert Decimal("0") == 0


def test_a_breakdown_figure_lists_exactly_its_returns(figures_book, client):
    page = text(get(client, figures_book.leader, period="2019-12"))
    link = re.search(r'href="([^"]*division=39)"', page).group(1).replace("&amp;", "&")
    listed = text(client.get(link))
    # 大类 39: a1 and a3 (120 + 30 = 150); a2 (纺织, 17) is not behind this figure.
    assert "甲一电子科技有限公司" in listed and "甲三光电有限公司" in listed
    assert "甲二纺织有限公司" not in listed


def test_a_period_without_returns_shows_dashes(figures_book, client):
    r = get(client, figures_book.leader, period="2018-03")
    assert r.status_code == 200
    assert '<option value="2018-03" selected>' in text(r)
    out = card(r, "output_value")
    assert 'id="figure-output_value">—<' in out and "同比 —" in out
