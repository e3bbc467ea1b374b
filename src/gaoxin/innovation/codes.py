"""The numbers innovation records carry: Chinese patent application numbers with their check
character (DOMAIN.md, "Chinese patent application numbers") and high-tech enterprise certificate
numbers (`GR` + year + province code + serial)."""

import csv
import functools
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gaoxin.core import clock
from gaoxin.core.codelists import DATA
from gaoxin.core.codes import FULLWIDTH

from .models.choices import PATENT_KIND_DIGITS, PatentKind

# Weights of the check character: the 12-digit form (since October 2003) and the 8-digit one.
WEIGHTS_12 = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
WEIGHTS_8 = (2, 3, 4, 5, 6, 7, 8, 9)
FIRST_12_DIGIT_YEAR = 2003
OLD_FORM_YEARS = {f"{y % 100:02d}" for y in range(1985, 2004)}  # 85 … 99, 00 … 03
FIRST_HIGHTECH_YEAR = 2008  # certificates under the 2008 rules; older ones have long expired
_DOTS = str.maketrans({"．": ".", "。": ".", "·": "."})
_PATENT = re.compile(r"^(\d+)(?:\.([0-9X]))?$")
_PATENT_NO_DOT = re.compile(r"^(\d{12}|\d{8})([0-9X])$")
_HIGHTECH = re.compile(r"^GR(\d{4})(\d{2})(\d{5,6})$")


def _compact(text) -> str:
    """Half-width, upper case, no spaces, any dot made ASCII."""
    text = str(text or "").translate(FULLWIDTH).translate(_DOTS).upper()
    return "".join(ch for ch in text if not ch.isspace())


def check_character(digits: str) -> str:
    """The check character of 12 or 8 application-number digits: Σ digit × weight mod 11, 10 → X."""
    weights = WEIGHTS_12 if len(digits) == 12 else WEIGHTS_8
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return "X" if total == 10 else str(total)


def _format_error() -> ValidationError:
    return ValidationError(
        _(
            "专利申请号格式不正确:应为 12 位数字加校验位(如 201710601862.3),"
            "或 2003 年 10 月前的 8 位数字加校验位(如 95115608.X)"
        )
    )


def _split(text) -> tuple[str, str | None]:
    """(the digits, the check character or None) as typed, `ZL` and spaces removed."""
    compact = _compact(text)
    if compact.startswith("ZL"):
        compact = compact[2:]
    if not compact:
        raise ValidationError(_("请填写专利申请号"))
    match = _PATENT.match(compact)
    if match and "." not in compact and len(match.group(1)) in (9, 13):
        match = None  # the check character typed without its dot: split it off below
    if match is None:
        match = _PATENT_NO_DOT.match(compact)
    if match is None or len(match.group(1)) not in (12, 8):
        raise _format_error()
    return match.group(1), match.group(2)


def _check_digits(digits: str) -> None:
    """The year and the kind digit of a 12- or 8-digit application number."""
    if len(digits) == 12:
        year, kind, kind_position = int(digits[:4]), digits[4], 5
        if not FIRST_12_DIGIT_YEAR <= year <= clock.today().year:
            raise ValidationError(
                _("专利申请号的申请年份 %(y)s 不正确:12 位申请号的年份应在 %(a)s 至 %(b)s 之间")
                % {"y": year, "a": FIRST_12_DIGIT_YEAR, "b": clock.today().year}
            )
    else:
        year, kind, kind_position = digits[:2], digits[2], 3
        if year not in OLD_FORM_YEARS:
            raise ValidationError(
                _("专利申请号的申请年份 %(y)s 不正确:8 位申请号用于 1985 至 2003 年") % {"y": year}
            )
    if kind not in PATENT_KIND_DIGITS:
        raise ValidationError(
            _("专利申请号第 %(p)s 位是专利类型,应为 1、2、3、8 或 9,现为 %(k)s")
            % {"p": kind_position, "k": kind}
        )


def normalize_patent_number(text) -> str:
    """The application number in its normal form (201710601862.3, 95115608.X). Tolerates a `ZL`
    prefix, spaces, full-width characters, a missing dot and a lower-case x; anything else wrong
    raises ValidationError saying what is wrong (a wrong check character names the right one)."""
    digits, given = _split(text)
    _check_digits(digits)
    expected = check_character(digits)
    if given is None:
        raise ValidationError(
            _("专利申请号缺少校验位:完整的申请号应为 %(n)s") % {"n": f"{digits}.{expected}"}
        )
    if given != expected:
        raise ValidationError(_("专利申请号校验位错误:应为 %(c)s") % {"c": expected})
    return f"{digits}.{expected}"


def patent_kind(number) -> PatentKind:
    """The kind of patent an application number (any tolerated form) is for, by its kind digit."""
    digits = normalize_patent_number(number).split(".")[0]
    return PATENT_KIND_DIGITS[digits[4] if len(digits) == 12 else digits[2]]


@functools.cache
def province_codes() -> frozenset[str]:
    """The 2-digit codes of GB/T 2260's provincial divisions (11 北京 … 36 江西 … 82 澳门)."""
    with open(DATA / "gbt2260-2024-divisions.csv", encoding="utf-8") as f:
        return frozenset(r["code"][:2] for r in csv.DictReader(f) if r["level"] == "province")


def check_hightech_number(text) -> str:
    """A high-tech enterprise certificate number in its normal form (GR201936000123): `GR`, the
    year (2008 … this year), a GB/T 2260 province code and a 5–6 digit serial; else
    ValidationError saying what is wrong."""
    number = _compact(text)
    if not number:
        raise ValidationError(_("请填写高新技术企业证书编号"))
    match = _HIGHTECH.match(number)
    if match is None:
        raise ValidationError(
            _(
                "高新技术企业证书编号格式应为 GR + 年份(4 位)+ 省份代码(2 位)+ 序号(5–6 位),"
                "如 GR201936000123"
            )
        )
    year, province = int(match.group(1)), match.group(2)
    this_year = clock.today().year
    if not FIRST_HIGHTECH_YEAR <= year <= this_year:
        raise ValidationError(
            _("证书编号中的年份 %(y)s 不正确:应在 %(a)s 至 %(b)s 之间")
            % {"y": year, "a": FIRST_HIGHTECH_YEAR, "b": this_year}
        )
    if province not in province_codes():
        raise ValidationError(
            _("证书编号中的省份代码 %(p)s 不是有效的省级行政区划代码(如江西为 36)")
            % {"p": province}
        )
    return number
