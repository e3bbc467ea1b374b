"""The idle limit counts from the last request, but the session is written at most once a minute
(gaoxin.core.middleware.SessionIdleMiddleware)."""

from types import SimpleNamespace

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gaoxin.core import middleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    now = SimpleNamespace(seconds=1_800_000_000)
    monkeypatch.setattr(middleware, "time", SimpleNamespace(time=lambda: now.seconds))
    return now


def session_writes(client, path="/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum(q["sql"].startswith('UPDATE "django_session"') for q in queries.captured_queries)


def expiry():
    return Session.objects.get().expire_date


def test_a_signed_in_session_is_written_at_most_once_a_minute(client, world, clock):
    client.force_login(world.staff)
    assert session_writes(client) == 1  # the first request after signing in
    first = expiry()
    clock.seconds += 59
    assert session_writes(client) == 0
    assert expiry() == first
    clock.seconds += 1
    assert session_writes(client) == 1
    assert expiry() > first  # the idle limit starts again


def test_anonymous_visitors_get_no_session(client, clock):
    assert client.get(reverse("login")).status_code == 200
    assert client.get("/").status_code == 302
    assert not Session.objects.exists()
