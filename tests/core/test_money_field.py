"""core.forms.MoneyField: an amount typed as the importer reads it (parse_wan), every wrong one a
Chinese message on the field."""

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError

from gaoxin.core.forms import MoneyField, as_money


class AmountForm(forms.Form):
    amount = MoneyField(label="金额", required=False)
    usd = MoneyField(label="外资", unit="万美元", required=False)
    paid = MoneyField(label="到位", positive=True, required=False)
    change = MoneyField(label="增减", allow_negative=True, required=False)


def clean(name, value):
    form = AmountForm({name: value})
    assert form.is_valid(), form.errors
    return form.cleaned_data[name]


def error(name, value) -> list[str]:
    form = AmountForm({name: value})
    assert not form.is_valid()
    return form.errors[name]


@pytest.mark.parametrize(
    ("typed", "wan"),
    [
        ("1.2亿", Decimal("12000")),
        ("1.2亿元", Decimal("12000")),
        ("500万", Decimal("500")),
        ("500万元", Decimal("500")),
        ("3千万", Decimal("3000")),
        ("3,000,000元", Decimal("300")),
        ("1,234.5", Decimal("1234.5")),
        ("１２３４．５", Decimal("1234.5")),
        ("１，２３４", Decimal("1234")),
        (" 1 234 ", Decimal("1234")),
        ("\u30001.2 亿\u3000", Decimal("12000")),
        ("¥12", Decimal("12")),
        ("人民币12万", Decimal("12")),
        ("0", Decimal("0")),
        ("0.0001", Decimal("0.0001")),
        ("999999999999.9999", Decimal("999999999999.9999")),
    ],
)
def test_amounts_are_read_as_the_importer_reads_them(typed, wan):
    assert clean("amount", typed) == wan


@pytest.mark.parametrize("blank", ["", "   ", "\u3000"])
def test_blank_is_none_and_required_says_so(blank):
    assert clean("amount", blank) is None
    field = MoneyField(label="金额")
    with pytest.raises(ValidationError) as exc:
        field.clean(blank)
    assert exc.value.code == "required"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e30", "无法识别的金额「1e30」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
        ("NaN", "无法识别的金额「NaN」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
        ("inf", "无法识别的金额「inf」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
        ("Infinity", "无法识别的金额「Infinity」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
        ("一千万", "无法识别的金额「一千万」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
        ("12美元", "无法识别的金额「12美元」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
        ("-5", "金额不能为负数"),
        ("-1.2亿", "金额不能为负数"),
        ("1000000000000", "金额过大:不能超过 12 位整数(单位:万元),请确认单位"),
        ("1亿亿", "无法识别的金额「1亿亿」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
        ("100000000亿", "金额过大:不能超过 12 位整数(单位:万元),请确认单位"),
        ("0.00001", "金额最多保留 4 位小数(单位:万元)"),
        ("1" * 41, "金额过长:请填写不超过 40 个字符的数字"),
    ],
)
def test_wrong_amounts_get_a_chinese_message(typed, message):
    assert error("amount", typed) == [message]


def test_negative_where_allowed_and_positive_where_required():
    assert clean("change", "-1.5万") == Decimal("-1.5")
    assert error("change", "-1000000000000") == [
        "金额过大:不能超过 12 位整数(单位:万元),请确认单位"
    ]
    assert error("paid", "0") == ["金额应大于 0"]
    assert clean("paid", "0.0001") == Decimal("0.0001")


@pytest.mark.parametrize(
    ("typed", "usd"),
    [("120", Decimal("120")), ("120万美元", Decimal("120")), ("1.2亿美元", Decimal("12000")),
     ("US$300", Decimal("300")), ("3,000,000美元", Decimal("300")), ("５０ USD", Decimal("50"))],
)  # fmt: skip
def test_dollar_amounts(typed, usd):
    assert clean("usd", typed) == usd


@pytest.mark.parametrize("typed", ["5万元", "¥12", "人民币3亿", "1e3"])
def test_yuan_in_a_dollar_field_is_refused(typed):
    assert error("usd", typed) == [
        f"无法识别的金额「{typed}」:请填写数字,单位为万美元(也可写 1.2亿美元、500万美元)"
    ]


def test_the_widget_is_a_text_box_showing_the_amount_as_typed():
    form = AmountForm(initial={"amount": Decimal("12000.0000"), "usd": Decimal("0.5000")})
    html = str(form["amount"])
    assert 'type="text"' in html and 'value="12000"' in html and 'inputmode="decimal"' in html
    assert 'value="0.5"' in str(form["usd"])
    assert form.fields["amount"].help_text == "单位:万元;也可写 1.2亿、500万"
    assert form.fields["usd"].help_text == "单位:万美元;也可写 1.2亿美元、500万美元"


def test_unknown_unit_is_a_programming_error():
    with pytest.raises(ValueError, match="unit"):
        MoneyField(unit="元")


def test_as_money_keeps_label_required_and_help():
    class Legacy(forms.Form):
        a = forms.DecimalField(label="计划总投资", max_digits=16, decimal_places=4)
        b = forms.DecimalField(label="税收", required=False, help_text="自填")

    form = Legacy({"a": "1.2亿", "b": ""})
    as_money(form, ["a", "b", "missing"])
    assert isinstance(form.fields["a"], MoneyField) and isinstance(form.fields["b"], MoneyField)
    assert (form.fields["a"].label, form.fields["a"].required) == ("计划总投资", True)
    assert (form.fields["b"].required, form.fields["b"].help_text) == (False, "自填")
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"a": Decimal("12000"), "b": None}
    # each form gets its own field: a widget's attributes never leak to another form
    assert Legacy().fields["a"].__class__ is forms.DecimalField
