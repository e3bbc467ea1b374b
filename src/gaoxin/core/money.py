"""The one formatting helper for money: values are stored in 万元, shown in 万元 or 亿元 (in
English, in thousand / million / billion yuan: `core.units`)."""

from decimal import Decimal

from .units import figure, plain_number

__all__ = ["format_wan", "plain_number"]


def format_wan(value, *, unit: bool = True) -> str:
    """A 万元 amount for people: ≥ 1亿 shown in 亿元 with two decimals, else in 万元; in English
    "7.6 billion yuan" (`units.figure`). Without `unit`, the Chinese number alone (a column
    whose header names the unit)."""
    if unit or value is None or value == "":
        return figure(value, "万元")
    number = Decimal(value)
    if abs(number) >= 10000:
        return f"{(number / 10000).quantize(Decimal('0.01')):,f}"
    return plain_number(number)
