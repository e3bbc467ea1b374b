"""The catalogue pages: indicators (standard and the zone's own, add and edit) and the rules in
force (the zone's override of a standard rule), per role, with bad input and exports."""

import io

import pytest
from openpyxl import load_workbook

from gaoxin.core.models import AuditRecord
from gaoxin.statistics import catalogue
from gaoxin.statistics.models import Indicator, Rule
from gaoxin.statistics.services import configuration as services_catalogue

pytestmark = pytest.mark.django_db

INDICATORS = "/statistics/indicators/"
NEW = "/statistics/indicators/new/"
RULES = "/statistics/rules/"
PATENTS = {
    "code": "patents",
    "name": "专利申请量",
    "unit": "件",
    "frequency": "monthly",
    "cumulative": "on",
    "source": "return",
    "aggregation": "sum",
    "decimal_places": "0",
    "department": "科技创新局",
    "definition": "企业报告期内申请的专利件数。",
    "is_active": "on",
}


def state():
    return (
        list(Indicator.objects.filter(zone__isnull=False).values_list("code", "name", "version")),
        list(Rule.objects.filter(zone__isnull=False).values_list("code", "params", "version")),
        AuditRecord.objects.count(),
    )


@pytest.mark.parametrize("role", ["admin", "province", "zone_admin", "leader", "staff"])
def test_indicators_readers(client, world, role):
    client.force_login(world.users[role])
    r = client.get(INDICATORS)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="result-count">17 个指标' in html
    assert "<code>industrial_value_added</code>" in html and "万千瓦时" in html
    assert ('id="create-link"' in html) is (role in ("admin", "zone_admin", "staff"))
    assert client.get(RULES).status_code == 200


def test_enterprise_user_gets_404(client, world):
    client.force_login(world.enterprise)
    for url in (INDICATORS, NEW, RULES, "/statistics/rules/range-output/edit/"):
        assert client.get(url).status_code == 404


def test_add_and_edit_zone_indicator(client, world):
    client.force_login(world.zone_admin)
    r = client.post(NEW, PATENTS)
    assert r.status_code == 302, r.content.decode()
    row = Indicator.objects.get(zone=world.zone_a, code="patents")
    assert (row.name, row.unit, row.decimal_places, row.source) == ("专利申请量", "件", 0, "return")
    assert "patents" in [i.code for i in catalogue.indicators_for(world.zone_a)]
    assert "patents" not in [i.code for i in catalogue.indicators_for(world.zone_b)]
    html = client.get(INDICATORS).content.decode()
    assert (
        'id="result-count">18 个指标' in html and f"/statistics/indicators/{row.pk}/edit/" in html
    )
    edit = f"/statistics/indicators/{row.pk}/edit/"
    r = client.post(edit, {**PATENTS, "name": "专利申请数", "code": "ignored", "version": 1})
    assert r.status_code == 302
    row.refresh_from_db()
    assert (row.code, row.name, row.version) == ("patents", "专利申请数", 2)
    before = state()
    r = client.post(edit, {**PATENTS, "name": "旧版本", "version": 1})
    assert r.status_code == 409
    assert state() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "revenue"}, "指标代码 revenue 已存在"),
        ({"code": "专利"}, None),
        ({"name": ""}, None),
        ({"source": "return", "aggregation": "none"}, "企业报表指标应按求和汇总"),
        ({"decimal_places": "9"}, None),
    ],
)
def test_add_bad_input(client, world, data, message):
    client.force_login(world.staff)
    before = state()
    r = client.post(NEW, {**PATENTS, **data})
    assert r.status_code == 422
    if message:
        assert message in r.content.decode()
    assert state() == before


def test_standard_indicator_not_editable(client, world):
    client.force_login(world.zone_admin)
    standard = Indicator.objects.get(zone__isnull=True, code="revenue")
    assert client.get(f"/statistics/indicators/{standard.pk}/edit/").status_code == 404


@pytest.mark.parametrize("role", ["leader", "province"])
def test_readers_cannot_change(client, world, role):
    client.force_login(world.users[role])
    before = state()
    assert client.post(NEW, PATENTS).status_code == 404
    r = client.post("/statistics/rules/swing-month-output/edit/", {"severity": "warning"})
    assert r.status_code == 404
    assert state() == before


def test_rule_override(client, world):
    client.force_login(world.staff)
    edit = "/statistics/rules/swing-month-output/edit/"
    r = client.get(edit)
    assert r.status_code == 200
    assert 'name="p_pct"' in r.content.decode()
    r = client.post(edit, {"p_pct": "80", "severity": "warning", "is_active": "on", "version": 1})
    assert r.status_code == 302, r.content.decode()
    own = Rule.objects.get(zone=world.zone_a, code="swing-month-output")
    assert (own.params, own.severity, own.is_active, own.kind) == (
        {"pct": 80},
        "warning",
        True,
        "swing_month",
    )
    rules = {r.code: r for r in catalogue.rules_for(world.zone_a)}
    assert rules["swing-month-output"].params == {"pct": 80}
    assert {r.code: r for r in catalogue.rules_for(world.zone_b)}["swing-month-output"].params == {
        "pct": 50
    }
    html = client.get(RULES).content.decode()
    assert "本园区已调整" in html
    # switch it off: the zone's rule changes, the standard one stays
    r = client.post(edit, {"p_pct": "80", "severity": "warning", "version": 1})
    assert r.status_code == 302
    assert "swing-month-output" not in {r.code for r in catalogue.rules_for(world.zone_a)}
    assert Rule.objects.get(zone__isnull=True, code="swing-month-output").is_active is True


@pytest.mark.parametrize(
    ("code", "data", "message"),
    [
        ("swing-month-output", {"p_pct": "-5"}, "波动阈值(%)应大于 0"),
        ("swing-month-output", {"p_pct": "abc"}, "「abc」不是数字"),
        ("range-employees", {"p_min": "10", "p_max": "5"}, "上限不能小于下限"),
        (
            "peer-output-per-worker",
            {"p_factor": "10", "p_min_peers": "2.5"},
            "最少同行企业数应为整数",
        ),
        ("swing-month-output", {"severity": "fatal"}, None),
        ("swing-month-output", {"version": "7"}, "该记录已被他人修改(当前版本 1)"),
    ],
)
def test_rule_bad_input(client, world, code, data, message):
    client.force_login(world.zone_admin)
    before = state()
    r = client.post(
        f"/statistics/rules/{code}/edit/", {"severity": "warning", "version": 1, **data}
    )
    assert r.status_code in (409, 422)
    if message:
        assert message in r.content.decode()
    assert state() == before


def test_unknown_rule_404(client, world):
    client.force_login(world.zone_admin)
    assert client.get("/statistics/rules/nope/edit/").status_code == 404


def test_exports(client, world):
    client.force_login(world.leader)
    rows = list(
        load_workbook(io.BytesIO(client.get(INDICATORS, {"export": "xlsx"}).content)).active.values
    )
    assert rows[0][:3] == ("指标代码", "指标名称", "单位")
    assert rows[1][:3] == ("output_value", "工业总产值", "万元")
    assert len(rows) == 18
    rows = list(
        load_workbook(io.BytesIO(client.get(RULES, {"export": "xlsx"}).content)).active.values
    )
    assert rows[0][:2] == ("规则代码", "规则名称")
    assert len(rows) == 1 + Rule.objects.filter(zone__isnull=True).count()
    rows = list(
        load_workbook(
            io.BytesIO(client.get(INDICATORS, {"export": "xlsx", "source": "official"}).content)
        ).active.values
    )
    assert [r[0] for r in rows[1:]] == [
        "industrial_value_added", "hightech_value_added", "hightech_share", "gdp",
        "rd_intensity", "official_tax",
    ]  # fmt: skip


def test_page_query_counts(client, world, django_assert_num_queries):
    """session, user, memberships, the catalogue (one query)."""
    client.force_login(world.staff)
    client.get(INDICATORS)
    with django_assert_num_queries(5):
        client.get(INDICATORS)
    with django_assert_num_queries(5):
        client.get(RULES)


def test_service_refuses_readers(world):
    from gaoxin.core.errors import Forbidden

    with pytest.raises(Forbidden):
        services_catalogue.save_rule(world.leader, world.zone_a, code="range-output", params={})
