"""The investment endpoints: summary figures, projects per role, stage rules, versions, the
enterprise user's public view, commitments, funds, documents, campaigns, targets, thresholds."""

import datetime
import struct
import zlib
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gaoxin.core.models import AuditRecord
from gaoxin.investment import plans, services
from gaoxin.investment.models import (
    Campaign,
    Commitment,
    DepartmentTarget,
    Document,
    FundsEntry,
    Project,
    StageEvent,
    Thresholds,
)
from tests.factories import member
from tests.support.api import ROLES, Api, audit_count, bearer
from tests.support.periods import PERIOD_FORMS

pytestmark = pytest.mark.django_db

D = datetime.date
PUBLIC_KEYS = {"id", "name", "category", "category_name", "stage", "stage_name", "stage_on", "zone"}
# What each role sees of the pipeline fixture's projects.
VISIBLE = {
    "admin": {"p_lead", "p_signed", "p_other", "p_ent", "p_b", "p_c"},
    "province": {"p_lead", "p_signed", "p_other", "p_ent", "p_b"},
    "zone_admin": {"p_lead", "p_signed", "p_other", "p_ent"},
    "leader": {"p_lead", "p_signed", "p_other", "p_ent"},
    "staff": {"p_lead", "p_signed", "p_other", "p_ent"},
    "enterprise": {"p_ent"},
}
KEYS = ("p_lead", "p_signed", "p_other", "p_ent", "p_b", "p_c")
# The list endpoint's queries: token, memberships, count, the page's ids, its rows.
# Independent of page size.
LIST_QUERIES = 5


def keys_of(pipeline, ids) -> set[str]:
    by_id = {getattr(pipeline, k).pk: k for k in KEYS}
    return {by_id.get(i, i) for i in ids}


def errors(r) -> list[tuple[str, str]]:
    return [(e["field"], e["message"]) for e in r.json()["errors"]]


def state(project):
    """What a write would change: compare before and after a refused write."""
    p = Project.objects.get(pk=project.pk)
    return (
        p.version,
        p.name,
        p.stage,
        p.stage_on,
        p.planned_investment,
        p.is_deleted,
        p.events.count(),
        audit_count(),
    )


def put(api, path, body, **kw):
    return api.call("put", path, body, **kw)


@pytest.fixture
def quarter(pipeline):
    """2020 Q1 in zone A: three industrial projects signed (5000, 20000 then started in March,
    600000 = over 50亿), one services project (30000.25); one signed just after the quarter; and
    one in zone B inside the quarter."""
    w = pipeline.world

    def signed(zone, name, on, amount, **data):
        return services.create_project(
            w.admin,
            zone,
            stage="signed",
            on=on,
            name=name,
            investor_name=f"{name}投资方",
            planned_investment=Decimal(amount),
            **data,
        )

    small = signed(w.zone_a, "一季度小项目", D(2020, 1, 15), "5000", department=w.dept_a)
    large = signed(w.zone_a, "一季度亿元项目", D(2020, 2, 10), "20000", department=w.dept_a)
    services.move_stage(w.admin, large, "started", on=D(2020, 3, 15))
    huge = signed(w.zone_a, "一季度5020项目", D(2020, 3, 31), "600000", department=pipeline.dept_a2)
    svc = signed(w.zone_a, "一季度服务业项目", D(2020, 2, 1), "30000.25", category="services")
    after = signed(w.zone_a, "四月项目", D(2020, 4, 1), "800000")
    zb = signed(w.zone_b, "乙一季度项目", D(2020, 3, 1), "12345")
    return pipeline, {"small": small, "large": large, "huge": huge, "svc": svc, "after": after}, zb


# --- summary --------------------------------------------------------------------------------


def test_summary_quarter_figures_are_exact(quarter, api_as):
    r = api_as("zone_admin").get("/investment/summary", period="2020Q1", category="industrial")
    assert r.status_code == 200, r.content
    assert r.json() == {
        "zone": "ZA",
        "start": "2020-01-01",
        "end": "2020-03-31",
        "label": "2020 年第 1 季度",
        "category": ["industrial"],
        "signed": {"count": 3, "investment_wan": 625000},
        "started": {"count": 1, "investment_wan": 20000},
        "production": {"count": 0, "investment_wan": 0},
        "over_100m": 2,
        "class_5020": 1,
        "funnel": [
            {"stage": "lead", "label": "线索", "count": 0, "rate": None},
            {"stage": "visit", "label": "考察", "count": 0, "rate": None},
            {"stage": "negotiation", "label": "洽谈", "count": 0, "rate": None},
            {"stage": "signed", "label": "签约", "count": 3, "rate": None},
            {"stage": "started", "label": "开工", "count": 1, "rate": 33.3},
            {"stage": "production", "label": "投产", "count": 0, "rate": 0.0},
        ],
        "thresholds": {"large_wan": 10000, "class_5020_wan": 500000},
    }
    # An integral amount is a JSON integer, not 625000.0 nor "625000".
    assert b'"signed": {"count": 3, "investment_wan": 625000}' in r.content


def test_summary_all_categories_and_explicit_dates(quarter, api_as):
    api = api_as("staff")
    r = api.get("/investment/summary", start="2020-01-01", end="2020-03-31")
    body = r.json()
    assert body["category"] == []
    assert body["signed"] == {"count": 4, "investment_wan": 655000.25}
    assert (body["over_100m"], body["class_5020"]) == (3, 1)
    both = api.get(
        "/investment/summary", start="2020-01-01", end="2020-03-31", category=["services"]
    ).json()
    assert both["signed"] == {"count": 1, "investment_wan": 30000.25}
    assert both["label"] == "2020-01-01 至 2020-03-31"
    # The signing on 2020-04-01 falls outside, a month later inside.
    april = api.get("/investment/summary", period="2020-04").json()
    assert april["signed"] == {"count": 1, "investment_wan": 800000}
    assert (april["start"], april["end"]) == ("2020-04-01", "2020-04-30")


def test_summary_year_2019(pipeline, api_as):
    body = api_as("leader").get("/investment/summary", period="2019").json()
    assert body["signed"] == {"count": 1, "investment_wan": 150000}
    assert body["started"] == {"count": 0, "investment_wan": 0}
    assert body["production"] == {"count": 1, "investment_wan": 20000}
    assert (body["over_100m"], body["class_5020"]) == (1, 0)
    assert [(f["count"], f["rate"]) for f in body["funnel"]] == [
        (1, None),
        (1, 100.0),
        (1, 100.0),
        (1, 100.0),
        (0, 0.0),
        (1, None),
    ]


def test_summary_defaults_to_the_year_to_date(pipeline, api_as):
    today = services.today()
    body = api_as("staff").get("/investment/summary").json()
    assert (body["start"], body["end"]) == (D(today.year, 1, 1).isoformat(), today.isoformat())
    assert body["signed"] == {"count": 0, "investment_wan": 0}


def test_summary_zone_parameter_for_the_province_viewer(quarter, api_as):
    api = api_as("province")
    # Without a zone: the first zone of the province, named in the answer.
    r = api.get("/investment/summary", period="2020Q1")
    assert (r.status_code, r.json()["zone"]) == (200, "ZA")
    zb = api.get("/investment/summary", period="2020Q1", zone="ZB").json()
    assert (zb["zone"], zb["signed"]) == ("ZB", {"count": 1, "investment_wan": 12345})
    za = api.get("/investment/summary", period="2020Q1", zone="ZA").json()
    assert za["signed"]["count"] == 4
    hunan = api.get("/investment/summary", period="2020Q1", zone="ZC")
    assert hunan.status_code == 422
    assert errors(hunan) == [("zone", "未找到园区代码 ZC")]
    # Zone staff see one zone: another zone's code is unknown to them.
    assert errors(api_as("staff").get("/investment/summary", zone="ZB")) == [
        ("zone", "未找到园区代码 ZB")
    ]


def test_summary_is_forbidden_to_enterprise_users(pipeline, api_as):
    r = api_as("enterprise").get("/investment/summary", period="2019")
    assert r.status_code == 403
    assert r.json() == {"detail": "无权查看招商统计", "errors": []}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"start": "2020-13-01", "end": "2020-12-31"}, [("start", "日期格式应为 YYYY-MM-DD")]),
        ({"start": "2020-03-31", "end": "2020-01-01"}, [("end", "结束日期不能早于开始日期")]),
        ({"start": "2020-01-01"}, [("end", "请同时给出开始和结束日期")]),
        (
            {"period": "2020Q5"},
            [("period", PERIOD_FORMS % "2020Q5")],
        ),
        (
            {"period": "2020", "start": "2020-01-01", "end": "2020-02-01"},
            [("period", "period 与 start/end 只能二选一")],
        ),
        (
            {"category": "mining"},
            [
                (
                    "category",
                    "取值应为 'industrial', 'services', 'agriculture', 'infrastructure' 之一",
                )
            ],
        ),
    ],
)
def test_summary_bad_parameters_answer_422(pipeline, api_as, params, expected):
    r = api_as("zone_admin").get("/investment/summary", **params)
    assert r.status_code == 422
    assert errors(r) == expected


# --- list and detail ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_exactly_what_the_role_may_see(pipeline, api_as, role):
    r = api_as(role).get("/investment/projects")
    assert r.status_code == 200
    body = r.json()
    assert keys_of(pipeline, [p["id"] for p in body["items"]]) == VISIBLE[role]
    assert body["count"] == len(VISIBLE[role])
    full = role != "enterprise"
    for item in body["items"]:
        assert ("planned_investment" in item) is full
        if not full:
            assert set(item) == PUBLIC_KEYS


@pytest.mark.parametrize(("role", "key"), [(r, k) for r in ROLES for k in KEYS])
def test_detail_is_404_outside_the_role_scope(pipeline, api_as, role, key):
    project = getattr(pipeline, key)
    r = api_as(role).get(f"/investment/projects/{project.pk}")
    if key in VISIBLE[role]:
        assert r.status_code == 200
        assert r.json()["id"] == project.pk
    else:
        assert r.status_code == 404
        assert r.json() == {"detail": "未找到该招商项目", "errors": []}


def test_enterprise_user_sees_only_the_public_status(pipeline, api_as):
    api = api_as("enterprise")
    r = api.get(f"/investment/projects/{pipeline.p_ent.pk}")
    assert r.json() == {
        "id": pipeline.p_ent.pk,
        "name": "甲一扩产项目",
        "category": "industrial",
        "category_name": "工业",
        "stage": "production",
        "stage_name": "投产",
        "stage_on": "2019-06-01",
        "zone": "ZA",
    }
    assert "ETag" not in r
    for word in ("planned_investment", "commitment", "funds", "documents", "timeline"):
        assert word.encode() not in r.content
    history = api.get(f"/investment/projects/{pipeline.p_ent.pk}/history")
    assert history.status_code == 403
    assert history.json()["detail"] == "无权查看该项目的变更记录"


def test_a_user_with_an_enterprise_and_a_zone_role_sees_each_project_by_its_own_right(
    pipeline, api_as
):
    from gaoxin.core.models import Membership

    w = pipeline.world
    user = member("zone_staff", username="mixed", zone=w.zone_b)
    Membership.objects.create(user=user, role="enterprise_user", zone=w.zone_a, enterprise=w.a1)
    api = Api(api_as("admin").client, bearer(user))
    items = {i["id"]: i for i in api.get("/investment/projects").json()["items"]}
    assert set(items) == {pipeline.p_ent.pk, pipeline.p_b.pk}
    assert set(items[pipeline.p_ent.pk]) == PUBLIC_KEYS
    assert items[pipeline.p_b.pk]["planned_investment"] == "20000"
    assert set(api.get(f"/investment/projects/{pipeline.p_ent.pk}").json()) == PUBLIC_KEYS
    assert api.get(f"/investment/projects/{pipeline.p_b.pk}").json()["timeline"]
    # The summary of zone A counts nothing: the enterprise's project is not theirs to count.
    assert api.get("/investment/summary", period="2019", zone="ZA").json()["production"] == {
        "count": 0,
        "investment_wan": 0,
    }
    zb = api.get("/investment/summary", period="2019", zone="ZB").json()
    assert zb["signed"] == {"count": 1, "investment_wan": 20000}


def test_an_id_beyond_the_database_range_is_404(pipeline, api_as):
    api = api_as("admin")
    for path in ("projects", "documents", "campaigns"):
        r = api.get(f"/investment/{path}/{2**63}")
        assert r.status_code == 404, path
    r = api.delete(f"/investment/funds/{2**63}", reason="x")
    assert r.status_code == 404


def test_enterprise_user_may_not_filter_by_money_or_dates(pipeline, api_as):
    api = api_as("enterprise")
    r = api.get("/investment/projects", size="large", ordering="-planned_investment")
    assert r.status_code == 422
    assert sorted(errors(r)) == [
        ("ordering", "企业用户只能按名称或阶段日期排序"),
        ("size", "企业用户不能按此条件筛选"),
    ]
    ok = api.get("/investment/projects", stage="production", ordering="name")
    assert [p["id"] for p in ok.json()["items"]] == [pipeline.p_ent.pk]


def test_detail_json(pipeline, api_as):
    p = pipeline.p_signed
    services.add_funds(pipeline.world.admin, p, on=D(2019, 5, 1), amount=Decimal("10000.5"))
    r = api_as("staff").get(f"/investment/projects/{p.pk}")
    assert r.status_code == 200
    body = r.json()
    assert r["ETag"] == '"2"'
    assert {k: body[k] for k in ("chain", "channel", "industry_code", "industry_name")} == {
        "chain": "新材料",
        "channel": "以商招商",
        "industry_code": "3974",
        "industry_name": "显示器件制造",
    }
    assert (body["planned_investment"], body["department"], body["version"]) == (
        "150000",
        "经济发展局",
        2,
    )
    assert (body["visit_on"], body["signed_on"], body["started_on"]) == (
        "2019-01-10",
        "2019-03-10",
        None,
    )
    assert (body["days_visit_to_signed"], body["days_signed_to_started"]) == (59, None)
    assert body["created_at"].endswith("+08:00")
    first, current = body["timeline"]
    assert (first["kind"], first["stage"], first["days"], first["current"]) == (
        "enter",
        "visit",
        59,
        False,
    )
    today = services.today()
    assert (current["stage_name"], current["days"], current["current"]) == (
        "签约",
        (today - D(2019, 3, 10)).days,
        True,
    )
    assert [(m["stage"], m["kind"], m["needs_reason"]) for m in body["allowed_moves"]] == [
        ("lead", "back", True),
        ("visit", "back", True),
        ("negotiation", "back", True),
        ("started", "forward", False),
        ("on_hold", "hold", True),
        ("dropped", "drop", True),
    ]
    commitment = body["commitment"]
    assert (commitment["investment"], commitment["funds_in_place"], commitment["jobs"]) == (
        "150000",
        "30000",
        800,
    )
    delivery = {i["key"]: i for i in commitment["delivery"]}
    assert (delivery["start"]["status"], delivery["start"]["status_name"]) == ("overdue", "已逾期")
    assert (delivery["funds"]["actual"], delivery["funds"]["share"]) == ("10000.5", 33.3)
    assert delivery["tax"]["promised_per_mu"] == "60"
    assert commitment["overdue"] is True
    assert [(f["amount"], f["source_name"]) for f in body["funds"]] == [("10000.5", "省外资金")]
    assert body["funds_total"] == "10000.5"
    assert body["documents"] == []


def test_list_filters(pipeline, api_as):
    api = api_as("zone_admin")
    w = pipeline.world

    def ids(**params):
        r = api.get("/investment/projects", **params)
        assert r.status_code == 200, r.content
        return keys_of(pipeline, [p["id"] for p in r.json()["items"]])

    assert ids(q="签约") == {"p_signed"}
    assert ids(stage=["lead", "negotiation"]) == {"p_lead", "p_other"}
    assert ids(department=pipeline.dept_a2.pk) == {"p_other"}
    assert ids(department=w.dept_a.pk, stage="production") == {"p_ent"}
    assert ids(chain=pipeline.chain.pk) == {"p_signed"}
    assert ids(channel=pipeline.channel.pk) == {"p_signed"}
    assert ids(size="large") == {"p_lead", "p_signed", "p_other", "p_ent"}
    assert ids(size="5020") == set()
    assert ids(reached="signed", start="2019-01-01", end="2019-12-31") == {"p_signed"}
    assert ids(overdue="true") == {"p_signed"}
    assert ids(category="services") == set()
    items = api.get("/investment/projects", ordering="-planned_investment").json()["items"]
    assert items[0]["id"] == pipeline.p_signed.pk
    admin = api_as("admin")
    assert keys_of(
        pipeline, [p["id"] for p in admin.get("/investment/projects", zone="ZB").json()["items"]]
    ) == {"p_b"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"stage": "bogus"}, "stage"),
        ({"department": "999999"}, "department"),
        ({"ordering": "secret"}, "ordering"),
        ({"size": "huge", "zone": "ZA"}, "size"),
        ({"size": "large"}, "size"),  # the admin sees several zones: thresholds need one
        ({"start": "2019-02-30"}, "start"),
        ({"zone": "ZX"}, "zone"),
    ],
)
def test_list_bad_filters_answer_422(pipeline, api_as, params, field):
    r = api_as("admin").get("/investment/projects", **params)
    assert r.status_code == 422
    assert [f for f, _m in errors(r)] == [field]


def test_list_department_of_another_zone_is_not_a_choice(pipeline, api_as):
    from tests.factories import DepartmentFactory

    other = DepartmentFactory(zone=pipeline.world.zone_c, name="丙招商局")
    r = api_as("province").get("/investment/projects", department=other.pk)
    assert r.status_code == 422
    assert [f for f, _m in errors(r)] == ["department"]


def test_list_query_count_does_not_grow_with_page_size(pipeline, api_as):
    w = pipeline.world
    Project.objects.bulk_create(
        Project(
            zone=w.zone_a,
            name=f"批量项目{i}",
            investor_name="某投资方",
            planned_investment=Decimal(1000 + i),
            stage="lead",
            stage_on=D(2019, 2, 1),
            lead_on=D(2019, 2, 1),
            department=w.dept_a if i % 2 else pipeline.dept_a2,
            chain=pipeline.chain,
            officer=w.staff,
            industry_id="3974",
        )
        for i in range(60)
    )
    api = api_as("zone_admin")
    api.get("/investment/projects")  # the token's last_used_at is written once, on first use
    counts = {}
    for size in (5, 64):
        with CaptureQueriesContext(connection) as ctx:
            r = api.get("/investment/projects", page_size=size)
        assert r.status_code == 200
        assert len(r.json()["items"]) == size
        counts[size] = len(ctx.captured_queries)
    assert counts == {5: LIST_QUERIES, 64: LIST_QUERIES}


def test_deleted_project_is_gone(pipeline, api_as):
    api = api_as("zone_admin")
    p = pipeline.p_other
    r = api.delete(f"/investment/projects/{p.pk}", reason="投资方撤回")
    assert r.status_code == 204
    assert api.get(f"/investment/projects/{p.pk}").status_code == 404
    assert p.pk not in [i["id"] for i in api.get("/investment/projects").json()["items"]]
    fresh = Project.objects.get(pk=p.pk)
    assert (fresh.is_deleted, fresh.deleted_reason) == (True, "投资方撤回")


def test_delete_needs_a_reason_and_the_right(pipeline, api_as):
    p = pipeline.p_lead
    before = state(p)
    r = api_as("zone_admin").delete(f"/investment/projects/{p.pk}")
    assert r.status_code == 422
    assert errors(r) == [("reason", "删除项目必须填写理由")]
    staff = api_as("staff").delete(f"/investment/projects/{p.pk}", reason="x")
    assert staff.status_code == 403
    assert staff.json()["detail"] == "无权删除该招商项目"
    assert state(p) == before


def test_history_lists_the_audit_records(pipeline, api_as):
    body = api_as("leader").get(f"/investment/projects/{pipeline.p_signed.pk}/history").json()
    assert [a["action"] for a in body["audit"]] == ["stage", "create"]
    assert body["audit"][0]["message"] == "考察 → 签约(2019-03-10)"
    assert [(e["kind"], e["stage"]) for e in body["events"]] == [
        ("forward", "signed"),
        ("enter", "visit"),
    ]
    assert api_as("staff").get(f"/investment/projects/{pipeline.p_b.pk}/history").status_code == 404


# --- creating and editing -------------------------------------------------------------------


def new_project(**extra):
    return {
        "name": "江西新锐光电项目",
        "investor_name": "深圳新锐光电集团",
        "planned_investment": "120000.5",
        **extra,
    }


def test_create_with_references_by_api_names(pipeline, api_as):
    w = pipeline.world
    r = api_as("zone_admin").post(
        "/investment/projects",
        new_project(
            industry_code="3974",
            chain="新材料",
            channel="以商招商",
            department="招商二局",
            officer="staff",
            origin_province="广东",
            investor_enterprise_id=w.a2.pk,
            fixed_asset_investment="80000",
            expected_jobs=300,
            stage="visit",
            on="2019-05-01",
            note="首次考察",
        ),
    )
    assert r.status_code == 201, r.content
    body = r.json()
    project = Project.objects.get(pk=body["id"])
    assert r["Location"] == f"/api/v1/investment/projects/{project.pk}"
    assert r["ETag"] == '"1"'
    assert (project.zone, project.department, project.officer) == (
        w.zone_a,
        pipeline.dept_a2,
        w.staff,
    )
    assert (project.chain, project.channel, project.industry_id) == (
        pipeline.chain,
        pipeline.channel,
        "3974",
    )
    assert (project.origin_province_id, project.investor_enterprise) == ("440000", w.a2)
    assert (body["planned_investment"], body["fixed_asset_investment"]) == ("120000.5", "80000")
    assert (body["stage"], body["visit_on"], body["origin_province_name"]) == (
        "visit",
        "2019-05-01",
        "广东省",
    )
    assert (body["officer"], body["department"]) == ("staff", "招商二局")
    assert body["timeline"][0]["note"] == "首次考察"
    assert AuditRecord.objects.for_object(project).get().action == "create"


def test_staff_create_defaults_to_their_department(pipeline, api_as):
    r = api_as("staff").post("/investment/projects", new_project(on="2019-05-01"))
    assert r.status_code == 201, r.content
    assert (r.json()["department"], r.json()["stage"]) == ("经济发展局", "lead")


@pytest.mark.parametrize(
    ("role", "extra", "status", "expected"),
    [
        ("enterprise", {}, 403, None),
        ("leader", {}, 403, None),
        ("province", {"zone": "ZA"}, 403, None),
        ("admin", {}, 422, [("zone", "您可查看多个园区,请用 zone 参数指定园区代码")]),
        (
            "staff",
            {"department": "招商二局"},
            422,
            [("department", "只能登记或修改本部门负责的项目")],
        ),
        (
            "zone_admin",
            {"industry_code": "9999"},
            422,
            [("industry_code", "行业代码 9999 不存在于 GB/T 4754-2017")],
        ),
        (
            "zone_admin",
            {"investor_enterprise_id": 10**9},
            422,
            [("investor_enterprise_id", "本园区没有企业「1000000000」")],
        ),
        ("zone_admin", {"chain": "不存在"}, 422, [("chain", "本园区没有产业链「不存在」")]),
        (
            "zone_admin",
            {"stage": "production"},
            422,
            [("stage", "新项目只能登记为「线索」、「考察」、「洽谈」、「签约」阶段")],
        ),
        ("zone_admin", {"on": "2099-01-01"}, 422, None),
        ("zone_admin", {"secret": 1}, 422, [("secret", "不支持的字段")]),
        ("zone_admin", {"planned_investment": "abc"}, 422, None),
        (
            "zone_admin",
            {"fixed_asset_investment": "200000"},
            422,
            [
                (
                    "fixed_asset_investment",
                    "其中固定资产投资(200000 万元)不能超过计划总投资(120000.5 万元)",
                )
            ],
        ),
    ],
)
def test_create_refused_writes_nothing(pipeline, api_as, role, extra, status, expected):
    before = (Project.objects.count(), StageEvent.objects.count(), audit_count())
    r = api_as(role).post("/investment/projects", new_project(**extra))
    assert r.status_code == status, r.content
    if expected is not None:
        assert errors(r) == expected
    else:
        assert r.json()["detail"]
    assert (Project.objects.count(), StageEvent.objects.count(), audit_count()) == before


def test_patch_with_version_and_if_match(pipeline, api_as):
    p = pipeline.p_lead
    api = api_as("staff")
    r = api.patch(f"/investment/projects/{p.pk}", {"version": 1, "name": "甲线索项目(二期)"})
    assert r.status_code == 200, r.content
    assert (r.json()["name"], r.json()["version"], r["ETag"]) == ("甲线索项目(二期)", 2, '"2"')
    r = api.patch(
        f"/investment/projects/{p.pk}",
        {"planned_investment": "25000", "industry_code": "3974"},
        headers={"If-Match": '"2"'},
    )
    assert r.status_code == 200, r.content
    assert (r.json()["planned_investment"], r.json()["industry_code"]) == ("25000", "3974")


def test_patch_stale_version_is_409_and_changes_nothing(pipeline, api_as):
    p = pipeline.p_lead
    before = state(p)
    r = api_as("zone_admin").patch(f"/investment/projects/{p.pk}", {"version": 7, "name": "新名"})
    assert r.status_code == 409
    assert r.json()["current_version"] == 1
    assert errors(r) == [("version", "当前版本为 1")]
    assert state(p) == before


def test_patch_needs_a_version(pipeline, api_as):
    r = api_as("zone_admin").patch(f"/investment/projects/{pipeline.p_lead.pk}", {"name": "新名"})
    assert r.status_code == 422
    assert errors(r) == [("version", "请提供编辑开始时的版本号(请求体 version 或 If-Match 请求头)")]


@pytest.mark.parametrize("role", ["staff", "leader", "province", "enterprise"])
def test_patch_of_a_project_the_role_may_not_change_is_403(pipeline, api_as, role):
    # The staff user belongs to 经济发展局; p_other is 招商二局's.
    p = pipeline.p_ent if role == "enterprise" else pipeline.p_other
    before = state(p)
    r = api_as(role).patch(f"/investment/projects/{p.pk}", {"version": 1, "name": "改名"})
    assert r.status_code == 403
    expected = "只能修改本部门负责的招商项目" if role == "staff" else "无权修改该招商项目"
    assert r.json() == {"detail": expected, "errors": []}
    assert state(p) == before


def test_patch_invisible_project_is_404(pipeline, api_as):
    p = pipeline.p_b
    before = state(p)
    r = api_as("staff").patch(f"/investment/projects/{p.pk}", {"version": 1, "name": "改名"})
    assert r.status_code == 404
    assert state(p) == before


def test_patch_validation(pipeline, api_as):
    p = pipeline.p_lead
    api = api_as("zone_admin")
    before = state(p)
    r = api.patch(f"/investment/projects/{p.pk}", {"version": 1, "stage": "signed"})
    assert errors(r) == [("stage", "不支持的字段")]
    r = api.patch(f"/investment/projects/{p.pk}", {"version": 1, "name": None})
    assert errors(r) == [("name", "应为字符串")]
    r = api.patch(
        f"/investment/projects/{p.pk}",
        {"version": 1, "origin_province": "江西", "origin_country": "新加坡"},
    )
    assert errors(r) == [("origin_country", "投资方来源填写省份或国家/地区其一")]
    staff = api_as("staff").patch(
        f"/investment/projects/{p.pk}", {"version": 1, "department": "招商二局"}
    )
    assert errors(staff) == [("department", "只能登记或修改本部门负责的项目")]
    assert state(p) == before


# --- stages ---------------------------------------------------------------------------------


def test_stage_move_returns_the_detail(pipeline, api_as):
    p = pipeline.p_lead
    r = api_as("staff").post(
        f"/investment/projects/{p.pk}/stage",
        {"stage": "visit", "on": "2019-02-01", "note": "实地考察", "version": 1},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["stage"], body["visit_on"], body["version"], r["ETag"]) == (
        "visit",
        "2019-02-01",
        2,
        '"2"',
    )
    assert [(t["stage"], t["days"]) for t in body["timeline"]][0] == ("lead", 27)
    assert body["timeline"][-1]["note"] == "实地考察"


STAGE_ERRORS = [
    ("p_lead", {"stage": "started", "on": "2019-02-01"}, "stage",
     "「开工」只能从「签约」推进(当前为「线索」),请先登记签约"),
    ("p_lead", {"stage": "lead", "on": "2019-02-01"}, "stage", "项目已处于「线索」阶段"),
    ("p_lead", {"stage": "bogus", "on": "2019-02-01"}, "stage", "无效的阶段 bogus"),
    ("p_lead", {"stage": "visit", "on": "2099-01-01"}, "on", None),
    ("p_lead", {"stage": "visit", "on": "2019-01-01"}, "on",
     "日期 2019-01-01 早于上一阶段「线索」的日期 2019-01-05"),
    ("p_signed", {"stage": "visit", "on": "2019-04-01"}, "note", "退回到「考察」必须说明原因"),
    ("p_signed", {"stage": "on_hold", "on": "2019-04-01"}, "note", "暂缓必须说明原因"),
    ("p_signed", {"stage": "dropped", "on": "2019-04-01", "note": "  "}, "note", "终止必须说明原因"),
    ("p_ent", {"stage": "on_hold", "on": "2019-07-01", "note": "x"}, "stage",
     "已投产的项目不能暂缓或终止"),
    ("p_signed", {"stage": "visit", "on": "2019-04-01", "note": "长" * 501}, "note",
     "说明不超过 500 个字"),
]  # fmt: skip


@pytest.mark.parametrize(("key", "body", "field", "message"), STAGE_ERRORS)
def test_stage_rule_errors_are_422_with_the_service_message(
    pipeline, api_as, key, body, field, message
):
    p = getattr(pipeline, key)
    p.refresh_from_db()
    before = state(p)
    r = api_as("zone_admin").post(
        f"/investment/projects/{p.pk}/stage", {**body, "version": p.version}
    )
    assert r.status_code == 422, r.content
    if message is None:  # the date's message names today
        today = services.today()
        message = f"日期 2099-01-01 晚于今天({today})"
    assert errors(r) == [(field, message)]
    assert state(p) == before


def test_dropped_project_cannot_move_again(pipeline, api_as):
    p = pipeline.p_other
    api = api_as("zone_admin")
    r = api.post(
        f"/investment/projects/{p.pk}/stage",
        {"stage": "dropped", "on": "2019-02-01", "note": "投资方放弃", "version": 1},
    )
    assert r.status_code == 200
    assert r.json()["allowed_moves"] == []
    r = api.post(
        f"/investment/projects/{p.pk}/stage",
        {"stage": "negotiation", "on": "2019-03-01", "version": 2},
    )
    assert errors(r) == [("stage", "项目已终止,不能再变更阶段;如需重启请新建项目")]


def test_stage_move_stale_version_and_access(pipeline, api_as):
    p = pipeline.p_lead
    before = state(p)
    move = {"stage": "visit", "on": "2019-02-01"}
    r = api_as("zone_admin").post(f"/investment/projects/{p.pk}/stage", {**move, "version": 3})
    assert (r.status_code, r.json()["current_version"]) == (409, 1)
    r = api_as("zone_admin").post(f"/investment/projects/{p.pk}/stage", move)
    assert errors(r) == [("version", "请提供编辑开始时的版本号(请求体 version 或 If-Match 请求头)")]
    other = pipeline.p_other
    r = api_as("staff").post(f"/investment/projects/{other.pk}/stage", {**move, "version": 1})
    assert r.status_code == 403
    r = api_as("staff").post(
        f"/investment/projects/{pipeline.p_b.pk}/stage", {**move, "version": 1}
    )
    assert r.status_code == 404
    assert state(p) == before


# --- commitments and funds ------------------------------------------------------------------


def test_commitment_needs_a_signed_project(pipeline, api_as):
    p = pipeline.p_lead
    r = put(api_as("zone_admin"), f"/investment/projects/{p.pk}/commitment", {"jobs": 10})
    assert r.status_code == 422
    assert errors(r) == [("stage", "项目签约后才能登记投资承诺")]
    assert not Commitment.objects.filter(project=p).exists()


def test_commitment_replace_with_version(pipeline, api_as):
    p = pipeline.p_signed
    api = api_as("staff")
    url = f"/investment/projects/{p.pk}/commitment"
    body = {
        "investment": "160000",
        "funds_in_place": "40000",
        "funds_by": "2020-06-30",
        "start_by": "2019-12-31",
        "production_by": "2021-06-30",
        "jobs": 900,
    }
    missing = put(api, url, body)
    assert errors(missing) == [("version", "该项目已有投资承诺,请提供其版本号(commitment.version)")]
    stale = put(api, url, {**body, "version": 5})
    assert (stale.status_code, stale.json()["current_version"]) == (409, 1)
    bad = put(api, url, {**body, "production_by": "2019-01-01", "version": 1})
    assert errors(bad) == [("production_by", "投产期限(2019-01-01)不能早于开工期限(2019-12-31)")]
    assert Commitment.objects.get(project=p).investment == Decimal("150000")
    r = put(api, url, {**body, "version": 1})
    assert r.status_code == 200, r.content
    commitment = r.json()["commitment"]
    assert (commitment["investment"], commitment["version"], commitment["land_mu"]) == (
        "160000",
        2,
        None,  # a PUT replaces the whole commitment
    )
    assert (
        put(
            api_as("staff"), f"/investment/projects/{pipeline.p_other.pk}/commitment", {}
        ).status_code
        == 403
    )


def test_funds_add_and_delete(pipeline, api_as):
    p = pipeline.p_signed
    api = api_as("staff")
    r = api.post(
        f"/investment/projects/{p.pk}/funds",
        {"on": "2019-06-01", "amount": "5000.25", "source": "foreign", "note": "首笔"},
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["amount"], body["source_name"], body["actor_name"]) == (
        "5000.25",
        "境外资金",
        "staff",
    )
    entry = FundsEntry.objects.get(pk=body["id"])
    no_reason = api.delete(f"/investment/funds/{entry.pk}")
    assert errors(no_reason) == [("reason", "删除到位资金记录必须填写理由")]
    assert (
        api_as("leader").delete(f"/investment/funds/{entry.pk}", reason="录错").status_code == 403
    )
    assert (
        api_as("enterprise").delete(f"/investment/funds/{entry.pk}", reason="x").status_code == 404
    )
    assert FundsEntry.objects.filter(pk=entry.pk).exists()
    assert api.delete(f"/investment/funds/{entry.pk}", reason="录错").status_code == 204
    assert not FundsEntry.objects.filter(pk=entry.pk).exists()
    assert api.delete(f"/investment/funds/{entry.pk}", reason="再删").status_code == 404


@pytest.mark.parametrize(
    ("key", "body", "expected"),
    [
        ("p_signed", {"on": "2019-06-01", "amount": "0"}, [("amount", "到位金额应大于 0")]),
        (
            "p_signed",
            {"on": "2019-01-01", "amount": "10"},
            [("on", "到位日期不能早于签约日期 2019-03-10")],
        ),
        ("p_lead", {"on": "2019-06-01", "amount": "10"}, [("stage", "项目签约后才能登记到位资金")]),
        ("p_signed", {"on": "2019-06-01", "amount": "10", "source": "moon"}, None),
    ],
)
def test_funds_validation_writes_nothing(pipeline, api_as, key, body, expected):
    p = getattr(pipeline, key)
    before = (FundsEntry.objects.count(), audit_count())
    r = api_as("zone_admin").post(f"/investment/projects/{p.pk}/funds", body)
    assert r.status_code == 422
    if expected:
        assert errors(r) == expected
    assert (FundsEntry.objects.count(), audit_count()) == before


def test_funds_on_a_project_the_user_may_not_change(pipeline, api_as):
    body = {"on": "2019-06-01", "amount": "10"}
    assert (
        api_as("enterprise")
        .post(f"/investment/projects/{pipeline.p_ent.pk}/funds", body)
        .status_code
        == 403
    )
    assert (
        api_as("staff").post(f"/investment/projects/{pipeline.p_b.pk}/funds", body).status_code
        == 404
    )
    assert FundsEntry.objects.count() == 0


# --- documents ------------------------------------------------------------------------------


def tiny_png() -> bytes:
    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


TINY_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def upload(client, user, project, name, content, kind="agreement", content_type="application/pdf"):
    data = {"file": SimpleUploadedFile(name, content, content_type=content_type)}
    if kind is not None:
        data["kind"] = kind
    return client.post(
        f"/api/v1/investment/projects/{project.pk}/documents", data, headers=bearer(user)
    )


def test_document_upload_download_delete(pipeline, client, api_as):
    w, p = pipeline.world, pipeline.p_signed
    r = upload(client, w.staff, p, "投资协议.pdf", TINY_PDF)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["name"], body["kind_name"], body["size"], body["content_type"]) == (
        "投资协议.pdf",
        "投资协议",
        len(TINY_PDF),
        "application/pdf",
    )
    assert r["Location"] == body["url"] == f"/api/v1/investment/documents/{body['id']}"
    document = Document.objects.get(pk=body["id"])
    assert "投资协议" not in document.file.name  # the stored name is random
    detail = api_as("leader").get(f"/investment/projects/{p.pk}").json()
    assert detail["documents"] == [body]
    assert "file" not in detail["documents"][0] and "path" not in detail["documents"][0]

    download = api_as("province").get(f"/investment/documents/{document.pk}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == TINY_PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"] == (
        f'attachment; filename="document-{document.pk}.pdf"; '
        f"filename*=UTF-8''{quote('投资协议.pdf')}"
    )
    assert api_as("enterprise").get(f"/investment/documents/{document.pk}").status_code == 404

    leader = api_as("leader").delete(f"/investment/documents/{document.pk}")
    assert (leader.status_code, leader.json()["detail"]) == (403, "无权删除该材料")
    assert api_as("staff").delete(f"/investment/documents/{document.pk}").status_code == 204
    assert api_as("staff").get(f"/investment/documents/{document.pk}").status_code == 404
    assert api_as("staff").get(f"/investment/projects/{p.pk}").json()["documents"] == []


def test_png_upload_with_an_ascii_name(pipeline, client, api_as):
    r = upload(
        client,
        pipeline.world.zone_admin,
        pipeline.p_lead,
        "site.png",
        tiny_png(),
        "photo",
        "image/png",
    )
    assert r.status_code == 201, r.content
    download = api_as("staff").get(f"/investment/documents/{r.json()['id']}")
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"] == (
        "attachment; filename=\"site.png\"; filename*=UTF-8''site.png"
    )


@pytest.mark.parametrize(
    ("name", "content", "kind", "expected"),
    [
        (
            "setup.exe",
            b"MZ\x90\x00" + b"\x00" * 60,
            "other",
            [("file", "不支持的文件类型「exe」,可上传:doc、docx、jpeg、jpg、pdf、png、xls、xlsx")],
        ),
        (
            "协议.pdf",
            b"this is not a pdf at all",
            "agreement",
            [("file", "文件内容与扩展名 .pdf 不符(可能已损坏或被改名)")],
        ),
        (
            "照片.pdf",
            tiny_png(),
            "photo",
            [("file", "文件内容与扩展名 .pdf 不符(可能已损坏或被改名)")],
        ),
        ("协议.pdf", b"", "agreement", [("file", "文件是空的")]),
        ("协议.pdf", TINY_PDF, "secret", [("kind", "无效的材料类型 secret")]),
        ("协议.pdf", TINY_PDF, None, [("kind", "此项为必填项")]),
    ],
)
def test_bad_uploads_write_nothing(pipeline, client, name, content, kind, expected, settings):
    before = (Document.objects.count(), audit_count())
    r = upload(client, pipeline.world.zone_admin, pipeline.p_signed, name, content, kind)
    assert r.status_code == 422, r.content
    assert errors(r) == expected
    assert (Document.objects.count(), audit_count()) == before
    media = settings.MEDIA_ROOT / "investment"
    assert not media.exists() or not any(media.rglob("*"))


def test_too_large_upload(pipeline, client, settings):
    settings.DOCUMENT_MAX_MB = 1
    content = TINY_PDF + b"0" * (1024 * 1024 + 10)
    r = upload(client, pipeline.world.zone_admin, pipeline.p_signed, "大文件.pdf", content)
    assert r.status_code == 422
    assert errors(r) == [("file", "文件大小 1.0 MB 超过上限 1 MB")]
    assert Document.objects.count() == 0


def test_upload_without_a_file_and_by_the_wrong_user(pipeline, client):
    w = pipeline.world
    r = client.post(
        f"/api/v1/investment/projects/{pipeline.p_signed.pk}/documents",
        {"kind": "agreement"},
        headers=bearer(w.zone_admin),
    )
    assert r.status_code == 422
    assert errors(r) == [("file", "此项为必填项")]
    assert upload(client, w.leader, pipeline.p_signed, "a.pdf", TINY_PDF).status_code == 403
    assert upload(client, w.staff, pipeline.p_other, "a.pdf", TINY_PDF).status_code == 403
    assert upload(client, w.staff, pipeline.p_b, "a.pdf", TINY_PDF).status_code == 404
    assert upload(client, w.enterprise, pipeline.p_ent, "a.pdf", TINY_PDF).status_code == 403
    assert Document.objects.count() == 0


# --- campaigns ------------------------------------------------------------------------------


CAMPAIGN = {
    "name": "百日招商",
    "start": "2020-01-01",
    "end": "2020-04-09",
    "target_projects": 8,
    "target_investment": "1198000",
    "target_large": 4,
}


def test_campaign_lifecycle_and_progress(quarter, api_as):
    api = api_as("zone_admin")
    r = api.post("/investment/campaigns", CAMPAIGN)
    assert r.status_code == 201, r.content
    body = r.json()
    assert r["Location"] == f"/api/v1/investment/campaigns/{body['id']}"
    assert (body["zone"], body["target_investment"], body["version"]) == ("ZA", "1198000", 1)
    # Signed inside the window: 5000, 20000, 600000, 30000.25 and 800000 (2020-04-01).
    assert body["figures"]["signed"] == {"count": 5, "investment_wan": 1455000.25}
    assert (body["figures"]["over_100m"], body["figures"]["class_5020"]) == (4, 2)
    assert body["progress"] == {
        "projects": 62.5,
        "investment": 121.5,
        "large": 100.0,
        "time": 100.0,
    }
    assert (body["days_elapsed"], body["days_total"]) == (100, 100)
    daily = {d["date"]: d for d in body["daily"]}
    assert len(daily) == 100
    assert daily["2020-01-15"] == {"date": "2020-01-15", "signed": 1, "investment_wan": 5000}
    assert daily["2020-02-01"]["investment_wan"] == 35000.25

    campaign_id = body["id"]
    listed = api_as("leader").get("/investment/campaigns").json()
    assert [c["name"] for c in listed["items"]] == ["百日招商"]
    assert api_as("leader").get(f"/investment/campaigns/{campaign_id}").json()["id"] == campaign_id

    stale = api.patch(f"/investment/campaigns/{campaign_id}", {"version": 9, "name": "新"})
    assert (stale.status_code, stale.json()["current_version"]) == (409, 1)
    bad = api.patch(f"/investment/campaigns/{campaign_id}", {"version": 1, "end": "2019-12-01"})
    assert errors(bad) == [("end", "结束日期不能早于开始日期")]
    ok = api.patch(f"/investment/campaigns/{campaign_id}", {"version": 1, "target_projects": 10})
    assert (ok.status_code, ok.json()["progress"]["projects"], ok.json()["version"]) == (
        200,
        50.0,
        2,
    )

    for role in ("staff", "leader"):
        denied = api_as(role).patch(
            f"/investment/campaigns/{campaign_id}", {"version": 2, "name": "x"}
        )
        assert denied.status_code == 403, role
        assert api_as(role).delete(f"/investment/campaigns/{campaign_id}").status_code == 403
    assert api_as("province").delete(f"/investment/campaigns/{campaign_id}").status_code == 403
    assert Campaign.objects.get(pk=campaign_id).name == "百日招商"
    assert api.delete(f"/investment/campaigns/{campaign_id}").status_code == 204
    assert api.get(f"/investment/campaigns/{campaign_id}").status_code == 404


@pytest.mark.parametrize(
    ("role", "zone", "status"),
    [
        ("staff", None, 403),
        ("leader", None, 403),
        ("province", "ZA", 403),
        ("province", None, 422),
        ("enterprise", None, 403),
        ("admin", None, 422),
    ],
)
def test_campaign_create_refused(pipeline, api_as, role, zone, status):
    r = api_as(role).post("/investment/campaigns", {**CAMPAIGN, "zone": zone})
    assert r.status_code == status
    assert Campaign.objects.count() == 0


def test_campaigns_are_invisible_to_enterprise_users_and_other_zones(pipeline, api_as):
    campaign = plans.create_campaign(
        pipeline.world.admin,
        pipeline.world.zone_b,
        name="乙区招商月",
        start=D(2020, 1, 1),
        end=D(2020, 1, 31),
    )
    r = api_as("enterprise").get("/investment/campaigns")
    assert (r.status_code, r.json()["detail"]) == (403, "无权查看招商活动")
    assert api_as("enterprise").get(f"/investment/campaigns/{campaign.pk}").status_code == 404
    assert api_as("staff").get("/investment/campaigns").json()["items"] == []
    assert api_as("staff").get(f"/investment/campaigns/{campaign.pk}").status_code == 404
    assert api_as("province").get("/investment/campaigns").json()["count"] == 1


def test_campaign_bad_input(pipeline, api_as):
    api = api_as("zone_admin")
    r = api.post("/investment/campaigns", {**CAMPAIGN, "end": "2019-12-31"})
    assert errors(r) == [("end", "结束日期不能早于开始日期")]
    r = api.post("/investment/campaigns", {**CAMPAIGN, "name": ""})
    assert [f for f, _m in errors(r)] == ["name"]
    assert Campaign.objects.count() == 0


# --- department targets ---------------------------------------------------------------------


def test_targets_with_progress(pipeline, api_as):
    api = api_as("zone_admin")
    r = put(
        api,
        "/investment/targets",
        {
            "department": "经济发展局",
            "year": 2019,
            "target_projects": 2,
            "target_investment": "300000",
            "target_large": 4,
        },
    )
    assert r.status_code == 200, r.content
    assert r.json() == {
        "department_id": pipeline.world.dept_a.pk,
        "department": "经济发展局",
        "year": 2019,
        "target_projects": 2,
        "target_investment": "300000",
        "target_large": 4,
        "signed": 1,
        "signed_investment_wan": 150000,
        "large": 1,
        "started": 0,
        "production": 1,
        "progress": {"projects": 50.0, "investment": 50.0, "large": 25.0, "time": None},
    }
    body = api_as("leader").get("/investment/targets", year=2019).json()
    assert (body["zone"], body["year"]) == ("ZA", 2019)
    assert [(i["department"], i["signed"], i["target_projects"]) for i in body["items"]] == [
        ("招商二局", 0, None),
        ("经济发展局", 1, 2),
    ]
    # Targets of another year are not mixed in.
    other = api_as("leader").get("/investment/targets", year=2020).json()
    assert [i["target_projects"] for i in other["items"]] == [None, None]


def test_targets_refused(pipeline, api_as):
    body = {"department": "经济发展局", "year": 2019, "target_projects": 2}
    for role in ("staff", "leader", "enterprise"):
        assert put(api_as(role), "/investment/targets", body).status_code == 403, role
    assert put(api_as("province"), "/investment/targets", {**body, "zone": "ZA"}).status_code == 403
    bad = put(api_as("zone_admin"), "/investment/targets", {**body, "year": 1999})
    assert errors(bad) == [("year", f"年度应在 2000 至 {services.today().year + 1} 之间")]
    unknown = put(api_as("zone_admin"), "/investment/targets", {**body, "department": "外星局"})
    assert errors(unknown) == [("department", "本园区没有部门「外星局」")]
    assert DepartmentTarget.objects.count() == 0
    assert api_as("enterprise").get("/investment/targets").status_code == 403
    assert errors(api_as("zone_admin").get("/investment/targets", year=1990)) == [
        ("year", f"年度应在 2000 至 {services.today().year + 1} 之间")
    ]


# --- thresholds -----------------------------------------------------------------------------


def test_thresholds_read_and_set(quarter, api_as):
    staff = api_as("staff").get("/investment/thresholds")
    assert staff.json() == {
        "zone": "ZA",
        "large": "10000",
        "class_5020": "500000",
        "version": 1,
        "saved": False,
    }
    api = api_as("zone_admin")
    r = put(api, "/investment/thresholds", {"large": "25000", "class_5020": "200000"})
    assert r.status_code == 200, r.content
    assert (r.json()["large"], r.json()["saved"], r.json()["version"]) == ("25000", True, 1)
    # The summary counts by the zone's own thresholds now.
    summary = api.get("/investment/summary", period="2020Q1", category="industrial").json()
    assert (summary["over_100m"], summary["class_5020"]) == (1, 1)
    assert summary["thresholds"] == {"large_wan": 25000, "class_5020_wan": 200000}

    missing = put(api, "/investment/thresholds", {"large": "30000", "class_5020": "200000"})
    assert errors(missing) == [
        ("version", "请提供编辑开始时的版本号(请求体 version 或 If-Match 请求头)")
    ]
    stale = put(api, "/investment/thresholds", {"large": "1", "class_5020": "2", "version": 4})
    assert (stale.status_code, stale.json()["current_version"]) == (409, 1)
    zero = put(api, "/investment/thresholds", {"large": "0", "class_5020": "2", "version": 1})
    assert errors(zero) == [("large", "门槛应为大于 0 的金额(万元)")]
    ok = put(
        api,
        "/investment/thresholds",
        {"large": "30000", "class_5020": "200000"},
        headers={"If-Match": '"1"'},
    )
    assert (ok.status_code, ok.json()["version"], ok["ETag"]) == (200, 2, '"2"')


@pytest.mark.parametrize("role", ["staff", "leader", "province"])
def test_thresholds_may_be_set_by_admins_only(pipeline, api_as, role):
    r = put(api_as(role), "/investment/thresholds", {"zone": "ZA", "large": "1", "class_5020": "2"})
    assert r.status_code == 403
    assert r.json()["detail"] == "只有园区管理员可以设置项目规模门槛"
    assert not Thresholds.objects.exists()


def test_thresholds_zone_and_enterprise(pipeline, api_as):
    assert api_as("enterprise").get("/investment/thresholds").status_code == 403
    assert api_as("province").get("/investment/thresholds").json()["zone"] == "ZA"
    assert api_as("province").get("/investment/thresholds", zone="ZB").json()["zone"] == "ZB"
    admin = put(
        api_as("admin"), "/investment/thresholds", {"zone": "ZB", "large": "1", "class_5020": "2"}
    )
    assert admin.status_code == 200
    assert Thresholds.objects.get().zone == pipeline.world.zone_b


def test_download_of_a_file_lost_on_disk_is_404(pipeline, client, api_as):
    r = upload(client, pipeline.world.zone_admin, pipeline.p_signed, "协议.pdf", TINY_PDF)
    document = Document.objects.get(pk=r.json()["id"])
    document.file.storage.delete(document.file.name)
    lost = api_as("zone_admin").get(f"/investment/documents/{document.pk}")
    assert lost.status_code == 404
    assert lost.json() == {"detail": "材料文件已丢失,请重新上传", "errors": []}
