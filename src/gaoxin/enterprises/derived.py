"""Registry fields another module derives from its own records, so nobody types them: the
high-tech flag (高新技术企业) follows innovation's valid certificates.

A module registers the field in its `ready()` with the message that says where the value comes
from (docs/architecture.md, "Hooks"). The services then refuse the field when a form, the API or
a script sends another value than it holds (an unchanged value passes, so a read-only form field
or a record sent back as read is fine); the importer ignores its column; the form shows it read
only. The deriving module changes the value through `set_derived`, audited as the system's."""

from django.core.exceptions import ValidationError
from django.db import transaction

from gaoxin.core import audit
from gaoxin.core.models import AuditRecord

from .models import Enterprise

SYSTEM = "system"  # the audit records' actor name for derived changes
_derived: dict[str, str] = {}


def register(field: str, message: str) -> None:
    """Mark `field` of Enterprise derived; `message` (Chinese) tells whoever tries to type it."""
    Enterprise._meta.get_field(field)  # a typo fails at start-up, not at the first edit
    _derived[field] = message


def fields() -> dict[str, str]:
    """The derived fields with their messages."""
    return dict(_derived)


def refuse_typed(data: dict, current: Enterprise | None = None) -> dict:
    """`data` without the derived fields. One sent with another value than the enterprise holds
    (`current`; a new enterprise holds the field's default) is refused with its message."""
    data = dict(data)
    errors = {}
    for field, message in _derived.items():
        if field not in data:
            continue
        value = data.pop(field)
        if current is not None:
            held = getattr(current, field)
        else:
            held = Enterprise._meta.get_field(field).get_default()
        if value != held:
            errors[field] = str(message)
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def set_derived(field: str, values: dict[int, object], *, message: str) -> int:
    """Set `field` to `values[pk]` on those enterprises: only where it differs, each with its
    version bumped and an audit record by the system carrying `message` (what it derives from,
    as of when). Returns how many changed."""
    if field not in _derived:
        raise ValueError(f"{field} is not a derived field")
    changed = 0
    rows = Enterprise.objects.select_for_update().filter(pk__in=list(values)).order_by("pk")
    for enterprise in rows:
        value = values[enterprise.pk]
        before = getattr(enterprise, field)
        if before == value:
            continue
        setattr(enterprise, field, value)
        enterprise.version += 1
        enterprise.save(update_fields=[field, "version", "updated_at"])
        audit.record(
            SYSTEM,
            AuditRecord.Action.UPDATE,
            enterprise,
            before={field: before},
            after={field: value, "version": enterprise.version},
            message=message,
        )
        changed += 1
    return changed
