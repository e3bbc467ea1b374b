"""Importing the project ledger (招商台账): upload → a background job with progress → the summary
or every error (and the upload with its bad cells marked); the template download.

Works like the enterprise import (enterprises/views/imports.py): a job keeps its files in
MEDIA_ROOT/imports/projects/<uuid>/ (the upload, job.json, the marked workbook) and its progress
in the cache. Only the user who started a job may see it; anyone else gets 404. Zone admins and
staff (who may add projects) reach these pages; everyone else gets 404.
"""

import contextvars
import json
import logging
import threading
import time
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.errors import Forbidden
from gaoxin.core.models import User, Zone
from gaoxin.core.models.access import can_add
from gaoxin.core.spreadsheets import stage_label
from gaoxin.core.spreadsheets.reading import EXTENSIONS

from ..importers import import_projects, project_columns, write_project_template
from ..models import Project

logger = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JOB_TTL = 24 * 3600
SHOWN_ERRORS = 200
ERRORS_FILE = "errors.xlsx"
RUNNING = ("queued", "running")


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("招商台账文件"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        ext = Path(upload.name).suffix.lower()
        if ext not in EXTENSIONS:
            raise forms.ValidationError(
                _("不支持的文件类型「%(e)s」:请上传 .xlsx、.xls 或 .csv 文件") % {"e": ext or "无"}
            )
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("文件过大(%(s).1f MB),上限为 %(m)d MB")
                % {"s": upload.size / 1048576, "m": limit // 1048576}
            )
        return upload


def _import_zone(request):
    """The zone the user works in, if they may add projects to it; otherwise 404."""
    zone = request.zone
    if not zone or not can_add(request.user, Project, zone):
        raise Http404
    return zone


# --- jobs ---------------------------------------------------------------------------------------


def _job_dir(job_id) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "projects" / str(job_id)


def _cache_key(job_id) -> str:
    return f"gaoxin:project-import-job:{job_id}"


def _save(state: dict, *, persist: bool = False) -> None:
    cache.set(_cache_key(state["id"]), state, JOB_TTL)
    if persist:  # the cache may drop entries; job.json keeps the owner and the outcome
        path = _job_dir(state["id"]) / "job.json"
        path.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")


def _load(job_id, user) -> dict:
    state = cache.get(_cache_key(job_id))
    if state is None:
        path = _job_dir(job_id) / "job.json"
        state = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    if state is None or state["user_id"] != user.pk:
        raise Http404
    return state


class _Progress:
    """Writes progress to the cache at most twice a second (and at each stage change)."""

    def __init__(self, state: dict):
        self.state, self.last = state, 0.0

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
        _save(self.state)
        self.last = now


def _run(state: dict, path: Path, language: str, threaded: bool) -> None:
    try:
        with translation.override(language):
            user = User.objects.get(pk=state["user_id"])
            zone = Zone.objects.get(pk=state["zone_id"])
            result = import_projects(
                user, zone, path, progress=_Progress(state), name=state["file_name"]
            )
            marked = not result.ok and result.write_errors_workbook(
                _job_dir(state["id"]) / ERRORS_FILE
            )
            state.update(
                state="done", result=result.as_dict(SHOWN_ERRORS), has_errors_workbook=marked
            )
    except Forbidden as exc:
        state.update(state="failed", message=str(exc))
    except Exception:
        logger.exception("project import job %s failed", state["id"])
        with translation.override(language):
            state.update(
                state="failed", message=_("导入时发生意外错误,没有写入任何数据;请联系管理员")
            )
    finally:
        state["finished_at"] = timezone.now().isoformat()
        _save(state, persist=True)
        if threaded:
            connection.close()


def _start(request, zone, upload) -> uuid.UUID:
    job_id = uuid.uuid4()
    directory = _job_dir(job_id)
    directory.mkdir(parents=True)
    path = directory / ("upload" + Path(upload.name).suffix.lower())
    with path.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    state = {
        "id": str(job_id),
        "user_id": request.user.pk,
        "zone_id": zone.pk,
        "zone_name": zone.name,
        "file_name": Path(upload.name).name[:100],
        "state": "queued",
        "stage": "read",
        "stage_label": str(stage_label("read")),
        "done": 0,
        "total": 0,
        "started_at": timezone.now().isoformat(),
    }
    _save(state, persist=True)
    language = translation.get_language()
    if getattr(settings, "IMPORT_SYNC", False):
        _run(state, path, language, threaded=False)
    else:
        # The copied context carries the request id into the audit records the job writes.
        context = contextvars.copy_context()
        threading.Thread(
            target=context.run,
            args=(_run, state, path, language, True),
            name=f"project-import-{job_id}",
            daemon=True,
        ).start()
    return job_id


# --- views --------------------------------------------------------------------------------------


@login_required
def import_page(request):
    zone = _import_zone(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job_id = _start(request, zone, form.cleaned_data["file"])
        return redirect("investment:import_job", job_id=job_id)
    return render(
        request,
        "investment/import.html",
        {
            "form": form,
            "zone": zone,
            "columns": project_columns(),
            "max_mb": settings.IMPORT_MAX_BYTES // 1048576,
        },
        status=422 if request.method == "POST" else 200,
    )


def _job_context(state: dict) -> dict:
    total = state.get("total") or 0
    percent = int(100 * state.get("done", 0) / total) if total else 0
    return {"job": state, "running": state["state"] in RUNNING, "percent": percent}


@login_required
def import_job(request, job_id):
    state = _load(job_id, request.user)
    return render(request, "investment/import_job.html", _job_context(state))


@login_required
def import_job_status(request, job_id):
    """The fragment the job page polls every second until the job is done."""
    state = _load(job_id, request.user)
    return render(request, "investment/import_job_status.html", _job_context(state))


@login_required
def import_errors(request, job_id):
    state = _load(job_id, request.user)
    path = _job_dir(job_id) / ERRORS_FILE
    if not path.is_file():
        raise Http404
    name = Path(state["file_name"]).stem + _("-错误标注") + ".xlsx"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=XLSX)


@login_required
def import_template(request):
    zone = _import_zone(request)
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, _("招商台账导入模板") + ".xlsx"
    )
    write_project_template(response, zone)
    return response


urlpatterns = [
    path("import/", import_page, name="import"),
    path("import/template/", import_template, name="import_template"),
    path("import/jobs/<uuid:job_id>/", import_job, name="import_job"),
    path("import/jobs/<uuid:job_id>/status/", import_job_status, name="import_job_status"),
    path("import/jobs/<uuid:job_id>/errors/", import_errors, name="import_errors"),
]
