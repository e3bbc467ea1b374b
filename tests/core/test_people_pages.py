"""The people pages: what an admin sees and does (access by role: test_people_access.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gaoxin.core.models import AuditRecord, User, Zone
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_create_shows_the_one_time_password_once(client, world):
    client.force_login(world.zone_admin)
    data = {"username": "sun.li", "full_name": "孙丽", "phone": "", "email": "",
            "role": "zone_staff", "zone": world.zone_a.pk, "department": world.dept_a.pk}  # fmt: skip
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 200
    password = response.context["password"]
    assert f'id="one-time-password">{password}</code>' in response.content.decode()
    user = User.objects.get(username="sun.li")
    assert user.check_password(password) and user.must_change_password
    detail = client.get(reverse("people:detail", args=[user.pk])).content.decode()
    assert password not in detail  # shown once, stored nowhere


def test_create_refuses_what_a_zone_admin_may_not_grant(client, world):
    client.force_login(world.zone_admin)
    form = client.get(reverse("people:create")).context["form"]
    assert [r for r, _l in form.fields["role"].choices] == [
        "zone_leader",
        "zone_staff",
        "enterprise_user",
    ]
    data = {"username": "x", "full_name": "某", "role": "zone_admin", "zone": world.zone_a.pk}
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 422
    assert not User.objects.filter(username="x").exists()
    data = {"username": "x", "full_name": "某", "role": "zone_staff", "zone": world.zone_a.pk}
    response = client.post(reverse("people:create"), data)
    assert response.context["form"].errors == {"department": ["该角色必须指定此范围"]}


def test_reset_disable_and_roles_on_the_account_page(client, world):
    client.force_login(world.zone_admin)
    response = client.post(reverse("people:reset_password", args=[world.leader.pk]))
    password = response.context["password"]
    assert User.objects.get(pk=world.leader.pk).check_password(password)
    url = reverse("people:active", args=[world.leader.pk])
    client.post(url, {"active": "0", "reason": ""})
    assert User.objects.get(pk=world.leader.pk).is_active  # a reason is required
    client.post(url, {"active": "0", "reason": "退休"})
    assert not User.objects.get(pk=world.leader.pk).is_active
    add = reverse("people:membership_add", args=[world.leader.pk])
    data = {"role": "zone_staff", "zone": world.zone_a.pk, "department": world.dept_a.pk}
    assert client.post(add, data).status_code == 302
    page = client.get(reverse("people:detail", args=[world.leader.pk]))
    assert [m.role for m, _removable in page.context["memberships"]] == [
        "zone_leader",
        "zone_staff",
    ]
    actions = AuditRecord.objects.for_object(world.leader).values_list("action", flat=True)
    assert sorted(actions) == ["password_reset", "role", "status"]
    assert [r.get_action_display() for r in page.context["timeline"]] == [
        "角色授权变更",
        "状态变更",
        "重置密码",
    ]


def test_list_reads_a_fixed_number_of_queries(client, world):
    client.force_login(world.admin)
    client.get(reverse("people:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("people:list"))
    for i in range(12):
        member("zone_staff", username=f"p{i}", zone=world.zone_a, department=world.dept_a)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("people:list"), {"role": "zone_staff"})
    assert len(response.context["table"].rows) == 13
    assert len(many) == len(few)


def test_platform_admin_creates_a_zone_and_its_admin(client, world):
    client.force_login(world.admin)
    data = {"code": "ZD", "name": "丁高新技术产业开发区", "short_name": "丁高新区",
            "level": "provincial", "division": "360000"}  # fmt: skip
    response = client.post(reverse("people:zone_create"), data)
    assert response.context["form"].errors == {"division": ["请填写县级或地级行政区划代码(6 位)"]}
    data["division"] = "360121"
    response = client.post(reverse("people:zone_create"), data)
    zone = Zone.objects.get(code="ZD")
    assert response.url == reverse("people:zone_edit", args=[zone.pk])
    assert zone.province_id == "360000"
    assert AuditRecord.objects.for_object(zone).get().action == "create"
    form = client.get(reverse("people:create"), {"zone": zone.pk, "role": "zone_admin"})
    assert form.context["form"]["role"].value() == "zone_admin"
    data = {"username": "zd.admin", "full_name": "丁管", "role": "zone_admin", "zone": zone.pk}
    client.post(reverse("people:create"), data)
    page = client.get(reverse("people:zone_edit", args=[zone.pk]))
    assert [a.username for a in page.context["admins"]] == ["zd.admin"]


def test_a_reset_or_a_disable_ends_the_persons_sessions(client, world):
    from django.test import Client

    from gaoxin.core.people import services

    other = Client()
    other.force_login(world.staff)
    client.force_login(world.leader)
    assert other.get(reverse("home")).status_code == 200
    services.reset_password(world.zone_admin, world.staff)
    response = other.get(reverse("home"))
    assert (response.status_code, response.url) == (302, "/login/?next=/")
    assert client.get(reverse("home")).status_code == 200
    services.set_active(world.zone_admin, world.leader, False, "离职")
    assert client.get(reverse("home")).url == "/login/?next=/"
