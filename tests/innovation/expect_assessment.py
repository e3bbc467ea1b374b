"""Access expectations of the innovation module's assessment pages and operations (merged by
access.py): the high-tech pre-assessment of an enterprise (a1: zone A, the enterprise user's own;
a2: zone A; c1: zone C).

Whoever sees the enterprise reads its assessment (EXPECTED_VIEW: an enterprise user its own);
the enterprise's own users and the officers of its zone (platform admin, zone admin, staff) fill
it in; leaders and the province read only (pages 404, the API 403 on what they see). In depth:
tests/innovation/test_assessment_pages.py."""

from tests.support.access import Check, api_scoped, roles_with, scoped
from tests.support.world import EXPECTED_VIEW

TARGETS = ("a1", "a2", "c1")
READ = {role: seen & set(TARGETS) for role, seen in EXPECTED_VIEW.items()}
ENTER = roles_with(READ, "admin", "zone_admin", "staff", "enterprise")
YEAR = {"year": "2019"}

PAGES = {
    "innovation:assessment": Check(scoped(READ, TARGETS), query=YEAR),
    "innovation:assessment_edit": Check(scoped(ENTER, TARGETS), query=YEAR),
}

A = "/api/v1/innovation/assessment/{enterprise_id}"
API = {
    ("get", A): Check(api_scoped(READ, TARGETS), query=YEAR),
    ("put", f"{A}/inputs"): Check(
        api_scoped(ENTER, TARGETS, visible=READ),
        method="put",
        data={"st_staff": 12, "staff": 100, "core_ip": True},
        query=YEAR,
    ),
}


def build(w):
    pass
