"""Access expectations of the innovation module's cockpit pages and operations (merged by
access.py): the cockpit, its export, the pipeline and the targets page, and GET /summary. Zone
figures are the government side's; targets are set by the zone's administrators."""

from tests.support.access import EVERYONE, Check, api, page

READERS = EVERYONE - {"enterprise"}
ADMINS = {"admin", "zone_admin"}
ZONE_FOR_MANY = {"zone": "ZA", "year": "2019"}  # roles that see several zones name one

PAGES = {
    "innovation:cockpit": Check(page(READERS), why="tests/innovation/test_cockpit.py"),
    "innovation:cockpit_export": Check(page(READERS), query={"year": "2019"}),
    "innovation:pipeline": Check(page(READERS)),
    "innovation:targets": Check(page(ADMINS), why="services.save_target: zone admins only"),
}
API = {
    ("get", "/api/v1/innovation/summary"): Check(
        api(READERS), query=ZONE_FOR_MANY, why="tests/innovation/test_summary.py"
    ),
}


def build(w):
    pass
