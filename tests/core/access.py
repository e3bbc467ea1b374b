"""Core's URLs and API operations × every role (tests/test_access_matrix.py runs them), and the
framework's: sign-in, health, language, the API's docs, Django's admin.

Core's objects: person_a (zone A staff, also a leader, with a second factor, recovery codes, an
API token, a notification) and person_c (zone C staff, the same): the accounts admins manage;
one live API token and one notification per role user (token:<role>, note:<role>: "own" in the
checks); tags to delete in zones A and C.
"""

import re
from dataclasses import replace

from django.contrib import admin
from django.urls import URLPattern, URLResolver
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gaoxin.core import tokens
from gaoxin.core.models import Membership
from gaoxin.core.notifications import notify
from gaoxin.core.zones import SESSION_KEY
from tests.factories import PASSWORD, DepartmentFactory, TagFactory, member
from tests.support.access import (
    ANONYMOUS,
    EVERYONE,
    ROLES,
    ZONE_ROLES,
    Check,
    api,
    api_scoped,
    page,
    same,
    scoped,
)

ADMINS = {"admin", "zone_admin"}
PEOPLE = ("person_a", "person_c")
# Accounts each role may see and change on the people pages and in the API.
PEOPLE_SCOPE = {"admin": set(PEOPLE), "zone_admin": {"person_a"}}
RECOVERY_CODE = "k7m2p9q4"


def build(w):
    for key, zone, dept in (("person_a", w.zone_a, w.dept_a), ("person_c", w.zone_c, None)):
        person = w.add(key, member("zone_staff", username=key, zone=zone, department=dept))
        extra = Membership.objects.create(user=person, role="zone_leader", zone=zone)
        w.add(f"membership:{key}", extra)
        TOTPDevice.objects.create(user=person, name="手机", confirmed=True)
        device = StaticDevice.objects.create(user=person, name="恢复码", confirmed=True)
        StaticToken.objects.create(device=device, token=f"{key[-1]}code001")
        w.add(f"token:{key}", tokens.issue(person, name="脚本")[0])
        w.add(f"office:{key}", DepartmentFactory(zone=zone, name="综合办公室"))
    for role, user in w.users.items():
        w.add(f"token:{role}", tokens.issue(user, name="本人脚本")[0])
    for key, user in (*w.users.items(), ("person_a", w.person_a)):
        note = notify([user], "请查看", kind="core.notice", url="/", email=False)[0]
        w.add(f"note:{key}", note)
    w.add("tag_del_a", TagFactory(zone=w.zone_a, name="待删标签"))
    w.add("tag_del_c", TagFactory(zone=w.zone_c, name="待删标签"))


def own_or(ctx) -> str:
    """Whose object the target names: the role's own ("own"; staff's for anonymous), or a
    person's ("person_a", "person_c")."""
    if ctx.target == "own":
        return ctx.role if ctx.role != ANONYMOUS else "staff"
    return ctx.target


def own_token(ctx):
    return [ctx.w.pk(f"token:{own_or(ctx)}")]


def person_token(ctx):
    return [ctx.w.pk(ctx.target), ctx.w.pk(f"token:{ctx.target}")]


def person_membership(ctx):
    return [ctx.w.pk(ctx.target), ctx.w.pk(f"membership:{ctx.target}")]


def session_zone(ctx):
    return ctx.client.session.get(SESSION_KEY)


def recovery_codes(ctx):
    """The role's own recovery code, made in the test (the role users have no second factor)."""
    if ctx.role == ANONYMOUS:
        return None
    device = StaticDevice.objects.create(user=ctx.user, name="恢复码", confirmed=True)
    StaticToken.objects.create(device=device, token=RECOVERY_CODE)


def recovery_download_data(ctx):
    return {"code": RECOVERY_CODE if ctx.target == "own" else "acode001"}


TAGS = ("tag_del_a", "tag_del_c")
ZONE_TARGETS = ("zone_a", "zone_c")

PAGES = {
    # Signing in and out, one's own account.
    "login": Check(page(EVERYONE, ok=302, anonymous=200), login_redirect=False),
    "logout": Check(page(EVERYONE, ok=302, anonymous=302), method="post"),
    "home": Check(page()),
    "password_change": Check(page()),
    "password_change_done": Check(page()),
    "tokens": Check(page()),
    "notifications": Check(page(), why="one's own: tests/core/test_notifications.py"),
    "notifications_read": Check(
        scoped({r: {"own"} for r in ROLES}, ("own", "person_a"), ok=302),
        method="post",
        args=lambda ctx: [],
        data=lambda ctx: {"id": str(ctx.w.pk(f"note:{own_or(ctx)}"))},
        state=lambda ctx: ctx.w.row(f"note:{own_or(ctx)}"),
        why="one's own notifications only",
    ),
    "token_revoke": Check(
        scoped({r: {"own"} for r in ROLES}, ("own", "person_a"), ok=302),
        method="post",
        args=own_token,
        why="one's own tokens only: tests/core/test_token_pages.py",
    ),
    # The second factor's steps (tests/core/test_otp.py): one's own device only.
    "otp_enrol": Check(page()),
    "otp_verify": Check(page(ok=302), why="no step owed: on to the next page"),
    "otp_recovery_codes": Check(page(ok=302), why="codes are shown once, after they are made"),
    "otp_recovery_download": Check(
        scoped({r: {"own"} for r in ROLES}, ("own", "person_a")),
        method="post",
        args=lambda ctx: [],
        data=recovery_download_data,
        setup=recovery_codes,
        changes=False,
        why="only the user's own unused codes are echoed",
    ),
    "otp_disable": Check(
        page(ok=302),
        method="post",
        data={"code": "000000"},
        changes=False,
        why="a wrong code turns nothing off: tests/core/test_otp.py",
    ),
    "otp_reset": Check(
        scoped(PEOPLE_SCOPE, PEOPLE, ok=302),
        method="post",
        why="a higher admin resets a person in their scope: tests/core/test_otp.py",
    ),
    "switch_zone": Check(
        same(
            ZONE_TARGETS,
            admin=302,
            province=302,
            zone_admin=302,
            leader=302,
            staff=302,
            enterprise=302,
            anonymous=302,
        ),
        method="post",
        args=lambda ctx: [],
        data=lambda ctx: {"zone": str(ctx.w.pk(ctx.target))},
        state=session_zone,
        refused=frozenset({(r, "zone_c") for r in ("province", *ZONE_ROLES)}),
        why="a zone the user cannot see is refused with a message",
    ),  # fmt: skip
    "audit": Check(page(ADMINS)),
    "audit_export": Check(page(ADMINS)),
    "tags": Check(page(ADMINS)),
    "tag_delete": Check(
        scoped({"admin": {"tag_del_a"}, "zone_admin": {"tag_del_a"}}, TAGS, ok=302),
        method="post",
        why="the tags of the zone one works in",
    ),
    # People and zones: tests/core/test_people_access.py, test_people_pages.py.
    "people:list": Check(page(ADMINS)),
    "people:create": Check(page(ADMINS)),
    "people:detail": Check(scoped(PEOPLE_SCOPE, PEOPLE)),
    "people:edit": Check(scoped(PEOPLE_SCOPE, PEOPLE)),
    "people:active": Check(
        scoped(PEOPLE_SCOPE, PEOPLE, ok=302),
        method="post",
        data={"active": "0", "reason": "离职"},
    ),
    "people:reset_password": Check(scoped(PEOPLE_SCOPE, PEOPLE), method="post"),
    "people:membership_add": Check(
        scoped(PEOPLE_SCOPE, PEOPLE, ok=302),
        method="post",
        data=lambda ctx: {
            "role": "zone_staff",
            "zone": ctx.w.get(f"office:{ctx.target}").zone_id,
            "department": ctx.w.pk(f"office:{ctx.target}"),
        },
    ),
    "people:membership_remove": Check(
        scoped(PEOPLE_SCOPE, PEOPLE, ok=302), method="post", args=person_membership
    ),
    "people:token_revoke": Check(
        scoped(PEOPLE_SCOPE, PEOPLE, ok=302), method="post", args=person_token
    ),
    "people:zones": Check(page({"admin"})),
    "people:zone_create": Check(page({"admin"})),
    "people:zone_edit": Check(scoped({"admin": set(ZONE_TARGETS)}, ZONE_TARGETS)),
    # The framework's public URLs.
    "healthz": Check(page(EVERYONE, anonymous=200)),
    "set_language": Check(
        page(EVERYONE, ok=302, anonymous=302),
        method="post",
        data={"language": "en", "next": "/"},
        changes=False,
        login_redirect=False,
    ),
}


# --- the API's docs and fallbacks -------------------------------------------------------------

PAGES |= {
    "api:docs-asset": Check(
        {r: {"swagger-ui.css": 200, "nowhere.js": 404} for r in (*ROLES, ANONYMOUS)},
        args=lambda ctx: [ctx.target],
        why="Swagger UI's files, shipped inside ninja: public",
    ),
    "api:openapi-json": Check(page(EVERYONE, anonymous=401)),
    "api:openapi-view": Check(page()),
    "api:api-root": Check(page(EVERYONE, ok=404, anonymous=404)),
    "api:not-found": Check(
        page(EVERYONE, ok=404, anonymous=404), path=lambda ctx: "/api/v1/nowhere"
    ),
    r"^api(?:/|$)": Check(page(EVERYONE, ok=404, anonymous=404), path=lambda ctx: "/api/v2/"),
}


# --- Django's admin: for staff accounts only, which no role of the product is ---------------


def _admin_routes(resolver=None, prefix="django-admin/", ns="admin:"):
    resolver = resolver or admin.site.urls[0]
    for p in resolver if isinstance(resolver, list) else resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _admin_routes(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            yield (ns + p.name if p.name else route), route, p


def _admin_path(route):
    """A path the route matches: 1 for a converter, the first choice of a regex group."""

    def path(ctx):
        rest = re.sub(r"\(\?P<url>\.\*\)", "nowhere/", route)
        rest = re.sub(r"\(\?P<\w+>([^|)]*)[^)]*\)", r"\1", rest)
        rest = re.sub(r"<[^>]+>", "1", rest)
        return "/" + rest.replace("^", "").replace("$", "")

    return path


def _admin_checks():
    checks = {}
    for key, route, _pattern in _admin_routes():
        if key == "admin:login":
            expect = page(EVERYONE, ok=200, anonymous=200)
        else:
            expect = page(EVERYONE, ok=302, anonymous=302)
        checks[key] = Check(expect, path=_admin_path(route), login_redirect=False)
    return checks


PAGES |= _admin_checks()


# --- the API ----------------------------------------------------------------------------------


def credentials(ctx):
    if ctx.role == ANONYMOUS:
        return {}
    return {"username": ctx.user.username, "password": PASSWORD}


def new_account(ctx):
    return {
        "username": f"new_{ctx.role}",
        "full_name": "新同事",
        "role": "zone_staff",
        "zone": "ZA",
        "department": ctx.w.dept_a.pk,
    }


API = {
    ("post", "/api/v1/auth/token"): Check(
        api(EVERYONE, ok=200, anonymous=422), method="post", data=credentials
    ),
    ("get", "/api/v1/me"): Check(api()),
    ("get", "/api/v1/zones"): Check(api()),
    ("get", "/api/v1/industries"): Check(api()),
    ("get", "/api/v1/audit"): Check(api(ADMINS)),
    ("get", "/api/v1/audit/export"): Check(api(ADMINS)),
    ("get", "/api/v1/auth/tokens"): Check(api()),
    ("delete", "/api/v1/auth/tokens/{token_id}"): Check(
        api_scoped(
            {r: {"own"} | PEOPLE_SCOPE.get(r, set()) for r in ROLES},
            ("own", "person_a", "person_c"),
        ),
        method="delete",
        args=own_token,
        why="one's own; admins their people's: tests/api/test_tokens.py",
    ),
    ("post", "/api/v1/auth/logout"): Check(api(), method="post"),
    ("post", "/api/v1/auth/password"): Check(
        api(),
        method="post",
        data={"old_password": PASSWORD, "new_password": "Another-pass-2027"},
    ),
    ("get", "/api/v1/people"): Check(api(ADMINS)),
    ("post", "/api/v1/people"): Check(api(ADMINS, ok=201), method="post", data=new_account),
    ("get", "/api/v1/people/{user_id}"): Check(api_scoped(PEOPLE_SCOPE, PEOPLE)),
    ("patch", "/api/v1/people/{user_id}"): Check(
        api_scoped(PEOPLE_SCOPE, PEOPLE), method="patch", data={"phone": "13800000000"}
    ),
    ("post", "/api/v1/people/{user_id}/memberships"): Check(
        api_scoped(PEOPLE_SCOPE, PEOPLE, ok=201),
        method="post",
        data=lambda ctx: {"role": "zone_staff", "department": ctx.w.pk(f"office:{ctx.target}")},
    ),
    ("delete", "/api/v1/people/{user_id}/memberships/{membership_id}"): Check(
        api_scoped(PEOPLE_SCOPE, PEOPLE, ok=204), method="delete", args=person_membership
    ),
    ("post", "/api/v1/people/{user_id}/active"): Check(
        api_scoped(PEOPLE_SCOPE, PEOPLE),
        method="post",
        data={"active": False, "reason": "离职"},
    ),
    ("post", "/api/v1/people/{user_id}/password-reset"): Check(
        api_scoped(PEOPLE_SCOPE, PEOPLE), method="post"
    ),
}


# --- a partner account's door (core.partners) ---------------------------------------------------
# It signs in and out, keeps its password, second factor, API tokens and notifications, reads the
# API's docs, and starts on its module's page, as anyone does; every other page and operation
# answers 404 (tests/support/access.py gives that to what does not name it).

PARTNER_OPEN_PAGES = (
    "login", "logout", "password_change", "password_change_done", "tokens", "notifications",
    "notifications_read", "token_revoke", "otp_enrol", "otp_verify", "otp_recovery_codes",
    "otp_recovery_download", "otp_disable", "healthz", "set_language", "api:docs-asset",
    "api:openapi-json", "api:openapi-view",
)  # fmt: skip
PARTNER_OPEN_API = (
    ("post", "/api/v1/auth/token"), ("get", "/api/v1/me"), ("get", "/api/v1/auth/tokens"),
    ("delete", "/api/v1/auth/tokens/{token_id}"), ("post", "/api/v1/auth/logout"),
    ("post", "/api/v1/auth/password"),
)  # fmt: skip


def as_anyone(check: Check) -> Check:
    return replace(check, expect={**check.expect, "power": check.expect["staff"]})


PAGES |= {key: as_anyone(PAGES[key]) for key in PARTNER_OPEN_PAGES}
PAGES["home"] = replace(PAGES["home"], expect={**PAGES["home"].expect, "power": 302})
API |= {key: as_anyone(API[key]) for key in PARTNER_OPEN_API}
