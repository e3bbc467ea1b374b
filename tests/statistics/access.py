"""Statistics' URLs and API operations × every role (tests/test_access_matrix.py runs them).

The objects: a submitted 2019-12 return of a1, a2 (zone A), b1 (zone B) and c1 (zone C)
(tests/support/returns.py) — a return is seen by whoever sees its enterprise; a 2019-03 return
of each with a warning (tax at 40% of revenue), the finding; an official figure and a zone's own
indicator in zones A and C; an import job each of staff and admin, for returns and for official
figures. Officers (admin, the zone's admin and staff) review; the enterprise fills its own.
"""

import datetime
from decimal import Decimal

from gaoxin.statistics import services
from gaoxin.statistics.models import Finding, Rule
from gaoxin.statistics.services import configuration as services_catalogue
from gaoxin.statistics.views.imports import OFFICIAL as OFFICIAL_IMPORT
from gaoxin.statistics.views.imports import RETURNS as RETURNS_IMPORT
from tests.support.access import (
    ANONYMOUS,
    EVERYONE,
    ROLES,
    Check,
    api,
    api_scoped,
    page,
    scoped,
)
from tests.support.imports import finished_job
from tests.support.returns import GOOD, build_returns
from tests.support.world import ENTERPRISES, EXPECTED_VIEW

READERS = EVERYONE - {"enterprise"}
CAN_ADD = {"admin", "zone_admin", "staff"}
RETURNS = tuple(f"ret:{e}" for e in ENTERPRISES)
DRAFTS = tuple(f"draft:{e}" for e in ENTERPRISES)
FINDINGS = tuple(f"finding:{e}" for e in ENTERPRISES)


def on(kind, scope):
    """role → the `kind` objects ("ret", "finding") of the enterprises `scope` gives it."""
    return {role: {f"{kind}:{e}" for e in scope.get(role, ())} for role in ROLES}


# Who reviews (accepts, sends back, queries, closes): the officers of the enterprise's zone.
OFFICERS = {"admin": set(ENTERPRISES), "zone_admin": {"a1", "a2"}, "staff": {"a1", "a2"}}
FILLERS = {**OFFICERS, "enterprise": {"a1"}}  # who edits, submits, revises and explains
RETURN_VIEW = on("ret", EXPECTED_VIEW)
DRAFT_VIEW = on("draft", EXPECTED_VIEW)
FINDING_VIEW = on("finding", EXPECTED_VIEW)
ODD = {"output_value": "1200", "revenue": "1000", "industrial_tax": "400",
       "industrial_electricity": "60", "employees": "120"}  # fmt: skip
OFFICIAL = ("official:a", "official:c")
INDICATORS = ("indicator:a", "indicator:c")
JOBS = ("job:staff", "job:admin")
OWN_JOB = {"admin": {"job:admin"}, "staff": {"job:staff"}}


def build(w):
    for key, ret in build_returns(w).items():
        w.add(f"ret:{key}", ret)
    for key in ENTERPRISES:
        enterprise = getattr(w, key)
        draft = services.return_for(w.admin, enterprise, "2019-10", create=True)
        # Figures no rule finds fault with: an enterprise may submit only such a return.
        w.add(f"draft:{key}", services.save_draft(w.admin, draft, data=GOOD, version=1))
        odd = services.return_for(w.admin, enterprise, "2019-03", create=True)
        odd = services.save_draft(w.admin, odd, data=ODD, version=odd.version)
        odd = services.submit(w.admin, odd, version=odd.version)
        warning = Finding.objects.filter(ret=odd).exclude(severity=Rule.Severity.ERROR).first()
        w.add(f"finding:{key}", warning)
    for key, zone in (("a", w.zone_a), ("c", w.zone_c)):
        w.add(
            f"official:{key}",
            services.save_official(
                w.admin, zone, indicator="industrial_value_added", period=201912,
                value=Decimal("760000"), yoy_pct=Decimal("10.4"), source="statistics",
            ),
        )  # fmt: skip
        w.add(
            f"indicator:{key}",
            services_catalogue.save_indicator(
                w.admin, zone, code=f"patents_{key}", name="专利申请量", unit="件",
                frequency="monthly", cumulative=True, source="return", aggregation="sum",
                decimal_places=0, definition="", department="科技创新局", is_active=True,
            ),
        )  # fmt: skip
    w.statistics_jobs = {
        (target.namespace, key): finished_job(target, getattr(w, key.split(":")[1]), w.zone_a)
        for target in (RETURNS_IMPORT, OFFICIAL_IMPORT)
        for key in JOBS
    }


def job(namespace):
    def args(ctx):
        return [ctx.w.statistics_jobs[(namespace, ctx.target)]]

    return args


def version_data(**data):
    def build_data(ctx):
        return {**data, "version": ctx.obj.version}

    return build_data


def reporting(ctx):
    """The fill page for an enterprise: its own, or on its behalf (代填) by an officer."""
    return {"enterprise": ctx.w.pk(ctx.target)}


def later(days=10):
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


MY = {"admin": 302, "province": 404, "zone_admin": 302, "leader": 404, "staff": 302,
      "enterprise": 200, ANONYMOUS: 302}  # fmt: skip

PAGES = {
    "statistics:cockpit": Check(page(READERS)),
    "statistics:cockpit-export": Check(page(READERS)),
    "statistics:zones": Check(page(READERS)),
    "statistics:zones-export": Check(page(READERS)),
    "statistics:returns": Check(page(READERS)),
    "statistics:missing": Check(page(READERS)),
    "statistics:findings": Check(page(), why="enterprise users: their own returns' findings"),
    "statistics:official": Check(page(READERS)),
    "statistics:official_create": Check(page(CAN_ADD)),
    "statistics:indicators": Check(page(READERS)),
    "statistics:indicator_create": Check(page(CAN_ADD)),
    "statistics:rules": Check(page(READERS)),
    # 我的报表: the enterprise's own returns; officers are sent to the zone's returns list.
    "statistics:my": Check(MY),
    "statistics:fill": Check(
        scoped(FILLERS, ("a1", "c1")), args=lambda ctx: ["2019-11"], query=reporting
    ),
    "statistics:check": Check(
        scoped(FILLERS, ("a1", "c1")),
        method="post",
        args=lambda ctx: ["2019-11"],
        query=reporting,
        data={"output_value": "100"},
        changes=False,
        why="the live check writes nothing",
    ),
    "statistics:accept_clean": Check(
        page(CAN_ADD, ok=302), method="post", data={"period": "2019-12"}
    ),
    "statistics:deadline": Check(
        page(CAN_ADD, ok=302), method="post", data={"period": "2019-12", "due_on": later()}
    ),
    "statistics:remind": Check(
        page(CAN_ADD, ok=302), method="post", data={"period": "2019-11", "scope": "all"}
    ),
    "statistics:return": Check(scoped(RETURN_VIEW, RETURNS)),
    "statistics:return_accept": Check(
        scoped(on("ret", OFFICERS), RETURNS, ok=302), method="post", data=version_data()
    ),
    "statistics:return_send_back": Check(
        scoped(on("ret", OFFICERS), RETURNS, ok=302),
        method="post",
        data=version_data(reason="请核实"),
    ),
    "statistics:return_explain": Check(
        scoped(on("finding", FILLERS), FINDINGS, ok=302),
        method="post",
        data={"explanation": "新设备投产,税额属实"},
    ),
    "statistics:finding_query": Check(
        scoped(on("finding", OFFICERS), FINDINGS, ok=302),
        method="post",
        data={"due_on": later(), "message": "请说明"},
    ),
    "statistics:finding_close": Check(
        scoped(on("finding", OFFICERS), FINDINGS, ok=302), method="post", data={"note": "属实"}
    ),
    "statistics:finding_explain": Check(
        scoped(on("finding", FILLERS), FINDINGS, ok=302),
        method="post",
        data={"explanation": "新设备投产,税额属实"},
    ),
    "statistics:official_edit": Check(
        scoped({r: {"official:a"} for r in CAN_ADD}, OFFICIAL),
        why="the figures of the zone one works in",
    ),
    "statistics:indicator_edit": Check(
        scoped({r: {"indicator:a"} for r in CAN_ADD}, INDICATORS),
        why="the own indicators of the zone one works in",
    ),
    "statistics:rule_edit": Check(
        scoped({r: {"range-output"} for r in CAN_ADD}, ("range-output", "nowhere")),
        args=lambda ctx: [ctx.target],
        why="the zone's thresholds of a standard rule; an unknown code is missing",
    ),
}
for namespace in ("returns_import", "official_import"):
    PAGES |= {
        f"statistics:{namespace}:import": Check(page(CAN_ADD)),
        f"statistics:{namespace}:import_template": Check(page(CAN_ADD)),
        f"statistics:{namespace}:import_job": Check(
            scoped(OWN_JOB, JOBS), args=job(f"statistics:{namespace}")
        ),
        f"statistics:{namespace}:import_job_status": Check(
            scoped(OWN_JOB, JOBS), args=job(f"statistics:{namespace}")
        ),
        f"statistics:{namespace}:import_errors": Check(
            scoped(OWN_JOB, JOBS), args=job(f"statistics:{namespace}")
        ),
    }


def return_body(path):
    def build_data(ctx):
        version = {"version": ctx.obj.version}
        if path.endswith("/send-back"):
            return {"reason": "请核实", **version}
        if path.endswith("/revise"):
            return {"data": {"profit": "12"}, "reason": "更正利润", **version}
        if path.endswith("}"):
            return {"data": {"profit": "12"}, **version}
        return version

    return build_data


R = "/api/v1/statistics/returns/{return_id}"
API = {
    ("get", "/api/v1/statistics/indicators"): Check(api()),
    ("get", "/api/v1/statistics/rules"): Check(api(), why="the checks their returns go through"),
    ("get", "/api/v1/statistics/figures"): Check(
        api(READERS), query={"zone": "ZA", "period": "2019-12"}
    ),
    ("get", "/api/v1/statistics/findings"): Check(api()),
    ("get", "/api/v1/statistics/official"): Check(api(), why="enterprise users: an empty list"),
    ("get", "/api/v1/statistics/returns"): Check(api(), why="enterprise users: their own"),
    ("get", "/api/v1/statistics/missing"): Check(
        api(READERS), query={"zone": "ZA", "period": "2019-12"}
    ),
    ("post", "/api/v1/statistics/reminders"): Check(
        api(CAN_ADD), method="post", data={"zone": "ZA", "period": "2019-11"}
    ),
    ("post", "/api/v1/statistics/official"): Check(
        api(CAN_ADD, ok=201),
        method="post",
        data={
            "zone": "ZA",
            "indicator": "industrial_value_added",
            "period": "2019-11",
            "value": "70000",
            "source": "statistics",
        },
    ),
    ("patch", "/api/v1/statistics/official/{figure_id}"): Check(
        api_scoped(
            {"admin": set(OFFICIAL), "zone_admin": {"official:a"}, "staff": {"official:a"}},
            OFFICIAL,
            visible={r: {"official:a"} for r in READERS},
        ),
        method="patch",
        data=version_data(value="761000"),
    ),
    ("post", "/api/v1/statistics/returns"): Check(
        api(FILLERS, ok=201),
        method="post",
        data=lambda ctx: {"enterprise_id": ctx.w.a1.pk, "period": "2019-11", "data": ODD},
    ),
    ("get", R): Check(api_scoped(RETURN_VIEW, RETURNS)),
    ("patch", R): Check(
        api_scoped(on("draft", FILLERS), DRAFTS, visible=DRAFT_VIEW),
        method="patch",
        data=return_body(R),
    ),
    ("post", f"{R}/submit"): Check(
        api_scoped(on("draft", FILLERS), DRAFTS, visible=DRAFT_VIEW),
        method="post",
        data=return_body(f"{R}/submit"),
    ),
    ("post", f"{R}/accept"): Check(
        api_scoped(on("ret", OFFICERS), RETURNS, visible=RETURN_VIEW),
        method="post",
        data=return_body(f"{R}/accept"),
    ),
    ("post", f"{R}/send-back"): Check(
        api_scoped(on("ret", OFFICERS), RETURNS, visible=RETURN_VIEW),
        method="post",
        data=return_body(f"{R}/send-back"),
    ),
    ("post", f"{R}/revise"): Check(
        api_scoped(on("ret", FILLERS), RETURNS, visible=RETURN_VIEW),
        method="post",
        data=return_body(f"{R}/revise"),
    ),
    ("post", "/api/v1/statistics/findings/{finding_id}/explain"): Check(
        api_scoped(on("finding", FILLERS), FINDINGS, visible=FINDING_VIEW),
        method="post",
        data={"text": "新设备投产,税额属实"},
    ),
    ("post", "/api/v1/statistics/findings/{finding_id}/query"): Check(
        api_scoped(on("finding", OFFICERS), FINDINGS, visible=FINDING_VIEW),
        method="post",
        data={"due_on": later(), "message": "请说明"},
    ),
    ("post", "/api/v1/statistics/findings/{finding_id}/close"): Check(
        api_scoped(on("finding", OFFICERS), FINDINGS, visible=FINDING_VIEW),
        method="post",
        data={"note": "属实"},
    ),
}
