"""The demo's investment pipeline (招商引资): projects from first lead to production with their
dated stage events, the investors' commitments and funds in place, 百日招商 drives and the
departments' annual targets. The step is `build(demo)` (step.py), run after the registry's.

The main zone is calibrated to DOMAIN.md's published figures (figures.py, "investment
attraction"). The projects behind them are drawn in cohorts whose stage dates fall in fixed
windows (specs.py), so every seed gives exactly 52 / 41 / 37 for 2019 and 8 (119.8亿元, two
≥ 50亿元) / 13 for 2020 Q1. Calibration choice: the figures are published for industrial
projects, and the main zone's non-industrial projects (services, agriculture, infrastructure)
have no 签约, 开工 or 投产 date in 2019 or 2020 Q1 (theirs are in 2018, or from April 2020 on),
so the figures are the same with the category filter and without it.

Every history is made by `investment.stages` (`enter`, then `apply_move` for each move), the
rules pages, API and importer go through, on the project in memory; rows are then written in
bulk (pipeline.py). Stage events carry the responsible officer (a demo account of the
department); every project and commitment has a CREATE audit record. The other zones get a
smaller pipeline without calibration, so the province view is not empty.
"""

from .step import build

__all__ = ["build"]
