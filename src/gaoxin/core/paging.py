"""Pages of a list at any size, for the pages (django-tables2 and the hand-made lists) and the API.

Counting a list is what made a page slow at 100,000 rows: `COUNT(*)` reads the zone's every row on
every page. Here a count stops at COUNT_CAP: `SELECT COUNT(*) FROM (… LIMIT COUNT_CAP + 1)` reads
at most that many index entries, so it is exact for every list a person pages through and says
"more than 10,000" honestly beyond (the page shows 超过 10000 条, the API `count_exact: false`).
We chose a capped count over the database's statistics (PostgreSQL's `reltuples`): an estimate is
of the whole table, not of the zone and filters the user sees, and SQLite has none.

A page's rows are read in two steps (`page_rows`): the page's ids first, by the list's ordering
alone, then those rows with their joins. With the joins of `select_related` in the same statement,
SQLite starts from the one-row tables (the zone, a utility company) and sorts the whole zone before
the first row; the ids alone are a walk of the (zone, ordering) index that stops at the page.
"""

import math

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import F
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, In
from django.db.models.query import ModelIterable
from django.db.models.sql.where import AND, OR, WhereNode
from django.utils.functional import cached_property

COUNT_CAP = 10_000
# The deepest row an offset may reach on an inexactly counted list (beyond, the database would
# overflow or read for seconds); deeper reads go by cursor in the API.
MAX_OFFSET = 1_000_000


def capped_count(queryset, cap: int | None = None) -> tuple[int, bool]:
    """(count, exact): the number of rows when at most `cap` (COUNT_CAP), else (`cap`, False)."""
    cap = COUNT_CAP if cap is None else cap
    rows = queryset.order_by()
    # ids only: no joins of select_related, no columns, no annotation computed for each row (one
    # a condition names stays in the WHERE); a sum or count per row keeps its GROUP BY.
    if not any(a.contains_aggregate for a in rows.query.annotations.values()):
        rows = rows.values("pk")
    n = rows[: cap + 1].count()
    return (n, True) if n <= cap else (cap, False)


def page_rows(queryset, start: int, stop: int, *, rows=None) -> list:
    """Rows `start`..`stop` of `queryset` (ordered): the ids by the ordering, then the rows by id,
    in the ids' order, from `queryset` or from `rows`: the same rows before the list's search
    and filters (still restricted to what the user may see), which then are not worked out a
    second time (a name search's candidates, 7 ms of a pinyin search at 100,000 enterprises).
    Querysets of dicts, tuples or a UNION are sliced as they are."""
    if queryset._iterable_class is not ModelIterable or queryset.query.combinator:
        return list(queryset[start:stop])
    ids = list(queryset.prefetch_related(None).values_list("pk", flat=True)[start:stop])
    if not ids:
        return []
    source = queryset if rows is None else rows
    found = {row.pk: row for row in source.order_by().filter(pk__in=set(ids))}
    return [found[pk] for pk in ids if pk in found]


class JoinedKey(F):
    """`<relation>__pk` ordered by the joined table's own key column. Django writes
    `enterprise__pk` as the row's `enterprise_id` (the same value, one join less), but a database
    walks the joined table's index in order only by that table's columns: returns ordered by
    (enterprise name, `e.id`) walk the enterprises' (zone, name, id) index and probe each one's
    return; by (name, `r.enterprise_id`) they sort the period's every return first."""

    def __init__(self, relation: str):
        super().__init__(f"{relation}__pk")
        self.relation = relation

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, *args, **kwargs):
        names = [*self.relation.split("__"), "pk"]
        joined = query.setup_joins(names, query.get_meta(), query.get_initial_alias(), reuse)
        return Col(joined.joins[-1], joined.targets[0])


def pinned(queryset) -> dict:
    """{column: value} that the conditions of `queryset` fix for its own table's rows."""
    return _pinned(queryset.query.where, queryset.model._meta.db_table)


def _pinned(node, table: str) -> dict:
    """{column: value} of `table` that the conditions of `node` (a query's WHERE) fix to one
    value, as `zone_id = 3` or restrict()'s `id IN () OR zone_id = 3`; {} when unsure."""
    if isinstance(node, Exact) and isinstance(node.lhs, Col) and node.lhs.alias == table:
        if not hasattr(node.rhs, "resolve_expression"):
            return {node.lhs.target.attname: node.rhs}
        return {}
    if not isinstance(node, WhereNode) or node.negated:
        return {}
    if node.connector == AND:
        pinned = {}
        for child in node.children:
            pinned.update(_pinned(child, table))
        return pinned
    if node.connector != OR:
        return {}
    # OR: what every branch that can match fixes alike. An empty IN () matches nothing; the test
    # is on a list only, so that a subquery is never run here to see whether it is empty.
    branches = [c for c in node.children if not (isinstance(c, In) and _empty_list(c.rhs))]
    if not branches:
        return {}
    common = _pinned(branches[0], table)
    for branch in branches[1:]:
        other = _pinned(branch, table)
        common = {k: v for k, v in common.items() if k in other and other[k] == v}
    return common


def _empty_list(value) -> bool:
    return isinstance(value, (list, tuple, set, frozenset)) and not value


def _queryset(object_list):
    """The queryset behind a list, or None (a django-tables2 table's rows hold it in data.data)."""
    if hasattr(object_list, "query"):
        return object_list
    data = getattr(getattr(object_list, "data", None), "data", None)
    return data if hasattr(data, "query") else None


class CappedPage(Page):
    def has_next(self):
        if self.paginator.count_exact:
            return super().has_next()
        return self.more


class CappedPaginator(Paginator):
    """A Paginator whose `count` stops at COUNT_CAP (`count_exact` says whether it did). Beyond
    the cap the last page is unknown: a page reads one row more than it shows to know whether a
    next one exists, and `num_pages` is the pages known to exist."""

    def __init__(self, object_list, per_page, *, counted=None, cap=None, rows=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap
        self._counted = counted  # (count, exact) when the caller counted already
        self._source = rows  # where page_rows reads the page's rows by id (default: the list)

    @cached_property
    def _capped(self) -> tuple[int, bool]:
        if self._counted is not None:
            return self._counted
        queryset = _queryset(self.object_list)
        if queryset is None:
            return len(self.object_list), True
        return capped_count(queryset, self.cap)

    @cached_property
    def count(self):
        return self._capped[0]

    @property
    def count_exact(self) -> bool:
        return self._capped[1]

    @cached_property
    def num_pages(self):
        if self.count_exact:
            return super().num_pages
        return math.ceil(self.count / self.per_page)

    def validate_number(self, number):
        if self.count_exact:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1 or (number - 1) * self.per_page > MAX_OFFSET:
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if self.count_exact:  # validate_number has raised EmptyPage past the last page
            return self._get_page(self._rows(bottom, bottom + self.per_page), number, self)
        rows = self._rows(bottom, bottom + self.per_page + 1)
        if not rows:
            raise EmptyPage(self.error_messages["no_results"])
        page = self._get_page(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page
        self.num_pages = max(self.num_pages, number + page.more)
        return page

    def _rows(self, start: int, stop: int):
        """The page's rows, read by `page_rows` when a queryset is behind the list; a
        django-tables2 table's rows stay its BoundRows."""
        queryset = _queryset(self.object_list)
        if queryset is None:
            return self.object_list[start:stop]
        rows = page_rows(queryset, start, stop, rows=self._source)
        if queryset is self.object_list:
            return rows
        bound = self.object_list  # django_tables2.rows.BoundRows
        return type(bound)(data=rows, table=bound.table, pinned_data=bound.pinned_data)

    def _get_page(self, *args, **kwargs):
        return CappedPage(*args, **kwargs)


def page_of(request, rows, per_page: int, *, counted=None, field: str = "page"):
    """The page the query string asks for (`?page=`), of `rows`, counted up to COUNT_CAP: the
    one helper of the hand-made lists. A page past the end or not a number reads as Django's
    `get_page` does (the last known page, the first)."""
    paginator = CappedPaginator(rows, per_page, counted=counted)
    try:
        return paginator.page(request.GET.get(field) or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(max(paginator.num_pages, 1))
