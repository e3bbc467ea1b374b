"""The demo's innovation records (科技创新): certifications to the registry's high-tech flag,
the IP ledger, platforms, talents, cloud adoption and targets, the main zone calibrated to
DOMAIN.md's 2019 figures. The step is `build(demo)` (step.py)."""

from .step import build

__all__ = ["build"]
