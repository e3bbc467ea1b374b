"""The demo's agency cases and scheduling meetings (`matters.demo.agency.build_zone`) on a small
world-like zone: cases with checklists in various states and appointments, three meetings with
their problems (some resolved, some open, some overdue), a carried-over agenda and minutes."""

import datetime
import io
import random
from decimal import Decimal

import pytest
from docx import Document

from gaoxin.investment import services as investment
from gaoxin.matters import agency, meetings, minutes, services
from gaoxin.matters.demo import agency as demo
from gaoxin.matters.models import Appointment, ApprovalItem, Kind, Matter, Meeting
from tests.factories import DepartmentFactory, member

pytestmark = pytest.mark.django_db


def test_build_zone(world):
    zone = world.zone_a
    service_centre = DepartmentFactory(zone=zone, name="政务服务中心")
    member("zone_staff", username="zhengwu", zone=zone, department=service_centre)
    recruit = DepartmentFactory(zone=zone, name="招商局")
    member("zone_staff", username="zhaoshang", zone=zone, department=recruit)
    for n in range(12):
        investment.create_project(
            world.admin, zone, stage="signed", on=datetime.date(2026, 3, 1), name=f"演示项目{n}",
            investor_name="某投资方", planned_investment=Decimal(10000 + n),
        )  # fmt: skip
    today = services.today()
    summary = demo.build_zone(zone, random.Random(7), today)
    assert summary.cases == 8 and summary.meetings == 3 and summary.problems == 14
    assert summary.overdue_problems >= 2 and summary.appointments >= 2
    cases = Matter.objects.filter(zone=zone, kind=Kind.AGENCY)
    assert cases.count() == 8
    states = set(ApprovalItem.objects.filter(matter__in=cases).values_list("state", flat=True))
    assert {"approved", "pending"} <= states and states & {"submitted", "returned"}
    for item in ApprovalItem.objects.filter(matter__in=cases).select_related("category"):
        agency.check_item(item.state, item.submitted_on, item.approved_on)
        assert item.approved_on is None or item.approved_on <= today
    assert Appointment.objects.filter(matter__in=cases).exists()
    assert all(agency.progress(m).elapsed > 0 for m in cases)
    held = list(Meeting.objects.filter(zone=zone).order_by("held_on"))
    assert len(held) == 3 and held[-1].held_on < today
    problems = Matter.objects.filter(zone=zone, kind=Kind.SCHEDULING)
    assert problems.filter(status="resolved").exists()
    assert problems.light("red", today).exists() and problems.light("yellow", today).exists()
    assert not problems.filter(visible_to_enterprise=True).exists()
    agenda = meetings.agenda(held[-1], today)
    assert any(m.light_now == "red" for m in agenda) and any(m.light_now == "done" for m in agenda)
    assert meetings.agenda(held[0]) == []
    doc = Document(io.BytesIO(minutes.build(held[-1])))
    assert len(doc.tables) == 2
