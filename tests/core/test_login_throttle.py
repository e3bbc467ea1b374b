"""Failed sign-ins are throttled per client address: one client cannot lock every account or
spray one password over all of them; other addresses and the right password elsewhere still work."""

import json

import pytest
from axes.models import AccessAttempt
from django.test import Client

from gaoxin.core.models import ApiToken, AuditRecord
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    return [member("zone_staff", username=f"p{i}", zone=world.zone_a, department=world.dept_a)
            for i in range(8)]  # fmt: skip


def page_login(client, username, password, ip="198.51.100.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def token(client, username, password, ip="198.51.100.1"):
    body = json.dumps({"username": username, "password": password})
    return client.post(
        "/api/v1/auth/token", data=body, content_type="application/json", REMOTE_ADDR=ip
    )


def test_spraying_one_password_over_many_accounts_is_stopped_per_address(
    world, people, client, settings
):
    settings.LOGIN_THROTTLE_FAILURES = 6
    for person in people[:6]:  # one guess per account: the per-account lockout never fires
        assert page_login(client, person.username, "Spring2024!x").status_code == 200
    # The seventh account is not even tried, whichever door.
    r = page_login(client, people[6].username, "Spring2024!x")
    assert r.status_code == 429
    assert "该地址登录失败次数过多" in r.content.decode()
    r = token(client, people[7].username, "Spring2024!x")
    assert r.status_code == 429
    assert r.json() == {"detail": "该地址登录失败次数过多,请 15 分钟后再试", "errors": []}
    assert not AccessAttempt.objects.filter(username__in=["p6", "p7"]).exists()
    assert AuditRecord.objects.filter(action="login_failed").count() == 6
    throttled = AuditRecord.objects.get(action="throttled")
    assert (throttled.ip, throttled.object_repr) == ("198.51.100.1", "198.51.100.1")


def test_a_throttled_address_cannot_push_accounts_into_lockout(world, people, client, settings):
    settings.LOGIN_THROTTLE_FAILURES = 3
    settings.AXES_FAILURE_LIMIT = 5
    for i in range(10):
        page_login(client, "p0", f"wrong-{i}")
    assert AccessAttempt.objects.get(username="p0").failures_since_start == 3
    # The account itself is not locked: its owner signs in from their own address.
    r = page_login(Client(), "p0", PASSWORD, ip="203.0.113.50")
    assert r.status_code == 302


def test_other_addresses_are_not_affected(world, people, client, settings):
    settings.LOGIN_THROTTLE_FAILURES = 2
    for i in range(2):
        token(client, "p1", f"wrong-{i}")
    assert token(client, "p2", PASSWORD).status_code == 429
    assert token(client, "p2", PASSWORD, ip="203.0.113.7").status_code == 200
    assert ApiToken.objects.filter(user__username="p2").count() == 1


def test_successful_sign_ins_do_not_count(world, people, client, settings):
    settings.LOGIN_THROTTLE_FAILURES = 2
    for _ in range(5):
        assert token(client, "p3", PASSWORD).status_code == 200
    assert not AuditRecord.objects.filter(action="throttled").exists()


def test_behind_a_trusted_proxy_each_client_is_counted_on_its_own(world, people, settings):
    settings.LOGIN_THROTTLE_FAILURES = 2
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for i in range(2):
        proxy.post(
            "/login/",
            {"username": "p4", "password": f"wrong-{i}"},
            headers={"X-Forwarded-For": "198.51.100.20"},
        )
    r = proxy.post(
        "/login/",
        {"username": "p5", "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.21"},
    )
    assert r.status_code == 302  # another client behind the same proxy
    r = proxy.post(
        "/login/",
        {"username": "p5", "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.20"},
    )
    assert r.status_code == 429
