"""The people pages and endpoints × every role of the `world` fixture (tests/test_access_matrix.py
lists them and points here).

Besides the world's six accounts, two more: `b_staff` (staff of zone B) and `za2` (a second admin
of zone A). A platform admin sees and changes all of them; zone A's admin sees zone A's accounts
and changes those holding no admin role, and themselves; nobody else sees any. A refused write
answers 404 (not visible) or, in the API, 403 (visible, not changeable), and changes nothing.
"""

import json

import pytest
from django.urls import reverse

from gaoxin.core.models import AuditRecord, User, Zone
from gaoxin.core.people.services import ZONE_GRANTABLE
from tests.factories import PASSWORD, DepartmentFactory, member
from tests.support.world import EXPECTED_VIEW

pytestmark = pytest.mark.django_db

ROLES = list(EXPECTED_VIEW)
TARGETS = (*ROLES, "b_staff", "za2")
ZONE_A = {"zone_admin", "leader", "staff", "enterprise"}
VIEW = {r: set() for r in ROLES} | {"admin": set(TARGETS), "zone_admin": ZONE_A | {"za2"}}
CHANGE = {r: set() for r in ROLES} | {"admin": set(TARGETS), "zone_admin": ZONE_A}


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture
def people(world):
    dept_b = DepartmentFactory(zone=world.zone_b, name="乙经发局")
    users = {
        **world.users,
        "b_staff": member("zone_staff", username="b_staff", zone=world.zone_b, department=dept_b),
        "za2": member("zone_admin", username="za2", zone=world.zone_a),
    }
    world.targets = users
    return world


def state(user) -> tuple:
    u = User.objects.get(pk=user.pk)
    roles = sorted(u.memberships.values_list("role", "zone_id", "department_id"), key=str)
    audits = AuditRecord.objects.exclude(action__in=["login", "token", "token_revoke"]).count()
    return (u.password, u.is_active, u.must_change_password, u.full_name, u.phone, roles, audits)


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_exactly_the_scope(client, people, role):
    client.force_login(people.users[role])
    response = client.get(reverse("people:list"), {"per_page": 100})
    if not VIEW[role]:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    shown = {row.record.username for row in response.context["table"].page.object_list}
    assert shown == VIEW[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["people:detail", "people:edit"])
def test_account_pages(client, people, role, name):
    client.force_login(people.users[role])
    allowed = VIEW[role] if name == "people:detail" else CHANGE[role]
    for key, target in people.targets.items():
        status = client.get(reverse(name, args=[target.pk])).status_code
        assert status == (200 if key in allowed else 404), (role, key, status)


def _page_post(name, target, people):
    if name == "people:active":
        return {"active": "0", "reason": "测试停用"}
    if name == "people:membership_add":
        return {"role": "zone_leader", "zone": str(people.zone_a.pk)}
    return {}


WRITE_PAGES = ["people:active", "people:reset_password", "people:membership_add",
               "people:membership_remove", "people:edit"]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", WRITE_PAGES)
def test_account_writes_on_pages(client, people, role, name):
    actor = people.users[role]
    client.force_login(actor)
    for key, target in people.targets.items():
        args = [target.pk]
        if name == "people:membership_remove":
            args.append(target.memberships.first().pk)
        data = _page_post(name, target, people)
        if name == "people:edit":
            data = {"full_name": "改名", "phone": "", "email": ""}
        before = state(target)
        response = client.post(reverse(name, args=args), data)
        # A zone admin may revoke only the roles they may grant (not their own zone_admin).
        revocable = role == "admin" or target.memberships.first().role in ZONE_GRANTABLE
        if key not in CHANGE[role] or (name == "people:membership_remove" and not revocable):
            assert response.status_code == 404, (role, key, response.status_code)
            assert state(target) == before, (role, key)
            continue
        # Done (302, or 200 with the one-time password), or refused by a rule (own account,
        # last role), which says why on the account's page.
        assert response.status_code in (200, 302), (role, key, response.status_code)
        if key == role and name in ("people:active", "people:reset_password"):
            assert state(target) == before, (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_zone_pages_are_for_platform_admins(client, people, role):
    client.force_login(people.users[role])
    url = reverse("people:zone_edit", args=[people.zone_c.pk])
    assert client.get(url).status_code == (200 if role == "admin" else 404)
    data = {"code": "ZC", "name": "改名", "short_name": "", "level": "national",
            "division": "430104"}  # fmt: skip
    response = client.post(url, data)
    zone = Zone.objects.get(pk=people.zone_c.pk)
    if role == "admin":
        assert response.status_code == 302 and zone.name == "改名"
    else:
        assert response.status_code == 404 and zone.name == people.zone_c.name
    response = client.post(reverse("people:zone_create"), {**data, "code": "ZN"})
    assert Zone.objects.filter(code="ZN").exists() == (role == "admin")


# --- the API --------------------------------------------------------------------------------


def _call(client, method, url, body=None):
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


API_WRITES = {
    ("patch", "/api/v1/people/{id}"): {"phone": "13600000000"},
    ("post", "/api/v1/people/{id}/memberships"): {"role": "zone_leader", "zone": "ZA"},
    ("delete", "/api/v1/people/{id}/memberships/{m}"): None,
    ("post", "/api/v1/people/{id}/active"): {"active": False, "reason": "测试停用"},
    ("post", "/api/v1/people/{id}/password-reset"): None,
}


@pytest.mark.parametrize("role", ROLES)
def test_api_get_account(client, people, role):
    client.force_login(people.users[role])
    for key, target in people.targets.items():
        response = client.get(f"/api/v1/people/{target.pk}")
        expected = 200 if key in VIEW[role] else 404
        assert response.status_code == expected, (role, key)
        if expected == 404:
            assert response.json() == {"detail": "未找到该用户", "errors": []}


@pytest.mark.parametrize("role", ROLES)
def test_api_list_is_the_scope(client, people, role):
    client.force_login(people.users[role])
    response = client.get("/api/v1/people", {"page_size": 100})
    if not VIEW[role]:
        assert response.status_code == 403
        assert response.json()["detail"] == "只有管理员可以管理人员"
        return
    assert {u["username"] for u in response.json()["items"]} == VIEW[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(API_WRITES))
def test_api_writes(client, people, role, operation):
    method, path = operation
    client.force_login(people.users[role])
    for key, target in people.targets.items():
        url = path.format(id=target.pk, m=target.memberships.first().pk)
        before = state(target)
        response = _call(client, method, url, API_WRITES[operation])
        revocable = role == "admin" or target.memberships.first().role in ZONE_GRANTABLE
        if key in CHANGE[role] and (method != "delete" or revocable):
            # Done, or refused by a rule about oneself or a last role (422).
            assert response.status_code in (200, 201, 204, 422), (role, key, response.content)
            if response.status_code == 422:
                assert state(target) == before
            continue
        expected = 403 if key in VIEW[role] else 404
        assert response.status_code == expected, (role, key, response.content)
        assert state(target) == before, (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_api_create(client, people, role):
    client.force_login(people.users[role])
    body = {"username": f"new_{role}", "full_name": "新人", "role": "zone_leader", "zone": "ZA"}
    audits = AuditRecord.objects.count()
    response = _call(client, "post", "/api/v1/people", body)
    if role in ("admin", "zone_admin"):
        assert response.status_code == 201, response.content
        assert response.json()["must_change_password"] is True
    else:
        assert response.status_code in (403, 422), response.content
        assert not User.objects.filter(username=body["username"]).exists()
        assert AuditRecord.objects.count() == audits


@pytest.mark.parametrize("role", ROLES)
def test_everyone_changes_their_own_password_in_the_api(client, people, role):
    client.force_login(people.users[role])
    body = {"old_password": PASSWORD, "new_password": "My-own-pass-2027"}
    response = _call(client, "post", "/api/v1/auth/password", body)
    assert response.status_code == 200, response.content
    assert User.objects.get(username=role).check_password("My-own-pass-2027")
    assert client.get("/api/v1/me").status_code == 200  # this session stays signed in
