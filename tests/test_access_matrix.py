"""Every page and API endpoint × every role: exactly what each sees and may change.

The URL list is read from the resolver, so a new URL without an entry here fails the suite.
A forbidden write answers like a missing object (404) and changes nothing.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gaoxin.core.models import AuditRecord
from gaoxin.enterprises.models import Enterprise
from gaoxin.investment import stages
from gaoxin.investment.models import Project
from tests.core.test_access import EXPECTED_CHANGE, EXPECTED_DELETE, EXPECTED_VIEW
from tests.factories import UserFactory
from tests.investment.conftest import pipeline  # noqa: F401
from tests.matters.test_access_matrix_matters import (
    MATTER_API,
    MATTER_API_OTHER,
    MATTER_API_PLAIN,
    MATTER_OTHER,
    MATTER_PAGES,
    MATTER_PLAIN_PAGES,
)
from tests.statistics.test_access_matrix_returns import RETURN_API, RETURN_PAGES

pytestmark = pytest.mark.django_db

ROLES = list(EXPECTED_VIEW)
ENTERPRISES = ("a1", "a2", "b1", "c1")
EVERYONE = set(ROLES)
ADMINS = {"admin", "zone_admin"}
CAN_ADD = {"admin", "zone_admin", "staff"}
READERS = EVERYONE - {"enterprise"}  # the investment pipeline is not for enterprise users

# Pages without an object: which roles get 200 (the others 404; anonymous is sent to login).
PLAIN_PAGES = {
    "home": EVERYONE,
    "password_change": EVERYONE,
    "password_change_done": EVERYONE,
    "tokens": EVERYONE,  # one's own tokens only: tests/core/test_token_pages.py
    "audit": ADMINS,
    "audit_export": ADMINS,
    "tags": ADMINS,
    "people:list": ADMINS,  # scope within the list: tests/core/test_people_access.py
    "people:create": ADMINS,
    "people:zones": {"admin"},
    "people:zone_create": {"admin"},
    "enterprises:list": EVERYONE,
    "enterprises:create": CAN_ADD,
    "enterprises:import": CAN_ADD,
    "enterprises:import_template": CAN_ADD,
    "investment:cockpit": READERS,
    "investment:projects": EVERYONE,  # enterprise users: their own project's public status
    "investment:project_create": CAN_ADD,
    "investment:import": CAN_ADD,
    "investment:import_template": CAN_ADD,
    "investment:campaigns": READERS,
    "investment:campaign_create": ADMINS,
    "investment:targets": READERS,
    "investment:thresholds": ADMINS,
    "statistics:cockpit": READERS,
    "statistics:cockpit-export": READERS,
    "statistics:returns": READERS,
    "statistics:missing": READERS,
    "statistics:findings": EVERYONE,  # enterprise users: their own returns' findings
    "statistics:official": READERS,
    "statistics:official_create": CAN_ADD,
    "statistics:indicators": READERS,
    "statistics:indicator_create": CAN_ADD,
    "statistics:rules": READERS,
    "statistics:returns_import:import": CAN_ADD,
    "statistics:returns_import:import_template": CAN_ADD,
    "statistics:official_import:import": CAN_ADD,
    "statistics:official_import:import_template": CAN_ADD,
}
# Pages that send some roles elsewhere: role → status (302 = redirect).
ROLE_PAGES = {
    # 我的报表: the enterprise's own returns; officers are sent to the zone's returns list.
    "statistics:my": {
        "admin": 302, "province": 404, "zone_admin": 302, "leader": 404, "staff": 302,
        "enterprise": 200,
    },
}  # fmt: skip
# Pages of one enterprise, with the action that decides who may open them.
OBJECT_PAGES = {
    "enterprises:detail": ("GET", EXPECTED_VIEW),
    "enterprises:edit": ("GET", EXPECTED_CHANGE),
    "enterprises:status": ("POST", EXPECTED_CHANGE),
    "enterprises:delete": ("POST", EXPECTED_DELETE),
}
# Not pages of the product: public, framework or per-job endpoints covered by their own tests.
OTHER = {
    "login",
    "logout",
    "healthz",
    "set_language",
    "switch_zone",
    # The second factor's steps and the admins' reset: tests/core/test_otp.py.
    "otp_enrol",
    "otp_verify",
    "otp_recovery_codes",
    "otp_recovery_download",
    "otp_disable",
    "otp_reset",
    "tag_delete",
    # Per-account and per-zone people pages: tests/core/test_people_access.py.
    "people:detail",
    "people:edit",
    "people:active",
    "people:reset_password",
    "people:membership_add",
    "people:membership_remove",
    "people:token_revoke",  # tests/core/test_token_pages.py
    "people:zone_edit",
    "token_revoke",
    "enterprises:validate",
    "enterprises:import_job",
    "enterprises:import_job_status",
    "enterprises:import_errors",
    # Per-campaign, per-document, per-funds-entry and per-job pages: tests/investment/.
    "investment:campaign_detail",
    "investment:campaign_edit",
    "investment:campaign_delete",
    "investment:funds_delete",
    "investment:document_download",
    "investment:document_delete",
    "investment:import_job",
    "investment:import_job_status",
    "investment:import_errors",
    # Per-period, per-finding and POST-only statistics pages: tests/statistics/test_pages_*.
    "statistics:fill",
    "statistics:check",
    "statistics:accept_clean",
    "statistics:deadline",
    "statistics:remind",
    "statistics:return_explain",
    "statistics:finding_query",
    "statistics:finding_close",
    "statistics:finding_explain",
    "statistics:official_edit",
    "statistics:indicator_edit",
    "statistics:rule_edit",
    "statistics:returns_import:import_job",
    "statistics:returns_import:import_job_status",
    "statistics:returns_import:import_errors",
    "statistics:official_import:import_job",
    "statistics:official_import:import_job_status",
    "statistics:official_import:import_errors",
}


# The pipeline fixture's projects: zone_a p_lead, p_signed (dept_a), p_other (another department),
# p_ent (investor: enterprise a1); zone_b p_b; zone_c p_c.
PROJECTS = ("p_lead", "p_signed", "p_other", "p_ent", "p_b", "p_c")
ZONE_A_PROJECTS = {"p_lead", "p_signed", "p_other", "p_ent"}
PROJECT_VIEW = {
    "admin": set(PROJECTS),
    "province": ZONE_A_PROJECTS | {"p_b"},
    "zone_admin": ZONE_A_PROJECTS,
    "leader": ZONE_A_PROJECTS,
    "staff": ZONE_A_PROJECTS,
    "enterprise": {"p_ent"},
}
PROJECT_CHANGE = {
    "admin": set(PROJECTS),
    "province": set(),
    "zone_admin": ZONE_A_PROJECTS,
    "leader": set(),
    "staff": {"p_lead", "p_signed", "p_ent"},  # their department's
    "enterprise": set(),
}
PROJECT_DELETE = {
    **{r: set() for r in ROLES},
    "admin": set(PROJECTS),
    "zone_admin": ZONE_A_PROJECTS,
}
PROJECT_PAGES = {
    "investment:project_detail": ("GET", PROJECT_VIEW),
    "investment:project_edit": ("GET", PROJECT_CHANGE),
    "investment:project_commitment": ("GET", PROJECT_CHANGE),
    "investment:project_stage": ("POST", PROJECT_CHANGE),
    "investment:project_delete": ("POST", PROJECT_DELETE),
    "investment:project_funds": ("POST", PROJECT_CHANGE),
    "investment:document_upload": ("POST", PROJECT_CHANGE),
}


def named_urls(resolver=None, ns=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace in {"admin", "api"}:
                continue
            yield from named_urls(p, f"{ns}{p.namespace}:" if p.namespace else ns)
        elif isinstance(p, URLPattern) and p.name:
            yield ns + p.name


def test_every_url_has_an_access_expectation():
    known = set(PLAIN_PAGES) | set(ROLE_PAGES) | set(OBJECT_PAGES) | set(PROJECT_PAGES) | OTHER
    # Per-return pages: tests/statistics/test_access_matrix_returns.py; the matters module's:
    # tests/matters/test_access_matrix_matters.py.
    known |= set(RETURN_PAGES) | set(MATTER_PLAIN_PAGES) | set(MATTER_PAGES) | MATTER_OTHER
    assert set(named_urls()) - known == set()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ROLE_PAGES))
def test_role_pages(client, world, role, name):
    client.force_login(world.users[role])
    assert client.get(reverse(name)).status_code == ROLE_PAGES[name][role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(PLAIN_PAGES))
def test_plain_pages(client, world, role, name):
    client.force_login(world.users[role])
    status = client.get(reverse(name)).status_code
    assert status == (200 if role in PLAIN_PAGES[name] else 404)


@pytest.mark.parametrize("name", sorted(PLAIN_PAGES) + sorted(OBJECT_PAGES) + sorted(PROJECT_PAGES))
def test_anonymous_is_sent_to_login(client, world, name):
    args = [world.a1.pk] if name in OBJECT_PAGES or name in PROJECT_PAGES else []
    response = client.get(reverse(name, args=args))
    assert response.status_code in (302, 405)
    if response.status_code == 302:
        assert response.url.startswith("/login/")


def _write_payload(name, enterprise):
    if name == "enterprises:status":
        return {"status": "suspended", "on": "2024-01-02", "version": enterprise.version}
    if name == "enterprises:delete":
        return {"reason": "测试删除", "version": enterprise.version}
    return {}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(OBJECT_PAGES))
def test_object_pages(client, world, role, name):
    method, expected = OBJECT_PAGES[name]
    user = world.users[role]
    client.force_login(user)
    if name == "enterprises:status" and role == "enterprise":
        expected = {role: set()}  # enterprise users keep their record, not its status
    for key in ENTERPRISES:
        enterprise = getattr(world, key)
        url = reverse(name, args=[enterprise.pk])
        audit_before = AuditRecord.objects.exclude(action__in=["login"]).count()
        if method == "GET":
            status = client.get(url).status_code
            assert status == (200 if key in expected[role] else 404), (role, key)
            continue
        response = client.post(url, _write_payload(name, enterprise))
        after = Enterprise.objects.get(pk=enterprise.pk)
        if key in expected[role]:
            assert response.status_code == 302, (role, key)
            assert after.version == enterprise.version + 1
        else:
            assert response.status_code in (302, 404), (role, key)
            assert after.version == enterprise.version, (role, key)
            assert after.status == enterprise.status and not after.is_deleted
            assert AuditRecord.objects.exclude(action="login").count() == audit_before


def _project_payload(name, project):
    if name == "investment:project_stage":
        stage, kind, _reason = stages.allowed_targets(project)[0]
        return {
            "stage": stage,
            "on": project.stage_on.isoformat(),
            "note": "测试",
            "version": project.version,
        }
    if name == "investment:project_delete":
        return {"reason": "测试删除", "version": project.version}
    if name == "investment:project_funds":
        return {"on": "2020-01-02", "amount": "100", "source": "out_of_province"}
    return {"kind": "other"}  # a document upload without a file


def _project_state(pk):
    p = Project.objects.get(pk=pk)
    return (p.version, p.stage, p.is_deleted, p.funds.count(), p.documents.count())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(PROJECT_PAGES))
def test_project_pages(client, pipeline, role, name):  # noqa: F811
    method, expected = PROJECT_PAGES[name]
    client.force_login(pipeline.world.users[role])
    for key in PROJECTS:
        project = Project.objects.get(pk=getattr(pipeline, key).pk)
        url = reverse(name, args=[project.pk])
        if method == "GET":
            status = client.get(url).status_code
            assert status == (200 if key in expected[role] else 404), (role, key)
            continue
        before, audit_before = _project_state(project.pk), AuditRecord.objects.count()
        response = client.post(url, _project_payload(name, project))
        if key in expected[role]:
            # Allowed: done (302), or refused by a business rule on the page (400/409/422).
            assert response.status_code in (302, 400, 409, 422), (role, key, response.status_code)
        else:
            assert response.status_code == 404, (role, key, response.status_code)
            assert _project_state(project.pk) == before, (role, key)
            assert AuditRecord.objects.count() == audit_before, (role, key)


# --- the API: every operation of the OpenAPI schema × every role -------------------------------

STATUS_CHANGE = {**EXPECTED_CHANGE, "enterprise": set()}  # enterprise users keep their status
API_OBJECT = {
    ("get", "/api/v1/enterprises/{enterprise_id}"): EXPECTED_VIEW,
    ("get", "/api/v1/enterprises/{enterprise_id}/history"): EXPECTED_VIEW,
    ("patch", "/api/v1/enterprises/{enterprise_id}"): EXPECTED_CHANGE,
    ("post", "/api/v1/enterprises/{enterprise_id}/status"): STATUS_CHANGE,
    ("delete", "/api/v1/enterprises/{enterprise_id}"): EXPECTED_DELETE,
}
API_PLAIN = {  # roles answered 200; the others 403 (a list they may not read at all)
    ("get", "/api/v1/enterprises"): EVERYONE,
    ("get", "/api/v1/me"): EVERYONE,
    ("get", "/api/v1/zones"): EVERYONE,
    ("get", "/api/v1/industries"): EVERYONE,
    ("get", "/api/v1/auth/tokens"): EVERYONE,  # one's own; admins their people's: test_tokens.py
    ("get", "/api/v1/audit"): ADMINS,
    ("get", "/api/v1/audit/export"): ADMINS,
    ("get", "/api/v1/people"): ADMINS,  # their scope only: tests/core/test_people_access.py
    ("get", "/api/v1/investment/projects"): EVERYONE,
    ("get", "/api/v1/statistics/returns"): EVERYONE,  # enterprise users: their own
    ("get", "/api/v1/statistics/findings"): EVERYONE,
    ("get", "/api/v1/statistics/official"): EVERYONE,  # enterprise users: an empty list
    ("get", "/api/v1/statistics/indicators"): EVERYONE,
    ("get", "/api/v1/statistics/rules"): EVERYONE,  # the checks their returns go through
}
API_OTHER = {  # covered by tests/api: token issuing (public), creation (zone rules), and
    # operations that need a zone or a campaign/document/funds object
    ("post", "/api/v1/auth/token"),
    # Signing out a token and revoking one: tests/api/test_tokens.py (owner, zone admin, others).
    ("post", "/api/v1/auth/logout"),
    ("delete", "/api/v1/auth/tokens/{token_id}"),
    # One's own password, and per-account operations: tests/core/test_people_access.py.
    ("post", "/api/v1/auth/password"),
    ("post", "/api/v1/people"),
    ("get", "/api/v1/people/{user_id}"),
    ("patch", "/api/v1/people/{user_id}"),
    ("post", "/api/v1/people/{user_id}/memberships"),
    ("delete", "/api/v1/people/{user_id}/memberships/{membership_id}"),
    ("post", "/api/v1/people/{user_id}/active"),
    ("post", "/api/v1/people/{user_id}/password-reset"),
    ("post", "/api/v1/enterprises"),
    ("get", "/api/v1/investment/summary"),
    ("post", "/api/v1/investment/projects"),
    ("delete", "/api/v1/investment/funds/{funds_id}"),
    ("get", "/api/v1/investment/documents/{document_id}"),
    ("delete", "/api/v1/investment/documents/{document_id}"),
    ("get", "/api/v1/investment/campaigns"),
    ("post", "/api/v1/investment/campaigns"),
    ("get", "/api/v1/investment/campaigns/{campaign_id}"),
    ("patch", "/api/v1/investment/campaigns/{campaign_id}"),
    ("delete", "/api/v1/investment/campaigns/{campaign_id}"),
    ("get", "/api/v1/investment/targets"),
    ("put", "/api/v1/investment/targets"),
    ("get", "/api/v1/investment/thresholds"),
    ("put", "/api/v1/investment/thresholds"),
    # Statistics operations that need a period, a zone or a finding: tests/statistics/test_api_*
    # and test_figures_api.py; per-return operations: test_access_matrix_returns.py.
    ("get", "/api/v1/statistics/figures"),
    ("get", "/api/v1/statistics/missing"),
    ("post", "/api/v1/statistics/reminders"),
    ("post", "/api/v1/statistics/returns"),
    ("post", "/api/v1/statistics/official"),
    ("patch", "/api/v1/statistics/official/{figure_id}"),
    ("post", "/api/v1/statistics/findings/{finding_id}/explain"),
    ("post", "/api/v1/statistics/findings/{finding_id}/query"),
    ("post", "/api/v1/statistics/findings/{finding_id}/close"),
}
PROJECT_API = {
    ("get", "/api/v1/investment/projects/{project_id}"): PROJECT_VIEW,
    ("get", "/api/v1/investment/projects/{project_id}/history"): {
        **PROJECT_VIEW,
        "enterprise": set(),
    },
    ("patch", "/api/v1/investment/projects/{project_id}"): PROJECT_CHANGE,
    ("delete", "/api/v1/investment/projects/{project_id}"): PROJECT_DELETE,
    ("post", "/api/v1/investment/projects/{project_id}/stage"): PROJECT_CHANGE,
    ("put", "/api/v1/investment/projects/{project_id}/commitment"): PROJECT_CHANGE,
    ("post", "/api/v1/investment/projects/{project_id}/funds"): PROJECT_CHANGE,
    ("post", "/api/v1/investment/projects/{project_id}/documents"): PROJECT_CHANGE,
}


def api_operations(client):
    client.force_login(UserFactory(username="schema-reader"))  # the schema needs a sign-in
    schema = client.get("/api/v1/openapi.json").json()
    return {(m, p) for p, ops in schema["paths"].items() for m in ops}


def test_every_api_operation_has_an_access_expectation(client):
    expected = set(API_OBJECT) | set(API_PLAIN) | API_OTHER | set(PROJECT_API) | set(RETURN_API)
    expected |= set(MATTER_API) | set(MATTER_API_PLAIN) | MATTER_API_OTHER
    assert api_operations(client) == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(API_PLAIN))
def test_api_plain_operations(client, world, role, operation):
    client.force_login(world.users[role])
    method, path = operation
    status = getattr(client, method)(path).status_code
    assert status == (200 if role in API_PLAIN[operation] else 403), status


def test_api_lists_return_only_the_scope(client, world):
    for role in ROLES:
        client.force_login(world.users[role])
        ids = {e["id"] for e in client.get("/api/v1/enterprises").json()["items"]}
        assert ids == {getattr(world, k).pk for k in EXPECTED_VIEW[role]}, role


def _api_body(method, path, enterprise):
    if path.endswith("/status"):
        return {"status": "suspended", "on": "2024-01-02", "version": enterprise.version}
    if method == "patch":
        return {"address": "新地址", "version": enterprise.version}
    return None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(API_OBJECT))
def test_api_object_operations(client, world, role, operation):
    method, path = operation
    client.force_login(world.users[role])
    for key in ENTERPRISES:
        enterprise = getattr(world, key)
        url = path.format(enterprise_id=enterprise.pk)
        if method == "delete":
            url += "?reason=测试"
        body = _api_body(method, path, enterprise)
        audit_before = AuditRecord.objects.exclude(action="login").count()
        send = getattr(client, method)
        response = send(url) if body is None else send(url, body, content_type="application/json")
        after = Enterprise.objects.get(pk=enterprise.pk)
        if key in API_OBJECT[operation][role]:
            assert response.status_code in (200, 204), (role, key, response.content)
            continue
        expected = 404 if key not in EXPECTED_VIEW[role] else 403
        assert response.status_code == expected, (role, key, response.content)
        assert (after.version, after.address, after.status, after.is_deleted) == (
            enterprise.version,
            enterprise.address,
            enterprise.status,
            False,
        )
        assert AuditRecord.objects.exclude(action="login").count() == audit_before


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _project_api_body(method, path, project):
    if path.endswith("/stage"):
        stage, kind, _reason = stages.allowed_targets(project)[0]
        return {
            "stage": stage,
            "on": project.stage_on.isoformat(),
            "note": "测试",
            "version": project.version,
        }
    if path.endswith("/commitment"):
        return {"start_by": "2030-01-01"}
    if path.endswith("/funds"):
        return {"on": "2020-01-02", "amount": "100"}
    if method == "patch":
        return {"site": "新址", "version": project.version}
    return None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(PROJECT_API))
def test_project_api_operations(client, pipeline, role, operation):  # noqa: F811
    method, path = operation
    client.force_login(pipeline.world.users[role])
    for key in PROJECTS:
        project = Project.objects.get(pk=getattr(pipeline, key).pk)
        url = path.format(project_id=project.pk)
        if method == "delete":
            url += "?reason=测试"
        body = _project_api_body(method, path, project)
        before, audit_before = _project_state(project.pk), AuditRecord.objects.count()
        send = getattr(client, method)
        if path.endswith("/documents"):
            upload = SimpleUploadedFile("现场.png", PNG)
            response = client.post(url, {"kind": "photo", "file": upload})
        elif body is None:
            response = send(url)
        else:
            response = send(url, body, content_type="application/json")
        allowed = PROJECT_API[operation][role]
        if key in allowed:
            # Done, or refused by a business rule (a commitment before signing, a missing file).
            assert response.status_code in (200, 201, 204, 422), (role, key, response.content)
            continue
        expected = 404 if key not in PROJECT_VIEW[role] else 403
        assert response.status_code == expected, (role, key, response.content)
        assert _project_state(project.pk) == before, (role, key)
        assert AuditRecord.objects.count() == audit_before, (role, key)
