"""Errors outside the views (issue 11, item 7): under /api/ every answer is JSON in the API's error
shape (the CSRF page and Django's HTML 404 used to leak there), elsewhere a Chinese page; a bad
zone switch is a message, not a 500."""

import json

import pytest
from django.test import Client, RequestFactory
from django.urls import get_resolver

from gaoxin.core.views import errors
from gaoxin.core.zones import SESSION_KEY

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    """A browser session that enforces CSRF, as a real browser's does."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def error_shape(r, status: int) -> dict:
    assert r.status_code == status, r.content
    assert r["Content-Type"] == "application/json; charset=utf-8"
    body = json.loads(r.content)
    assert set(body) == {"detail", "errors"}
    assert body["errors"] == []
    return body


@pytest.mark.parametrize(
    "method,path",
    [
        ("post", "/api/v1/nowhere"),
        ("patch", "/api/v1/enterprises/null"),
        ("delete", "/api/v1/enterprises/abc"),
        ("post", "/api/v1/enterprises/"),  # trailing slash
        ("post", "/api/v1"),  # no slash
        ("post", "/api"),
        ("put", "/api/v2/enterprises"),
        ("post", "/api/v1/../x"),
    ],
)
def test_an_unknown_api_path_answers_json_even_without_a_csrf_token(world, method, path):
    # A session cookie and no CSRF token: the CSRF check never gets to turn this into HTML.
    r = getattr(signed_in(world.staff), method)(path, data="{}", content_type="application/json")
    body = error_shape(r, 404)
    assert body["detail"] == f"未找到该接口:{path}"


@pytest.mark.parametrize("path", ["/api/v1", "/api", "/api/v1/enterprises/abc", "/api/x/"])
def test_an_unknown_api_path_is_not_redirected_or_html(world, client, path):
    body = error_shape(client.get(path), 404)
    assert body["detail"] == f"未找到该接口:{path}"


def test_a_csrf_failure_on_the_api_answers_json(world):
    # A real endpoint, signed in by the session cookie, without X-CSRFToken.
    r = signed_in(world.staff).post(
        "/api/v1/enterprises", data="{}", content_type="application/json"
    )
    body = error_shape(r, 403)
    assert body["detail"] == "CSRF 校验失败:请刷新页面后重试"


def test_the_csrf_failure_view_answers_json_under_api_and_a_chinese_page_elsewhere(world):
    factory = RequestFactory()
    body = error_shape(errors.csrf_failure(factory.post("/api/v1/x"), reason="no token"), 403)
    assert body["detail"] == "CSRF 校验失败:请刷新页面后重试"
    r = signed_in(world.staff).post("/zone/", {"zone": world.zone_a.pk})  # no token
    assert r.status_code == 403
    assert r["Content-Type"].startswith("text/html")
    assert "页面已过期,请刷新后重试" in r.content.decode()


def test_the_error_handlers_are_wired():
    resolver = get_resolver()
    assert resolver.resolve_error_handler(400) is errors.bad_request
    assert resolver.resolve_error_handler(403) is errors.permission_denied
    assert resolver.resolve_error_handler(404) is errors.page_not_found
    assert resolver.resolve_error_handler(500) is errors.server_error


def test_a_server_error_is_json_under_api_and_a_chinese_page_elsewhere():
    factory = RequestFactory()
    request = factory.get("/api/v1/enterprises")
    request.request_id = "abc123"
    body = error_shape(errors.server_error(request), 500)
    assert body["detail"] == "服务器内部错误(请求编号 abc123)"
    request = factory.get("/enterprises/")
    request.request_id = "abc123"
    r = errors.server_error(request)
    assert r.status_code == 500
    html = r.content.decode()
    assert "服务器内部错误" in html
    assert '<code id="request-id">abc123</code>' in html


def test_a_page_404_is_still_the_chinese_page(world):
    client = Client()
    client.force_login(world.staff)
    r = client.get("/no-such-page/")
    assert r.status_code == 404
    assert "未找到该页面或记录" in r.content.decode()


@pytest.mark.parametrize("value", ["abc", "", "99999999999999999999", "1.5", "-1"])
def test_switching_to_a_zone_that_is_no_number_is_a_message_not_a_500(world, client, value):
    client.force_login(world.staff)
    before = client.session.get(SESSION_KEY)
    r = client.post("/zone/", {"zone": value, "next": "/enterprises/"})
    assert r.status_code == 302
    assert r["Location"] == "/enterprises/"
    assert client.session.get(SESSION_KEY) == before
    page = client.get("/enterprises/").content.decode()
    assert "未找到要切换的园区,或您无权查看该园区" in page


def test_switching_to_a_zone_out_of_sight_changes_nothing(world, client):
    client.force_login(world.staff)
    before = client.session.get(SESSION_KEY)
    r = client.post("/zone/", {"zone": world.zone_c.pk})
    assert (r.status_code, r["Location"]) == (302, "/")
    assert client.session.get(SESSION_KEY) == before


def test_switching_to_a_visible_zone_still_works(world, client):
    client.force_login(world.province)
    r = client.post("/zone/", {"zone": world.zone_b.pk, "next": "/enterprises/"})
    assert (r.status_code, r["Location"]) == (302, "/enterprises/")
    assert client.session[SESSION_KEY] == world.zone_b.pk
