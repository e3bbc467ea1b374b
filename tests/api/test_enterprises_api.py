"""The enterprise endpoints × every role of the world fixture, validation, versions, query count."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gaoxin.core.codes import uscc_check_char
from gaoxin.core.models import AuditRecord, Tag
from gaoxin.enterprises.models import Enterprise, StatusChange
from tests.factories import EnterpriseFactory, TagFactory, uscc_for
from tests.support.api import ROLES, audit_count, names, snapshot
from tests.support.world import EXPECTED_CHANGE, EXPECTED_DELETE, EXPECTED_VIEW

pytestmark = pytest.mark.django_db

VIEW, CHANGE, DELETE = EXPECTED_VIEW, EXPECTED_CHANGE, EXPECTED_DELETE
STATUS = {**CHANGE, "enterprise": set()}  # enterprise users may not change their status
MAY_ADD_IN_ZA = {"admin", "zone_admin", "staff"}
GRID = [(role, key) for role in ROLES for key in ("a1", "a2", "b1", "c1")]
# The list endpoint's queries: token, memberships, count, the page's ids, its rows, their tags.
# Independent of page size.
LIST_QUERIES = 6


def expected_status(role, key, allowed, ok):
    if key not in VIEW[role]:
        return 404
    return ok if key in allowed[role] else 403


def new_enterprise(**extra):
    return {
        "name": "江西新锐光电有限公司",
        "uscc": uscc_for(55_000_001),
        "industry_code": "3974",
        **extra,
    }


# --- reading ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_exactly_what_the_role_may_see(world, api_as, role):
    r = api_as(role).get("/enterprises")
    assert r.status_code == 200
    body = r.json()
    assert names(world, [e["id"] for e in body["items"]]) == VIEW[role]
    assert body["count"] == len(VIEW[role])
    assert (body["page"], body["page_size"]) == (1, 50)


@pytest.mark.parametrize("role,key", GRID)
def test_detail_is_404_outside_the_role_scope(world, api_as, role, key):
    enterprise = getattr(world, key)
    r = api_as(role).get(f"/enterprises/{enterprise.pk}")
    if key in VIEW[role]:
        assert r.status_code == 200
        assert r.json()["id"] == enterprise.pk
        assert r["ETag"] == '"1"'
    else:
        assert r.status_code == 404
        assert r.json() == {"detail": "未找到该企业", "errors": []}


def test_detail_json(world, api_as):
    Enterprise.objects.filter(pk=world.a1.pk).update(registered_capital=Decimal("1000.0000"))
    world.a1.contacts.create(zone=world.zone_a, name="李四", phone="0791-1234567", is_primary=True)
    body = api_as("staff").get(f"/enterprises/{world.a1.pk}").json()
    assert {k: body[k] for k in body if k not in {"created_at", "updated_at", "contacts"}} == {
        "id": world.a1.pk,
        "name": "甲一电子科技有限公司",
        "uscc": world.a1.uscc,
        "industry_code": "3974",
        "industry_name": "显示器件制造",
        "status": "operating",
        "status_name": "在营",
        "status_since": None,
        "zone": "ZA",
        "zone_name": "甲高新技术产业开发区",
        "legal_representative": "张三",
        "registered_capital": "1000",
        "established_on": None,
        "address": "",
        "scale": "",
        "scale_name": "",
        "above_scale": False,
        "above_scale_since": None,
        "high_tech": False,
        "tags": ["电子信息"],
        "version": 1,
        "uscc_override_reason": "",
    }
    assert [c["name"] for c in body["contacts"]] == ["李四"]
    assert body["created_at"].endswith("+08:00")


def test_deleted_enterprise_is_gone_from_list_and_detail(world, api_as):
    Enterprise.objects.filter(pk=world.a2.pk).update(is_deleted=True)
    api = api_as("zone_admin")
    assert names(world, [e["id"] for e in api.get("/enterprises").json()["items"]]) == {"a1"}
    assert api.get(f"/enterprises/{world.a2.pk}").status_code == 404


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"q": "甲一"}, {"a1"}),
        ({"q": "纺织"}, {"a2"}),
        ({"industry": "C"}, {"a1", "a2", "b1"}),
        ({"industry": "39"}, {"a1"}),
        ({"industry": "171"}, {"a2"}),
        ({"industry": "3041"}, {"b1"}),
        ({"status": ["operating", "suspended"]}, {"a1", "a2", "b1"}),
        ({"status": "suspended"}, set()),
        ({"zone": "ZB"}, {"b1"}),
        ({"high_tech": "true"}, {"a2"}),
        ({"high_tech": "false"}, {"a1", "b1"}),
        ({"above_scale": "true", "scale": "medium"}, {"b1"}),
    ],
)
def test_list_filters_as_the_page_does(world, api_as, params, expected):
    Enterprise.objects.filter(pk=world.a2.pk).update(high_tech=True)
    Enterprise.objects.filter(pk=world.b1.pk).update(above_scale=True, scale="medium")
    r = api_as("province").get("/enterprises", **params)
    assert r.status_code == 200, r.content
    assert names(world, [e["id"] for e in r.json()["items"]]) == expected


def test_list_by_tag_and_ordering(world, api_as):
    api = api_as("admin")
    r = api.get("/enterprises", tag=world.tag_a.pk)
    assert names(world, [e["id"] for e in r.json()["items"]]) == {"a1"}
    r = api.get("/enterprises", ordering="-name")
    assert [e["name"] for e in r.json()["items"]] == sorted(
        [e.name for e in (world.a1, world.a2, world.b1, world.c1)], reverse=True
    )
    r = api.get("/enterprises")  # default: by zone code, then name
    assert [e["zone"] for e in r.json()["items"]] == ["ZA", "ZA", "ZB", "ZC"]


def test_a_tag_of_another_zone_is_not_a_valid_choice(world, api_as):
    tag_c = TagFactory(zone=world.zone_c, name="装备制造")
    r = api_as("zone_admin").get("/enterprises", tag=tag_c.pk)
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["tag"]


@pytest.mark.parametrize(
    "params,field",
    [
        ({"status": "bogus"}, "status"),
        ({"scale": "huge"}, "scale"),
        ({"ordering": "password"}, "ordering"),
        ({"tag": "abc"}, "tag"),
        ({"tag": "99999999"}, "tag"),
        ({"page": "x"}, "page"),
        ({"page_size": "1.5"}, "page_size"),
        ({"above_scale": "maybe"}, "above_scale"),
        ({"zone": "ZC"}, "zone"),  # exists, but the province viewer cannot see it
        ({"zone": "NOPE"}, "zone"),
    ],
)
def test_bad_list_parameters_are_422_not_500(world, api_as, params, field):
    r = api_as("province").get("/enterprises", **params)
    assert r.status_code == 422
    body = r.json()
    assert [e["field"] for e in body["errors"]] == [field]
    assert body["detail"]


@pytest.mark.parametrize(
    "params,page,page_size,count_items",
    [
        ({"page_size": "100000"}, 1, 500, 4),
        ({"page_size": "0"}, 1, 1, 1),
        ({"page_size": "-5", "page": "-3"}, 1, 1, 1),
        ({"page_size": "3", "page": "2"}, 2, 3, 1),
        ({"page": "2147483647"}, 2147483647, 50, 0),  # beyond: 422 (test_input_types.py)
    ],
)
def test_paging_is_clamped(world, api_as, params, page, page_size, count_items):
    body = api_as("admin").get("/enterprises", **params).json()
    assert (body["page"], body["page_size"], len(body["items"]), body["count"]) == (
        page,
        page_size,
        count_items,
        4,
    )


def test_list_query_count_does_not_grow_with_page_size(world, api_as):
    tags = [TagFactory(zone=world.zone_a, name=n) for n in ("新材料", "纺织服装", "生物医药")]
    for i in range(60):
        EnterpriseFactory(zone=world.zone_a, industry_id="3974").tags.set(tags[: i % 3 + 1])
    api = api_as("zone_admin")
    api.get("/enterprises")  # the token's last_used_at is written once, on first use

    counts = {}
    for size in (5, 62):
        with CaptureQueriesContext(connection) as ctx:
            r = api.get("/enterprises", page_size=size)
        assert r.status_code == 200
        assert len(r.json()["items"]) == size
        counts[size] = len(ctx.captured_queries)
    assert counts == {5: LIST_QUERIES, 62: LIST_QUERIES}


# --- creating -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_create_in_zone_a_by_role(world, api_as, role):
    before = (Enterprise.objects.count(), audit_count())
    r = api_as(role).post("/enterprises", new_enterprise(zone="ZA", tags=["电子信息"]))
    if role in MAY_ADD_IN_ZA:
        assert r.status_code == 201, r.content
        body = r.json()
        created = Enterprise.objects.get(pk=body["id"])
        assert (created.zone, created.name, body["zone"], body["tags"]) == (
            world.zone_a,
            "江西新锐光电有限公司",
            "ZA",
            ["电子信息"],
        )
        assert r["Location"] == f"/api/v1/enterprises/{created.pk}"
        assert AuditRecord.objects.for_object(created).get().action == "create"
        assert StatusChange.objects.filter(enterprise=created, status="operating").exists()
    else:
        assert r.status_code == 403
        assert r.json() == {"detail": "无权在该园区登记企业", "errors": []}
        assert (Enterprise.objects.count(), audit_count()) == before


def test_create_outside_the_visible_zones_is_422(world, api_as):
    before = Enterprise.objects.count()
    r = api_as("zone_admin").post("/enterprises", new_enterprise(zone="ZB"))
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "zone", "message": "未找到园区代码 ZB"}]
    assert Enterprise.objects.count() == before


def test_zone_may_be_omitted_only_with_exactly_one_zone(world, api_as):
    r = api_as("staff").post("/enterprises", new_enterprise())
    assert r.status_code == 201
    assert r.json()["zone"] == "ZA"
    r = api_as("admin").post("/enterprises", new_enterprise(uscc=uscc_for(55_000_002)))
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "zone", "message": "请指定园区代码"}]


def test_create_with_everything(world, api_as):
    payload = new_enterprise(
        legal_representative="王五",
        registered_capital="1250.5",
        established_on="2018-03-01",
        address="高新大道 888 号",
        scale="small",
        above_scale=True,
        above_scale_since="2020-01-01",
        status="suspended",
        status_since="2024-05-06",
        contacts=[{"name": "赵六", "phone": "13800000000", "email": "zl@example.cn"}],
    )
    r = api_as("zone_admin").post("/enterprises", payload)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["registered_capital"], body["established_on"], body["status"]) == (
        "1250.5",
        "2018-03-01",
        "suspended",
    )
    assert body["contacts"][0]["email"] == "zl@example.cn"
    assert Enterprise.objects.get(pk=body["id"]).registered_capital == Decimal("1250.5")


def test_bad_uscc_names_the_expected_check_character(world, api_as):
    good = uscc_for(55_000_003)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    r = api_as("staff").post("/enterprises", new_enterprise(uscc=wrong))
    assert r.status_code == 422
    [error] = r.json()["errors"]
    assert error["field"] == "uscc"
    assert f"应为 {uscc_check_char(good[:17])}" in error["message"]


@pytest.mark.parametrize(
    "extra,field,message_part",
    [
        ({"industry_code": "39"}, "industry_code", "4 位"),
        ({"industry_code": "0000"}, "industry_code", "不存在"),
        ({"tags": ["不存在的链"]}, "tags", "未在本园区定义"),
        ({"registered_capital": "abc"}, "registered_capital", "应为数字"),
        ({"registered_capital": "NaN"}, "registered_capital", "有限"),
        ({"registered_capital": "-1"}, "registered_capital", "0"),
        ({"registered_capital": "1e400"}, "registered_capital", "16"),
        ({"established_on": "2020-02-30"}, "established_on", "YYYY-MM-DD"),
        ({"established_on": "2999-01-01"}, "established_on", "不能晚于今天"),
        ({"scale": "huge"}, "scale", "取值应为"),
        ({"status": "closed"}, "status", "取值应为"),
        ({"above_scale_since": "2020-01-01"}, "above_scale_since", "非规上"),
        ({"name": ""}, "name", ""),
        ({"name": "名" * 101}, "name", "100"),
        ({"contacts": [{"name": "甲", "email": "not-an-email"}]}, "contacts[0].email", ""),
        ({"contacts": [{"phone": "1"}]}, "contacts[0].name", "必填"),
        ({"id": 5}, "id", "不支持的字段"),
        ({"uscc_override_reason": "早期代码"}, "uscc_override_reason", "管理员"),
    ],
)
def test_create_validation_errors_are_422_with_field_names(
    world, api_as, extra, field, message_part
):
    before = (Enterprise.objects.count(), audit_count())
    r = api_as("staff").post("/enterprises", new_enterprise(**extra))
    assert r.status_code == 422, r.content
    errors = r.json()["errors"]
    assert field in [e["field"] for e in errors]
    assert message_part in next(e["message"] for e in errors if e["field"] == field)
    assert (Enterprise.objects.count(), audit_count()) == before


def test_duplicate_uscc_is_422_and_names_a_holder_only_where_the_user_may_see_it(world, api_as):
    r = api_as("zone_admin").post("/enterprises", new_enterprise(uscc=world.a2.uscc))
    assert r.status_code == 422
    assert "甲二纺织有限公司" in r.json()["errors"][0]["message"]
    r = api_as("zone_admin").post("/enterprises", new_enterprise(uscc=world.b1.uscc))
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {"field": "uscc", "message": f"统一社会信用代码 {world.b1.uscc} 已在平台登记,不能重复登记"}
    ]
    r = api_as("admin").post("/enterprises", new_enterprise(uscc=world.b1.uscc, zone="ZA"))
    assert "乙一新材料有限公司" in r.json()["errors"][0]["message"]


# --- editing ------------------------------------------------------------------------------


@pytest.mark.parametrize("role,key", GRID)
def test_patch_by_role(world, api_as, role, key):
    enterprise = getattr(world, key)
    before = snapshot(enterprise)
    r = api_as(role).patch(f"/enterprises/{enterprise.pk}", {"version": 1, "address": "新址 1 号"})
    expected = expected_status(role, key, CHANGE, 200)
    assert r.status_code == expected, r.content
    if expected == 200:
        assert (r.json()["address"], r.json()["version"]) == ("新址 1 号", 2)
        assert AuditRecord.objects.for_object(enterprise).get().action == "update"
    else:
        assert snapshot(enterprise) == before
    if expected == 403:
        assert r.json() == {"detail": "无权修改该企业", "errors": []}


def test_enterprise_user_may_edit_only_address_and_legal_representative(world, api_as):
    api = api_as("enterprise")
    before = snapshot(world.a1)
    r = api.patch(f"/enterprises/{world.a1.pk}", {"version": 1, "name": "改个名字"})
    assert r.status_code == 403
    assert r.json()["detail"] == "企业用户只能修改地址和法定代表人"
    assert snapshot(world.a1) == before
    r = api.patch(f"/enterprises/{world.a1.pk}", {"version": 1, "legal_representative": "钱七"})
    assert r.status_code == 200
    assert r.json()["legal_representative"] == "钱七"


def test_stale_patch_is_409_and_changes_nothing(world, api_as):
    api = api_as("staff")
    assert (
        api.patch(f"/enterprises/{world.a1.pk}", {"version": 1, "name": "甲一新名"}).status_code
        == 200
    )
    before = snapshot(world.a1)
    r = api.patch(f"/enterprises/{world.a1.pk}", {"version": 1, "address": "覆盖别人"})
    assert r.status_code == 409
    body = r.json()
    assert "当前版本 2" in body["detail"]
    assert body["current_version"] == 2
    assert body["errors"] == [{"field": "version", "message": "当前版本为 2"}]
    assert snapshot(world.a1) == before


def test_patch_version_from_if_match(world, api_as):
    api = api_as("staff")
    url = f"/enterprises/{world.a1.pk}"
    r = api.patch(url, {"address": "甲"}, headers={"If-Match": '"1"'})
    assert (r.status_code, r["ETag"]) == (200, '"2"')
    assert api.patch(url, {"address": "乙"}, headers={"If-Match": 'W/"1"'}).status_code == 409
    r = api.patch(url, {"address": "乙"}, headers={"If-Match": "*"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "If-Match"


def test_patch_without_version_is_422(world, api_as):
    before = snapshot(world.a1)
    r = api_as("staff").patch(f"/enterprises/{world.a1.pk}", {"address": "无版本"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "version"
    assert snapshot(world.a1) == before


def test_patch_changes_only_what_is_sent(world, api_as):
    url = f"/enterprises/{world.a1.pk}"
    r = api_as("staff").patch(
        url, {"version": 1, "industry_code": "3911", "tags": [], "registered_capital": "88.25"}
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["industry_code"], body["industry_name"], body["tags"]) == (
        "3911",
        "计算机整机制造",
        [],
    )
    assert (body["registered_capital"], body["name"], body["legal_representative"]) == (
        "88.25",
        "甲一电子科技有限公司",
        "张三",
    )


@pytest.mark.parametrize(
    "body,field",
    [
        ({"version": 1, "name": None}, "name"),
        ({"version": 1, "status": "suspended"}, "status"),  # status has its own endpoint
        ({"version": 1, "industry_code": "12"}, "industry_code"),
        ({"version": "one"}, "version"),
        ({"version": 1, "established_on": "yesterday"}, "established_on"),
    ],
)
def test_bad_patch_is_422_and_changes_nothing(world, api_as, body, field):
    before = snapshot(world.a1)
    r = api_as("zone_admin").patch(f"/enterprises/{world.a1.pk}", body)
    assert r.status_code == 422, r.content
    assert [e["field"] for e in r.json()["errors"]] == [field]
    assert snapshot(world.a1) == before


def test_patch_replaces_contacts_in_the_same_transaction(world, api_as):
    url = f"/enterprises/{world.a1.pk}"
    api = api_as("enterprise")
    contacts = [{"name": "孙八", "phone": "13900000000", "is_primary": True}]
    r = api.patch(url, {"version": 1, "address": "新址", "contacts": contacts})
    assert r.status_code == 200, r.content
    assert ([c["name"] for c in r.json()["contacts"]], r.json()["address"]) == (["孙八"], "新址")
    before = snapshot(world.a1)
    r = api.patch(url, {"version": r.json()["version"], "contacts": [{"name": "", "phone": "1"}]})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "contacts[0].name"
    assert snapshot(world.a1) == before
    assert list(world.a1.contacts.values_list("name", flat=True)) == ["孙八"]


def test_empty_patch_checks_the_version_and_changes_nothing(world, api_as):
    api = api_as("staff")
    before = snapshot(world.a1)
    assert api.patch(f"/enterprises/{world.a1.pk}", {"version": 1}).status_code == 200
    assert api.patch(f"/enterprises/{world.a1.pk}", {"version": 7}).status_code == 409
    assert snapshot(world.a1) == before


# --- status -------------------------------------------------------------------------------


@pytest.mark.parametrize("role,key", GRID)
def test_status_change_by_role(world, api_as, role, key):
    enterprise = getattr(world, key)
    before = snapshot(enterprise)
    body = {"status": "suspended", "on": "2024-03-01", "note": "设备检修", "version": 1}
    r = api_as(role).post(f"/enterprises/{enterprise.pk}/status", body)
    expected = expected_status(role, key, STATUS, 200)
    assert r.status_code == expected, r.content
    if expected == 200:
        assert (r.json()["status"], r.json()["status_since"]) == ("suspended", "2024-03-01")
        change = enterprise.status_changes.get(status="suspended")
        assert (change.note, change.actor_name) == ("设备检修", world.users[role].username)
    else:
        assert snapshot(enterprise) == before


def test_status_validation(world, api_as):
    url = f"/enterprises/{world.a1.pk}/status"
    api = api_as("staff")
    r = api.post(url, {"status": "operating", "on": "2024-03-01", "version": 1})
    assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "status")
    r = api.post(url, {"status": "paused", "on": "2024-03-01", "version": 1})
    assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "status")
    r = api.post(url, {"status": "suspended", "on": "2999-01-01", "version": 1})
    assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "on")
    r = api.post(url, {"status": "suspended", "on": "2024-03-01", "version": 3})
    assert r.status_code == 409
    r = api.post(url, {"status": "suspended", "on": "2024-03-01"})
    assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "version")


# --- deleting -----------------------------------------------------------------------------


@pytest.mark.parametrize("role,key", GRID)
def test_delete_by_role(world, api_as, role, key):
    enterprise = getattr(world, key)
    before = snapshot(enterprise)
    r = api_as(role).delete(f"/enterprises/{enterprise.pk}", reason="重复登记")
    expected = expected_status(role, key, DELETE, 204)
    assert r.status_code == expected, r.content
    if expected == 204:
        assert r.content == b""
        enterprise.refresh_from_db()
        assert (enterprise.is_deleted, enterprise.deleted_reason) == (True, "重复登记")
        assert AuditRecord.objects.for_object(enterprise).get().message == "重复登记"
    else:
        assert snapshot(enterprise) == before
    if expected == 403:
        assert r.json()["detail"] == "无权删除该企业"


def test_delete_needs_a_reason_and_takes_it_from_the_body_too(world, api_as):
    api = api_as("zone_admin")
    before = snapshot(world.a2)
    r = api.delete(f"/enterprises/{world.a2.pk}")
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "reason", "message": "删除企业必须填写理由"}]
    assert snapshot(world.a2) == before
    assert (
        api.delete(f"/enterprises/{world.a2.pk}", {"reason": " ", "version": 1}).status_code == 422
    )
    r = api.delete(f"/enterprises/{world.a2.pk}", {"reason": "企业迁出", "version": 1})
    assert r.status_code == 204
    assert api.get(f"/enterprises/{world.a2.pk}").status_code == 404
    assert api.delete(f"/enterprises/{world.a2.pk}", reason="再删").status_code == 404


def test_stale_delete_is_409(world, api_as):
    before = snapshot(world.a2)
    r = api_as("zone_admin").delete(f"/enterprises/{world.a2.pk}", {"reason": "x", "version": 9})
    assert r.status_code == 409
    assert snapshot(world.a2) == before


# --- history ------------------------------------------------------------------------------


@pytest.mark.parametrize("role,key", GRID)
def test_history_follows_visibility(world, api_as, role, key):
    enterprise = getattr(world, key)
    r = api_as(role).get(f"/enterprises/{enterprise.pk}/history")
    assert r.status_code == (200 if key in VIEW[role] else 404)


def test_history_lists_changes_and_status_newest_first(world, api_as):
    api = api_as("staff")
    api.patch(f"/enterprises/{world.a1.pk}", {"version": 1, "address": "一号"})
    body = {"status": "suspended", "on": "2024-03-01", "note": "检修", "version": 2}
    api.post(f"/enterprises/{world.a1.pk}/status", body)
    r = api_as("enterprise").get(f"/enterprises/{world.a1.pk}/history")
    assert r.status_code == 200
    history = r.json()
    assert [(a["action"], a["actor_name"]) for a in history["audit"]] == [
        ("status", "staff"),
        ("update", "staff"),
    ]
    update = history["audit"][1]
    assert (update["before"]["address"], update["after"]["address"]) == ("", "一号")
    # and as people read it: the person's name, each field by its label
    assert update["actor"] == world.staff.display_name
    assert update["changes"] == [{"label": "地址", "old": "—", "new": "一号"}]
    assert history["audit"][0]["message"] == "检修"
    assert [(s["status"], s["on"], s["note"]) for s in history["status_changes"]] == [
        ("suspended", "2024-03-01", "检修")
    ]


def test_tags_are_resolved_within_the_enterprise_zone(world, api_as):
    Tag.objects.create(zone=world.zone_b, name="新材料")
    r = api_as("admin").post("/enterprises", new_enterprise(zone="ZA", tags=["新材料"]))
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "tags"
