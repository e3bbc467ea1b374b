"""/api/v1/people: accounts and role memberships over REST, as a zone admin and a platform admin.
Access by role is in tests/core/test_people_access.py; here what each operation does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gaoxin.core.models import AuditRecord, Role, User
from tests.factories import PASSWORD, DepartmentFactory, member

pytestmark = pytest.mark.django_db


def test_zone_admin_creates_an_officer_who_must_change_the_password(api_as, world, client):
    api = api_as("zone_admin")
    body = {"username": "wang.fang", "full_name": "王芳", "phone": "13800000002",
            "role": "zone_staff", "department": world.dept_a.pk}  # fmt: skip
    response = api.post("/people", body)
    assert response.status_code == 201, response.content
    data = response.json()
    password = data.pop("initial_password")
    user = User.objects.get(username="wang.fang")
    assert user.check_password(password)
    assert data["must_change_password"] is True and data["password_age_days"] == 0
    assert data["roles"] == [
        {"id": user.memberships.get().pk, "role": "zone_staff", "role_name": "园区工作人员",
         "scope": "department", "scope_name": "经济发展局", "province_code": None, "zone": "ZA",
         "department": "经济发展局", "enterprise_id": None},
    ]  # fmt: skip
    assert AuditRecord.objects.for_object(user).get().action == "create"


def test_creation_errors(api_as, world):
    api = api_as("zone_admin")
    dept_b = DepartmentFactory(zone=world.zone_b)
    cases = [
        ({"username": "x", "full_name": "某", "role": "zone_staff", "department": dept_b.pk},
         [{"field": "department", "message": f"未找到部门 {dept_b.pk}"}]),
        ({"username": "x", "full_name": "某", "role": "enterprise_user", "enterprise": world.b1.pk},
         [{"field": "enterprise", "message": f"未找到企业 {world.b1.pk}"}]),
        ({"username": "x", "full_name": "某", "role": "zone_leader", "zone": "ZC"},
         [{"field": "zone", "message": "未找到园区代码 ZC"}]),
        ({"username": "x", "full_name": "某", "role": "zone_staff"},
         [{"field": "department", "message": "该角色必须指定此范围"}]),
        ({"username": "x", "full_name": "某", "role": "boss"},
         [{"field": "role", "message": "取值应为 "
           + ", ".join(f"'{r}'" for r in Role.values) + " 之一"}]),
        ({"username": "leader", "full_name": "某", "role": "zone_leader"},
         [{"field": "username", "message": "用户名「leader」已被使用"}]),
    ]  # fmt: skip
    for body, errors in cases:
        response = api.post("/people", body)
        assert (response.status_code, response.json()["errors"]) == (422, errors), body
    response = api.post("/people", {"username": "x", "full_name": "某", "role": "zone_admin"})
    assert response.status_code == 403
    assert response.json()["detail"] == "无权在该园区授予此角色"
    assert not User.objects.filter(username="x").exists()


def test_list_filters_and_pages(api_as, world):
    api = api_as("admin")
    member("zone_staff", username="b_staff", zone=world.zone_b,
           department=DepartmentFactory(zone=world.zone_b))  # fmt: skip
    User.objects.filter(username="leader").update(is_active=False)

    def names(**params):
        response = api.get("/people", **params)
        assert response.status_code == 200, response.content
        return [u["username"] for u in response.json()["items"]]

    assert names(zone="ZB") == ["b_staff"]
    assert names(role="zone_staff") == ["b_staff", "staff"]
    assert names(department=world.dept_a.pk) == ["staff"]
    assert names(active=False) == ["leader"]
    assert names(q="zone_") == ["zone_admin"]
    page = api.get("/people", page=2, page_size=3).json()
    assert (page["count"], page["page"], len(page["items"])) == (7, 2, 3)
    assert api.get("/people", page_size=0).status_code == 422
    assert api.get("/people", zone="XX").json()["errors"] == [
        {"field": "zone", "message": "未找到园区代码 XX"}
    ]


def test_list_reads_a_fixed_number_of_queries(api_as, world):
    api = api_as("zone_admin")
    for i in range(5):
        member("zone_leader", username=f"more{i}", zone=world.zone_a)
    api.get("/people")  # the token's first use is written down once
    with CaptureQueriesContext(connection) as few:
        api.get("/people")
    for i in range(5, 15):
        member("zone_staff", username=f"more{i}", zone=world.zone_a, department=world.dept_a)
    with CaptureQueriesContext(connection) as many:
        assert len(api.get("/people").json()["items"]) == 19
    assert len(many) == len(few)


def test_patch_memberships_activation_and_reset(api_as, world, client):
    api = api_as("zone_admin")
    uid = world.leader.pk
    response = api.patch(f"/people/{uid}", {"phone": "139-0000-0000", "email": "l@example.cn"})
    assert (response.status_code, response.json()["phone"]) == (200, "139-0000-0000")
    assert api.patch(f"/people/{uid}", {"email": "bad"}).json()["errors"] == [
        {"field": "email", "message": "邮箱格式不正确"}
    ]
    assert api.patch(f"/people/{uid}", {"username": "x"}).status_code == 422
    # a second role, then back to one
    response = api.post(f"/people/{uid}/memberships",
                        {"role": "enterprise_user", "enterprise": world.a2.pk})  # fmt: skip
    assert response.status_code == 201, response.content
    added = next(r for r in response.json()["roles"] if r["role"] == "enterprise_user")
    assert (added["zone"], added["enterprise_id"]) == ("ZA", world.a2.pk)
    assert api.delete(f"/people/{uid}/memberships/{added['id']}").status_code == 204
    last = world.leader.memberships.get()
    response = api.delete(f"/people/{uid}/memberships/{last.pk}")
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "membership")
    assert api.delete(f"/people/{uid}/memberships/{2**70}").status_code == 404
    # disable, enable
    response = api.post(f"/people/{uid}/active", {"active": False})
    assert response.json()["errors"] == [{"field": "reason", "message": "请填写停用理由"}]
    response = api.post(f"/people/{uid}/active", {"active": False, "reason": "借调"})
    assert (response.status_code, response.json()["is_active"]) == (200, False)
    assert api.post(f"/people/{uid}/active", {"active": True}).json()["is_active"] is True
    # reset: the one-time password signs in, and must be changed first
    password = api.post(f"/people/{uid}/password-reset").json()["password"]
    assert not User.objects.get(pk=uid).check_password(PASSWORD)
    token = client.post("/api/v1/auth/token", {"username": "leader", "password": password},
                        content_type="application/json").json()["token"]  # fmt: skip
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 403 and me.json()["detail"].startswith("须先修改密码")
    actions = (
        AuditRecord.objects.for_object(world.leader)
        .exclude(action__in=["login", "token"])
        .values_list("action", flat=True)
    )
    assert sorted(set(actions)) == ["password_reset", "role", "status", "update"]


def test_huge_and_unknown_ids_are_404(api_as):
    api = api_as("admin")
    for path in (f"/people/{2**63}", "/people/999999"):
        response = api.get(path)
        assert response.status_code == 404, path
    assert api.post(f"/people/{2**64}/password-reset").status_code == 404
