"""Access expectations of the utilities module's API operations (merged by access.py; the
objects are expect_pages.py's). Reads: officers, leaders and the province their zones' accounts,
an enterprise user its own, the power partner its company's; zone figures (GET /summary) are the
government side's. Batches: the zone's officers who keep ledgers and the power partner (for its
company's meters); everyone else 403. In depth: tests/utilities/test_api.py."""

from gaoxin.utilities.models import Account
from tests.support.access import EVERYONE, Check, api, api_scoped, listed_items

READERS = EVERYONE - {"enterprise"}
FEEDERS = {"admin", "zone_admin", "staff"}
ACCOUNTS = ("ut_acc_a1", "ut_acc_a2", "ut_acc_c1")
ZONE_A = {"ut_acc_a1", "ut_acc_a2"}
SEES = {
    "admin": {*ACCOUNTS},
    "province": ZONE_A,
    "zone_admin": ZONE_A,
    "leader": ZONE_A,
    "staff": ZONE_A,
    "enterprise": {"ut_acc_a1"},
    "power": {"ut_acc_a1"},
}
ZONE = {"zone": "ZA"}


def _meter(ctx) -> dict:
    acc = ctx.w.get("ut_acc_a1")
    return {"meter_no": acc.meter_no, "kind": acc.kind}


def _readings(ctx):
    return {"rows": [{**_meter(ctx), "read_at": "2026-06-01T23:00:00+08:00", "index": "1000"}]}


def _topups(ctx):
    return {"rows": [{**_meter(ctx), "paid_at": "2026-06-01T10:00:00+08:00", "amount": "500.00",
                      "transaction_id": "MATRIX-1", "channel": "网银"}]}  # fmt: skip


def _cutoffs(ctx):
    return {"rows": [{**_meter(ctx), "at": "2026-06-02T09:00:00+08:00", "reason": "欠费"}]}


def _batch(data):
    return Check(
        api(FEEDERS, ok=201, power=201), method="post", query=ZONE, data=data,
        why="services.ingest: officers who keep ledgers and the company's partner",
    )  # fmt: skip


PAGES: dict = {}
API = {
    ("get", "/api/v1/utilities/accounts"): Check(
        api(EVERYONE, power=200), sees=SEES, listed=listed_items(Account)
    ),
    ("get", "/api/v1/utilities/accounts/{account_id}"): Check(
        api_scoped(SEES, ACCOUNTS), args=lambda ctx: [ctx.w.pk(ctx.target)]
    ),
    ("post", "/api/v1/utilities/readings"): _batch(_readings),
    ("post", "/api/v1/utilities/topups"): _batch(_topups),
    ("post", "/api/v1/utilities/cutoffs"): _batch(_cutoffs),
    ("get", "/api/v1/utilities/summary"): Check(
        api(READERS, power=403), query=ZONE, why="zone figures: the government side's"
    ),
}


def build(w):
    pass  # expect_pages.build makes the objects
