import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import audit_display
from ..audit_export import EXPORT_LIMIT, TooManyRecords, export
from ..filters import AuditFilter
from ..models import AuditRecord
from ..retention import retention_days
from ..tables import AuditTable, paginate_table
from ..zones import visible_zones

PAGE_ONLY = ("page", "sort", "export")  # query keys that are not conditions


def _zones(request):
    return visible_zones(request.user) if request else visible_zones(None)


class AuditPageFilter(AuditFilter):
    """The page's conditions, plus the zone for those who see more than one (platform admins)."""

    zone = django_filters.ModelChoiceFilter(
        queryset=_zones, to_field_name="code", label=gettext_lazy("园区")
    )


def _filter(request) -> AuditPageFilter:
    if not set(AuditRecord.access_policy) & request.user.roles():
        raise Http404
    records = AuditRecord.objects.restrict(request.user, "view").select_related("zone")
    audit_filter = AuditPageFilter(request.GET, queryset=records, request=request)
    if visible_zones(request.user).count() < 2:
        del audit_filter.filters["zone"]
    return audit_filter


def _conditions(request) -> str:
    query = request.GET.copy()
    for key in PAGE_ONLY:
        query.pop(key, None)
    return query.urlencode()


def _export(request, audit_filter):
    conditions = _conditions(request)
    back = reverse("audit") + (f"?{conditions}" if conditions else "")
    if not audit_filter.is_valid():
        messages.error(request, _("筛选条件有误,请改正后再导出"))
        return redirect(back)
    try:
        return export(
            request.user,
            audit_filter.qs,
            zone=audit_filter.form.cleaned_data.get("zone"),
            conditions=conditions,
        )
    except TooManyRecords as exc:
        messages.error(request, str(exc))
        return redirect(back)


@login_required
def audit_list(request):
    """The audit search page: zone admins see their zone's records, platform admins everyone's."""
    audit_filter = _filter(request)
    if request.GET.get("export") == "xlsx":  # the page's former export link
        return _export(request, audit_filter)
    table = AuditTable(audit_filter.qs)
    paginate_table(request, table)
    rows = table.page.object_list  # the page's records, read once, each with its entry
    rows.data = audit_display.attach(rows.data)
    return render(
        request,
        "core/audit_list.html",
        {
            "filter": audit_filter,
            "table": table,
            "export_query": _conditions(request),
            "export_limit": f"{EXPORT_LIMIT:,}",
            "retention_days": retention_days(),
        },
    )


@login_required
def audit_export(request):
    """The records the page's conditions select, as .xlsx; the export is audited."""
    return _export(request, _filter(request))
