"""Token lifecycle, session auth with CSRF, lockout, and 401 everywhere without credentials."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from gaoxin.core.models import ApiToken, AuditRecord
from tests.factories import PASSWORD
from tests.support.api import Api

pytestmark = pytest.mark.django_db

# Every endpoint but the token one, with a method and a path that would otherwise be valid.
PROTECTED = [
    ("get", "/me"),
    ("get", "/zones"),
    ("get", "/industries"),
    ("get", "/audit"),
    ("get", "/enterprises"),
    ("post", "/enterprises"),
    ("get", "/enterprises/{a1}"),
    ("patch", "/enterprises/{a1}"),
    ("delete", "/enterprises/{a1}"),
    ("post", "/enterprises/{a1}/status"),
    ("get", "/enterprises/{a1}/history"),
]


def issue(client, username, password=PASSWORD):
    return Api(client).post("/auth/token", {"username": username, "password": password})


def test_token_is_issued_stored_hashed_and_audited(world, client):
    # when
    before = timezone.now()
    r = issue(client, "staff")
    # then
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["token_type"] == "Bearer"
    token = ApiToken.objects.get(user=world.staff)
    assert token.key_hash == ApiToken.hash(body["token"])
    assert body["token"] not in token.key_hash
    hours = timedelta(hours=settings.API_TOKEN_HOURS)
    assert before + hours <= token.expires_at <= timezone.now() + hours
    assert body["expires_at"].endswith("+08:00")
    token_event = AuditRecord.objects.get(action=AuditRecord.Action.TOKEN)
    assert (token_event.actor, token_event.zone) == (world.staff, world.zone_a)
    assert AuditRecord.objects.filter(action="login", actor=world.staff).count() == 1
    world.staff.refresh_from_db()
    assert world.staff.last_login is not None


def test_token_authenticates_and_touches_last_used_at_at_most_once_a_minute(world, client):
    key = issue(client, "leader").json()["token"]
    api = Api(client, {"Authorization": f"Bearer {key}"})
    token = ApiToken.objects.get(user=world.leader)
    assert token.last_used_at is None

    r = api.get("/me")
    assert r.status_code == 200
    assert r.json()["username"] == "leader"
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None

    api.get("/me")  # within the minute: no write
    token.refresh_from_db()
    assert token.last_used_at == first

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    api.get("/me")
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=2)


@pytest.mark.parametrize(
    "header",
    [
        "Bearer not-a-token",
        "Bearer ",
        "Token abc",
        "Bearer " + "x" * 5000,
    ],
)
def test_wrong_token_is_401(world, client, header):
    r = Api(client, {"Authorization": header}).get("/me")
    assert r.status_code == 401
    assert r.json() == {"detail": "未登录或令牌无效、已过期", "errors": []}


def test_expired_token_is_401(world, client):
    token, key = ApiToken.issue(world.staff)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    r = Api(client, {"Authorization": f"Bearer {key}"}).get("/me")
    assert r.status_code == 401


def test_token_of_a_deactivated_user_is_401(world, client):
    _token, key = ApiToken.issue(world.staff)
    world.staff.is_active = False
    world.staff.save()
    r = Api(client, {"Authorization": f"Bearer {key}"}).get("/me")
    assert r.status_code == 401


def test_bad_credentials_are_401_and_audited(world, client):
    r = issue(client, "staff", "wrong-password-1")
    assert r.status_code == 401
    assert r.json() == {"detail": "用户名或密码错误", "errors": []}
    failed = AuditRecord.objects.get(action=AuditRecord.Action.LOGIN_FAILED)
    assert failed.object_repr == "staff"
    assert not ApiToken.objects.exists()

    r = issue(client, "nobody", "whatever")
    assert r.status_code == 401
    assert AuditRecord.objects.filter(action="login_failed", object_repr="nobody").count() == 1


def test_inactive_user_gets_no_token(world, client):
    world.staff.is_active = False
    world.staff.save()
    assert issue(client, "staff").status_code == 401
    assert not ApiToken.objects.exists()


def test_lockout_after_the_failure_limit_even_with_the_right_password(world, client):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert issue(client, "staff", "wrong-password-1").status_code == 401
    # the limit-th failure locks the account
    r = issue(client, "staff", "wrong-password-1")
    assert r.status_code == 403
    assert r["Content-Type"].startswith("application/json")
    # then the right password does not help
    r = issue(client, "staff")
    assert r.status_code == 403
    assert "锁定" in r.json()["detail"]
    assert r.json()["errors"] == []
    assert not ApiToken.objects.exists()
    assert AuditRecord.objects.filter(action=AuditRecord.Action.LOCKED).exists()
    assert AuditRecord.objects.filter(action="login_failed", object_repr="staff").count() >= limit
    # other accounts are not affected
    assert issue(client, "leader").status_code == 200


def test_a_successful_token_resets_the_failure_count(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        issue(client, "staff", "wrong-password-1")
    assert AccessAttempt.objects.filter(username="staff").exists()
    assert issue(client, "staff").status_code == 200
    assert not AccessAttempt.objects.filter(username="staff").exists()
    assert issue(client, "staff", "wrong-password-1").status_code == 401


def test_token_request_validation(world, client):
    api = Api(client)
    r = api.post("/auth/token", raw="{not json")
    assert (r.status_code, r.json()["detail"]) == (400, "请求体不是合法的 JSON")
    r = api.post("/auth/token", {"username": "staff"})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "password", "message": "此项为必填项"}]
    r = api.post("/auth/token", raw="")
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "", "message": "请求体不能为空"}]


@pytest.mark.parametrize("method,path", PROTECTED)
def test_every_endpoint_requires_auth(world, client, method, path):
    api = Api(client)
    body = None if method == "get" else {"version": 1}
    r = api.call(method, path.format(a1=world.a1.pk), body)
    assert r.status_code == 401
    assert r.json() == {"detail": "未登录或令牌无效、已过期", "errors": []}


def test_session_auth_reads_without_csrf_and_writes_with_it(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.zone_admin)
    api = Api(client)
    assert api.get("/me").json()["username"] == "zone_admin"

    body = {"version": world.a1.version, "address": "新地址"}
    r = api.patch(f"/enterprises/{world.a1.pk}", body)
    assert r.status_code == 403
    assert r.json()["detail"] == "CSRF 校验失败:请刷新页面后重试"
    world.a1.refresh_from_db()
    assert world.a1.address == ""

    csrf = "k" * 32
    client.cookies["csrftoken"] = csrf
    r = api.patch(f"/enterprises/{world.a1.pk}", body, headers={"X-CSRFToken": csrf})
    assert r.status_code == 200, r.content
    world.a1.refresh_from_db()
    assert world.a1.address == "新地址"


def test_bearer_writes_need_no_csrf_and_a_bad_bearer_is_401_not_csrf(world):
    client = Client(enforce_csrf_checks=True)
    _token, key = ApiToken.issue(world.zone_admin)
    body = {"version": world.a1.version, "address": "经开大道 1 号"}
    r = Api(client, {"Authorization": f"Bearer {key}"}).patch(f"/enterprises/{world.a1.pk}", body)
    assert r.status_code == 200
    r = Api(client, {"Authorization": "Bearer nope"}).patch(f"/enterprises/{world.a1.pk}", body)
    assert r.status_code == 401
