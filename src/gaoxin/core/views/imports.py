"""The import pages every module shares: upload → a background job with progress → the summary or
every error (and the upload with its bad cells marked); the template download.

A module describes what it imports in an ImportTarget and mounts its five pages with
`import_urlpatterns(target)` (investment/views/imports.py, statistics/views/imports.py). Only users who may
add the target's model to the zone they work in reach the upload page and the template; only the
user who started a job may see it. Everyone else gets 404.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.spreadsheets import XLSX

from ..models.access import ADD
from ..pages import zone_for
from ..spreadsheets.jobs import RUNNING, JobStore, Runner
from ..spreadsheets.reading import EXTENSIONS


class ImportForm(forms.Form):
    """The upload. Subclasses may relabel `file` and add BooleanFields: the page shows them as
    checkboxes (with their help_text) and the job passes them to the importer by name."""

    file = forms.FileField(label=gettext_lazy("电子表格文件"))

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


def option_names(form_class: type[ImportForm]) -> list[str]:
    return [name for name in form_class.base_fields if name != "file"]


@dataclass(frozen=True)
class ImportTarget:
    """What a module imports and how its import pages read.

    namespace: the URL namespace holding the module's import_* routes; model: who may import =
    who may add this model to the zone; run/columns/write_template: the module's importer, its
    column help and its template writer; jobs: where its jobs live. The rest is what the pages
    say (lazy strings): title, breadcrumb (list_url, list_label, crumb), the button back to the
    list (view_list), the file name of the template download, the module's own import rules and
    the module's nav include (nav, nav_tab) if it has one.
    """

    namespace: str
    model: type[Model]
    run: Runner
    columns: Callable[[], list]
    write_template: Callable[..., None]
    jobs: JobStore
    title: str
    list_url: str
    list_label: str
    crumb: str
    view_list: str
    template_file: str
    form: type[ImportForm] = ImportForm
    rules: tuple[str, ...] = ()
    nav: str = ""
    nav_tab: str = ""

    def url(self, name: str, *args) -> str:
        return reverse(f"{self.namespace}:{name}", args=args)


def _page(target: ImportTarget) -> dict:
    return {
        "page": target,
        "import_url": target.url("import"),
        "list_url": reverse(target.list_url),
        "crumb": None,  # the import pages draw their own, longer breadcrumb
    }


def upload_page(request, target: ImportTarget):
    zone = zone_for(request, target.model, ADD)  # 404 unless they may add its rows
    form = target.form(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        options = {name: form.cleaned_data[name] for name in option_names(target.form)}
        job_id = target.jobs.start(
            request.user, zone, form.cleaned_data["file"], target.run, options
        )
        return redirect(f"{target.namespace}:import_job", job_id=job_id)
    context = {
        **_page(target),
        "form": form,
        "zone": zone,
        "columns": target.columns(),
        "max_mb": settings.IMPORT_MAX_BYTES // 1048576,
        "template_url": target.url("import_template"),
    }
    return render(
        request, "core/import.html", context, status=422 if request.method == "POST" else 200
    )


def _load(request, target: ImportTarget, job_id) -> dict:
    state = target.jobs.load(job_id, request.user)
    if state is None:
        raise Http404
    return state


def _job_context(target: ImportTarget, state: dict) -> dict:
    total = state.get("total") or 0
    percent = int(100 * state.get("done", 0) / total) if total else 0
    return {
        **_page(target),
        "job": state,
        "running": state["state"] in RUNNING,
        "percent": percent,
        "status_url": target.url("import_job_status", state["id"]),
        "errors_url": target.url("import_errors", state["id"]),
    }


def job_page(request, target: ImportTarget, job_id):
    state = _load(request, target, job_id)
    fields = target.form.base_fields
    options = [fields[name].label for name in option_names(target.form) if state.get(name)]
    context = {**_job_context(target, state), "options": options}
    return render(request, "core/import_job.html", context)


def job_status(request, target: ImportTarget, job_id):
    """The fragment the job page polls every second until the job is done."""
    state = _load(request, target, job_id)
    return render(request, "core/import_job_status.html", _job_context(target, state))


def errors_download(request, target: ImportTarget, job_id):
    state = _load(request, target, job_id)
    path = target.jobs.errors_file(job_id)
    if not path.is_file():
        raise Http404
    name = Path(state["file_name"]).stem + _("-错误标注") + ".xlsx"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=XLSX)


def template_download(request, target: ImportTarget):
    zone = zone_for(request, target.model, ADD)  # 404 unless they may add its rows
    response = HttpResponse(content_type=XLSX)
    name = f"{target.template_file}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    target.write_template(response, zone)
    return response


def import_urlpatterns(target: ImportTarget) -> list:
    """The five import pages of `target`, for a module's urls to mount under its import prefix:
    `path("import/", include(import_urlpatterns(TARGET)))` (inside the module's namespace, or
    `include((import_urlpatterns(TARGET), "returns_import"))` for a nested one: the names are
    reversed in `target.namespace`)."""

    @login_required
    def import_page(request):
        return upload_page(request, target)

    @login_required
    def import_template(request):
        return template_download(request, target)

    @login_required
    def import_job(request, job_id):
        return job_page(request, target, job_id)

    @login_required
    def import_job_status(request, job_id):
        return job_status(request, target, job_id)

    @login_required
    def import_errors(request, job_id):
        return errors_download(request, target, job_id)

    return [
        path("", import_page, name="import"),
        path("template/", import_template, name="import_template"),
        path("jobs/<uuid:job_id>/", import_job, name="import_job"),
        path("jobs/<uuid:job_id>/status/", import_job_status, name="import_job_status"),
        path("jobs/<uuid:job_id>/errors/", import_errors, name="import_errors"),
    ]
