"""The service cockpit (服务总览): who reads it, its figures for a period on a controlled clock,
that every number links to the matter list showing exactly those matters, the help ledgers'
totals, bad periods, the .xlsx export and a fixed query count."""

import datetime
import io
import json
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from gaoxin.core.models import AuditRecord
from gaoxin.core.zones import SESSION_KEY
from gaoxin.matters import catalogue, services
from gaoxin.matters.models import Award, JobFair, JobOffer, Kind, Loan, Resumption
from tests.support.api import Api, bearer

pytestmark = pytest.mark.django_db

COCKPIT = reverse("matters:cockpit")
EXPORT = reverse("matters:cockpit_export")
READERS = ["admin", "province", "zone_admin", "leader", "staff"]
D = datetime.date


def at(day: str, hour: int = 9):
    """A moment of `day` in Beijing time, the clock standing still."""
    moment = datetime.datetime.fromisoformat(f"{day}T{hour:02d}:00:00+08:00")
    return time_machine.travel(moment, tick=False)


TODAY = "2026-06-15"


@pytest.fixture
def desk(world):
    """ZA on 2026-06-15. Raised 2026-03-02: a (a1, funding → 经济发展局, resolved on 03-05 on
    time, rated 5), b (a2, funding, resolved 04-20 late), c (scheduling, unassigned, red,
    escalated). Raised in June: d (visit, yellow), e (data query, green). ZB: one open matter.
    Ledgers: an award, two loans, a fair, two resumption records (one resumed)."""
    catalogue.ensure_categories(world.zone_a)
    funding = catalogue.standard(world.zone_a, Kind.HELP, "funding")
    funding.department, funding.service_days = world.dept_a, 5
    funding.save()
    with at("2026-03-02"):
        a = services.create_matter(
            world.enterprise, None, kind="help", category=funding.pk, title="贷款对接"
        )
        b = services.create_matter(
            world.zone_admin, world.zone_a, kind="help", category=funding, title="招工",
            enterprise=world.a2,
        )  # fmt: skip
        c = services.create_matter(
            world.zone_admin, world.zone_a, kind="scheduling", title="用地", enterprise=world.a1
        )
    with at("2026-03-05"):
        a = services.resolve(world.staff, a, version=a.version, resolution="已放款")
        services.rate(world.enterprise, a, rating=5, comment="")
    with at("2026-04-20"):
        services.resolve(world.staff, b, version=b.version, resolution="已招到")
    with at("2026-06-12"):
        d = services.create_matter(
            world.zone_admin, world.zone_a, kind="visit", title="走访", enterprise=world.a2,
            officer=world.staff, due_on=D(2026, 6, 17),
        )  # fmt: skip
        services.escalate(world.zone_admin, c, reason="用地迟迟未落实")
    with at(TODAY):
        e = services.create_matter(
            world.staff, world.zone_a, kind="data_query", title="数据核实", enterprise=world.a1
        )
        catalogue.ensure_categories(world.zone_b)
        services.create_matter(
            world.admin, world.zone_b, kind="visit", title="乙区走访", enterprise=world.b1
        )
    Award.objects.create(
        zone=world.zone_a, enterprise=world.a1, policy="稳岗补贴", amount=Decimal("12.5"),
        paid_on=D(2026, 3, 10),
    )  # fmt: skip
    Award.objects.create(
        zone=world.zone_a, enterprise=world.a1, policy="往年", amount=Decimal("99"),
        paid_on=D(2025, 3, 10),
    )  # fmt: skip
    Loan.objects.create(zone=world.zone_a, enterprise=world.a1, bank="工商银行", kind="credit",
                        amount=Decimal("23400"), granted_on=D(2026, 2, 1))  # fmt: skip
    Loan.objects.create(zone=world.zone_a, enterprise=world.a2, bank="农业银行",
                        kind="guaranteed", amount=Decimal("500"), granted_on=D(2026, 2, 2))  # fmt: skip
    fair = JobFair.objects.create(zone=world.zone_a, title="春风行动", held_on=D(2026, 2, 20))
    JobOffer.objects.create(zone=world.zone_a, fair=fair, enterprise=world.a1, positions=30)
    Resumption.objects.create(zone=world.zone_a, subject="enterprise", enterprise=world.a1,
                              tracked_from=D(2026, 2, 1), resumed_on=D(2026, 2, 15))  # fmt: skip
    Resumption.objects.create(zone=world.zone_a, subject="enterprise", enterprise=world.a2,
                              tracked_from=D(2026, 2, 1))  # fmt: skip
    world.m = {"a": a, "b": b, "c": c, "d": d, "e": e}
    return world


def get(client, user, url=COCKPIT, **params):
    client.force_login(user)
    with at(TODAY, 10):
        return client.get(url, params)


def text(r) -> str:
    return r.content.decode()


def figure(r, fid) -> str:
    m = re.search(rf'id="{fid}">(.*?)</', text(r), re.S)
    assert m, fid
    return re.sub(r"\s+", " ", m.group(1)).strip()


def chart(r, chart_id) -> dict:
    m = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', text(r))
    assert m, chart_id
    return json.loads(m.group(1))


@pytest.mark.parametrize("role", READERS)
def test_readers(desk, client, role):
    r = get(client, desk.users[role])
    assert r.status_code == 200
    assert "2026-01-01 至 2026-12-31" in text(r)


def test_enterprise_users_get_404(desk, client):
    assert get(client, desk.enterprise).status_code == 404
    assert get(client, desk.enterprise, EXPORT).status_code == 404


def test_anonymous_is_sent_to_login(desk, client):
    for url in (COCKPIT, EXPORT):
        r = client.get(url)
        assert r.status_code == 302 and "login" in r["Location"]


def test_figures_this_year(desk, client):
    r = get(client, desk.leader)
    assert figure(r, "figure-open") == "3"
    assert (figure(r, "figure-yellow"), figure(r, "figure-red")) == ("1", "1")
    assert figure(r, "figure-escalated") == "1"
    assert figure(r, "figure-resolved") == "2"
    assert "50.0%" in figure(r, "figure-on-time")
    # a took 3 days, b 49 days.
    assert figure(r, "figure-median").startswith("26.0")
    assert figure(r, "figure-average").startswith("5.00")
    assert "100.0%" in figure(r, "figure-good") and figure(r, "figure-rated") == "1"
    monthly = chart(r, "chart-monthly")
    assert len(monthly["xAxis"]["data"]) == 12 and monthly["xAxis"]["data"][2] == "2026年3月"
    assert monthly["series"][0]["data"][2] == 3 and monthly["series"][0]["data"][5] == 2
    assert monthly["series"][1]["data"][2:4] == [1, 1]
    kinds = chart(r, "chart-kinds")
    labels = kinds["xAxis"]["data"]
    red = dict(zip(labels, kinds["series"][2]["data"], strict=True))
    yellow = dict(zip(labels, kinds["series"][1]["data"], strict=True))
    assert red["调度问题"] == 1 and yellow["走访跟进"] == 1
    departments = chart(r, "chart-departments")
    assert departments["yAxis"]["data"] == ["经济发展局", "未分派部门"]


def test_department_by_kind_table(desk, client):
    r = get(client, desk.zone_admin)
    table = re.search(r'id="departments-table">(.*?)</table>', text(r), re.S).group(1)
    headers = re.findall(r'<th class="text-end">(.*?)</th>', table)
    assert headers == ["调度问题", "数据询问", "走访跟进", "合计"]
    row = re.search(rf'id="department-{desk.dept_a.pk}">(.*?)</tr>', table, re.S).group(1)
    assert "经济发展局" in row
    unassigned = re.search(r'id="department-none">(.*?)</tr>', table, re.S).group(1)
    assert 'data-count="1"' in unassigned


def test_ledgers(desk, client):
    r = get(client, desk.staff)
    awards = re.sub(r"\s+", " ", re.search(r'id="card-awards">(.*?)</div></div>', text(r),
                                           re.S).group(1))  # fmt: skip
    assert "12.5 万元" in awards and "1 家企业,1 笔" in awards
    loans = re.sub(r"\s+", " ", re.search(r'id="card-loans">(.*?)</div></div>', text(r),
                                          re.S).group(1))  # fmt: skip
    assert "2.39 亿元" in loans and "信贷 1 家 2.34 亿元" in loans
    assert "担保专项贷款 1 家 500 万元" in loans
    assert "30" in re.search(r'id="card-jobs">(.*?)</div></div>', text(r), re.S).group(1)
    resumption = re.search(r'id="card-resumption">(.*?)</div></div>', text(r), re.S).group(1)
    assert "50.0%" in resumption
    # The ledger pages with the period.
    assert f"{reverse('matters:awards')}?start=2026-01-01&amp;end=2026-12-31" in text(r)


def test_every_number_links_to_the_matters_behind_it(desk, client):
    """Follow each linked number to the matter list (and the API with the same query): the
    list counts the same."""
    r = get(client, desk.zone_admin)
    links = re.findall(r'href="([^"]+)" data-count="(\d+)"', text(r))
    assert len(links) > 20
    api = Api(client, bearer(desk.zone_admin))
    base = reverse("matters:list")
    for href, count in links:
        href = href.replace("&amp;", "&")
        assert href.startswith(base + "?"), href
        query = href.split("?", 1)[1]
        with at(TODAY, 10):
            page = client.get(href)
            listed = api.call("get", f"/matters?{query}")
        assert page.status_code == 200, href
        shown = re.search(r'id="result-count">(\d+)', text(page))
        assert shown and shown.group(1) == count, (href, count)
        assert listed.json()["count"] == int(count), (href, count)


@pytest.mark.parametrize(
    ("params", "label"),
    [
        ({"period": "month"}, "2026-06-01 至 2026-06-30"),
        ({"period": "quarter"}, "2026-04-01 至 2026-06-30"),
        ({"start": "2026-03-01", "end": "2026-03-31"}, "2026-03-01 至 2026-03-31"),
    ],
)
def test_periods(desk, client, params, label):
    r = get(client, desk.leader, **params)
    assert r.status_code == 200 and label in text(r)
    # The open figures are as of today, whatever the period.
    assert figure(r, "figure-open") == "3"


def test_march_only(desk, client):
    r = get(client, desk.leader, start="2026-03-01", end="2026-03-31")
    assert figure(r, "figure-resolved") == "1" and "100.0%" in figure(r, "figure-on-time")
    assert figure(r, "figure-median").startswith("3.0")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "week"}, "期间应为"),
        ({"start": "2026-03-01"}, "同时填写"),
        ({"start": "2026-02-30", "end": "2026-03-01"}, "不是有效日期"),
        ({"start": "2026-04-01", "end": "2026-03-01"}, "不能晚于"),
        ({"start": "1990-01-01", "end": "2026-03-01"}, "十年"),
    ],
)
def test_bad_periods(desk, client, params, message):
    r = get(client, desk.leader, **params)
    assert r.status_code == 400 and message in figure(r, "cockpit-error")
    r = get(client, desk.leader, EXPORT, **params)
    assert r.status_code == 400 and message in r.content.decode()


def test_export(desk, client):
    before = AuditRecord.objects.filter(action="export").count()
    r = get(client, desk.leader, EXPORT, period="year")
    assert r.status_code == 200
    assert "matters-cockpit-ZA-20260101-20261231.xlsx" in r["Content-Disposition"]
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["概况", "部门与类型", "月度", "帮扶台账", "说明"]
    summary = {row[0]: row[1] for row in wb["概况"].iter_rows(min_row=2, values_only=True)}
    assert summary["在办事项"] == 3 and summary["逾期(红灯)"] == 1
    assert summary["按期办结率(%)"] == 50.0 and summary["办结用时中位数(天)"] == 26.0
    ledgers = {row[0]: row[1:] for row in wb["帮扶台账"].iter_rows(min_row=2, values_only=True)}
    assert ledgers["奖补兑现"] == (1, 1, 12.5) and ledgers["信贷"] == (1, 1, 23400)
    months = list(wb["月度"].iter_rows(min_row=2, values_only=True))
    assert months[2] == ("2026年3月", 3, 1)
    departments = list(wb["部门与类型"].iter_rows(values_only=True))
    assert departments[0][0] == "责任部门" and departments[1][0] == "经济发展局"
    assert AuditRecord.objects.filter(action="export").count() == before + 1


def test_query_count_does_not_grow(desk, client, django_assert_max_num_queries):
    client.force_login(desk.leader)
    with at(TODAY, 10), django_assert_max_num_queries(14) as ctx:
        assert client.get(COCKPIT).status_code == 200
    first = len(ctx.captured_queries)
    with at(TODAY):
        for i in range(10):
            services.create_matter(
                desk.zone_admin, desk.zone_a, kind="visit", title=f"走访{i}",
                enterprise=desk.a2, department=desk.dept_a,
            )  # fmt: skip
    with at(TODAY, 10), django_assert_max_num_queries(first):
        assert client.get(COCKPIT).status_code == 200


def test_other_zone_is_separate(desk, client):
    """The province reads ZB chosen with the zone switcher: only ZB's matter."""
    client.force_login(desk.province)
    session = client.session
    session[SESSION_KEY] = desk.zone_b.pk
    session.save()
    with at(TODAY, 10):
        r = client.get(COCKPIT)
    assert r.status_code == 200 and "乙高新技术产业开发区" in text(r)
    assert figure(r, "figure-open") == "1" and figure(r, "figure-resolved") == "0"
    assert "12.5 万元" not in text(r)
