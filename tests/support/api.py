"""Calling the API in tests: a JSON client acting as one of the world's users (tests/support/
world.py) with a bearer token, and what a refused write must leave unchanged.

Fixtures (registered in tests/conftest.py): `api_as`, `anonymous`.
"""

import json
from urllib.parse import urlencode

import pytest

from gaoxin.core.models import ApiToken, AuditRecord
from gaoxin.enterprises.models import StatusChange
from tests.support.world import ROLES

__all__ = ["ROLES", "Api", "anonymous", "api_as", "audit_count", "bearer", "names", "snapshot"]


class Api:
    def __init__(self, client, headers=None):
        self.client = client
        self.headers = headers or {}

    def call(self, method, path, body=None, *, headers=None, raw=None, **params):
        url = "/api/v1" + path + (f"?{urlencode(params, doseq=True)}" if params else "")
        kwargs = {"headers": {**self.headers, **(headers or {})}}
        if raw is not None:
            kwargs.update(data=raw, content_type="application/json")
        elif body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(self.client, method)(url, **kwargs)

    def get(self, path, **kw):
        return self.call("get", path, **kw)

    def post(self, path, body=None, **kw):
        return self.call("post", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.call("patch", path, body, **kw)

    def delete(self, path, body=None, **kw):
        return self.call("delete", path, body, **kw)


def bearer(user) -> dict:
    _token, key = ApiToken.issue(user)
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def api_as(world, client):
    """api_as("staff") → an Api client signed in as the world's staff user by bearer token."""

    def make(role):
        return Api(client, bearer(world.users[role]))

    return make


@pytest.fixture
def anonymous(client):
    return Api(client)


def audit_count() -> int:
    return AuditRecord.objects.count()


def names(world, ids) -> set[str]:
    by_id = {getattr(world, k).pk: k for k in ("a1", "a2", "b1", "c1")}
    return {by_id.get(i, i) for i in ids}


def snapshot(enterprise):
    """What a write would change: compare before and after a refused write."""
    enterprise.refresh_from_db()
    return (
        enterprise.version,
        enterprise.name,
        enterprise.address,
        enterprise.status,
        enterprise.is_deleted,
        audit_count(),
        StatusChange.objects.count(),
    )
