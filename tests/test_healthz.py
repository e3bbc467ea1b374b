import pytest


@pytest.mark.django_db
def test_healthz_reports_ok_without_login(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}
    assert r["X-Request-ID"]


@pytest.mark.django_db
def test_healthz_keeps_the_proxy_request_id(client):
    r = client.get("/healthz", headers={"X-Request-ID": "lb-check-42"})
    assert r["X-Request-ID"] == "lb-check-42"


@pytest.mark.django_db
def test_healthz_is_get_only(client):
    assert client.post("/healthz").status_code == 405


def test_healthz_is_503_when_the_database_cannot_be_reached(client):
    # No django_db mark: pytest-django refuses every database access, as a dead server would.
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json() == {"status": "error", "detail": "database unavailable"}
