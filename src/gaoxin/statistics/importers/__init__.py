"""Statistics spreadsheets (DESIGN.md mechanism 5): enterprises' monthly returns and the zone's
official figures, all or nothing, with every error located at its cell.

Returns: one row per enterprise and period; each row becomes a submitted return exactly as
`services.submit` (or `services.revise` for an accepted one, with --update) would leave it, checked
by `checks.evaluate` over the whole file at once, and written in bulk in one transaction.

Registered as the "returns" and "official" kinds of `gaoxin import` (see RETURNS_TARGET and
OFFICIAL_TARGET; the statistics app adds them to core.spreadsheets.registry.TARGETS).
"""

import time

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import audit
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import can_add, can_in_zone
from gaoxin.core.periods import Period
from gaoxin.core.spreadsheets import CellError, ImportResult, read_records
from gaoxin.core.spreadsheets.registry import Target

from .. import checks
from ..catalogue import indicators_for
from ..models import OfficialFigure, Return
from . import official
from .columns import (
    official_columns,
    return_columns,
    unit_errors,
    write_official_template,
    write_returns_template,
)
from .reading import read_returns
from .validation import Validator
from .writing import Conflict, write_plan

__all__ = [
    "OFFICIAL_TARGET",
    "RETURNS_TARGET",
    "SPREADSHEET_TARGETS",
    "ImportResult",
    "import_official",
    "import_returns",
    "official_columns",
    "return_columns",
    "write_official_template",
    "write_returns_template",
]


def _period_option(period) -> tuple[int | None, str | None]:
    """The period given with the import (CLI --period, the page's field): (yyyymm, problem)."""
    if period in (None, ""):
        return None, None
    try:
        return Period.reporting(period).key, None
    except ValueError as exc:
        return None, str(exc)


def import_returns(
    actor, zone, file_or_path, *, period=None, update_existing=False, progress=None, name=None
) -> ImportResult:
    """Import monthly returns into `zone`: everything in one transaction, or nothing.

    period: the reporting period of rows without one ("2019-12", 201912; None: the file's 报告期
    column). update_existing: a return already accepted becomes a revision (back to submitted,
    its history kept); without it such rows are errors. Drafts, submitted and returned returns
    are overwritten. progress(done, total, stage) with stage "read", "validate" or "write".
    Raises Forbidden when `actor` may not add returns to `zone`.
    """
    if not can_add(actor, Return, zone):
        raise Forbidden(_("无权在该园区导入月度报表"))

    def report(stage):
        return (lambda done, total: progress(done, total, stage)) if progress else None

    started = time.perf_counter()
    indicators = indicators_for(zone, source="return")
    columns = return_columns(zone, indicators=indicators)
    amounts = [i.code for i in indicators if i.decimal_places != 0]
    parsed, texts = read_returns(
        file_or_path, columns, amount_fields=amounts, name=name, progress=report("read")
    )
    result = ImportResult(file_name=parsed.name, rows=len(parsed.records), parsed=parsed)
    result.errors.extend(parsed.errors)
    result.ignored_columns = list(parsed.layout.ignored) if parsed.layout else []
    result.timings["read"] = time.perf_counter() - started
    given, problem = _period_option(period)
    if problem:
        result.errors.append(CellError(None, _("报告期"), str(period), problem))
    if parsed.fatal or problem:
        return _rejected(actor, zone, result, _("月度报表"), update_existing)
    started = time.perf_counter()
    result.errors.extend(unit_errors(parsed.table, parsed.layout, indicators))
    plan = Validator(
        zone, parsed, texts, indicators, period=given, update_existing=update_existing,
        progress=report("validate"),
    ).run()  # fmt: skip
    result.errors.extend(plan.errors)
    result.timings["validate"] = time.perf_counter() - started
    if result.errors:
        return _rejected(actor, zone, result, _("月度报表"), update_existing)
    started = time.perf_counter()
    entries = [*plan.creates, *plan.updates]
    problems = checks.evaluate(
        zone, [(i, e.enterprise, e.period, e.numbers) for i, e in enumerate(entries)]
    )
    result.timings["checks"] = time.perf_counter() - started
    started = time.perf_counter()
    indicator_ids = {i.code: i.pk for i in indicators_for(zone, active_only=False)}
    try:
        write_plan(actor, zone, plan, problems, indicator_ids, result, report("write"))
    except Conflict as conflict:
        result.errors.extend(conflict.errors)
        result.created = result.updated = 0
        return _rejected(actor, zone, result, _("月度报表"), update_existing)
    result.timings["write"] = time.perf_counter() - started
    return result


def import_official(actor, zone, file_or_path, *, progress=None, name=None) -> ImportResult:
    """Import official figures into `zone` (upsert per indicator and period), all or nothing."""
    if not can_in_zone(actor, OfficialFigure, zone, "change"):
        raise Forbidden(_("无权在该园区导入官方数据"))
    started = time.perf_counter()
    parsed = read_records(file_or_path, official_columns(), name=name)
    result = ImportResult(file_name=parsed.name, rows=len(parsed.records), parsed=parsed)
    result.errors.extend(parsed.errors)
    result.ignored_columns = list(parsed.layout.ignored) if parsed.layout else []
    result.timings["read"] = time.perf_counter() - started
    if parsed.fatal:
        return _rejected(actor, zone, result, _("官方数据"))
    started = time.perf_counter()
    plan, errors = official.validate(zone, parsed)
    result.errors.extend(errors)
    result.timings["validate"] = time.perf_counter() - started
    if result.errors:
        return _rejected(actor, zone, result, _("官方数据"))
    started = time.perf_counter()
    try:
        official.write(actor, zone, plan, result)
    except official.Conflict as conflict:
        result.errors.extend(conflict.errors)
        result.created = result.updated = 0
        return _rejected(actor, zone, result, _("官方数据"))
    result.timings["write"] = time.perf_counter() - started
    return result


def _rejected(actor, zone, result: ImportResult, what, update_existing=False) -> ImportResult:
    """A rejected file writes no business data, but the attempt itself is audited."""
    audit.record(
        actor,
        AuditRecord.Action.IMPORT_REJECTED,
        zone=zone,
        repr_=_("%(w)s批量导入:%(f)s") % {"w": what, "f": result.file_name},
        message=_("共 %(rows)s 行,%(n)s 处错误,未写入任何数据")
        % {"rows": result.rows, "n": len(result.errors)},
        after={
            "file": result.file_name,
            "rows": result.rows,
            "error_count": len(result.errors),
            "update_existing": bool(update_existing),
            "errors": [
                {"row": e.row, "column": e.column, "value": str(e.value), "reason": str(e.reason)}
                for e in result.sorted_errors()[:20]
            ],
        },
    )
    return result


def _cli_returns(actor, zone, path, *, update_existing=False, progress=None, period=None):
    return import_returns(
        actor, zone, path, period=period, update_existing=update_existing, progress=progress
    )


def _cli_official(actor, zone, path, *, update_existing=False, progress=None):
    del update_existing  # official figures are always upserted
    return import_official(actor, zone, path, progress=progress)


RETURNS_TARGET = Target(
    label=gettext_lazy("月度报表"), import_file=_cli_returns, options=("period",)
)
OFFICIAL_TARGET = Target(label=gettext_lazy("官方数据"), import_file=_cli_official)
SPREADSHEET_TARGET = RETURNS_TARGET
# `gaoxin import returns|official FILE --zone CODE`: added to core's registry by the app.
SPREADSHEET_TARGETS = {
    "returns": "gaoxin.statistics.importers.RETURNS_TARGET",
    "official": "gaoxin.statistics.importers.OFFICIAL_TARGET",
}
