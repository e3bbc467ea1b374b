import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import AuditRecord


class AuditTable(tables.Table):
    time = tables.DateTimeColumn(format="Y-m-d H:i:s", verbose_name=_("时间"))
    changes = tables.TemplateColumn(
        template_name="core/_audit_changes.html", verbose_name=_("变更"), orderable=False
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
