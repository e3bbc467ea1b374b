"""/me, /zones, /industries and /audit × the world's roles."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gaoxin.core import audit
from gaoxin.core.models import AuditRecord, Industry
from tests.support.api import ROLES

pytestmark = pytest.mark.django_db

ZONES = {
    "admin": ["ZA", "ZB", "ZC"],
    "province": ["ZA", "ZB"],
    "zone_admin": ["ZA"],
    "leader": ["ZA"],
    "staff": ["ZA"],
    "enterprise": ["ZA"],
}


@pytest.mark.parametrize("role", ROLES)
def test_me(world, api_as, role):
    r = api_as(role).get("/me")
    assert r.status_code == 200
    body = r.json()
    user = world.users[role]
    assert (body["username"], body["name"]) == (user.username, user.full_name)
    assert [z["code"] for z in body["zones"]] == ZONES[role]
    [membership] = body["roles"]
    expected = {
        "admin": ("platform_admin", "platform", "全平台", None),
        "province": ("province_viewer", "province", "360000 江西省", None),
        "zone_admin": ("zone_admin", "zone", "甲高新区", "ZA"),
        "leader": ("zone_leader", "zone", "甲高新区", "ZA"),
        "staff": ("zone_staff", "department", "经济发展局", "ZA"),
        "enterprise": ("enterprise_user", "enterprise", "甲一电子科技有限公司", "ZA"),
    }[role]
    got = (membership["role"], membership["scope"], membership["scope_name"], membership["zone"])
    assert got == expected
    assert membership["role_name"]


def test_me_details_of_scopes(world, api_as):
    [staff] = api_as("staff").get("/me").json()["roles"]
    assert (staff["role_name"], staff["department"]) == ("园区工作人员", "经济发展局")
    [ent] = api_as("enterprise").get("/me").json()["roles"]
    assert ent["enterprise_id"] == world.a1.pk
    [prov] = api_as("province").get("/me").json()["roles"]
    assert prov["province_code"] == "360000"


@pytest.mark.parametrize("role", ROLES)
def test_zones_are_restricted(world, api_as, role):
    body = api_as(role).get("/zones").json()
    assert [z["code"] for z in body["items"]] == ZONES[role]
    assert body["count"] == len(ZONES[role])


def test_zone_json(world, api_as):
    [zone] = api_as("leader").get("/zones").json()["items"]
    assert zone == {
        "code": "ZA",
        "name": "甲高新技术产业开发区",
        "short_name": "甲高新区",
        "level": "national",
        "level_name": "国家级",
        "division_code": "360121",
        "province_code": "360000",
    }


@pytest.mark.parametrize("role", ROLES)
def test_industries_by_name_fragment_and_level(world, api_as, role):
    r = api_as(role).get("/industries", q="计算机", level="class")
    assert r.status_code == 200
    body = r.json()
    assert [i["code"] for i in body["items"]] == [
        "3911",
        "3912",
        "3913",
        "3914",
        "3919",
        "5176",
        "5273",
        "7114",
        "8121",
    ]
    assert body["count"] == 9
    assert body["items"][0] == {
        "code": "3911",
        "name": "计算机整机制造",
        "level": "class",
        "level_name": "小类",
        "parent": "391",
        "section": "C",
    }


def test_industries_by_code_prefix_and_the_cap(world, api_as):
    api = api_as("staff")
    body = api.get("/industries", q="39").json()
    assert body["count"] == 46
    assert len(body["items"]) == 46
    assert body["items"][0]["code"] == "39"
    body = api.get("/industries").json()
    assert (len(body["items"]), body["count"]) == (50, Industry.objects.count())
    body = api.get("/industries", level="section").json()
    assert [i["code"] for i in body["items"]][:3] == ["A", "B", "C"]
    assert body["count"] == 20
    assert api.get("/industries", q="c").json()["items"][0]["code"] == "C"


@pytest.mark.parametrize("params", [{"level": "bogus"}, {"q": "x" * 51}])
def test_industries_bad_parameters(world, api_as, params):
    r = api_as("staff").get("/industries", **params)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == next(iter(params))


# --- audit --------------------------------------------------------------------------------


@pytest.fixture
def trail(world):
    """One record per zone plus a zone-less one, by different actors."""
    return {
        "a": audit.record(world.staff, AuditRecord.Action.UPDATE, world.a1, message="甲"),
        "b": audit.record(world.admin, AuditRecord.Action.DELETE, world.b1, message="乙"),
        "c": audit.record(world.admin, AuditRecord.Action.STATUS, world.c1, message="丙"),
        "none": audit.record("ghost", AuditRecord.Action.LOGIN_FAILED, None, repr_="ghost"),
    }


def ids(response):
    return [item["id"] for item in response.json()["items"]]


@pytest.mark.parametrize("role", ROLES)
def test_audit_is_for_admins_only(world, api_as, trail, role):
    r = api_as(role).get("/audit")
    if role == "admin":
        assert ids(r) == [trail[k].pk for k in ("none", "c", "b", "a")]
    elif role == "zone_admin":
        assert ids(r) == [trail["a"].pk]
    else:
        assert r.status_code == 403
        assert r.json() == {"detail": "仅管理员可以查看审计记录", "errors": []}


def test_audit_json(world, api_as, trail):
    [item] = api_as("zone_admin").get("/audit").json()["items"]
    assert {k: item[k] for k in ("actor_name", "action", "action_name", "zone", "object_type")} == {
        "actor_name": "staff",
        "action": "update",
        "action_name": "修改",
        "zone": "ZA",
        "object_type": "enterprises.enterprise",
    }
    assert (item["object_id"], item["object_repr"], item["message"]) == (
        str(world.a1.pk),
        "甲一电子科技有限公司",
        "甲",
    )
    assert item["time"].endswith("+08:00")


def test_audit_filters(world, api_as, trail):
    api = api_as("admin")
    today = timezone.localdate()
    assert ids(api.get("/audit", zone="ZB")) == [trail["b"].pk]
    assert ids(api.get("/audit", actor="staff")) == [trail["a"].pk]
    assert ids(api.get("/audit", action="status")) == [trail["c"].pk]
    assert ids(api.get("/audit", object_type="enterprise", object_id=str(world.b1.pk))) == [
        trail["b"].pk
    ]
    assert len(ids(api.get("/audit", object_type="enterprises.enterprise"))) == 3
    assert ids(api.get("/audit", object_type="core.zone")) == []
    assert len(ids(api.get("/audit", date_from=today, date_to=today))) == 4
    assert ids(api.get("/audit", date_to=today - timedelta(days=1))) == []
    assert ids(api.get("/audit", date_from=today + timedelta(days=1))) == []
    body = api.get("/audit", page_size=3, page=2).json()
    assert (ids_of(body), body["count"], body["page"], body["page_size"]) == (
        [trail["a"].pk],
        4,
        2,
        3,
    )


def ids_of(body):
    return [item["id"] for item in body["items"]]


def test_zone_admin_cannot_filter_into_another_zone(world, api_as, trail):
    r = api_as("zone_admin").get("/audit", zone="ZB")
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "zone", "message": "未找到园区代码 ZB"}]


@pytest.mark.parametrize(
    "params,field",
    [
        ({"action": "bogus"}, "action"),
        ({"date_from": "2024-02-30"}, "date_from"),
        ({"date_from": "2024-03-02", "date_to": "2024-03-01"}, "date_to"),
        ({"page": "first"}, "page"),
    ],
)
def test_audit_bad_parameters(world, api_as, params, field):
    r = api_as("admin").get("/audit", **params)
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == [field]
