from decimal import Decimal

from gaoxin.core.money import format_wan, plain_number


def test_wan_amounts_read_as_people_write_them():
    assert format_wan(Decimal("120.0000")) == "120 万元"
    assert format_wan(Decimal("1234.5")) == "1,234.5 万元"
    assert format_wan(Decimal("12000")) == "1.20 亿元"
    assert format_wan(Decimal("1198000")) == "119.80 亿元"
    assert format_wan(None) == "—"
    assert plain_number(Decimal("27000.0000")) == "27,000"
    assert plain_number(Decimal("0.0500")) == "0.05"
