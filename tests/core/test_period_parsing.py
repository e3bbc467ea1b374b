"""What people type for a period, read by the one reader (`core.periods.read`) behind
`Period.of`/`Period.parse` (pages, API parameters, importers) and the investment cockpit's spans;
what it refuses, with a message that says which forms are accepted, and on the API a 422, not a
500."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from gaoxin.core.periods import Period, Span, read
from gaoxin.investment import summary
from tests.support.periods import PERIOD_FORMS

D = datetime.date


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2019年", Period(2019, 12)),
        ("2019", Period(2019, 12)),
        ("2019年度", Period(2019, 12)),
        ("2019年全年", Period(2019, 12)),
        ("2019年12月", Period(2019, 12)),
        ("2019年12月份", Period(2019, 12)),
        ("2019年1-12月", Period(2019, 12)),
        ("2019年1–12月", Period(2019, 12)),
        ("2019年1至12月", Period(2019, 12)),
        ("2019年1月-12月", Period(2019, 12)),
        ("2019年1-2月", Period(2019, 2)),
        ("2019-12", Period(2019, 12)),
        ("2019-3", Period(2019, 3)),
        ("201912", Period(2019, 12)),
        ("2019.12", Period(2019, 12)),
        ("2019/12", Period(2019, 12)),
        ("2020年一季度", Period(2020, 3)),
        ("2020年第一季度", Period(2020, 3)),
        ("2020年1季度", Period(2020, 3)),
        ("2020一季度", Period(2020, 3)),
        ("2020Q1", Period(2020, 3)),
        ("2020q1", Period(2020, 3)),
        ("2020-Q1", Period(2020, 3)),
        ("2020年前三季度", Period(2020, 9)),
        ("2020年上半年", Period(2020, 6)),
        ("2020H1", Period(2020, 6)),
        # full-width digits, letters and punctuation; spaces anywhere (the ideographic one too)
        ("２０１９年１２月", Period(2019, 12)),
        ("２０２０Ｑ１", Period(2020, 3)),
        ("２０１９－１２", Period(2019, 12)),
        ("２０１９．１２", Period(2019, 12)),
        (" 2019 年 12 月 ", Period(2019, 12)),
        ("2019\u3000年\u300012\u3000月", Period(2019, 12)),
        ("2020 Q1", Period(2020, 3)),
        ("2020 年 上半年", Period(2020, 6)),
    ],
)
def test_a_period_is_read_the_ways_people_write_it(text, period):
    assert Period.of(text) == period
    assert Period.parse(text) == period
    assert Period.parse(text, field="period") == period


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("2019年", Span(2019, 1, 12, "year")),
        ("2019-12", Span(2019, 12, 12, "month")),
        ("2020-02", Span(2020, 2, 2, "month")),  # February alone: a span, not the 1–2月 return
        ("2019年1-2月", Span(2019, 1, 2, "months")),
        ("2020年二季度", Span(2020, 4, 6, "quarter")),
        ("2020年第四季度", Span(2020, 10, 12, "quarter")),
        ("2020Q3", Span(2020, 7, 9, "quarter")),
        ("2020年下半年", Span(2020, 7, 12, "half")),
        ("2020H2", Span(2020, 7, 12, "half")),
        ("2019年4-6月", Span(2019, 4, 6, "months")),
    ],
)
def test_the_reader_gives_the_span_named(text, span):
    assert read(text) == span


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", PERIOD_FORMS % "abc"),
        ("12/2019", PERIOD_FORMS % "12/2019"),
        ("2019年13", "报告期不正确:2019年13月"),
        ("2019-13", "报告期不正确:2019年13月"),
        ("2019-00", "报告期不正确:2019年0月"),
        ("2019年1-13月", "报告期不正确:2019年13月"),
        ("2019年12-3月", "起始月份不能晚于结束月份:2019年12-3月"),
        ("2020Q5", PERIOD_FORMS % "2020Q5"),
        ("2020年五季度", PERIOD_FORMS % "2020年五季度"),
        ("2020年中半年", PERIOD_FORMS % "2020年中半年"),
        ("20191", PERIOD_FORMS % "20191"),
        ("2019121", PERIOD_FORMS % "2019121"),
        ("19年12月", PERIOD_FORMS % "19年12月"),
        ("1999-05", "报告期不正确:1999年5月"),
        (
            "2020年二季度",
            "「2020年二季度」是 4–6 月,不是报告期:报告期是一个月或本年累计(1–N 月),"
            "可改查 2020-06(2020年1–6月累计)",
        ),
        (
            "2020年下半年",
            "「2020年下半年」是 7–12 月,不是报告期:报告期是一个月或本年累计(1–N 月),"
            "可改查 2020-12(2020年1–12月累计)",
        ),
        (
            "2019年4-6月",
            "「2019年4-6月」是 4–6 月,不是报告期:报告期是一个月或本年累计(1–N 月),"
            "可改查 2019-06(2019年1–6月累计)",
        ),
        ("2020年1月", "1 月免报:1–2 月合并为一期,请填写 2020-02"),
    ],
)
def test_a_wrong_period_gets_one_chinese_message(text, message):
    with pytest.raises(ValidationError) as unnamed:
        Period.parse(text)
    assert unnamed.value.messages == [message]
    with pytest.raises(ValidationError) as named:
        Period.parse(text, field="period")
    assert named.value.message_dict == {"period": [message]}


def test_january_is_a_month_for_official_figures_but_not_for_returns():
    assert Period.parse("2020年1月", reporting=False) == Period(2020, 1)
    with pytest.raises(ValidationError):
        Period.parse("2020年1月")


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2019年", D(2019, 1, 1), D(2019, 12, 31), "2019 年"),
        ("2020年一季度", D(2020, 1, 1), D(2020, 3, 31), "2020 年第 1 季度"),
        ("２０２０ｑ２", D(2020, 4, 1), D(2020, 6, 30), "2020 年第 2 季度"),
        ("2020年上半年", D(2020, 1, 1), D(2020, 6, 30), "2020 年上半年"),
        ("2020年下半年", D(2020, 7, 1), D(2020, 12, 31), "2020 年下半年"),
        ("2019年1-9月", D(2019, 1, 1), D(2019, 9, 30), "2019 年 1–9 月"),
        ("201912", D(2019, 12, 1), D(2019, 12, 31), "2019 年 12 月"),
        ("2020年2月", D(2020, 2, 1), D(2020, 2, 29), "2020 年 2 月"),
    ],
)
def test_the_investment_cockpit_reads_the_same_forms_as_spans(text, start, end, label):
    period = summary.parse_period(text, today=D(2020, 5, 17))
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("period", "status", "message"),
    [
        ("2019年12月", 200, None),
        ("２０１９年１－１２月", 200, None),
        ("garbage", 422, PERIOD_FORMS % "garbage"),
        (
            "2019年二季度",
            422,
            "「2019年二季度」是 4–6 月,不是报告期:报告期是一个月或本年累计(1–N 月),"
            "可改查 2019-06(2019年1–6月累计)",
        ),
    ],
)
def test_the_api_reads_the_same_forms_and_answers_422_with_the_message(
    api_as, world, period, status, message
):
    r = api_as("staff").get("/statistics/returns", period=period)
    assert r.status_code == status, r.content
    if message is not None:
        assert [(e["field"], e["message"]) for e in r.json()["errors"]] == [("period", message)]
