"""People management (等保2.0 level 3): accounts, role memberships, zones and their admins, and the
password rules (first-login change, expiry, no reuse).

Every door — the people pages, the API, the Django admin, the CLI — ends in `services` or, for
what bypasses them (`createsuperuser`, `changepassword`), in `signals`; each change is audited
once. A door that audits a change itself runs it inside `acting(actor)`, so the signals only keep
the password history and do not audit it a second time.
"""

import contextvars
from contextlib import contextmanager

_door_actor = contextvars.ContextVar("gaoxin_people_door_actor", default=None)


@contextmanager
def acting(actor):
    """Changes to accounts inside this block are audited by the caller, on behalf of `actor`."""
    token = _door_actor.set(actor)
    try:
        yield
    finally:
        _door_actor.reset(token)


def door_actor():
    """The actor of the door that audits the current change, or None outside any door."""
    return _door_actor.get()
