"""The findings endpoints: the list per role and its filters, the enterprise's explanation, a
query with a deadline and closing a warning; refusals change nothing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gaoxin.core.models import AuditRecord
from gaoxin.statistics import services
from gaoxin.statistics.models import Finding
from tests.support.api import ROLES

pytestmark = pytest.mark.django_db

D = datetime.date
# Tax is 40% of revenue (a warning); employees missing (an error).
ODD = {
    "output_value": "1200",
    "revenue": "1000",
    "industrial_tax": "400",
    "industrial_electricity": "60",
}
VISIBLE = {
    "admin": {"a1", "a2", "b1"},
    "province": {"a1", "a2", "b1"},
    "zone_admin": {"a1", "a2"},
    "leader": {"a1", "a2"},
    "staff": {"a1", "a2"},
    "enterprise": {"a1"},
}
LIST_QUERIES = 5  # token, memberships, count, the page's ids, its rows


@pytest.fixture
def found(world):
    """Submitted 2019-03 returns of a1, a2 and b1, each with a tax warning and an employees
    error."""
    rets = {}
    for key in ("a1", "a2", "b1"):
        ret = services.return_for(world.admin, getattr(world, key), 201903, create=True)
        ret = services.save_draft(world.admin, ret, data=ODD, version=ret.version)
        rets[key] = services.submit(world.admin, ret, version=ret.version)
    world.rets = rets
    return world


def finding(world, key, rule_code) -> Finding:
    return Finding.objects.get(ret=world.rets[key], rule_code=rule_code)


def errors(r):
    return [(e["field"], e["message"]) for e in r.json()["errors"]]


def state(f):
    f = Finding.objects.get(pk=f.pk)
    return (f.status, f.explanation, f.query_due_on, f.closed_at, AuditRecord.objects.count())


@pytest.mark.parametrize("role", ROLES)
def test_list_per_role(found, api_as, role):
    r = api_as(role).get("/statistics/findings")
    assert r.status_code == 200, r.content
    by_ret = {v.pk: k for k, v in found.rets.items()}
    assert {by_ret[i["return_id"]] for i in r.json()["items"]} == VISIBLE[role]


def test_item_shape_and_filters(found, api_as):
    api = api_as("staff")
    r = api.get("/statistics/findings", severity="warning", enterprise=found.a1.pk)
    (item,) = r.json()["items"]
    f = finding(found, "a1", "ratio-tax-revenue")
    assert item["id"] == f.pk
    assert item["zone"] == "ZA"
    assert item["enterprise"] == {"id": found.a1.pk, "name": "甲一电子科技有限公司"}
    assert (item["period"], item["rule_code"], item["kind"]) == (
        "2019-03",
        "ratio-tax-revenue",
        "ratio",
    )
    assert (item["indicator"], item["indicator_name"]) == ("industrial_tax", "税金总额")
    assert (item["severity"], item["severity_name"]) == ("warning", "警告")
    assert (item["status"], item["status_name"]) == ("open", "待处理")
    assert item["message"] == f.message
    r = api.get("/statistics/findings", kind="required", indicator="employees")
    assert {i["rule_code"] for i in r.json()["items"]} == {"required-employees"}
    assert r.json()["count"] == 2
    assert api.get("/statistics/findings", period="2019-04").json()["count"] == 0
    r = api.get("/statistics/findings", period="2019-01")
    assert r.status_code == 422


def test_closed_ones_only_on_request(found, api_as):
    f = finding(found, "a1", "ratio-tax-revenue")
    services.close_finding(found.staff, f, note="核实无误")
    api = api_as("staff")
    ids = {i["id"] for i in api.get("/statistics/findings").json()["items"]}
    assert f.pk not in ids
    ids = {i["id"] for i in api.get("/statistics/findings", status="closed").json()["items"]}
    assert ids == {f.pk}
    assert f.pk in {i["id"] for i in api.get("/statistics/findings", status="all").json()["items"]}


def test_list_query_count(found, api_as):
    api = api_as("admin")
    api.get("/statistics/findings")
    counts = {}
    for size in (1, 5):
        with CaptureQueriesContext(connection) as ctx:
            r = api.get("/statistics/findings", page_size=size)
        assert len(r.json()["items"]) == size
        counts[size] = len(ctx.captured_queries)
    assert counts == {1: LIST_QUERIES, 5: LIST_QUERIES}


def test_enterprise_explains_its_warning(found, api_as):
    f = finding(found, "a1", "ratio-tax-revenue")
    r = api_as("enterprise").post(
        f"/statistics/findings/{f.pk}/explain", {"text": "本月补缴上年税款"}
    )
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["explanation"]) == ("explained", "本月补缴上年税款")


@pytest.mark.parametrize(
    ("role", "key", "status"),
    [
        ("enterprise", "a2", 404),
        ("staff", "b1", 404),
        ("leader", "a1", 403),
        ("province", "a1", 403),
    ],
)
def test_explain_refused(found, api_as, role, key, status):
    f = finding(found, key, "ratio-tax-revenue")
    before = state(f)
    r = api_as(role).post(f"/statistics/findings/{f.pk}/explain", {"text": "说明"})
    assert r.status_code == status
    assert state(f) == before


def test_explain_needs_text(found, api_as):
    f = finding(found, "a1", "ratio-tax-revenue")
    before = state(f)
    r = api_as("enterprise").post(f"/statistics/findings/{f.pk}/explain", {"text": "  "})
    assert (r.status_code, errors(r)) == (422, [("explanation", "请填写情况说明")])
    assert state(f) == before


def test_officer_sends_a_query(found, api_as):
    f = finding(found, "a1", "required-employees")
    due = services.today() + datetime.timedelta(days=5)
    r = api_as("staff").post(
        f"/statistics/findings/{f.pk}/query", {"due_on": due.isoformat(), "message": "请补报"}
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["status"], body["query_due_on"]) == ("queried", due.isoformat())


@pytest.mark.parametrize(
    ("role", "key", "status"),
    [
        ("enterprise", "a1", 403),
        ("leader", "a1", 403),
        ("province", "a1", 403),
        ("staff", "b1", 404),
        ("zone_admin", "b1", 404),
    ],
)
def test_query_and_close_refused(found, api_as, role, key, status):
    f = finding(found, key, "ratio-tax-revenue")
    before = state(f)
    due = (services.today() + datetime.timedelta(days=5)).isoformat()
    assert (
        api_as(role).post(f"/statistics/findings/{f.pk}/query", {"due_on": due}).status_code
        == status
    )
    assert api_as(role).post(f"/statistics/findings/{f.pk}/close", {}).status_code == status
    assert state(f) == before


def test_query_bad_date(found, api_as):
    f = finding(found, "a1", "required-employees")
    before = state(f)
    api = api_as("staff")
    r = api.post(f"/statistics/findings/{f.pk}/query", {"due_on": "2019-01-01"})
    assert (r.status_code, errors(r)) == (422, [("due_on", "回复期限应为今天或以后的日期")])
    r = api.post(f"/statistics/findings/{f.pk}/query", {"due_on": "明天"})
    assert (r.status_code, errors(r)) == (422, [("due_on", "日期格式应为 YYYY-MM-DD")])
    assert state(f) == before


def test_close_warning_but_not_error(found, api_as):
    api = api_as("zone_admin")
    warning = finding(found, "a1", "ratio-tax-revenue")
    r = api.post(f"/statistics/findings/{warning.pk}/close", {"note": "已核实"})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "closed"
    error = finding(found, "a1", "required-employees")
    before = state(error)
    r = api.post(f"/statistics/findings/{error.pk}/close", {})
    assert r.status_code == 422
    assert errors(r) == [("status", "错误类问题不能直接关闭,须由企业修改数据后重新报送")]
    assert state(error) == before
    assert api.post("/statistics/findings/999999/close", {}).status_code == 404
