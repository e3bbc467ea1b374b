"""Tariffs: the rates of each structure validated with Chinese messages, the version in force on
a day, and the price of a reading's usage in 元 (Decimal, two decimals, half up)."""

import datetime
from decimal import Decimal

import pytest

from gaoxin.utilities import tariffs
from gaoxin.utilities.models import Account, Reading
from tests.support import utilities as u

D = datetime.date


@pytest.mark.django_db
def test_support_helpers_write_priced_readings(world):
    acc = u.account(world.a1, balance=Decimal("1000"))
    made = u.readings(acc, days=7, daily=Decimal("100"))
    assert len(made) == 8
    assert [r.usage for r in made] == [Decimal(0)] + [Decimal("100.000")] * 7
    assert [r.amount for r in made][1:] == [Decimal("80.00")] * 7
    assert Account.objects.get(pk=acc.pk).balance == Decimal("440.00")
    assert Reading.objects.filter(account=acc).count() == 8
    p = u.partner(acc.company)
    assert list(Account.objects.restrict(p)) == [acc]
    assert tariffs.version_on(acc.tariff, D(2026, 9, 1)).rates == {"price": "0.80"}
