"""Reporting periods (DESIGN.md conventions): a month of a year, with the helpers statistics need.

Enterprises report monthly, January exempt: the first return of a year covers 1–2月 together, so
a year has the reporting months 2..12 and February's return is the "1–2月" one. Values are
usually cumulative year to date; the month's own value is the difference with the previous
reporting month of the same year (for February, the 1–2月 value itself).

A period is stored as the integer yyyymm (201912): it sorts, indexes and compares cheaply, and the
same month last year is `period - 100`.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FIRST_MONTH = 2  # the 1–2月 return
MONTHS = tuple(range(FIRST_MONTH, 13))

# What people type, after `_compact` (full-width made half-width, spaces dropped, upper case).
_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_YEAR = re.compile(r"^(\d{4})(?:年|年度|年全年|全年)?$")
_MONTH = re.compile(r"^(\d{4})(?:[-./]|年)(\d{1,2})(?:月份?)?$")
_YYYYMM = re.compile(r"^(\d{4})(\d{2})$")
_MONTHS = re.compile(r"^(\d{4})年(\d{1,2})月?[-–—~〜至到](\d{1,2})月份?$")
_QUARTER = re.compile(r"^(\d{4})(?:年?第?([1-4一二三四])季度?|[-年]?Q([1-4]))$")
_FIRST_THREE = re.compile(r"^(\d{4})年?前三季度?$")
_HALF = re.compile(r"^(\d{4})(?:年?([上下])半年|[-年]?H([12]))$")
_SPACES = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


def _compact(text) -> str:
    """Full-width digits, letters and punctuation made half-width, every space dropped."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(text))).upper()


def forms_message(text) -> str:
    """The one answer to a period nobody can read: what was typed and the forms accepted."""
    return _(
        "无法识别的期间「%(v)s」,可以这样写:2019-12、201912、2019.12、2019年12月、"
        "2019年1-12月、2019年(全年)、2020Q1、2020年一季度、2020年上半年"
    ) % {"v": str(text).strip()}


@dataclass(frozen=True)
class Span:
    """The months of one year a person named: a year, a half, a quarter, one month or months
    `first`–`last` (1–12月, 1–2月, 前三季度). `kind` is year / half / quarter / month / months."""

    year: int
    first: int
    last: int
    kind: str

    @property
    def number(self) -> int:
        """The half's or the quarter's number (1 for 上半年 and 一季度)."""
        return (self.last - 1) // (6 if self.kind == "half" else 3) + 1

    @property
    def cumulative(self) -> bool:
        """It starts in January: a reporting period's year-to-date value covers exactly it."""
        return self.first == 1


def read(text) -> Span:
    """The one reader of a period a person typed (pages, API parameters, importers): "2019",
    "2019年", "2019年12月", "2019年1-12月", "2019-12", "201912", "2019.12", "2020年一季度",
    "2020年第一季度", "2020Q1", "2020年上半年", "2020H1", "2020年前三季度", full-width or spaced.
    A month outside 1–12 and anything else unreadable raise ValueError with a Chinese message."""
    compact = _compact(text)
    if match := _YEAR.match(compact):
        return Span(int(match[1]), 1, 12, "year")
    if match := _MONTH.match(compact) or _YYYYMM.match(compact):
        return _span(int(match[1]), int(match[2]), int(match[2]), "month")
    if match := _MONTHS.match(compact):
        first, last = int(match[2]), int(match[3])
        if first == last:
            return _span(int(match[1]), first, last, "month")
        if first > last:
            raise ValueError(_("起始月份不能晚于结束月份:%(v)s") % {"v": str(text).strip()})
        return _span(int(match[1]), first, last, "months")
    if match := _QUARTER.match(compact):
        quarter = _CN[match[2] or match[3]]
        return Span(int(match[1]), 3 * quarter - 2, 3 * quarter, "quarter")
    if match := _FIRST_THREE.match(compact):
        return Span(int(match[1]), 1, 9, "months")
    if match := _HALF.match(compact):
        first = 1 if (match[2] or match[3]) in ("上", "1") else 7
        return Span(int(match[1]), first, first + 5, "half")
    raise ValueError(forms_message(text))


def _span(year: int, first: int, last: int, kind: str) -> Span:
    for month in (first, last):
        if not 1 <= month <= 12:
            raise ValueError(_("报告期不正确:%(y)s年%(m)s月") % {"y": year, "m": month})
    return Span(year, first, last, kind)


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int

    def __post_init__(self):
        if not (2000 <= self.year <= 2100) or not (1 <= self.month <= 12):
            raise ValueError(_("报告期不正确:%(y)s年%(m)s月") % {"y": self.year, "m": self.month})

    # ---- conversions ----
    @classmethod
    def of(cls, value: "int | str | Period") -> "Period":
        """From yyyymm (201912), or text as `read` reads it ("2019-12", "2019年12月",
        "2019年1-12月", "2019年", "2020年一季度", "2020年上半年" …). A period is a month and its
        year to date, so a span that starts in January is its last month (2019年 is 2019-12,
        一季度 is 03, 上半年 is 06); one that does not (二季度, 下半年, 4–6月) is refused with the
        month to ask for instead."""
        if isinstance(value, Period):
            return value
        if isinstance(value, int):
            return cls(value // 100, value % 100)
        span = read(value or "")
        if span.kind != "month" and not span.cumulative:
            raise ValueError(
                _(
                    "「%(v)s」是 %(a)s–%(b)s 月,不是报告期:报告期是一个月或本年累计(1–N 月),"
                    "可改查 %(y)s-%(b)02d(%(y)s年1–%(b)s月累计)"
                )
                % {"v": str(value).strip(), "a": span.first, "b": span.last, "y": span.year}
            )
        return cls(span.year, span.last)

    @classmethod
    def reporting(cls, value) -> "Period":
        """A period a monthly return can be for: January is folded into the 1–2月 return."""
        period = cls.of(value)
        if period.month == 1:
            raise ValueError(_("1 月免报:1–2 月合并为一期,请填写 %(y)s-02") % {"y": period.year})
        return period

    @classmethod
    def parse(
        cls, text, *, reporting: bool = True, field: str | None = None, default=None
    ) -> "Period":
        """A period a person typed (a page's query string or form, an API parameter), read as
        `of` reads it; with `reporting`, January is refused as `reporting` refuses it. Blank text
        gives `default` when there is one. Errors are one ValidationError with the Chinese
        message, on `field` when it is named (an API's parameter) or else unnamed (a form field's;
        a page answers it with 404)."""
        if text is None or not str(text).strip():
            if default is not None:
                return default
            message = _("请填写报告期(YYYY-MM,如 2019-12)")
        else:
            try:
                return cls.reporting(text) if reporting else cls.of(text)
            except ValueError as exc:
                message = str(exc)
        raise ValidationError({field: message} if field else message)

    @property
    def key(self) -> int:
        return self.year * 100 + self.month

    def __str__(self):
        return f"{self.year}-{self.month:02d}"

    # ---- neighbours ----
    def same_last_year(self) -> "Period":
        return Period(self.year - 1, self.month)

    def previous_reporting(self) -> "Period | None":
        """The previous return of the same year (None for the 1–2月 return)."""
        if self.month <= FIRST_MONTH:
            return None
        return Period(self.year, self.month - 1)

    def previous_month(self) -> "Period":
        """Last month's return, across the year boundary (January folds into December)."""
        if self.month <= FIRST_MONTH:
            return Period(self.year - 1, 12)
        return Period(self.year, self.month - 1)

    def next_reporting(self) -> "Period":
        if self.month == 12:
            return Period(self.year + 1, FIRST_MONTH)
        return Period(self.year, max(self.month + 1, FIRST_MONTH))

    def months_back(self, count: int) -> list["Period"]:
        """This and the previous reporting periods, oldest first (`count` in all)."""
        periods = [self]
        while len(periods) < count:
            periods.append(periods[-1].previous_month())
        return periods[::-1]

    @property
    def quarter(self) -> int:
        return (self.month - 1) // 3 + 1

    @property
    def is_combined(self) -> bool:
        """The 1–2月 return."""
        return self.month == FIRST_MONTH

    # ---- labels ----
    def label(self) -> str:
        """The month: "2019年12月", or "2019年1–2月" for the combined return."""
        if self.is_combined:
            return _("%(y)d年1–2月") % {"y": self.year}
        return _("%(y)d年%(m)d月") % {"y": self.year, "m": self.month}

    def ytd_label(self) -> str:
        """Year to date: "2019年1–12月"."""
        return _("%(y)d年1–%(m)d月") % {"y": self.year, "m": self.month}
