"""Import jobs for tests that need one: run to their end on the module's own template with one
bad row, so each has its errors and the workbook with the bad cells marked."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from gaoxin.core.views.imports import option_names


def finished_job(target, user, zone) -> str:
    """The id of a job `user` started on `target` (a core.views.imports.ImportTarget)."""
    template = io.BytesIO()
    target.write_template(template, zone)
    book = openpyxl.load_workbook(io.BytesIO(template.getvalue()))
    sheet = book.worksheets[0]
    sheet.append(["？？"] * sheet.max_column)
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile("有错的表.xlsx", data.getvalue())
    options = dict.fromkeys(option_names(target.form), False)
    with override_settings(IMPORT_SYNC=True):
        job_id = target.jobs.start(user, zone, upload, target.run, options)
    state = target.jobs.load(job_id, user)
    if not (state and state["state"] == "done" and state.get("has_errors_workbook")):
        raise AssertionError(f"{target.namespace}: the job did not end with marked errors: {state}")
    return str(job_id)
