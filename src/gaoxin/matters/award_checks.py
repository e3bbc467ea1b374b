"""Checks on an award just recorded (the registration point other modules use; matters names
none of them).

A module above matters registers a check in its `AppConfig.ready()`:

    from gaoxin.matters import award_checks
    award_checks.register(check)     # check(enterprise, amount_wan: Decimal) -> str | None

After `assistance.add_award` the award page shows each check's text as a warning message and the
API answers it in `warnings`. Innovation registers `risk.award_warning`: an award booked as
income can push a high-tech enterprise's high-tech income share under 60%
(docs/architecture.md, "Hooks").
"""

from collections.abc import Callable
from decimal import Decimal

Check = Callable[[object, Decimal], str | None]
_checks: list[Check] = []


def register(check: Check) -> None:
    """Add `check` (once: registering the same function again is a no-op)."""
    if check not in _checks:
        _checks.append(check)


def warnings_for(enterprise, amount: Decimal) -> list[str]:
    """The warnings of every registered check on an award of `amount` 万元 to `enterprise`."""
    found = []
    for check in _checks:
        text = check(enterprise, amount)
        if text:
            found.append(text)
    return found
