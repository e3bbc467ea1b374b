"""The findings page: who sees which findings, filters, export, and the actions (query, close,
explain) with their refusals and bad input, nothing changed."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gaoxin.core.models import AuditRecord
from gaoxin.statistics import services
from gaoxin.statistics.models import Finding

pytestmark = pytest.mark.django_db

ODD = {  # tax 40% of revenue: a warning; employees missing: an error
    "output_value": "1200",
    "revenue": "1000",
    "industrial_tax": "400",
    "industrial_electricity": "60",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def found(world):
    rets = {}
    for key in ("a1", "a2", "b1"):
        ret = services.return_for(world.admin, getattr(world, key), 201903, create=True)
        ret = services.save_draft(world.admin, ret, data=ODD, version=ret.version)
        rets[key] = services.submit(world.admin, ret, version=ret.version)
    world.rets = rets
    return world


def finding(world, key, rule_code) -> Finding:
    return Finding.objects.get(ret=world.rets[key], rule_code=rule_code)


def state(f):
    f = Finding.objects.get(pk=f.pk)
    return (f.status, f.explanation, f.query_due_on, f.closed_at, AuditRecord.objects.count())


def shown(html: str, world) -> set[str]:
    """Which enterprises' rows the table shows."""
    names = {"a1": world.a1.name, "a2": world.a2.name, "b1": world.b1.name}
    table = html.split('id="finding-table"', 1)[1]
    return {k for k, name in names.items() if f"<td >{name}</td>" in table or f">{name}<" in table}


URL = "/statistics/findings/"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"a1", "a2"}),  # the zone they work in (ZA, the first)
        ("province", {"a1", "a2"}),
        ("zone_admin", {"a1", "a2"}),
        ("leader", {"a1", "a2"}),
        ("staff", {"a1", "a2"}),
        ("enterprise", {"a1"}),
    ],
)
def test_list_per_role(client, found, role, expected):
    client.force_login(found.users[role])
    r = client.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert shown(html, found) == expected
    count = 2 * len(expected)
    assert f'id="result-count">{count} 条' in html
    assert reverse("statistics:findings") == URL


def test_actions_shown_by_role(client, found):
    warning = finding(found, "a1", "ratio-tax-revenue")
    client.force_login(found.staff)
    html = client.get(URL).content.decode()
    assert f'id="query-{warning.pk}"' in html and f'id="close-{warning.pk}"' in html
    assert f'id="explain-{warning.pk}"' not in html
    error = finding(found, "a1", "required-employees")
    assert f'id="close-{error.pk}"' not in html  # errors are fixed, not closed
    client.force_login(found.leader)
    html = client.get(URL).content.decode()
    assert f'id="query-{warning.pk}"' not in html and f'id="close-{warning.pk}"' not in html
    client.force_login(found.enterprise)
    html = client.get(URL).content.decode()
    assert f'id="explain-{warning.pk}"' in html and f'id="query-{warning.pk}"' not in html


def test_filters(client, found):
    client.force_login(found.staff)
    html = client.get(URL, {"severity": "warning", "enterprise": found.a2.pk}).content.decode()
    assert 'id="result-count">1 条' in html
    html = client.get(URL, {"indicator": "employees"}).content.decode()
    assert 'id="result-count">2 条' in html
    html = client.get(URL, {"period": "2019-04"}).content.decode()
    assert 'id="result-count">0 条' in html
    r = client.get(URL, {"period": "2019-13"})
    assert r.status_code == 200
    assert "报告期不正确:2019年13月" in r.content.decode()
    services.close_finding(found.staff, finding(found, "a1", "ratio-tax-revenue"))
    assert 'id="result-count">3 条' in client.get(URL).content.decode()
    assert 'id="result-count">1 条' in client.get(URL, {"status": "closed"}).content.decode()
    assert 'id="result-count">4 条' in client.get(URL, {"status": "all"}).content.decode()


def test_list_query_count_is_constant(client, found, django_assert_num_queries):
    """session, user, memberships, indicators, count, enterprises (filter choices), the page's
    ids, its rows (enterprise and indicator joined): the same
    with 4 findings or 24."""
    client.force_login(found.staff)
    client.get(URL)
    with django_assert_num_queries(8):
        client.get(URL)
    for i in range(10):
        enterprise = type(found.a1).objects.create(
            zone=found.zone_a, name=f"批量企业{i}", uscc=f"91360121MA{i:07d}X"[:18],
            industry_id="3974",
        )  # fmt: skip
        ret = services.return_for(found.admin, enterprise, 201903, create=True)
        ret = services.save_draft(found.admin, ret, data=ODD, version=ret.version)
        services.submit(found.admin, ret, version=ret.version)
    with django_assert_num_queries(8):
        r = client.get(URL)
    assert 'id="result-count">24 条' in r.content.decode()


def test_export(client, found):
    client.force_login(found.staff)
    audits = AuditRecord.objects.count()
    r = client.get(URL, {"severity": "warning", "export": "xlsx"})
    assert r["Content-Type"] == XLSX
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.values)
    assert rows[0][:4] == ("报告期", "企业", "统一社会信用代码", "规则代码")
    assert sorted(row[1] for row in rows[1:]) == sorted([found.a1.name, found.a2.name])
    assert rows[1][3] == "ratio-tax-revenue"
    assert AuditRecord.objects.count() == audits + 1
    assert AuditRecord.objects.latest("pk").action == "export"


def test_enterprise_user_only_theirs_in_export(client, found):
    client.force_login(found.enterprise)
    ws = load_workbook(io.BytesIO(client.get(URL, {"export": "xlsx"}).content)).active
    assert {row[1] for row in list(ws.values)[1:]} == {found.a1.name}


def test_query_and_close(client, found):
    warning = finding(found, "a1", "ratio-tax-revenue")
    client.force_login(found.staff)
    due = services.today() + datetime.timedelta(days=3)
    r = client.post(
        f"/statistics/findings/{warning.pk}/query/",
        {"due_on": due.isoformat(), "message": "请说明", "next": URL + "?severity=warning"},
    )
    assert (r.status_code, r["Location"]) == (302, URL + "?severity=warning")
    warning.refresh_from_db()
    assert (warning.status, warning.query_due_on) == ("queried", due)
    r = client.post(f"/statistics/findings/{warning.pk}/close/", {"note": "已核实"}, follow=True)
    assert "已关闭该审核发现" in r.content.decode()
    warning.refresh_from_db()
    assert warning.status == "closed"


def test_query_bad_input_changes_nothing(client, found):
    warning = finding(found, "a1", "ratio-tax-revenue")
    client.force_login(found.staff)
    before = state(warning)
    r = client.post(
        f"/statistics/findings/{warning.pk}/query/", {"due_on": "2019-01-01"}, follow=True
    )
    assert "回复期限应为今天或以后的日期" in r.content.decode()
    r = client.post(f"/statistics/findings/{warning.pk}/query/", {"due_on": "下周"}, follow=True)
    assert "输入一个有效的日期" in r.content.decode() or "Enter a valid date" in r.content.decode()
    error = finding(found, "a1", "required-employees")
    r = client.post(f"/statistics/findings/{error.pk}/close/", {}, follow=True)
    assert "错误类问题不能直接关闭,须由企业修改数据后重新报送" in r.content.decode()
    assert state(warning) == before
    assert Finding.objects.get(pk=error.pk).status == "open"


@pytest.mark.parametrize(
    ("role", "key"),
    [
        ("enterprise", "a1"),
        ("leader", "a1"),
        ("province", "a1"),
        ("staff", "b1"),
        ("enterprise", "a2"),
    ],
)
def test_query_and_close_refused_404(client, found, role, key):
    f = finding(found, key, "ratio-tax-revenue")
    client.force_login(found.users[role])
    before = state(f)
    due = (services.today() + datetime.timedelta(days=3)).isoformat()
    assert client.post(f"/statistics/findings/{f.pk}/query/", {"due_on": due}).status_code == 404
    assert client.post(f"/statistics/findings/{f.pk}/close/", {}).status_code == 404
    assert state(f) == before


def test_enterprise_explains(client, found):
    warning = finding(found, "a1", "ratio-tax-revenue")
    client.force_login(found.enterprise)
    r = client.post(f"/statistics/findings/{warning.pk}/explain/", {"explanation": "补缴税款"})
    assert r.status_code == 302
    warning.refresh_from_db()
    assert (warning.status, warning.explanation) == ("explained", "补缴税款")
    other = finding(found, "a2", "ratio-tax-revenue")
    before = state(other)
    assert (
        client.post(f"/statistics/findings/{other.pk}/explain/", {"explanation": "x"}).status_code
        == 404
    )
    assert state(other) == before
    r = client.post(f"/statistics/findings/{warning.pk}/explain/", {"explanation": ""}, follow=True)
    assert (
        "这个字段是必填项。" in r.content.decode()
        or "This field is required." in r.content.decode()
    )


def test_foreign_next_is_ignored(client, found):
    warning = finding(found, "a1", "ratio-tax-revenue")
    client.force_login(found.staff)
    r = client.post(f"/statistics/findings/{warning.pk}/close/", {"next": "https://evil.example/"})
    assert r["Location"] == URL


def test_users_without_findings_access(client, found):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    assert client.get(URL).status_code == 404
    assert client.get(URL.replace("findings", "nope")).status_code == 404
