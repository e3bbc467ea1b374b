"""The matters endpoints: the list per role and its filters, raising a matter (officers any kind,
enterprises help requests), the detail with its timeline, PATCH of several changes in one
transaction (409 stale), comments, rating and escalation; refusals change nothing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gaoxin.core.models import AuditRecord
from gaoxin.matters import catalogue, services
from gaoxin.matters.models import Category, Kind, Matter, MatterEvent
from tests.support.api import ROLES

pytestmark = pytest.mark.django_db
LIST_QUERIES = 6


@pytest.fixture
def book(world):
    """ZA: help requests of a1 (routed to dept_a) and a2, an internal scheduling problem about
    a1; ZB: a help request of b1."""
    catalogue.ensure_categories(world.zone_a)
    funding = Category.objects.get(zone=world.zone_a, kind=Kind.HELP, code="funding")
    funding.department = world.dept_a
    funding.save()
    world.funding = funding
    world.m1 = services.create_matter(
        world.enterprise, None, kind="help", category=funding.pk, title="流动资金紧张"
    )
    world.m2 = services.create_matter(
        world.zone_admin, world.zone_a, kind="help", category=funding, title="招工难",
        enterprise=world.a2,
    )  # fmt: skip
    world.m3 = services.create_matter(
        world.zone_admin, world.zone_a, kind="scheduling", title="用地指标未落实",
        enterprise=world.a1,
    )  # fmt: skip
    catalogue.ensure_categories(world.zone_b)
    world.mb = services.create_matter(
        world.admin, world.zone_b, kind="help", title="缺少原料", enterprise=world.b1,
        category=catalogue.standard(world.zone_b, Kind.HELP, "supplies"),
    )  # fmt: skip
    return world


def numbers(r) -> set[str]:
    assert r.status_code == 200, r.content
    return {i["title"] for i in r.json()["items"]}


def errors(r) -> dict:
    return {e["field"]: e["message"] for e in r.json()["errors"]}


def state(m):
    m = Matter.objects.get(pk=m.pk)
    return (
        m.version, m.status, m.title, m.due_on, m.department_id, m.officer_id, m.rating,
        m.escalated_at, MatterEvent.objects.filter(matter=m).count(), AuditRecord.objects.count(),
    )  # fmt: skip


ZA = {"流动资金紧张", "招工难", "用地指标未落实"}
VISIBLE = {
    "admin": ZA,
    "province": ZA,
    "zone_admin": ZA,
    "leader": ZA,
    "staff": ZA,
    "enterprise": {"流动资金紧张"},
}


@pytest.mark.parametrize("role", ROLES)
def test_list_per_role(book, api_as, role):
    assert numbers(api_as(role).get("/matters", zone="ZA")) == VISIBLE[role]


def test_list_zone_and_unknown_zone(book, api_as):
    assert numbers(api_as("province").get("/matters", zone="ZB")) == {"缺少原料"}
    r = api_as("zone_admin").get("/matters", zone="ZB")
    assert r.status_code == 422 and "ZB" in errors(r)["zone"]
    # Without a zone: the one the user works in.
    assert numbers(api_as("staff").get("/matters")) == ZA


def test_item_shape(book, api_as):
    r = api_as("staff").get("/matters", q="流动资金")
    (item,) = r.json()["items"]
    assert item["number"].startswith("BF-") and item["kind_name"] == "帮扶诉求"
    assert item["enterprise"] == {"id": book.a1.pk, "name": "甲一电子科技有限公司"}
    assert item["department"] == {"id": book.dept_a.pk, "name": "经济发展局"}
    assert item["category"]["name"] == "资金" and item["status"] == "open"
    assert item["light"] == "green" and item["light_name"] == "正常"
    assert item["zone"] == "ZA" and item["version"] == 1


def test_filters(book, api_as):
    api = api_as("zone_admin")
    today = timezone.localdate()
    Matter.objects.filter(pk=book.m2.pk).update(due_on=today - datetime.timedelta(days=1))
    Matter.objects.filter(pk=book.m3.pk).update(due_on=today + datetime.timedelta(days=2))
    assert numbers(api.get("/matters", light="red")) == {"招工难"}
    assert numbers(api.get("/matters", light="yellow")) == {"用地指标未落实"}
    assert numbers(api.get("/matters", light="green")) == {"流动资金紧张"}
    assert numbers(api.get("/matters", kind="scheduling")) == {"用地指标未落实"}
    assert numbers(api.get("/matters", department="none")) == {"用地指标未落实"}
    assert numbers(api.get("/matters", department=book.dept_a.pk)) == {"流动资金紧张", "招工难"}
    assert numbers(api.get("/matters", enterprise=book.a2.pk)) == {"招工难"}
    assert numbers(api.get("/matters", category=book.funding.pk)) == {"流动资金紧张", "招工难"}
    assert numbers(api.get("/matters", status=["open", "assigned"])) == ZA
    assert numbers(api.get("/matters", q="BF-")) == {"流动资金紧张", "招工难"}
    assert numbers(api.get("/matters", created_from=today.isoformat())) == ZA
    assert numbers(api.get("/matters", created_to="2000-01-01")) == set()
    services.escalate(book.staff, book.m2, reason="企业催办")
    assert numbers(api.get("/matters", escalated=1)) == {"招工难"}
    m1 = services.resolve(book.staff, book.m1, version=1, resolution="已对接银行")
    services.rate(book.enterprise, m1, rating=4, comment="")
    assert numbers(api.get("/matters", closed_from=today.isoformat())) == {"流动资金紧张"}
    assert numbers(api.get("/matters", rated=1)) == {"流动资金紧张"}
    assert numbers(api.get("/matters", rating=4)) == {"流动资金紧张"}
    assert numbers(api.get("/matters", rating=5)) == set()
    assert numbers(api.get("/matters", light="done")) == {"流动资金紧张"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"department": "x"}, "department"),
        ({"light": "blue"}, "light"),
        ({"status": "gone"}, "status"),
        ({"created_from": "2026-13-01"}, "created_from"),
        ({"rating": 6}, "rating"),
        ({"kind": "other"}, "kind"),
    ],
)
def test_bad_filters_answer_422(book, api_as, params, field):
    r = api_as("staff").get("/matters", **params)
    assert r.status_code == 422 and field in errors(r)


def test_list_query_count_is_fixed(book, api_as):
    api = api_as("staff")
    for i in range(6):
        services.create_matter(
            book.zone_admin, book.zone_a, kind="help", category=book.funding,
            title=f"诉求{i}", enterprise=book.a2, officer=book.staff, helpers=[book.zone_admin],
        )  # fmt: skip
    with CaptureQueriesContext(connection) as ctx:
        r = api.get("/matters")
    assert r.status_code == 200 and r.json()["count"] == 9
    # auth (token, user, memberships) + count + rows + helpers
    assert len(ctx.captured_queries) <= LIST_QUERIES + 3, [q["sql"] for q in ctx]


def test_paging(book, api_as):
    r = api_as("staff").get("/matters", page_size=2, page=2)
    body = r.json()
    assert (body["count"], body["page"], body["page_size"], len(body["items"])) == (3, 2, 2, 1)


def test_anonymous_is_401(anonymous):
    assert anonymous.get("/matters").status_code == 401
    assert anonymous.post("/matters", {"kind": "help", "title": "x"}).status_code == 401


# --- create ------------------------------------------------------------------------------


def test_officer_creates_with_owner(book, api_as):
    body = {
        "kind": "visit", "title": "走访发现厂房漏水", "enterprise": book.a2.pk,
        "officer": book.staff.pk, "helpers": [book.zone_admin.pk], "priority": "high",
        "channel": "visit", "due_on": "2099-01-04",
    }  # fmt: skip
    r = api_as("zone_admin").post("/matters", body)
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["number"].startswith("ZF-") and out["status"] == "assigned"
    assert out["officer"]["id"] == book.staff.pk and out["department"]["id"] == book.dept_a.pk
    assert [h["id"] for h in out["helpers"]] == [book.zone_admin.pk]
    assert out["due_on"] == "2099-01-04" and out["priority"] == "high"
    assert [e["type"] for e in out["timeline"]] == ["created"]
    assert r["ETag"] == '"1"'
    m = Matter.objects.get(pk=out["id"])
    assert AuditRecord.objects.for_object(m).filter(action="create").count() == 1


def test_enterprise_raises_a_help_request(book, api_as):
    body = {"kind": "help", "title": "返岗员工核酸检测", "category": book.funding.pk,
            "enterprise": book.a2.pk, "department": 999}  # fmt: skip
    r = api_as("enterprise").post("/matters", body)
    assert r.status_code == 201, r.content
    out = r.json()
    # Zone and enterprise are its own; routed by the category.
    assert out["zone"] == "ZA" and out["enterprise"]["id"] == book.a1.pk
    assert out["department"]["id"] == book.dept_a.pk and out["channel"] == "platform"


def test_create_refusals_change_nothing(book, api_as):
    count, audits = Matter.objects.count(), AuditRecord.objects.count()
    r = api_as("enterprise").post("/matters", {"kind": "scheduling", "title": "x"})
    assert r.status_code == 403 and "帮扶诉求" in r.json()["detail"]
    r = api_as("enterprise").post("/matters", {"kind": "help", "title": "x"})
    assert r.status_code == 422 and errors(r)["category"] == "请选择帮扶措施类别"
    body = {"kind": "help", "title": "x", "category": book.funding.pk, "enterprise": book.a1.pk}
    r = api_as("province").post("/matters", {**body, "zone": "ZA"})
    assert r.status_code == 403
    r = api_as("leader").post("/matters", body)
    assert r.status_code == 403
    r = api_as("staff").post("/matters", {**body, "enterprise": book.b1.pk})
    assert r.status_code == 422 and "本园区" in errors(r)["enterprise"]
    r = api_as("staff").post("/matters", {**body, "due_on": "2000-01-01"})
    assert r.status_code == 422 and "due_on" in errors(r)
    r = api_as("staff").post("/matters", {**body, "working_group": 12345})
    assert r.status_code == 422 and "working_group" in errors(r)
    r = api_as("staff").post("/matters", {**body, "colour": "red"})
    assert r.status_code == 422 and errors(r)["colour"] == "不支持的字段"
    r = api_as("staff").post("/matters", {**body, "title": " "})
    assert r.status_code == 422 and errors(r)["title"] == "请填写标题"
    r = api_as("staff").post("/matters", {**body, "kind": "agency"})
    assert r.status_code == 422
    assert (Matter.objects.count(), AuditRecord.objects.count()) == (count, audits)


# --- detail ------------------------------------------------------------------------------


def test_detail_and_internal_notes(book, api_as):
    services.comment(book.staff, book.m1, text="内部:先联系银行", internal=True)
    services.comment(book.staff, book.m1, text="已受理,正在对接")
    r = api_as("staff").get(f"/matters/{book.m1.pk}")
    assert r.status_code == 200 and r["ETag"] == '"1"'
    assert [e["text"] for e in r.json()["timeline"]][1:] == ["内部:先联系银行", "已受理,正在对接"]
    r = api_as("enterprise").get(f"/matters/{book.m1.pk}")
    assert [e["text"] for e in r.json()["timeline"]][1:] == ["已受理,正在对接"]
    assert r.json()["approval_items"] == []


@pytest.mark.parametrize(
    ("role", "key"), [("enterprise", "m2"), ("enterprise", "m3"), ("staff", "mb")]
)
def test_detail_outside_scope_is_404(book, api_as, role, key):
    r = api_as(role).get(f"/matters/{getattr(book, key).pk}")
    assert r.status_code == 404 and r.json()["detail"] == "未找到该事项"


def test_missing_id_is_404(book, api_as):
    assert api_as("admin").get("/matters/99999999").status_code == 404
    assert api_as("admin").get(f"/matters/{2**63}").status_code == 404


# --- patch -------------------------------------------------------------------------------


def test_patch_several_changes_at_once(book, api_as):
    due = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    body = {
        "version": 1, "title": "流动资金紧张(续贷)", "priority": "urgent",
        "department": book.dept_a.pk, "officer": book.staff.pk, "helpers": [book.zone_admin.pk],
        "due_on": due, "due_reason": "银行审批周期长", "status": "in_progress",
    }  # fmt: skip
    r = api_as("staff").patch(f"/matters/{book.m1.pk}", body)
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["title"] == "流动资金紧张(续贷)" and out["priority"] == "urgent"
    assert out["officer"]["id"] == book.staff.pk and out["status"] == "in_progress"
    assert out["due_on"] == due and out["version"] > 1 and r["ETag"] == f'"{out["version"]}"'
    types = [e["type"] for e in out["timeline"]]
    # A move to an active status comes first, a move to a done one last.
    assert types == ["created", "status", "update", "assign", "due"]
    # Resolve with the result, by If-Match.
    r = api_as("staff").patch(
        f"/matters/{book.m1.pk}",
        {"status": "resolved", "text": "已对接银行,获贷 200 万元"},
        headers={"If-Match": f'"{out["version"]}"'},
    )
    assert r.status_code == 200 and r.json()["status"] == "resolved"
    assert r.json()["resolution"] == "已对接银行,获贷 200 万元" and r.json()["light"] == "done"


def test_patch_reopen_then_assign(book, api_as):
    m = services.resolve(book.staff, book.m2, version=1, resolution="已推荐人力资源公司")
    body = {"version": m.version, "status": "reopened", "text": "仍缺 20 名工人",
            "officer": book.staff.pk}  # fmt: skip
    r = api_as("zone_admin").patch(f"/matters/{m.pk}", body)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "reopened"
    assert r.json()["officer"]["id"] == book.staff.pk


def test_patch_is_all_or_nothing(book, api_as):
    before = state(book.m1)
    # The title would change, then resolving without a result fails: nothing is kept.
    r = api_as("staff").patch(
        f"/matters/{book.m1.pk}", {"version": 1, "title": "新标题", "status": "resolved"}
    )
    assert r.status_code == 422 and errors(r)["resolution"] == "办结须填写办理结果"
    assert state(book.m1) == before


@pytest.mark.parametrize(
    ("role", "body", "status", "field"),
    [
        ("staff", {"version": 9, "title": "x"}, 409, "version"),
        ("staff", {"title": "x"}, 422, "version"),
        ("leader", {"version": 1, "title": "x"}, 403, None),
        ("province", {"version": 1, "title": "x"}, 403, None),
        ("enterprise", {"version": 1, "title": "x"}, 403, None),
        ("enterprise", {"version": 1, "status": "resolved", "text": "好了"}, 403, None),
        ("staff", {"version": 1, "text": "x"}, 422, "text"),
        ("staff", {"version": 1, "due_on": "2000-01-01", "due_reason": "x"}, 422, "due_on"),
        ("staff", {"version": 1, "due_on": "2099-01-01"}, 422, "reason"),
        ("staff", {"version": 1, "due_reason": "x"}, 422, "due_reason"),
        ("staff", {"version": 1, "status": "closed"}, 422, "status"),
        ("staff", {"version": 1, "status": "nope"}, 422, "status"),
        ("staff", {"version": 1, "department": 999999}, 422, "department"),
        ("staff", {"version": 1, "officer": 999999}, 422, "officer"),
        ("staff", {"version": 1, "category": 999999}, 422, "category"),
        ("staff", {"version": 1, "number": "x"}, 422, "number"),
    ],
)
def test_patch_refusals_change_nothing(book, api_as, role, body, status, field):
    before = state(book.m1)
    r = api_as(role).patch(f"/matters/{book.m1.pk}", body)
    assert r.status_code == status, r.content
    if field:
        assert field in errors(r), r.json()
    if status == 409:
        assert r.json()["current_version"] == 1
    assert state(book.m1) == before


def test_patch_outside_scope_is_404(book, api_as):
    before = state(book.m3)
    r = api_as("enterprise").patch(f"/matters/{book.m3.pk}", {"version": 1, "status": "withdrawn",
                                                              "text": "不需要了"})  # fmt: skip
    assert r.status_code == 404 and state(book.m3) == before


def test_enterprise_withdraws_its_request(book, api_as):
    r = api_as("enterprise").patch(
        f"/matters/{book.m1.pk}", {"version": 1, "status": "withdrawn", "text": "已自行解决"}
    )
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    assert r.json()["light"] == "done"


# --- comments, rating, escalation -----------------------------------------------------------


def test_comments(book, api_as):
    r = api_as("enterprise").post(f"/matters/{book.m1.pk}/comments", {"text": "请尽快联系"})
    assert r.status_code == 201 and r.json()["type"] == "comment"
    assert r.json()["actor_name"] and r.json()["internal"] is False
    r = api_as("leader").post(f"/matters/{book.m1.pk}/comments", {"text": "请经发局加快办理"})
    assert r.status_code == 201
    r = api_as("staff").post(f"/matters/{book.m1.pk}/comments", {"text": "内部", "internal": True})
    assert r.status_code == 201 and r.json()["internal"] is True


@pytest.mark.parametrize(
    ("role", "key", "body", "status"),
    [
        ("enterprise", "m1", {"text": "x", "internal": True}, 403),
        ("enterprise", "m2", {"text": "x"}, 404),
        ("province", "m1", {"text": "x"}, 403),
        ("staff", "m1", {"text": "  "}, 422),
        ("staff", "m1", {}, 422),
        ("staff", "mb", {"text": "x"}, 404),
    ],
)
def test_comment_refusals(book, api_as, role, key, body, status):
    m = getattr(book, key)
    before = state(m)
    r = api_as(role).post(f"/matters/{m.pk}/comments", body)
    assert r.status_code == status, r.content
    assert r.json()["detail"]
    assert state(m) == before


def test_rating(book, api_as):
    url = f"/matters/{book.m1.pk}/rating"
    before = state(book.m1)
    r = api_as("enterprise").post(url, {"rating": 5})
    assert r.status_code == 422 and errors(r)["rating"] == "事项办结后才能评价"
    assert state(book.m1) == before
    services.resolve(book.staff, book.m1, version=1, resolution="已办结")
    before = state(book.m1)
    for role, body, status, field in (
        ("staff", {"rating": 5}, 403, None),
        ("enterprise", {"rating": 6}, 422, "rating"),
        ("enterprise", {"rating": "five"}, 422, "rating"),
        ("enterprise", {"rating": 1}, 422, "comment"),
    ):
        r = api_as(role).post(url, body)
        assert r.status_code == status, (body, r.content)
        if field:
            assert field in errors(r)
        assert state(book.m1) == before
    r = api_as("enterprise").post(url, {"rating": 4, "comment": "办理及时"})
    assert r.status_code == 200
    out = r.json()
    assert (out["rating"], out["rating_comment"], out["status"]) == (4, "办理及时", "closed")
    r = api_as("enterprise").post(url, {"rating": 5})
    assert r.status_code == 422 and errors(r)["rating"] == "该事项已评价"


def test_escalate(book, api_as):
    url = f"/matters/{book.m2.pk}/escalate"
    before = state(book.m2)
    assert api_as("enterprise").post(url, {"reason": "x"}).status_code == 404
    assert api_as("leader").post(url, {"reason": "x"}).status_code == 403
    r = api_as("staff").post(url, {"reason": " "})
    assert r.status_code == 422 and errors(r)["reason"] == "升级督办须说明原因"
    assert state(book.m2) == before
    r = api_as("staff").post(url, {"reason": "企业多次催办"})
    assert r.status_code == 200 and r.json()["escalated_at"] and r.json()["priority"] == "high"
    assert r.json()["timeline"][-1]["type"] == "escalate"
    r = api_as("staff").post(url, {"reason": "再次"})
    assert r.status_code == 422 and errors(r)["status"] == "事项已升级督办"
