"""The demo's utilities (水电气): the main zone's power, water and gas companies and tariffs, an
electricity account for every above-scale enterprise (most with water, some with gas), a year of
daily readings to today with top-ups, a few accounts inside each warning level, a 保电 account,
a sharp drop last week, a reported electricity that disagrees with the meters, and the power
company's partner account `power`. The step is `build(demo)` (step.py)."""

from .step import build

__all__ = ["build"]
