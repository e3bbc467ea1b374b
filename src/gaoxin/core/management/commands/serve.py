"""`gaoxin serve`: the production server (gunicorn), DEBUG off, static files through whitenoise."""

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve gaoxin with gunicorn (production server)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args, host, port, workers, threads, **options):
        self.stdout.write(
            f"gaoxin 正在 http://{host}:{port}/ 提供服务 (数据库: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, DEBUG={settings.DEBUG}); Ctrl+C 停止"
        )
        sys.stdout.flush()
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
            "--access-logfile",
            "-",
            "--timeout",
            "120",
        ]
        os.execvp(sys.executable, [sys.executable, "-m", *argv])
