"""Workbooks for the importers' tests, written with openpyxl as a user's Excel would save them,
and an import's errors in a comparable form. The importers' own rows live beside their concept:
returns_import.py, enterprise_import.py, ledger_import.py."""

from pathlib import Path

import openpyxl


def write_workbook(path: Path, headers: list, rows: list[list], title: str | None = None) -> Path:
    """An .xlsx at `path`: one sheet (named `title`, else openpyxl's default), the header row,
    then `rows` (lists of cells) as they are."""
    wb = openpyxl.Workbook()
    ws = wb.active
    if title is not None:
        ws.title = title
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def dict_rows(rows: list[dict], headers: list) -> list[list]:
    """Rows keyed by header as lists of cells in the order of `headers` (None where missing)."""
    return [[r.get(h) for h in headers] for r in rows]


def errors(result) -> list[tuple]:
    """An import result's errors as (row, column, value, reason), in the order reported."""
    return [(e.row, e.column, e.value, e.reason) for e in result.sorted_errors()]


def exported_sheet(response) -> tuple[tuple, list[dict]]:
    """An .xlsx download's header row and its rows as dicts keyed by the headers."""
    import io

    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(workbook.active.iter_rows(values_only=True))
    return rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
