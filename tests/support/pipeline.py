"""A small pipeline of investment projects on top of the world (tests/support/world.py), built
through the services.

Fixture (registered in tests/conftest.py): `pipeline`, the same built for one test."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from gaoxin.investment import services
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
