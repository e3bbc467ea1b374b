import functools
import re
import weakref

import django_tables2 as tables
from django.core.paginator import EmptyPage
from django.template import Context, Template, defaultfilters
from django.template.base import render_value_in_context
from django.templatetags.l10n import localize, unlocalize
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig
from django_tables2 import utils as tables_utils
from django_tables2.columns import DateColumn, DateTimeColumn, templatecolumn

from .models import AuditRecord
from .paging import CappedPaginator


class AuditTable(tables.Table):
    time = tables.DateTimeColumn(format="Y-m-d H:i:s", verbose_name=_("时间"))
    # `record.display`: the page's records pass through audit_display.attach (see views.audit).
    changes = tables.TemplateColumn(
        template_code='{% include "core/_audit_changes.html" with entry=record.display %}',
        verbose_name=_("变更"),
        orderable=False,
    )

    class Meta:
        model = AuditRecord
        fields = (
            "time",
            "actor_name",
            "action",
            "zone",
            "object_repr",
            "changes",
            "ip",
            "request_id",
        )
        attrs = {"class": "table table-sm table-hover align-middle", "id": "audit-table"}
        order_by = "-time"


PER_PAGE, MAX_PER_PAGE = 50, 500


def _number(text, default: int) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):  # also a number too long to read
        return default


def order_table(request, table) -> None:
    """The order the query string asks for (a header clicked) or the table's own, ended with the
    id: for a page (`paginate_table`) and for the export of every page, alike."""
    RequestConfig(request, paginate=False).configure(table)
    _break_ties(table)


def _break_ties(table) -> None:
    """End the table's order with the id. A sort by one column (a header clicked, Meta.order_by)
    lets the database return equal rows in any order on each read, so a row could show on two
    pages or on none; with the id last, every page boundary falls in one place."""
    rows = getattr(table.data, "data", None)
    order = list(getattr(getattr(rows, "query", None), "order_by", ()))
    if order and order[-1] not in ("pk", "-pk", "id", "-id"):
        table.data.data = rows.order_by(*order, "pk")


def paginate_table(request, table, per_page: int = PER_PAGE, *, counted=None, rows=None) -> None:
    """RequestConfig's ordering and paging, with the query string's page size kept within
    1..MAX_PER_PAGE and the page within the table: django-tables2 raises (a 500) for a size of 0
    or below, and a huge one would render every row. The count stops at COUNT_CAP
    (`table.paginator.count_exact`; core.paging), or is the caller's capped_count (`counted`);
    the page's rows are read by id from `rows` when given (core.paging.page_rows)."""
    order_table(request, table)
    size = _number(request.GET.get(table.prefixed_per_page_field), per_page)
    size = min(max(size, 1), MAX_PER_PAGE)
    page = max(_number(request.GET.get(table.prefixed_page_field), 1), 1)
    try:
        table.paginate(CappedPaginator, per_page=size, page=page, counted=counted, rows=rows)
    except EmptyPage:  # past the end: the last page, as RequestConfig does
        last = max(table.paginator.num_pages, 1)
        table.paginate(CappedPaginator, per_page=size, page=last, counted=counted, rows=rows)


def render_body(table, context) -> str:
    """The table's <tbody>, written in Python: the same HTML as django-tables2's bootstrap5
    template (the attributes of every row and cell, each value localised and escaped as {{ cell }}
    would be), without the template engine's work for each of a page's cells, which was a third
    of a list page's time. What does not change from row to row (a column's cell attributes, its
    localisation, its default) is read once a column (`_Column`). `{% table_body table %}` in
    core/table.html."""
    columns = [_Column(table, column) for column in table.columns]
    rows = [_row(row, columns, context) for row in table.paginated_rows]
    if not rows and table.empty_text:
        colspan = len(columns)
        rows.append(format_html('<tr><td colspan="{}">{}</td></tr>', colspan, table.empty_text))
    # Every attribute is escaped by as_html, every cell by render_value_in_context.
    return mark_safe(f"<tbody {table.attrs['tbody'].as_html()}>{''.join(rows)}</tbody>")


def _computed(attrs) -> bool:
    """Whether attributes hold a callable, which django-tables2 calls with each row's record."""
    return any(callable(v) or (isinstance(v, dict) and _computed(v)) for v in attrs.values())


class _Column:
    """A bound column's reading for one rendering. Its cell attributes are written once when
    nothing in them depends on the row: the library builds them afresh for every cell (the
    table's and the column's attributes merged, classes sorted, escaped: a fifth of a page)."""

    __slots__ = ("bound", "default", "localize", "td")

    def __init__(self, table, bound):
        self.bound, self.default, self.localize = bound, bound.default, bound.localize
        per_row = (
            _computed(table.attrs)
            or _computed(bound.column.attrs)
            or type(table).get_column_class_names is not tables.Table.get_column_class_names
        )
        self.td = None if per_row else bound.attrs["td"].as_html()


def _row(row, columns, context) -> str:
    # BoundRow.items() and get_cell(name) as the library's template reads them, without looking
    # each column up by name again for every cell (_get_and_render_with is the library's own).
    cells = []
    for column in columns:
        bound = column.bound
        value = row._get_and_render_with(bound, row._call_render, column.default)
        td = column.td
        if td is None:  # attributes computed from the row: as items() sets them before reading
            bound.current_value, bound.current_record = value, row.record
            td = bound.attrs["td"].as_html()
        if column.localize is not None:  # {{ cell|localize }} or {{ cell|unlocalize }}
            value = (localize if column.localize else unlocalize)(value)
        cells.append(f"<td {td}>{render_value_in_context(value, context)}</td>")
    return f"<tr {row.attrs.as_html()}>{''.join(cells)}</tr>"


# The library's own reading, kept before speed_up_tables() puts _cached_signature in its place.
LIBRARY_SIGNATURE = tables_utils.signature
_signatures = {True: weakref.WeakKeyDictionary(), False: weakref.WeakKeyDictionary()}


def _cached_signature(fn):
    """django_tables2.utils.signature, read once a function: the library reads
    inspect.signature() afresh for every cell of every row (a fifth of a list page's time). A
    bound method is cached by its function (the method object is new on every attribute read)."""
    bound = hasattr(fn, "__func__")
    key = fn.__func__ if bound else fn
    try:
        return _signatures[bound][key]
    except KeyError:
        result = _signatures[bound][key] = LIBRARY_SIGNATURE(fn)
        return result
    except TypeError:  # not weakly referenceable (a callable object with __slots__): as it was
        return LIBRARY_SIGNATURE(fn)


# The template DateColumn and DateTimeColumn write: `{{ value|date:"<format>"|default:default }}`.
DATE_TEMPLATE = re.compile(r'\{\{ value\|date:"([^"]*)"\|default:default \}\}')
LIBRARY_DATE_RENDER = templatecolumn.TemplateColumn.render


@functools.lru_cache(maxsize=64)
def _date_format(template_code: str | None) -> str | None:
    match = DATE_TEMPLATE.fullmatch(template_code or "")
    return match[1] if match else None


def _render_date(self, record, table, value, bound_column, **kwargs):
    """A DateColumn's or DateTimeColumn's cell: their template's date filter (in the local time),
    default and escaping, in Python; a template of its own (a subclass's) renders as it did."""
    fmt = _date_format(self.template_code)
    if fmt is None or self.extra_context:
        return LIBRARY_DATE_RENDER(self, record, table, value, bound_column, **kwargs)
    context = getattr(table, "context", None) or Context()
    text = defaultfilters.date(template_localtime(value, context.use_tz), fmt)
    return mark_safe(render_value_in_context(text or bound_column.default, context))


_CACHED_TEMPLATE = functools.lru_cache(maxsize=256)(Template)


def speed_up_tables(on: bool = True) -> None:
    """Called once, by CoreConfig.ready(); `on=False` puts django-tables2 back as it ships (the
    table test's and the lists bench's reference). Costs of the library that grow with every
    cell of every list page, cut where it looks the names up at each call:
    - the signature of a render method, read once a function (_cached_signature);
    - a TemplateColumn's template_code, compiled once a code instead of once a cell: a compiled
      Template renders any number of times, from any thread (Django keeps a render's state in its
      context);
    - a DateColumn's and DateTimeColumn's cell, a template rendered for each (a tenth of a list
      page under load), written by _render_date."""
    tables_utils.signature = _cached_signature if on else LIBRARY_SIGNATURE
    templatecolumn.Template = _CACHED_TEMPLATE if on else Template
    DateColumn.render = DateTimeColumn.render = _render_date if on else LIBRARY_DATE_RENDER
