"""Paging of the API's lists: page numbers (`page`, `page_size`) and cursors (`cursor`).

A page number reads `OFFSET (page-1)*page_size`: the database walks every row before the page, so
deep pages slow down. A cursor names the last row read (its values of the list's ordering) and the
next page starts after it on the ordering's index: page 1,000 costs what page 1 costs. Cursors are
given for lists whose ordering allows it (plain non-null columns ending with the id); the others
answer `next_cursor: null` and keep page numbers. The count is the capped one of `core.paging`.
"""

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q
from django.db.models.expressions import OrderBy
from django.utils.translation import gettext as _
from ninja import Field

from . import paging
from .api_types import Schema
from .paging import COUNT_CAP, MAX_OFFSET, JoinedKey, pinned

DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 50, 500
MAX_CURSOR_LENGTH = 1_000

CURSOR = Field(
    None,
    max_length=MAX_CURSOR_LENGTH,
    description="游标:上一页答复的 next_cursor;给出时从该行之后取 page_size 条,忽略 page(深页不变慢)",
)


class PageOut(Schema):
    """What every list answers beside its `items`."""

    count: int = Field(
        description=f"条数;count_exact 为 false 时只数到 {COUNT_CAP} 条为止,实际超过 count 条"
    )
    count_exact: bool = Field(description="count 是否为精确条数(超过上限时为 false)")
    page: int | None = Field(description="页码;按游标取页时为 null")
    page_size: int
    next_cursor: str | None = Field(
        None,
        description="下一页的游标(作为 cursor 参数传回);已是最后一页或该列表不支持游标时为 null",
    )


@dataclass
class ApiPage:
    rows: list
    count: int
    count_exact: bool
    page: int | None
    page_size: int
    next_cursor: str | None

    def out(self, items) -> dict:
        return {
            "items": items,
            "count": self.count,
            "count_exact": self.count_exact,
            "page": self.page,
            "page_size": self.page_size,
            "next_cursor": self.next_cursor,
        }


def _field(model, lookup: str):
    """The non-null concrete field `lookup` names (through non-null relations), else None."""
    parts = lookup.split("__")
    for i, name in enumerate(parts):
        try:
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not field.concrete or field.null:
            return None
        if field.is_relation and name != field.attname:
            if i == len(parts) - 1:
                return None  # ordering by a relation follows the related model's ordering
            model = field.related_model
        elif i < len(parts) - 1:
            return None
    return field


def keyset(queryset) -> list[tuple[str, bool, object]] | None:
    """The ordering as (lookup, descending, field) when a cursor can follow it: plain non-null
    fields (a related one's key as `JoinedKey` too), the last one the primary key (so that it
    names one row)."""
    query = queryset.query
    order = query.order_by or (query.get_meta().ordering if query.default_ordering else ())
    keys = []
    for item in order:
        if isinstance(item, OrderBy) and isinstance(item.expression, JoinedKey):
            name, descending = item.expression.name, item.descending
        elif not isinstance(item, str) or item.lstrip("-") in ("?", ""):
            return None  # an expression (NULLS LAST…) or a random order
        else:
            name, descending = item.lstrip("-"), item.startswith("-")
        field = _field(queryset.model, name)
        if field is None:
            return None
        keys.append((name, descending, field))
    if not keys or not keys[-1][2].primary_key:
        return None
    return keys


def _signature(queryset, keys) -> str:
    text = f"{queryset.model._meta.label}:{','.join(('-' if d else '') + n for n, d, _f in keys)}"
    return hashlib.blake2s(text.encode(), digest_size=4).hexdigest()


def _value(row, lookup: str):
    for name in lookup.split("__"):
        row = getattr(row, "pk" if name == "pk" else name)
    return row


def _encode(queryset, keys, row) -> str:
    values = [_value(row, name) for name, _d, _f in keys]
    text = json.dumps([_signature(queryset, keys), *values], default=str, ensure_ascii=False)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _bad_cursor():
    return ValidationError({"cursor": _("游标无效:请使用上一页答复中的 next_cursor")})


def _decode(queryset, keys, cursor: str) -> list:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        signature, *values = json.loads(text)
    except (ValueError, binascii.Error, UnicodeDecodeError, TypeError):
        raise _bad_cursor() from None
    if signature != _signature(queryset, keys) or len(values) != len(keys):
        raise _bad_cursor()
    try:
        values = [field.to_python(v) for (_n, _d, field), v in zip(keys, values, strict=True)]
    except (ValidationError, ValueError, TypeError, OverflowError):
        raise _bad_cursor() from None
    if not all(map(_storable, values)):
        raise _bad_cursor()
    return values


def _storable(value) -> bool:
    """A value a cursor's comparison can send to either database: the keys are non-null, the
    integers 64-bit, the texts without NUL (a forged cursor is refused, never a 500)."""
    if value is None:
        return False
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    return not (isinstance(value, str) and "\x00" in value)


def _after(keys, values) -> Q:
    """Rows after `values` in the ordering `keys`: (k1 > v1) or (k1 = v1 and k2 > v2) …, with
    the first key's bound also on its own so that the index reads from there."""
    first, first_desc, _f = keys[0]
    where = Q(**{f"{first}__{'lte' if first_desc else 'gte'}": values[0]})
    either, equal = Q(), {}
    for (name, desc, _field), value in zip(keys, values, strict=True):
        either |= Q(**equal, **{f"{name}__{'lt' if desc else 'gt'}": value})
        equal[name] = value
    return where & either


def _unpinned(queryset, keys, values):
    """The keys and values after the leading ones the query fixes already: a cursor compared on
    `zone_id` too makes SQLite read the index by a range of zones and sort the page."""
    fixed = pinned(queryset)
    n = 0
    while n < len(keys) - 1 and "__" not in keys[n][0] and keys[n][2].attname in fixed:
        if fixed[keys[n][2].attname] != values[n]:
            break
        n += 1
    return keys[n:], values[n:]


def paginate(
    queryset, page: int, page_size: int, cursor: str | None = None, *, counted=None, rows=None
) -> ApiPage:
    """One page of `queryset` (already ordered), counted up to COUNT_CAP (`counted`: the
    caller's capped_count of it), its rows read by id from `rows` when given (page_rows).
    Out-of-range page numbers and sizes are clamped, never an error; a bad cursor is a 422 on
    `cursor`."""
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    page = max(page, 1)
    keys = keyset(queryset)
    if cursor and keys is None:
        raise ValidationError({"cursor": _("该列表的排序不支持游标分页,请用 page 翻页")})
    count, exact = paging.capped_count(queryset) if counted is None else counted
    if cursor:
        after = queryset.filter(_after(*_unpinned(queryset, keys, _decode(queryset, keys, cursor))))
        found = paging.page_rows(after, 0, page_size + 1, rows=rows)
        page = None
    else:
        offset = (page - 1) * page_size
        # Past the end (or beyond what offsets may reach) there is nothing to fetch.
        reachable = offset < count if exact else offset <= MAX_OFFSET
        found = (
            paging.page_rows(queryset, offset, offset + page_size + 1, rows=rows)
            if reachable
            else []
        )
        if not exact:
            count = max(count, offset + min(len(found), page_size))
    more = len(found) > page_size
    found = found[:page_size]
    next_cursor = _encode(queryset, keys, found[-1]) if keys and more else None
    return ApiPage(found, count, exact, page, page_size, next_cursor)
