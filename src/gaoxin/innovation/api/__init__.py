"""Innovation over REST (/api/v1/innovation): one module a concept; importing them registers
their endpoints on the one router."""

from . import assessment, records, summary  # noqa: F401
from .common import router

__all__ = ["router"]
