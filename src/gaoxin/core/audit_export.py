"""Exporting the audit trail to .xlsx (the audit page and GET /api/v1/audit/export).

The export is itself recorded (Action.EXPORT). Strings are written as typed text, so a value
such as "=HYPERLINK(...)" someone typed into a record never becomes a formula.
"""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, audit_display
from .models import AuditRecord
from .roles import PLATFORM_ADMIN
from .spreadsheets.spec import Column
from .spreadsheets.writing import XLSX, write_rows
from .zones import home_zone

EXPORT_LIMIT = 100_000


class TooManyRecords(Exception):
    def __init__(self, count: int):
        self.count = count
        super().__init__(
            _(
                "符合条件的审计记录有 %(n)s 条,超过单次导出上限 %(max)s 条,请缩小日期范围或增加筛选条件后再导出"
            )
            % {"n": f"{count:,}", "max": f"{EXPORT_LIMIT:,}"}
        )


def columns() -> list[Column]:
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
        Column("object_type", _("对象类型"), width=22),
        Column("object_id", _("对象编号")),
    ]


def _row(entry: audit_display.Entry) -> dict:
    r = entry.record
    ct = r.content_type
    return {
        "time": timezone.localtime(r.time).strftime("%Y-%m-%d %H:%M:%S"),
        "actor_name": r.actor_name,
        "action": r.get_action_display(),
        "zone": str(r.zone or ""),
        "object_repr": r.object_repr,
        "changes": "; ".join(str(c) for c in entry.changes),
        "message": entry.message,
        "ip": r.ip or "",
        "request_id": r.request_id,
        "object_type": f"{ct.app_label}.{ct.model}" if ct else "",
        "object_id": r.object_id,
    }


def export(user, records, *, zone=None, conditions: str = "") -> HttpResponse:
    """The records (already restricted to what `user` may see and filtered) as an .xlsx
    download, newest first; raises TooManyRecords above EXPORT_LIMIT, writing nothing."""
    count = records.count()
    if count > EXPORT_LIMIT:
        raise TooManyRecords(count)
    records = records.select_related("zone", "content_type").order_by("-time", "-id")
    response = HttpResponse(content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    code = f"-{zone.code}" if zone is not None else ""
    response["Content-Disposition"] = f"attachment; filename=audit{code}-{stamp}.xlsx"
    response["Cache-Control"] = "private, no-store"
    written = write_rows(
        response,
        columns(),
        (
            _row(entry)
            for entry in audit_display.present_all(records[:EXPORT_LIMIT].iterator(chunk_size=2000))
        ),
        title=_("审计日志"),
    )
    if zone is None and PLATFORM_ADMIN not in user.roles():
        zone = home_zone(user)  # a zone admin's export shows in their zone's trail
    audit.record(
        user,
        AuditRecord.Action.EXPORT,
        zone=zone,
        repr_=_("审计日志导出"),
        message=_("导出审计记录 %(n)s 条;条件:%(q)s")
        % {"n": written, "q": conditions or _("全部")},
    )
    return response
