"""Writing workbooks with openpyxl: exports, import templates and the marked errors workbook."""

import datetime as dt
import io
import os
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from .reading import EXAMPLE_MARK, Table
from .spec import CellError, Column, column_letter

# The content type of the .xlsx files the platform sends (exports, templates, marked uploads).
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")  # Excel's own "bad" red
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FONT = Font(bold=True)
DATE_FORMAT = "yyyy-mm-dd"
ERRORS_SHEET = "错误清单"
NOTES_SHEET = "说明"
LISTS_SHEET = "代码表"
TEMPLATE_ROWS = 20000  # how far down the template's dropdowns and text formats reach


def safe_value(value):
    """A value openpyxl can store as typed: no control characters, never a formula."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _cell(ws, value, **style):
    """A write-only cell; strings that look like formulas stay text (no formula injection)."""
    cell = WriteOnlyCell(ws, value=safe_value(value))
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    elif isinstance(value, dt.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    for key, val in style.items():
        setattr(cell, key, val)
    return cell


def save_workbook(wb: Workbook, target) -> None:
    """Save to a path, or to any object with write() (a response, an open file)."""
    if isinstance(target, str | os.PathLike):
        wb.save(target)
        return
    buffer = io.BytesIO()
    wb.save(buffer)
    target.write(buffer.getvalue())


def figures_sheet(wb: Workbook, title: str, headers: list, rows: Iterable, widths: list):
    """A cockpit export's sheet: bold headers, a frozen header row, Decimals as numbers, text
    that looks like a formula kept as text (a name typed "=..." never runs)."""
    ws = wb.create_sheet(title)
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col, value=header)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            number = float(value) if hasattr(value, "as_tuple") else value
            cell = ws.cell(row=r, column=col, value=safe_value(number))
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
    ws.freeze_panes = "A2"
    for index, width in enumerate(widths):
        ws.column_dimensions[column_letter(index)].width = width
    return ws


def _header_style(column: Column) -> dict:
    return {
        "font": REQUIRED_FONT if column.required else HEADER_FONT,
        "fill": HEADER_FILL,
        "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True),
    }


def _header_cells(ws, columns: list[Column]):
    return [_cell(ws, c.header, **_header_style(c)) for c in columns]


def _widths(ws, columns: list[Column]) -> None:
    for i, c in enumerate(columns):
        ws.column_dimensions[column_letter(i)].width = c.width


def write_rows(target, columns: list[Column], rows: Iterable[dict], *, title: str) -> int:
    """An export: the headers, then one row per dict of field → value; returns the row count."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    _widths(ws, columns)
    ws.freeze_panes = "A2"
    ws.append(_header_cells(ws, columns))
    count = 0
    for row in rows:
        ws.append([_cell(ws, c.format(row.get(c.field))) for c in columns])
        count += 1
    save_workbook(wb, target)
    return count


def write_template(
    target,
    columns: list[Column],
    *,
    title: str,
    example: dict,
    notes: Iterable[str] = (),
    lists: dict[str, list[str]] | None = None,
) -> None:
    """An import template: headers (required ones in red), an example row that the importer
    skips, dropdowns for choice columns, a 说明 sheet and a hidden sheet for long lists."""
    lists = lists or {}
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    for i, c in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=c.header)
        for key, val in _header_style(c).items():
            setattr(cell, key, val)
        value = example.get(c.field, c.example)
        if i == 1:
            value = f"{EXAMPLE_MARK}{value or ''}"
        cell = ws.cell(row=2, column=i, value=safe_value(c.format(value)))
        cell.font = Font(italic=True, color="808080")
        if c.date:
            cell.number_format = DATE_FORMAT
        elif c.text:
            cell.number_format = "@"
    _widths(ws, columns)
    ws.freeze_panes = "A2"
    list_ranges = _write_lists(wb, lists)
    for i, c in enumerate(columns):
        letter = column_letter(i)
        span = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
        if c.text or c.date:
            # A column style applies to what people type: text keeps 18-character codes whole.
            ws.column_dimensions[letter].number_format = "@" if c.text else DATE_FORMAT
        formula = None
        if c.choices:
            formula = '"' + ",".join(c.choices) + '"'
        elif c.list_name in list_ranges:
            formula = list_ranges[c.list_name]
        if formula:
            dv = DataValidation(type="list", formula1=formula, allow_blank=True)
            # A long list only suggests: people may type "3974" instead of picking the full line.
            dv.showErrorMessage = bool(c.choices)
            dv.errorTitle, dv.error = _("填写有误"), _("请从下拉列表中选择")
            dv.add(span)
            ws.add_data_validation(dv)
    _write_notes(wb, columns, notes)
    save_workbook(wb, target)


def _write_lists(wb: Workbook, lists: dict[str, list[str]]) -> dict[str, str]:
    if not lists:
        return {}
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    ranges = {}
    for i, (name, values) in enumerate(lists.items()):
        letter = column_letter(i)
        ws.cell(row=1, column=i + 1, value=name)
        for r, value in enumerate(values, start=2):
            ws.cell(row=r, column=i + 1, value=safe_value(value))
        ranges[name] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _write_notes(wb: Workbook, columns: list[Column], notes: Iterable[str]) -> None:
    ws = wb.create_sheet(NOTES_SHEET, 1)
    ws.append([_("填写说明")])
    ws["A1"].font = Font(bold=True, size=14)
    for line in notes:
        ws.append([line])
    ws.append([])
    ws.append([_("列名"), _("是否必填"), _("说明"), _("可选值")])
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for c in columns:
        ws.append([c.header, _("必填") if c.required else "", c.help, "、".join(c.choices)])
    for letter, width in zip("ABCD", (22, 10, 70, 30), strict=True):
        ws.column_dimensions[letter].width = width


def write_errors_workbook(target, table: Table, errors: list[CellError]) -> None:
    """The upload as read, each bad cell filled red with its reasons as a comment, plus a
    错误清单 sheet listing (行, 列, 值, 原因). Errors without a cell mark column A of their row."""
    marks: dict[tuple[int, int], list[str]] = {}
    for e in errors:
        if e.row is not None:
            marks.setdefault((e.row, e.col if e.col is not None else 0), []).append(e.reason)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet((table.sheet or _("数据"))[:31])
    width = max((len(r) for r in table.rows), default=0)
    marked_cols = [c for (_r, c) in marks]
    width = max(width, max(marked_cols, default=-1) + 1)
    for r, row in enumerate(table.rows, start=1):
        cells = []
        for c in range(width):
            value = row[c] if c < len(row) else None
            value = None if value == "" else value
            reasons = marks.get((r, c))
            if reasons:
                cell = _cell(ws, value, fill=ERROR_FILL)
                cell.comment = Comment("\n".join(reasons), "gaoxin", width=300, height=120)
            else:
                cell = _cell(ws, value)
            cells.append(cell)
        ws.append(cells)
    listing = wb.create_sheet(ERRORS_SHEET)
    listing.column_dimensions["B"].width = 22
    listing.column_dimensions["C"].width = 28
    listing.column_dimensions["D"].width = 80
    headers = [Column("row", _("行")), Column("column", _("列")), Column("value", _("值"))]
    listing.append(_header_cells(listing, [*headers, Column("reason", _("原因"))]))
    for e in sorted(errors, key=CellError.sort_key):
        listing.append(
            [_cell(listing, v) for v in (e.row if e.row is not None else "—", e.column, e.value)]
            + [_cell(listing, e.reason)]
        )
    save_workbook(wb, target)
