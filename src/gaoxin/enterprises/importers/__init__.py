"""Enterprise spreadsheets (DESIGN.md mechanism 5): import all or nothing, export, template.

Every row goes through the same rules as a single create (`services.validate`), but what those
rules would look up row by row is loaded once, so 20,000 rows validate without a query each and
are written with bulk inserts in one transaction.
"""

import time

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import audit
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import can_add
from gaoxin.core.spreadsheets import ImportResult, read_records
from gaoxin.core.spreadsheets.registry import Target

from ..models import Enterprise
from .columns import (
    enterprise_columns,
    export_enterprises,
    import_columns,
    write_enterprise_template,
)
from .validation import Validator
from .writing import Conflict, write_plan

__all__ = [
    "SPREADSHEET_TARGET",
    "ImportResult",
    "enterprise_columns",
    "import_columns",
    "export_audited",
    "export_enterprises",
    "import_enterprises",
    "write_enterprise_template",
]


def import_enterprises(
    actor, zone, file_or_path, *, update_existing=False, progress=None, name=None
) -> ImportResult:
    """Import a spreadsheet of enterprises into `zone`: everything in one transaction, or nothing.

    update_existing: rows whose credit code belongs to an enterprise of this zone update it
    (blank cells keep what is there); otherwise such rows are errors.
    progress: called as progress(done, total, stage) with stage "read", "validate" or "write".
    Raises Forbidden when `actor` may not add enterprises to `zone`.
    """
    if not can_add(actor, Enterprise, zone):
        raise Forbidden(_("无权在该园区导入企业"))

    def report(stage):
        return (lambda done, total: progress(done, total, stage)) if progress else None

    started = time.perf_counter()
    parsed = read_records(file_or_path, import_columns(), name=name, progress=report("read"))
    result = ImportResult(file_name=parsed.name, rows=len(parsed.records), parsed=parsed)
    result.errors.extend(parsed.errors)
    result.ignored_columns = list(parsed.layout.ignored) if parsed.layout else []
    result.timings["read"] = time.perf_counter() - started
    if parsed.fatal:
        return _rejected(actor, zone, result, update_existing)
    started = time.perf_counter()
    plan = Validator(actor, zone, parsed, update_existing, report("validate")).run()
    result.errors.extend(plan.errors)
    result.timings["validate"] = time.perf_counter() - started
    if result.errors:
        return _rejected(actor, zone, result, update_existing)
    started = time.perf_counter()
    try:
        write_plan(actor, zone, plan, result, update_existing, report("write"))
    except Conflict as conflict:
        result.errors.extend(conflict.errors)
        result.created = result.updated = result.unchanged = 0
        return _rejected(actor, zone, result, update_existing)
    result.timings["write"] = time.perf_counter() - started
    return result


def _rejected(actor, zone, result: ImportResult, update_existing) -> ImportResult:
    """A rejected file writes no business data, but the attempt itself is audited."""
    audit.record(
        actor,
        AuditRecord.Action.IMPORT_REJECTED,
        zone=zone,
        repr_=_("企业批量导入:%(f)s") % {"f": result.file_name},
        message=_("共 %(rows)s 行,%(n)s 处错误,未写入任何数据")
        % {
            "rows": result.rows,
            "n": len(result.errors),
        },
        after={
            "file": result.file_name,
            "rows": result.rows,
            "error_count": len(result.errors),
            "update_existing": bool(update_existing),
            "errors": [
                {"row": e.row, "column": e.column, "value": str(e.value), "reason": str(e.reason)}
                for e in result.errors[:20]
            ],
        },
    )
    return result


def _cli_import(actor, zone, path, *, update_existing=False, progress=None) -> ImportResult:
    return import_enterprises(actor, zone, path, update_existing=update_existing, progress=progress)


def export_audited(actor, zone, queryset, target, *, describe) -> int:
    """Write `queryset` (already restricted and filtered) to `target` and audit the export, for
    every front door alike (page, command line); describe(count) says what was exported how."""
    count = export_enterprises(queryset, target)
    audit.record(
        actor,
        AuditRecord.Action.EXPORT,
        zone=zone,
        repr_=_("企业库导出"),
        message=describe(count),
    )
    return count


def _cli_export(actor, zone, path) -> int:
    queryset = Enterprise.objects.restrict(actor, "view").active().filter(zone=zone)
    return export_audited(
        actor,
        zone,
        queryset.order_by("name", "pk"),
        path,
        describe=lambda n: _("命令行导出 %(n)d 条到 %(f)s") % {"n": n, "f": path},
    )


SPREADSHEET_TARGET = Target(
    label=gettext_lazy("企业"), import_file=_cli_import, export_file=_cli_export
)
