"""Awards and loans take their amounts as the importer reads them (core.forms.MoneyField)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from gaoxin.core.models import AuditRecord
from gaoxin.matters.models import Award, Loan

pytestmark = pytest.mark.django_db


def award(client, world, amount):
    body = {"enterprise": world.a2.pk, "policy": "新入规奖励", "amount": amount,
            "paid_on": "2020-05-05", "note": ""}  # fmt: skip
    return client.post(reverse("matters:award_create"), body)


@pytest.mark.parametrize(
    ("typed", "wan"),
    [("1.2亿", Decimal("12000")), ("５００万", Decimal("500")), ("1,234.5", Decimal("1234.5"))],
)
def test_award_amounts_are_read_like_the_importer(client, world, typed, wan):
    client.force_login(world.staff)
    r = award(client, world, typed)
    assert r.status_code == 302, r.content.decode()
    assert Award.objects.get(policy="新入规奖励").amount == wan


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e30", "无法识别的金额「1e30」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
        ("NaN", "无法识别的金额「NaN」:请填写数字,单位为万元(也可写 1.2亿、500万)"),
        ("-5万", "金额应大于 0"),
        ("100000000亿", "金额过大:不能超过 12 位整数(单位:万元),请确认单位"),
    ],
)
def test_wrong_award_amounts_say_why_and_write_nothing(client, world, typed, message):
    client.force_login(world.staff)  # a sign-in is audited: count after it
    before = (Award.objects.count(), AuditRecord.objects.count())
    r = award(client, world, typed)
    assert r.status_code == 200
    assert message in r.content.decode()
    assert (Award.objects.count(), AuditRecord.objects.count()) == before


def test_loan_amount_with_a_unit(client, world):
    client.force_login(world.staff)
    body = {"enterprise": world.a1.pk, "bank": "九江银行", "kind": "credit", "amount": "0.3亿",
            "granted_on": "2020-05-05"}  # fmt: skip
    r = client.post(reverse("matters:loan_create"), body)
    assert r.status_code == 302, r.content.decode()
    assert Loan.objects.get(bank="九江银行").amount == Decimal("3000")
