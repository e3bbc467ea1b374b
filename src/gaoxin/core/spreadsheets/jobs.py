"""Import jobs: an uploaded spreadsheet imported in the background, with its progress readable
while it runs and its outcome afterwards.

A job keeps its files in MEDIA_ROOT/<folder>/<uuid>/ (the upload, job.json, the workbook with the
bad cells marked) and its state in the cache under <prefix>:<uuid>; job.json keeps the owner and
the outcome when the cache drops the entry. Each kind of import has its own JobStore with its own
folder and prefix, so a job of one kind cannot be opened as a job of another.

With settings.IMPORT_SYNC the job runs in the request (tests, the browser tests); otherwise in a
daemon thread.
"""

import contextvars
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..errors import Forbidden
from ..models import User, Zone
from .result import ImportResult, stage_label

logger = logging.getLogger(__name__)
JOB_TTL = 24 * 3600
SHOWN_ERRORS = 200
ERRORS_FILE = "errors.xlsx"
RUNNING = ("queued", "running")

# run(user, zone, path, *, progress, name, **options) -> ImportResult; raises Forbidden when the
# user may not import into the zone. progress is called as progress(done, total, stage).
Runner = Callable[..., ImportResult]


@dataclass(frozen=True)
class JobStore:
    """Where the jobs of one kind of import live.

    prefix: the cache key prefix; folder: the folder under MEDIA_ROOT; name: the name of the
    kind in logs and thread names.
    """

    prefix: str
    folder: str
    name: str

    def directory(self, job_id) -> Path:
        return Path(settings.MEDIA_ROOT) / self.folder / str(job_id)

    def cache_key(self, job_id) -> str:
        return f"{self.prefix}:{job_id}"

    def errors_file(self, job_id) -> Path:
        return self.directory(job_id) / ERRORS_FILE

    def save(self, state: dict, *, persist: bool = False) -> None:
        cache.set(self.cache_key(state["id"]), state, JOB_TTL)
        if persist:
            path = self.directory(state["id"]) / "job.json"
            path.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")

    def load(self, job_id, user) -> dict | None:
        """The job's state, or None when there is no such job or `user` did not start it."""
        state = cache.get(self.cache_key(job_id))
        if state is None:
            path = self.directory(job_id) / "job.json"
            state = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
        if state is None or state["user_id"] != user.pk:
            return None
        return state

    def start(self, user, zone, upload, run: Runner, options: dict) -> uuid.UUID:
        """Store `upload`, record a queued job and run `run` on it; `options` (JSON values) are
        kept in the job's state and passed to `run` as keyword arguments."""
        job_id = uuid.uuid4()
        directory = self.directory(job_id)
        directory.mkdir(parents=True)
        path = directory / ("upload" + Path(upload.name).suffix.lower())
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        state = {
            "id": str(job_id),
            "user_id": user.pk,
            "zone_id": zone.pk,
            "zone_name": zone.name,
            "file_name": Path(upload.name).name[:100],
            **options,
            "state": "queued",
            "stage": "read",
            "stage_label": str(stage_label("read")),
            "done": 0,
            "total": 0,
            "started_at": timezone.now().isoformat(),
        }
        self.save(state, persist=True)
        args = (state, path, run, options, translation.get_language())
        if getattr(settings, "IMPORT_SYNC", False):
            self._run(*args, threaded=False)
        else:
            # The copied context carries the request id into the audit records the job writes.
            context = contextvars.copy_context()
            threading.Thread(
                target=context.run,
                args=(self._run, *args, True),
                name=f"{self.name}-{job_id}",
                daemon=True,
            ).start()
        return job_id

    def _run(self, state, path, run, options, language, threaded) -> None:
        try:
            with translation.override(language):
                user = User.objects.get(pk=state["user_id"])
                zone = Zone.objects.get(pk=state["zone_id"])
                progress = _Progress(self, state)
                result = run(
                    user, zone, path, progress=progress, name=state["file_name"], **options
                )
                marked = not result.ok and result.write_errors_workbook(
                    self.errors_file(state["id"])
                )
                state.update(
                    state="done", result=result.as_dict(SHOWN_ERRORS), has_errors_workbook=marked
                )
        except Forbidden as exc:
            state.update(state="failed", message=str(exc))
        except Exception:
            logger.exception("%s job %s failed", self.name, state["id"])
            with translation.override(language):
                state.update(
                    state="failed",
                    message=_("导入时发生意外错误,没有写入任何数据;请联系管理员"),
                )
        finally:
            state["finished_at"] = timezone.now().isoformat()
            self.save(state, persist=True)
            if threaded:
                connection.close()


class _Progress:
    """Writes progress to the cache at most twice a second (and at each stage change)."""

    def __init__(self, store: JobStore, state: dict):
        self.store, self.state, self.last = store, state, 0.0

    def __call__(self, done: int, total: int, stage: str) -> None:
        now = time.monotonic()
        if stage == self.state["stage"] and now - self.last < 0.5 and done < total:
            return
        self.state.update(
            state="running",
            stage=stage,
            stage_label=str(stage_label(stage)),
            done=done,
            total=total,
        )
        self.store.save(self.state)
        self.last = now
