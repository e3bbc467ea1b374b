"""Import jobs always reach an end (issue 11, item 2): a job whose worker died (process killed,
thread gone, heartbeat stale) is reported failed when loaded, and any exception in the worker,
MemoryError included, ends the job as failed."""

import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gaoxin.core.spreadsheets import ImportResult
from gaoxin.core.spreadsheets import jobs as jobs_module
from gaoxin.core.spreadsheets.jobs import JobStore, owner
from gaoxin.enterprises.views.imports import TARGET

pytestmark = pytest.mark.django_db

DIED = "导入进程意外中止,未写入任何数据,请重新导入"
UNEXPECTED = "导入时发生意外错误,没有写入任何数据;请联系管理员"
STORE = JobStore(prefix="test:import-job", folder="test-imports", name="test-import")


def seeded(user, store=STORE, **fields) -> dict:
    """A job recorded as running by this process and thread, with a fresh heartbeat."""
    state = {
        "id": "22222222-2222-2222-2222-222222222222",
        "user_id": user.pk,
        "zone_name": "甲高新区",
        "file_name": "名录.xlsx",
        "state": "running",
        "stage": "validate",
        "stage_label": "校验",
        "done": 500,
        "total": 2000,
        "update_existing": False,
        **owner(),
        "thread": threading.get_ident(),
        "heartbeat": time.time(),
        **fields,
    }
    store.directory(state["id"]).mkdir(parents=True)
    store.save(state, persist=True)
    return state


def persisted(store, state) -> dict:
    path = store.directory(state["id"]) / "job.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_live_job_stays_running(world):
    state = seeded(world.staff)
    assert STORE.load(state["id"], world.staff)["state"] == "running"


def test_a_stale_heartbeat_is_a_failed_job(world, settings):
    state = seeded(world.staff, heartbeat=time.time() - settings.IMPORT_JOB_STALE_SECONDS - 1)
    loaded = STORE.load(state["id"], world.staff)
    assert (loaded["state"], loaded["message"]) == ("failed", DIED)
    assert "finished_at" in loaded
    cache.clear()  # the end is kept in job.json too
    assert (persisted(STORE, state)["state"], STORE.load(state["id"], world.staff)["state"]) == (
        "failed",
        "failed",
    )


def test_a_queued_job_whose_process_is_gone_is_failed(world):
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                           capture_output=True, text=True)  # fmt: skip
    dead = int(child.stdout)
    state = seeded(world.staff, state="queued", pid=dead, pid_start=None, thread=None)
    loaded = STORE.load(state["id"], world.staff)
    assert (loaded["state"], loaded["message"]) == ("failed", DIED)


def test_a_reused_process_id_is_not_the_worker(world):
    """The same id, started at another time: the worker's process is gone."""
    state = seeded(world.staff, pid=os.getpid(), pid_start=owner()["pid_start"] - 1, thread=None)
    assert STORE.load(state["id"], world.staff)["state"] == "failed"


def test_a_job_whose_thread_is_gone_is_failed(world):
    worker = threading.Thread(target=lambda: None)
    worker.start()
    worker.join()
    state = seeded(world.staff, thread=worker.ident)
    assert all(t.ident != worker.ident for t in threading.enumerate())
    assert STORE.load(state["id"], world.staff)["state"] == "failed"


def test_another_hosts_job_is_judged_by_its_heartbeat_only(world):
    fresh = seeded(world.staff, host="elsewhere", pid=1, thread=None)
    assert STORE.load(fresh["id"], world.staff)["state"] == "running"


def test_the_status_page_shows_a_dead_job_as_failed_and_stops_polling(client, world):
    """What a killed worker leaves behind: running, a day-old heartbeat, a process that is gone."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                           capture_output=True, text=True)  # fmt: skip
    state = {
        "id": "33333333-3333-3333-3333-333333333333",
        "user_id": world.staff.pk,
        "zone_name": "甲高新区",
        "file_name": "名录.xlsx",
        "state": "running",
        "stage": "read",
        "stage_label": "读取",
        "done": 0,
        "total": 0,
        "update_existing": False,
        "host": socket.gethostname(),
        "pid": int(child.stdout),
        "heartbeat": time.time() - 86400,
    }
    cache.set(TARGET.jobs.cache_key(state["id"]), state)
    client.force_login(world.staff)
    html = client.get(reverse("enterprises:import_job_status", args=[state["id"]])).content.decode()
    assert DIED in html and "hx-trigger" not in html


def upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("名录.csv", "企业名称\n甲公司\n".encode())


def run_in_thread(store, user, zone, run) -> dict:
    """Start the job on a background thread, wait for that thread, return the stored state."""
    job_id = store.start(user, zone, upload(), run, {})
    worker = next(t for t in threading.enumerate() if t.name == f"{store.name}-{job_id}")
    worker.join()
    return store.load(job_id, user)


@pytest.mark.django_db(transaction=True)
def test_memory_error_in_the_worker_thread_ends_the_job_failed(world, settings):
    settings.IMPORT_SYNC = False

    def run(*_args, **_kwargs):
        raise MemoryError

    state = run_in_thread(STORE, world.staff, world.zone_a, run)
    assert (state["state"], state["message"]) == ("failed", UNEXPECTED)
    assert persisted(STORE, state)["state"] == "failed"
    assert not any(t.name.startswith(f"{STORE.name}-{state['id']}") for t in threading.enumerate())


def test_a_worker_that_exits_leaves_a_failed_job(world, settings):
    settings.IMPORT_SYNC = True
    started = {}

    def run(user, zone, path, **_kwargs):
        started["job"] = path.parent.name
        raise SystemExit(3)

    with pytest.raises(SystemExit):
        STORE.start(world.staff, world.zone_a, upload(), run, {})
    state = STORE.load(started["job"], world.staff)
    assert (state["state"], state["message"]) == ("failed", UNEXPECTED)


def test_the_heartbeat_is_renewed_while_the_worker_is_silent(world, settings, monkeypatch):
    """A stage that reports no progress (calamine reading, a long write) still beats."""
    settings.IMPORT_SYNC = True
    monkeypatch.setattr(jobs_module, "HEARTBEAT_SECONDS", 0.01)
    seen = {}

    def run(user, zone, path, *, progress, name, **_kwargs):
        first = STORE.load(path.parent.name, user)["heartbeat"]
        for _ in range(2000):  # the beat comes after ~0.01 s; give up after many
            stored = persisted(STORE, {"id": path.parent.name})
            if stored["heartbeat"] > first and stored["state"] == "queued":
                seen["beat"] = True
                break
            time.sleep(0.01)
        return ImportResult(file_name=name, rows=1, created=1)

    job_id = STORE.start(world.staff, world.zone_a, upload(), run, {})
    assert seen == {"beat": True}
    assert STORE.load(job_id, world.staff)["state"] == "done"
