"""The cockpit's figures (summary.py), exact, for a small book of projects built through services
(the `pipeline_book` fixture: its docstring in tests/support/pipeline.py lists the projects, their
amounts, departments and stage dates)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from gaoxin.investment import plans, services, summary
from gaoxin.investment.filters import ProjectFilter
from gaoxin.investment.models import Campaign, DepartmentTarget, Project
from gaoxin.investment.summary import Period
from tests.support.periods import PERIOD_FORMS
from tests.support.pipeline import build_project

D = datetime.date
W = Decimal
Q1 = Period(D(2020, 1, 1), D(2020, 3, 31), "2020Q1")
Y2019 = Period(D(2019, 1, 1), D(2019, 12, 31), "2019")
Y2020 = Period(D(2020, 1, 1), D(2020, 12, 31), "2020")


def figures(book, period, **filters):
    return summary.headline(book.projects.filter(**filters), period, book.thresholds)


def main(fig):
    return {
        key: (fig[key]["count"], fig[key]["investment_wan"])
        for key in ("signed", "started", "production")
    } | {"over_100m": fig["over_100m"], "class_5020": fig["class_5020"]}


# --- parse_period -----------------------------------------------------------------------------

TODAY = D(2020, 5, 17)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2019", D(2019, 1, 1), D(2019, 12, 31)),
        ("2020Q1", D(2020, 1, 1), D(2020, 3, 31)),
        ("2020q4", D(2020, 10, 1), D(2020, 12, 31)),
        (" 2019-Q2 ", D(2019, 4, 1), D(2019, 6, 30)),
        ("2020-02", D(2020, 2, 1), D(2020, 2, 29)),
        ("2019-02", D(2019, 2, 1), D(2019, 2, 28)),
        ("2019-12", D(2019, 12, 1), D(2019, 12, 31)),
        ("2020-1", D(2020, 1, 1), D(2020, 1, 31)),
        ("", D(2020, 1, 1), TODAY),
        (None, D(2020, 1, 1), TODAY),
    ],
)
def test_parse_period_good(text, start, end):
    period = summary.parse_period(text, today=TODAY)
    assert (period.start, period.end) == (start, end)


def test_parse_period_labels():
    assert summary.parse_period("2020Q1", today=TODAY).label == "2020 年第 1 季度"
    assert summary.parse_period("2020-03", today=TODAY).label == "2020 年 3 月"
    assert summary.parse_period("", today=TODAY).label == "2020 年至今"
    custom = summary.parse_period(None, start=D(2019, 12, 31), end=D(2020, 1, 1), today=TODAY)
    assert (custom.start, custom.end, custom.label) == (
        D(2019, 12, 31),
        D(2020, 1, 1),
        "2019-12-31 至 2020-01-01",
    )


def test_explicit_dates_win_over_the_text():
    period = summary.parse_period("2019", start=D(2020, 3, 1), end=D(2020, 3, 1), today=TODAY)
    assert (period.start, period.end) == (D(2020, 3, 1), D(2020, 3, 1))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2020Q5", PERIOD_FORMS % "2020Q5"),
        ("2020-13", "报告期不正确:2020年13月"),
        ("2020-00", "报告期不正确:2020年0月"),
        ("去年", PERIOD_FORMS % "去年"),
        ("20190", PERIOD_FORMS % "20190"),
        ("0000", "年份应在 1900 至 2100 之间(收到 0000)"),
        ("0000Q1", "年份应在 1900 至 2100 之间(收到 0000)"),
        ("9999-12", "年份应在 1900 至 2100 之间(收到 9999)"),
    ],
)
def test_parse_period_bad_text(text, message):
    with pytest.raises(ValidationError) as excinfo:
        summary.parse_period(text, today=TODAY)
    assert excinfo.value.message_dict == {"period": [message]}


@pytest.mark.parametrize(
    ("start", "end", "errors"),
    [
        (D(2020, 1, 1), None, {"end": ["请同时给出开始和结束日期"]}),
        (None, D(2020, 1, 1), {"start": ["请同时给出开始和结束日期"]}),
        (D(2020, 1, 2), D(2020, 1, 1), {"end": ["结束日期不能早于开始日期"]}),
    ],
)
def test_parse_period_bad_dates(start, end, errors):
    with pytest.raises(ValidationError) as excinfo:
        summary.parse_period("", start=start, end=end, today=TODAY)
    assert excinfo.value.message_dict == errors


# --- headline ---------------------------------------------------------------------------------


def test_headline_for_a_quarter(pipeline_book):
    fig = figures(pipeline_book, Q1)
    assert main(fig) == {
        "signed": (2, W("509999.9999")),
        "started": (1, W("10000")),
        "production": (1, W("10000")),
        "over_100m": 1,  # p3; p2 is 0.0001 万元 short of 1亿
        "class_5020": 1,  # p3, exactly at the threshold
    }


def test_year_boundary_dec_31_and_jan_1(pipeline_book):
    assert main(figures(pipeline_book, Y2019)) == {
        "signed": (1, W("10000")),  # p1 on Dec 31, exactly 1亿: counted as 亿元以上
        "started": (0, W("0")),
        "production": (0, W("0")),
        "over_100m": 1,
        "class_5020": 0,
    }
    jan1 = Period(D(2020, 1, 1), D(2020, 1, 1), "2020-01-01")
    assert main(figures(pipeline_book, jan1)) == {
        "signed": (1, W("9999.9999")),
        "started": (1, W("10000")),
        "production": (0, W("0")),
        "over_100m": 0,
        "class_5020": 0,
    }
    dec31 = Period(D(2019, 12, 31), D(2019, 12, 31), "2019-12-31")
    assert figures(pipeline_book, dec31)["signed"]["count"] == 1


def test_month_boundaries(pipeline_book):
    march = summary.parse_period("2020-03", today=TODAY)
    april = summary.parse_period("2020-04", today=TODAY)
    assert main(figures(pipeline_book, march)) == {
        "signed": (1, W("500000")),  # p3 on Mar 31
        "started": (0, W("0")),
        "production": (1, W("10000")),  # p1 on Mar 31
        "over_100m": 1,
        "class_5020": 1,
    }
    assert main(figures(pipeline_book, april)) == {
        "signed": (1, W("499999.9999")),  # p4 on Apr 1: under 5020 by 0.0001 万元
        "started": (0, W("0")),
        "production": (0, W("0")),
        "over_100m": 1,
        "class_5020": 0,
    }


def test_category_filter(pipeline_book):
    industrial = figures(pipeline_book, Y2020, category="industrial")
    assert main(industrial) == {
        "signed": (2, W("509999.9998")),  # p2 and p4; p3 is 服务业
        "started": (1, W("10000")),
        "production": (1, W("10000")),
        "over_100m": 1,
        "class_5020": 0,
    }
    services_ = figures(pipeline_book, Y2020, category="services")
    assert main(services_)["signed"] == (1, W("500000"))
    assert figures(pipeline_book, Y2020, category="agriculture")["signed"]["count"] == 0


def test_thresholds_are_the_zones_own(pipeline_book):
    plans.save_thresholds(
        pipeline_book.world.admin, pipeline_book.zone, large=W("9999.9999"), class_5020=W("200000")
    )
    thresholds = services.thresholds_for(pipeline_book.zone)
    fig = summary.headline(pipeline_book.projects, Q1, thresholds)
    assert (fig["over_100m"], fig["class_5020"]) == (2, 1)
    fig = summary.headline(pipeline_book.projects, Y2020, thresholds)
    assert (fig["over_100m"], fig["class_5020"]) == (3, 2)


def test_funnel_counts_and_rates(pipeline_book):
    rows = figures(pipeline_book, Q1)["funnel"]
    assert [(r["stage"], r["label"], r["count"], r["rate"]) for r in rows] == [
        ("lead", "线索", 2, None),  # p3, p5
        ("visit", "考察", 2, W("100.0")),  # p3, p4
        ("negotiation", "洽谈", 1, W("50.0")),
        ("signed", "签约", 2, W("200.0")),
        ("started", "开工", 1, W("50.0")),
        ("production", "投产", 1, W("100.0")),
    ]


def test_funnel_rate_is_none_after_an_empty_stage(pipeline_book):
    rows = figures(pipeline_book, Y2019)["funnel"]
    assert [(r["count"], r["rate"]) for r in rows] == [
        (0, None),
        (1, None),  # nothing before it to convert from
        (0, W("0.0")),
        (1, None),
        (0, W("0.0")),
        (0, None),
    ]


def test_funnel_rate_rounds_to_one_decimal():
    rows = summary.funnel(
        {"lead": 3, "visit": 1, "negotiation": 1, "signed": 0, "started": 0, "production": 0}
    )
    assert [r["rate"] for r in rows] == [None, W("33.3"), W("100.0"), W("0.0"), None, None]


# --- speed ------------------------------------------------------------------------------------


def test_speed_medians_for_a_quarter(pipeline_book):
    speed = summary.speed(pipeline_book.projects, Q1)
    assert speed["visit_to_signed"] == {"median": 59.0, "count": 1}  # p3: Feb 1 → Mar 31
    assert speed["signed_to_started"] == {"median": 1.0, "count": 1}  # p1: Dec 31 → Jan 1
    assert speed["by_department"] == [
        {
            "department": "招商二局",
            "visit_to_signed": {"median": 59.0, "count": 1},
            "signed_to_started": {"median": None, "count": 0},
        },
        {
            "department": "经济发展局",
            "visit_to_signed": {"median": None, "count": 0},
            "signed_to_started": {"median": 1.0, "count": 1},
        },
    ]


def test_speed_median_of_an_even_count_is_the_mean_of_the_middle_two(pipeline_book):
    speed = summary.speed(pipeline_book.projects, Y2020)
    # p3 59 days, p4 31 days (Mar 1 → Apr 1); p2 has no visit date and is left out
    assert speed["visit_to_signed"] == {"median": 45.0, "count": 2}
    build_project(
        pipeline_book.world.admin,
        pipeline_book.zone,
        "六号项目",
        [("visit", D(2020, 5, 1)), ("signed", D(2020, 5, 11))],
        planned="100",
    )
    speed = summary.speed(pipeline_book.projects, Y2020)
    assert speed["visit_to_signed"] == {"median": 31.0, "count": 3}
    build_project(
        pipeline_book.world.admin,
        pipeline_book.zone,
        "七号项目",
        [("visit", D(2020, 6, 1)), ("signed", D(2020, 6, 4))],
        planned="100",
    )
    assert summary.speed(pipeline_book.projects, Y2020)["visit_to_signed"] == {
        "median": 20.5,  # 3, 10, 31, 59 → (10 + 31) / 2
        "count": 4,
    }


def test_speed_with_nothing_in_the_period(pipeline_book):
    empty = Period(D(2018, 1, 1), D(2018, 12, 31), "2018")
    assert summary.speed(pipeline_book.projects, empty) == {
        "visit_to_signed": {"median": None, "count": 0},
        "signed_to_started": {"median": None, "count": 0},
        "by_department": [],
    }


def test_speed_by_year(pipeline_book):
    assert summary.speed_by_year(pipeline_book.projects) == [
        {
            "year": 2019,
            "visit_to_signed": {"median": 41.0, "count": 1},  # p1: Nov 20 → Dec 31
            "signed_to_started": {"median": None, "count": 0},
        },
        {
            "year": 2020,
            "visit_to_signed": {"median": 45.0, "count": 2},
            "signed_to_started": {"median": 1.0, "count": 1},  # p1 started 2020
        },
    ]


# --- departments and monthly ------------------------------------------------------------------


def test_departments_side_by_side_with_targets(pipeline_book):
    target = DepartmentTarget.objects.create(
        zone=pipeline_book.zone,
        department=pipeline_book.dept_a,
        year=2020,
        target_projects=5,
        target_investment=W("800000"),
        target_large=3,
    )
    rows = summary.departments(pipeline_book.projects, Y2020, pipeline_book.thresholds, [target])
    assert [
        (
            r["department"],
            r["signed"],
            r["signed_investment_wan"],
            r["large"],
            r["started"],
            r["production"],
            r["target_projects"],
            r["target_investment_wan"],
            r["target_large"],
        )
        for r in rows
    ] == [
        ("未指定部门", 0, W("0"), 0, 0, 0, None, None, None),
        ("招商二局", 2, W("509999.9999"), 1, 0, 0, None, None, None),
        ("经济发展局", 1, W("499999.9999"), 1, 1, 1, 5, W("800000"), 3),
    ]
    assert rows[2]["department_id"] == pipeline_book.dept_a.pk and rows[0]["department_id"] is None


def test_monthly_rows_across_a_year_end(pipeline_book):
    window = Period(D(2019, 12, 15), D(2020, 2, 10), "window")
    assert summary.monthly(pipeline_book.projects, window) == [
        {
            "month": "2019-12",
            "signed": 1,
            "signed_investment_wan": W("10000"),
            "started": 0,
            "production": 0,
        },
        {
            "month": "2020-01",
            "signed": 1,
            "signed_investment_wan": W("9999.9999"),
            "started": 1,
            "production": 0,
        },
        {
            "month": "2020-02",
            "signed": 0,
            "signed_investment_wan": W("0"),
            "started": 0,
            "production": 0,
        },
    ]


def test_monthly_leaves_out_days_outside_a_partial_month(pipeline_book):
    window = Period(D(2020, 1, 2), D(2020, 3, 30), "window")
    rows = summary.monthly(pipeline_book.projects, window)
    assert [(r["month"], r["signed"], r["started"], r["production"]) for r in rows] == [
        ("2020-01", 0, 0, 0),  # p2 signed and p1 started on Jan 1
        ("2020-02", 0, 0, 0),
        ("2020-03", 0, 0, 0),  # p3 signed and p1 in production on Mar 31
    ]


# --- campaigns --------------------------------------------------------------------------------


@pytest.fixture
def hundred_days(pipeline_book):
    return Campaign.objects.create(
        zone=pipeline_book.zone,
        name="百日招商",
        start=D(2020, 1, 1),
        end=D(2020, 4, 9),  # 100 days: 31 + 29 + 31 + 9
        target_projects=4,
        target_investment=W("2000000"),
        target_large=2,
    )


def test_campaign_progress_against_targets(pipeline_book, hundred_days):
    progress = summary.campaign_progress(
        pipeline_book.projects, hundred_days, pipeline_book.thresholds, D(2020, 4, 5)
    )
    assert main(progress["figures"])["signed"] == (3, W("1009999.9998"))  # p2, p3, p4
    assert progress["figures"]["over_100m"] == 2
    assert progress["progress"] == {
        "projects": W("75.0"),
        "investment": W("50.5"),  # 1009999.9998 / 2000000
        "large": W("100.0"),
        "time": W("96.0"),
    }
    assert (progress["days_elapsed"], progress["days_total"]) == (96, 100)
    assert (progress["period"].start, progress["period"].end) == (D(2020, 1, 1), D(2020, 4, 9))


def test_campaign_daily_running_total(pipeline_book, hundred_days):
    daily = summary.campaign_progress(
        pipeline_book.projects, hundred_days, pipeline_book.thresholds, D(2020, 4, 5)
    )["daily"]
    assert len(daily) == 96
    assert daily[0] == {"date": D(2020, 1, 1), "signed": 1, "investment_wan": W("9999.9999")}
    by_date = {d["date"]: (d["signed"], d["investment_wan"]) for d in daily}
    assert by_date[D(2020, 3, 30)] == (1, W("9999.9999"))
    assert by_date[D(2020, 3, 31)] == (2, W("509999.9999"))
    assert by_date[D(2020, 4, 1)] == (3, W("1009999.9998"))
    assert daily[-1] == {"date": D(2020, 4, 5), "signed": 3, "investment_wan": W("1009999.9998")}


def test_campaign_after_its_end_and_before_its_start(pipeline_book, hundred_days):
    after = summary.campaign_progress(
        pipeline_book.projects, hundred_days, pipeline_book.thresholds, D(2021, 1, 1)
    )
    assert (after["days_elapsed"], after["progress"]["time"], len(after["daily"])) == (
        100,
        W("100.0"),
        100,
    )
    before = summary.campaign_progress(
        pipeline_book.projects, hundred_days, pipeline_book.thresholds, D(2019, 12, 1)
    )
    assert (before["days_elapsed"], before["progress"]["time"], before["daily"]) == (
        0,
        W("0.0"),
        [],
    )


def test_campaign_without_targets_has_no_progress_shares(pipeline_book):
    campaign = Campaign.objects.create(
        zone=pipeline_book.zone, name="无目标活动", start=D(2020, 3, 1), end=D(2020, 3, 31)
    )
    progress = summary.campaign_progress(
        pipeline_book.projects, campaign, pipeline_book.thresholds, D(2020, 3, 11)
    )
    assert progress["progress"] == {
        "projects": None,
        "investment": None,
        "large": None,
        "time": W("35.5"),  # 11 of 31 days
    }


# --- the click-through contract: list_query + ProjectFilter list exactly the counted ----------


def test_list_query_text():
    assert summary.list_query(Q1, "signed", category="industrial", size="large") == (
        "start=2020-01-01&end=2020-03-31&reached=signed&category=industrial&size=large"
    )
    assert summary.list_query(Q1, None, category="", department=None) == (
        "start=2020-01-01&end=2020-03-31"
    )


def listed(book, query):
    flt = ProjectFilter(
        QueryDict(query),
        queryset=book.projects,
        zone=book.zone,
        thresholds=book.thresholds,
    )
    assert flt.is_valid(), flt.errors
    return set(flt.qs.values_list("name", flat=True))


@pytest.mark.parametrize("period", [Q1, Y2019, Y2020])
@pytest.mark.parametrize("category", [None, "industrial", "services"])
def test_every_headline_figure_lists_exactly_its_projects(pipeline_book, period, category):
    projects = (
        pipeline_book.projects.filter(category=category) if category else pipeline_book.projects
    )
    fig = summary.headline(projects, period, pipeline_book.thresholds)
    for stage in ("signed", "started", "production"):
        names = listed(pipeline_book, summary.list_query(period, stage, category=category))
        assert len(names) == fig[stage]["count"], stage
        total = sum(
            Project.objects.filter(zone=pipeline_book.zone, name__in=names).values_list(
                "planned_investment", flat=True
            ),
            W("0"),
        )
        assert total == fig[stage]["investment_wan"], stage
    for size, key in (("large", "over_100m"), ("5020", "class_5020")):
        query = summary.list_query(period, "signed", category=category, size=size)
        assert len(listed(pipeline_book, query)) == fig[key], key
    for row in fig["funnel"]:
        assert (
            len(listed(pipeline_book, summary.list_query(period, row["stage"], category=category)))
            == (row["count"])
        )


def test_department_figures_list_exactly_their_projects(pipeline_book):
    rows = summary.departments(pipeline_book.projects, Y2020, pipeline_book.thresholds)
    assert len(rows) == 3
    for row in rows:
        dept = row["department_id"] or "null"  # 未指定部门
        for key, stage, size in (
            ("signed", "signed", None),
            ("large", "signed", "large"),
            ("started", "started", None),
            ("production", "production", None),
        ):
            query = summary.list_query(Y2020, stage, department=dept, size=size)
            assert len(listed(pipeline_book, query)) == row[key], (row["department"], key)
    assert listed(
        pipeline_book, summary.list_query(Y2020, "signed", department=pipeline_book.dept2.pk)
    ) == {
        "二号项目",
        "三号项目",
    }
    assert listed(pipeline_book, "department=null") == {"五号项目"}
