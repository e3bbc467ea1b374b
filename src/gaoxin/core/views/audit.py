from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from gaoxin.core.spreadsheets import XLSX

from ..filters import AuditFilter
from ..models import AuditRecord
from ..spreadsheets.spec import Column
from ..spreadsheets.writing import write_rows
from ..tables import AuditTable

EXPORT_LIMIT = 50_000


def _export_columns() -> list[Column]:
    return [
        Column("time", _("时间"), width=20),
        Column("actor_name", _("操作人")),
        Column("action", _("动作")),
        Column("zone", _("园区")),
        Column("object_repr", _("对象"), width=30),
        Column("changes", _("变更"), width=60),
        Column("message", _("说明"), width=30),
        Column("ip", _("IP")),
        Column("request_id", _("请求编号"), width=34),
    ]


def _export(records) -> HttpResponse:
    rows = (
        {
            "time": timezone.localtime(r.time).strftime("%Y-%m-%d %H:%M:%S"),
            "actor_name": r.actor_name,
            "action": r.get_action_display(),
            "zone": str(r.zone or ""),
            "object_repr": r.object_repr,
            "changes": "; ".join(f"{f}: {old} → {new}" for f, old, new in r.changed_fields()),
            "message": r.message,
            "ip": r.ip or "",
            "request_id": r.request_id,
        }
        for r in records[:EXPORT_LIMIT]
    )
    response = HttpResponse(content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f"attachment; filename=audit-{stamp}.xlsx"
    write_rows(response, _export_columns(), rows, title=_("审计日志"))
    return response


@login_required
def audit_list(request):
    """The audit search page: zone admins see their zone's records, platform admins everyone's."""
    if not set(AuditRecord.access_policy) & request.user.roles():
        raise Http404
    records = AuditRecord.objects.restrict(request.user, "view")
    records = records.select_related("zone")
    audit_filter = AuditFilter(request.GET, queryset=records)
    if request.GET.get("export") == "xlsx":
        return _export(audit_filter.qs.order_by("-time", "-id"))
    table = AuditTable(audit_filter.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    query = request.GET.copy()
    query["export"] = "xlsx"
    return render(
        request,
        "core/audit_list.html",
        {"filter": audit_filter, "table": table, "export_query": query.urlencode()},
    )
