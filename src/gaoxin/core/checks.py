"""System checks: settings the platform refuses to start with (run by `gaoxin serve`, migrate,
runserver and `gaoxin check`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from .retention import FLOOR_DAYS


@register(Tags.security)
def audit_retention(app_configs=None, **kwargs):
    days = getattr(settings, "AUDIT_RETENTION_DAYS", None)
    if isinstance(days, int) and not isinstance(days, bool) and days >= FLOOR_DAYS:
        return []
    return [
        Error(
            f"AUDIT_RETENTION_DAYS={days!r}: 审计记录至少保存 {FLOOR_DAYS} 天(等保2.0 要求不少于六个月)。",
            hint=f"把环境变量 AUDIT_RETENTION_DAYS 设为不小于 {FLOOR_DAYS} 的整数(默认 1095)。",
            obj="settings.AUDIT_RETENTION_DAYS",
            id="core.E001",
        )
    ]
