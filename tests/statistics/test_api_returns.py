"""The returns endpoints: the list and one return per role, a new draft, edits with versions, the
workflow (submit, accept, send back, revise), who has not reported and reminders; bad input
answers with a Chinese message and changes nothing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gaoxin.core.models import AuditRecord
from gaoxin.statistics import services
from gaoxin.statistics.models import Reminder, Return, ReturnRevision, ReturnValue
from tests.support.api import ROLES
from tests.support.periods import PERIOD_FORMS
from tests.support.returns import GOOD

pytestmark = pytest.mark.django_db

D = datetime.date
# Returns each role sees of the `books` fixture.
VISIBLE = {
    "admin": {"a1", "a2", "b1", "c1"},
    "province": {"a1", "a2", "b1"},
    "zone_admin": {"a1", "a2"},
    "leader": {"a1", "a2"},
    "staff": {"a1", "a2"},
    "enterprise": {"a1"},
}
# token, memberships, count, the page's ids, its rows: whatever the page size.
LIST_QUERIES = 5


@pytest.fixture
def books(world):
    """Above-scale a1, a2 in zone A; a draft of a1 and a submitted return of a2 for 2019-03, and
    submitted ones of b1 (zone B) and c1 (zone C)."""
    for enterprise in (world.a1, world.a2, world.b1, world.c1):
        enterprise.above_scale = True
        enterprise.above_scale_since = D(2018, 6, 1)
        enterprise.save()
    returns = {}
    for key in ("a1", "a2", "b1", "c1"):
        enterprise = getattr(world, key)
        ret = services.return_for(world.admin, enterprise, 201903, create=True)
        ret = services.save_draft(world.admin, ret, data=GOOD, version=ret.version)
        if key != "a1":
            ret = services.submit(world.admin, ret, version=ret.version)
        returns[key] = ret
    world.returns = returns
    return world


def keys_of(world, items) -> set[str]:
    by_id = {r.pk: k for k, r in world.returns.items()}
    return {by_id.get(i["id"], i["id"]) for i in items}


def errors(r) -> list[tuple[str, str]]:
    return [(e["field"], e["message"]) for e in r.json()["errors"]]


def state(ret):
    r = Return.objects.get(pk=ret.pk)
    return (r.version, r.status, r.data, r.explanations, AuditRecord.objects.count())


# --- reading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_each_role_its_returns(books, api_as, role):
    r = api_as(role).get("/statistics/returns")
    assert r.status_code == 200, r.content
    body = r.json()
    assert keys_of(books, body["items"]) == VISIBLE[role]
    assert body["count"] == len(VISIBLE[role])


def test_list_item_shape(books, api_as):
    r = api_as("enterprise").get("/statistics/returns", period="2019-03")
    (item,) = r.json()["items"]
    ret = books.returns["a1"]
    assert item["id"] == ret.pk
    assert item["zone"] == "ZA"
    assert item["enterprise"] == {"id": books.a1.pk, "name": "甲一电子科技有限公司"}
    assert (item["period"], item["period_label"]) == ("2019-03", "2019年3月")
    assert (item["status"], item["status_name"]) == ("draft", "草稿")
    assert item["data"] == {
        "output_value": 1200,
        "revenue": 1150,
        "profit": 80,
        "industrial_tax": 40,
        "industrial_electricity": 60,
        "employees": 120,
        "rd_spending": 30,
    }
    assert item["version"] == 2


def test_list_filters(books, api_as):
    api = api_as("zone_admin")
    r = api.get("/statistics/returns", status="submitted")
    assert keys_of(books, r.json()["items"]) == {"a2"}
    r = api.get("/statistics/returns", enterprise=books.a1.pk)
    assert keys_of(books, r.json()["items"]) == {"a1"}
    assert api.get("/statistics/returns", period="2019-04").json()["count"] == 0
    r = api_as("admin").get("/statistics/returns", zone="ZB")
    assert keys_of(books, r.json()["items"]) == {"b1"}


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2019-01", "1 月免报:1–2 月合并为一期,请填写 2019-02"),
        ("2019/13", "报告期不正确:2019年13月"),
        ("abc", PERIOD_FORMS % "abc"),
    ],
)
def test_list_bad_period(books, api_as, period, message):
    r = api_as("zone_admin").get("/statistics/returns", period=period)
    assert r.status_code == 422
    assert errors(r) == [("period", message)]


def test_list_query_count_is_constant(books, api_as):
    api = api_as("admin")
    api.get("/statistics/returns")  # the token's last_used_at is written once, on first use
    counts = {}
    for size in (1, 3):
        with CaptureQueriesContext(connection) as ctx:
            r = api.get("/statistics/returns", page_size=size)
        assert len(r.json()["items"]) == size
        counts[size] = len(ctx.captured_queries)
    assert counts == {1: LIST_QUERIES, 3: LIST_QUERIES}


@pytest.mark.parametrize("role", ROLES)
def test_detail_per_role(books, api_as, role):
    for key, ret in books.returns.items():
        r = api_as(role).get(f"/statistics/returns/{ret.pk}")
        expected = 200 if key in VISIBLE[role] else 404
        assert r.status_code == expected, (role, key)
        if expected == 404:
            assert r.json()["detail"] == "未找到该月度报表"


def test_detail_has_findings_and_etag(books, api_as):
    ret = books.returns["a2"]
    r = api_as("staff").get(f"/statistics/returns/{ret.pk}")
    assert r.headers["ETag"] == f'"{ret.version}"'
    assert r.json()["findings"] == []
    assert api_as("staff").get("/statistics/returns/999999").status_code == 404


# --- creating and editing -------------------------------------------------------------------


def test_enterprise_user_creates_own_draft(books, api_as):
    r = api_as("enterprise").post(
        "/statistics/returns",
        {"period": "2019-04", "data": {"output_value": 1500.5, "exports": None}},
    )
    assert r.status_code == 201, r.content
    body = r.json()
    ret = Return.objects.get(pk=body["id"])
    assert (ret.enterprise_id, ret.period, ret.status) == (books.a1.pk, 201904, "draft")
    assert ret.data == {"output_value": "1500.5", "exports": None}
    assert body["data"] == {"output_value": 1500.5, "exports": None}
    assert r.headers["Location"] == f"/api/v1/statistics/returns/{ret.pk}"


def test_officer_creates_for_an_enterprise(books, api_as):
    r = api_as("staff").post(
        "/statistics/returns",
        {"enterprise_id": books.a2.pk, "period": "2019-02", "data": {"revenue": "300"}},
    )
    assert r.status_code == 201, r.content
    assert r.json()["period_label"] == "2019年1–2月"


@pytest.mark.parametrize(
    ("role", "target", "status"),
    [
        ("enterprise", "a2", 404),  # another enterprise: not visible
        ("staff", "b1", 404),  # another zone
        ("zone_admin", "c1", 404),
        ("leader", "a1", 403),  # reads, never writes
        ("province", "a1", 403),
    ],
)
def test_create_refused(books, api_as, role, target, status):
    count, audits = Return.objects.count(), AuditRecord.objects.count()
    body = {"enterprise_id": getattr(books, target).pk, "period": "2019-05", "data": GOOD}
    r = api_as(role).post("/statistics/returns", body)
    assert r.status_code == status, r.content
    assert (Return.objects.count(), AuditRecord.objects.count()) == (count, audits)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"period": "2019-01"}, [("period", "1 月免报:1–2 月合并为一期,请填写 2019-02")]),
        ({"period": "201913"}, [("period", "报告期不正确:2019年13月")]),
        ({"period": "2019-05", "data": {"gdp": 1}}, [("data.gdp", "未知的指标代码 gdp")]),
        (
            {"period": "2019-05", "data": {"revenue": "很多"}},
            [
                (
                    "data.revenue",
                    "营业收入:无法识别的金额「很多」:请填写数字,单位为万元(也可写 1.2亿、500万)",
                )
            ],
        ),
        ({"period": "2019-05", "data": {"revenue": True}}, None),
        (
            {"period": "2019-05", "data": {"revenue": "10000000000000000"}},
            [
                (
                    "data.revenue",
                    "营业收入:「10000000000000000」超出可填写的范围:整数部分最多 15 位(单位:万元),请检查单位",
                )
            ],
        ),
        ({"period": "2019-03"}, [("period", "该企业本期报表已存在(编号 {a1}),请修改原报表")]),
        ({"period": "2099-05"}, [("period", "不能填报未来月份的报表")]),
        ({"period": "2019-05", "extra": 1}, [("extra", "不支持的字段")]),
    ],
)
def test_create_bad_input(books, api_as, body, expected):
    count, audits = Return.objects.count(), AuditRecord.objects.count()
    r = api_as("enterprise").post("/statistics/returns", body)
    assert r.status_code == 422, r.content
    if expected is not None:
        assert errors(r) == [(f, m.format(a1=books.returns["a1"].pk)) for f, m in expected]
    assert (Return.objects.count(), AuditRecord.objects.count()) == (count, audits)


def test_officer_must_name_the_enterprise(books, api_as):
    r = api_as("staff").post("/statistics/returns", {"period": "2019-05"})
    assert r.status_code == 422
    assert errors(r) == [("enterprise_id", "请指定企业编号 enterprise_id")]


def test_patch_merges_figures_and_bumps_version(books, api_as):
    ret = books.returns["a1"]
    r = api_as("enterprise").patch(
        f"/statistics/returns/{ret.pk}",
        {"version": ret.version, "data": {"revenue": 1160, "exports": "12.5"}},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["version"] == ret.version + 1
    assert body["data"]["revenue"] == 1160
    assert body["data"]["exports"] == 12.5
    assert body["data"]["output_value"] == 1200


def test_patch_with_if_match(books, api_as):
    ret = books.returns["a1"]
    r = api_as("staff").patch(
        f"/statistics/returns/{ret.pk}",
        {"data": {"profit": -5}},
        headers={"If-Match": f'"{ret.version}"'},
    )
    assert r.status_code == 200, r.content
    assert r.json()["data"]["profit"] == -5


def test_patch_stale_version_is_409_and_changes_nothing(books, api_as):
    ret = books.returns["a1"]
    before = state(ret)
    r = api_as("enterprise").patch(
        f"/statistics/returns/{ret.pk}", {"version": ret.version - 1, "data": {"revenue": 1}}
    )
    assert r.status_code == 409
    assert r.json()["current_version"] == ret.version
    assert state(ret) == before


def test_patch_needs_a_version(books, api_as):
    ret = books.returns["a1"]
    r = api_as("enterprise").patch(f"/statistics/returns/{ret.pk}", {"data": {"revenue": 1}})
    assert r.status_code == 422
    assert errors(r)[0][0] == "version"


@pytest.mark.parametrize(
    ("role", "key", "status"),
    [
        ("enterprise", "a2", 404),
        ("staff", "b1", 404),
        ("zone_admin", "c1", 404),
        ("leader", "a1", 403),
        ("province", "a1", 403),
    ],
)
def test_patch_refused(books, api_as, role, key, status):
    ret = books.returns[key]
    before = state(ret)
    r = api_as(role).patch(
        f"/statistics/returns/{ret.pk}", {"version": ret.version, "data": {"revenue": 1}}
    )
    assert r.status_code == status
    assert state(ret) == before


def test_patch_unknown_code_and_submitted_return(books, api_as):
    ret = books.returns["a1"]
    before = state(ret)
    r = api_as("enterprise").patch(
        f"/statistics/returns/{ret.pk}", {"version": ret.version, "data": {"nope": 1}}
    )
    assert (r.status_code, errors(r)) == (422, [("data.nope", "未知的指标代码 nope")])
    assert state(ret) == before
    sub = books.returns["a2"]
    r = api_as("staff").patch(
        f"/statistics/returns/{sub.pk}", {"version": sub.version, "data": {"revenue": 1}}
    )
    assert r.status_code == 422
    assert errors(r) == [("status", "报表已报送,不能再保存草稿;如需更正请提交修订并说明理由")]


# --- the workflow -----------------------------------------------------------------------------


def test_submit_accept_and_publish(books, api_as):
    ret = books.returns["a1"]
    r = api_as("enterprise").post(f"/statistics/returns/{ret.pk}/submit", {"version": ret.version})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "submitted"
    r = api_as("staff").post(f"/statistics/returns/{ret.pk}/accept", {"version": body["version"]})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "accepted"
    assert ReturnValue.objects.filter(ret_id=ret.pk).count() == 7


@pytest.mark.parametrize("role", ["enterprise", "leader", "province"])
def test_only_officers_accept_or_send_back(books, api_as, role):
    ret = books.returns["a2"] if role != "enterprise" else books.returns["a1"]
    before = state(ret)
    for action, body in (("accept", {}), ("send-back", {"reason": "数据有误"})):
        r = api_as(role).post(
            f"/statistics/returns/{ret.pk}/{action}", {"version": ret.version, **body}
        )
        assert r.status_code == 403, (action, r.content)
    assert state(ret) == before


def test_send_back_needs_a_reason(books, api_as):
    ret = books.returns["a2"]
    before = state(ret)
    api = api_as("zone_admin")
    r = api.post(f"/statistics/returns/{ret.pk}/send-back", {"version": ret.version})
    assert (r.status_code, errors(r)) == (422, [("reason", "请填写退回理由")])
    assert state(ret) == before
    r = api.post(
        f"/statistics/returns/{ret.pk}/send-back", {"version": ret.version, "reason": "产值偏低"}
    )
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["returned_reason"]) == ("returned", "产值偏低")


def test_accept_stale_version(books, api_as):
    ret = books.returns["a2"]
    before = state(ret)
    r = api_as("staff").post(f"/statistics/returns/{ret.pk}/accept", {"version": 1})
    assert r.status_code == 409
    assert state(ret) == before


def test_accept_a_draft_is_refused(books, api_as):
    ret = books.returns["a1"]
    r = api_as("staff").post(f"/statistics/returns/{ret.pk}/accept", {"version": ret.version})
    assert r.status_code == 422
    assert errors(r) == [("status", "只有已报送的报表可以审核通过(当前:草稿)")]


def test_revise_keeps_history(books, api_as):
    ret = books.returns["a2"]
    api = api_as("staff")
    r = api.post(f"/statistics/returns/{ret.pk}/accept", {"version": ret.version})
    version = r.json()["version"]
    revisions = ReturnRevision.objects.filter(ret_id=ret.pk).count()
    r = api.post(
        f"/statistics/returns/{ret.pk}/revise", {"version": version, "data": {"revenue": 1160}}
    )
    assert (r.status_code, errors(r)) == (422, [("reason", "请填写修订理由")])
    r = api.post(
        f"/statistics/returns/{ret.pk}/revise",
        {"version": version, "data": {"revenue": 1160}, "reason": "财务口径更正"},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["status"], body["revision"], body["data"]["revenue"]) == ("submitted", 1, 1160)
    assert ReturnRevision.objects.filter(ret_id=ret.pk).count() == revisions + 1


def test_action_on_other_zone_is_404(books, api_as):
    ret = books.returns["b1"]
    before = state(ret)
    for action, extra in (
        ("submit", {}),
        ("accept", {}),
        ("send-back", {"reason": "x"}),
        ("revise", {"reason": "x", "data": {"revenue": 1}}),
    ):
        r = api_as("staff").post(
            f"/statistics/returns/{ret.pk}/{action}", {"version": ret.version, **extra}
        )
        assert r.status_code == 404, action
    assert state(ret) == before


# --- who has not reported, reminders -----------------------------------------------------------


def test_missing_lists_unreported(books, api_as):
    r = api_as("staff").get("/statistics/missing", period="2019-03")
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["zone"], body["period"], body["due_on"]) == ("ZA", "2019-03", "2019-04-08")
    assert (body["expected"], body["reported"]) == (2, 1)
    (item,) = body["items"]
    assert item["enterprise"]["id"] == books.a1.pk
    assert (item["status"], item["status_name"], item["reminders"]) == ("draft", "草稿", 0)
    r = api_as("staff").get("/statistics/missing", period="2019-04")
    assert [i["status"] for i in r.json()["items"]] == [None, None]
    assert r.json()["items"][0]["status_name"] == "未填报"


@pytest.mark.parametrize("role", ["admin", "province", "zone_admin", "leader", "staff"])
def test_missing_readers(books, api_as, role):
    r = api_as(role).get("/statistics/missing", period="2019-03", zone="ZA")
    assert r.status_code == 200


def test_missing_refused_and_bad(books, api_as):
    assert api_as("enterprise").get("/statistics/missing", period="2019-03").status_code == 403
    r = api_as("staff").get("/statistics/missing", period="2019-03", zone="ZC")
    assert (r.status_code, errors(r)) == (422, [("zone", "未找到园区代码 ZC")])
    r = api_as("staff").get("/statistics/missing", period="2019-01")
    assert r.status_code == 422


def test_reminders(books, api_as):
    api = api_as("staff")
    r = api.post("/statistics/reminders", {"period": "2019-03"})
    assert (r.status_code, r.json()) == (200, {"sent": 1})
    reminder = Reminder.objects.get()
    assert (reminder.enterprise_id, reminder.period) == (books.a1.pk, 201903)
    r = api.post("/statistics/reminders", {"period": "2019-04", "enterprise_ids": [books.a2.pk]})
    assert r.json() == {"sent": 1}
    r = api.get("/statistics/missing", period="2019-03")
    assert r.json()["items"][0]["reminders"] == 1


@pytest.mark.parametrize("role", ["enterprise", "leader", "province"])
def test_reminders_refused(books, api_as, role):
    audits = AuditRecord.objects.count()
    r = api_as(role).post("/statistics/reminders", {"zone": "ZA", "period": "2019-03"})
    assert (r.status_code, r.json()["detail"]) == (403, "只有经济发展局工作人员可以催报")
    assert (Reminder.objects.count(), AuditRecord.objects.count()) == (0, audits)
