"""Bounds on what the reader opens, checked before calamine sees the file.

calamine holds a sheet as a dense rectangle from A1 to its farthest cell: one value in XFD1048576
of a 5 KB .xlsx asks for 16,384 × 1,048,576 cells (hundreds of GiB) and the process aborts. So an
.xlsx is inspected first, without calamine: the zip's members and sizes (core.ooxml), the parts
of a workbook, and every sheet streamed through expat for its declared <dimension> and its real
farthest cell (a sheet may omit or misstate the dimension). An .xls (at most 65,536 × 256 by its
format) is checked on the range calamine reports before it is turned into Python rows; a .csv
row by row while it is read. IMPORT_MAX_ROWS, IMPORT_MAX_COLUMNS and IMPORT_MAX_CELLS bound the
used range from A1; anything beyond is a FileProblem, so nothing is imported.
"""

import io
import posixpath

from django.conf import settings
from django.utils.translation import gettext as _

from .. import ooxml


class Exceeded(Exception):
    """A bound was crossed; carries the message for the person who uploaded the file."""


def limits() -> tuple[int, int, int]:
    """(rows, columns, cells) the used range from A1 may reach."""
    return settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS, settings.IMPORT_MAX_CELLS


def check_extent(rows: int, columns: int, sheet: str | None = None, *, at: str = "") -> None:
    """Raise Exceeded if a used range from A1 to row `rows`, column `columns` (1-based) is too
    big; `at` names the cell that reaches that far (default: the range's corner)."""
    max_rows, max_columns, max_cells = limits()
    corner = f"{letters(columns)}{rows}" if rows and columns else "A1"
    if rows > max_rows or columns > max_columns:
        values = {"cell": at or corner, "c": max_columns, "r": max_rows, "s": sheet}
        if sheet is None:
            message = _(
                "表格范围过大:单元格 %(cell)s 超出允许的 %(c)d 列 × %(r)d 行,"
                "请删除远处的空白单元格后重试(数据确实更多时,请拆分成多个文件分批导入)"
            )
        else:
            message = _(
                "表格范围过大:工作表「%(s)s」的单元格 %(cell)s 超出允许的 %(c)d 列 × %(r)d 行,"
                "请删除远处的空白单元格后重试(数据确实更多时,请拆分成多个文件分批导入)"
            )
        raise Exceeded(message % values)
    if rows * columns > max_cells:
        raise Exceeded(
            _(
                "表格范围过大:区域 A1:%(corner)s 共 %(n)d 个单元格,超出允许的 %(m)d 个,"
                "请删除多余的行列或拆分成多个文件分批导入"
            )
            % {"corner": corner, "n": rows * columns, "m": max_cells}
        )


def letters(column: int) -> str:
    """1 → A, 16384 → XFD, and on beyond Excel's last column (a hostile file goes there)."""
    text = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        text = chr(65 + rest) + text
    return text


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def cell_position(ref: str) -> tuple[int, int] | None:
    """'XFD1048576' → (1048576, 16384), 1-based (row, column); None if it is no cell reference."""
    digits = ref.lstrip(_LETTERS)
    letters = ref[: len(ref) - len(digits)]
    if not letters or not digits.isdigit() or not digits.isascii() or len(ref) > 20:
        return None
    column = _COLUMNS.get(letters)
    if column is None:
        column = 0
        for ch in letters.upper():
            column = column * 26 + ord(ch) - 64
        if len(_COLUMNS) < 20000:
            _COLUMNS[letters] = column
    return int(digits), column


_COLUMNS: dict[str, int] = {}


class _SheetScan:
    """The expat handler for one worksheet: follows the row and cell positions as calamine does
    (a cell's r="B7", or one after the previous cell and row when r is absent) and stops at the
    first cell beyond the bounds. Called for every element of sheets of a million cells, so the
    common case (a cell in the same row as the previous one) does as little as possible."""

    def __init__(self, sheet: str):
        self.sheet = sheet
        self.max_rows, self.max_columns, _cells = limits()
        self.row = self.column = 0
        self.digits = ""  # the row part of the last cell reference, as written
        self.far_row = self.far_column = 0

    def start(self, tag: str, attrs: dict) -> None:
        if tag == "v":  # most elements are values: leave them first
            return
        if tag == "c" or tag.endswith(":c"):
            ref = attrs.get("r")
            if ref:
                digits = ref.lstrip(_LETTERS)
                column = _COLUMNS.get(ref[: -len(digits)]) if digits else None
                if column is None or digits != self.digits:
                    position = cell_position(ref)
                    if position is None:
                        raise ooxml.PackageProblem(damaged=True)
                    (self.row, column), self.digits = position, digits
                self.column = column
            else:
                self.column += 1
                self.digits = ""
                ref = f"{letters(self.column)}{max(self.row, 1)}"
            if self.column > self.far_column or self.row > self.far_row:
                if self.row > self.max_rows or self.column > self.max_columns:
                    check_extent(self.row, self.column, self.sheet, at=ref)
                self.far_row = max(self.far_row, self.row)
                self.far_column = max(self.far_column, self.column)
            return
        local = tag.rpartition(":")[2]
        if local == "row":
            ref = attrs.get("r")
            if ref and not (ref.isdigit() and ref.isascii()):
                raise ooxml.PackageProblem(damaged=True)
            self.row = int(ref) if ref else self.row + 1
            self.column = 0
            self.digits = ""
        elif local == "dimension":
            # Declared before the cells: a huge one is refused without streaming the rest.
            corner = (attrs.get("ref") or "").rpartition(":")[2]
            position = cell_position(corner)
            if position is not None:
                check_extent(*position, self.sheet, at=corner)

    def finish(self) -> None:
        check_extent(self.far_row, self.far_column, self.sheet)


def check_workbook(data: bytes) -> None:
    """Refuse an .xlsx (zip) upload that is not a workbook or is beyond the bounds.

    Raises ooxml.PackageProblem (damaged, or too big for the zip bounds), NotAWorkbook, or
    Exceeded; reads nothing with calamine.
    """
    with ooxml.open_package(io.BytesIO(data)) as package:
        missing = ooxml.missing_part(package, "xlsx")
        if missing:
            raise NotAWorkbook(missing)
        for member, sheet in _sheet_members(package):
            scan = _SheetScan(sheet)
            ooxml.parse(package, member, scan.start)
            scan.finish()


class NotAWorkbook(Exception):
    """A sound zip without the parts of a workbook (a plain zip, a .docx renamed .xlsx…)."""


SHEET_FOLDER = "xl/worksheets/"
RELS = "xl/_rels/workbook.xml.rels"
WORKBOOK = "xl/workbook.xml"


def _sheet_members(package: ooxml.Package) -> list[tuple[str, str]]:
    """(member, sheet name) of every part calamine could read as a sheet: the workbook's
    relationships of any sheet type, under every way a reader may resolve their targets, and
    everything in xl/worksheets/."""
    targets: dict[str, str] = {}  # relationship id → target
    names: dict[str, str] = {}  # relationship id → sheet name

    def relationship(tag, attrs):
        if tag.rpartition(":")[2] == "Relationship":
            kind = attrs.get("Type", "").lower()
            if kind.endswith("sheet") and attrs.get("TargetMode") != "External":
                targets[attrs.get("Id", "")] = attrs.get("Target", "")

    def sheet(tag, attrs):
        if tag.rpartition(":")[2] == "sheet":
            rid = next((v for k, v in attrs.items() if k.rpartition(":")[2] == "id"), "")
            names[rid] = attrs.get("name", "")

    if package.has(RELS):
        ooxml.parse(package, RELS, relationship)
    ooxml.parse(package, WORKBOOK, sheet)
    members: dict[str, str] = {}
    for rid, target in targets.items():
        target = target.replace("\\", "/")
        for candidate in (
            target.lstrip("/"),
            "xl/" + target,
            posixpath.normpath("xl/" + target),
            posixpath.normpath(target.lstrip("/")),
        ):
            if package.has(candidate):
                members.setdefault(candidate, names.get(rid) or posixpath.basename(candidate))
    for member in package.names():
        if member.startswith(SHEET_FOLDER) and member.endswith(".xml"):
            members.setdefault(member, posixpath.basename(member))
    return list(members.items())
