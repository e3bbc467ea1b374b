"""Investment attraction over REST: the summary figures, projects and their stages, commitments,
funds in place, documents, campaigns, department targets and the zone's size thresholds.

Reads start from `Project.objects.restrict(user, "view").active()`; every write goes through
`services`. A project the user cannot see answers 404 "未找到该招商项目"; one they see but may not
change answers 403, with nothing written. Enterprise users see only the public status of their own
enterprise's project (`ProjectPublicOut`) and nothing of the pipeline's figures.

Money: stored amounts (planned investment, commitments, funds, targets, thresholds) go out as
decimal strings in 万元, as in the enterprise API. Computed figures named `*_wan` (the summary,
campaign progress, department progress) are JSON numbers: an integral amount as an integer.

One router, one module a concept; importing them registers their endpoints, in this order.
"""

from . import campaigns, projects, records, summary, targets, thresholds  # noqa: F401
from .common import router

__all__ = ["router"]
