"""The investment cockpit in English: the monthly chart's planned investment in the English
magnitude (million yuan …), its axis and series named so; in Chinese in 万元 as before."""

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

COCKPIT = reverse("investment:cockpit")
STEPS = {"yuan": 0.0001, "thousand yuan": 0.1, "million yuan": 100, "billion yuan": 100000}


def monthly(response) -> dict:
    match = re.search(
        r'<script id="chart-monthly" type="application/json">(.*?)</script>',
        response.content.decode(),
    )
    assert match
    return json.loads(match.group(1))


@pytest.mark.django_db
def test_the_monthly_investment_is_in_english_magnitudes(client, pipeline_book):
    client.force_login(pipeline_book.world.leader)
    chinese = monthly(client.get(COCKPIT, {"period": "2020"}))
    assert chinese["yAxis"][1]["name"] == "万元"
    assert chinese["series"][3]["name"] == "签约计划总投资(万元)"
    wan = chinese["series"][3]["data"]
    assert max(wan) > 0
    try:
        client.post(reverse("set_language"), {"language": "en", "next": COCKPIT})
        english = monthly(client.get(COCKPIT, {"period": "2020"}))
    finally:
        translation.activate(settings.LANGUAGE_CODE)
    name = english["yAxis"][1]["name"]
    assert name in STEPS and "10k" not in json.dumps(english)
    assert english["series"][3]["name"] == f"Planned total investment signed ({name})"
    assert english["series"][3]["data"] == pytest.approx([v / STEPS[name] for v in wan])
