"""The seam to the matters module: a finding sent to an enterprise as a query with a deadline.

The query is kept on the finding (status 已发询问, deadline, who sent it) and handed to every
registered handler on commit. The matters module registers one (`matters.services.
open_data_query`, in its AppConfig.ready) and follows each query as a data-query matter in its
closed loop: owned by the officer who sent it, due by the query's deadline, answered by the
enterprise on the matter (its reply explains the finding) and rated when closed (DESIGN.md: "a
statistics anomaly opens a matter through matters.services").
"""

from collections.abc import Callable

_handlers: list[Callable] = []


def register_handler(handler: Callable) -> None:
    """handler(finding, *, message, sender) is called after a query is sent (on commit); sender
    is the officer (a User) who sent it, handed over as the object, never looked up by name."""
    if handler not in _handlers:
        _handlers.append(handler)


def dispatch(finding, *, message: str = "", sender=None) -> None:
    for handler in _handlers:
        handler(finding, message=message, sender=sender)
