"""The issue's closed loop through the pages on a controlled clock: an enterprise user raises a help
request, it reaches the right department's inbox, turns yellow then red, is escalated to the
leader, resolved and rated; each step audited; nobody outside its scope sees it."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from gaoxin.core.models import AuditRecord, Notification
from gaoxin.matters import catalogue, notify
from gaoxin.matters.models import Category, Kind, Matter, Status
from tests.factories import DepartmentFactory, member

pytestmark = pytest.mark.django_db


def at(day: int, hour: int = 9):
    return time_machine.travel(
        datetime.datetime(2026, 11, day, hour, tzinfo=datetime.UTC), tick=False
    )


def inbox_lights(client) -> dict[str, str]:
    html = client.get(reverse("matters:inbox")).content.decode()
    rows = html.split('class="inbox-row"')[1:]
    found = {}
    for row in rows:
        light = row.split('data-light="', 1)[1].split('"', 1)[0]
        number = row.split('class="matter-link">', 1)[1].split("<", 1)[0]
        found[number] = light
    return found


def test_help_request_loop_through_the_pages(client, world):
    catalogue.ensure_categories(world.zone_a)
    funding = Category.objects.get(zone=world.zone_a, kind=Kind.HELP, code="funding")
    funding.department, funding.service_days = world.dept_a, 5
    funding.save()
    other_dept = DepartmentFactory(zone=world.zone_a, name="科技局")
    outsider_staff = member("zone_staff", username="staff_b", zone=world.zone_a,
                            department=other_dept)  # fmt: skip
    other_zone = member("zone_admin", username="zb_admin", zone=world.zone_b)
    other_enterprise = member("enterprise_user", username="a2_user", zone=world.zone_a,
                              enterprise=world.a2)  # fmt: skip

    with at(2):  # Monday: the enterprise raises it
        client.force_login(world.enterprise)
        r = client.post(
            reverse("matters:create"),
            {"category": funding.pk, "title": "流动资金紧张", "description": "需对接银行贷款",
             "contact": "李经理 13800000000"},
        )  # fmt: skip
        assert r.status_code == 302
        matter = Matter.objects.get(title="流动资金紧张")
        number = matter.number
        assert matter.department == world.dept_a and matter.due_on == datetime.date(2026, 11, 9)
        detail = reverse("matters:detail", args=[matter.pk])
        client.force_login(world.staff)
        assert inbox_lights(client) == {number: "green"}
        assert 'id="bell-count">1</span>' in client.get(detail).content.decode()
        for outsider in (outsider_staff, world.leader):
            client.force_login(outsider)
            assert inbox_lights(client) == {}
        for stranger in (other_zone, other_enterprise):
            client.force_login(stranger)
            assert client.get(detail).status_code == 404
            assert number not in client.get(reverse("matters:list")).content.decode()

    with at(6):  # Friday: due Monday, yellow
        notify.run_daily()
        client.force_login(world.staff)
        assert inbox_lights(client) == {number: "yellow"}
        assert Notification.objects.filter(user=world.staff, kind="matters.due_soon").count() == 1
        html = client.get(reverse("matters:list") + "?light=yellow").content.decode()
        assert 'id="result-count">1 件' in html

    with at(10):  # Tuesday after: red; the officer escalates it
        notify.run_daily()
        client.force_login(world.staff)
        assert inbox_lights(client) == {number: "red"}
        r = client.post(reverse("matters:escalate", args=[matter.pk]), {"reason": "需园区协调银行"})
        assert r.status_code == 302
        client.force_login(world.leader)
        assert inbox_lights(client) == {number: "red"}
        assert Notification.objects.filter(user=world.leader, kind="matters.escalated").count() == 1
        r = client.post(
            reverse("matters:comment", args=[matter.pk]), {"text": "请经发局本周内解决"}
        )
        assert r.status_code == 302

    with at(11):  # the department starts and resolves it
        client.force_login(world.staff)
        matter.refresh_from_db()
        r = client.post(
            reverse("matters:status", args=[matter.pk]),
            {"version": matter.version, "to": "in_progress", "text": "已联系工商银行"},
        )
        assert r.status_code == 302
        matter.refresh_from_db()
        r = client.post(
            reverse("matters:status", args=[matter.pk]),
            {"version": matter.version, "to": "resolved", "text": "已获批流动资金贷款 500 万元"},
        )
        assert r.status_code == 302
        assert inbox_lights(client) == {}
        client.force_login(world.enterprise)
        assert 'data-light="done"' in client.get(detail).content.decode()
        r = client.post(
            reverse("matters:rate", args=[matter.pk]), {"rating": "5", "comment": "高效"}
        )
        assert r.status_code == 302

    matter.refresh_from_db()
    assert matter.status == Status.CLOSED and matter.rating == 5
    actions = list(
        AuditRecord.objects.for_object(matter).order_by("id").values_list("action", flat=True)
    )
    # raised, escalated, commented, started, resolved, rated
    assert actions == ["create", "status", "update", "status", "status", "status"]
