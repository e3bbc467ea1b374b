"""The cockpit's period picker offers every period with data back to the first (accepted returns
or official figures), newest first and grouped by year; the period box reads what people type."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from gaoxin.core.models import User, Zone
from gaoxin.core.periods import Period
from gaoxin.statistics.models import Indicator, OfficialFigure, Rollup

COCKPIT = reverse("statistics:cockpit")


def offered(html: str) -> list[str]:
    chooser = re.search(r'<select[^>]*id="id_period">(.*?)</select>', html, re.S)
    assert chooser, "no period picker"
    return re.findall(r'<option value="([^"]+)"', chooser.group(1))


def groups(html: str) -> list[str]:
    chooser = re.search(r'<select[^>]*id="id_period">(.*?)</select>', html, re.S)
    return re.findall(r'<optgroup label="([^"]+)">', chooser.group(1))


@pytest.mark.django_db
def test_the_demo_offers_every_period_back_to_the_first(demo, client):
    zone = Zone.objects.get(code="GJ")
    client.force_login(User.objects.get(username="staff"))
    r = client.get(COCKPIT)
    assert r.status_code == 200
    html = r.content.decode()
    keys = set(
        Rollup.objects.filter(zone=zone, dimension="all").values_list("period", flat=True)
    ) | set(OfficialFigure.objects.filter(zone=zone).values_list("period", flat=True))
    expected = [str(Period.of(k)) for k in sorted(keys, reverse=True) if k % 100 != 1]
    got = offered(html)
    assert "2019-12" in got and len(got) > 60  # the picker stopped at 60 and missed 2019-12
    assert got == expected  # all of them, newest first, each once
    assert got[-1] == "2018-02"  # the demo's first return
    assert groups(html) == [str(y) for y in range(2026, 2017, -1)]
    # Choosing 2019-12 shows the published figures of that year.
    r = client.get(COCKPIT, {"period": "2019年1-12月"})
    html = r.content.decode()
    assert r.status_code == 200
    assert '<option value="2019-12" selected>' in html
    assert "76.00 亿元" in html  # 规上工业增加值, official


@pytest.mark.django_db
def test_a_period_with_only_an_official_figure_is_offered(figures_book, client):
    zone = figures_book.zone_a
    value_added = Indicator.objects.get(zone=None, code="industrial_value_added")
    for where, key in ((zone, 201703), (zone, 201701), (figures_book.zone_b, 201605)):
        # January is no reporting period, and another zone's periods are not this zone's.
        OfficialFigure.objects.create(
            zone=where, indicator=value_added, period=key, value=Decimal("5"), source="statistics"
        )
    client.force_login(figures_book.leader)
    html = client.get(COCKPIT).content.decode()
    assert offered(html) == [
        "2019-12",
        "2019-11",
        "2018-12",
        "2018-11",
        "2017-03",
    ]
    assert groups(html) == ["2019", "2018", "2017"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed", ["2019年", "2019年12月", "201912", "2019.12", "２０１９年１２月", " 2019 - 12 "]
)
def test_the_cockpit_reads_what_people_type(figures_book, client, typed):
    client.force_login(figures_book.leader)
    r = client.get(COCKPIT, {"period": typed})
    assert r.status_code == 200
    assert '<option value="2019-12" selected>' in r.content.decode()


@pytest.mark.django_db
def test_a_quarter_that_is_no_reporting_period_gets_the_message(figures_book, client):
    client.force_login(figures_book.leader)
    r = client.get(COCKPIT, {"period": "2019年二季度"})
    assert r.status_code == 400
    assert "可改查 2019-06(2019年1–6月累计)" in r.content.decode()
    r = client.get(COCKPIT, {"period": "2019年一季度"})
    assert r.status_code == 200
    assert '<option value="2019-03" selected>' in r.content.decode()
