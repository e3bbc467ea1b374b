"""Reporting periods: parsing, the 1–2月 return, neighbours and labels."""

import pytest

from gaoxin.core.periods import Period


@pytest.mark.parametrize(
    "text", ["2019-12", "2019.12", "2019/12", "2019年12月", "201912", "2019年1-12月", 201912]
)
def test_parses_the_ways_people_write_a_period(text):
    assert Period.of(text) == Period(2019, 12)


@pytest.mark.parametrize("text", ["", "2019", "2019-13", "12/2019", "abc", "1999-05"])
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
