"""The production server's defaults (`gaoxin serve`, README: production settings) and what the
persistent database connections must not change: a revoked membership or token takes effect on
the very next request (bench/load.py measures the speed)."""

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError

from gaoxin.core.management.commands import serve
from gaoxin.core.models import ApiToken, Membership
from tests.support.api import bearer


def parsed(monkeypatch, cpus=2, **env):
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "ACCESS_LOG", "KEEP_ALIVE_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(serve.os, "cpu_count", lambda: cpus)
    return vars(serve.Command().create_parser("gaoxin", "serve").parse_args([]))


def test_serve_defaults_to_two_workers_a_core_of_two_threads_without_access_log(monkeypatch):
    options = parsed(monkeypatch, cpus=2)
    assert (options["workers"], options["threads"]) == (4, 2)
    assert options["access_log"] is False
    argv = serve.gunicorn_argv(
        **{k: options[k] for k in ("host", "port", "workers", "threads", "access_log")},
        keep_alive=options["keep_alive"],
    )
    assert argv[argv.index("--worker-class") + 1] == "gthread"
    assert argv[argv.index("--keep-alive") + 1] == "5"
    assert "--access-logfile" not in argv


def test_serve_settings_come_from_the_environment(monkeypatch):
    options = parsed(
        monkeypatch,
        WEB_CONCURRENCY="3",
        GUNICORN_THREADS="4",
        ACCESS_LOG="1",
        KEEP_ALIVE_SECONDS="2",
    )
    assert (options["workers"], options["threads"], options["keep_alive"]) == (3, 4, 2)
    argv = serve.gunicorn_argv(
        host="127.0.0.1", port=8000, workers=3, threads=4, access_log=True, keep_alive=2
    )
    assert argv[argv.index("--access-logfile") + 1] == "-"


@pytest.mark.parametrize(
    ("name", "option"),
    [("WEB_CONCURRENCY", "--workers"), ("GUNICORN_THREADS", "--threads"),
     ("KEEP_ALIVE_SECONDS", "--keep-alive"), ("PORT", "--port")],
)  # fmt: skip
def test_a_bad_number_in_the_environment_is_the_options_error(monkeypatch, name, option):
    monkeypatch.delenv("PORT", raising=False)
    with pytest.raises(CommandError) as caught:
        parsed(monkeypatch, **{name: "abc"})
    assert str(caught.value) == f"Error: argument {option}: invalid int value: 'abc'"


def conn_max_age(tmp_path, **env) -> int:
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DB_CONN_MAX_AGE")}
    code = "from gaoxin import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**environ, "GAOXIN_VAR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip())


def test_sqlite_connections_persist_like_postgresql_ones(tmp_path):
    assert conn_max_age(tmp_path) == 60
    assert conn_max_age(tmp_path, DB_CONN_MAX_AGE="0") == 0


@pytest.mark.django_db
def test_a_revoked_membership_takes_effect_on_the_next_request(client, world):
    client.force_login(world.staff)
    headers = bearer(world.staff)
    for ask in (client.get, lambda path: client.get(path, headers=headers)):
        assert ask("/api/v1/enterprises").json()["count"] == 2
    Membership.objects.filter(user=world.staff).delete()
    for ask in (client.get, lambda path: client.get(path, headers=headers)):
        answer = ask("/api/v1/enterprises")
        assert answer.status_code != 200 or answer.json()["count"] == 0


@pytest.mark.django_db
def test_a_revoked_token_takes_effect_on_the_next_request(client, world):
    headers = bearer(world.staff)
    assert client.get("/api/v1/enterprises", headers=headers).status_code == 200
    ApiToken.objects.filter(user=world.staff).delete()
    assert client.get("/api/v1/enterprises", headers=headers).status_code == 401
