"""Matters (服务闭环): the one closed-loop object behind agency cases (项目代办), problems raised at
scheduling meetings (重大项目调度), help requests (帮扶诉求), statistics data queries and visit
follow-ups. A matter is something an enterprise or a project needs, owned by a department, due by a
date, followed until closed and rated by the enterprise (DOMAIN.md, "Services and help").

One module a concept: the vocabulary (`choices`), the categories, the matter and its timeline
(`matter`), the approval checklist and appointments of an agency case (`agency`), scheduling
meetings (`meetings`), support working groups and the help ledgers (`assistance`). Each person's
notifications are core's (`gaoxin.core.models.Notification`, sent through `notices`).
"""

from .agency import Appointment, ApprovalItem
from .assistance import (
    Award,
    JobFair,
    JobOffer,
    LedgerEntry,
    Loan,
    Resumption,
    WorkingGroup,
)
from .categories import Category, CategoryQuerySet
from .choices import (
    ACTIVE,
    DONE,
    DUE_SOON_DAYS,
    KIND_PREFIX,
    KIND_SERVICE_DAYS,
    MONEY,
    Channel,
    Kind,
    Light,
    Priority,
    ServiceMode,
    Status,
)
from .matter import Matter, MatterEvent, MatterQuerySet, attachment_path
from .meetings import Meeting

__all__ = [
    "ACTIVE",
    "DONE",
    "DUE_SOON_DAYS",
    "KIND_PREFIX",
    "KIND_SERVICE_DAYS",
    "MONEY",
    "Appointment",
    "ApprovalItem",
    "Award",
    "Category",
    "CategoryQuerySet",
    "Channel",
    "JobFair",
    "JobOffer",
    "Kind",
    "LedgerEntry",
    "Light",
    "Loan",
    "Matter",
    "MatterEvent",
    "MatterQuerySet",
    "Meeting",
    "Priority",
    "Resumption",
    "ServiceMode",
    "Status",
    "WorkingGroup",
    "attachment_path",
]
