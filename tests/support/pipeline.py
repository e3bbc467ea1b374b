"""A small pipeline of investment projects on top of the world (tests/support/world.py), built
through the services.

Fixtures (registered in tests/conftest.py): `pipeline`, the same built for one test;
`pipeline_book`, projects along dated stages for the investment cockpit's figures."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from gaoxin.investment import services
from gaoxin.investment.models import Project
from tests.factories import DepartmentFactory, TagFactory

D = datetime.date
FIRST = D(2019, 1, 5)


def build_pipeline(world) -> SimpleNamespace:
    """zone_a: p_lead (dept_a, 线索), p_signed (dept_a, signed 2019-03-10 with a commitment),
    p_other (招商二局, 洽谈), p_ent (investor a1, in production); zone_b: p_b; zone_c: p_c."""
    admin = world.admin
    dept_a2 = DepartmentFactory(zone=world.zone_a, name="招商二局")
    chain = TagFactory(zone=world.zone_a, name="新材料")
    channel = TagFactory(zone=world.zone_a, name="以商招商", category="source_channel")

    def make(zone, name, *, stage="lead", on=FIRST, **data):
        data.setdefault("investor_name", f"{name}投资方")
        data.setdefault("planned_investment", Decimal("20000"))
        return services.create_project(admin, zone, stage=stage, on=on, name=name, **data)

    p_lead = make(world.zone_a, "甲线索项目", department=world.dept_a)
    p_signed = make(
        world.zone_a,
        "甲签约项目",
        stage="visit",
        on=D(2019, 1, 10),
        department=world.dept_a,
        chain=chain,
        channel=channel,
        industry="3974",
        planned_investment=Decimal("150000"),
    )
    services.move_stage(admin, p_signed, "signed", on=D(2019, 3, 10))
    services.save_commitment(
        admin,
        p_signed,
        {
            "investment": Decimal("150000"),
            "funds_in_place": Decimal("30000"),
            "funds_by": D(2020, 3, 31),
            "start_by": D(2019, 9, 30),
            "production_by": D(2021, 6, 30),
            "land_mu": Decimal("200"),
            "annual_output": Decimal("300000"),
            "annual_tax": Decimal("12000"),
            "jobs": 800,
        },
    )
    p_other = make(world.zone_a, "甲二局项目", stage="negotiation", department=dept_a2)
    p_ent = make(
        world.zone_a,
        "甲一扩产项目",
        stage="signed",
        on=D(2018, 5, 1),
        investor_enterprise=world.a1,
        department=world.dept_a,
    )
    services.move_stage(admin, p_ent, "started", on=D(2018, 8, 1))
    services.move_stage(admin, p_ent, "production", on=D(2019, 6, 1))
    p_b = make(world.zone_b, "乙项目", stage="signed", on=D(2019, 4, 1))
    p_c = make(world.zone_c, "丙项目")
    return SimpleNamespace(
        world=world,
        dept_a2=dept_a2,
        chain=chain,
        channel=channel,
        p_lead=p_lead,
        p_signed=p_signed,
        p_other=p_other,
        p_ent=p_ent,
        p_b=p_b,
        p_c=p_c,
        projects=[p_lead, p_signed, p_other, p_ent, p_b, p_c],
    )


@pytest.fixture
def pipeline(world) -> SimpleNamespace:
    return build_pipeline(world)


def build_project(actor, zone, name, path, *, planned, category="industrial", department=None):
    """A project entered at path[0] and moved through the rest: [(stage, date), ...]."""
    (stage, on), *rest = path
    project = services.create_project(
        actor,
        zone,
        stage=stage,
        on=on,
        name=name,
        investor_name=f"{name}投资方",
        planned_investment=Decimal(planned),
        category=category,
        department=department,
    )
    for stage, on in rest:
        project = services.move_stage(actor, project, stage, on=on)
    return project


@pytest.fixture
def pipeline_book(world) -> SimpleNamespace:
    """Projects whose stage dates the investment cockpit's figures are checked against (zone_a
    unless said; 计划总投资 in 万元; zone_a is national, so 5020 = 500000):
      p1 工业 10000 (exactly 1亿) 经济发展局: 考察 2019-11-20, 签约 2019-12-31, 开工 2020-01-01,
         投产 2020-03-31
      p2 工业 9999.9999 招商二局: 签约 2020-01-01
      p3 服务业 500000 (exactly the 5020 threshold) 招商二局: 线索 2020-01-15, 考察 2020-02-01,
         洽谈 2020-02-10, 签约 2020-03-31
      p4 工业 499999.9999 经济发展局: 考察 2020-03-01, 签约 2020-04-01
      p5 工业 20000, no department: 线索 2020-02-01
      gone 工业 80000 经济发展局: 签约 2020-02-01, then deleted (never counted)
      pb zone_b 工业 90000: 签约 2020-02-01 (never counted for zone_a)
    """
    admin, zone = world.admin, world.zone_a
    dept2 = DepartmentFactory(zone=zone, name="招商二局")
    p1 = build_project(
        admin,
        zone,
        "一号项目",
        [
            ("visit", D(2019, 11, 20)),
            ("signed", D(2019, 12, 31)),
            ("started", D(2020, 1, 1)),
            ("production", D(2020, 3, 31)),
        ],
        planned="10000",
        department=world.dept_a,
    )
    p2 = build_project(
        admin,
        zone,
        "二号项目",
        [("signed", D(2020, 1, 1))],
        planned="9999.9999",
        department=dept2,
    )
    p3 = build_project(
        admin,
        zone,
        "三号项目",
        [
            ("lead", D(2020, 1, 15)),
            ("visit", D(2020, 2, 1)),
            ("negotiation", D(2020, 2, 10)),
            ("signed", D(2020, 3, 31)),
        ],
        planned="500000",
        category="services",
        department=dept2,
    )
    p4 = build_project(
        admin,
        zone,
        "四号项目",
        [("visit", D(2020, 3, 1)), ("signed", D(2020, 4, 1))],
        planned="499999.9999",
        department=world.dept_a,
    )
    p5 = build_project(admin, zone, "五号项目", [("lead", D(2020, 2, 1))], planned="20000")
    gone = build_project(
        admin,
        zone,
        "已删除项目",
        [("signed", D(2020, 2, 1))],
        planned="80000",
        department=world.dept_a,
    )
    services.delete_project(admin, gone, reason="重复登记")
    pb = build_project(
        admin, world.zone_b, "乙区项目", [("signed", D(2020, 2, 1))], planned="90000"
    )
    return SimpleNamespace(
        world=world,
        zone=zone,
        dept_a=world.dept_a,
        dept2=dept2,
        p1=p1,
        p2=p2,
        p3=p3,
        p4=p4,
        p5=p5,
        gone=gone,
        pb=pb,
        projects=Project.objects.active().filter(zone=zone),
        thresholds=services.thresholds_for(zone),
    )


# Who sees, changes and deletes which of the pipeline's projects.
PROJECTS = ("p_lead", "p_signed", "p_other", "p_ent", "p_b", "p_c")
ZONE_A_PROJECTS = {"p_lead", "p_signed", "p_other", "p_ent"}
PROJECT_VIEW = {
    "admin": set(PROJECTS),
    "province": ZONE_A_PROJECTS | {"p_b"},
    "zone_admin": ZONE_A_PROJECTS,
    "leader": ZONE_A_PROJECTS,
    "staff": ZONE_A_PROJECTS,
    "enterprise": {"p_ent"},  # the project its enterprise invests in: its public status
}
PROJECT_CHANGE = {
    "admin": set(PROJECTS),
    "province": set(),
    "zone_admin": ZONE_A_PROJECTS,
    "leader": set(),
    "staff": {"p_lead", "p_signed", "p_ent"},  # their department's
    "enterprise": set(),
}
PROJECT_DELETE = {
    "admin": set(PROJECTS),
    "province": set(),
    "zone_admin": ZONE_A_PROJECTS,
    "leader": set(),
    "staff": set(),
    "enterprise": set(),
}
