"""Patent application numbers and high-tech certificate numbers (innovation.codes)."""

import pytest
import time_machine
from django.core.exceptions import ValidationError

from gaoxin.innovation.codes import (
    check_character,
    check_hightech_number,
    normalize_patent_number,
    patent_kind,
)
from gaoxin.innovation.models import PatentKind

FORMAT = (
    "专利申请号格式不正确:应为 12 位数字加校验位(如 201710601862.3),"
    "或 2003 年 10 月前的 8 位数字加校验位(如 95115608.X)"
)
GR_FORMAT = (
    "高新技术企业证书编号格式应为 GR + 年份(4 位)+ 省份代码(2 位)+ 序号(5–6 位),如 GR201936000123"
)


def refused(func, text) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        func(text)
    return exc.value.messages


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("201710601862.3", "201710601862.3"),
        ("ZL201710601862.3", "201710601862.3"),
        ("zl 2017 1060 1862.3", "201710601862.3"),
        ("２０１７１０６０１８６２．３", "201710601862.3"),
        ("2017106018623", "201710601862.3"),
        (" 95115608.X ", "95115608.X"),
        ("95115608.x", "95115608.X"),
        ("95115608x", "95115608.X"),
        ("ZL95115608.X", "95115608.X"),
    ],
)
def test_valid_patent_numbers_come_back_in_normal_form(text, normal):
    assert normalize_patent_number(text) == normal


def test_check_character_sums_weights_mod_11_and_ten_is_x():
    assert check_character("201710601862") == "3"
    assert check_character("95115608") == "X"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("201710601862.4", "专利申请号校验位错误:应为 3"),
        ("2017106018624", "专利申请号校验位错误:应为 3"),
        ("95115608.1", "专利申请号校验位错误:应为 X"),
        ("201710601862", "专利申请号缺少校验位:完整的申请号应为 201710601862.3"),
        ("ZL201710601862.", FORMAT),
        ("95115608", "专利申请号缺少校验位:完整的申请号应为 95115608.X"),
        ("", "请填写专利申请号"),
        ("ZL", "请填写专利申请号"),
        (None, "请填写专利申请号"),
        ("20171060186.3", FORMAT),
        ("201710601862.34", FORMAT),
        ("CN201710601862.3", FORMAT),
        ("2017-10601862.3", FORMAT),
        ("201710601862.Y", FORMAT),
        (
            "201740601862.3",
            "专利申请号第 5 位是专利类型,应为 1、2、3、8 或 9,现为 4",
        ),
        ("95415608.X", "专利申请号第 3 位是专利类型,应为 1、2、3、8 或 9,现为 4"),
        (
            "200210601862.3",
            "专利申请号的申请年份 2002 不正确:12 位申请号的年份应在 2003 至 2026 之间",
        ),
        ("05115608.X", "专利申请号的申请年份 05 不正确:8 位申请号用于 1985 至 2003 年"),
    ],
)
@time_machine.travel("2026-06-01 12:00 +0800", tick=False)
def test_invalid_patent_numbers_say_what_is_wrong(text, message):
    assert refused(normalize_patent_number, text) == [message]


@time_machine.travel("2026-06-01 12:00 +0800", tick=False)
def test_a_number_from_a_future_year_is_refused():
    digits = "202710601862"
    text = f"{digits}.{check_character(digits)}"
    assert refused(normalize_patent_number, text) == [
        "专利申请号的申请年份 2027 不正确:12 位申请号的年份应在 2003 至 2026 之间"
    ]


@pytest.mark.parametrize(
    ("digits", "kind"),
    [
        ("201710601862", PatentKind.INVENTION),
        ("201720601862", PatentKind.UTILITY),
        ("201730601862", PatentKind.DESIGN),
        ("201780601862", PatentKind.PCT_INVENTION),
        ("201790601862", PatentKind.PCT_UTILITY),
        ("95115608", PatentKind.INVENTION),
        ("95215608", PatentKind.UTILITY),
    ],
)
def test_patent_kind_comes_from_the_kind_digit(digits, kind):
    assert patent_kind(f"ZL{digits}.{check_character(digits)}") == kind


def test_patent_kind_of_a_bad_number_raises_the_same_message():
    assert refused(patent_kind, "201710601862.4") == ["专利申请号校验位错误:应为 3"]


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("GR201936000123", "GR201936000123"),
        ("gr201936000123", "GR201936000123"),
        (" GR 2019 36 00012 ", "GR20193600012"),
        ("ＧＲ２０１９３６０００１２３", "GR201936000123"),
        ("GR200811000001", "GR200811000001"),
        ("GR202682000001", "GR202682000001"),
    ],
)
@time_machine.travel("2026-06-01 12:00 +0800", tick=False)
def test_valid_hightech_numbers(text, normal):
    assert check_hightech_number(text) == normal


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "请填写高新技术企业证书编号"),
        ("GR2019360001", GR_FORMAT),
        ("GR2019360001234", GR_FORMAT),
        ("GS201936000123", GR_FORMAT),
        ("201936000123", GR_FORMAT),
        ("GR200736000123", "证书编号中的年份 2007 不正确:应在 2008 至 2026 之间"),
        ("GR202736000123", "证书编号中的年份 2027 不正确:应在 2008 至 2026 之间"),
        (
            "GR201939000123",
            "证书编号中的省份代码 39 不是有效的省级行政区划代码(如江西为 36)",
        ),
        (
            "GR201900000123",
            "证书编号中的省份代码 00 不是有效的省级行政区划代码(如江西为 36)",
        ),
    ],
)
@time_machine.travel("2026-06-01 12:00 +0800", tick=False)
def test_invalid_hightech_numbers_say_what_is_wrong(text, message):
    assert refused(check_hightech_number, text) == [message]
