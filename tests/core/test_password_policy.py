"""等保 password rules at the doors: a new or reset account and an expired password are held on
the password page (pages) or refused with 403 (API, session or bearer) until changed."""

import json
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from gaoxin.core.models import ApiToken, AuditRecord, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "Fresh-start-2027"


def held(user, **fields):
    User.objects.filter(pk=user.pk).update(**fields)
    return User.objects.get(pk=user.pk)


def test_a_forced_change_holds_every_page_on_the_password_page(client, world):
    client.force_login(held(world.staff, must_change_password=True))
    response = client.get("/enterprises/", {"q": "甲"})
    assert response.status_code == 302
    assert response.url == "/password/?" + urlencode({"next": "/enterprises/?q=%E7%94%B2"})
    page = client.get(response.url)
    assert page.status_code == 200
    assert "这是首次登录或密码已被管理员重置,请先修改密码。" in page.content.decode()
    assert client.post(reverse("switch_zone"), {"zone": world.zone_a.pk}).url == "/password/"


def test_htmx_requests_are_sent_to_the_password_page_too(client, world):
    client.force_login(held(world.staff, must_change_password=True))
    response = client.get("/enterprises/", headers={"HX-Request": "true"})
    assert (response.status_code, response["HX-Redirect"]) == (
        204,
        "/password/?next=%2Fenterprises%2F",
    )


def test_open_while_held_logout_language_static(client, world):
    client.force_login(held(world.staff, must_change_password=True))
    # Two-factor enrolment shows its recovery codes once, before the password is changed.
    response = client.get(reverse("otp_recovery_codes"))
    assert not getattr(response, "url", "").startswith("/password/")
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 302
    assert client.get("/static/core/gaoxin.css").status_code in (200, 404)  # not a redirect
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(("days", "held_back"), [(89, False), (90, True), (400, True)])
def test_a_password_older_than_the_maximum_age_must_change(client, world, days, held_back):
    changed = timezone.now() - timedelta(days=days)
    client.force_login(held(world.leader, password_changed_at=changed))
    response = client.get(reverse("home"))
    assert response.status_code == (302 if held_back else 200)
    if held_back:
        page = client.get(reverse("password_change")).content.decode()
        assert "密码已超过 90 天未修改,请修改密码后继续使用。" in page


def test_without_a_change_the_account_age_counts(client, world, settings):
    client.force_login(held(world.leader, date_joined=timezone.now() - timedelta(days=120)))
    assert client.get(reverse("home")).status_code == 302
    settings.PASSWORD_MAX_AGE_DAYS = 0  # expiry switched off
    assert client.get(reverse("home")).status_code == 200
    settings.PASSWORD_MAX_AGE_DAYS = 180
    assert client.get(reverse("home")).status_code == 200


def test_changing_on_the_page_releases_the_hold(client, world):
    client.force_login(held(world.staff, must_change_password=True))
    data = {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW,
            "next": "/enterprises/"}  # fmt: skip
    response = client.post(reverse("password_change"), data)
    assert (response.status_code, response.url) == (302, "/enterprises/")
    staff = User.objects.get(pk=world.staff.pk)
    assert staff.check_password(NEW) and not staff.must_change_password
    assert client.get(reverse("home")).status_code == 200  # still signed in, released
    record = AuditRecord.objects.for_object(staff).get(action="password")
    assert (record.actor, record.after) == (staff, {"must_change_password": False})


def test_the_page_names_what_is_wrong(client, world):
    client.force_login(world.staff)
    data = {"old_password": "nope", "new_password1": NEW, "new_password2": NEW + "x"}
    response = client.post(reverse("password_change"), data)
    assert response.status_code == 422
    assert response.context["form"].errors == {"new_password2": ["两次输入的新密码不一致"]}
    data = {"old_password": "nope", "new_password1": NEW, "new_password2": NEW}
    form = client.post(reverse("password_change"), data).context["form"]
    assert form.errors == {"old_password": ["原密码不正确"]}
    data = {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD}
    form = client.post(reverse("password_change"), data).context["form"]
    assert form.errors == {"new_password1": ["新密码不能与当前密码或最近 5 次用过的密码相同。"]}
    data = {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"}
    errors = client.post(reverse("password_change"), data).context["form"].errors
    assert "密码须包含小写字母、大写字母、数字、符号中的至少 3 类。" in errors["new_password1"]
    assert User.objects.get(pk=world.staff.pk).check_password(PASSWORD)
    assert not AuditRecord.objects.filter(action="password").exists()


def test_an_unsafe_next_goes_home(client, world):
    client.force_login(world.staff)
    data = {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW,
            "next": "https://evil.example/"}  # fmt: skip
    assert client.post(reverse("password_change"), data).url == "/"


# --- the API ----------------------------------------------------------------------------------


def test_session_api_calls_answer_403_until_changed(client, world):
    client.force_login(held(world.staff, must_change_password=True))
    response = client.get("/api/v1/me")
    assert response.status_code == 403
    assert response.json() == {
        "detail": "须先修改密码:这是首次登录或密码已被管理员重置,请先修改密码。",
        "errors": [],
    }
    body = json.dumps({"old_password": PASSWORD, "new_password": NEW})
    response = client.post("/api/v1/auth/password", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["must_change_password"] is False
    assert client.get("/api/v1/me").status_code == 200


def test_bearer_calls_answer_403_until_changed_then_the_token_ends(client, world):
    _token, key = ApiToken.issue(held(world.staff, must_change_password=True))
    auth = {"Authorization": f"Bearer {key}"}
    response = client.get("/api/v1/enterprises", headers=auth)
    assert response.status_code == 403
    assert response.json()["detail"].startswith("须先修改密码:")
    body = json.dumps({"old_password": PASSWORD, "new_password": NEW})
    response = client.post(
        "/api/v1/auth/password", body, content_type="application/json", headers=auth
    )
    assert response.status_code == 200, response.content
    assert "sessionid" not in response.cookies  # a token call opens no session
    # A password change ends every token, this one too: sign in again with the new password.
    assert client.get("/api/v1/me", headers=auth).status_code == 401


def test_api_password_change_errors(client, world):
    client.force_login(world.staff)
    send = lambda body: client.post(  # noqa: E731
        "/api/v1/auth/password", json.dumps(body), content_type="application/json"
    )
    response = send({"old_password": "x", "new_password": NEW})
    assert (response.status_code, response.json()["errors"]) == (
        422,
        [{"field": "old_password", "message": "原密码不正确"}],
    )
    response = send({"old_password": PASSWORD, "new_password": PASSWORD})
    assert response.json()["errors"] == [
        {"field": "new_password", "message": "新密码不能与当前密码或最近 5 次用过的密码相同。"}
    ]
    assert send({"old_password": PASSWORD}).status_code == 422
    assert send({"old_password": PASSWORD, "new_password": NEW, "x": 1}).status_code == 422
    assert client.post("/api/v1/auth/password", "x", content_type="text/plain").status_code in (
        400,
        415,
    )
    assert User.objects.get(pk=world.staff.pk).check_password(PASSWORD)
