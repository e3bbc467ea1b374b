"""Request ids and client addresses in the audit trail: a client's X-Request-ID is kept only in a
safe form, and X-Forwarded-For is believed only from a configured trusted proxy."""

import pytest

from gaoxin.core.models import AuditRecord
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def failed_login(client, **headers):
    client.post("/login/", {"username": "staff", "password": "wrong-password-1"}, headers=headers)
    return AuditRecord.objects.filter(action="login_failed").latest("id")


@pytest.mark.parametrize(
    "sent",
    ["6f1c0a2e-93b4-4d7e-8a51-0c7e2b9f4d11", "a1b2c3d4e5f6", "lb-1.example:42_x"],
)
def test_a_safe_request_id_is_kept_and_echoed(world, client, sent):
    rec = failed_login(client, **{"X-Request-ID": sent})
    assert rec.request_id == sent
    r = client.get("/login/", headers={"X-Request-ID": sent})
    assert r["X-Request-ID"] == sent


@pytest.mark.parametrize(
    "sent",
    [
        "<script>alert(1)</script>",
        "id with spaces",
        "x" * 65,
        "a\u200bb",  # zero-width space
        "'; DROP TABLE core_auditrecord; --",
        "-leading-dash",
        "中文编号",
    ],
)
def test_an_unsafe_request_id_is_replaced_by_a_fresh_one(world, client, sent):
    rec = failed_login(client, **{"X-Request-ID": sent})
    assert rec.request_id != sent
    assert len(rec.request_id) == 32 and rec.request_id.isalnum()


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(world, client, settings):
    settings.TRUSTED_PROXIES = []
    rec = failed_login(client, **{"X-Forwarded-For": "203.0.113.9"})
    assert rec.ip == "127.0.0.1"


def test_behind_a_trusted_proxy_the_client_address_is_recorded(world, client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    # The client forged the first hop; the proxies appended the real one and themselves.
    rec = failed_login(client, **{"X-Forwarded-For": "1.2.3.4, 203.0.113.9, 10.1.2.3"})
    assert rec.ip == "203.0.113.9"


def test_a_garbled_forwarded_chain_stops_at_the_garbage(world, client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    rec = failed_login(client, **{"X-Forwarded-For": "203.0.113.9, not-an-address"})
    assert rec.ip == "127.0.0.1"
    rec = failed_login(client, **{"X-Forwarded-For": ""})
    assert rec.ip == "127.0.0.1"


def test_the_lockout_and_the_successful_login_see_the_proxied_client(world, client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    client.post(
        "/login/",
        {"username": "staff", "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    assert AuditRecord.objects.get(action="login").ip == "198.51.100.7"
