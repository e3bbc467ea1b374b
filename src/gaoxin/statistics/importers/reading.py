"""Reading a returns workbook: core's reader (calamine, header mapping, FileProblem) and core's
row semantics (blank and example rows skipped, required cells, every cell's parser error at its
cell), parsed column by column for 100,000 rows × a dozen columns: numeric cells take a fast path
that also gives the text stored in Return.data, and the text columns (报告期, 统一社会信用代码,
企业名称) are parsed once per distinct value.
"""

from decimal import Decimal
from itertools import repeat

from django.utils.translation import gettext as _

from gaoxin.core.spreadsheets import EXAMPLE_MARK, Record, is_blank
from gaoxin.core.spreadsheets.reading import open_table, require_rows

FOUR_PLACES = Decimal("0.0001")
TOO_BIG = 10**15  # what the stored amounts hold (20 digits, 4 after the point)


def read_returns(source, columns, *, amount_fields, name=None, progress=None):
    """Like core.spreadsheets.read_records, for the returns layout: (parsed, texts), texts[i]
    holding record i's amounts as the text stored in Return.data ({code: "12000.5"})."""
    columns = list(columns)
    parsed = open_table(source, columns, name=name)
    if parsed.fatal:
        return parsed, []
    parsed.records, texts, parsed.errors = _parse(
        parsed.table, parsed.layout, columns, set(amount_fields), progress
    )
    require_rows(parsed)
    return parsed, texts


class RawRow:
    """A row's cells as typed, by field (Record.raw), without a dict per row."""

    __slots__ = ("index", "cells")

    def __init__(self, index: dict, cells: tuple):
        self.index, self.cells = index, cells

    def get(self, field_name, default=None):
        i = self.index.get(field_name)
        return default if i is None else self.cells[i]

    def __getitem__(self, field_name):
        return self.cells[self.index[field_name]]

    def __contains__(self, field_name):
        return field_name in self.index

    def items(self):
        return ((f, self.cells[i]) for f, i in self.index.items())

    def values(self):
        return iter(self.cells)


def _blank(value) -> bool:
    return value is None or value == "" or (type(value) is str and is_blank(value))


def _example_rows(columns) -> set[int]:
    """Rows with a cell starting with the template's example mark (core's _is_example)."""
    found = set()
    for column in columns:
        hits = [k for k, v in enumerate(column) if type(v) is str and EXAMPLE_MARK in v]
        found.update(k for k in hits if column[k].strip().startswith(EXAMPLE_MARK))
    return found


def _amounts(column, parser, too_big_msg):
    """An amount column → (numbers, texts, problems {k: reason}, blanks). Float cells (nearly all
    of them) become Decimal as typed (1234.5, not 1234.4999…) with their stored text, in
    comprehensions; the rest go through the column's parser."""
    texts = [
        (str(int(v)) if v.is_integer() else repr(v))
        if type(v) is float and -TOO_BIG < v < TOO_BIG
        else None
        for v in column
    ]
    numbers = [None if t is None else Decimal(t) for t in texts]
    odd = [
        k
        for k, t in enumerate(texts)
        if t is None or "e" in t or ("." in t and len(t) - t.index(".") > 5)
    ]
    problems, blanks = {}, set()
    for k in odd:
        value = column[k]
        if texts[k] is not None:  # 1e-05, or more than 4 decimals: at the stored precision
            number = Decimal(texts[k])
        elif _blank(value):
            blanks.add(k)
            continue
        else:
            try:
                number = parser(value)
            except ValueError as exc:
                problems[k] = str(exc)
                continue
            if number is not None and abs(number) >= TOO_BIG:
                problems[k] = too_big_msg
                continue
        if number is not None and number.as_tuple().exponent < -4:
            number = number.quantize(FOUR_PLACES)
        numbers[k] = number
        texts[k] = None if number is None else format(number.normalize(), "f")
    return numbers, texts, problems, blanks


def _parse(table, layout, columns, amount_fields, progress):
    spec = [c for c in columns if c.field in layout.columns]
    rows = table.rows[layout.header_row + 1 :]
    start = layout.header_row + 2  # Excel row of rows[0]
    total = len(rows)
    if progress:
        progress(0, total)
    width = max((len(r) for r in rows), default=0)
    cells = [[r[c] if c < len(r) else None for r in rows] for c in range(width)]
    empty = [None] * total
    skip = _example_rows(cells)
    values, texts, problems, blanks = {}, {}, {}, {}
    for col in spec:
        column = cells[layout.columns[col.field]] if layout.columns[col.field] < width else empty
        if col.field in amount_fields:
            unit = col.header[col.header.rfind("(") + 1 : -1]
            too_big = _("数值过大,请检查单位(应为%(u)s)") % {"u": unit}
            values[col.field], texts[col.field], problems[col.field], blanks[col.field] = _amounts(
                column, col.parser, too_big
            )
            continue
        memo, parsed_values, found, blank = {}, [], {}, set()
        for k, value in enumerate(column):
            result = memo.get(value) if type(value) is not float else None
            if result is None:
                if _blank(value):
                    result = (None, None, True)
                else:
                    try:
                        result = (col.parser(value), None, False)
                    except ValueError as exc:
                        result = (None, str(exc), False)
                if type(value) is not float:
                    memo[value] = result
            parsed_values.append(result[0])
            if result[2]:
                blank.add(k)
            elif result[1] is not None:
                found[k] = result[1]
        values[col.field], problems[col.field], blanks[col.field] = parsed_values, found, blank
    if progress:
        progress(total // 2, total)
    fields = [c.field for c in spec]
    amount_list = [f for f in fields if f in amount_fields]
    raw_columns = [cells[layout.columns[f]] if layout.columns[f] < width else empty for f in fields]
    # A row is skipped when every mapped cell is blank (or it is the template's example).
    blank_everywhere = set.intersection(*(blanks[f] for f in fields)) if fields else set()
    skip |= blank_everywhere
    troubled = set().union(*(problems[f] for f in fields)) if fields else set()
    required = [(c.field, blanks[c.field]) for c in spec if c.required]
    for _f, blank in required:
        troubled |= blank
    required_msg = _("必填项不能为空")
    raw_index = {f: i for i, f in enumerate(fields)}
    records, record_texts, errors = [], [], []
    value_rows = zip(*(values[f] for f in fields), strict=True)
    raw_rows = zip(*raw_columns, strict=True)
    text_rows = zip(*(texts[f] for f in amount_list), strict=True) if amount_list else repeat(())
    for k, (record_values, raw_values, text_values) in enumerate(
        zip(value_rows, raw_rows, text_rows, strict=True)
    ):
        if k in skip:
            continue
        number = start + k
        raw = RawRow(raw_index, raw_values)
        record = Record(row=number, values=dict(zip(fields, record_values, strict=True)), raw=raw)
        if k in troubled:
            for f in fields:
                reason = problems[f].get(k)
                if reason is not None:
                    record.failed.add(f)
                    errors.append(layout.error(number, f, raw.get(f), reason))
            for f, blank in required:
                if k in blank:
                    record.failed.add(f)
                    errors.append(layout.error(number, f, "", required_msg))
        records.append(record)
        record_texts.append(dict(zip(amount_list, text_values, strict=True)))
    errors.sort(key=lambda e: (e.row or 0, e.col if e.col is not None else -1))
    if progress:
        progress(total, total)
    return records, record_texts, errors
