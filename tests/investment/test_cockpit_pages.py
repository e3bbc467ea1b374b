"""The cockpit, campaigns, department targets and thresholds pages: who sees them, what they
show for each choice of period, that every number clicks through to exactly its projects, the
.xlsx export, the query count, and every bad input answered with a clear message."""

import datetime
import html
import io
import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.urls import reverse
from openpyxl import load_workbook

from gaoxin.core.models import AuditRecord
from gaoxin.investment import plans, services
from gaoxin.investment.filters import ProjectFilter
from gaoxin.investment.models import Campaign, DepartmentTarget, Project, Thresholds
from tests.support.periods import PERIOD_FORMS
from tests.support.pipeline import build_project

D = datetime.date
W = Decimal
COCKPIT = reverse("investment:cockpit")
READERS = ["admin", "province", "zone_admin", "leader", "staff"]
NOT_ADMINS = ["province", "leader", "staff", "enterprise"]
FIGURE = re.compile(r'<a class="(gx-figure|gx-figure-money)[^"]*" href="([^"]+)" data-n="(\d+)"')


def get(client, user, url=COCKPIT, data=None):
    client.force_login(user)
    return client.get(url, data or {})


def text(response) -> str:
    return response.content.decode()


def figure(response, key) -> int:
    match = re.search(rf'data-n="(\d+)" id="figure-{key}"', text(response))
    return int(match.group(1))


def links(response) -> list[tuple[str, str, int]]:
    """(kind, url, number) of every number on the page that links to the project list."""
    return [(k, html.unescape(url), int(n)) for k, url, n in FIGURE.findall(text(response))]


def listed(user, zone, url) -> set[str]:
    """What the project list shows for `url`: the one FilterSet over the user's projects."""
    parts = urlsplit(url)
    assert parts.path == reverse("investment:projects")
    flt = ProjectFilter(
        QueryDict(parts.query),
        queryset=Project.objects.restrict(user, "view").active().filter(zone=zone),
        zone=zone,
        thresholds=services.thresholds_for(zone),
    )
    assert flt.is_valid(), flt.errors
    return set(flt.qs.values_list("name", flat=True))


# --- who sees the cockpit ---------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_cockpit_is_open_to_every_officer_role(client, pipeline_book, role):
    response = get(client, pipeline_book.world.users[role], data={"period": "2020Q1"})
    assert response.status_code == 200
    assert figure(response, "signed") == 2


def test_enterprise_users_get_404_even_for_the_export(client, pipeline_book):
    user = pipeline_book.world.enterprise
    assert get(client, user).status_code == 404
    assert get(client, user, data={"period": "2020", "export": "xlsx"}).status_code == 404
    assert not AuditRecord.objects.filter(action="export").exists()


def test_anonymous_is_sent_to_login(client, pipeline_book):
    response = client.get(COCKPIT)
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_other_zones_projects_are_never_counted(client, pipeline_book):
    # zone_b's project signed 2020-02-01; zone_a's admin works in zone_a
    response = get(client, pipeline_book.world.zone_admin, data={"period": "2020-02"})
    assert figure(response, "signed") == 0


# --- period choices ---------------------------------------------------------------------------


def test_default_is_this_year_to_date(client, pipeline_book):
    today = services.today()
    response = get(client, pipeline_book.world.leader)
    page = text(response)
    assert f"{today.year} 年至今" in page
    assert f"{today.year}-01-01 至 {today:%Y-%m-%d}" in page
    assert figure(response, "signed") == 0  # the book is 2019–2020


def test_quarter_headline(client, pipeline_book):
    response = get(client, pipeline_book.world.zone_admin, data={"period": "2020Q1"})
    page = text(response)
    assert "2020 年第 1 季度" in page
    assert [figure(response, k) for k in ("signed", "started", "production")] == [2, 1, 1]
    assert [figure(response, k) for k in ("over_100m", "class_5020")] == [1, 1]
    assert re.search(r'id="money-signed">51.00 亿元<', page)  # 509999.9999 万元
    assert re.search(r'id="money-started">1.00 亿元<', page)
    assert "计划总投资不低于 50.00 亿元" in page  # the 5020 card names its threshold


@pytest.mark.parametrize(
    ("data", "label", "signed"),
    [
        ({"period": "2019"}, "2019 年", 1),
        ({"period": "2020"}, "2020 年", 3),
        ({"period": "2020-04"}, "2020 年 4 月", 1),
        ({"period": "2020-03"}, "2020 年 3 月", 1),
        ({"start": "2019-12-31", "end": "2020-01-01"}, "2019-12-31 至 2020-01-01", 2),
        ({"period": "2020", "category": "industrial"}, "2020 年", 2),
        ({"period": "2020", "category": "services"}, "2020 年", 1),
    ],
)
def test_period_choices(client, pipeline_book, data, label, signed):
    response = get(client, pipeline_book.world.staff, data=data)
    assert response.status_code == 200
    assert f'id="period-label">{label}<' in text(response)
    assert figure(response, "signed") == signed


def test_campaign_window(client, pipeline_book):
    campaign = Campaign.objects.create(
        zone=pipeline_book.zone, name="百日招商", start=D(2020, 1, 1), end=D(2020, 4, 9)
    )
    response = get(client, pipeline_book.world.leader, data={"campaign": campaign.pk})
    assert 'id="period-label">百日招商<' in text(response)
    assert figure(response, "signed") == 3  # p2, p3, p4


def test_category_is_named_on_the_page(client, pipeline_book):
    response = get(
        client, pipeline_book.world.leader, data={"period": "2020", "category": "industrial"}
    )
    assert "2020-01-01 至 2020-12-31 · 工业" in text(response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period": "2020Q5"}, PERIOD_FORMS % "2020Q5"),
        ({"period": "0000"}, "年份应在 1900 至 2100 之间(收到 0000)"),
        ({"period": "x" * 30}, "期间应为 2019、2020Q1 或 2020-03 这样的写法"),
        ({"start": "2020-01-01"}, "请同时给出开始和结束日期"),
        ({"start": "2020-03-01", "end": "2020-02-01"}, "结束日期不能早于开始日期"),
        ({"start": "2020-13-01", "end": "2020-12-31"}, "日期格式应为 YYYY-MM-DD,例如 2020-03-31"),
        ({"start": "1900-01-01", "end": "2099-12-31"}, "期间不能超过 20 年"),
        ({"campaign": "999999"}, "未找到该招商活动,请从列表中选择"),
        ({"campaign": "abc"}, "未找到该招商活动,请从列表中选择"),
        ({"category": "bogus"}, "无效的项目类别「bogus」,应为工业、服务业、农业或基础设施"),
    ],
)
def test_bad_choices_get_a_clear_message_not_a_500(client, pipeline_book, data, message):
    response = get(client, pipeline_book.world.staff, data=data)
    assert response.status_code == 400
    page = text(response)
    assert 'id="period-errors"' in page and message in page
    assert 'id="headline"' not in page


def test_a_campaign_of_another_zone_is_not_found(client, pipeline_book):
    other = Campaign.objects.create(
        zone=pipeline_book.world.zone_b, name="乙区活动", start=D(2020, 1, 1), end=D(2020, 2, 1)
    )
    response = get(client, pipeline_book.world.zone_admin, data={"campaign": other.pk})
    assert response.status_code == 400
    assert "未找到该招商活动" in text(response)


def test_departments_show_targets_only_within_one_year(client, pipeline_book):
    DepartmentTarget.objects.create(
        zone=pipeline_book.zone, department=pipeline_book.dept_a, year=2020, target_projects=7
    )
    one_year = text(get(client, pipeline_book.world.leader, data={"period": "2020"}))
    assert "年度目标为 2020 年" in one_year and ">7</td>" in one_year
    across = text(
        get(client, pipeline_book.world.leader, data={"start": "2019-06-01", "end": "2020-06-01"})
    )
    assert "期间跨年,不显示年度目标" in across and ">7</td>" not in across


def test_charts_are_declared_for_gaoxin_js(client, pipeline_book):
    page = text(get(client, pipeline_book.world.leader, data={"period": "2020"}))
    for chart in ("chart-funnel", "chart-monthly", "chart-departments", "chart-speed"):
        assert (
            f'data-chart="{chart}"' in page
            and f'<script id="{chart}" type="application/json">' in page
        )
    assert '"inverse": true' in page  # the stage bars read top-down, 线索 first


def test_tables_carry_every_figure(client, pipeline_book):
    page = text(get(client, pipeline_book.world.leader, data={"period": "2020Q1"}))
    funnel = page[
        page.index('id="funnel-table"') : page.index("</table>", page.index('id="funnel-table"'))
    ]
    assert "50.0%" in funnel and "200.0%" in funnel  # 洽谈 1 of 考察 2; 签约 2 of 洽谈 1
    speed = page[page.index('id="speed-all"') :]
    assert "59 天" in speed[:400] and "1 天" in speed[:400]
    monthly = page[page.index('id="monthly-table"') :]
    assert [m for m in ("2020-01", "2020-02", "2020-03") if m in monthly[:3000]] == [
        "2020-01",
        "2020-02",
        "2020-03",
    ]


# --- every number clicks through to exactly its projects --------------------------------------

CLICK_CASES = [
    {"period": "2020Q1"},
    {"period": "2020"},
    {"period": "2019"},
    {"period": "2020", "category": "industrial"},
    {"start": "2019-12-31", "end": "2020-01-01"},
]


@pytest.mark.parametrize("data", CLICK_CASES)
def test_every_number_is_a_link_to_exactly_the_projects_behind_it(client, pipeline_book, data):
    user = pipeline_book.world.leader
    response = get(client, user, data=data)
    found = links(response)
    # 5 cards + 3 money; 6 funnel rows; 3 departments × 5; the months × 4
    months = len(re.findall(r"<td>\d{4}-\d{2}</td>", text(response)))
    assert months >= 1
    assert len(found) == 5 + 3 + 6 + 3 * 5 + months * 4
    assert sum(n for _k, _u, n in found) > 0
    for kind, url, number in found:
        assert len(listed(user, pipeline_book.zone, url)) == number, (kind, url)


def test_the_headline_links_name_the_projects(client, pipeline_book):
    response = get(client, pipeline_book.world.leader, data={"period": "2020Q1"})
    by_id = dict(re.findall(r'href="([^"]+)" data-n="\d+" id="figure-(\w+)"', text(response)))
    urls = {key: html.unescape(url) for url, key in by_id.items()}
    assert listed(pipeline_book.world.leader, pipeline_book.zone, urls["signed"]) == {
        "二号项目",
        "三号项目",
    }
    assert listed(pipeline_book.world.leader, pipeline_book.zone, urls["over_100m"]) == {"三号项目"}
    assert listed(pipeline_book.world.leader, pipeline_book.zone, urls["class_5020"]) == {
        "三号项目"
    }
    assert listed(pipeline_book.world.leader, pipeline_book.zone, urls["production"]) == {
        "一号项目"
    }


BOOK_NAMES = ("一号项目", "二号项目", "三号项目", "四号项目", "五号项目", "已删除项目", "乙区项目")


@pytest.mark.parametrize("data", CLICK_CASES[:2])
def test_click_through_on_the_project_list_page(client, pipeline_book, data):
    """Follows each link with the client: the list page shows exactly the counted projects.
    (Needs the project list page; the FilterSet test above holds without it.)"""
    user = pipeline_book.world.leader
    response = get(client, user, data=data)
    for _kind, url, number in links(response):
        expected = listed(user, pipeline_book.zone, url)
        assert len(expected) == number
        page = client.get(url)
        assert page.status_code == 200
        shown = {name for name in BOOK_NAMES if name in page.content.decode()}
        assert shown == expected, url


# --- export -----------------------------------------------------------------------------------


def test_export_xlsx_has_the_sheets_and_numbers(client, pipeline_book):
    DepartmentTarget.objects.create(
        zone=pipeline_book.zone,
        department=pipeline_book.dept2,
        year=2020,
        target_investment=W("600000"),
    )
    response = get(client, pipeline_book.world.leader, data={"period": "2020Q1", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "investment-cockpit-20200101-20200331.xlsx" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["概览", "漏斗", "速度", "部门", "月度"]
    overview = [list(r) for r in wb["概览"].iter_rows(values_only=True)]
    assert overview[1] == ["期间", "2020 年第 1 季度", None]
    assert overview[4] == ["项目类别", "全部类别", None]
    assert overview[6] == ["指标", "项目数", "计划总投资(万元)"]
    assert overview[7] == ["签约", 2, pytest.approx(509999.9999)]
    assert isinstance(overview[7][2], float | int)  # a number, not text
    assert overview[8] == ["开工", 1, 10000]
    assert overview[9] == ["投产", 1, 10000]
    assert overview[10][:2] == ["亿元以上签约项目", 1]
    assert overview[11][:2] == ["5020 签约项目", 1]
    assert overview[13] == ["亿元以上门槛(万元)", 10000, None]
    assert overview[14] == ["5020 门槛(万元)", 500000, None]
    funnel = list(wb["漏斗"].iter_rows(values_only=True))
    assert funnel[0] == ("阶段", "期间内到达项目数", "较上一阶段转化率(%)")
    assert funnel[1:] == [
        ("线索", 2, None),
        ("考察", 2, 100),
        ("洽谈", 1, 50),
        ("签约", 2, 200),
        ("开工", 1, 50),
        ("投产", 1, 100),
    ]
    speed = list(wb["速度"].iter_rows(values_only=True))
    assert speed[0][0] == "范围" and speed[1] == ("本期全部", 59, 1, 1, 1)
    assert ("2019 年", 41, 1, None, 0) in speed
    departments = list(wb["部门"].iter_rows(values_only=True))
    assert departments[0][:3] == ("部门", "签约项目数", "签约计划总投资(万元)")
    row = next(r for r in departments if r[0] == "招商二局")
    assert row[:6] == (
        "招商二局",
        2,
        pytest.approx(509999.9999),
        1,
        0,
        0,
    ) and row[6:] == (None, 600000, None)
    monthly = list(wb["月度"].iter_rows(values_only=True))
    assert monthly[0] == ("月份", "签约项目数", "签约计划总投资(万元)", "开工项目数", "投产项目数")
    assert monthly[1:] == [
        ("2020-01", 1, pytest.approx(9999.9999), 1, 0),
        ("2020-02", 0, 0, 0, 0),
        ("2020-03", 1, 500000, 0, 1),
    ]
    record = AuditRecord.objects.get(action="export")
    assert (record.actor, record.zone_id, record.object_repr) == (
        pipeline_book.world.leader,
        pipeline_book.zone.pk,
        "招商驾驶舱导出",
    )
    assert record.message == "导出招商驾驶舱:2020 年第 1 季度(2020-01-01 至 2020-03-31),全部类别"


def test_export_keeps_the_category(client, pipeline_book):
    response = get(
        client,
        pipeline_book.world.leader,
        data={"period": "2020", "category": "industrial", "export": "xlsx"},
    )
    wb = load_workbook(io.BytesIO(response.content))
    overview = list(wb["概览"].iter_rows(values_only=True))
    assert overview[4][:2] == ("项目类别", "工业") and overview[7][:2] == ("签约", 2)


def test_export_with_bad_input_is_the_page_with_the_message(client, pipeline_book):
    response = get(client, pipeline_book.world.leader, data={"period": "2020Q9", "export": "xlsx"})
    assert response.status_code == 400 and "无法识别的期间" in text(response)
    assert not AuditRecord.objects.filter(action="export").exists()


def test_page_offers_the_export_with_the_same_choice(client, pipeline_book):
    page = text(
        get(client, pipeline_book.world.leader, data={"period": "2020Q1", "category": "services"})
    )
    href = html.unescape(re.search(r'href="\?([^"]+)" id="export-xlsx"', page).group(1))
    assert QueryDict(href).dict() == {"period": "2020Q1", "category": "services", "export": "xlsx"}


def test_department_names_never_become_formulas(client, pipeline_book):
    from tests.factories import DepartmentFactory

    evil = DepartmentFactory(zone=pipeline_book.zone, name="=1+1")
    build_project(
        pipeline_book.world.admin,
        pipeline_book.zone,
        "八号项目",
        [("signed", D(2020, 5, 1))],
        planned="1",
        department=evil,
    )
    response = get(client, pipeline_book.world.leader, data={"period": "2020", "export": "xlsx"})
    wb = load_workbook(io.BytesIO(response.content))
    cell = next(r[0] for r in wb["部门"].iter_rows() if r[0].value == "=1+1")
    assert cell.data_type == "s"


# --- the query count does not grow with the projects ------------------------------------------

QUERIES = 12  # session, user, memberships, thresholds, headline, targets, departments, monthly,
# speed, speed by year, campaigns for the chooser, the bell's unread count


def test_cockpit_query_count_is_pinned(client, pipeline_book, django_assert_num_queries):
    client.force_login(pipeline_book.world.leader)
    client.get(COCKPIT, {"period": "2020"})  # the first request after signing in writes the session
    with django_assert_num_queries(QUERIES):
        assert client.get(COCKPIT, {"period": "2020"}).status_code == 200
    for i in range(30):
        build_project(
            pipeline_book.world.admin,
            pipeline_book.zone,
            f"批量项目{i}",
            [("visit", D(2020, 1, 2)), ("signed", D(2020, 2, 1 + i % 28))],
            planned=str(1000 * (i + 1)),
            department=pipeline_book.dept2 if i % 2 else pipeline_book.dept_a,
        )
    with django_assert_num_queries(QUERIES):
        response = client.get(COCKPIT, {"period": "2020"})
    assert figure(response, "signed") == 33


# --- campaigns --------------------------------------------------------------------------------


@pytest.fixture
def drive(pipeline_book):
    return plans.create_campaign(
        pipeline_book.world.admin,
        pipeline_book.zone,
        name="百日招商",
        start=D(2020, 1, 1),
        end=D(2020, 4, 9),
        target_projects=4,
        target_investment=W("2000000"),
        target_large=2,
    )


@pytest.mark.parametrize("role", READERS)
def test_campaign_list_and_detail_for_readers(client, pipeline_book, drive, role):
    user = pipeline_book.world.users[role]
    page = text(get(client, user, reverse("investment:campaigns")))
    assert "百日招商" in page and "2020-01-01 至 2020-04-09" in page
    assert '<span class="badge text-bg-light">75.0%</span>' in page  # 3 of 4 signed
    assert ">100.0%<" in page  # the window is over
    detail = get(client, user, reverse("investment:campaign_detail", args=[drive.pk]))
    assert detail.status_code == 200
    assert ("campaign-edit" in text(detail)) == (role in ("admin", "zone_admin"))


def test_campaign_pages_are_404_for_enterprise_users(client, pipeline_book, drive):
    user = pipeline_book.world.enterprise
    assert get(client, user, reverse("investment:campaigns")).status_code == 404
    url = reverse("investment:campaign_detail", args=[drive.pk])
    assert get(client, user, url).status_code == 404


def test_campaign_detail_progress_and_click_through(client, pipeline_book, drive):
    user = pipeline_book.world.leader
    response = get(client, user, reverse("investment:campaign_detail", args=[drive.pk]))
    page = text(response)
    assert "第 100 天 / 共 100 天 · 100.0%" in page
    bar = page[page.index('id="bar-investment"') :]
    assert '<span class="share">50.5%</span>' in bar[:800]
    assert 'data-chart="chart-daily"' in page and '<script id="chart-daily"' in page
    assert '2020-04-09</td><td class="text-end">3</td>' in page  # the daily table
    found = links(response)
    assert len(found) == 3 + 5 + 3  # progress bars, cards, card money
    for kind, url, number in found:
        assert len(listed(user, pipeline_book.zone, url)) == number, (kind, url)


def test_a_campaign_not_yet_begun(client, pipeline_book):
    start = services.today() + datetime.timedelta(days=10)
    campaign = plans.create_campaign(
        pipeline_book.world.admin,
        pipeline_book.zone,
        name="明年招商月",
        start=start,
        end=start + datetime.timedelta(days=29),
        target_projects=3,
    )
    url = reverse("investment:campaign_detail", args=[campaign.pk])
    page = text(get(client, pipeline_book.world.leader, url))
    assert "第 0 天 / 共 30 天 · 0.0%" in page
    assert 'id="daily-empty"' in page and 'data-chart="chart-daily"' not in page
    assert 'data-n="0">0</a> / 3' in page


def test_campaign_of_another_zone_is_404(client, pipeline_book):
    other = Campaign.objects.create(
        zone=pipeline_book.world.zone_b, name="乙区活动", start=D(2020, 1, 1), end=D(2020, 2, 1)
    )
    response = get(
        client,
        pipeline_book.world.zone_admin,
        reverse("investment:campaign_detail", args=[other.pk]),
    )
    assert response.status_code == 404


CAMPAIGN_FORM = {
    "name": "  春季  招商月 ",
    "start": "2020-03-01",
    "end": "2020-03-31",
    "target_projects": "5",
    "target_investment": "300000",
    "target_large": "2",
    "note": "",
}


def test_admin_creates_a_campaign(client, pipeline_book):
    client.force_login(pipeline_book.world.zone_admin)
    response = client.post(reverse("investment:campaign_create"), CAMPAIGN_FORM)
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("investment:campaign_detail", args=[campaign.pk])
    assert (campaign.name, campaign.zone, campaign.target_investment) == (
        "春季 招商月",
        pipeline_book.zone,
        W("300000"),
    )
    assert AuditRecord.objects.for_object(campaign).get().action == "create"


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_campaign_forms_are_404_for_non_admins(client, pipeline_book, drive, role):
    client.force_login(pipeline_book.world.users[role])
    before = AuditRecord.objects.count()
    assert client.get(reverse("investment:campaign_create")).status_code == 404
    assert client.post(reverse("investment:campaign_create"), CAMPAIGN_FORM).status_code == 404
    edit = reverse("investment:campaign_edit", args=[drive.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {**CAMPAIGN_FORM, "version": "1"}).status_code == 404
    delete = reverse("investment:campaign_delete", args=[drive.pk])
    assert client.post(delete, {"confirm": "百日招商"}).status_code == 404
    assert Campaign.objects.get().version == 1 and Campaign.objects.get().name == "百日招商"
    assert AuditRecord.objects.count() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end": "2020-02-01"}, "end", "结束日期不能早于开始日期"),
        ({"start": "2020/03/01x"}, "start", "日期格式应为 YYYY-MM-DD,例如 2020-03-31"),
        ({"name": ""}, "name", "这个字段是必填项。"),
        ({"target_projects": "-1"}, "target_projects", "确保该值大于或等于0。"),
        ({"target_investment": "abc"}, "target_investment", "无法识别的金额「abc」"),
    ],
)
def test_bad_campaign_input_is_refused_and_writes_nothing(
    client, pipeline_book, changes, field, message
):
    client.force_login(pipeline_book.world.zone_admin)
    response = client.post(reverse("investment:campaign_create"), {**CAMPAIGN_FORM, **changes})
    assert response.status_code == 422
    page = text(response)
    error = page[page.index(f'id="err-{field}"') :][:300]
    assert message in error
    assert not Campaign.objects.exists()


def test_admin_edits_a_campaign_and_a_stale_edit_is_refused(client, pipeline_book, drive):
    client.force_login(pipeline_book.world.zone_admin)
    url = reverse("investment:campaign_edit", args=[drive.pk])
    form = text(client.get(url))
    assert 'value="2000000"' in form and 'name="version" value="1"' in form
    data = {**CAMPAIGN_FORM, "name": "百日招商(延长)", "end": "2020-05-31", "version": "1"}
    assert client.post(url, data).status_code == 302
    drive.refresh_from_db()
    assert (drive.name, drive.end, drive.version) == ("百日招商(延长)", D(2020, 5, 31), 2)
    stale = client.post(url, {**data, "name": "他人的旧稿"})
    assert stale.status_code == 409
    assert "该记录已被他人修改(当前版本 2),请刷新后重新编辑。" in text(stale)
    drive.refresh_from_db()
    assert (drive.name, drive.version) == ("百日招商(延长)", 2)


def test_admin_deletes_a_campaign_after_typing_its_name(client, pipeline_book, drive):
    client.force_login(pipeline_book.world.zone_admin)
    url = reverse("investment:campaign_delete", args=[drive.pk])
    response = client.post(url, {"confirm": "百日"}, follow=True)
    assert "未删除:请输入活动名称「百日招商」以确认删除" in text(response)
    assert Campaign.objects.filter(pk=drive.pk).exists()
    assert client.get(url).status_code == 405
    response = client.post(url, {"confirm": "百日招商"})
    assert response.status_code == 302 and response.url == reverse("investment:campaigns")
    assert not Campaign.objects.filter(pk=drive.pk).exists()
    assert AuditRecord.objects.filter(action="delete", object_repr="百日招商").exists()


# --- department targets -----------------------------------------------------------------------

TARGETS = reverse("investment:targets")


def row_of(page, department) -> str:
    start = page.index(f'id="dept-{department.pk}"')
    return page[start : page.index("</tr>", start)]


@pytest.mark.parametrize("role", READERS)
def test_targets_page_shows_target_against_actual(client, pipeline_book, role):
    DepartmentTarget.objects.create(
        zone=pipeline_book.zone,
        department=pipeline_book.dept2,
        year=2020,
        target_projects=4,
        target_investment=W("1000000"),
        target_large=2,
    )
    response = get(client, pipeline_book.world.users[role], TARGETS, {"year": "2020"})
    assert response.status_code == 200
    page = text(response)
    assert '<option value="2020" selected>' in page
    dept2 = row_of(page, pipeline_book.dept2)
    assert 'data-n="2">2</a> <span class="badge text-bg-light">50.0%</span>' in dept2
    assert "51.00 亿元" in dept2 and ">51.0%<" in dept2  # 509999.9999 of 1000000
    assert 'data-n="1">1</a> <span class="badge text-bg-light">50.0%</span>' in dept2
    admin = role in ("admin", "zone_admin")
    assert (f'name="d{pipeline_book.dept2.pk}-target_projects"' in dept2) == admin
    dept_a = row_of(page, pipeline_book.dept_a)
    assert 'data-n="1">1</a>' in dept_a and "50.00 亿元" in dept_a  # p4 only
    for kind, url, number in links(response):
        assert len(listed(pipeline_book.world.users[role], pipeline_book.zone, url)) == number, (
            kind,
            url,
        )


def test_targets_default_to_this_year(client, pipeline_book):
    page = text(get(client, pipeline_book.world.leader, TARGETS))
    assert f'<option value="{services.today().year}" selected>' in page


def test_targets_are_404_for_enterprise_users(client, pipeline_book):
    assert get(client, pipeline_book.world.enterprise, TARGETS).status_code == 404


@pytest.mark.parametrize("year", ["abc", "1999", "2999", "20201"])
def test_bad_target_year_gets_a_message(client, pipeline_book, year):
    response = get(client, pipeline_book.world.leader, TARGETS, {"year": year})
    assert response.status_code == 400
    next_year = services.today().year + 1
    assert f"年度应为 2000 至 {next_year} 之间的四位数字(收到「{year}」)" in text(response)


def target_post(book, department, **values):
    data = {"department": str(department.pk), "year": "2020"}
    for key, value in values.items():
        data[f"d{department.pk}-{key}"] = value
    return data


def test_admin_sets_a_target_inline(client, pipeline_book):
    client.force_login(pipeline_book.world.zone_admin)
    data = target_post(
        pipeline_book,
        pipeline_book.dept_a,
        target_projects="6",
        target_investment="120000.5",
        target_large="",
    )
    response = client.post(TARGETS, data)
    assert response.status_code == 302 and response.url == f"{TARGETS}?year=2020"
    target = DepartmentTarget.objects.get()
    assert (target.department, target.year, target.target_projects) == (
        pipeline_book.dept_a,
        2020,
        6,
    )
    assert (target.target_investment, target.target_large) == (W("120000.5"), None)
    page = text(client.get(response.url))
    assert 'value="120000.5"' in row_of(page, pipeline_book.dept_a)
    assert AuditRecord.objects.filter(
        action="create", object_repr="经济发展局 2020 年招商目标"
    ).exists()


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_non_admins_cannot_set_targets(client, pipeline_book, role):
    client.force_login(pipeline_book.world.users[role])
    response = client.post(
        TARGETS, target_post(pipeline_book, pipeline_book.dept_a, target_projects="6")
    )
    assert response.status_code == 404
    assert not DepartmentTarget.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"d{pk}-target_projects": "-3"}, "确保该值大于或等于0。"),
        ({"d{pk}-target_investment": "很多"}, "无法识别的金额「很多」"),
        ({"year": "1999"}, "年度应在 2000 至"),
        ({"year": "abc"}, "输入整数。"),
    ],
)
def test_bad_target_input_is_refused(client, pipeline_book, change, message):
    client.force_login(pipeline_book.world.zone_admin)
    data = target_post(pipeline_book, pipeline_book.dept_a, target_projects="6")
    data.update({k.format(pk=pipeline_book.dept_a.pk): v for k, v in change.items()})
    response = client.post(TARGETS, data)
    assert response.status_code == 422
    page = text(response)
    assert 'id="target-errors"' in page and message in page
    assert not DepartmentTarget.objects.exists()


def test_a_department_of_another_zone_cannot_get_a_target(client, pipeline_book):
    from tests.factories import DepartmentFactory

    foreign = DepartmentFactory(zone=pipeline_book.world.zone_b, name="乙区招商局")
    client.force_login(pipeline_book.world.zone_admin)
    response = client.post(TARGETS, target_post(pipeline_book, foreign, target_projects="6"))
    assert response.status_code == 422
    assert f"本园区没有部门「{foreign.pk}」" in text(response)
    assert not DepartmentTarget.objects.exists()


# --- thresholds -------------------------------------------------------------------------------

THRESHOLDS = reverse("investment:thresholds")


def test_thresholds_page_shows_the_defaults_in_yi_and_explains_5020(client, pipeline_book):
    page = text(get(client, pipeline_book.world.zone_admin, THRESHOLDS))
    assert 'id="current-large">1.00 亿元<' in page
    assert 'id="current-5020">50.00 亿元<' in page
    assert 'id="default-badge"' in page
    assert "设区市层面计划总投资 50 亿元以上、县(市、区)层面 20 亿元以上" in page
    assert "国家级园区默认按市级 50.00 亿元,省级园区默认按县级 20.00 亿元" in page
    assert 'name="large" value="10000"' in page and 'name="class_5020" value="500000"' in page


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_thresholds_are_404_for_non_admins(client, pipeline_book, role):
    client.force_login(pipeline_book.world.users[role])
    assert client.get(THRESHOLDS).status_code == 404
    response = client.post(THRESHOLDS, {"large": "5000", "class_5020": "200000", "version": "1"})
    assert response.status_code == 404
    assert not Thresholds.objects.exists()


def test_admin_saves_thresholds_and_the_cockpit_follows(client, pipeline_book):
    client.force_login(pipeline_book.world.zone_admin)
    data = {"large": "9999.9999", "class_5020": "200000", "version": "1"}
    response = client.post(THRESHOLDS, data)
    assert response.status_code == 302
    saved = Thresholds.objects.get(zone=pipeline_book.zone)
    assert (saved.large, saved.class_5020, saved.version) == (W("9999.9999"), W("200000"), 1)
    page = text(client.get(THRESHOLDS))
    assert 'id="current-5020">20.00 亿元<' in page and 'id="default-badge"' not in page
    cockpit = client.get(COCKPIT, {"period": "2020Q1"})
    assert [figure(cockpit, "over_100m"), figure(cockpit, "class_5020")] == [2, 1]
    assert client.post(THRESHOLDS, {**data, "large": "20000"}).status_code == 302
    assert Thresholds.objects.get().version == 2
    stale = client.post(THRESHOLDS, {**data, "large": "30000"})
    assert stale.status_code == 409
    assert "当前版本 2" in text(stale) and Thresholds.objects.get().large == W("20000")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"large": "0", "class_5020": "200000"}, "large", "门槛应为大于 0 的金额(万元)"),
        ({"large": "10000", "class_5020": "-5"}, "class_5020", "金额不能为负数"),
        ({"large": "一亿", "class_5020": "200000"}, "large", "无法识别的金额「一亿」"),
        ({"large": "", "class_5020": "200000"}, "large", "这个字段是必填项。"),
    ],
)
def test_bad_thresholds_are_refused(client, pipeline_book, data, field, message):
    client.force_login(pipeline_book.world.zone_admin)
    response = client.post(THRESHOLDS, {**data, "version": "1"})
    assert response.status_code == 422
    page = text(response)
    assert message in page[page.index(f'id="err-{field}"') :][:200]
    assert not Thresholds.objects.exists()
