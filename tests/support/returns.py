"""Monthly returns on top of the world (tests/support/world.py), built through the services."""

import datetime

from gaoxin.statistics import services

RETURN_PERIOD = "2019-12"
RETURN_DATA = {"output_value": "1200", "revenue": "1150", "industrial_electricity": "60",
               "employees": "120"}  # fmt: skip


def build_returns(world) -> dict:
    """A submitted 2019-12 return for a1, a2, b1 and c1 (above scale since 2018), made by the
    platform admin; keyed by the enterprise's name in the world."""
    made = {}
    for key in ("a1", "a2", "b1", "c1"):
        enterprise = getattr(world, key)
        enterprise.above_scale, enterprise.above_scale_since = True, datetime.date(2018, 1, 1)
        enterprise.save()
        ret = services.return_for(world.admin, enterprise, RETURN_PERIOD, create=True)
        ret = services.save_draft(world.admin, ret, data=RETURN_DATA, version=ret.version)
        made[key] = services.submit(world.admin, ret, version=ret.version)
    return made
