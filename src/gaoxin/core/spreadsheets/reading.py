"""Reading an upload: .xlsx/.xls with calamine, .csv in UTF-8 (BOM or not), GBK/GB18030 or
UTF-16; finding the header row; mapping Chinese headers to fields; parsing every cell.

Every problem becomes a CellError located as the person sees it in Excel; nothing here raises
for bad input, so no upload can turn into a 500. What the reader opens is bounded first
(bounds.py): file size, and for an .xlsx its zip and its sheets' extent, before calamine.
"""

import csv
import io
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine
from django.conf import settings
from django.utils.translation import gettext as _

from .. import ooxml
from . import bounds
from .normalize import clean_text, display, is_blank
from .spec import CellError, Column, column_letter, header_key

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".csv")
HEADER_SCAN_ROWS = 30  # title lines above the header are common; 30 rows is plenty
EXAMPLE_MARK = "【示例】"  # the template's example row starts with it and is never imported
PROGRESS_EVERY = 500
_ZIP, _OLE2 = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FileProblem(Exception):
    """The file as a whole cannot be imported; carries the errors to show."""

    def __init__(self, *errors: CellError | str):
        self.errors = [
            e if isinstance(e, CellError) else CellError(None, "", "", e) for e in errors
        ]
        super().__init__("; ".join(e.reason for e in self.errors))


@dataclass
class Table:
    """The raw cells of the chosen sheet; rows[0] is Excel row 1, rows[r][0] column A."""

    name: str
    sheet: str
    kind: str  # xlsx | xls | csv
    rows: list[list]


@dataclass
class Layout:
    """Where each field's column is in the table."""

    header_row: int  # 0-based index into Table.rows
    columns: dict[str, int]  # field → 0-based column index
    headers: dict[str, str]  # field → the header as written in the file
    ignored: list[str] = field(default_factory=list)  # headers that map to no field

    def error(self, row: int | None, field_name: str | None, value, reason: str) -> CellError:
        """An error at Excel row `row` in the column of `field_name` (None: the whole row)."""
        col = self.columns.get(field_name) if field_name else None
        header = self.headers.get(field_name, "") if field_name else ""
        return CellError(row, header, display(value)[:200], str(reason), col)


@dataclass
class Record:
    """One data row: its Excel row number, parsed values by field and the fields that failed."""

    row: int
    values: dict[str, object]
    raw: dict[str, object]
    failed: set[str] = field(default_factory=set)

    def filled(self, field_name: str) -> bool:
        return self.values.get(field_name) is not None


@dataclass
class Parsed:
    name: str
    table: Table | None = None
    layout: Layout | None = None
    records: list[Record] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    fatal: bool = False  # the file could not be read or mapped; records is empty


def read_records(
    source, columns: Iterable[Column], *, name: str | None = None, progress: Callable | None = None
) -> Parsed:
    """Read `source` (a path, bytes or a file object) and parse every row against `columns`."""
    columns = list(columns)
    parsed = open_table(source, columns, name=name)
    if not parsed.fatal:
        parsed.records, parsed.errors = parse_rows(parsed.table, parsed.layout, columns, progress)
        require_rows(parsed)
    return parsed


def open_table(source, columns: list[Column], *, name: str | None = None) -> Parsed:
    """The upload's table with its header mapped to `columns`, rows not parsed yet; a file that
    cannot be read or mapped comes back `fatal` with its errors. Importers with their own row
    parsing (the returns import) start here too."""
    parsed = Parsed(name=name or "")
    try:
        data, parsed.name = _source_bytes(source, name)
        parsed.table = read_table(data, parsed.name, columns)
        parsed.layout = map_headers(parsed.table, columns)
    except FileProblem as problem:
        parsed.errors, parsed.fatal = problem.errors, True
    return parsed


def require_rows(parsed: Parsed) -> None:
    """A header with nothing under it is a whole-file error."""
    if not parsed.records and not parsed.errors:
        header_row = parsed.layout.header_row + 1
        parsed.errors = FileProblem(_("表头(第 %(r)d 行)下面没有数据行") % {"r": header_row}).errors
        parsed.fatal = True


def _source_bytes(source, name: str | None) -> tuple[bytes, str]:
    limit = settings.IMPORT_MAX_BYTES
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > limit:
                raise _too_big(size)
            return path.read_bytes(), name or path.name
        except OSError:
            raise FileProblem(_("找不到或无法打开文件 %(f)s") % {"f": path}) from None
    if isinstance(source, bytes | bytearray):
        return bytes(source), name or ""
    if hasattr(source, "seek"):
        source.seek(0)
    data = source.read(limit + 1)  # one byte more tells that it is too big
    if isinstance(data, str):
        data = data.encode("utf-8")
    return data, name or os.path.basename(getattr(source, "name", "") or "")


def _too_big(size: int) -> FileProblem:
    limit = settings.IMPORT_MAX_BYTES
    return FileProblem(
        _("文件过大(%(s).1f MB),上限为 %(m)d MB") % {"s": size / 1048576, "m": limit // 1048576}
    )


def read_table(data: bytes, name: str = "", columns: list[Column] | None = None) -> Table:
    """The raw table of an upload; with `columns`, the sheet whose header fits them best."""
    ext = os.path.splitext(name)[1].lower()
    if ext and ext not in EXTENSIONS:
        raise FileProblem(
            _("不支持的文件类型「%(e)s」:请上传 .xlsx、.xls 或 .csv 文件") % {"e": ext}
        )
    if not data:
        raise FileProblem(_("文件是空的(0 字节)"))
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise _too_big(len(data))
    # The content decides, not the name: a renamed file is read for what it is.
    if data.startswith(_ZIP):
        _check_workbook(data, name)
    if data.startswith(_ZIP) or data.startswith(_OLE2):
        return _read_workbook(data, name, columns or [])
    if ext in (".xlsx", ".xlsm", ".xls"):
        raise FileProblem(
            _("文件「%(f)s」不是有效的 Excel 文件(可能已损坏,或只是改了扩展名)") % {"f": name}
        )
    return _read_csv(data, name)


def _check_workbook(data: bytes, name: str) -> None:
    """An .xlsx passes its bounds (bounds.check_workbook) before calamine opens it."""
    try:
        bounds.check_workbook(data)
    except ooxml.PackageProblem as problem:
        if problem.damaged:
            raise FileProblem(_unreadable(name)) from None
        raise FileProblem(str(problem)) from None
    except bounds.NotAWorkbook as missing:
        raise FileProblem(
            _(
                "文件「%(f)s」不是 Excel 工作簿:压缩包中没有 %(p)s(可能是改了扩展名的普通 ZIP "
                "或其他文档);请上传 .xlsx、.xls 或 .csv 文件"
            )
            % {"f": name, "p": missing}
        ) from None
    except bounds.Exceeded as exceeded:
        raise FileProblem(str(exceeded)) from None


def _unreadable(name: str) -> str:
    return _("无法读取文件「%(f)s」:文件可能已损坏、已加密,或不是 Excel 格式") % {"f": name}


def _read_workbook(data: bytes, name: str, columns: list[Column]) -> Table:
    kind = "xls" if data.startswith(_OLE2) else "xlsx"
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise FileProblem(_("文件设有打开密码,请取消密码后再上传")) from None
    except (python_calamine.CalamineError, ValueError, OSError):
        # An encrypted .xlsx is an OLE2 container too; calamine cannot open it either.
        raise FileProblem(_unreadable(name)) from None
    try:
        with book:
            sheets = [
                m.name
                for m in book.sheets_metadata
                if m.visible == python_calamine.SheetVisibleEnum.Visible
                and m.typ == python_calamine.SheetTypeEnum.WorkSheet
            ] or book.sheet_names
            if not sheets:
                raise FileProblem(_("工作簿中没有工作表"))
            chosen = _best_sheet(book, sheets, columns)
            sheet = book.get_sheet_by_name(chosen)
            # An .xls was not inspected before (its format caps it at 65,536 × 256): its range
            # is checked here, before it becomes Python rows.
            if sheet.end is not None:
                bounds.check_extent(sheet.end[0] + 1, sheet.end[1] + 1, chosen)
            rows = sheet.to_python(skip_empty_area=False)
    except python_calamine.CalamineError:
        raise FileProblem(_("无法读取文件「%(f)s」:文件可能已损坏") % {"f": name}) from None
    except bounds.Exceeded as exceeded:
        raise FileProblem(str(exceeded)) from None
    return Table(name=name, sheet=chosen, kind=kind, rows=rows)


def _best_sheet(book, sheets: list[str], columns: list[Column]) -> str:
    """The sheet whose header row matches most columns; the first one on a tie."""
    if len(sheets) == 1 or not columns:
        return sheets[0]
    index = header_index(columns)
    scores = []
    for name in sheets:
        head = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=HEADER_SCAN_ROWS)
        scores.append((find_header(head, index)[1], name))
    best = max(score for score, _name in scores)
    return next(name for score, name in scores if score == best)


def _read_csv(data: bytes, name: str) -> Table:
    text = _decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ","))
    max_rows, max_columns, max_cells = bounds.limits()
    rows, width = [], 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            width = max(width, len(row))
            if len(rows) > max_rows or width > max_columns or len(rows) * width > max_cells:
                at = f"{bounds.letters(max(len(row), 1))}{len(rows)}"
                bounds.check_extent(len(rows), width, at=at)
    except csv.Error:
        raise FileProblem(_("CSV 文件格式有误(引号不成对?),无法读取")) from None
    except bounds.Exceeded as exceeded:
        raise FileProblem(str(exceeded)) from None
    return Table(name=name, sheet=os.path.splitext(name)[0] or "CSV", kind="csv", rows=rows)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise FileProblem(_("文件内容不是文本,无法按 CSV 读取;请上传 .xlsx、.xls 或 .csv 文件"))
    # UTF-8 first: GB18030 (a superset of GBK) would accept most UTF-8 bytes as wrong characters.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileProblem(_("无法识别 CSV 文件的编码,请另存为 UTF-8 或 GBK 编码"))


def header_index(columns: Iterable[Column]) -> dict[str, Column]:
    index = {}
    for col in columns:
        for text in (col.header, col.field, *col.aliases):
            index.setdefault(header_key(text), col)
    return index


def find_header(rows: list[list], index: dict[str, Column]) -> tuple[int, int]:
    """(row index, number of fields matched) of the likeliest header row among the first rows."""
    best_row, best = 0, 0
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        keys = (header_key(c) for c in row if isinstance(c, str))
        matched = len({index[k].field for k in keys if k in index})
        if matched > best:
            best_row, best = r, matched
    return best_row, best


def map_headers(table: Table, columns: list[Column]) -> Layout:
    index = header_index(columns)
    header_row, matched = find_header(table.rows, index)
    if not matched:
        example = "、".join(c.header for c in columns[:3])
        raise FileProblem(
            _("没有找到表头:前 %(n)d 行中没有可识别的列名(如 %(e)s)")
            % {"n": HEADER_SCAN_ROWS, "e": example}
        )
    layout = Layout(header_row=header_row, columns={}, headers={})
    seen: dict[str, list[int]] = {}
    for c, cell in enumerate(table.rows[header_row]):
        text = clean_text(display(cell))
        if not text:
            continue
        col = index.get(header_key(text))
        if col is None:
            layout.ignored.append(text)
            continue
        seen.setdefault(col.field, []).append(c)
        if col.field not in layout.columns:
            layout.columns[col.field], layout.headers[col.field] = c, text
    errors = []
    row_number = header_row + 1
    for field_name, positions in seen.items():
        if len(positions) > 1:
            letters = "、".join(f"{column_letter(p)} 列" for p in positions)
            reason = _("表头「%(h)s」重复出现(%(c)s),请只保留一列") % {
                "h": layout.headers[field_name],
                "c": letters,
            }
            for p in positions[1:]:
                errors.append(CellError(row_number, layout.headers[field_name], "", reason, p))
    missing = [c.header for c in columns if c.required and c.field not in layout.columns]
    if missing:
        errors.append(
            CellError(
                None,
                "",
                "",
                _("缺少必填列:%(m)s(表头在第 %(r)d 行)")
                % {"m": "、".join(missing), "r": row_number},
            )
        )
    if errors:
        raise FileProblem(*errors)
    return layout


def parse_rows(table: Table, layout: Layout, columns: list[Column], progress=None):
    """Parse every data row; blank rows and the template's example row are skipped."""
    spec = [(c, layout.columns[c.field]) for c in columns if c.field in layout.columns]
    records, errors = [], []
    start = layout.header_row + 1
    total = len(table.rows) - start
    for offset, row in enumerate(table.rows[start:]):
        if progress and offset % PROGRESS_EVERY == 0:
            progress(offset, total)
        raw = {c.field: (row[i] if i < len(row) else None) for c, i in spec}
        if all(is_blank(v) for v in raw.values()) or _is_example(row):
            continue
        record = Record(row=start + offset + 1, values={}, raw=raw)
        for col, _i in spec:
            value = raw[col.field]
            if is_blank(value):
                record.values[col.field] = None
                if col.required:
                    record.failed.add(col.field)
                    errors.append(layout.error(record.row, col.field, "", _("必填项不能为空")))
                continue
            try:
                record.values[col.field] = col.parser(value)
            except ValueError as exc:
                record.values[col.field] = None
                record.failed.add(col.field)
                errors.append(layout.error(record.row, col.field, value, str(exc)))
        records.append(record)
    if progress:
        progress(total, total)
    return records, errors


def _is_example(row: list) -> bool:
    return any(isinstance(c, str) and c.strip().startswith(EXAMPLE_MARK) for c in row)
