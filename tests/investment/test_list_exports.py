"""The .xlsx exports of the campaigns list and the department targets page: Chinese headers,
dates as dates, amounts as numbers in 万元, the year picked, another zone's rows absent, the
export audited, and 404 for enterprise users."""

import datetime
from decimal import Decimal
from urllib.parse import unquote

import pytest
import time_machine
from django.utils import timezone

from gaoxin.core.models import AuditRecord
from gaoxin.investment import plans
from gaoxin.investment import services as investment
from tests.factories import DepartmentFactory, member
from tests.support.spreadsheets import exported_sheet

pytestmark = pytest.mark.django_db

D = datetime.date
sheet = exported_sheet


def at(day):
    tz = timezone.get_current_timezone()
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=tz))


@pytest.fixture
def book(world):
    w = world
    w.admin_b = member("zone_admin", username="admin_b", zone=w.zone_b)
    w.dept_b = DepartmentFactory(zone=w.zone_b, name="乙区招商局")
    with at(D(2026, 6, 1)):
        for n, (on, wan) in enumerate(((D(2026, 3, 1), "80000"), (D(2025, 5, 1), "5000"))):
            investment.create_project(
                w.admin, w.zone_a, stage="signed", on=on, name=f"甲项目{n}",
                investor_name="某投资方", planned_investment=Decimal(wan), department=w.dept_a,
            )  # fmt: skip
        investment.create_project(
            w.admin, w.zone_b, stage="signed", on=D(2026, 3, 1), name="乙项目",
            investor_name="某投资方", planned_investment=Decimal("30000"), department=w.dept_b,
        )  # fmt: skip
        plans.create_campaign(
            w.zone_admin, w.zone_a, name="百日招商", start=D(2026, 1, 1), end=D(2026, 4, 10),
            target_projects=4, target_investment=Decimal("200000"), target_large=2,
        )  # fmt: skip
        plans.create_campaign(
            w.admin_b, w.zone_b, name="乙区招商月", start=D(2026, 3, 1), end=D(2026, 3, 31)
        )
        plans.set_department_target(
            w.zone_admin, w.zone_a, w.dept_a.pk, 2026, target_projects=5,
            target_investment=Decimal("150000.5"),
        )  # fmt: skip
        plans.set_department_target(w.admin_b, w.zone_b, w.dept_b.pk, 2026, target_projects=9)
    return w


def test_campaign_export(client, book):
    w = book
    with at(D(2026, 6, 1)):
        client.force_login(w.leader)
        r = client.get("/investment/campaigns/export/")
        head, rows = sheet(r)
        assert head[:3] == ("活动名称", "开始日期", "结束日期")
        assert "签约投资额(万元)" in head and "目标签约投资额(万元)" in head
        name = unquote(r["Content-Disposition"].split("''", 1)[1])
        assert name.startswith("招商活动清单-") and name.endswith(".xlsx")
        assert [row["活动名称"] for row in rows] == ["百日招商"]  # zone B's absent
        row = rows[0]
        assert row["开始日期"] == datetime.datetime(2026, 1, 1)
        assert row["签约项目数"] == 1 and row["签约投资额(万元)"] == 80000  # a number
        assert row["目标签约投资额(万元)"] == 200000 and row["亿元以上项目数"] == 1  # 8 亿元
        assert AuditRecord.objects.filter(action="export", actor=w.leader).count() == 1
        client.force_login(w.admin_b)
        _h, rows = sheet(client.get("/investment/campaigns/export/"))
        assert [row["活动名称"] for row in rows] == ["乙区招商月"]
        client.force_login(w.enterprise)
        assert client.get("/investment/campaigns/export/").status_code == 404
        client.force_login(w.zone_admin)
        html = client.get("/investment/campaigns/").content.decode()
        assert 'href="/investment/campaigns/export/"' in html


def test_target_export(client, book):
    w = book
    with at(D(2026, 6, 1)):
        client.force_login(w.staff)
        r = client.get("/investment/targets/export/?year=2026")
        head, rows = sheet(r)
        assert head[:2] == ("年度", "部门") and "目标签约投资额(万元)" in head
        assert [row["部门"] for row in rows] == [w.dept_a.name]  # zone B's department absent
        row = rows[0]
        assert row["年度"] == 2026 and row["签约项目数"] == 1 and row["目标签约项目数"] == 5
        assert row["签约计划总投资(万元)"] == 80000
        assert row["目标签约投资额(万元)"] == pytest.approx(150000.5)
        # the year picked: 2025 has the other project and no targets
        _h, rows = sheet(client.get("/investment/targets/export/?year=2025"))
        assert rows[0]["签约项目数"] == 1 and rows[0]["目标签约项目数"] is None
        assert rows[0]["签约计划总投资(万元)"] == 5000
        bad = client.get("/investment/targets/export/?year=abc")
        assert bad.status_code == 400 and "年度" in bad.content.decode()
        html = client.get("/investment/targets/?year=2025").content.decode()
        assert 'href="/investment/targets/export/?year=2025"' in html
        client.force_login(w.admin_b)
        _h, rows = sheet(client.get("/investment/targets/export/?year=2026"))
        assert [(row["部门"], row["目标签约项目数"]) for row in rows] == [("乙区招商局", 9)]
        client.force_login(w.enterprise)
        assert client.get("/investment/targets/export/").status_code == 404
