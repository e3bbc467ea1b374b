import django_tables2 as tables
from django.core.paginator import EmptyPage
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig

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


def paginate_table(request, table, per_page: int = PER_PAGE) -> None:
    """RequestConfig's ordering and paging, with the query string's page size kept within
    1..MAX_PER_PAGE and the page within the table: django-tables2 raises (a 500) for a size of 0
    or below, and a huge one would render every row. The count stops at COUNT_CAP
    (`table.paginator.count_exact`; core.paging)."""
    order_table(request, table)
    size = _number(request.GET.get(table.prefixed_per_page_field), per_page)
    size = min(max(size, 1), MAX_PER_PAGE)
    page = max(_number(request.GET.get(table.prefixed_page_field), 1), 1)
    try:
        table.paginate(CappedPaginator, per_page=size, page=page)
    except EmptyPage:  # past the end: the last page, as RequestConfig does
        table.paginate(CappedPaginator, per_page=size, page=max(table.paginator.num_pages, 1))
