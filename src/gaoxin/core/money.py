"""The one formatting helper for money: values are stored in 万元, shown in 万元 or 亿元."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _


def plain_number(value, places: int = 4) -> str:
    """1234.5000 → "1,234.5"; thousands separators, no trailing zeros."""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    number = number.quantize(Decimal(1).scaleb(-places)).normalize()
    text = f"{number:,f}"
    return text


def format_wan(value, *, unit: bool = True) -> str:
    """A 万元 amount for people: ≥ 1亿 shown in 亿元 with two decimals, else in 万元."""
    if value is None or value == "":
        return "—"
    number = Decimal(value)
    if abs(number) >= 10000:
        text = f"{(number / 10000).quantize(Decimal('0.01')):,f}"
        yi = _("亿元")  # outside the f-string, so that makemessages finds it
        return f"{text} {yi}" if unit else text
    text = plain_number(number)
    wan = _("万元")
    return f"{text} {wan}" if unit else text
