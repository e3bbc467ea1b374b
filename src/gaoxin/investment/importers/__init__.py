"""The project ledger (招商台账) from a spreadsheet, all or nothing (DESIGN.md mechanism 5).

Every row goes through the same rules as a single create and the stage moves after it
(`references.resolve`, `services.validate`, `stages.enter` / `apply_move`, `services.validate_commitment`),
but what those rules would look up row by row is loaded once, so 5,000 rows validate without a
query each and are written with bulk inserts in one transaction.

Registered as the "projects" kind of `gaoxin import` (see `InvestmentConfig.ready`).
"""

import time

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import audit
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import can_add
from gaoxin.core.spreadsheets import ImportResult, read_records
from gaoxin.core.spreadsheets.registry import Target

from .. import services
from ..models import Project
from .columns import project_columns, write_project_template
from .validation import Validator
from .writing import Conflict, write_plan

__all__ = [
    "SPREADSHEET_TARGET",
    "ImportResult",
    "import_projects",
    "project_columns",
    "write_project_template",
]


def import_projects(actor, zone, file_or_path, *, progress=None, name=None) -> ImportResult:
    """Import a ledger of projects into `zone`: everything in one transaction, or nothing.

    progress: called as progress(done, total, stage) with stage "read", "validate" or "write".
    Raises Forbidden when `actor` may not add projects to `zone`.
    """
    if not can_add(actor, Project, zone):
        raise Forbidden(_("无权在该园区导入招商项目"))

    def report(stage):
        return (lambda done, total: progress(done, total, stage)) if progress else None

    started = time.perf_counter()
    parsed = read_records(file_or_path, project_columns(), name=name, progress=report("read"))
    result = ImportResult(file_name=parsed.name, rows=len(parsed.records), parsed=parsed)
    result.errors.extend(parsed.errors)
    result.ignored_columns = list(parsed.layout.ignored) if parsed.layout else []
    result.timings["read"] = time.perf_counter() - started
    if parsed.fatal:
        return _rejected(actor, zone, result)
    started = time.perf_counter()
    thresholds = services.thresholds_for(zone)
    plan = Validator(actor, zone, parsed, report("validate")).run()
    result.errors.extend(plan.errors)
    result.timings["validate"] = time.perf_counter() - started
    if result.errors:
        return _rejected(actor, zone, result)
    started = time.perf_counter()
    try:
        write_plan(actor, zone, plan, result, report("write"), thresholds)
    except Conflict as conflict:
        result.errors.extend(conflict.errors)
        result.created = 0
        return _rejected(actor, zone, result)
    result.timings["write"] = time.perf_counter() - started
    return result


def _rejected(actor, zone, result: ImportResult) -> ImportResult:
    """A rejected file writes no business data, but the attempt itself is audited."""
    audit.record(
        actor,
        AuditRecord.Action.IMPORT_REJECTED,
        zone=zone,
        repr_=_("招商项目批量导入:%(f)s") % {"f": result.file_name},
        message=_("共 %(rows)s 行,%(n)s 处错误,未写入任何数据")
        % {"rows": result.rows, "n": len(result.errors)},
        after={
            "file": result.file_name,
            "rows": result.rows,
            "error_count": len(result.errors),
            "errors": [
                {"row": e.row, "column": e.column, "value": str(e.value), "reason": str(e.reason)}
                for e in result.sorted_errors()[:20]
            ],
        },
    )
    return result


def _cli_import(actor, zone, path, *, update_existing=False, progress=None) -> ImportResult:
    if update_existing:
        raise CommandError(
            _("招商项目导入不支持 --update:台账只新建项目,已有项目请在项目页面修改"), returncode=2
        )
    return import_projects(actor, zone, path, progress=progress)


SPREADSHEET_TARGET = Target(label=gettext_lazy("招商项目"), import_file=_cli_import)
