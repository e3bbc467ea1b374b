"""Figures with their units, for people, in the page's language: the one place that turns a value
in a Chinese unit (万元, 万千瓦时, 万吨 …) into text, and so the one place that gets the magnitude
right in English.

Chinese units carry a magnitude prefix: 万 = 10⁴, 亿 = 10⁸, 千 = 10³ (3亿千瓦时 is 3 × 10⁸ kWh).
Chinese pages show figures as they always have (万元 up to 1亿, then 亿元; 亿千瓦时 from 1亿).
English pages convert to the English ladder instead of translating the unit word, which
would read "3 100 GWh" for 3亿千瓦时:

- money counts in thousand / million / billion: 76亿元 is "7.6 billion yuan", 1.2万元
  "12 thousand yuan";
- energy and power climb the SI prefixes: 3亿千瓦时 is "300 GWh", 5万千瓦时 "50 MWh";
- other quantities show every digit up to a million, then millions and billions: 1.2万吨 is
  "12,000 t".

A unit not in the table keeps its Chinese word; its magnitude prefix is still multiplied out.
"""

from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _

# Magnitude characters; a prefix multiplies its characters (千万 = 10⁷, 万亿 = 10¹²).
MAGNITUDES = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}

WORDS = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand"))
DIGITS = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))
ENERGY = ((10**9, "TWh"), (10**6, "GWh"), (10**3, "MWh"), (1, "kWh"))
POWER = ((10**6, "GW"), (10**3, "MW"), (1, "kW"))

# Chinese base unit → (English unit, ladder). SI ladders replace the unit, the others put a
# magnitude word before it. Longest names first: 千瓦时 is a base unit (kWh), not 千 × 瓦时.
BASE_UNITS = {
    "千瓦时": ("kWh", ENERGY),
    "千瓦·时": ("kWh", ENERGY),
    "度": ("kWh", ENERGY),
    "千瓦": ("kW", POWER),
    "美元": ("US dollars", WORDS),
    "元": ("yuan", WORDS),
    "吨": ("t", DIGITS),
    "人": ("people", DIGITS),
    "人次": ("person-times", DIGITS),
    "家": ("enterprises", DIGITS),
    "户": ("households", DIGITS),
    "项": ("items", DIGITS),
    "件": ("items", DIGITS),
    "个": ("", DIGITS),
    "亩": ("mu", DIGITS),
    "平方米": ("m²", DIGITS),
    "公顷": ("ha", DIGITS),
    "%": ("%", ()),
    "‰": ("‰", ()),
    "百分点": ("percentage points", ()),
}


def english() -> bool:
    return (translation.get_language() or "").startswith("en")


def plain_number(value, places: int = 4) -> str:
    """1234.5000 → "1,234.5"; thousands separators, no trailing zeros."""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    number = number.quantize(Decimal(1).scaleb(-places)).normalize()
    text = f"{number:,f}"
    return text


def split(unit: str) -> tuple[int, str]:
    """ "万千瓦时" → (10000, "千瓦时"); "亿元" → (10⁸, "元"); "千瓦时" → (1, "千瓦时");
    a unit with no known base: its magnitude prefix and the rest ("万辆" → (10000, "辆"))."""
    unit = (unit or "").strip()
    for base in sorted(BASE_UNITS, key=len, reverse=True):
        if unit.endswith(base):
            factor = _factor(unit[: -len(base)])
            if factor is not None:
                return factor, base
    head = len(unit) - len(unit.lstrip("".join(MAGNITUDES)))
    return _factor(unit[:head]), unit[head:]


def _factor(prefix: str) -> int | None:
    factor = 1
    for char in prefix:
        if char not in MAGNITUDES:
            return None
        factor *= MAGNITUDES[char]
    return factor


def figure(value, unit: str, places: int | None = None, *, compact: bool = True) -> str:
    """A value in `unit` (the unit it is stored in) for people, "—" when there is none.

    Chinese: 万元 as 万元, from 1亿 as 亿元 with two decimals; 万千瓦时 from 1亿 as 亿千瓦时;
    others with their unit (`compact=False`: always in the unit given). English: in the English
    magnitude (`english_figure`)."""
    if value is None or value == "":
        return "—"
    if english():
        return english_figure(value, unit, places)
    number = Decimal(value)
    if compact and unit == "万元":
        if abs(number) >= 10000:
            text = f"{(number / 10000).quantize(Decimal('0.01')):,f}"
            yi = _("亿元")  # outside the f-string, so that makemessages finds it
            return f"{text} {yi}"
        wan = _("万元")
        return f"{plain_number(number)} {wan}"
    if compact and unit == "万千瓦时" and abs(number) >= 10000:
        yi = _("亿千瓦时")
        return f"{plain_number(number / 10000, 2)} {yi}"
    text = plain_number(number) if places is None else plain_number(number, places)
    return f"{text} {unit or ''}".strip()


def english_figure(value, unit: str, places: int | None = None) -> str:
    """The value in the English magnitude: 30000 万千瓦时 → "300 GWh", 760000 万元 → "7.6 billion
    yuan", 1.2 万元 → "12 thousand yuan", 1.2 万吨 → "12,000 t". Two decimals at most once
    scaled; `places` (the indicator's) below the first step."""
    factor, base = split(unit)
    number = Decimal(value) * factor
    name, ladder = BASE_UNITS.get(base, (base, DIGITS))
    scaled, word = scale(number, name, ladder)
    if word is None:  # below the first step: the number as it is, in its own precision
        text = plain_number(number, 2 if places is None else places)
        word = name
    else:
        text = plain_number(scaled, 2)
    if word in ("%", "‰"):
        return f"{text}{word}"
    return f"{text} {word}".strip()


def scale(number: Decimal, name: str, ladder) -> tuple[Decimal, str | None]:
    """(number in the largest step it reaches, that step's unit text), or (number, None)."""
    for size, step in ladder:
        if abs(number) >= size:
            if ladder in (ENERGY, POWER):
                return number / size, step
            return number / size, f"{step} {name}".strip()
    return number, None


def unit_label(unit: str) -> str:
    """A unit as a column header names it, for values shown as stored: Chinese as it is; English
    as the statistical yearbooks write it, the magnitude in digits ("万元" → "10,000 yuan",
    "亿千瓦时" → "100 million kWh", "万吨" → "10,000 t", "人" → "people")."""
    if not english():
        return unit or ""
    factor, base = split(unit)
    name = BASE_UNITS.get(base, (base, DIGITS))[0]
    if factor == 1:
        return name
    for size, word in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
        if factor % size == 0:
            return f"{plain_number(factor // size, 0)} {word} {name}".strip()
    return f"{plain_number(factor, 0)} {name}".strip()


def chart_unit(values, unit: str) -> tuple[Decimal, str | None]:
    """How a chart shows values stored in `unit`: (divisor, axis name). Chinese: as stored and
    as the chart always named it, (1, None). English: in the step the largest value reaches,
    "million yuan", "GWh"."""
    if not english():
        return Decimal(1), None
    factor, base = split(unit)
    name, ladder = BASE_UNITS.get(base, (base, DIGITS))
    top = max((abs(Decimal(v)) for v in values if v is not None), default=Decimal(0))
    for size, step in ladder:
        if top * factor >= size:
            text = step if ladder in (ENERGY, POWER) else f"{step} {name}".strip()
            return Decimal(size) / factor, text
    unit_name = ladder[-1][1] if ladder in (ENERGY, POWER) else name
    return Decimal(1) / factor, unit_name


def chart_values(values, divisor: Decimal) -> list:
    """The values divided for a chart, as JSON numbers (None stays a gap)."""
    return [None if v is None else float(Decimal(v) / divisor) for v in values]
