"""The matters module's pages and endpoints × every role (tests/test_access_matrix.py lists every
URL and operation and points here for these).

Five matters: a help request of a1 (dept_a), a visit follow-up of a2 owned by another department,
an internal scheduling problem about a1, and one matter each in zones B and C. A refused write
answers 404 (not visible) or 403/404 (visible, not changeable) and changes nothing: neither the
matter, nor its timeline, nor the audit trail.
"""

import pytest
from django.urls import reverse

from gaoxin.core.models import AuditRecord
from gaoxin.matters import catalogue, services
from gaoxin.matters.models import Matter
from tests.core.test_access import EXPECTED_VIEW
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

ROLES = list(EXPECTED_VIEW)
EVERYONE = set(ROLES)
READERS = EVERYONE - {"enterprise"}
OFFICERS = {"admin", "zone_admin", "staff"}
ADMINS = {"admin", "zone_admin"}

# Pages without an object: which roles get 200 (the others 404; anonymous is sent to login).
MATTER_PLAIN_PAGES = {
    "matters:cockpit": READERS,
    "matters:cockpit_export": READERS,
    "matters:inbox": EVERYONE,
    "matters:notifications": EVERYONE,
    "matters:list": EVERYONE,  # enterprise users: their own
    "matters:export": EVERYONE,
    "matters:create": OFFICERS | {"enterprise"},  # enterprise users: a help request
    "matters:agency_list": EVERYONE,  # enterprise users: their own cases
    "matters:meeting_list": READERS,
    "matters:meeting_create": OFFICERS,
    "matters:groups": READERS,
    "matters:group_create": OFFICERS,
    "matters:awards": READERS,
    "matters:award_create": OFFICERS,
    "matters:loans": READERS,
    "matters:loan_create": OFFICERS,
    "matters:fairs": READERS,
    "matters:fair_create": OFFICERS,
    "matters:resumption": READERS,
    "matters:resumption_create": OFFICERS,
    "matters:categories": READERS,
    "matters:category_create": ADMINS,
}
MATTERS = ("m_a1", "m_a2", "m_sched", "m_b", "m_c")
MATTER_VIEW = {
    "admin": set(MATTERS),
    "province": {"m_a1", "m_a2", "m_sched", "m_b"},
    "zone_admin": {"m_a1", "m_a2", "m_sched"},
    "leader": {"m_a1", "m_a2", "m_sched"},
    "staff": {"m_a1", "m_a2", "m_sched"},
    "enterprise": {"m_a1"},
}
# Comments: officers who may change it, leaders of the zone, the enterprise on its own.
MATTER_COMMENT = {
    **MATTER_VIEW,
    "province": set(),
    "staff": {"m_a1", "m_sched"},
}
# Officers' changes (edit, assign, due, status, escalate): no leaders, no enterprise.
MATTER_CHANGE = {**MATTER_COMMENT, "leader": set(), "enterprise": set()}
# Per-matter pages: (method, who may).
MATTER_PAGES = {
    "matters:detail": ("GET", MATTER_VIEW),
    "matters:edit": ("GET", MATTER_CHANGE),
    "matters:comment": ("POST", MATTER_COMMENT),
    "matters:escalate": ("POST", MATTER_CHANGE),
}
# Covered by their own tests (per-object or POST-only pages of meetings, agency items, groups,
# ledgers, categories and attachments): tests/matters/test_*_pages.py.
MATTER_OTHER = {
    "matters:notifications_read",
    "matters:assign",
    "matters:due",
    "matters:status",
    "matters:rate",
    "matters:attachment",
    "matters:agency_items",
    "matters:agency_item",
    "matters:appointment_add",
    "matters:appointment_cancel",
    "matters:meeting_detail",
    "matters:meeting_edit",
    "matters:meeting_problem",
    "matters:meeting_minutes",
    "matters:group_detail",
    "matters:group_edit",
    "matters:award_delete",
    "matters:loan_delete",
    "matters:fair_detail",
    "matters:offer_create",
    "matters:offer_delete",
    "matters:resumption_edit",
    "matters:resumption_delete",
    "matters:category_edit",
}
MATTER_API_PLAIN = {  # roles answered 200; the others 403
    ("get", "/api/v1/matters"): EVERYONE,
    ("get", "/api/v1/assistance/awards"): READERS,
    ("get", "/api/v1/assistance/loans"): READERS,
    ("get", "/api/v1/assistance/fairs"): READERS,
    ("get", "/api/v1/assistance/resumptions"): READERS,
}
MATTER_API = {
    ("get", "/api/v1/matters/{matter_id}"): MATTER_VIEW,
    ("patch", "/api/v1/matters/{matter_id}"): MATTER_CHANGE,
    ("post", "/api/v1/matters/{matter_id}/comments"): MATTER_COMMENT,
    ("post", "/api/v1/matters/{matter_id}/escalate"): MATTER_CHANGE,
}
# Covered by tests/matters/test_api*.py and test_assistance_api.py (creation by zone rules,
# rating by the enterprise of a resolved matter, the summary of a period, ledger writes).
MATTER_API_OTHER = {
    ("post", "/api/v1/matters"),
    ("post", "/api/v1/matters/{matter_id}/rating"),
    ("get", "/api/v1/assistance/summary"),
    ("post", "/api/v1/assistance/awards"),
    ("post", "/api/v1/assistance/loans"),
    ("delete", "/api/v1/assistance/awards/{award_id}"),
    ("delete", "/api/v1/assistance/loans/{loan_id}"),
}


@pytest.fixture
def matters(world):
    other_dept = DepartmentFactory(zone=world.zone_a, name="企业服务局")
    admin = world.admin
    made = {
        "m_a1": services.create_matter(
            admin, world.zone_a, kind="help", title="招工难", enterprise=world.a1,
            category=catalogue.standard(world.zone_a, "help", "recruitment"),
            department=world.dept_a,
        ),
        "m_a2": services.create_matter(
            admin, world.zone_a, kind="visit", title="厂房漏水", enterprise=world.a2,
            department=other_dept,
        ),
        "m_sched": services.create_matter(
            admin, world.zone_a, kind="scheduling", title="用地指标", enterprise=world.a1,
            department=world.dept_a,
        ),
        "m_b": services.create_matter(
            admin, world.zone_b, kind="visit", title="乙区走访", enterprise=world.b1
        ),
        "m_c": services.create_matter(
            admin, world.zone_c, kind="visit", title="丙区走访", enterprise=world.c1
        ),
    }  # fmt: skip
    return made


def state(matter):
    matter = Matter.objects.get(pk=matter.pk)
    return (
        matter.version,
        matter.status,
        matter.escalated_at,
        matter.events.count(),
        AuditRecord.objects.for_object(matter).count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATTER_PLAIN_PAGES))
def test_plain_pages(client, world, role, name):
    client.force_login(world.users[role])
    status = client.get(reverse(name)).status_code
    assert status == (200 if role in MATTER_PLAIN_PAGES[name] else 404)


PAYLOADS = {
    "matters:comment": {"text": "请尽快办理"},
    "matters:escalate": {"reason": "企业多次反映"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATTER_PAGES))
def test_matter_pages(client, world, matters, role, name):
    method, allowed = MATTER_PAGES[name]
    client.force_login(world.users[role])
    for key, matter in matters.items():
        before = state(matter)
        url = reverse(name, args=[matter.pk])
        if method == "GET":
            status = client.get(url).status_code
            assert status == (200 if key in allowed[role] else 404), (key, status)
            continue
        status = client.post(url, PAYLOADS[name]).status_code
        if key in allowed[role]:
            assert status in (200, 302), (key, status)
            assert state(matter) != before, key
        else:
            assert status in (403, 404), (key, status)
            assert state(matter) == before, key


@pytest.mark.parametrize("name", sorted(MATTER_PLAIN_PAGES) + sorted(MATTER_PAGES))
def test_anonymous_is_sent_to_login(client, world, matters, name):
    args = [matters["m_a1"].pk] if name in MATTER_PAGES else []
    response = client.get(reverse(name, args=args))
    assert response.status_code in (302, 405)
    if response.status_code == 302:
        assert response.url.startswith("/login/")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(MATTER_API_PLAIN))
def test_api_plain_operations(client, world, role, operation):
    client.force_login(world.users[role])
    method, path = operation
    params = {} if role != "admin" or "assistance" not in path else {"zone": "ZA"}
    status = getattr(client, method)(path, params).status_code
    assert status == (200 if role in MATTER_API_PLAIN[operation] else 403), status


def test_api_list_returns_only_the_scope(client, world, matters):
    # Roles that see several zones read one at a time (`zone=`; default the first they see).
    zones = {"admin": ("ZA", "ZB", "ZC"), "province": ("ZA", "ZB")}
    for role in ROLES:
        client.force_login(world.users[role])
        ids = set()
        for zone in zones.get(role, (None,)):
            params = {"page_size": 100, **({"zone": zone} if zone else {})}
            ids |= {m["id"] for m in client.get("/api/v1/matters", params).json()["items"]}
        assert ids == {matters[k].pk for k in MATTER_VIEW[role]}, role


API_BODIES = {
    "patch": lambda m: {"version": m.version, "priority": "urgent"},
    "post comments": lambda m: {"text": "请尽快办理"},
    "post escalate": lambda m: {"reason": "企业多次反映"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(MATTER_API))
def test_api_object_operations(client, world, matters, role, operation):
    method, path = operation
    allowed = MATTER_API[operation]
    client.force_login(world.users[role])
    for key, matter in matters.items():
        before = state(matter)
        url = path.replace("{matter_id}", str(matter.pk))
        if method == "get":
            status = client.get(url).status_code
            assert status == (200 if key in allowed[role] else 404), (key, status)
            continue
        body_key = "patch" if method == "patch" else f"post {path.rsplit('/', 1)[1]}"
        body = API_BODIES[body_key](Matter.objects.get(pk=matter.pk))
        status = getattr(client, method)(url, body, content_type="application/json").status_code
        if key in allowed[role]:
            assert status in (200, 201), (key, status)
            assert state(matter) != before, key
        else:
            assert status in (403, 404), (key, status)
            assert status == 404 or key in MATTER_VIEW[role], (key, status)
            assert state(matter) == before, key
