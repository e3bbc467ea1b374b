"""Two factors for administrators (issue 11 item 11): enrolment, the code at sign-in, wrong codes
and the lock, recovery codes, the enforcing middleware, a higher admin's reset, API tokens.

Marked `otp`: platform and zone admins must use the second factor here, as in production.
"""

import datetime
import json
import zoneinfo
from base64 import b32encode

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gaoxin.core import otp
from gaoxin.core.models import ApiToken, AuditRecord, Tag, User
from tests.factories import PASSWORD, member

pytestmark = [pytest.mark.django_db, pytest.mark.otp]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
VERIFY, ENROL = "/account/otp/verify/", "/account/otp/"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def code_of(device) -> str:
    """The code the person's authenticator app shows now (computed from the device's key)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


def wrong_code(device) -> str:
    return str((int(code_of(device)) + 1) % 1_000_000).zfill(6)


def enrolled(user, clock):
    """A user who bound an app; the clock moves on, as a code is accepted only once."""
    device = otp.start_enrolment(user)
    device, codes = otp.confirm_enrolment(user, code_of(device))
    clock.shift(30)
    return device, codes


def log_in(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def give_code(client, code, next_url="/"):
    return client.post(VERIFY, {"code": code, "next": next_url})


def otp_audit(username, action=None):
    rows = AuditRecord.objects.filter(object_repr=username).order_by("id")
    if action:
        rows = rows.filter(action=action)
    return list(rows.values_list("action", "actor_name", "message"))


# --- enrolment -------------------------------------------------------------------------------


def test_an_admin_without_a_device_enrols_with_a_qr_code_and_gets_ten_recovery_codes_once(
    client, world, clock
):
    client.force_login(world.admin)
    response = client.get("/enterprises/")
    assert response.status_code == 302 and response.url == ENROL + "?next=%2Fenterprises%2F"

    page = client.get(ENROL + "?next=/enterprises/")
    device = TOTPDevice.objects.get(user=world.admin)
    assert not device.confirmed
    html = page.content.decode()
    qr = html[html.index('id="otp-qr">') :]
    assert qr.startswith('id="otp-qr"><svg') and "<path" in qr[: qr.index("</svg>")]
    secret = b32encode(device.bin_key).decode().rstrip("=")
    assert page.context["secret"].replace(" ", "") == secret and len(secret) == 32
    assert "<img" not in html and "http" not in qr[: qr.index("</svg>")].replace(
        "http://www.w3.org/2000/svg", ""
    )
    assert client.get(ENROL).context["secret"] == page.context["secret"]  # same key on reload

    wrong = client.post(ENROL, {"code": wrong_code(device), "next": "/enterprises/"})
    assert wrong.status_code == 200
    assert "验证码错误" in wrong.context["error"]
    device.refresh_from_db()
    assert not device.confirmed and device.throttling_failure_count == 1
    assert client.get("/enterprises/").status_code == 302

    clock.shift(2)  # past django-otp's delay after a failure
    done = client.post(ENROL, {"code": code_of(device), "next": "/enterprises/"})
    assert done.status_code == 302
    assert done.url == "/account/otp/recovery/?next=%2Fenterprises%2F"
    device.refresh_from_db()
    assert device.confirmed
    shown = client.get(done.url)
    codes = shown.context["codes"]
    stored = sorted(
        StaticToken.objects.filter(device__user=world.admin).values_list("token", flat=True)
    )
    assert len(codes) == 10 and sorted(c.replace("-", "") for c in codes) == stored
    assert all(c in shown.content.decode() for c in codes)
    assert shown.context["next"] == "/enterprises/"
    again = client.get("/account/otp/recovery/")  # shown once
    assert again.status_code == 302 and again.url == ENROL

    download = client.post("/account/otp/recovery/download/", {"code": codes})
    assert download["Content-Disposition"] == 'attachment; filename="gaoxin-recovery-codes.txt"'
    assert download.content.decode().splitlines()[3:] == codes
    stranger = client.post("/account/otp/recovery/download/", {"code": ["abcd-efgh"]})
    assert stranger.status_code == 404

    assert client.get("/enterprises/").status_code == 200  # verified by the enrolment
    assert otp_audit("admin", "otp") == [
        ("otp", "admin", "启用双因素认证失败:验证码错误:请输入验证器应用中当前显示的 6 位数字"),
        ("otp", "admin", "启用双因素认证(TOTP),生成恢复码"),
    ]


def test_the_manage_page_regenerates_recovery_codes_only_with_a_current_code(client, world, clock):
    device, old_codes = enrolled(world.admin, clock)
    client.force_login(world.admin)
    give_code(client, code_of(device))
    page = client.get(ENROL)
    assert page.templates[0].name == "registration/otp_manage.html"
    assert page.context["codes_left"] == 10 and page.context["required"] is True

    clock.shift(30)
    refused = client.post("/account/otp/recovery/", {"code": wrong_code(device)})
    assert refused.status_code == 302 and refused.url == ENROL
    assert StaticToken.objects.filter(device__user=world.admin).count() == 10
    assert otp.own_recovery_codes(world.admin, old_codes) == old_codes

    clock.shift(30)
    assert client.post("/account/otp/recovery/", {"code": code_of(device)}).status_code == 302
    new_codes = client.get("/account/otp/recovery/").context["codes"]
    assert len(new_codes) == 10 and set(new_codes).isdisjoint(old_codes)
    assert otp.own_recovery_codes(world.admin, old_codes) == []
    assert otp_audit("admin", "otp")[-1] == ("otp", "admin", "重新生成恢复码")


# --- signing in ------------------------------------------------------------------------------


def test_login_asks_for_the_code_after_the_password(client, world, clock):
    device, _codes = enrolled(world.zone_admin, clock)
    response = log_in(client, "zone_admin")
    assert response.status_code == 302 and response.url == VERIFY + "?next=%2F"
    assert client.get("/").url == VERIFY + "?next=%2F"  # signed in, not verified
    assert client.get(VERIFY).status_code == 200

    response = give_code(client, code_of(device))
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200
    assert otp_audit("zone_admin")[-2:] == [
        ("login", "zone_admin", ""),
        ("otp", "zone_admin", "登录:双因素认证通过"),
    ]


def test_a_wrong_code_is_refused_and_audited(client, world, clock):
    device, _codes = enrolled(world.zone_admin, clock)
    log_in(client, "zone_admin")
    response = give_code(client, wrong_code(device))
    assert response.status_code == 200
    assert response.context["error"] == "验证码或恢复码错误,还可尝试 4 次"
    assert "验证码或恢复码错误" in response.content.decode()
    assert client.get("/").status_code == 302
    assert otp_audit("zone_admin", "login_failed") == [
        ("login_failed", "zone_admin", "登录:验证码或恢复码错误,还可尝试 4 次")
    ]


def test_repeated_wrong_codes_are_throttled_then_lock_the_verification_for_the_cooloff(
    client, world, clock, settings
):
    device, _codes = enrolled(world.zone_admin, clock)
    log_in(client, "zone_admin")
    give_code(client, wrong_code(device))
    # django-otp's own delay: right after a failure even the right code is not tried.
    early = give_code(client, code_of(device))
    assert early.context["error"] == "尝试过于频繁,请 1 秒后再试"
    assert client.get("/").status_code == 302
    for left in (3, 2, 1):
        clock.shift(10)
        assert give_code(client, wrong_code(device)).context["error"] == (
            f"验证码或恢复码错误,还可尝试 {left} 次"
        )
    clock.shift(10)
    locked = give_code(client, wrong_code(device))
    assert locked.status_code == 429
    assert "连续错误 5 次,验证已锁定。请 30 分钟后再试" in locked.content.decode()
    assert "_auth_user_id" not in client.session  # signed out
    assert [a for a, *_ in otp_audit("zone_admin")][-3:] == ["login_failed", "locked", "logout"]

    # Signing in again with the password does not open the lock, not even with the right code.
    clock.shift(60)
    assert log_in(client, "zone_admin").url == VERIFY + "?next=%2F"
    assert client.get(VERIFY).status_code == 429
    assert client.get("/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 5

    # After the cool-off the right code lets them in, and the count starts over.
    clock.shift(settings.AXES_COOLOFF_TIME)
    log_in(client, "zone_admin")
    assert give_code(client, code_of(device)).url == "/"
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_recovery_code_works_once(client, world, clock):
    device, codes = enrolled(world.zone_admin, clock)
    log_in(client, "zone_admin")
    response = give_code(client, codes[0].upper().replace("-", " "))  # as people type it
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user=world.zone_admin).count() == 9
    assert otp_audit("zone_admin", "otp")[-1] == (
        "otp",
        "zone_admin",
        "登录:使用恢复码通过双因素认证,剩余 9 个",
    )

    client.post(reverse("logout"))
    log_in(client, "zone_admin")
    again = give_code(client, codes[0])
    assert again.context["error"] == "验证码或恢复码错误,还可尝试 4 次"
    assert client.get("/").status_code == 302


def test_a_person_who_enrolled_by_choice_is_asked_too_and_may_turn_it_off(client, world, clock):
    device, _codes = enrolled(world.staff, clock)  # zone staff: not required
    log_in(client, "staff")
    assert client.get("/").url == VERIFY + "?next=%2F"
    give_code(client, code_of(device))
    assert client.get("/").status_code == 200

    clock.shift(30)
    response = client.post("/account/otp/disable/", {"code": code_of(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.staff).exists()
    assert not StaticDevice.objects.filter(user=world.staff).exists()
    assert otp_audit("staff", "otp")[-1] == ("otp", "staff", "停用双因素认证")
    client.post(reverse("logout"))
    assert log_in(client, "staff").url == "/"


def test_a_required_role_cannot_turn_it_off(client, world, clock):
    device, _codes = enrolled(world.admin, clock)
    client.force_login(world.admin)
    give_code(client, code_of(device))
    clock.shift(30)
    response = client.post("/account/otp/disable/", {"code": code_of(device)}, follow=True)
    assert "您的角色必须使用双因素认证,不能停用" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.admin, confirmed=True).count() == 1
    assert not otp_audit("admin", "otp")[-1][2].startswith("停用")


def test_required_roles_are_configurable(client, world, settings):
    settings.OTP_REQUIRED_ROLES = "zone_staff"
    client.force_login(world.admin)
    assert client.get("/").status_code == 200
    client.force_login(world.staff)
    assert client.get("/").url == ENROL + "?next=%2F"


# --- the enforcing middleware ----------------------------------------------------------------


def page_names(resolver=None, prefix=""):
    """Every page of the product that takes no argument (the API is checked apart)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "api" or entry.namespace == "admin":
                continue
            yield from page_names(
                entry, prefix + (entry.namespace + ":" if entry.namespace else "")
            )
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.converters:
            yield prefix + entry.name


OPEN = {"otp_enrol", "otp_verify", "logout", "set_language"}


def test_every_page_sends_an_admin_without_a_device_to_enrolment(client, world):
    client.force_login(world.zone_admin)
    names = sorted(set(page_names()) - OPEN)
    assert {"home", "audit", "enterprises:list", "otp_recovery_codes"} <= set(names)
    for name in names:
        path = reverse(name)
        response = client.get(path)
        assert response.status_code == 302, name
        assert response.url.startswith(ENROL + "?next="), name
    assert client.get("/django-admin/").url == ENROL + "?next=%2Fdjango-admin%2F"
    assert client.get(ENROL).status_code == 200
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 302
    response = client.post("/api/v1/auth/token", {}, content_type="application/json")
    assert response.status_code == 403  # the API too, even the token endpoint in this session
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_every_page_sends_an_unverified_admin_with_a_device_to_the_code(client, world, clock):
    enrolled(world.admin, clock)
    client.force_login(world.admin)
    for name in ("home", "audit", "tags", "enterprises:list", "statistics:cockpit"):
        assert client.get(reverse(name)).url.startswith(VERIFY + "?next="), name
    assert client.get(ENROL).url == VERIFY + "?next=%2Faccount%2Fotp%2F"
    htmx = client.get("/enterprises/", headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx["HX-Redirect"] == VERIFY + "?next=%2Fenterprises%2F"
    posted = client.post("/tags/", {"name": "新材料"})
    assert posted.status_code == 302 and posted.url == VERIFY
    assert not Tag.objects.filter(name="新材料").exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/api/v1/me"), ("get", "/api/v1/zones"), ("post", "/api/v1/auth/token")],
)
def test_session_api_calls_of_an_unverified_admin_answer_403_in_the_error_shape(
    client, world, clock, method, path
):
    client.force_login(world.zone_admin)
    response = getattr(client, method)(path)
    assert response.status_code == 403
    assert json.loads(response.content) == {"detail": "请先在网页上启用双因素认证", "errors": []}
    enrolled(world.zone_admin, clock)
    client.force_login(world.zone_admin)
    response = getattr(client, method)(path)
    assert response.status_code == 403
    assert response.json() == {"detail": "请先在网页上完成双因素认证", "errors": []}


def test_people_whose_role_does_not_require_it_are_not_held(client, world):
    for username in ("province", "leader", "staff", "enterprise"):
        client.force_login(world.users[username])
        assert client.get("/").status_code == 200, username
        assert client.get("/api/v1/me").status_code == 200, username


# --- loss of device: a higher admin resets ---------------------------------------------------


def test_a_platform_admin_resets_a_zone_admins_lost_device_audited(client, world, clock):
    admin_device, _codes = enrolled(world.admin, clock)
    enrolled(world.zone_admin, clock)
    lost_token, _key = ApiToken.issue(world.zone_admin)
    client.force_login(world.admin)
    give_code(client, code_of(admin_device))

    url = reverse("otp_reset", args=[world.zone_admin.pk])
    assert url == f"/account/otp/reset/{world.zone_admin.pk}/"
    response = client.post(url, {"next": "/audit/"})
    assert response.status_code == 302 and response.url == "/audit/"
    assert not TOTPDevice.objects.filter(user=world.zone_admin).exists()
    assert not StaticDevice.objects.filter(user=world.zone_admin).exists()
    row = AuditRecord.objects.get(actor_name="admin", object_repr="zone_admin", action="otp")
    assert (row.before, row.after, row.zone_id) == (
        {"devices": ["recovery", "totp"]},
        {"devices": []},
        world.zone_a.pk,
    )
    assert row.message == "管理员重置双因素认证,须重新绑定"
    # What the lost device let in ends with it.
    assert ApiToken.objects.get(pk=lost_token.pk).revoked_at is not None

    # The zone admin must enrol again at the next sign-in.
    client.post(reverse("logout"))
    assert log_in(client, "zone_admin").url == ENROL + "?next=%2F"


def test_reset_scope(world):
    outsider = member("zone_staff", username="b_staff", zone=world.zone_b)
    other_admin = member("zone_admin", username="za2", zone=world.zone_a)
    allowed = {
        "admin": {"zone_admin", "za2", "province", "leader", "staff", "enterprise", "b_staff"},
        "zone_admin": {"leader", "staff", "enterprise"},
        "za2": {"leader", "staff", "enterprise"},
        "province": set(),
        "leader": set(),
        "staff": set(),
        "enterprise": set(),
    }
    people = {**world.users, "b_staff": outsider, "za2": other_admin}
    for actor, may in allowed.items():
        got = {name for name, u in people.items() if otp.can_reset_two_factor(people[actor], u)}
        assert got == may, actor


def test_a_zone_admin_cannot_reset_a_platform_admin_and_nothing_changes(client, world, clock):
    admin_device, _codes = enrolled(world.admin, clock)
    zone_device, _codes = enrolled(world.zone_admin, clock)
    staff_device, _codes = enrolled(world.staff, clock)
    outsider = member("zone_staff", username="b_staff", zone=world.zone_b)
    enrolled(outsider, clock)
    client.force_login(world.zone_admin)
    give_code(client, code_of(zone_device))
    before = AuditRecord.objects.count()

    for target in (world.admin, outsider, world.zone_admin):
        assert client.post(reverse("otp_reset", args=[target.pk])).status_code == 404
        assert TOTPDevice.objects.filter(user=target, confirmed=True).count() == 1
    assert client.post(reverse("otp_reset", args=[999_999])).status_code == 404
    assert client.post(reverse("otp_reset", args=[2**63])).status_code == 404
    assert AuditRecord.objects.count() == before

    response = client.post(reverse("otp_reset", args=[world.staff.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.staff).exists()
    assert otp_audit("staff", "otp")[-1] == ("otp", "zone_admin", "管理员重置双因素认证,须重新绑定")
    with pytest.raises(User.DoesNotExist):
        otp.reset_two_factor(world.zone_admin, world.admin)
    assert client.get(reverse("otp_reset", args=[world.staff.pk])).status_code == 405


# --- API tokens ------------------------------------------------------------------------------


def token(client, username, **extra):
    body = {"username": username, "password": PASSWORD, **extra}
    return client.post("/api/v1/auth/token", body, content_type="application/json")


def test_an_admin_token_needs_the_code(client, world, clock):
    response = token(client, "admin")
    assert response.status_code == 403
    assert response.json() == {"detail": "请先在网页上启用双因素认证", "errors": []}

    device, codes = enrolled(world.admin, clock)
    missing = token(client, "admin")
    assert missing.status_code == 401
    assert missing.json() == {"detail": "需要双因素认证码(otp)", "errors": []}
    wrong = token(client, "admin", otp=wrong_code(device))
    assert wrong.status_code == 401 and wrong.json()["detail"] == "需要双因素认证码(otp)"
    assert world.admin.api_tokens.count() == 0

    clock.shift(2)
    good = token(client, "admin", otp=code_of(device))
    assert good.status_code == 200
    auth = {"Authorization": f"Bearer {good.json()['token']}"}
    assert client.get("/api/v1/me", headers=auth).json()["username"] == "admin"
    clock.shift(30)
    assert token(client, "admin", otp=codes[0]).status_code == 200  # a recovery code, once
    assert world.admin.api_tokens.count() == 2

    assert [m for _a, _n, m in otp_audit("admin", "login_failed")] == [
        "接口令牌:尚未启用双因素认证",
        "接口令牌:未提供双因素认证码",
        "接口令牌:验证码或恢复码错误,还可尝试 4 次",
    ]
    assert token(client, "staff").status_code == 200  # zone staff need no code


def test_wrong_api_codes_lock_too(client, world, clock):
    device, _codes = enrolled(world.zone_admin, clock)
    for _i in range(5):
        clock.shift(20)
        assert token(client, "zone_admin", otp=wrong_code(device)).status_code in (401, 403)
    clock.shift(20)
    response = token(client, "zone_admin", otp=code_of(device))
    assert response.status_code == 403
    assert response.json()["detail"].startswith("双因素认证码连续错误 5 次,验证已锁定")
    assert otp_audit("zone_admin", "locked")[0][2].startswith("接口令牌:双因素认证码连续错误")
    assert world.zone_admin.api_tokens.count() == 0


def test_taking_a_token_from_a_verified_browser_session_keeps_it_verified(client, world, clock):
    device, _codes = enrolled(world.admin, clock)
    log_in(client, "admin")
    give_code(client, code_of(device))
    clock.shift(30)
    assert token(client, "admin", otp=code_of(device)).status_code == 200
    assert client.get("/").status_code == 200
