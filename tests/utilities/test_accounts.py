"""The zone's utility companies, tariffs and versions, warning settings and prepaid accounts:
who may write them, the Chinese messages of bad values, the stale-version check, the audit."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from gaoxin.core.errors import Forbidden, StaleVersion
from gaoxin.core.models import AuditRecord, Zone
from gaoxin.utilities.models import Account, Tariff, TariffVersion, UtilityCompany
from gaoxin.utilities.services import (
    add_company,
    add_tariff,
    add_version,
    create_account,
    save_settings,
    update_account,
    update_company,
    update_tariff,
)
from gaoxin.utilities.services.accounts import settings_of
from tests.factories import member
from tests.support import utilities as u

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(u.local(D(2026, 10, 15), 12), tick=False):
        yield


def errors(call, *args, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value.message_dict


def last_audit():
    return AuditRecord.objects.latest("pk")


# --- companies ------------------------------------------------------------------------------


def test_an_admin_adds_a_company_with_its_partner_accounts(world):
    partner = member("partner", zone=world.zone_a)
    company = add_company(world.zone_admin, world.zone_a, name="国网甲供电公司", kind="electricity",
                          users=[partner.pk])  # fmt: skip
    assert (company.zone, company.kind, list(company.users.all())) == (
        world.zone_a,
        "electricity",
        [partner],
    )
    assert (last_audit().action, last_audit().object_id) == ("create", str(company.pk))
    assert errors(add_company, world.zone_admin, world.zone_a, name="国网甲供电公司",
                  kind="electricity") == {"name": ["本园区已有同名的水电气公司"]}  # fmt: skip
    assert errors(add_company, world.zone_admin, world.zone_a, name="x", kind="steam") == {
        "kind": ["请选择类别:水、电或气"]
    }
    assert errors(add_company, world.zone_admin, world.zone_a, name=" ", kind="water") == {
        "name": ["请填写单位名称"]
    }


def test_only_partners_of_the_zone_feed_a_company(world):
    elsewhere = member("partner", zone=world.zone_b)
    for users in ([world.staff], [elsewhere], ["x"]):
        assert errors(add_company, world.zone_admin, world.zone_a, name="甲水务", kind="water",
                      users=users) == {"users": ["接口账户须为本园区的合作单位账户"]}  # fmt: skip


def test_who_may_add_and_change_a_company(world):
    with pytest.raises(Forbidden):
        add_company(world.staff, world.zone_a, name="甲水务", kind="water")
    with pytest.raises(Zone.DoesNotExist):
        add_company(world.zone_admin, world.zone_c, name="丙水务", kind="water")
    company = u.company(world.zone_a, "water")
    with pytest.raises(Forbidden):
        update_company(world.leader, company, name="改名")
    with pytest.raises(UtilityCompany.DoesNotExist):
        update_company(world.enterprise, company, name="改名")


def test_a_company_keeps_its_kind_once_it_has_accounts(world):
    acc = u.account(world.a1, "water")
    partner = member("partner", zone=world.zone_a)
    company = update_company(world.zone_admin, acc.company, name="甲自来水", users=[partner])
    assert (company.name, list(company.users.all())) == ("甲自来水", [partner])
    assert errors(update_company, world.zone_admin, company, kind="gas") == {
        "kind": ["已有账户的公司不能修改类别"]
    }
    assert errors(update_company, world.zone_admin, company, city="南昌") == {
        "city": ["不可修改的字段"]
    }


# --- tariffs and versions -----------------------------------------------------------------


def test_a_tariff_comes_with_its_first_version(world):
    tariff = add_tariff(world.zone_admin, world.zone_a, name="一般工商业分时电价", kind="electricity",
                        structure="tou", valid_from="2026-01-01", rates=u.RATES["tou"],
                        note="赣发改价管〔2025〕1号")  # fmt: skip
    version = tariff.versions.get()
    assert (version.valid_from, version.note) == (D(2026, 1, 1), "赣发改价管〔2025〕1号")
    assert version.rates["prices"]["peak"] == "1.20"
    assert AuditRecord.objects.filter(action="create").count() == 2


def test_a_bad_tariff_writes_nothing(world):
    kw = {"name": "自来水", "kind": "water", "valid_from": "2026-01-01"}
    assert errors(add_tariff, world.zone_admin, world.zone_a, structure="tou", rates={}, **kw) == {
        "structure": ["水不适用分时电价"]
    }
    assert errors(add_tariff, world.zone_admin, world.zone_a, structure="flat",
                  rates={"price": "-1"}, **kw) == {"rates": ["价格必须大于0"]}  # fmt: skip
    assert errors(add_tariff, world.zone_admin, world.zone_a, structure="flat",
                  rates={"price": "4"}, **{**kw, "valid_from": "2026-13-01"}) == {
        "valid_from": ["执行日期格式应为 YYYY-MM-DD"]}  # fmt: skip
    assert Tariff.objects.count() == 0
    with pytest.raises(Forbidden):
        add_tariff(world.staff, world.zone_a, structure="flat", rates={"price": "4"}, **kw)


def test_new_prices_are_a_new_version_after_the_days_priced(world):
    acc = u.account(world.a1)
    u.readings(acc, days=10)  # priced up to 2026-09-10
    assert errors(add_version, world.zone_admin, acc.tariff, valid_from=D(2026, 9, 10),
                  rates={"price": "0.9"}) == {"valid_from": [
        "已有按原价格计费的读数(至2026-09-10),新版本的执行日期须晚于该日;多收少收请走更正流程"]}  # fmt: skip
    assert errors(add_version, world.zone_admin, acc.tariff, valid_from=u.VALID_FROM,
                  rates={"price": "0.9"}) == {"valid_from": ["该执行日期已有价格版本"]}  # fmt: skip
    version = add_version(world.zone_admin, acc.tariff, valid_from=D(2026, 9, 11),
                          rates={"price": "0.9"}, note="10月代理购电价")  # fmt: skip
    assert list(acc.tariff.versions.values_list("valid_from", flat=True)) == [
        D(2026, 9, 11),
        u.VALID_FROM,
    ]
    assert (last_audit().action, last_audit().object_id) == ("create", str(version.pk))
    with pytest.raises(Forbidden):
        add_version(world.leader, acc.tariff, valid_from=D(2026, 12, 1), rates={"price": "1"})
    assert TariffVersion.objects.count() == 2


def test_a_tariff_is_renamed_only(world):
    tariff = u.tariff(world.zone_a, name="旧名")
    other = u.tariff(world.zone_a, name="另一个")
    assert update_tariff(world.zone_admin, tariff, name="新名").name == "新名"
    assert errors(update_tariff, world.zone_admin, tariff, name="另一个") == {
        "name": ["本园区已有同名的价格方案"]
    }
    assert other.name == "另一个"


# --- settings -------------------------------------------------------------------------------


def test_the_zone_settings_default_and_change(world):
    assert settings_of(world.zone_a).first_level_days == 7
    row = save_settings(world.zone_admin, world.zone_a, first_level_days="10", second_level_days=4)
    assert (row.first_level_days, row.second_level_days, row.drop_percent) == (10, 4, 50)
    assert settings_of(world.zone_a).pk == row.pk
    assert errors(save_settings, world.zone_admin, world.zone_a, second_level_days=10) == {
        "second_level_days": ["二级预警天数须少于一级预警天数"]
    }
    assert errors(save_settings, world.zone_admin, world.zone_a, drop_percent=5) == {
        "drop_percent": ["骤降幅度(%)应为 10 至 95 之间的整数"]
    }
    assert errors(save_settings, world.zone_admin, world.zone_a, drop_days=True) == {
        "drop_days": ["骤降持续天数应为 2 至 30 之间的整数"]
    }
    with pytest.raises(Forbidden):
        save_settings(world.staff, world.zone_a, drop_days=5)
    with pytest.raises(Zone.DoesNotExist):
        save_settings(world.zone_admin, world.zone_b, drop_days=5)


# --- accounts -------------------------------------------------------------------------------


def fields(world, **changes) -> dict:
    base = {
        "enterprise": world.a1.pk, "kind": "electricity", "meter_no": "3601000001",
        "company": u.company(world.zone_a).pk, "tariff": u.tariff(world.zone_a).pk,
        "opened_on": "2026-01-01",
    }  # fmt: skip
    return {**base, **changes}


def test_staff_open_an_account(world):
    acc = create_account(world.staff, world.zone_a, **fields(world))
    assert (acc.enterprise, acc.meter_no, acc.balance, acc.level, acc.version) == (
        world.a1,
        "3601000001",
        Decimal("0"),
        0,
        1,
    )
    assert (last_audit().action, last_audit().object_id) == ("create", str(acc.pk))
    assert errors(create_account, world.staff, world.zone_a, **fields(world)) == {
        "meter_no": ["本园区已有该表号的电账户"]
    }


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"enterprise": 0}, {"enterprise": ["企业不存在或不属于本园区"]}),
        ({"kind": "steam"}, {"kind": ["请选择类别:水、电或气"]}),
        ({"meter_no": ""}, {"meter_no": ["请填写表号"]}),
        ({"meter_no": "1" * 33}, {"meter_no": ["表号不能超过 32 个字(现为 33 个字)"]}),
        ({"company": None}, {"company": ["请选择本园区的供应单位"]}),
        ({"capacity_kva": "-5"}, {"capacity_kva": ["受电容量不能为负数"]}),
        ({"capacity_kva": "1e30"}, {"capacity_kva": ["受电容量超出合理范围,请核对"]}),
        ({"capacity_kva": "400"}, {"tariff": ["受电容量315kVA及以上须执行两部制电价"]}),
        ({"protected": True}, {"protected_reason": ["保电须说明原因"]}),
        ({"opened_on": "2026-01-01", "closed_on": "2025-12-31"},
         {"closed_on": ["销户日期早于开户日期"]}),
        ({"protected": True, "protected_reason": "医院", "protected_from": "2026-02-01",
          "protected_until": "2026-01-01"}, {"protected_until": ["保电结束日期早于开始日期"]}),
    ],
)  # fmt: skip
def test_bad_account_fields_are_named(world, changes, expected):
    assert (
        errors(create_account, world.zone_admin, world.zone_a, **fields(world, **changes))
        == expected
    )
    assert Account.objects.count() == 0


def test_the_company_and_tariff_must_fit_the_kind_and_zone(world):
    water = u.company(world.zone_a, "water")
    assert errors(
        create_account, world.zone_admin, world.zone_a, **fields(world, company=water.pk)
    ) == {"company": ["供应单位的类别与账户不符"]}
    gas_tariff = u.tariff(world.zone_a, "gas")
    assert errors(
        create_account, world.zone_admin, world.zone_a, **fields(world, tariff=gas_tariff.pk)
    ) == {"tariff": ["价格方案的类别与账户不符"]}
    theirs = u.tariff(world.zone_b)
    assert errors(
        create_account, world.zone_admin, world.zone_a, **fields(world, tariff=theirs.pk)
    ) == {"tariff": ["请选择本园区的价格方案"]}
    assert errors(
        create_account, world.zone_admin, world.zone_a, **fields(world, enterprise=world.b1.pk)
    ) == {"enterprise": ["企业不存在或不属于本园区"]}


def test_two_part_tariffs_by_capacity(world):
    two_part = u.tariff(world.zone_a, structure="two_part")
    small = fields(world, tariff=two_part.pk, capacity_kva="80")
    assert errors(create_account, world.zone_admin, world.zone_a, **small) == {
        "capacity_kva": ["两部制电价适用于受电容量100kVA及以上"]
    }
    acc = create_account(
        world.zone_admin, world.zone_a, **fields(world, tariff=two_part.pk, capacity_kva="400")
    )
    assert acc.capacity_kva == Decimal("400")
    by_demand = u.tariff(world.zone_a, structure="two_part",
                         rates={"price": "0.6", "demand_price": "38"})  # fmt: skip
    assert errors(create_account, world.zone_admin, world.zone_a,
                  **fields(world, meter_no="2", tariff=by_demand.pk, capacity_kva="400")) == {
        "demand_kw": ["按需量计费的两部制电价须填写核定需量"]}  # fmt: skip
    water = fields(world, kind="water", company=u.company(world.zone_a, "water").pk,
                   tariff=u.tariff(world.zone_a, "water").pk, capacity_kva="5")  # fmt: skip
    assert errors(create_account, world.zone_admin, world.zone_a, **water) == {
        "capacity_kva": ["只有电的账户有受电容量与需量"]
    }


@pytest.mark.parametrize("who", ["leader", "enterprise", "province"])
def test_readers_may_not_open_accounts(world, who):
    with pytest.raises(Forbidden):
        create_account(world.users[who], world.zone_a, **fields(world))


def test_an_edit_from_an_old_version_answers_409(world):
    acc = u.account(world.a1)
    saved = update_account(
        world.staff, acc, version=1, protected=True, protected_reason="医院手术室"
    )
    assert (saved.protected, saved.version) == (True, 2)
    assert last_audit().before["protected"] is False
    with pytest.raises(StaleVersion):
        update_account(world.staff, acc, version=1, meter_no="X1")
    assert Account.objects.get(pk=acc.pk).meter_no == acc.meter_no
    same = update_account(world.staff, acc, version=2, protected=True)
    assert same.version == 2  # nothing changed: no new version, no audit record


def test_who_may_edit_an_account(world):
    acc = u.account(world.a1)
    with pytest.raises(Forbidden):
        update_account(world.enterprise, acc, protected=True, protected_reason="x")
    with pytest.raises(Forbidden):
        update_account(u.partner(acc.company), acc, meter_no="X")  # feeds it, never edits
    with pytest.raises(Account.DoesNotExist):
        update_account(world.enterprise, u.account(world.a2), meter_no="X")
    with pytest.raises(Account.DoesNotExist):
        update_account(world.zone_admin, u.account(world.b1), meter_no="X")


def test_the_kind_is_fixed_once_the_account_has_a_ledger(world):
    acc = u.account(world.a1)
    u.readings(acc, days=1)
    water = {"kind": "water", "company": u.company(world.zone_a, "water"),
             "tariff": u.tariff(world.zone_a, "water")}  # fmt: skip
    assert errors(update_account, world.zone_admin, acc, **water) == {
        "kind": ["已有台账的账户不能修改类别"]
    }
    assert errors(update_account, world.zone_admin, acc, balance="1") == {
        "balance": ["不可修改的字段"]
    }
