"""The matters module's daily job (`gaoxin daily`, and `gaoxin remind` alone): due-soon and
overdue reminders, each once, and escalation of matters long red to the zone's leaders."""

import datetime

from django.utils.translation import gettext as _


def daily(today: datetime.date | None = None) -> str:
    from . import notify

    counts = notify.run_daily(today)
    return (
        _("提醒已发送:临期 %(due_soon)s 件,逾期 %(overdue)s 件;升级督办 %(escalated)s 件。")
        % counts
    )
