"""Investment attraction's URLs and API operations × every role (tests/test_access_matrix.py
runs them).

The objects: the pipeline of tests/support/pipeline.py (zone A: p_lead, p_signed, p_other of
another department, p_ent invested by a1; p_b in zone B; p_c in zone C); a funds entry and a
document on p_signed (zone A) and on p_b (zone B); a campaign in zones A and C; an import job
each of staff and admin. Enterprise users see only the project their enterprise invests in, and
not the pipeline's pages.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from gaoxin.investment import plans, services, stages
from gaoxin.investment.models import Project
from gaoxin.investment.views.imports import TARGET
from tests.support.access import (
    EVERYONE,
    ROLES,
    Check,
    api,
    api_scoped,
    listed_items,
    page,
    refused_by_rule,
    scoped,
)
from tests.support.imports import finished_job
from tests.support.pipeline import (
    PROJECT_CHANGE,
    PROJECT_DELETE,
    PROJECT_VIEW,
    PROJECTS,
    build_pipeline,
)

D = datetime.date
ADMINS = {"admin", "zone_admin"}
CAN_ADD = {"admin", "zone_admin", "staff"}
READERS = EVERYONE - {"enterprise"}  # the pipeline is not for enterprise users
UNSIGNED = ("p_lead", "p_other", "p_c")  # no funds, no commitment before signing
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JOBS = ("job:staff", "job:admin")
OWN_JOB = {"admin": {"job:admin"}, "staff": {"job:staff"}}

FUNDS = ("funds_a", "funds_b")  # on p_signed (zone A, dept_a) and p_b (zone B)
DOCUMENTS = ("doc_a", "doc_b")
ON_PROJECT = {"funds_a": "p_signed", "funds_b": "p_b", "doc_a": "p_signed", "doc_b": "p_b"}


def on_projects(scope, objects):
    """role → the objects (funds, documents) on the projects `scope` gives the role."""
    return {r: {o for o in objects if ON_PROJECT[o] in scope[r]} for r in ROLES}


FUNDS_VIEW, FUNDS_CHANGE = on_projects(PROJECT_VIEW, FUNDS), on_projects(PROJECT_CHANGE, FUNDS)
DOCS_VIEW, DOCS_CHANGE = (
    on_projects(PROJECT_VIEW, DOCUMENTS),
    on_projects(PROJECT_CHANGE, DOCUMENTS),
)
CAMPAIGNS = ("campaign_a", "campaign_c")
# Pages show the campaigns of the zone one works in (zone A, for the platform admin too); the
# API those of every zone one sees. Only admins change them.
CAMPAIGN_VIEW = {
    **{r: {"campaign_a"} for r in READERS},
    "admin": set(CAMPAIGNS),
    "enterprise": set(),
}
CAMPAIGN_CHANGE = {"admin": set(CAMPAIGNS), "zone_admin": {"campaign_a"}}


def build(w):
    pipeline = build_pipeline(w)
    for key in PROJECTS:
        w.add(key, getattr(pipeline, key))
    w.pipeline = pipeline
    for key, project in (("a", w.p_signed), ("b", w.p_b)):
        w.add(f"funds_{key}", services.add_funds(w.admin, project, on=D(2020, 1, 2), amount=100))
        upload = SimpleUploadedFile("现场.png", PNG)
        w.add(f"doc_{key}", services.add_document(w.admin, project, kind="photo", upload=upload))
    for key, zone in (("a", w.zone_a), ("c", w.zone_c)):
        w.add(
            f"campaign_{key}",
            plans.create_campaign(
                w.admin, zone, name="百日招商", start=D(2019, 1, 1), end=D(2019, 4, 10)
            ),
        )
    w.investment_jobs = {
        "job:staff": finished_job(TARGET, w.staff, w.zone_a),
        "job:admin": finished_job(TARGET, w.admin, w.zone_a),
    }


def job(ctx):
    return [ctx.w.investment_jobs[ctx.target]]


def stage_move(ctx):
    project = ctx.obj
    stage, _kind, _reason = stages.allowed_targets(project)[0]
    return {
        "stage": stage,
        "on": project.stage_on.isoformat(),
        "note": "测试",
        "version": project.version,
    }


def version_data(**data):
    def build_data(ctx):
        return {**data, "version": ctx.obj.version}

    return build_data


def upload(ctx):
    return {"kind": "photo", "file": SimpleUploadedFile("现场.png", PNG)}


def commitment(ctx):
    """A later start; with the commitment's version when there is one (p_signed's)."""
    current = getattr(ctx.obj, "commitment", None) if ctx.obj else None
    return {"start_by": "2030-01-01", **({"version": current.version} if current else {})}


FUNDS_DATA = {"on": "2020-01-02", "amount": "100", "source": "out_of_province"}

PAGES = {
    "investment:cockpit": Check(page(READERS)),
    "investment:projects": Check(page(), why="enterprise users: their project's public status"),
    "investment:project_create": Check(page(CAN_ADD)),
    "investment:import": Check(page(CAN_ADD)),
    "investment:import_template": Check(page(CAN_ADD)),
    "investment:import_job": Check(scoped(OWN_JOB, JOBS), args=job),
    "investment:import_job_status": Check(scoped(OWN_JOB, JOBS), args=job),
    "investment:import_errors": Check(scoped(OWN_JOB, JOBS), args=job),
    "investment:campaigns": Check(page(READERS)),
    "investment:campaign_create": Check(page(ADMINS)),
    "investment:campaign_detail": Check(
        scoped({r: {"campaign_a"} for r in READERS}, CAMPAIGNS),
        why="the campaigns of the zone one works in",
    ),
    "investment:campaign_edit": Check(scoped({r: {"campaign_a"} for r in ADMINS}, CAMPAIGNS)),
    "investment:campaign_delete": Check(
        scoped({r: {"campaign_a"} for r in ADMINS}, CAMPAIGNS, ok=302),
        method="post",
        data=lambda ctx: {"confirm": ctx.obj.name},
    ),
    "investment:campaign_export": Check(page(READERS)),
    "investment:targets": Check(page(READERS)),
    "investment:target_export": Check(page(READERS)),
    "investment:thresholds": Check(page(ADMINS)),
    "investment:project_detail": Check(scoped(PROJECT_VIEW, PROJECTS)),
    "investment:project_edit": Check(scoped(PROJECT_CHANGE, PROJECTS)),
    "investment:project_commitment": Check(scoped(PROJECT_CHANGE, PROJECTS)),
    "investment:project_stage": Check(
        scoped(PROJECT_CHANGE, PROJECTS, ok=302), method="post", data=stage_move
    ),
    "investment:project_delete": Check(
        scoped(PROJECT_DELETE, PROJECTS, ok=302),
        method="post",
        data=version_data(reason="测试删除"),
    ),
    "investment:project_funds": Check(
        refused_by_rule(
            scoped(PROJECT_CHANGE, PROJECTS, ok=302), 302, **dict.fromkeys(UNSIGNED, 422)
        ),
        method="post",
        data=FUNDS_DATA,
        why="funds only after signing: tests/investment/test_project_pages.py",
    ),
    "investment:document_upload": Check(
        scoped(PROJECT_CHANGE, PROJECTS, ok=302), method="post", data=upload
    ),
    "investment:funds_delete": Check(
        scoped(FUNDS_CHANGE, FUNDS, ok=302), method="post", data={"reason": "录入错误"}
    ),
    "investment:document_download": Check(scoped(DOCS_VIEW, DOCUMENTS)),
    "investment:document_delete": Check(
        scoped(DOCS_CHANGE, DOCUMENTS, ok=302), method="post", data={"reason": "传错了"}
    ),
}


def new_project(ctx):
    return {
        "zone": "ZA",
        "name": f"新项目{ctx.role}",
        "stage": "lead",
        "on": "2019-01-05",
        "investor_name": "某投资方",
        "planned_investment": "20000",
        "department": ctx.w.dept_a.pk,
    }


def new_campaign(ctx):
    return {"zone": "ZA", "name": f"金秋招商{ctx.role}", "start": "2019-09-01", "end": "2019-10-31"}


HISTORY = {**PROJECT_VIEW, "enterprise": set()}  # the audit trail is for officers
API = {
    ("get", "/api/v1/investment/projects"): Check(
        api(), sees=PROJECT_VIEW, listed=listed_items(Project), why="every zone one sees"
    ),
    ("post", "/api/v1/investment/projects"): Check(
        api(CAN_ADD, ok=201), method="post", data=new_project
    ),
    ("get", "/api/v1/investment/projects/{project_id}"): Check(api_scoped(PROJECT_VIEW, PROJECTS)),
    ("get", "/api/v1/investment/projects/{project_id}/history"): Check(
        api_scoped(HISTORY, PROJECTS, visible=PROJECT_VIEW)
    ),
    ("patch", "/api/v1/investment/projects/{project_id}"): Check(
        api_scoped(PROJECT_CHANGE, PROJECTS, visible=PROJECT_VIEW),
        method="patch",
        data=version_data(site="新址"),
    ),
    ("delete", "/api/v1/investment/projects/{project_id}"): Check(
        api_scoped(PROJECT_DELETE, PROJECTS, ok=204, visible=PROJECT_VIEW),
        method="delete",
        query={"reason": "测试删除"},
    ),
    ("post", "/api/v1/investment/projects/{project_id}/stage"): Check(
        api_scoped(PROJECT_CHANGE, PROJECTS, visible=PROJECT_VIEW), method="post", data=stage_move
    ),
    ("put", "/api/v1/investment/projects/{project_id}/commitment"): Check(
        refused_by_rule(
            api_scoped(PROJECT_CHANGE, PROJECTS, visible=PROJECT_VIEW),
            200,
            **dict.fromkeys(UNSIGNED, 422),
        ),
        method="put",
        data=commitment,
    ),
    ("post", "/api/v1/investment/projects/{project_id}/funds"): Check(
        refused_by_rule(
            api_scoped(PROJECT_CHANGE, PROJECTS, ok=201, visible=PROJECT_VIEW),
            201,
            **dict.fromkeys(UNSIGNED, 422),
        ),
        method="post",
        data={"on": "2020-01-02", "amount": "100"},
    ),
    ("post", "/api/v1/investment/projects/{project_id}/documents"): Check(
        api_scoped(PROJECT_CHANGE, PROJECTS, ok=201, visible=PROJECT_VIEW),
        method="post",
        data=upload,
        multipart=True,
    ),
    ("delete", "/api/v1/investment/funds/{funds_id}"): Check(
        api_scoped(FUNDS_CHANGE, FUNDS, ok=204, visible=FUNDS_VIEW),
        method="delete",
        query={"reason": "录入错误"},
    ),
    ("get", "/api/v1/investment/documents/{document_id}"): Check(api_scoped(DOCS_VIEW, DOCUMENTS)),
    ("delete", "/api/v1/investment/documents/{document_id}"): Check(
        api_scoped(DOCS_CHANGE, DOCUMENTS, ok=204, visible=DOCS_VIEW),
        method="delete",
        query={"reason": "传错了"},
    ),
    ("get", "/api/v1/investment/summary"): Check(api(READERS)),
    ("get", "/api/v1/investment/campaigns"): Check(api(READERS)),
    ("post", "/api/v1/investment/campaigns"): Check(
        api(ADMINS, ok=201), method="post", data=new_campaign
    ),
    ("get", "/api/v1/investment/campaigns/{campaign_id}"): Check(
        api_scoped(CAMPAIGN_VIEW, CAMPAIGNS)
    ),
    ("patch", "/api/v1/investment/campaigns/{campaign_id}"): Check(
        api_scoped(CAMPAIGN_CHANGE, CAMPAIGNS, visible=CAMPAIGN_VIEW),
        method="patch",
        data=version_data(note="加大力度"),
    ),
    ("delete", "/api/v1/investment/campaigns/{campaign_id}"): Check(
        api_scoped(CAMPAIGN_CHANGE, CAMPAIGNS, ok=204, visible=CAMPAIGN_VIEW),
        method="delete",
    ),
    ("get", "/api/v1/investment/targets"): Check(api(READERS)),
    ("put", "/api/v1/investment/targets"): Check(
        api(ADMINS),
        method="put",
        data=lambda ctx: {
            "zone": "ZA",
            "department": ctx.w.dept_a.pk,
            "year": 2019,
            "target_projects": 12,
        },
    ),
    ("get", "/api/v1/investment/thresholds"): Check(api(READERS)),
    ("put", "/api/v1/investment/thresholds"): Check(
        api(ADMINS),
        method="put",
        data={"zone": "ZA", "large": "50000", "class_5020": "20000"},
    ),
}
