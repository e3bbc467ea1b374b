"""A page that is missing (or out of scope) answers a Chinese 404 page that says why, when the view
gave a reason (a bad period, a missing record), and the same page for anything else."""

import pytest
from django.urls import reverse

from gaoxin.enterprises.models import Enterprise
from tests.support.periods import PERIOD_FORMS


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("/statistics/returns/?period=2019-01", "1 月免报:1–2 月合并为一期,请填写 2019-02"),
        (
            "/statistics/returns/?period=garbage",
            PERIOD_FORMS % "garbage",
        ),
        ("/statistics/my/2099-05/?enterprise={a1}", "不能填报未来月份的报表"),
        ("/no/such/page/", "它可能不存在,或不在您的查看范围内。"),
    ],
)
def test_not_found_pages_are_chinese_and_say_why(client, world, url, reason):
    client.force_login(world.staff)
    response = client.get(url.format(a1=world.a1.pk))
    html = response.content.decode()
    assert response.status_code == 404
    assert "未找到该页面或记录" in html and reason in html
    assert 'lang="zh-hans"' in html


@pytest.mark.django_db
def test_a_record_out_of_scope_reads_like_a_missing_one(client, world):
    client.force_login(world.enterprise)
    other = reverse("enterprises:detail", args=[world.a2.pk])
    missing = reverse("enterprises:detail", args=[Enterprise.objects.order_by("-pk")[0].pk + 1])
    answers = [client.get(url) for url in (other, missing)]
    assert [r.status_code for r in answers] == [404, 404]
    reasons = [
        r.content.decode().split('id="not-found-reason">')[1].split("</p>")[0] for r in answers
    ]
    assert reasons[0] == reasons[1] == "未找到该企业"
