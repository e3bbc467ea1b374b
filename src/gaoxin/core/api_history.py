"""An object's history in the API: its audit records as the page's timeline reads them
(core.audit_display), and times in Asia/Shanghai as the pages show them."""

import datetime
from typing import Any

from django.utils import timezone
from ninja import Field

from . import audit_display
from .api_types import Schema


def local(value: datetime.datetime | None) -> datetime.datetime | None:
    """Times go out in Asia/Shanghai (+08:00), as the pages show them."""
    return timezone.localtime(value) if value else value


class AuditChangeOut(Schema):
    label: str = Field(description="字段名称")
    old: str | None = Field(description="原值(新建时为空),按页面的写法")
    new: str | None = Field(description="新值,按页面的写法")


class AuditEntryOut(Schema):
    time: datetime.datetime
    actor_name: str = Field(description="操作人账号")
    actor: str = Field(description="操作人姓名")
    action: str
    action_name: str
    before: Any = Field(description="变更前的字段值(原始数据)")
    after: Any = Field(description="变更后的字段值(原始数据)")
    changes: list[AuditChangeOut] = Field(
        description="变更的字段,按时间线的写法(名称、单位、本地时间)"
    )
    message: str


def audit_entries(records) -> list[dict]:
    """An object's audit records, as its history shows them: the raw before/after for machines,
    and each change as the page's timeline reads it (core.audit_display) for people."""
    return [
        {
            "time": local(e.record.time),
            "actor_name": e.record.actor_name,
            "actor": e.actor,
            "action": e.record.action,
            "action_name": e.action,
            "before": e.record.before,
            "after": e.record.after,
            "changes": [{"label": str(c.label), "old": _text(c.old), "new": _text(c.new)}
                        for c in e.changes],
            "message": e.message,
        }
        for e in audit_display.present(records)
    ]  # fmt: skip


def _text(value) -> str | None:
    return None if value is None else str(value)
