"""Import jobs: an uploaded spreadsheet imported in the background, with its progress readable
while it runs and its outcome afterwards.

A job keeps its files in MEDIA_ROOT/<folder>/<uuid>/ (the upload, job.json, the workbook with the
bad cells marked) and its state in the cache under <prefix>:<uuid>; job.json keeps the owner and
the outcome when the cache drops the entry. Each kind of import has its own JobStore with its own
folder and prefix, so a job of one kind cannot be opened as a job of another.

With settings.IMPORT_SYNC the job runs in the request (tests, the browser tests); otherwise in a
daemon thread.

No job is left without an end: every exception in the worker ends it as failed, and a job whose
worker died with it (the process killed or aborted, the thread gone) is reported failed when it
is next loaded. While a job runs it carries its owner (host, process id and that process's start
time, thread) and a heartbeat that a companion thread renews every few seconds; a queued or
running job whose owner is gone, or whose heartbeat is older than IMPORT_JOB_STALE_SECONDS,
is failed. The import itself is one transaction, so a dead worker wrote nothing.
"""

import contextvars
import datetime
import json
import logging
import os
import socket
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
HEARTBEAT_SECONDS = 5

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
            # Written aside and renamed: a reader never sees half a file.
            path = self.directory(state["id"]) / "job.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            part = path.with_name(f"job.{threading.get_ident()}.part")
            part.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
            os.replace(part, path)

    def load(self, job_id, user) -> dict | None:
        """The job's state, or None when there is no such job or `user` did not start it. A job
        still queued or running whose worker is gone is failed here, for good."""
        state = cache.get(self.cache_key(job_id))
        if state is None:
            path = self.directory(job_id) / "job.json"
            state = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
        if state is None or state["user_id"] != user.pk:
            return None
        if state["state"] in RUNNING and abandoned(state):
            logger.warning("%s job %s: its worker is gone; marked failed", self.name, job_id)
            state.update(
                state="failed",
                message=_("导入进程意外中止,未写入任何数据,请重新导入"),
                finished_at=timezone.now().isoformat(),
            )
            self.save(state, persist=True)
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
            **owner(),
            "heartbeat": time.time(),
        }
        self.save(state, persist=True)
        args = (state, path, run, options, translation.get_language())
        if getattr(settings, "IMPORT_SYNC", False):
            self._run(*args, threaded=False)
        else:
            # The copied context carries the request id into the audit records the job writes.
            context = contextvars.copy_context()
            worker = threading.Thread(
                target=context.run,
                args=(self._run, *args, True),
                name=f"{self.name}-{job_id}",
                daemon=True,
            )
            try:
                worker.start()
            except RuntimeError:  # no thread to be had: the job ends here
                logger.exception("%s job %s could not start", self.name, job_id)
                state.update(
                    state="failed",
                    message=_("导入进程意外中止,未写入任何数据,请重新导入"),
                    finished_at=timezone.now().isoformat(),
                )
                self.save(state, persist=True)
        return job_id

    def _run(self, state, path, run, options, language, threaded) -> None:
        lock = threading.Lock()
        state["thread"] = threading.get_ident()
        heartbeat = _Heartbeat(self, state, lock)
        try:
            heartbeat.start()
            with translation.override(language):
                user = User.objects.get(pk=state["user_id"])
                zone = Zone.objects.get(pk=state["zone_id"])
                progress = _Progress(self, state, lock)
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
        except BaseException as exc:  # MemoryError too; and SystemExit goes on after the state
            logger.exception("%s job %s failed", self.name, state["id"])
            with translation.override(language):
                state.update(
                    state="failed",
                    message=_("导入时发生意外错误,没有写入任何数据;请联系管理员"),
                )
            if not isinstance(exc, Exception):
                raise
        finally:
            heartbeat.stop()
            state["finished_at"] = timezone.now().isoformat()
            self.save(state, persist=True)
            if threaded:
                connection.close()


def owner() -> dict:
    """Who runs a job: this host, process (with its start time, as a process id is reused)."""
    return {
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "pid_start": process_start(os.getpid()),
    }


def process_start(pid: int) -> int | None:
    """When process `pid` started, in clock ticks since boot (Linux /proc); None if unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rpartition(b")")[2].split()
        return int(fields[19])  # field 22 of stat; the fields after ")" start at field 3
    except (OSError, IndexError, ValueError):
        return None


def abandoned(state: dict) -> bool:
    """Whether a queued or running job has lost its worker: its heartbeat is stale, or (on this
    host) its process is gone or is another process by that id, or (in this process) its
    thread is gone."""
    beat = state.get("heartbeat")
    if beat is None and state.get("started_at"):  # a job recorded before heartbeats
        beat = datetime.datetime.fromisoformat(state["started_at"]).timestamp()
    if beat is not None and time.time() - beat > settings.IMPORT_JOB_STALE_SECONDS:
        return True
    pid = state.get("pid")
    if not pid or state.get("host") != socket.gethostname():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        pass  # it exists, under another user
    started = state.get("pid_start")
    if started is not None and process_start(pid) not in (None, started):
        return True
    thread = state.get("thread")
    if pid == os.getpid() and thread is not None:
        return all(t.ident != thread for t in threading.enumerate())
    return False


class _Heartbeat(threading.Thread):
    """Renews the job's heartbeat while the worker runs, whatever stage it is in."""

    def __init__(self, store: JobStore, state: dict, lock: threading.Lock):
        super().__init__(name=f"{store.name}-{state['id']}-heartbeat", daemon=True)
        self.store, self.state, self.lock = store, state, lock
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(HEARTBEAT_SECONDS):
            try:
                with self.lock:
                    self.state["heartbeat"] = time.time()
                    self.store.save(dict(self.state), persist=True)
            except Exception:  # a missed beat is no reason to stop beating
                logger.exception(
                    "%s job %s: heartbeat not saved", self.store.name, self.state["id"]
                )

    def stop(self) -> None:
        self.stopped.set()
        if self.ident is not None:  # it may never have started
            self.join()


class _Progress:
    """Writes progress to the cache at most twice a second (and at each stage change)."""

    def __init__(self, store: JobStore, state: dict, lock: threading.Lock):
        self.store, self.state, self.lock, self.last = store, state, lock, 0.0

    def __call__(self, done: int, total: int, stage: str) -> None:
        now = time.monotonic()
        if stage == self.state["stage"] and now - self.last < 0.5 and done < total:
            return
        with self.lock:
            self.state.update(
                state="running",
                stage=stage,
                stage_label=str(stage_label(stage)),
                done=done,
                total=total,
                heartbeat=time.time(),
            )
            self.store.save(dict(self.state))
        self.last = now
