"""The enterprise registry's URLs and API operations × every role (tests/test_access_matrix.py
runs them). The world's enterprises a1, a2 (zone A), b1 (zone B), c1 (zone C) are the objects:
who sees, changes and deletes which is tests/support/world.py's EXPECTED_* tables; a page
answers 404 where the API answers 403 for an enterprise seen but not changeable."""

from gaoxin.enterprises.models import Enterprise
from gaoxin.enterprises.views.imports import TARGET
from tests.factories import uscc_for
from tests.support.access import (
    ALL,
    Check,
    api,
    api_scoped,
    listed_items,
    page,
    scoped,
)
from tests.support.imports import finished_job
from tests.support.world import ENTERPRISES, EXPECTED_CHANGE, EXPECTED_DELETE, EXPECTED_VIEW

CAN_ADD = {"admin", "zone_admin", "staff"}
JOBS = ("job:staff", "job:admin")  # an import job each started; only its starter sees it
OWN_JOB = {"admin": {"job:admin"}, "staff": {"job:staff"}}
# Enterprise users keep their own record up to date, not its operating status.
STATUS_CHANGE = {**EXPECTED_CHANGE, "enterprise": set()}


def build(w):
    w.enterprise_jobs = {
        "job:staff": finished_job(TARGET, w.staff, w.zone_a),
        "job:admin": finished_job(TARGET, w.admin, w.zone_a),
    }


def job(ctx):
    return [ctx.w.enterprise_jobs[ctx.target]]


def version_data(**data):
    def build_data(ctx):
        return {**data, "version": ctx.obj.version}

    return build_data


PAGES = {
    "enterprises:list": Check(page()),
    "enterprises:search": Check(
        page()
    ),  # each answers what they see: tests/enterprises/test_picker.py
    "enterprises:create": Check(page(CAN_ADD)),
    "enterprises:validate": Check(
        page(CAN_ADD),
        method="post",
        data=lambda ctx: {"field": "uscc", "uscc": ctx.w.a2.uscc, "name": "新企业"},
        changes=False,
        why="inline validation of a new enterprise: for those who may add one",
    ),
    "enterprises:import": Check(page(CAN_ADD)),
    "enterprises:import_template": Check(page(CAN_ADD)),
    "enterprises:import_job": Check(scoped(OWN_JOB, JOBS), args=job),
    "enterprises:import_job_status": Check(scoped(OWN_JOB, JOBS), args=job),
    "enterprises:import_errors": Check(scoped(OWN_JOB, JOBS), args=job),
    "enterprises:detail": Check(scoped(EXPECTED_VIEW, ENTERPRISES)),
    "enterprises:edit": Check(scoped(EXPECTED_CHANGE, ENTERPRISES)),
    "enterprises:status": Check(
        scoped(EXPECTED_CHANGE, ENTERPRISES, ok=302),
        method="post",
        data=version_data(status="suspended", on="2024-01-02"),
        refused=frozenset({("enterprise", "a1")}),
        why="an enterprise user is sent back with a message: its status is the zone's to set",
    ),
    "enterprises:delete": Check(
        scoped(EXPECTED_DELETE, ENTERPRISES, ok=302),
        method="post",
        data=version_data(reason="测试删除"),
    ),
}


def new_enterprise(ctx):
    n = 99_000_000 + ALL.index(ctx.role)  # one new code a role (and anonymous)
    return {
        "zone": "ZA",
        "name": f"新登记{n}有限公司",
        "uscc": uscc_for(n),
        "industry_code": "3974",
    }


API = {
    ("get", "/api/v1/enterprises"): Check(
        api(), sees=EXPECTED_VIEW, listed=listed_items(Enterprise), why="every zone one sees"
    ),
    ("post", "/api/v1/enterprises"): Check(
        api(CAN_ADD, ok=201), method="post", data=new_enterprise
    ),
    ("get", "/api/v1/enterprises/{enterprise_id}"): Check(api_scoped(EXPECTED_VIEW, ENTERPRISES)),
    ("get", "/api/v1/enterprises/{enterprise_id}/history"): Check(
        api_scoped(EXPECTED_VIEW, ENTERPRISES)
    ),
    ("patch", "/api/v1/enterprises/{enterprise_id}"): Check(
        api_scoped(EXPECTED_CHANGE, ENTERPRISES, visible=EXPECTED_VIEW),
        method="patch",
        data=version_data(address="新地址"),
    ),
    ("post", "/api/v1/enterprises/{enterprise_id}/status"): Check(
        api_scoped(STATUS_CHANGE, ENTERPRISES, visible=EXPECTED_VIEW),
        method="post",
        data=version_data(status="suspended", on="2024-01-02"),
    ),
    ("delete", "/api/v1/enterprises/{enterprise_id}"): Check(
        api_scoped(EXPECTED_DELETE, ENTERPRISES, ok=204, visible=EXPECTED_VIEW),
        method="delete",
        query={"reason": "测试删除"},
    ),
}
