"""Patent, software copyright, platform, talent, cooperation and cloud writes."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from gaoxin.core.errors import Forbidden, StaleVersion
from gaoxin.core.models import AuditRecord
from gaoxin.innovation import services
from gaoxin.innovation.models import (
    CloudAdoption,
    Cooperation,
    Patent,
    Platform,
    SoftwareCopyright,
    Talent,
)
from tests.support.world import build_world

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def w():
    with time_machine.travel("2026-06-01 12:00 +0800", tick=False):
        yield build_world()


def refused(func, *args, **kw) -> dict:
    with pytest.raises(ValidationError) as exc:
        func(*args, **kw)
    return exc.value.message_dict


def counts():
    models = (Patent, SoftwareCopyright, Platform, Talent, Cooperation, CloudAdoption)
    return [m.objects.count() for m in models] + [AuditRecord.objects.count()]


def patent(w, **kw):
    data = {
        "enterprise": w.a1,
        "number": "ZL201710601862.3",
        "title": "一种显示面板",
        "applied_on": D(2017, 8, 1),
        "status": "granted",
        "granted_on": D(2019, 3, 1),
    } | kw
    return services.add_patent(w.staff, w.zone_a, **data)


def test_a_patent_is_normalised_and_its_kind_read_from_the_number(w):
    p = patent(w)
    assert (p.number, p.kind, p.status, p.source, p.zone_id) == (
        "201710601862.3", "invention", "granted", "entered", w.zone_a.pk)  # fmt: skip
    assert AuditRecord.objects.get(action="create").after["number"] == "201710601862.3"


@pytest.mark.parametrize(
    ("kw", "errors"),
    [
        ({"number": "201710601862.4"}, {"number": ["专利申请号校验位错误:应为 3"]}),
        (
            {"number": "201710601862"},
            {"number": ["专利申请号缺少校验位:完整的申请号应为 201710601862.3"]},
        ),
        (
            {"kind": "utility"},
            {"kind": ["专利类型“实用新型”与申请号不符:申请号 201710601862.3 为发明专利"]},
        ),
        (
            {"kind": "bogus"},
            {"kind": ["专利类型“bogus”与申请号不符:申请号 201710601862.3 为发明专利"]},
        ),
        ({"granted_on": None}, {"granted_on": ["已授权的专利须填写授权公告日"]}),
        ({"granted_on": D(2017, 7, 31)}, {"granted_on": ["授权公告日不能早于申请日"]}),
        ({"status": "pending"}, {"granted_on": ["状态为审查中的专利不应填写授权公告日"]}),
        (
            {"applied_on": D(2018, 1, 2)},
            {"applied_on": ["申请日 2018-01-02 与申请号中的年份 2017 不一致"]},
        ),
        ({"granted_on": D(2026, 6, 2)}, {"granted_on": ["授权公告日不能晚于今天"]}),
        ({"title": ""}, {"title": ["请填写专利名称"]}),
        ({"title": "名" * 201}, {"title": ["专利名称不能超过 200 个字(现为 201 个字)"]}),
        ({"status": "valid"}, {"status": ["法律状态应为审查中、有效、驳回、撤回或失效"]}),
        ({"enterprise": "1e30"}, {"enterprise": ["企业不存在或不属于本园区"]}),
    ],
)
def test_bad_patents_are_refused_with_nothing_written(w, kw, errors):
    before = counts()
    assert refused(patent, w, **kw) == errors
    assert counts() == before


def test_a_duplicate_number_names_the_existing_record(w):
    patent(w)
    before = counts()
    assert refused(patent, w, enterprise=w.a2, number="2017 1060 1862.3") == {
        "number": ["申请号 201710601862.3 已登记:甲一电子科技有限公司 的“一种显示面板”"]
    }
    assert counts() == before


def test_other_zones_may_hold_the_same_number_and_enterprise_users_may_not_write(w):
    services.add_patent(
        w.users["admin"], w.zone_c, enterprise=w.c1, number="201710601862.3", title="另一件",
        applied_on=D(2017, 8, 1), status="pending",
    )  # fmt: skip
    patent(w)
    with pytest.raises(Forbidden):
        services.add_patent(
            w.enterprise, w.zone_a, enterprise=w.a1, number="95115608.X", title="旧专利",
            applied_on=D(1995, 1, 1), status="lapsed",
        )  # fmt: skip


def test_pct_numbers_keep_their_own_filing_date(w):
    p = patent(
        w, number="201780601862.1", applied_on=D(2016, 5, 1), granted_on=None, status="pending"
    )
    assert p.kind == "pct_invention"


def test_update_patent_grants_it_and_checks_the_version(w):
    p = patent(w, status="pending", granted_on=None)
    p = services.update_patent(w.staff, p, version=1, status="granted", granted_on=D(2019, 3, 1))
    assert (p.status, p.granted_on, p.version) == ("granted", D(2019, 3, 1), 2)
    with pytest.raises(StaleVersion):
        services.update_patent(w.staff, p, version=1, title="改名")
    assert refused(services.update_patent, w.staff, p, version=2, number="201720601862.1") == {
        "number": ["专利申请号校验位错误:应为 9"]}  # fmt: skip
    p.refresh_from_db()
    assert (p.title, p.version) == ("一种显示面板", 2)
    with pytest.raises(Forbidden):
        services.update_patent(w.enterprise, p, version=2, title="改名")


def test_software_copyrights(w):
    c = services.add_copyright(
        w.staff, w.zone_a, enterprise=w.a1, number="2019sr0123456", title="监控软件 V1.0",
        registered_on=D(2019, 4, 2),
    )  # fmt: skip
    assert c.number == "2019SR0123456"
    add = services.add_copyright
    base = {"enterprise": w.a2, "title": "x", "registered_on": D(2019, 4, 2)}
    assert refused(add, w.staff, w.zone_a, number="2019SR0123456", **base) == {
        "number": ["登记号 2019SR0123456 已登记:甲一电子科技有限公司 的“监控软件 V1.0”"]}  # fmt: skip
    assert refused(add, w.staff, w.zone_a, number="软著登字第123号", **base) == {
        "number": ["软件著作权登记号格式应为 年份 + SR + 序号,如 2019SR0123456"]}  # fmt: skip
    c = services.update_copyright(w.staff, c, title="监控软件 V2.0")
    assert c.title == "监控软件 V2.0"


def test_platforms(w):
    p = services.add_platform(
        w.staff, w.zone_a, enterprise=w.a1, name="省级企业技术中心", kind="enterprise_center",
        level="provincial", recognised_on="2019-06-01",
    )  # fmt: skip
    assert (p.recognised_on, p.version) == (D(2019, 6, 1), 1)
    add = services.add_platform
    base = {"enterprise": w.a1, "kind": "key_lab", "recognised_on": D(2019, 6, 1)}
    assert refused(add, w.staff, w.zone_a, name="省级企业技术中心", level="provincial", **base) == {
        "name": ["该企业已登记省级平台“省级企业技术中心”"]}  # fmt: skip
    assert refused(add, w.staff, w.zone_a, name="实验室", level="county", **base) == {
        "level": ["级别应为国家级、省级或市级"]}  # fmt: skip
    p = services.update_platform(w.staff, p, version=1, level="national")
    assert (p.level, p.version) == ("national", 2)
    with pytest.raises(StaleVersion):
        services.update_platform(w.staff, p, version=1, level="municipal")


def test_talents(w):
    t = services.add_talent(
        w.staff, w.zone_a, enterprise=w.a1, name="王博士", programme="双千计划", level="provincial",
        year=2019,
    )  # fmt: skip
    assert refused(
        services.add_talent, w.staff, w.zone_a, enterprise=w.a1, name="王博士",
        programme="双千计划", level="provincial", year=2019,
    ) == {"name": ["王博士 已登记入选 2019 年双千计划"]}  # fmt: skip
    assert refused(services.update_talent, w.staff, t, year=2027) == {
        "year": ["入选年度应在 1985 至 2026 之间"]}  # fmt: skip


@pytest.mark.parametrize(
    ("amount", "errors"),
    [
        ("1e30", {"amount": ["金额过大,请确认单位为万元"]}),
        ("NaN", {"amount": ["请填写金额(万元),如 12.5"]}),
        ("-1", {"amount": ["金额不能为负数"]}),
        ("1.00001", {"amount": ["金额最多保留四位小数(万元)"]}),
        ("abc", {"amount": ["请填写金额(万元),如 12.5"]}),
    ],
)
def test_cooperation_amounts_are_bounded(w, amount, errors):
    before = counts()
    assert refused(
        services.add_cooperation, w.staff, w.zone_a, enterprise=w.a1, partner="南昌大学",
        project="新型显示材料", starts_on=D(2025, 1, 1), amount=amount,
    ) == errors  # fmt: skip
    assert counts() == before


def test_cooperation_may_end_ahead_but_not_before_it_starts(w):
    c = services.add_cooperation(
        w.staff, w.zone_a, enterprise=w.a1, partner="南昌大学", project="新型显示材料",
        starts_on=D(2025, 1, 1), ends_on=D(2027, 12, 31), amount="120.5",
    )  # fmt: skip
    assert (c.amount, c.ends_on) == (Decimal("120.5"), D(2027, 12, 31))
    assert refused(services.update_cooperation, w.staff, c, ends_on=D(2024, 1, 1)) == {
        "ends_on": ["结束日期不能早于开始日期"]}  # fmt: skip


def test_cloud_adoption_one_row_per_level(w):
    services.add_cloud(w.staff, w.zone_a, enterprise=w.a1, level="basic", adopted_on=D(2019, 5, 1))
    assert refused(
        services.add_cloud,
        w.staff,
        w.zone_a,
        enterprise=w.a1,
        level="basic",
        adopted_on=D(2019, 5, 1),
    ) == {"level": ["该企业已登记基础上云"]}
    assert refused(
        services.add_cloud,
        w.staff,
        w.zone_a,
        enterprise=w.a1,
        level="sky",
        adopted_on=D(2019, 5, 1),
    ) == {"level": ["上云层级应为基础上云、平台上云或深度用云"]}


def test_remove_record_of_each_kind(w):
    rows = [
        patent(w),
        services.add_talent(
            w.staff, w.zone_a, enterprise=w.a1, name="李", programme="计划", level="municipal",
            year=2020,
        ),
    ]  # fmt: skip
    for row in rows:
        with pytest.raises(Forbidden):
            services.remove_record(w.staff, row, reason="录错")
        services.remove_record(w.zone_admin, row, reason="录错")
        assert not type(row).objects.filter(pk=row.pk).exists()
    assert AuditRecord.objects.filter(action="delete", message="录错").count() == 2
    with pytest.raises(ValueError):
        services.remove_record(w.zone_admin, w.a1, reason="x")
