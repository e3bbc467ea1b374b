"""What people type into spreadsheets, made uniform, and the cell parsers built on it.

A parser takes one non-blank cell value (str, int, float, bool, date, datetime as calamine or the
csv module return it) and returns the Python value, or raises ValueError with a Chinese reason that
says what is wrong and what is right. Blank cells never reach a parser.
"""

import datetime as dt
import math
import re
from decimal import Decimal

from django.utils.translation import gettext as _

# Full-width ASCII (U+FF01–U+FF5E) and the ideographic space, as typed with a Chinese IME.
_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# Only letters and digits: free text keeps its Chinese punctuation (registered enterprise names
# use full-width brackets, and rewriting them would change the name).
_HALFWIDTH_ALNUM = {
    code: code - 0xFEE0
    for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
}
# \s covers the ideographic space and no-break spaces; zero-width ones and the BOM are added.
_SPACES = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug included)


def halfwidth(text: str) -> str:
    return text.translate(_HALFWIDTH)


def clean_text(text: str) -> str:
    """One line of text: control characters dropped, any run of spaces made one, ends trimmed."""
    return _SPACES.sub(" ", _CONTROL.sub("", text)).strip()


def compact(text: str) -> str:
    """Half-width with every space removed: for codes, numbers, dates and choices."""
    return _SPACES.sub("", halfwidth(_CONTROL.sub("", text)))


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not clean_text(value)
    return isinstance(value, float) and math.isnan(value)


def display(value) -> str:
    """A cell value as a person would read it in an error message."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S").removesuffix(" 00:00:00")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _number_text(value) -> str | None:
    """Numeric cells as text without a spurious '.0' (phone numbers, codes typed as numbers)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return None


def parse_text(value) -> str:
    """Free text (names, addresses): spaces tidied, full-width letters and digits half-width."""
    number = _number_text(value)
    if number is not None:
        return number
    if isinstance(value, dt.date):
        return display(value)
    return clean_text(str(value).translate(_HALFWIDTH_ALNUM))


def parse_code(value) -> str:
    """Codes and phone numbers: half-width, upper case, no spaces.

    A long code stored by Excel as a number has lost its last digits (Excel keeps 15 significant
    digits), so it is refused rather than guessed.
    """
    if isinstance(value, float) and abs(value) >= 1e15:
        raise ValueError(
            _("该单元格被 Excel 存成了数字,超过 15 位的部分已丢失;请把该列设为文本格式后重新填写")
        )
    number = _number_text(value)
    if number is not None:
        return number
    return compact(str(value)).upper()


def _to_decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError
        return Decimal(repr(value))  # the shortest repr: 0.1 stays 0.1
    raise ValueError


_NUMBER = re.compile(r"^([+-]?)(\d+(?:\.\d*)?|\.\d+)$")


def parse_decimal(value) -> Decimal:
    """A plain number; thousands separators and spaces are ignored."""
    try:
        return _to_decimal(value)
    except ValueError:
        pass
    text = compact(str(value)).replace(",", "")
    match = _NUMBER.match(text)
    if not match:
        raise ValueError(_("「%(v)s」不是数字") % {"v": display(value)})
    return Decimal(match.group(1) + match.group(2))


# Money suffixes and their factor to 万元 (the unit the platform stores money in).
_MONEY_UNITS = {
    "亿元": Decimal(10000),
    "亿": Decimal(10000),
    "千万元": Decimal(1000),
    "千万": Decimal(1000),
    "百万元": Decimal(100),
    "百万": Decimal(100),
    "万元": Decimal(1),
    "万": Decimal(1),
    "元": Decimal("0.0001"),
}
_MONEY = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(" + "|".join(_MONEY_UNITS) + r")?$")


def parse_wan(value) -> Decimal:
    """Money in 万元: plain numbers are 万元; '1.2亿' is 12000, '500万' 500, '3,000,000元' 300."""
    try:
        return _to_decimal(value)
    except ValueError:
        pass
    text = compact(str(value)).replace(",", "")
    for prefix in ("人民币", "RMB", "CNY", "¥", "￥"):
        text = text.removeprefix(prefix)
    match = _MONEY.match(text)
    if not match:
        raise ValueError(
            _("无法识别的金额「%(v)s」:请填写数字,单位为万元(也可写 1.2亿、500万)")
            % {"v": display(value)}
        )
    amount = Decimal(match.group(1)) * _MONEY_UNITS[match.group(2) or "万"]
    return Decimal(int(amount)) if amount == amount.to_integral() else amount.normalize()


# Scale words of a unit, longest first: 万元 is 10^4 元, 亿千瓦时 10^8 千瓦时, 千元 10^3 元.
UNIT_SCALES = (("千万", 10**7), ("百万", 10**6), ("亿", 10**8), ("万", 10**4), ("千", 10**3))
# After 千 these make a unit of their own: 千瓦时 is a unit, not a thousand 瓦时.
_OWN_UNITS_AFTER_QIAN = ("瓦", "克", "米", "伏", "焦", "帕", "卡", "赫", "升")
_NOT_FINITE = {"nan", "inf", "infinity", "∞", "无穷", "无穷大", "正无穷", "负无穷", "无限"}
_SCIENTIFIC = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)e[+-]?\d+$", re.IGNORECASE)
_QUANTITY = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(\D*)$")


def unit_scale(unit: str) -> tuple[int, str]:
    """(scale, base) of a unit: 万元 → (10000, "元"), 亿千瓦时 → (10^8, "千瓦时"), 千元 → (1000,
    "元"); a unit without a scale word is its own base: 人 → (1, "人"), 千瓦时 → (1, "千瓦时")."""
    unit = (unit or "").strip()
    for word, scale in UNIT_SCALES:
        base = unit[len(word) :]
        if unit.startswith(word) and base:
            if word == "千" and base.startswith(_OWN_UNITS_AFTER_QIAN):
                continue
            return scale, base
    return 1, unit


def _suffix_factor(suffix: str, unit: str) -> Decimal | None:
    """What a number followed by `suffix` is worth in `unit`: "" and the unit itself 1; a scale
    word with or without the unit's base (亿, 亿千瓦时) and the base alone (元 in 万元) converted;
    None for anything else (another unit is refused, never guessed)."""
    if suffix in ("", unit):
        return Decimal(1)
    scale, base = unit_scale(unit)
    if base == "%":
        return None
    if suffix == base:
        return Decimal(1) / Decimal(scale)
    for word, word_scale in UNIT_SCALES:
        if suffix in (word, word + base):
            return Decimal(word_scale) / Decimal(scale)
    return None


def refuse_odd_number(text: str, shown, unit: str) -> None:
    """NaN, infinities and scientific notation (Excel shows a rounded 1.2E+07 in a narrow cell)
    are refused with their own reason."""
    folded = text.lower().lstrip("+-")
    if folded in _NOT_FINITE:
        raise ValueError(
            _("「%(v)s」不是有限的数字:请填写具体数值(单位:%(u)s)")
            % {"v": display(shown), "u": unit}
        )
    if _SCIENTIFIC.match(text):
        raise ValueError(
            _("「%(v)s」是科学计数法,可能已被四舍五入:请写出完整的数字(单位:%(u)s)")
            % {"v": display(shown), "u": unit}
        )


def parse_quantity(value, unit: str) -> Decimal:
    """A number in `unit` as people type it. A plain number is in `unit`; a scale word with or
    without the unit's base (1.2亿, 500万, 1.2亿千瓦时) and the base itself (8000千瓦时 in 万千瓦时)
    are converted into it; money in 万元 is read as `parse_wan` reads it (3,000,000元 is 300).
    Thousands separators, spaces and full-width characters are ignored. NaN, infinities and
    scientific notation are refused with their own reasons; any other unit is refused."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            refuse_odd_number("nan", value, unit)
        return value
    if isinstance(value, float) and not math.isfinite(value):
        refuse_odd_number("nan", value, unit)
    try:
        return _to_decimal(value)
    except ValueError:
        if isinstance(value, bool):
            raise ValueError(_("「%(v)s」不是数字") % {"v": display(value)}) from None
    text = compact(str(value)).replace(",", "").replace("\u2212", "-")
    refuse_odd_number(text, value, unit)
    if unit == "万元":
        return parse_wan(str(value).replace("\u2212", "-"))
    match = _QUANTITY.match(text)
    factor = _suffix_factor(match.group(2), unit) if match else None
    if factor is None:
        if unit_scale(unit)[1] == "%":
            raise ValueError(
                _("「%(v)s」不是数字:请填写百分数的数值,如 12.5") % {"v": display(value)}
            )
        raise ValueError(
            _("「%(v)s」不是数字:请填写以%(u)s为单位的数值(也可写 1.2亿、500万)")
            % {"v": display(value), "u": unit}
        )
    amount = Decimal(match.group(1)) * factor
    return Decimal(int(amount)) if amount == amount.to_integral() else amount.normalize()


def parse_int(value) -> int:
    number = parse_decimal(value)
    if number != number.to_integral():
        raise ValueError(_("「%(v)s」应为整数") % {"v": display(value)})
    return int(number)


_YMD = re.compile(
    r"^(\d{4})[年./\-](\d{1,2})[月./\-](\d{1,2})[日号]?(?:\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_YM = re.compile(r"^(\d{4})[年./\-](\d{1,2})月?$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")


def _date(year: int, month: int, day: int, raw) -> dt.date:
    if year < 1900:
        raise ValueError(_("日期「%(v)s」的年份早于 1900 年") % {"v": display(raw)})
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(
            _("日期不存在:%(y)d年%(m)d月%(d)d日") % {"y": year, "m": month, "d": day}
        ) from None


def _serial(number: float, raw) -> dt.date:
    if 1900 <= number <= 2100 and float(number).is_integer():
        raise ValueError(_("「%(v)s」只有年份,请填写完整日期,如 2019-11-03") % {"v": display(raw)})
    if not 1 <= number < 2958466:  # 2958465 = 9999-12-31
        raise ValueError(_("无法识别的日期「%(v)s」") % {"v": display(raw)})
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def parse_date(value) -> dt.date:
    """2019年11月3日, 2019.11.3, 2019/11/03, 2019-11-03, 20191103, Excel serials, date cells.

    A month alone (2019年11月, 2019.11) means the first day of that month.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool | dt.time | dt.timedelta):
        raise ValueError(_("「%(v)s」不是日期") % {"v": display(value)})
    if isinstance(value, int | float):
        text = display(value)
        if len(text) == 8 and text.isdigit():
            return _date(int(text[:4]), int(text[4:6]), int(text[6:]), value)
        return _serial(value, value)
    text = compact(str(value))
    if match := _YMD.match(text):
        return _date(*map(int, match.groups()), value)
    if match := _YM.match(text):
        return _date(int(match.group(1)), int(match.group(2)), 1, value)
    if text.isdigit() and len(text) in (6, 8):
        day = int(text[6:]) if len(text) == 8 else 1
        return _date(int(text[:4]), int(text[4:6]), day, value)
    if _SERIAL.match(text) or (text.isdigit() and len(text) == 4):
        return _serial(float(text), value)
    raise ValueError(
        _("无法识别的日期「%(v)s」:请按 2019-11-03 或 2019年11月3日 填写") % {"v": display(value)}
    )


_TRUE = {"是", "√", "✓", "✔", "Y", "YES", "TRUE", "T", "1", "是的", "有"}
_FALSE = {"否", "×", "✗", "✘", "X", "N", "NO", "FALSE", "F", "0", "不是", "无"}


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = display(value) if isinstance(value, int | float) else compact(str(value)).upper()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(_("「%(v)s」应填写 是 或 否") % {"v": display(value)})


def bool_label(value) -> str:
    return "" if value is None else (_("是") if value else _("否"))


class Choice:
    """A parser for one of a fixed set of labels, e.g. 企业规模 大型/中型/小型/微型.

    options: label → stored value; aliases: more labels for the same values. The stored values
    themselves are accepted too, so an API export can be imported.
    """

    def __init__(self, what: str, options: dict, aliases: dict | None = None):
        self.what = what
        self.labels = list(options)
        self.lookup = {}
        for label, stored in [*options.items(), *(aliases or {}).items()]:
            self.lookup[compact(str(label)).upper()] = stored
        for stored in options.values():
            self.lookup.setdefault(compact(str(stored)).upper(), stored)
        self.label_of = {stored: label for label, stored in options.items()}

    def __call__(self, value):
        found = self.lookup.get(compact(display(value)).upper())
        if found is None:
            raise ValueError(
                _("「%(v)s」不是有效的%(what)s,可选:%(opts)s")
                % {"v": display(value), "what": self.what, "opts": "、".join(self.labels)}
            )
        return found


_LIST_SEPARATORS = re.compile(r"[、,，;；\n\r]+")


def split_list(value) -> list[str]:
    """Several values in one cell, separated by 、 , , ; ; or line breaks; repeats dropped."""
    parts = (clean_text(p) for p in _LIST_SEPARATORS.split(display(value)))
    return list(dict.fromkeys(p for p in parts if p))


_DOLLAR_MARKS = ("US$", "USD", "$")
_YUAN_MARKS = ("元", "人民币", "RMB", "CNY", "¥", "￥")


def parse_usd_wan(value) -> Decimal:
    """Money in 万美元 (foreign investment): plain numbers are 万美元; '1.2亿美元' is 12000,
    '120万美元' 120, '3,000,000美元' 300; 'USD'/'$' name the column's unit. An amount in
    人民币 (元, ¥) is refused rather than taken for dollars."""
    try:
        return _to_decimal(value)
    except ValueError:
        pass
    text = compact(str(value)).replace(",", "")
    upper = text.upper()
    for mark in _DOLLAR_MARKS:
        upper = upper.removeprefix(mark).removesuffix(mark)
    if upper.endswith("美元"):
        upper = upper[: -len("美元")] + "元"  # the importer's factors, in dollars
    elif any(mark in upper for mark in _YUAN_MARKS):
        upper = "?"
    try:
        if "美元" in upper or upper.startswith(("人民币", "RMB", "CNY", "¥", "￥")):
            raise ValueError
        return parse_wan(upper)
    except ValueError:
        raise ValueError(
            _("无法识别的金额「%(v)s」:请填写数字,单位为万美元(也可写 1.2亿美元、500万美元)")
            % {"v": display(value)}
        ) from None
