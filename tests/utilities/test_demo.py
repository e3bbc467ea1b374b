"""The demo's utilities on the real demo's main zone (GJ): every above-scale enterprise has an
electricity account, most water, some gas; a year of daily readings to yesterday; accounts inside
each warning level (the `enterprise` account's among them) with their warnings and matters, the
保电 account, the drop of last week and the mismatch found, the partner `power` feeding the power
company; the ledger adds up and the daily job has nothing left to do."""

import datetime

import pytest

from gaoxin.core import clock
from gaoxin.core.models import Membership, Role, User, Zone
from gaoxin.enterprises.models import Enterprise
from gaoxin.matters.models import Matter
from gaoxin.utilities import jobs
from gaoxin.utilities.models import (
    Account,
    CutOff,
    Finding,
    Kind,
    Level,
    Reading,
    Source,
    TopUp,
    UtilityCompany,
    Warning,
)
from gaoxin.utilities.services import ledger_balance

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone(demo):
    return Zone.objects.get(code="GJ")


def test_every_above_scale_enterprise_has_electricity_most_water_some_gas(demo, zone):
    above = set(Enterprise.objects.filter(zone=zone, above_scale=True, is_deleted=False)
                .values_list("pk", flat=True))  # fmt: skip
    by_kind = {
        kind: set(Account.objects.filter(zone=zone, kind=kind).values_list("enterprise", flat=True))
        for kind in Kind.values
    }
    assert by_kind[Kind.ELECTRICITY] == above
    assert by_kind[Kind.WATER] < above and len(by_kind[Kind.WATER]) > len(above) * 0.6
    assert by_kind[Kind.GAS] < above and 0 < len(by_kind[Kind.GAS]) < len(above) / 2
    assert not Account.objects.exclude(zone=zone).exists()  # the main zone only


def test_a_year_of_daily_readings_to_yesterday(demo, zone):
    yesterday = clock.today() - datetime.timedelta(days=1)
    account = Account.objects.filter(zone=zone, kind=Kind.WATER).first()
    days = Reading.objects.filter(account=account).values_list("day", flat=True).distinct()
    assert max(days) == yesterday
    assert len(days) == 366  # the first day's baseline at 00:00 and its reading at 23:00
    assert not Reading.objects.exclude(source=Source.DEMO).exists()
    assert TopUp.objects.filter(zone=zone).count() > Account.objects.filter(zone=zone).count() * 3


def test_balances_are_their_ledgers(demo, zone):
    for account in Account.objects.filter(zone=zone).order_by("pk")[::25]:
        assert ledger_balance(account) == account.balance


def test_accounts_inside_each_warning_level(demo, zone):
    levels = {lv: Account.objects.filter(zone=zone, level=lv) for lv in Level.values}
    assert levels[Level.FIRST].count() == 3
    assert levels[Level.SECOND].count() == 3
    assert levels[Level.EXHAUSTED].count() == 2
    own = Membership.objects.get(user__username="enterprise").enterprise
    assert levels[Level.SECOND].filter(enterprise=own, kind=Kind.ELECTRICITY).exists()
    for account in levels[Level.FIRST]:
        assert 3 < account.days_left <= 7
    for account in levels[Level.SECOND]:
        assert 0 < account.days_left <= 3
    open_ = Warning.objects.filter(zone=zone, cleared_at__isnull=True)
    assert set(open_.values_list("account", flat=True)) == set(
        Account.objects.filter(zone=zone, level__gt=0).values_list("pk", flat=True)
    )
    matters = Matter.objects.filter(zone=zone, category__name="水电气保障")
    assert matters.count() == 5  # the second level and the used-up: one each
    assert set(matters.values_list("enterprise", flat=True)) == set(
        Account.objects.filter(zone=zone, level__gte=Level.SECOND).values_list(
            "enterprise", flat=True
        )
    )
    assert not CutOff.objects.filter(surprise=True).exists()  # 意外停供 0


def test_past_warnings_each_ended_by_a_topup_in_time(demo, zone):
    past = Warning.objects.filter(zone=zone, cleared_at__isnull=False).select_related("cleared_by")
    assert past.count() == demo.summaries["utilities"].past_warnings > 10
    for warning in past:
        assert warning.level == Level.FIRST and warning.notified > 0
        assert warning.cleared_by.account_id == warning.account_id
        assert warning.raised_at < warning.cleared_by.paid_at < warning.cleared_at
        assert 3 < warning.days_left <= 7
    assert not CutOff.objects.filter(zone=zone).exists()


def test_the_protected_account(demo, zone):
    protected = Account.objects.get(zone=zone, protected=True)
    assert protected.kind == Kind.ELECTRICITY and protected.protected_reason
    assert protected.enterprise.name == "江西仁济药业有限公司"


def test_the_drop_and_the_mismatch_are_found(demo, zone):
    summary = demo.summaries["utilities"]
    drop = Finding.objects.get(zone=zone, kind=Finding.Kind.DROP, account__kind=Kind.ELECTRICITY)
    assert drop.enterprise == summary.drop
    assert drop.change_percent <= -50
    assert (
        Finding.objects.filter(zone=zone, kind=Finding.Kind.DROP)
        .exclude(enterprise=summary.drop)
        .count()
        == 0
    )
    mismatch = Finding.objects.get(zone=zone, kind=Finding.Kind.MISMATCH)
    assert (mismatch.enterprise, mismatch.period) == summary.mismatch
    assert mismatch.change_percent == 35


def test_the_power_partner_feeds_the_power_company(demo, zone):
    power = User.objects.get(username="power")
    assert power.check_password(demo.password)
    assert Membership.objects.get(user=power).role == Role.PARTNER
    company = UtilityCompany.objects.get(zone=zone, kind=Kind.ELECTRICITY)
    assert list(company.users.all()) == [power]
    seen = Account.objects.restrict(power)
    assert seen.count() == Account.objects.filter(zone=zone, kind=Kind.ELECTRICITY).count()
    assert not seen.exclude(kind=Kind.ELECTRICITY).exists()


def test_the_daily_job_finds_nothing_new(demo, zone):
    before = (Warning.objects.count(), Finding.objects.count(), Matter.objects.count())
    line = jobs.daily(clock.today())
    assert "新预警 0 条" in line and "两部制基本电费 0 笔" in line
    assert (Warning.objects.count(), Finding.objects.count(), Matter.objects.count()) == before
