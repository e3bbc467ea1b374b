"""`gaoxin serve`: the production server (gunicorn), DEBUG off, static files through whitenoise.

Defaults for a 2-core machine (README, Production settings; measured by bench/load.py):
WEB_CONCURRENCY workers (default: 2 per core) of GUNICORN_THREADS threads (default 2), gthread so
browsers keep their connection open between requests; no access log unless asked for (the
audit trail records what matters, and every request's log line costs the workers' time).
"""

import argparse
import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from gaoxin.settings import env_bool


def default_workers() -> str:
    """WEB_CONCURRENCY, else 2 a core; as text, which argparse reads with the option's type (a
    bad value in the environment is then the option's error, not a traceback)."""
    return os.environ.get("WEB_CONCURRENCY") or str(2 * (os.cpu_count() or 1))


def gunicorn_argv(*, host, port, workers, threads, access_log, keep_alive) -> list[str]:
    argv = [
        "gunicorn",
        "gaoxin.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--keep-alive",
        str(keep_alive),
        "--timeout",
        "120",
    ]
    if access_log:
        argv += ["--access-logfile", "-"]
    return argv


class Command(BaseCommand):
    help = "Serve gaoxin with gunicorn (production server)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=os.environ.get("PORT") or "8000")
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument(
            "--threads", type=int, default=os.environ.get("GUNICORN_THREADS") or "2"
        )
        parser.add_argument(
            "--access-log",
            action=argparse.BooleanOptionalAction,
            default=env_bool("ACCESS_LOG"),
            help="one line per request on stdout",
        )
        parser.add_argument(
            "--keep-alive",
            type=int,
            default=os.environ.get("KEEP_ALIVE_SECONDS") or "5",
            help="seconds an idle connection stays open",
        )

    def handle(self, *args, host, port, workers, threads, access_log, keep_alive, **options):
        self.stdout.write(
            f"gaoxin 正在 http://{host}:{port}/ 提供服务 (数据库: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, DEBUG={settings.DEBUG}, {workers}×{threads}); Ctrl+C 停止"
        )
        sys.stdout.flush()
        argv = gunicorn_argv(
            host=host,
            port=port,
            workers=workers,
            threads=threads,
            access_log=access_log,
            keep_alive=keep_alive,
        )
        os.execvp(sys.executable, [sys.executable, "-m", *argv])
