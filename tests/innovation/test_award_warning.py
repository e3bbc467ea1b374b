"""The award warning end to end: recording an award (help ledgers, matters) to a certified
high-tech enterprise whose high-tech income share is near 60% warns on the page and in the API
(matters.award_checks, registered by InnovationConfig.ready())."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from gaoxin.matters.models import Award
from tests.support.innovation import certify, entered

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("frozen"),
]
W = Decimal


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2020, 6, 15, 12, 0), tick=False):
        yield


def award_body(world):
    return {"enterprise": world.a1.pk, "policy": "研发补助", "amount": "50",
            "paid_on": "2020-06-01", "note": ""}  # fmt: skip


def page_warnings(client, world):
    client.force_login(world.staff)
    r = client.post(reverse("matters:award_create"), award_body(world), follow=True)
    assert r.status_code == 200
    assert Award.objects.filter(enterprise=world.a1, policy="研发补助").count() == 1
    return [(m.level_tag, m.message) for m in r.context["messages"]]


def api_warnings(api_as, world):
    body = {"enterprise": world.a1.pk, "policy": "研发补助", "amount_wan": "50",
            "paid_on": "2020-06-01"}  # fmt: skip
    r = api_as("staff").post("/assistance/awards", body)
    assert r.status_code == 201, r.content
    return r.json()["warnings"]


WARNING = (
    "甲一电子科技有限公司 为高新技术企业,其高新技术产品(服务)收入占总收入比例为 62.00%"
    "(2020 年度填报);本次奖补 50 万元计入总收入后将为 59.04%。该比例低于 60% 将不符合"
    "高新技术企业认定条件,请提醒企业规范核算。"
)


def test_page_warns_at_62_percent(world, client):
    certify(world.a1)
    entered(world.a1, 2020, hightech_income=W(620), total_income=W(1000))
    shown = page_warnings(client, world)
    assert ("warning", WARNING) in shown
    assert ("success", "已登记奖补兑现") in shown


def test_api_warns_at_62_percent(world, api_as):
    certify(world.a1)
    entered(world.a1, 2020, hightech_income=W(620), total_income=W(1000))
    assert api_warnings(api_as, world) == [WARNING]


def test_no_warning_at_80_percent(world, client, api_as):
    certify(world.a1)
    entered(world.a1, 2020, hightech_income=W(800), total_income=W(1000))
    assert [level for level, _text in page_warnings(client, world)] == ["success"]
    Award.objects.all().delete()
    assert api_warnings(api_as, world) == []


def test_no_warning_for_an_enterprise_not_certified(world, client, api_as):
    entered(world.a1, 2020, hightech_income=W(620), total_income=W(1000))
    assert [level for level, _text in page_warnings(client, world)] == ["success"]
    Award.objects.all().delete()
    assert api_warnings(api_as, world) == []
