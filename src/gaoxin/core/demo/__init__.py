"""The demo province (`gaoxin demo`): deterministic seed data calibrated to DOMAIN.md."""

from .build import DemoExists, DemoResult, blockers, build_demo
from .plan import DEFAULT_SEED, PASSWORD

__all__ = ["DEFAULT_SEED", "PASSWORD", "DemoExists", "DemoResult", "blockers", "build_demo"]
