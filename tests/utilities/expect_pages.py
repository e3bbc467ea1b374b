"""Access expectations of the utilities module's pages (merged by access.py).

The world's utilities (`build`): zone A's electricity company fed by the `power` partner, a tariff
in zone A and one in zone C, a1's electricity account (the power company's), a2's water account
(another company's), c1's account in zone C, and a finding in zones A and C. Zone pages are the
government side's (officers, leaders, the province); an enterprise user reads its own accounts
(mine, the account's page); the power partner its company's (partner, the account's page) and
nothing else; officers (admin, zone admin, staff) add, edit, set 保电 and correct; the zone's
admins set the levels and add companies and tariffs. In depth: tests/utilities/test_pages*.py.
"""

import datetime

from gaoxin.utilities.models import Finding, Kind
from tests.support import utilities as u
from tests.support.access import EVERYONE, Check, page, scoped

READERS = EVERYONE - {"enterprise"}
OFFICERS = {"admin", "zone_admin", "staff"}
ADMINS = {"admin", "zone_admin"}
ACCOUNTS = ("ut_acc_a1", "ut_acc_a2", "ut_acc_c1")
ZONE_A = {"ut_acc_a1", "ut_acc_a2"}


def _in_zone_a(roles, targets=ZONE_A):
    return {r: set(targets) for r in roles}


def _protect(ctx):
    return {
        "protected": "on",
        "protected_reason": "医院供电",
        "protected_from": "2026-01-01",
        "protected_until": "2026-12-31",
        "version": str(ctx.obj.version) if ctx.obj is not None else "1",
    }


ACCOUNT_READERS = {
    **_in_zone_a(READERS),
    "enterprise": {"ut_acc_a1"},
    "power": {"ut_acc_a1"},
}

PAGES = {
    "utilities:accounts": Check(page(READERS), why="the zone's risk list"),
    "utilities:accounts_export": Check(page(READERS), query={"band": "red"}),
    "utilities:account_create": Check(page(OFFICERS)),
    "utilities:account": Check(
        scoped(ACCOUNT_READERS, ACCOUNTS),
        why="an enterprise user: its own; the power partner: its company's",
    ),
    "utilities:account_edit": Check(scoped(_in_zone_a(OFFICERS), ACCOUNTS)),
    "utilities:account_protect": Check(
        scoped(_in_zone_a(OFFICERS), ACCOUNTS, ok=302), method="post", data=_protect
    ),
    "utilities:account_correct": Check(scoped(_in_zone_a(OFFICERS), ACCOUNTS)),
    "utilities:mine": Check(page({"enterprise"})),
    "utilities:partner": Check(page(set(), power=200), why="a utility company's own accounts"),
    "utilities:findings": Check(page(READERS)),
    "utilities:finding_update": Check(
        scoped(_in_zone_a(OFFICERS, {"ut_fnd_a"}), ("ut_fnd_a", "ut_fnd_c"), ok=302),
        method="post",
        data={"status": "visited", "note": "已走访,正常生产"},
    ),
    "utilities:warnings": Check(page(READERS)),
    "utilities:cutoffs": Check(page(READERS), query={"surprise": "true"}),
    "utilities:settings": Check(page(ADMINS), why="the zone's admins set the levels"),
    "utilities:companies": Check(page(READERS)),
    "utilities:company_create": Check(page(ADMINS)),
    "utilities:tariffs": Check(page(READERS)),
    "utilities:tariff_create": Check(page(ADMINS)),
    "utilities:tariff_version_create": Check(
        scoped(_in_zone_a(ADMINS, {"ut_tariff_a"}), ("ut_tariff_a", "ut_tariff_c"))
    ),
    "utilities:cockpit": Check(page(READERS), why="tests/utilities/test_summary.py"),
    "utilities:cockpit_export": Check(page(READERS)),
}
API: dict = {}


def build(w):
    power_co = u.company(w.zone_a, Kind.ELECTRICITY)
    power_co.users.add(w.power)
    w.add("ut_company_a", power_co)
    w.add("ut_tariff_a", u.tariff(w.zone_a))
    w.add("ut_tariff_c", u.tariff(w.zone_c))
    w.add("ut_acc_a1", u.account(w.a1, company_=power_co, tariff_=w.ut_tariff_a))
    w.add("ut_acc_a2", u.account(w.a2, Kind.WATER))
    w.add("ut_acc_c1", u.account(w.c1, tariff_=w.ut_tariff_c))
    for key, zone, account in (("ut_fnd_a", w.zone_a, w.ut_acc_a1), ("ut_fnd_c", w.zone_c,
                                                                      w.ut_acc_c1)):  # fmt: skip
        w.add(
            key,
            Finding.objects.create(
                zone=zone, kind=Finding.Kind.DROP, account=account,
                enterprise=account.enterprise, detected_on=datetime.date(2026, 10, 12),
                expected=1000, observed=300, change_percent=-70,
            ),
        )  # fmt: skip
