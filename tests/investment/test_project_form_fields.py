"""The project form's fields as the importer reads them: money (万元 and 万美元) typed with
units, the GB/T 4754 picker at any level, required fields marked, and the form's own errors shown
with the record's rules at once."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from gaoxin.investment.models import Project

pytestmark = pytest.mark.django_db


def project_form(**overrides):
    return {
        "name": "新登记光电项目",
        "category": "industrial",
        "investor_name": "深圳光电集团",
        "planned_investment": "52000",
        "industry": "3974",
        "stage": "negotiation",
        "on": "2019-05-06",
    } | overrides


def create(client, pipeline, **overrides):
    client.force_login(pipeline.world.staff)
    data = project_form(department=pipeline.world.dept_a.pk, **overrides)
    return client.post(reverse("investment:project_create"), data)


def field_error(html, name) -> str:
    match = re.search(rf'id="err-{name}">(.*?)</div>', html, re.S)
    return match.group(1).strip() if match else ""


def test_money_and_an_industry_of_any_level(client, pipeline):
    r = create(
        client,
        pipeline,
        planned_investment="５．２亿",
        fixed_asset_investment="4,000万",
        foreign_investment_usd="1.2亿美元",
        expected_tax=" 3,000,000元 ",
        industry="39",
    )
    assert r.status_code == 302, r.content.decode()
    p = Project.objects.get(name="新登记光电项目")
    assert (p.planned_investment, p.fixed_asset_investment) == (Decimal("52000"), Decimal("4000"))
    assert (p.foreign_investment_usd, p.expected_tax, p.industry_id) == (
        Decimal("12000"),
        Decimal("300"),
        "39",
    )


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("planned_investment", "1e30", "无法识别的金额「1e30」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
        ("planned_investment", "-1亿", "金额不能为负数"),
        ("expected_output", "NaN", "无法识别的金额「NaN」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
        ("foreign_investment_usd", "5万元", "无法识别的金额「5万元」:请填写数字,单位为万美元(也可写 1.2亿美元、500万美元)"),
        ("industry", "9999", "请选择 GB/T 4754-2017 中的行业"),
    ],
)  # fmt: skip
def test_wrong_values_get_a_message_on_their_field(client, pipeline, field, typed, message):
    r = create(client, pipeline, **{field: typed})
    assert r.status_code == 422
    assert field_error(r.content.decode(), field) == message
    assert not Project.objects.filter(name="新登记光电项目").exists()


def test_parse_errors_and_rule_errors_show_together(client, pipeline):
    r = create(
        client,
        pipeline,
        expected_output="很多",
        planned_investment="1亿",
        fixed_asset_investment="2亿",
        origin_province="440000",
        origin_country="德国",
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert field_error(html, "expected_output").startswith("无法识别的金额「很多」")
    assert field_error(html, "fixed_asset_investment") == (
        "其中固定资产投资(20000 万元)不能超过计划总投资(10000 万元)"
    )
    assert field_error(html, "origin_country") == "投资方来源填写省份或国家/地区其一"
    assert not Project.objects.filter(name="新登记光电项目").exists()


def test_edit_shows_parse_and_rule_errors_together(client, pipeline):
    p = pipeline.p_signed
    client.force_login(pipeline.world.staff)
    data = project_form(version=str(p.version), department=pipeline.world.dept_a.pk,
                        expected_tax="abc", fixed_asset_investment="20亿")  # fmt: skip
    r = client.post(reverse("investment:project_edit", args=[p.pk]), data)
    assert r.status_code == 422
    html = r.content.decode()
    assert field_error(html, "expected_tax").startswith("无法识别的金额「abc」")
    assert field_error(html, "fixed_asset_investment") == (
        "其中固定资产投资(200000 万元)不能超过计划总投资(52000 万元)"
    )
    p.refresh_from_db()
    assert p.name == "甲签约项目"


def test_form_has_the_picker_the_money_boxes_and_required_marks(client, pipeline):
    client.force_login(pipeline.world.staff)
    html = client.get(reverse("investment:project_edit", args=[pipeline.p_signed.pk])).content
    html = html.decode()
    picker = re.search(r'<select name="industry"[^>]*>', html).group(0)
    assert 'data-picker="1"' in picker and "required" not in picker
    assert '<option value="3974" selected>3974 显示器件制造</option>' in html
    assert '<option value="39">39 计算机、通信和其他电子设备制造业</option>' in html
    assert re.search(
        r'<input type="text" name="planned_investment" value="150000"[^>]*required', html
    )
    label = re.search(r'<label[^>]*for="id_planned_investment">(.*?)</label>', html).group(1)
    assert label == '计划总投资(万元) <span class="text-danger">*</span>'
    label = re.search(r'<label[^>]*for="id_expected_tax">(.*?)</label>', html).group(1)
    assert label == "预计年税收(万元)"


def test_funds_and_thresholds_mark_their_required_fields(client, pipeline):
    client.force_login(pipeline.world.zone_admin)
    html = client.get(reverse("investment:project_detail", args=[pipeline.p_signed.pk])).content
    label = re.search(r'<label[^>]*for="id_amount">(.*?)</label>', html.decode())
    assert label and label.group(1) == '到位金额(万元) <span class="text-danger">*</span>'
    html = client.get(reverse("investment:thresholds")).content.decode()
    label = re.search(r'<label[^>]*for="id_large">(.*?)</label>', html).group(1)
    assert label == '亿元以上项目门槛(万元) <span class="text-danger">*</span>'
