"""Economic statistics over REST: figures (computed and official), returns and their workflow,
findings and queries, official figures, the catalogue and reminders.

One router, one module a concept; importing them registers their endpoints, in this order.
"""

from . import catalogue, figures, findings, official, returns  # noqa: F401
from .common import router

__all__ = ["router"]
