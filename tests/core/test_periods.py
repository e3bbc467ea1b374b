"""Reporting periods: parsing, the 1–2月 return, neighbours and labels."""

import pytest
from django.core.exceptions import ValidationError

from gaoxin.core.periods import Period
from tests.support.periods import PERIOD_FORMS


@pytest.mark.parametrize(
    "text", ["2019-12", "2019.12", "2019/12", "2019年12月", "201912", "2019年1-12月", 201912]
)
def test_parses_the_ways_people_write_a_period(text):
    assert Period.of(text) == Period(2019, 12)


@pytest.mark.parametrize("text", ["", "2019-13", "12/2019", "abc", "1999-05"])
def test_refuses_what_is_not_a_period(text):
    with pytest.raises(ValueError):
        Period.of(text)


def test_january_is_folded_into_the_combined_return():
    with pytest.raises(ValueError, match="1 月免报"):
        Period.reporting("2020-01")
    feb = Period.reporting("2020-02")
    assert feb.is_combined and feb.label() == "2020年1–2月"
    assert feb.previous_reporting() is None
    assert feb.previous_month() == Period(2019, 12)


def test_neighbours_and_keys():
    p = Period.of("2019-03")
    assert p.key == 201903 and str(p) == "2019-03"
    assert p.same_last_year().key == p.key - 100
    assert p.previous_reporting() == Period(2019, 2)
    assert Period(2019, 12).next_reporting() == Period(2020, 2)
    assert Period(2019, 3).months_back(4) == [
        Period(2018, 11),
        Period(2018, 12),
        Period(2019, 2),
        Period(2019, 3),
    ]
    assert (p.quarter, p.ytd_label(), p.label()) == (1, "2019年1–3月", "2019年3月")


@pytest.mark.parametrize("text", ["2019-12", " 2019年12月 ", "201912", 201912])
def test_parse_reads_what_people_type(text):
    assert Period.parse(text) == Period(2019, 12)
    assert Period.parse(text, field="period") == Period(2019, 12)


@pytest.mark.parametrize(
    "text, reporting, message",
    [
        (None, True, "请填写报告期(YYYY-MM,如 2019-12)"),
        ("  ", False, "请填写报告期(YYYY-MM,如 2019-12)"),
        ("2019-13", True, "报告期不正确:2019年13月"),
        ("12/2019", False, PERIOD_FORMS % "12/2019"),
        ("2019-01", True, "1 月免报:1–2 月合并为一期,请填写 2019-02"),
    ],
)
def test_parse_refuses_with_one_message(text, reporting, message):
    with pytest.raises(ValidationError) as unnamed:
        Period.parse(text, reporting=reporting)
    assert unnamed.value.messages == [message] and not hasattr(unnamed.value, "error_dict")
    with pytest.raises(ValidationError) as named:
        Period.parse(text, reporting=reporting, field="month")
    assert named.value.message_dict == {"month": [message]}


def test_parse_january_only_for_returns_and_blank_gives_the_default():
    assert Period.parse("2019-01", reporting=False) == Period(2019, 1)
    assert Period.parse("", default=Period(2019, 5)) == Period(2019, 5)
    assert Period.parse("2019-06", default=Period(2019, 5)) == Period(2019, 6)
    with pytest.raises(ValidationError):  # the default never hides a wrong period
        Period.parse("2019-13", default=Period(2019, 5))
