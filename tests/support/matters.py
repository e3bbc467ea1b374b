"""Matters on top of the world (tests/support/world.py), built through the services."""

from gaoxin.matters import catalogue, services
from tests.factories import DepartmentFactory

MATTERS = ("m_a1", "m_a2", "m_sched", "m_b", "m_c")


def build_matters(world) -> dict:
    """m_a1: a help request of a1 (dept_a); m_a2: a visit follow-up of a2 owned by another
    department (企业服务局); m_sched: an internal scheduling problem about a1 (dept_a); m_b and
    m_c: a visit in zone B and in zone C."""
    other_dept = DepartmentFactory(zone=world.zone_a, name="企业服务局")
    admin = world.admin
    return {
        "m_a1": services.create_matter(
            admin, world.zone_a, kind="help", title="招工难", enterprise=world.a1,
            category=catalogue.standard(world.zone_a, "help", "recruitment"),
            department=world.dept_a,
        ),
        "m_a2": services.create_matter(
            admin, world.zone_a, kind="visit", title="厂房漏水", enterprise=world.a2,
            department=other_dept,
        ),
        "m_sched": services.create_matter(
            admin, world.zone_a, kind="scheduling", title="用地指标", enterprise=world.a1,
            department=world.dept_a,
        ),
        "m_b": services.create_matter(
            admin, world.zone_b, kind="visit", title="乙区走访", enterprise=world.b1
        ),
        "m_c": services.create_matter(
            admin, world.zone_c, kind="visit", title="丙区走访", enterprise=world.c1
        ),
    }  # fmt: skip
