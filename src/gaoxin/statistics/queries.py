"""The seam to the matters module: a finding sent to an enterprise as a query with a deadline.

Until the matters module exists, a query lives on the finding itself (status 已发询问, deadline,
who sent it), and the enterprise sees and answers it on its returns page. When the matters
module comes, it registers a handler here and takes each query over as one of its closed-loop
items (DESIGN.md: "a statistics anomaly opens a matter through matters.services").
"""

from collections.abc import Callable

_handlers: list[Callable] = []


def register_handler(handler: Callable) -> None:
    """handler(finding, message="") is called after a query is sent (on commit)."""
    if handler not in _handlers:
        _handlers.append(handler)


def dispatch(finding, *, message: str = "") -> None:
    for handler in _handlers:
        handler(finding, message=message)
