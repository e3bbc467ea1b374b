from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django_tables2 import RequestConfig

from ..filters import AuditFilter
from ..models import AuditRecord
from ..tables import AuditTable


@login_required
def audit_list(request):
    """The audit search page: zone admins see their zone's records, platform admins everyone's."""
    records = AuditRecord.objects.restrict(request.user, "view")
    if not records.exists() and not (request.user.roles() & {"platform_admin", "zone_admin"}):
        raise Http404
    records = records.select_related("zone")
    audit_filter = AuditFilter(request.GET, queryset=records)
    table = AuditTable(audit_filter.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "core/audit_list.html", {"filter": audit_filter, "table": table})
