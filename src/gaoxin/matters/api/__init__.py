"""Matters over REST: the matters with their timeline and rating (/api/v1/matters) and the help
ledgers with their summary (/api/v1/assistance).

One module a concept; importing them registers their endpoints.
"""

from . import assistance, matters  # noqa: F401
from .common import assistance_router, router

__all__ = ["assistance_router", "router"]
