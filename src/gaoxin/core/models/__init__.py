from .access import RestrictedQuerySet, ZoneScopedModel
from .audit import AuditRecord
from .codes import Division, Industry
from .notifications import Notification
from .org import (
    ApiToken,
    Department,
    Membership,
    NumberSequence,
    PasswordHistory,
    Role,
    Tag,
    User,
    Zone,
)
from .records import Owned, SoftDeleted, Versioned

__all__ = [
    "ApiToken",
    "AuditRecord",
    "Department",
    "Division",
    "Industry",
    "Membership",
    "Notification",
    "NumberSequence",
    "Owned",
    "PasswordHistory",
    "RestrictedQuerySet",
    "Role",
    "SoftDeleted",
    "Tag",
    "User",
    "Versioned",
    "Zone",
    "ZoneScopedModel",
]
