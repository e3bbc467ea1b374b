"""The statistics module's per-return pages and endpoints × every role (tests/test_access_matrix.py
lists every URL and operation and points here for these).

One submitted return in each zone; a forbidden write answers 404 (not visible) or 403/404
(visible, not changeable), and changes nothing: neither the return nor the audit trail.
"""

import datetime

import pytest
from django.urls import reverse

from gaoxin.core.models import AuditRecord
from gaoxin.statistics import services
from gaoxin.statistics.models import Return
from tests.core.test_access import EXPECTED_VIEW

pytestmark = pytest.mark.django_db

ROLES = list(EXPECTED_VIEW)
ENTERPRISES = ("a1", "a2", "b1", "c1")
RETURN_VIEW = EXPECTED_VIEW  # a return is seen by whoever sees its enterprise
OFFICERS = {
    "admin": set(ENTERPRISES),
    "province": set(),
    "zone_admin": {"a1", "a2"},
    "leader": set(),
    "staff": {"a1", "a2"},
    "enterprise": set(),
}
FILLERS = {**OFFICERS, "enterprise": {"a1"}}  # who may edit, submit or revise a return

RETURN_PAGES = {
    "statistics:return": ("GET", RETURN_VIEW),
    "statistics:return_accept": ("POST", OFFICERS),
    "statistics:return_send_back": ("POST", OFFICERS),
}
RETURN_API = {
    ("get", "/api/v1/statistics/returns/{return_id}"): RETURN_VIEW,
    ("patch", "/api/v1/statistics/returns/{return_id}"): FILLERS,
    ("post", "/api/v1/statistics/returns/{return_id}/submit"): FILLERS,
    ("post", "/api/v1/statistics/returns/{return_id}/accept"): OFFICERS,
    ("post", "/api/v1/statistics/returns/{return_id}/send-back"): OFFICERS,
    ("post", "/api/v1/statistics/returns/{return_id}/revise"): FILLERS,
}
DATA = {"output_value": "1200", "revenue": "1150", "industrial_electricity": "60",
        "employees": "120"}  # fmt: skip


@pytest.fixture
def returns(world):
    """A submitted 2019-12 return for a1, a2, b1 and c1, made by the platform admin."""
    made = {}
    for key in ENTERPRISES:
        enterprise = getattr(world, key)
        enterprise.above_scale, enterprise.above_scale_since = True, datetime.date(2018, 1, 1)
        enterprise.save()
        ret = services.return_for(world.admin, enterprise, "2019-12", create=True)
        ret = services.save_draft(world.admin, ret, data=DATA, version=ret.version)
        made[key] = services.submit(world.admin, ret, version=ret.version)
    return made


def _state(pk):
    ret = Return.objects.get(pk=pk)
    return (ret.version, ret.status, ret.data, ret.revision)


def _page_payload(name, ret):
    if name == "statistics:return_send_back":
        return {"reason": "请核实", "version": ret.version}
    return {"version": ret.version}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(RETURN_PAGES))
def test_return_pages(client, world, returns, role, name):
    method, expected = RETURN_PAGES[name]
    client.force_login(world.users[role])
    for key in ENTERPRISES:
        ret = Return.objects.get(pk=returns[key].pk)
        url = reverse(name, args=[ret.pk])
        if method == "GET":
            assert client.get(url).status_code == (200 if key in expected[role] else 404), (
                role,
                key,
            )
            continue
        before, audit_before = _state(ret.pk), AuditRecord.objects.count()
        response = client.post(url, _page_payload(name, ret))
        if key in expected[role]:
            assert response.status_code == 302, (role, key, response.status_code)
            assert _state(ret.pk) != before
        else:
            assert response.status_code == 404, (role, key, response.status_code)
            assert _state(ret.pk) == before, (role, key)
            assert AuditRecord.objects.count() == audit_before, (role, key)


def _api_body(method, path, ret):
    if path.endswith("/send-back"):
        return {"reason": "请核实", "version": ret.version}
    if path.endswith("/revise"):
        return {"data": {"profit": "12"}, "reason": "更正利润", "version": ret.version}
    if method == "patch":
        return {"data": {"profit": "12"}, "version": ret.version}
    if method == "post":
        return {"version": ret.version}
    return None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(RETURN_API))
def test_return_api_operations(client, world, returns, role, operation):
    method, path = operation
    client.force_login(world.users[role])
    for key in ENTERPRISES:
        ret = Return.objects.get(pk=returns[key].pk)
        url = path.format(return_id=ret.pk)
        body = _api_body(method, path, ret)
        before, audit_before = _state(ret.pk), AuditRecord.objects.count()
        send = getattr(client, method)
        response = send(url) if body is None else send(url, body, content_type="application/json")
        if key in RETURN_API[operation][role]:
            # Done, or refused by a workflow rule (a submitted return is not a draft any more).
            assert response.status_code in (200, 201, 422), (role, key, response.content)
            continue
        expected = 404 if key not in RETURN_VIEW[role] else 403
        assert response.status_code == expected, (role, key, response.content)
        assert _state(ret.pk) == before, (role, key)
        assert AuditRecord.objects.count() == audit_before, (role, key)
