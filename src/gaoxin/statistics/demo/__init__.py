"""The demo's economic statistics (经济运行): every above-scale enterprise's monthly returns from
the 1–2月 return of 2018 to the present reporting period (October 2026), the zone's official
figures, deadlines, reminders, and a present period with work to do. The step is `build(demo)`
(step.py), run after the registry's and the pipeline's.

History. Each enterprise reports from its 入规 month on (its values are year to date from
January, as a newly above-scale enterprise reports them) until it stops operating. Its figures
follow its size and industry (drawing.py: output; revenue ≈ output; profit, tax, R&D and exports
as shares of it; electricity in 万千瓦时 by the industry's intensity; employees from output per
worker), grow year by year, dip at the Spring Festival (the 1–2月 return) and in the 2020
epidemic. Historical returns are accepted and written in bulk as the services would leave them
(the return, its submission and acceptance snapshots in ReturnRevision, the values through
`publish.publish_many`), then the zone's rollups are rebuilt once (`rollups.refresh_all`).

Calibration. The main zone's 2019 figures equal DOMAIN.md's published ones (figures.py,
"economic statistics"), measured by `statistics.engine.figures(zone, 2019-12)` after the build
(calibration.py): tax and electricity totals exactly, and their growth and R&D spending's on the
same set of enterprises (those that reported December of both years). The values are drawn, then
scaled: the same set's 2019-on values so that the total holds given the 39 newcomers' own, its
2018 values so that the growth holds; rounded to 0.1, the remainder goes onto one enterprise's
December. Value added and the high-tech share are official figures, stored as published
(`services.save_official`).

The present (2026-10, due on 10 November; the demo's "today" is INVESTMENT_AS_OF). Most returns
are accepted; some enterprises have not started theirs, one was sent back, a dozen clean ones
wait for review, the enterprise account's own is a draft, and five carry the planted errors of
PLANTED, submitted through `services.submit` so the checks find them the normal way. Every
enterprise yet to report has been reminded (`services.remind`), those with no return twice.

The other zones get uncalibrated returns from the 1–2月 return of last year on, all accepted.
"""

from .step import build

__all__ = ["build"]
