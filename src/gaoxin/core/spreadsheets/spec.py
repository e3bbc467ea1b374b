"""Column specs (how a Chinese header maps to a field) and the error a cell can carry."""

from collections.abc import Callable
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from .normalize import halfwidth, parse_text


@dataclass(frozen=True)
class Column:
    """One column of an import/export layout.

    field: the attribute it fills; header: the Chinese header written in templates and exports;
    aliases: other headers people use for it; required: the column must exist and its cells be
    filled; parser: cell value → Python value (raises ValueError with a Chinese reason);
    formatter: Python value → cell value, for exports; choices: labels offered as a dropdown in
    the template; list_name: a longer list, kept on the template's hidden list sheet, offered
    as a dropdown; text: keep the cells as text in Excel (long codes would lose digits);
    help and example: for the template's 说明 sheet and example row.
    """

    field: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    parser: Callable = parse_text
    formatter: Callable | None = None
    choices: tuple[str, ...] = ()
    list_name: str | None = None
    text: bool = False
    date: bool = False
    help: str = ""
    example: object = None
    width: int = 14

    def format(self, value):
        if self.formatter is not None:
            return self.formatter(value)
        return value


def header_key(text) -> str:
    """How headers are compared: half-width, no spaces, no required-marks, lower case.

    So "注册资本（万元）", "注册资本(万元)" and "*注册资本 (万元)" are the same header.
    """
    key = halfwidth(str(text or "")).replace("(必填)", "").replace("必填", "")
    return "".join(ch for ch in key if not ch.isspace() and ch not in "*※").lower()


def column_letter(index: int) -> str:
    """0-based column index → Excel letter (0 → A)."""
    return get_column_letter(index + 1)


@dataclass(frozen=True)
class CellError:
    """One thing wrong with the upload, located as a person sees it in Excel.

    row: the row number shown in Excel (None for the whole file); column: the header as written
    in the file ("" for a whole row or the file); value: the cell as typed; reason: what is wrong
    and what is right, in Chinese; col: 0-based column index, to mark the cell.
    """

    row: int | None
    column: str
    value: str
    reason: str
    col: int | None = field(default=None, compare=False)

    @property
    def cell(self) -> str:
        """The cell reference, e.g. "C7" ("" when the error is not about one cell)."""
        if self.row is None or self.col is None:
            return ""
        return f"{column_letter(self.col)}{self.row}"

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
            "cell": self.cell,
        }

    def sort_key(self):
        return (self.row or 0, self.col if self.col is not None else -1)
