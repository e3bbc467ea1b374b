"""园区对比 (statistics/views/zones.py, statistics/comparison.py): the zones a user reads, side by
side for a period, ranked, from the rollups and the official figures; a fixed number of queries
whatever the number of zones."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from gaoxin.core.models import Zone
from gaoxin.statistics import comparison, rollups

pytestmark = pytest.mark.django_db
URL = "/statistics/zones/"


@pytest.fixture
def book(figures_book):
    """Zone A's book (revenue 2019-12: 110 + 50 + 30; same set 160 against 150) and zone B's
    b1, rolled up too (output value 1000, no revenue)."""
    rollups.refresh(figures_book.zone_b.pk, rollups.affected([201912]))
    return figures_book


def table(response) -> list[list[str]]:
    html = response.content.decode()
    body = html.split('id="zones-table"')[1].split("<tbody>")[1].split("</tbody>")[0]
    rows = []
    for tr in body.split("<tr>")[1:]:
        cells = [c.split(">", 1)[1].split("</td>")[0] for c in tr.split("<td")[1:]]
        rows.append([" ".join(c.replace("<div", " <div").split()) for c in cells])
    return rows


def test_the_province_ranks_its_zones_by_revenue_and_another_zone_is_not_there(client, book):
    client.force_login(book.province)
    r = client.get(URL, {"period": "2019-12"})
    assert r.status_code == 200
    rows = table(r)
    assert [row[1] for row in rows] == ["甲高新技术产业开发区", "乙高新技术产业开发区"]
    a, b = rows
    assert a[0] == "1" and a[2] == "3"  # ranked first; three enterprises reported revenue
    assert a[3].startswith("190 万元") and "6.7%" in a[3]  # 160 against 150 on the same set
    assert b[0] == "—" and b[3] == "—"  # zone B reported no revenue: not ranked by it
    assert "丙高新技术产业开发区" not in r.content.decode()  # Hunan: not the viewer's province


def test_ranked_by_another_figure_and_the_official_one_shown_as_published(client, book):
    client.force_login(book.admin)
    r = client.get(URL, {"period": "2019-12", "sort": "output_value"})
    rows = table(r)
    assert [row[1] for row in rows][:2] == ["乙高新技术产业开发区", "甲高新技术产业开发区"]
    assert rows[0][4] == "1,000 万元"
    assert rows[1][4].startswith("190 万元")  # 120 + 40 + 30
    assert len(rows) == 3  # the platform admin reads every zone, zone C without figures
    a_official = rows[1][8]  # 规上工业增加值, published for zone A
    assert a_official.startswith("76.00 亿元") and "10.4%" in a_official


def test_a_zone_officer_sees_their_own_zone_and_an_enterprise_user_nothing(client, book):
    client.force_login(book.staff)
    assert [row[1] for row in table(client.get(URL, {"period": "2019-12"}))] == [
        "甲高新技术产业开发区"
    ]
    client.force_login(book.enterprise)
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize(
    "query, message",
    [
        ({"mode": "quarter"}, "口径应为"),
        ({"sort": "gdp"}, "排序指标应为"),
        ({"period": "2019-13"}, "月"),
    ],
)
def test_a_wrong_choice_is_answered_400_with_what_is_right(client, book, query, message):
    client.force_login(book.province)
    r = client.get(URL, query)
    assert r.status_code == 400
    error = r.content.decode().split('id="zones-error"')[1].split("<a ")[0]
    assert message in error


def test_the_latest_period_is_the_default_and_the_export_writes_the_table(client, book):
    client.force_login(book.province)
    assert "2019年1–12月" in client.get(URL).content.decode()
    r = client.get(URL + "export/", {"period": "2019-12"})
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("排名", "园区", "报送企业数", "营业收入(万元)")
    assert rows[1][:5] == (1, "甲高新技术产业开发区", 3, 190, 6.7)


def test_the_comparison_costs_the_same_queries_for_one_zone_or_three(book):
    counts = []
    for zones in (list(Zone.objects.filter(pk=book.zone_a.pk)), list(Zone.objects.all())):
        with CaptureQueriesContext(connection) as queries:
            columns, rows = comparison.compare(zones, 201912, "ytd")
        counts.append(len(queries))
        assert len(rows) == len(zones)
    assert counts == [3, 3]
    assert [c.code for c in columns] == list(comparison.COMPARED)
    assert rows[0].cells[0].value == Decimal("190")
