"""The demo's closed loop (服务闭环) for the main zone: agency cases and scheduling meetings,
working groups, help requests and help ledgers calibrated to DOMAIN.md's 2020 H1 figures, data
queries. The step is `build(demo)` (step.py)."""

from .step import build

__all__ = ["build"]
