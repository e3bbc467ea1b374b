"""Reporting periods (DESIGN.md conventions): a month of a year, with the helpers statistics need.

Enterprises report monthly, January exempt: the first return of a year covers 1–2月 together, so
a year has the reporting months 2..12 and February's return is the "1–2月" one. Values are
usually cumulative year to date; the month's own value is the difference with the previous
reporting month of the same year (for February, the 1–2月 value itself).

A period is stored as the integer yyyymm (201912): it sorts, indexes and compares cheaply, and the
same month last year is `period - 100`.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FIRST_MONTH = 2  # the 1–2月 return
MONTHS = tuple(range(FIRST_MONTH, 13))

_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})\s*年\s*1\s*[-–—~至]\s*(\d{1,2})\s*月$"),
)


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
        """From yyyymm (201912), "2019-12", "2019.12", "2019年12月", "2019年1-12月"."""
        if isinstance(value, Period):
            return value
        if isinstance(value, int):
            return cls(value // 100, value % 100)
        text = str(value or "").strip()
        for pattern in _PATTERNS:
            match = pattern.match(text)
            if match:
                return cls(int(match[1]), int(match[2]))
        raise ValueError(_("报告期格式应为 YYYY-MM(如 2019-12),实际为 %(v)s") % {"v": text})

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
