"""Every write to a matter goes through here: pages, API, the statistics query seam, the daily job
and the demo (DESIGN.md mechanism 3).

Each function runs in one transaction, checks access through `restrict()`, validates (text over
its limit is refused, never cut), bumps the version, appends to the matter's timeline
(`MatterEvent`), writes the audit record and notifies the people concerned (`notices`: the rows
with the transaction, the e-mails after it commits). One module a concept, as Zulip's actions:

- `common`: who is who, reading with access, the checks of references and text, the timeline;
- `create`: raising a matter (routing, service level, numbering);
- `change`: its description, its owners, its due date;
- `status`: transitions, rating, escalation;
- `comments`: the timeline's messages and files;
- `data_query`: the statistics seam (`open_data_query`).

Callers use this package's names (`services.create_matter`). The agency checklist, meetings, the
help ledgers and the categories have their own service modules (`agency`, `meetings`,
`assistance`, `categories`); the daily reminders are `notify.run_daily`.
"""

# `services.today()` is core's clock, named here for callers that read it with the services.
from gaoxin.core.clock import today

from .change import EDITABLE_FIELDS, assign, change_due, update_matter
from .comments import comment
from .common import (
    EventType,
    add_event,
    clean_text,
    department_of,
    enterprise_of,
    events_for,
    get_for,
    in_zone,
    is_officer,
    lock,
    project_in_zone,
    require_officer,
    zone_people,
)
from .create import ENTERPRISE_KINDS, create_matter, default_due, route, service_days
from .data_query import open_data_query
from .status import (
    ENTERPRISE_TRANSITIONS,
    TRANSITIONS,
    escalate,
    rate,
    resolve,
    start,
    transition,
)

__all__ = [
    "EDITABLE_FIELDS",
    "ENTERPRISE_KINDS",
    "ENTERPRISE_TRANSITIONS",
    "TRANSITIONS",
    "EventType",
    "add_event",
    "assign",
    "change_due",
    "clean_text",
    "comment",
    "create_matter",
    "default_due",
    "department_of",
    "enterprise_of",
    "escalate",
    "events_for",
    "get_for",
    "in_zone",
    "is_officer",
    "lock",
    "open_data_query",
    "project_in_zone",
    "rate",
    "require_officer",
    "resolve",
    "route",
    "service_days",
    "start",
    "today",
    "transition",
    "update_matter",
    "zone_people",
]
