"""Security headers (等保2.0, issue 11 item 14): the Content-Security-Policy and pages that pass
it, HTTPS (HSTS, redirect, secure cookies) when SECURE_COOKIES=1, `check --deploy` clean in
production settings, and the API docs and schema only for signed-in users."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from gaoxin.core.models import ApiToken
from tests.support.csp import inline_code

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "gaoxin"
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def policy(response) -> dict:
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


# --- the policy -----------------------------------------------------------------------------


def test_pages_the_api_and_the_docs_carry_the_policy(world, client):
    assert policy(client.get(reverse("login"))) == POLICY
    client.force_login(world.staff)
    for url in (
        reverse("home"),
        reverse("enterprises:list"),
        "/api/v1/enterprises",
        "/api/v1/docs",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy(response) == POLICY, url


def test_the_parser_finds_inline_code():
    """The check below can fail: each kind of inline code is found, data blocks are not."""
    html = (
        '<script>alert(1)</script><script src="/static/a.js"></script>'
        '<script id="d" type="application/json">{"a": 1}</script>'
        '<select onchange="this.form.submit()"></select><a href="javascript:go()">x</a>'
        '<div hx-on:click="go()"></div><div hx-vals="js:{a: go()}"></div>'
    )
    assert len(inline_code(html)) == 5


# Settings read in subprocesses: the same on either engine (conftest).
ONE_ENGINE = pytest.mark.engine("sqlite")


def test_the_api_docs_have_no_inline_code(world, client):
    """Every page the access matrix renders is checked for every role (tests/support/csp.py);
    the API's docs page, not an operation of the OpenAPI document the matrix reads, here."""
    client.force_login(world.staff)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and "text/html" in response["Content-Type"]
    assert inline_code(response.content.decode()) == []


def test_no_template_has_inline_code():
    """Also the branches a rendered page does not reach."""
    templates = sorted(SRC.glob("*/templates/**/*.html"))
    assert len(templates) > 50
    found = {}
    for template in templates:
        text = template.read_text(encoding="utf-8")
        hits = re.findall(
            r"<script(?![^>]*\bsrc=)[^>]*>|\s(?:hx-)?on[a-z:-]*\s*=|javascript:", text, re.I
        )
        if hits:
            found[str(template.relative_to(SRC))] = hits
    assert found == {}


# --- HTTPS ----------------------------------------------------------------------------------

SECURITY_SETTINGS = [
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
]


# Set by a developer's shell or by the test run (tests/conftest.py), these would change what
# the production process reads.
SECURITY_ENV = {
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "TRUSTED_PROXIES",
    "API_DOCS_PUBLIC",
}


def production_env(tmp_path, **env) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in SECURITY_ENV}
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "gaoxin.settings",
        "GAOXIN_VAR": str(tmp_path),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "gaoxin.example.gov.cn",
        **env,
    }


def settings_under(tmp_path, **env) -> dict:
    """The settings module as a fresh process reads it from the environment."""
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {SECURITY_SETTINGS!r}}}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=production_env(tmp_path, **env),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


@ONE_ENGINE
def test_secure_cookies_turns_on_hsts_the_redirect_and_secure_cookies(tmp_path):
    on = settings_under(tmp_path, SECURE_COOKIES="1")
    assert on == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_REDIRECT_EXEMPT": ["^healthz$"],
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
    }
    off = settings_under(tmp_path)
    assert (off["SECURE_HSTS_SECONDS"], off["SECURE_SSL_REDIRECT"]) == (0, False)
    assert (off["SESSION_COOKIE_SECURE"], off["CSRF_COOKIE_SECURE"]) == (False, False)


@ONE_ENGINE
def test_x_forwarded_proto_is_believed_only_behind_a_configured_proxy(tmp_path):
    behind = settings_under(tmp_path, SECURE_COOKIES="1", TRUSTED_PROXIES="10.0.0.2")
    assert behind["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    told = settings_under(tmp_path, SECURE_COOKIES="1", SECURE_PROXY_SSL_HEADER="1")
    assert told["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.fixture(scope="module")
def https_values(tmp_path_factory):
    return settings_under(tmp_path_factory.mktemp("var"), SECURE_COOKIES="1")


@pytest.fixture
def https_settings(settings, https_values):
    """This process set up as production reads SECURE_COOKIES=1."""
    for name, value in https_values.items():
        setattr(settings, name, tuple(value) if isinstance(value, list) else value)
    return settings


def test_plain_http_is_redirected_but_the_health_probe(client, https_settings):
    response = client.get("/enterprises/?q=1")
    assert (response.status_code, response["Location"]) == (
        301,
        "https://testserver/enterprises/?q=1",
    )
    health = client.get("/healthz")
    assert (health.status_code, health.json()) == (200, {"status": "ok"})


def test_https_pages_send_hsts_and_secure_cookies(client, https_settings):
    response = client.get(reverse("login"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.cookies["csrftoken"]["secure"] is True


def test_behind_the_proxy_forwarded_https_is_not_redirected(client, https_settings):
    https_settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


# --- check --deploy -------------------------------------------------------------------------


def check_deploy(tmp_path, **env):
    return subprocess.run(
        [sys.executable, "-m", "gaoxin", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path, **env),
        capture_output=True,
        text=True,
    )


@ONE_ENGINE
def test_check_deploy_is_clean_in_production_settings(tmp_path):
    result = check_deploy(tmp_path, SECURE_COOKIES="1")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "System check identified no issues" in result.stdout


@ONE_ENGINE
def test_check_deploy_fails_without_https(tmp_path):
    result = check_deploy(tmp_path)
    assert result.returncode == 1
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


# --- API docs and schema --------------------------------------------------------------------


def test_anonymous_get_no_schema_and_are_sent_to_sign_in_for_the_docs(client):
    schema = client.get("/api/v1/openapi.json")
    assert (schema.status_code, schema.json()) == (
        401,
        {"detail": "未登录或令牌无效、已过期", "errors": []},
    )
    docs = client.get("/api/v1/docs")
    assert (docs.status_code, docs["Location"]) == (302, "/login/?next=/api/v1/docs")


def test_a_bad_token_gets_no_schema(client):
    schema = client.get("/api/v1/openapi.json", headers={"Authorization": "Bearer nope"})
    assert schema.status_code == 401


def test_signed_in_users_read_the_docs_and_the_schema(world, client):
    _token, key = ApiToken.issue(world.enterprise)
    schema = client.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {key}"})
    assert (schema.status_code, schema.json()["info"]["title"]) == (200, "高新区管理平台 API")
    client.force_login(world.staff)
    assert client.get("/api/v1/openapi.json").status_code == 200
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert '<div id="swagger-ui"></div>' in docs.content.decode()


def test_api_docs_public_opens_them_to_everyone(client, settings):
    settings.API_DOCS_PUBLIC = True
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200
