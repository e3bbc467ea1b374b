"""The economic cockpit in English tells the truth about magnitudes: the demo zone's 2019 figures
(3亿千瓦时 of electricity, 76亿元 of value added, 2.44亿元 of tax) read 300 GWh, 7.6 billion yuan
and 244 million yuan, on the cards and in the charts; in Chinese they read as published."""

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from gaoxin.core.models import User

COCKPIT = reverse("statistics:cockpit")


def figure(html: str, code: str) -> str:
    match = re.search(rf'id="figure-{code}">([^<]*)<', html)
    assert match, code
    return match.group(1)


def chart(html: str, chart_id: str) -> dict:
    match = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', html)
    assert match, chart_id
    return json.loads(match.group(1))


@pytest.fixture
def staff_client(demo, client):
    client.force_login(User.objects.get(username="staff"))
    yield client
    translation.activate(settings.LANGUAGE_CODE)  # the middleware left English active


@pytest.mark.django_db
def test_the_cockpit_in_english_scales_the_units(staff_client):
    client = staff_client
    chinese = client.get(COCKPIT, {"period": "2019-12", "indicator": "industrial_electricity"})
    html = chinese.content.decode()
    assert figure(html, "industrial_electricity") == "3 亿千瓦时"
    assert figure(html, "industrial_value_added") == "76.00 亿元"
    assert figure(html, "industrial_tax") == "2.44 亿元"
    zh_trend = chart(html, "chart-trend-industrial_electricity")["series"][0]
    assert zh_trend["data"][-1] == 30000.0 and zh_trend["name"] == "工业用电量"

    client.post(reverse("set_language"), {"language": "en", "next": COCKPIT})
    english = client.get(COCKPIT, {"period": "2019-12", "indicator": "industrial_electricity"})
    assert english.status_code == 200
    html = english.content.decode()
    assert 'lang="en"' in html
    assert figure(html, "industrial_electricity") == "300 GWh"
    assert figure(html, "industrial_value_added") == "7.6 billion yuan"
    assert figure(html, "industrial_tax") == "244 million yuan"
    assert "100 GWh" not in html and "100M yuan" not in html and "10k yuan" not in html
    # The trend line in GWh, named so; the industries' bars in the unit their axis names.
    trend = chart(html, "chart-trend-industrial_electricity")["series"][0]
    assert trend["data"][-1] == 300.0 and trend["name"].endswith(" (GWh)")
    divisions = chart(html, "chart-divisions")
    zh_divisions = chart(chinese.content.decode(), "chart-divisions")
    assert "name" not in zh_divisions["xAxis"]
    name = divisions["xAxis"]["name"]
    scale = {"GWh": 100, "MWh": 0.1}[name]  # values stored in 万千瓦时
    assert divisions["series"][0]["data"] == pytest.approx(
        [v / scale for v in zh_divisions["series"][0]["data"]]
    )
