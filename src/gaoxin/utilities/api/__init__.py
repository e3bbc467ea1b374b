"""Utilities over REST (/api/v1/utilities): one module a concept; importing them registers their
endpoints on the one router."""

from . import accounts, batches, summary  # noqa: F401
from .common import router

__all__ = ["router"]
