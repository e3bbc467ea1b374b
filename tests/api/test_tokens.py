"""Tokens end like sessions: at sign-out, on a password change, when idle, when revoked; the
token endpoint reads only JSON, and every failed credential check counts and is audited."""

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


def issue(client, username, password=PASSWORD, **extra):
    return Api(client).post("/auth/token", {"username": username, "password": password, **extra})


def bearer(client, key):
    return Api(client, {"Authorization": f"Bearer {key}"})


# --- defect 1: the lockout cannot be bypassed with another content type ----------------------


@pytest.mark.parametrize(
    "content_type",
    [
        "multipart/form-data",  # no boundary: Django's parser raises (the 500 of the report)
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
        "text/plain",
        "application/xml",
    ],
)
def test_a_body_that_is_not_json_is_refused_in_the_error_shape(world, client, content_type):
    body = b'{"username": "staff", "password": "wrong-password-1"}'
    r = client.post("/api/v1/auth/token", data=body, content_type=content_type)
    assert r.status_code == 415
    assert r.json() == {"detail": "请求体应为 JSON(Content-Type: application/json)", "errors": []}
    assert not ApiToken.objects.exists()


def test_every_failed_credential_check_counts_and_is_audited_whatever_was_tried(world, client):
    attempts = [
        ("multipart/form-data", b'{"username": "staff", "password": "x"}'),
        ("application/json", b'{"username": "staff", "password": "wrong-password-1"}'),
        ("application/json; charset=utf-8", b'{"username": "staff", "password": "wrong-2"}'),
    ]
    for content_type, body in attempts:
        client.post("/api/v1/auth/token", data=body, content_type=content_type)
    # The two JSON attempts were credential checks: both counted and audited.
    assert AccessAttempt.objects.get(username="staff").failures_since_start == 2
    assert AuditRecord.objects.filter(action="login_failed", object_repr="staff").count() == 2


def test_the_lockout_holds_whatever_the_content_type(world, client):
    for i in range(settings.AXES_FAILURE_LIMIT):
        issue(client, "staff", f"wrong-password-{i}")
    for content_type in ("application/json", "multipart/form-data"):
        body = f'{{"username": "staff", "password": "{PASSWORD}"}}'.encode()
        r = client.post("/api/v1/auth/token", data=body, content_type=content_type)
        assert r.status_code in (403, 415)
    assert not ApiToken.objects.exists()


def test_the_login_page_with_a_broken_multipart_body_is_a_400_not_a_500(world, client):
    r = client.post("/login/", data=b"username=staff", content_type="multipart/form-data")
    assert r.status_code == 400


# --- defect 4: tokens end like sessions -------------------------------------------------------


def test_a_password_change_revokes_every_token_of_the_user(world, client):
    keys = [issue(client, "staff").json()["token"] for _ in range(2)]
    other = issue(client, "leader").json()["token"]
    world.staff.set_password("N3w-password!x")
    world.staff.save()
    for key in keys:
        assert bearer(client, key).get("/me").status_code == 401
    assert bearer(client, other).get("/me").status_code == 200
    revoked = AuditRecord.objects.filter(action="token_revoke", actor=world.staff)
    assert revoked.count() == 2
    assert {r.message for r in revoked} == {"密码已修改,撤销全部接口令牌"}


def test_signing_out_of_a_page_session_revokes_the_tokens_issued_from_it(world):
    browser = Client()
    browser.force_login(world.staff)
    key = browser.post(
        "/api/v1/auth/token",
        data=f'{{"username": "staff", "password": "{PASSWORD}"}}',
        content_type="application/json",
    ).json()["token"]
    elsewhere = issue(Client(), "staff").json()["token"]  # no session: not tied to it
    assert ApiToken.objects.get(key_hash=ApiToken.hash(key)).session_key

    browser.post("/logout/")

    assert bearer(Client(), key).get("/me").status_code == 401
    assert bearer(Client(), elsewhere).get("/me").status_code == 200


def test_api_logout_revokes_the_token_it_was_called_with(world, client):
    key = issue(client, "staff").json()["token"]
    second = issue(client, "staff").json()["token"]
    r = bearer(client, key).post("/auth/logout")
    assert r.status_code == 200 and r.json() == {"revoked": 1}
    assert bearer(client, key).get("/me").status_code == 401
    assert bearer(client, second).get("/me").status_code == 200


def test_a_token_idle_longer_than_a_session_expires(world, client):
    key = issue(client, "staff").json()["token"]
    token = ApiToken.objects.get()
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    ApiToken.objects.filter(pk=token.pk).update(created_at=timezone.now() - idle * 2)
    assert bearer(client, key).get("/me").status_code == 401  # never used, issued long ago

    key = issue(client, "staff").json()["token"]
    token = ApiToken.objects.get(key_hash=ApiToken.hash(key))
    assert bearer(client, key).get("/me").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - idle - timedelta(seconds=5)
    )
    assert bearer(client, key).get("/me").status_code == 401


def test_a_user_lists_and_revokes_their_own_tokens(world, client):
    key = issue(client, "staff", name="报表脚本").json()["token"]
    other_key = issue(client, "staff").json()["token"]
    api = bearer(client, key)
    listed = api.get("/auth/tokens").json()
    assert listed["count"] == 2
    mine = next(t for t in listed["items"] if t["current"])
    assert (mine["name"], mine["username"]) == ("报表脚本", "staff")
    other = next(t for t in listed["items"] if not t["current"])

    r = api.delete(f"/auth/tokens/{other['id']}")
    assert r.status_code == 200 and r.json() == {"revoked": 1}
    assert bearer(client, other_key).get("/me").status_code == 401
    assert api.get("/auth/tokens").json()["count"] == 1
    rec = AuditRecord.objects.get(action="token_revoke")
    assert (rec.actor, rec.message) == (world.staff, "本人撤销")


def test_nobody_sees_or_revokes_tokens_of_people_they_do_not_manage(world, client):
    staff_key = issue(client, "staff").json()["token"]
    staff_token = ApiToken.objects.get(key_hash=ApiToken.hash(staff_key))
    for role in ("leader", "enterprise", "province"):
        api = bearer(client, issue(client, role).json()["token"])
        assert api.get("/auth/tokens", user="staff").json()["count"] == 0
        r = api.delete(f"/auth/tokens/{staff_token.pk}")
        assert r.status_code == 404
        assert r.json()["detail"] == "未找到该接口令牌"
    assert bearer(client, staff_key).get("/me").status_code == 200
    assert not AuditRecord.objects.filter(action="token_revoke").exists()


def test_a_zone_admin_revokes_their_people_s_tokens_but_not_another_zone_s(world, client):
    from tests.factories import member

    member("zone_staff", username="b_staff", zone=world.zone_b, department=None)
    staff_key = issue(client, "staff").json()["token"]
    b_key = issue(client, "b_staff").json()["token"]
    admin = bearer(client, issue(client, "zone_admin").json()["token"])

    listed = admin.get("/auth/tokens", user="staff").json()
    assert [t["username"] for t in listed["items"]] == ["staff"]
    assert admin.get("/auth/tokens", user="b_staff").json()["count"] == 0
    b_token = ApiToken.objects.get(key_hash=ApiToken.hash(b_key))
    assert admin.delete(f"/auth/tokens/{b_token.pk}").status_code == 404

    r = admin.delete(f"/auth/tokens/{listed['items'][0]['id']}")
    assert r.json() == {"revoked": 1}
    assert bearer(client, staff_key).get("/me").status_code == 401
    assert bearer(client, b_key).get("/me").status_code == 200
    rec = AuditRecord.objects.get(action="token_revoke")
    assert (rec.actor, rec.message) == (world.zone_admin, "管理员撤销")


def test_a_hash_upgrade_at_sign_in_is_not_a_password_change(world, client, settings):
    from django.contrib.auth.hashers import make_password

    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    key = issue(client, "staff").json()["token"]
    changed_at = timezone.now() - timedelta(days=30)
    type(world.staff).objects.filter(pk=world.staff.pk).update(
        password=make_password(PASSWORD, hasher="md5"), password_changed_at=changed_at
    )
    assert issue(client, "staff").status_code == 200  # Django rehashes with PBKDF2 here
    world.staff.refresh_from_db()
    assert world.staff.password.startswith("pbkdf2_sha256$")
    assert world.staff.password_changed_at == changed_at
    assert bearer(client, key).get("/me").status_code == 200
    assert not AuditRecord.objects.filter(action="token_revoke").exists()
