"""Utilities spreadsheets (DESIGN.md mechanism 5): readings, top-ups and cut-offs as metering
and prepayment systems export them (CSV in UTF-8 or GBK, .xlsx, .xls), all or nothing.

A file is one batch through the same services as the API (`services.ingest.post_*`, source
FILE): every row validated, a row identical to one already in the ledger skipped (re-importing
a file changes nothing), any bad row and nothing is written; each error names its sheet row and
column. Headers are matched with their aliases (表号/电表号/户号, 抄表时间/读数时间, 示数/读数/
表底, 充值金额/购电金额 …); the kind (电/水/气) may be left out: a partner account's is its
company's, otherwise a meter number's own.

Files are large (a day's readings of every meter): the cells are parsed on a fast path (text
as metering systems write it, each distinct time parsed once), the shared parsers only for what
the fast path does not read, so their messages are the same as everywhere.

`gaoxin import utility_readings|utility_topups|utility_cutoffs FILE --zone CODE`: the targets
below, declared in the module's `import_targets`; `runner(spec)` for the import pages.
"""

import datetime
import gc
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from operator import itemgetter

from django.core.management.base import CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import audit
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.core.spreadsheets import (
    Choice,
    Column,
    ImportResult,
    display,
    halfwidth,
    is_blank,
    parse_code,
    parse_decimal,
    write_template,
)
from gaoxin.core.spreadsheets.normalize import EXCEL_EPOCH, compact
from gaoxin.core.spreadsheets.reading import EXAMPLE_MARK, open_table, require_rows
from gaoxin.core.spreadsheets.registry import Target

from .api.common import can_feed, fill_kinds
from .models import CutOff, Kind, Reading, Register, Source, TopUp

# --- the cells --------------------------------------------------------------------------------

_tz = cache(timezone.get_default_timezone)  # the zone's time (settings.TIME_ZONE)


def kind_choice() -> Choice:
    return Choice(_("类别"), {str(label): value for value, label in Kind.choices}, aliases={
        "电力": Kind.ELECTRICITY, "用电": Kind.ELECTRICITY, "供电": Kind.ELECTRICITY,
        "电表": Kind.ELECTRICITY, "自来水": Kind.WATER, "用水": Kind.WATER, "供水": Kind.WATER,
        "水表": Kind.WATER, "燃气": Kind.GAS, "天然气": Kind.GAS, "用气": Kind.GAS,
        "供气": Kind.GAS, "气表": Kind.GAS,
    })  # fmt: skip


def register_choice() -> Choice:
    return Choice(_("时段"), {str(label): value for value, label in Register.choices}, aliases={
        "总示数": Register.TOTAL, "总电量": Register.TOTAL, "合计": Register.TOTAL,
        "尖": Register.CRITICAL, "尖峰时段": Register.CRITICAL, "高峰": Register.PEAK,
        "峰段": Register.PEAK, "峰时段": Register.PEAK, "平段": Register.FLAT,
        "平时段": Register.FLAT, "低谷": Register.VALLEY, "谷段": Register.VALLEY,
        "谷时段": Register.VALLEY,
    })  # fmt: skip


def parse_meter(value) -> str:
    """A meter number as typed: half-width, no spaces (digits kept as digits: a long number
    Excel stored as a number has lost digits and is refused, as every code is)."""
    if isinstance(value, str):
        return compact(value)  # control characters (NUL …) and spaces dropped
    return parse_code(value)


def parse_reference(value) -> str:
    """A transaction number: as typed, half-width, no spaces, case kept."""
    return parse_meter(value)


_MOMENT = re.compile(
    r"^(\d{4})[年./\-](\d{1,2})[月./\-](\d{1,2})[日号]?"
    r"(?:[T\s]*(\d{1,2})[:时](\d{1,2})分?(?::?(\d{1,2})(?:\.\d+)?秒?)?)?$"
)
_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$")


def _moment(raw, *parts) -> datetime.datetime:
    parts = (*parts, None, None, None)[:6]
    year, month, day, hour, minute, second = (int(p) if p else 0 for p in parts)
    try:
        naive = datetime.datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise ValueError(_("时间「%(v)s」不存在") % {"v": display(raw)}) from None
    if year < 2000:
        raise ValueError(_("时间「%(v)s」早于 2000 年") % {"v": display(raw)})
    return naive.replace(tzinfo=_tz())


def parse_moment(value) -> datetime.datetime:
    """A time as metering systems write it, in the zone's local time: 2026-11-04 10:00[:00],
    2026/11/4 10:00, 2026年11月4日 10时00分, 20261104100000, a date alone (00:00), date and
    time cells, Excel serial numbers."""
    if isinstance(value, datetime.datetime):
        return _moment(value, *value.timetuple()[:6])
    if isinstance(value, datetime.date):
        return _moment(value, value.year, value.month, value.day)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(_("「%(v)s」不是时间") % {"v": display(value)})
    if isinstance(value, int | float) and not 20000000 <= value < 30000000:
        if not 36526 <= value < 73051:  # 2000-01-01 … 2099-12-31
            raise ValueError(_("无法识别的时间「%(v)s」") % {"v": display(value)})
        moment = datetime.datetime.combine(EXCEL_EPOCH, datetime.time()) + datetime.timedelta(
            days=float(value)
        )
        return _moment(value, *moment.replace(microsecond=0).timetuple()[:6])
    text = halfwidth(display(value)).strip()
    try:
        moment = datetime.datetime.fromisoformat(text)  # the usual export: fast
    except ValueError:
        pass
    else:
        if moment.tzinfo is not None:
            return moment
        return _moment(value, *moment.timetuple()[:6])
    match = _MOMENT.match(text) or _DIGITS.match(text)
    if match is None:
        raise ValueError(
            _("无法识别的时间「%(v)s」:请按 2026-11-04 10:00 或 2026年11月4日 10:00 填写")
            % {"v": display(value)}
        )
    return _moment(value, *match.groups())


def parse_amount(value) -> Decimal:
    """A number, with 元 or ¥ allowed around it (1,280.50元)."""
    if isinstance(value, str):
        value = halfwidth(value).strip().removesuffix("元").lstrip("¥￥").strip()
    return parse_decimal(value)


def parse_index(value) -> Decimal:
    number = parse_decimal(value)
    if number < 0:
        raise ValueError(_("示数不能为负数"))
    return number


def _meter(required=True) -> Column:
    return Column("meter_no", _("表号"), ("电表号", "水表号", "气表号", "户号", "用户编号",
                  "表计编号", "计量点编号", "表计资产编号", "资产编号", "meter_no"),
                  required=required, parser=parse_meter, text=True, width=18,
                  help=_("须与平台上账户的表号一致"))  # fmt: skip


def _kind() -> Column:
    kinds = kind_choice()
    return Column("kind", _("类别"), ("能源类型", "表计类型", "计量类别", "kind"), parser=kinds,
                  choices=tuple(kinds.labels), width=8,
                  help=_("电/水/气;可不填:供应单位账户为其类别,其他按表号确定"))  # fmt: skip


def _time_help() -> str:
    return _("如 2026-11-04 10:00、2026/11/4 10:00:00、2026年11月4日;北京时间")


def reading_columns() -> list[Column]:
    with translation.override("zh-hans"):
        registers = register_choice()
        return [
            _meter(),
            _kind(),
            Column("read_at", _("抄表时间"), ("读数时间", "抄表日期", "采集时间", "冻结时间",
                   "数据时间", "抄读时间", "read_at"), required=True, parser=parse_moment,
                   width=20, help=_time_help()),
            Column("register", _("时段"), ("费率", "示数类型", "register"), parser=registers,
                   choices=tuple(registers.labels), width=8,
                   help=_("总/尖峰/峰/平/谷;不填为总")),
            Column("index", _("示数"), ("读数", "表底", "表码", "止码", "本次示数", "本次读数",
                   "正向有功总", "当前示数", "index"), required=True, parser=parse_index,
                   width=14, help=_("累计读数(kWh 或 m³),不是用量")),
        ]  # fmt: skip


def topup_columns() -> list[Column]:
    with translation.override("zh-hans"):
        return [
            _meter(),
            _kind(),
            Column("paid_at", _("充值时间"), ("购电时间", "缴费时间", "交易时间", "支付时间",
                   "购买时间", "paid_at"), required=True, parser=parse_moment, width=20,
                   help=_time_help()),
            Column("amount", _("充值金额"), ("购电金额", "缴费金额", "交易金额", "金额",
                   "充值金额(元)", "amount"), required=True, parser=parse_amount,
                   help=_("元")),
            Column("transaction_id", _("交易号"), ("交易流水号", "流水号", "订单号", "交易编号",
                   "transaction_id"), required=True, parser=parse_reference, text=True,
                   width=24, help=_("同一账户内唯一;重复导入同一交易不会重复入账")),
            Column("channel", _("渠道"), ("缴费渠道", "支付方式", "充值渠道", "channel"),
                   width=12),
        ]  # fmt: skip


def cutoff_columns() -> list[Column]:
    with translation.override("zh-hans"):
        return [
            _meter(),
            _kind(),
            Column("at", _("停供时间"), ("停电时间", "停水时间", "停气时间", "关阀时间",
                   "拉闸时间", "at"), required=True, parser=parse_moment, width=20,
                   help=_time_help()),
            Column("reason", _("原因"), ("停供原因", "停电原因", "reason"), width=24),
            Column("restored_at", _("恢复时间"), ("复电时间", "送电时间", "开阀时间",
                   "restored_at"), parser=parse_moment, width=20),
        ]  # fmt: skip


# --- parsing a large file fast ----------------------------------------------------------------


def _cached(parser: Callable, limit: int = 200_000) -> Callable:
    """`parser` remembering what it read: a file repeats its times, kinds and registers."""
    seen: dict = {}

    def parse(raw):
        found = seen.get(raw)
        if found is None:
            found = parser(raw)  # a ValueError is not remembered: each bad cell is reported
            if len(seen) < limit:
                seen[raw] = found
        return found

    return parse


def _fast_number(parser: Callable) -> Callable:
    def parse(raw):
        if type(raw) is str:
            try:
                number = Decimal(raw)
            except InvalidOperation:
                return parser(raw)
            if number.is_finite() and number >= 0:
                return number
        return parser(raw)  # the shared parser's message (not a number, negative …)

    return parse


def _fast_meter(raw):
    if type(raw) is str and raw.isascii() and raw.isalnum():
        return raw
    return parse_meter(raw)


def _fast(column: Column) -> Callable:
    if column.parser in (parse_index, parse_amount):
        return _fast_number(column.parser)
    if column.parser in (parse_meter, parse_reference):
        return _fast_meter
    return _cached(column.parser)


def _blank(raw) -> bool:
    if raw is None or raw == "":
        return True
    if type(raw) is str:
        return not raw.strip() and is_blank(raw)
    return is_blank(raw)


def parse_columns(parsed, spec: list[Column], defaults: dict):
    """A clean file, fast: each column parsed at once, each distinct time, kind or meter once.
    None when a row is short or blank, an example, or has a cell a parser refuses: the row by
    row path (parse_file) then names every error."""
    layout, data = parsed.layout, parsed.table.rows[parsed.layout.header_row + 1 :]
    places = [layout.columns[c.field] for c in spec]
    if not data or min(map(len, data)) <= max(places):
        return None
    if any(type(x) is str and EXAMPLE_MARK in x for x in {row[0] for row in data}):
        return None
    columns = []
    for column, at in zip(spec, places, strict=True):
        cells = [row[at] for row in data]
        if column.parser in (parse_index, parse_amount) and all(type(x) is str for x in cells):
            try:
                values = list(map(Decimal, cells))
            except (InvalidOperation, ValueError):
                return None
            if not all(v.is_finite() and v >= 0 for v in values):
                return None
        else:
            read = {}
            for raw in set(cells):
                try:
                    read[raw] = column.parser(raw) if raw is not None and raw != "" else None
                except ValueError:
                    return None
                if read[raw] is None:
                    if column.required:
                        return None
                    read[raw] = defaults.get(column.field)
            values = list(map(read.__getitem__, cells))
        columns.append(values)
    names = [c.field for c in spec]
    rest = [f for f in defaults if f not in names]
    keys, extra = (*names, *rest), tuple(defaults[f] for f in rest)
    rows = [dict(zip(keys, cells + extra, strict=True)) for cells in zip(*columns, strict=True)]
    start = layout.header_row + 2
    return rows, range(start, start + len(rows)), len(rows)


def parse_file(parsed, columns: list[Column], defaults: dict, progress=None):
    """(rows as the services take them, their sheet rows, the number of data rows) of
    `parsed`'s table; the cells' errors into `parsed.errors`. Blank rows and the template's
    example row are skipped. A million rows: the cells are taken by one itemgetter a row, a
    blank is looked at closely only when a parser refuses it."""
    table, layout = parsed.table, parsed.layout
    spec = [c for c in columns if c.field in layout.columns]
    fast = parse_columns(parsed, spec, defaults)
    if fast is not None:
        return fast
    places = [layout.columns[c.field] for c in spec]
    cells_of = itemgetter(*places) if len(places) > 1 else (lambda row: (row[places[0]],))
    fields = [(c.field, _fast(c), c.required) for c in spec]
    rows, positions, errors, count = [], [], parsed.errors, 0
    start = layout.header_row + 1
    total = len(table.rows) - start
    every = max(total // 20, 1000)
    for offset, row in enumerate(table.rows[start:]):
        if progress and offset % every == 0:
            progress(offset, total)
        try:
            cells = cells_of(row)
        except IndexError:  # a short row: its missing cells are blank
            cells = tuple(row[i] if i < len(row) else None for i in places)
        if not any(cells) and all(c is None or c == "" for c in cells):
            continue
        first = row[0] if row else None
        if type(first) is str and first.lstrip().startswith(EXAMPLE_MARK):
            continue
        values, bad, blank = dict(defaults), [], 0
        for (field, parse, required), raw in zip(fields, cells, strict=True):
            try:
                if raw is None or raw == "":
                    raise ValueError
                values[field] = parse(raw)
            except ValueError as exc:
                if _blank(raw):
                    blank += 1
                    if required:
                        bad.append((field, "", _("必填项不能为空")))
                else:
                    bad.append((field, raw, str(exc)))
        if blank == len(fields):
            continue  # spaces only
        count += 1
        sheet_row = start + offset + 1
        if bad:
            errors.extend(layout.error(sheet_row, f, raw, why) for f, raw, why in bad)
        elif not errors:  # once the file fails, its rows are not kept
            rows.append(values)
            positions.append(sheet_row)
    if progress:
        progress(total, total)
    return rows, positions, count


# --- one kind of import -----------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    kind: str  # the import kind (gaoxin import KIND)
    what: str
    model: type  # who may import: who may add it (core.views.imports)
    columns: Callable[[], list[Column]]
    defaults: dict
    post: str  # the services.ingest function
    sheet: str
    example: dict
    notes: tuple = ()


def _ingest():
    from .services import ingest

    return ingest


def run_import(spec: Spec, actor, zone, file_or_path, *, progress=None, name=None) -> ImportResult:
    """Import `file_or_path` into `zone` as one batch: all or nothing. progress(done, total,
    stage). Raises Forbidden when `actor` does not feed the zone's ledgers."""
    if not can_feed(actor, zone):
        raise Forbidden(_("无权在该园区导入%(w)s") % {"w": spec.what})

    def report(stage):
        return (lambda done, total: progress(done, total, stage)) if progress else None

    started = time.perf_counter()
    columns = spec.columns()
    collecting = gc.isenabled()
    gc.disable()  # a million rows of new objects and no cycles: the collector only slows it
    try:
        parsed = open_table(file_or_path, columns, name=name)
        result = ImportResult(file_name=parsed.name, parsed=parsed)
        if not parsed.fatal:
            rows, positions, result.rows = parse_file(
                parsed, columns, spec.defaults, report("read")
            )
            if not result.rows:
                require_rows(parsed)  # a header with nothing under it
    finally:
        if collecting:
            gc.enable()
    result.errors.extend(parsed.errors)
    result.ignored_columns = list(parsed.layout.ignored) if parsed.layout else []
    result.timings["read"] = time.perf_counter() - started
    if result.errors:
        return _rejected(actor, zone, spec, result)
    started = time.perf_counter()
    for problem in fill_kinds(actor, zone, rows):
        result.errors.append(_cell_error(parsed, positions, problem))
    result.timings["validate"] = time.perf_counter() - started
    if result.errors:
        return _rejected(actor, zone, spec, result)
    started = time.perf_counter()
    ingest = _ingest()
    try:
        batch = getattr(ingest, spec.post)(actor, zone, rows, source=Source.FILE)
    except ingest.BatchRejected as rejected:
        result.errors.extend(_cell_error(parsed, positions, e) for e in rejected.errors)
        result.timings["write"] = time.perf_counter() - started
        return _rejected(actor, zone, spec, result)
    result.timings["write"] = time.perf_counter() - started
    result.created, result.unchanged = batch.written, batch.repeated
    return result


def _cell_error(parsed, positions, problem):
    """A service's row error (row counted from 1 in the batch) at its sheet row and column."""
    row = positions[problem.row - 1] if 0 < problem.row <= len(positions) else None
    field = problem.field if problem.field in parsed.layout.columns else None
    raw = ""
    if row is not None and field is not None:
        cells = parsed.table.rows[row - 1]
        at = parsed.layout.columns[field]
        raw = cells[at] if at < len(cells) else ""
    return parsed.layout.error(row, field, raw, str(problem.message))


def _rejected(actor, zone, spec, result: ImportResult) -> ImportResult:
    """A rejected file writes nothing, but the attempt itself is audited."""
    audit.record(
        actor,
        AuditRecord.Action.IMPORT_REJECTED,
        zone=zone,
        repr_=_("%(w)s批量导入:%(f)s") % {"w": spec.what, "f": result.file_name},
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


def template_writer(spec: Spec):
    """The import template of `spec`: headers (required in red), an example row the importer
    skips, dropdowns for 类别 and 时段, a 说明 sheet."""

    def write(target, zone=None) -> None:
        notes = [
            _("1. 第 1 行是表头,请勿修改;红色列名为必填列。从第 3 行开始填写,一行一条。"),
            _("2. 第 2 行是示例(以「【示例】」开头),导入时自动忽略,可以删除。"),
            *spec.notes,
            _(
                "3. 也可直接导入计量系统导出的 CSV(UTF-8 或 GBK 编码)或 Excel 文件,列名可用常见别名。"
            ),
            _("4. 与已入账完全相同的行自动跳过,重复导入同一文件不会重复入账。"),
            _("导入要么全部成功,要么一条也不写入;有错误时可下载标出错误单元格的文件修改后重传。"),
        ]
        notes = [str(n) for n in notes]  # lazy strings: openpyxl stores text only
        write_template(target, spec.columns(), title=spec.sheet, example=spec.example, notes=notes)

    return write


READINGS = Spec(
    model=Reading,
    kind="utility_readings",
    what=gettext_lazy("水电气读数"),
    columns=reading_columns,
    defaults={"kind": None, "register": Register.TOTAL},
    post="post_readings",
    sheet="读数",
    example={
        "meter_no": "3601210001",
        "kind": "电",
        "read_at": "2026-11-04 00:00",
        "register": "总",
        "index": "12580.25",
    },  # fmt: skip
)
TOPUPS = Spec(
    model=TopUp,
    kind="utility_topups",
    what=gettext_lazy("水电气充值"),
    columns=topup_columns,
    defaults={"kind": None, "channel": ""},
    post="post_topups",
    sheet="充值",
    example={
        "meter_no": "3601210001",
        "kind": "电",
        "paid_at": "2026-11-04 09:30",
        "amount": "5000.00",
        "transaction_id": "202611040930001",
        "channel": "网银",
    },  # fmt: skip
)
CUTOFFS = Spec(
    model=CutOff,
    kind="utility_cutoffs",
    what=gettext_lazy("水电气停供"),
    columns=cutoff_columns,
    defaults={"kind": None, "reason": "", "restored_at": None},
    post="post_cutoffs",
    sheet="停供",
    example={
        "meter_no": "3601210001",
        "kind": "电",
        "at": "2026-11-04 08:00",
        "reason": "余额耗尽",
        "restored_at": "2026-11-04 10:30",
    },  # fmt: skip
)
SPECS = {s.kind: s for s in (READINGS, TOPUPS, CUTOFFS)}


def runner(spec: Spec):
    """`run(user, zone, path, *, progress, name)` for the import pages (core.views.imports)."""

    def run(actor, zone, file_or_path, *, progress=None, name=None) -> ImportResult:
        return run_import(spec, actor, zone, file_or_path, progress=progress, name=name)

    return run


def _cli(spec: Spec):
    def import_file(actor, zone, path, *, update_existing=False, progress=None) -> ImportResult:
        if update_existing:
            raise CommandError(
                _("%(w)s导入不支持 --update:台账只追加,更正请走更正流程") % {"w": spec.what},
                returncode=2,
            )
        return run_import(spec, actor, zone, path, progress=progress)

    return import_file


import_readings = runner(READINGS)
import_topups = runner(TOPUPS)
import_cutoffs = runner(CUTOFFS)

READINGS_TARGET = Target(label=READINGS.what, import_file=_cli(READINGS))
TOPUPS_TARGET = Target(label=TOPUPS.what, import_file=_cli(TOPUPS))
CUTOFFS_TARGET = Target(label=CUTOFFS.what, import_file=_cli(CUTOFFS))
