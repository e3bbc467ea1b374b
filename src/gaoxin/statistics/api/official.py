"""(being written)"""

from .common import router  # noqa: F401
