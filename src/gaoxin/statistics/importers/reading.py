"""Reading a returns workbook: core's reader (calamine, header mapping, FileProblem) and core's
row semantics (blank and example rows skipped, required cells, every cell's parser error at its
cell), with a row loop made for 100,000 rows × a dozen columns: numeric cells take a fast path,
and the columns that repeat (报告期, 统一社会信用代码, 企业名称) are parsed once per distinct value.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from gaoxin.core.spreadsheets import FileProblem, Parsed, Record, is_blank
from gaoxin.core.spreadsheets.reading import (
    PROGRESS_EVERY,
    _is_example,
    _source_bytes,
    map_headers,
    read_table,
)

MEMO_FIELDS = ("period", "uscc", "name")
_FAILED = object()


def fast_number(value: float):
    """A float cell as Decimal the way people typed it (1234.5, not 1234.4999…), or None when
    the shortest repr is not plain digits (then the column's own parser decides)."""
    text = repr(value)
    if "e" in text or "n" in text:  # 1e+16, nan, inf
        return None
    if text.endswith(".0"):
        text = text[:-2]
    return Decimal(text)


def read_returns(source, columns, *, amount_fields, name=None, progress=None) -> Parsed:
    """Like core.spreadsheets.read_records, for the returns layout."""
    columns = list(columns)
    parsed = Parsed(name=name or "")
    try:
        data, parsed.name = _source_bytes(source, name)
        parsed.table = read_table(data, parsed.name, columns)
        parsed.layout = map_headers(parsed.table, columns)
    except FileProblem as problem:
        parsed.errors, parsed.fatal = problem.errors, True
        return parsed
    parsed.records, parsed.errors = _parse_rows(
        parsed.table, parsed.layout, columns, set(amount_fields), progress
    )
    if not parsed.records and not parsed.errors:
        header_row = parsed.layout.header_row + 1
        parsed.errors = FileProblem(_("表头(第 %(r)d 行)下面没有数据行") % {"r": header_row}).errors
        parsed.fatal = True
    return parsed


def _parse_rows(table, layout, columns, amount_fields, progress):
    spec = [(c.field, c, layout.columns[c.field]) for c in columns if c.field in layout.columns]
    fields = [f for f, _c, _i in spec]
    indexes = [i for _f, _c, i in spec]
    width = max(indexes) + 1 if indexes else 0
    memo = {f: {} for f in MEMO_FIELDS}
    required_msg = _("必填项不能为空")
    records, errors = [], []
    start = layout.header_row + 1
    total = len(table.rows) - start
    for offset, row in enumerate(table.rows[start:]):
        if progress and offset % PROGRESS_EVERY == 0:
            progress(offset, total)
        if len(row) < width:
            row = [*row, *([None] * (width - len(row)))]
        cells = [row[i] for i in indexes]
        blank = [v is None or v == "" or (type(v) is str and is_blank(v)) for v in cells]
        if all(blank) or _is_example(row):
            continue
        number = start + offset + 1
        raw = dict(zip(fields, cells, strict=True))
        values = {}
        record = Record(row=number, values=values, raw=raw)
        for (field, col, _i), value, empty in zip(spec, cells, blank, strict=True):
            if empty:
                values[field] = None
                if col.required:
                    record.failed.add(field)
                    errors.append(layout.error(number, field, "", required_msg))
                continue
            if field in amount_fields and type(value) is float:
                parsed_value = fast_number(value)
                if parsed_value is not None:
                    values[field] = parsed_value
                    continue
            cache = memo.get(field)
            if cache is not None and type(value) is not float:
                found = cache.get(value)
                if found is not None:
                    if found[0] is _FAILED:
                        values[field] = None
                        record.failed.add(field)
                        errors.append(layout.error(number, field, value, found[1]))
                    else:
                        values[field] = found[0]
                    continue
            try:
                values[field] = col.parser(value)
                if cache is not None and type(value) is not float:
                    cache[value] = (values[field], None)
            except ValueError as exc:
                values[field] = None
                record.failed.add(field)
                errors.append(layout.error(number, field, value, str(exc)))
                if cache is not None and type(value) is not float:
                    cache[value] = (_FAILED, str(exc))
        records.append(record)
    if progress:
        progress(total, total)
    return records, errors
