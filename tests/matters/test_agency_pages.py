"""The agency pages: the list (who sees which cases, progress, elapsed days, query count), the
panel on the case's page, and its actions with bad input, stale versions and refusals (nothing
changed)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from gaoxin.core.models import AuditRecord
from gaoxin.investment import services as investment
from gaoxin.matters import agency, catalogue, services
from gaoxin.matters.models import Appointment, ApprovalItem, Category, Kind

pytestmark = pytest.mark.django_db

D = datetime.date
NOW = datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC)  # Monday 18:00 in Shanghai


@pytest.fixture
def cases(world):
    catalogue.ensure_categories(world.zone_a)
    cats = {c.code: c for c in Category.objects.filter(zone=world.zone_a, kind=Kind.AGENCY)}
    made = []
    with time_machine.travel(NOW, tick=False):
        for n in range(3):
            project = investment.create_project(
                world.admin, world.zone_a, stage="signed", on=D(2026, 3, 1),
                name=f"甲代办项目{n}", investor_name="某投资方",
                planned_investment=Decimal("30000"),
            )  # fmt: skip
            matter = services.create_matter(
                world.zone_admin, world.zone_a, kind="agency", title=f"代办{n}", project=project,
                enterprise=world.a1 if n == 0 else world.a2, department=world.dept_a,
                officer=world.staff, helpers=[world.zone_admin],
            )  # fmt: skip
            items = agency.set_checklist(
                world.staff, matter, [cats["project_filing"].pk, cats["construction_permit"].pk]
            )
            agency.update_item(
                world.staff, items[0], version=1, state="approved", submitted_on=D(2026, 10, 26),
                approved_on=D(2026, 10, 28),
            )  # fmt: skip
            made.append(matter)
        pb = investment.create_project(
            world.admin, world.zone_b, stage="signed", on=D(2026, 3, 1), name="乙代办项目",
            investor_name="某投资方", planned_investment=Decimal("30000"),
        )  # fmt: skip
        other = services.create_matter(
            world.admin, world.zone_b, kind="agency", title="乙代办", project=pb
        )
    world.cases, world.other, world.cats = made, other, cats
    return world


def test_list_roles_and_figures(client, cases, django_assert_max_num_queries):
    w = cases
    with time_machine.travel(NOW, tick=False):
        client.force_login(w.staff)
        with django_assert_max_num_queries(14):
            html = client.get("/matters/agency/").content.decode()
        assert html.count('id="case-') == 3 and "乙代办" not in html
        assert "1/2" in html and "甲代办项目0" in html
        # progress from 26 Oct (first acceptance) to today: 5 working days
        assert '<td class="case-elapsed">5</td>' in html
        client.force_login(w.enterprise)  # only its own enterprise's case
        html = client.get("/matters/agency/").content.decode()
        assert html.count('id="case-') == 1 and "甲代办项目0" in html
        client.force_login(w.province)
        assert client.get("/matters/agency/").status_code == 200
        client.force_login(w.staff)
        html = client.get("/matters/agency/?q=项目1&state=all&mine=1").content.decode()
        assert html.count('id="case-') == 1
        html = client.get("/matters/agency/?state=done").content.decode()
        assert html.count('id="case-') == 0
    client.logout()
    assert client.get("/matters/agency/").status_code == 302


def test_panel_on_detail(client, cases):
    w = cases
    case = w.cases[0]
    with time_machine.travel(NOW, tick=False):
        client.force_login(w.staff)
        html = client.get(f"/matters/{case.pk}/").content.decode()
        assert 'id="agency-panel"' in html and 'id="checklist-form"' in html
        assert "项目备案/核准" in html and 'id="appointment-form"' in html
        client.force_login(w.enterprise)  # reads the checklist, no forms
        html = client.get(f"/matters/{case.pk}/").content.decode()
        assert 'id="agency-panel"' in html and "施工许可" in html
        assert 'id="checklist-form"' not in html and 'id="appointment-form"' not in html


def snapshot():
    return (
        list(ApprovalItem.objects.order_by("id").values_list("state", "version", "submitted_on")),
        list(Appointment.objects.order_by("id").values_list("is_cancelled", "place")),
        AuditRecord.objects.exclude(action="login").count(),
    )


def test_actions(client, cases):
    w = cases
    case = w.cases[1]
    permit = ApprovalItem.objects.get(matter=case, category__code="construction_permit")
    with time_machine.travel(NOW, tick=False):
        client.force_login(w.staff)
        r = client.post(
            f"/matters/items/{permit.pk}/",
            {"version": 1, "state": "submitted", "submitted_on": "2026-10-30", "approver": "王"},
        )
        assert r.status_code == 302 and r.url.endswith(f"/matters/{case.pk}/#agency-panel")
        permit.refresh_from_db()
        assert permit.state == "submitted" and permit.due_on == D(2026, 11, 10)
        before = snapshot()
        # stale version, bad dates, a bad state: a message each, nothing changed
        for data, message in (
            ({"version": 1, "state": "preparing"}, "已被他人修改"),
            ({"version": 2, "state": "approved", "submitted_on": "2026-10-30"}, "办结日期"),
            ({"version": 2, "state": "nope"}, "选择一个有效的选项"),
            ({"version": 2, "state": "submitted", "submitted_on": "2026-12-30"}, "不能晚于今天"),
        ):
            r = client.post(f"/matters/items/{permit.pk}/", data, follow=True)
            assert message in r.content.decode(), data
        assert snapshot() == before
        # checklist: add EIA, refusing to drop the accepted permit
        eia = w.cats["eia"]
        filing = w.cats["project_filing"]
        r = client.post(f"/matters/{case.pk}/items/", {"categories": [filing.pk]}, follow=True)
        assert "不能移出清单" in r.content.decode()
        assert snapshot() == before
        client.post(
            f"/matters/{case.pk}/items/",
            {"categories": [filing.pk, w.cats["construction_permit"].pk, eia.pk]},
        )
        assert case.approval_items.count() == 3
        # appointments
        r = client.post(
            f"/matters/{case.pk}/appointments/",
            {"mode": "on_site", "starts_at": "2026-11-05T09:30", "place": "项目现场", "item": ""},
        )
        assert r.status_code == 302
        appt = Appointment.objects.get(matter=case)
        assert timezone.localtime(appt.starts_at).hour == 9
        r = client.post(
            f"/matters/{case.pk}/appointments/",
            {"mode": "after_hours", "starts_at": "2026-11-05T10:00", "place": "中心"},
            follow=True,
        )
        assert "延时办理" in r.content.decode()
        assert Appointment.objects.filter(matter=case).count() == 1
        r = client.post(f"/matters/appointments/{appt.pk}/cancel/", {"reason": ""}, follow=True)
        assert not Appointment.objects.get(pk=appt.pk).is_cancelled
        client.post(f"/matters/appointments/{appt.pk}/cancel/", {"reason": "企业改期"})
        assert Appointment.objects.get(pk=appt.pk).is_cancelled
        # the enterprise, a leader and the province may not act; another zone's case is 404
        before = snapshot()
        for user in (w.enterprise, w.leader, w.province):
            client.force_login(user)
            assert client.post(f"/matters/items/{permit.pk}/", {"version": 3}).status_code == 404
            assert client.post(f"/matters/{case.pk}/items/", {}).status_code == 404
            r = client.post(
                f"/matters/{case.pk}/appointments/",
                {"mode": "on_site", "starts_at": "2026-11-05T09:30", "place": "x"},
            )
            assert r.status_code == 404
        client.force_login(w.staff)
        assert client.post(f"/matters/{w.other.pk}/items/", {}).status_code == 404
        assert client.get(f"/matters/items/{permit.pk}/").status_code == 405
        assert snapshot() == before
