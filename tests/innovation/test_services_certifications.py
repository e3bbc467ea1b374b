"""Certification writes: high-tech certificates (number, field, dates, computed expiry, one valid
at a time), tech-SME evaluations, titles, annual reports, targets, removal; and the derived
high-tech flag of the registry."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from gaoxin.core.errors import Forbidden, StaleVersion
from gaoxin.core.models import AuditRecord, Zone
from gaoxin.enterprises.models import Enterprise
from gaoxin.innovation import services
from gaoxin.innovation.models import AnnualReport, Certification, Target
from tests.support.world import build_world

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def w():
    with time_machine.travel("2026-06-01 12:00 +0800", tick=False):
        yield build_world()


def hightech(w, actor=None, **kw):
    data = {
        "enterprise": w.a1,
        "kind": "hightech",
        "status": "certified",
        "number": "GR202436000123",
        "field": "electronics",
        "issued_on": D(2024, 12, 3),
    } | kw
    return services.add_certification(actor or w.staff, w.zone_a, **data)


def refused(func, *args, **kw) -> dict:
    with pytest.raises(ValidationError) as exc:
        func(*args, **kw)
    return exc.value.message_dict


def state():
    return (Certification.objects.count(), AuditRecord.objects.count(), list(
        Enterprise.objects.order_by("pk").values_list("high_tech", "version")))  # fmt: skip


def test_a_certified_certificate_gets_its_expiry_year_and_flag_and_is_audited(w):
    cert = hightech(w, number=" gr 2024 36 000123 ")
    assert (cert.number, cert.expires_on, cert.year, cert.source) == (
        "GR202436000123",
        D(2027, 12, 2),
        2024,
        "entered",
    )
    w.a1.refresh_from_db()
    assert (w.a1.high_tech, w.a1.version) == (True, 2)
    create = AuditRecord.objects.get(action="create")
    assert (create.actor_id, create.object_id, create.after["expires_on"]) == (
        w.staff.pk,
        str(cert.pk),
        "2027-12-02",
    )
    flag = AuditRecord.objects.get(action="update", object_id=str(w.a1.pk))
    assert (flag.actor_name, flag.message) == ("system", "按 2026-06-01 有效的高新技术企业证书更新")


def test_expiry_of_a_leap_day_certificate():
    assert services.expiry(D(2020, 2, 29)) == D(2023, 2, 28)
    assert services.expiry(D(2019, 1, 1)) == D(2021, 12, 31)


@pytest.mark.parametrize(
    ("kw", "errors"),
    [
        (
            {"number": "GR202436000124X"},
            {
                "number": [
                    "高新技术企业证书编号格式应为 GR + 年份(4 位)+ 省份代码(2 位)+ 序号(5–6 位),"
                    "如 GR201936000123"
                ]
            },
        ),
        (
            {"number": "GR202499000123"},
            {"number": ["证书编号中的省份代码 99 不是有效的省级行政区划代码(如江西为 36)"]},
        ),
        ({"number": ""}, {"number": ["已认定的证书须填写证书编号"]}),
        ({"issued_on": None}, {"issued_on": ["已认定的证书须填写发证日期"]}),
        ({"field": ""}, {"field": ["已认定的高新技术企业须选择技术领域"]}),
        ({"field": "textiles"}, {"field": ["技术领域应为八大高新技术领域之一"]}),
        (
            {"issued_on": D(2026, 6, 2), "number": "GR202636000123"},
            {"issued_on": ["发证日期不能晚于今天"]},
        ),
        (
            {"issued_on": D(2023, 12, 3)},
            {"issued_on": ["发证日期 2023-12-03 与证书编号中的年份 2024 不一致"]},
        ),
        ({"applied_on": D(2024, 12, 4)}, {"issued_on": ["发证日期不能早于申报日期"]}),
        ({"issued_on": "2024-13-01"}, {"issued_on": ["发证日期格式应为 YYYY-MM-DD"]}),
        ({"score": 80}, {"score": ["评价得分只适用于科技型中小企业"]}),
        ({"status": "approved"}, {"status": ["状态应为培育中、已申报、已认定、已到期或已撤销"]}),
        ({"kind": "gazelle"}, {"kind": ["类别应为高新技术企业、科技型中小企业或其他称号"]}),
        ({"enterprise": 10**30}, {"enterprise": ["企业不存在或不属于本园区"]}),
        ({"enterprise": "x"}, {"enterprise": ["企业不存在或不属于本园区"]}),
        ({"note": "长" * 201}, {"note": ["备注不能超过 200 个字(现为 201 个字)"]}),
    ],
)
def test_bad_high_tech_certificates_are_refused_and_nothing_is_written(w, kw, errors):
    before = state()
    assert refused(hightech, w, **kw) == errors
    assert state() == before


def test_a_foreign_zones_enterprise_is_refused(w):
    before = state()
    assert refused(hightech, w, enterprise=w.b1) == {"enterprise": ["企业不存在或不属于本园区"]}
    assert state() == before


def test_a_cultivating_record_needs_no_number_or_field(w):
    cert = hightech(w, status="cultivating", number="", field="", issued_on=None)
    assert (cert.number, cert.expires_on, cert.year) == ("", None, None)
    w.a1.refresh_from_db()
    assert w.a1.high_tech is False


def test_the_number_is_unique_in_the_zone_and_the_message_names_the_holder(w):
    hightech(w)
    before = state()
    assert refused(hightech, w, enterprise=w.a2) == {
        "number": ["证书编号 GR202436000123 已登记(甲一电子科技有限公司,高新技术企业)"]
    }
    assert state() == before


def test_one_valid_certificate_per_enterprise_at_a_time(w):
    hightech(w)
    assert refused(hightech, w, number="GR202536000001", issued_on=D(2025, 3, 1)) == {
        "status": [
            "该企业已有有效期重叠的高新技术企业证书 GR202436000123(有效期至 2027-12-02),"
            "请先将其改为已到期或已撤销"
        ]
    }
    old = hightech(w, number="GR202136000001", issued_on=D(2021, 12, 2), status="expired")
    assert old.expires_on == D(2024, 12, 1)


@pytest.mark.parametrize("role", ["enterprise", "leader", "province"])
def test_who_only_reads_may_not_write(w, role):
    before = state()
    with pytest.raises(Forbidden):
        hightech(w, actor=w.users[role])
    assert state() == before


def test_a_zone_the_actor_cannot_see_answers_404(w):
    with pytest.raises(Zone.DoesNotExist):
        services.add_certification(
            w.staff, w.zone_c, enterprise=w.c1, kind="hightech", status="cultivating"
        )


def test_update_moves_along_the_pipeline_and_stale_versions_answer_409(w):
    cert = hightech(
        w, status="applied", number="", field="", issued_on=None, applied_on=D(2024, 6, 1)
    )
    assert cert.version == 1
    cert = services.update_certification(
        w.staff, cert, version=1, status="certified", number="GR202436000123",
        field="electronics", issued_on=D(2024, 12, 3),
    )  # fmt: skip
    assert (cert.version, cert.expires_on, cert.year) == (2, D(2027, 12, 2), 2024)
    w.a1.refresh_from_db()
    assert w.a1.high_tech is True
    before = state()
    with pytest.raises(StaleVersion):
        services.update_certification(w.staff, cert, version=1, status="revoked")
    assert state() == before
    services.update_certification(w.staff, cert, version=2, status="revoked")
    w.a1.refresh_from_db()
    assert w.a1.high_tech is False


def test_update_refuses_unknown_fields_and_enterprise_users(w):
    cert = hightech(w)
    assert refused(services.update_certification, w.staff, cert, version=1, kind="tech_sme") == {
        "kind": ["不可修改的字段"]
    }
    with pytest.raises(Forbidden):
        services.update_certification(w.enterprise, cert, version=1, note="x")
    with pytest.raises(Certification.DoesNotExist):
        services.update_certification(w.users["staff"], cert.pk + 1000, version=1, note="x")


def test_tech_sme_year_and_score(w):
    sme = services.add_certification(
        w.staff, w.zone_a, enterprise=w.a1, kind="tech_sme", status="certified", year=2025,
        score="75", number="202536012104000123",
    )  # fmt: skip
    assert (sme.year, sme.score, sme.expires_on) == (2025, 75, None)
    w.a1.refresh_from_db()
    assert w.a1.high_tech is False
    base = {"enterprise": w.a2, "kind": "tech_sme", "status": "certified", "year": 2025}
    add = services.add_certification
    assert refused(add, w.staff, w.zone_a, **(base | {"score": 101})) == {
        "score": ["评价得分应在 0 至 100 之间"]}  # fmt: skip
    assert refused(add, w.staff, w.zone_a, **(base | {"score": "7.5"})) == {
        "score": ["评价得分应为整数"]}  # fmt: skip
    assert refused(add, w.staff, w.zone_a, **base) == {"score": ["请填写评价得分"]}
    assert refused(add, w.staff, w.zone_a, **(base | {"score": 70, "year": 2016})) == {
        "year": ["评价年度应在 2017 至 2027 之间"]}  # fmt: skip
    assert refused(add, w.staff, w.zone_a, **(base | {"enterprise": w.a1, "score": 70})) == {
        "year": ["该企业 2025 年度的科技型中小企业评价已登记"]}  # fmt: skip


def test_titles_are_the_zones_and_admins_set_them(w):
    with pytest.raises(Forbidden):
        services.add_title(w.staff, w.zone_a, name="专精特新")
    title = services.add_title(w.zone_admin, w.zone_a, name=" 专精特新 ", yearly=True)
    assert refused(services.add_title, w.zone_admin, w.zone_a, name="专精特新") == {
        "name": ["本园区已有称号“专精特新”"]}  # fmt: skip
    base = {"enterprise": w.a1, "kind": "title", "status": "certified"}
    assert refused(services.add_certification, w.staff, w.zone_a, **base) == {
        "title": ["请选择本园区设定的称号"]}  # fmt: skip
    assert refused(services.add_certification, w.staff, w.zone_a, title=title, **base) == {
        "year": ["请填写年度"]}  # fmt: skip
    cert = services.add_certification(w.staff, w.zone_a, title=title.pk, year=2025, **base)
    assert (cert.title, cert.year) == (title, 2025)
    assert refused(
        services.add_certification, w.staff, w.zone_a, title=title, year=2025, **base
    ) == {"title": ["该企业已登记称号“专精特新”"]}
    assert refused(
        services.add_certification, w.staff, w.zone_a, **(base | {"kind": "hightech",
        "status": "cultivating"}), title=title) == {"title": ["只有“其他称号”类别才选择称号"]}  # fmt: skip


def test_annual_reports(w):
    cert = hightech(w, number="GR202336000123", issued_on=D(2023, 11, 1))
    report = services.file_annual_report(w.staff, cert, year=2024, filed_on=D(2025, 5, 20))
    assert (report.year, report.due_on, report.filed_on, report.zone_id) == (
        2024, D(2025, 5, 31), D(2025, 5, 20), w.zone_a.pk)  # fmt: skip
    file = services.file_annual_report
    assert refused(file, w.staff, cert, year=2024, filed_on=D(2025, 5, 21)) == {
        "year": ["2024 年度的年报已于 2025-05-20 填报"]}  # fmt: skip
    assert refused(file, w.staff, cert, year=2025, filed_on=D(2025, 12, 1)) == {
        "filed_on": ["2025 年度的年报应在 2026 年填报"]}  # fmt: skip
    assert refused(file, w.staff, cert, year=2026, filed_on=D(2026, 5, 1)) == {
        "year": ["报告年度应在 2023 至 2025 之间"]}  # fmt: skip
    assert refused(file, w.staff, cert, year=2025, filed_on=D(2026, 6, 2)) == {
        "filed_on": ["填报日期不能晚于今天"]}  # fmt: skip
    pending = AnnualReport.objects.create(
        zone=w.zone_a, certification=cert, year=2023, due_on=D(2024, 5, 31)
    )
    report = file(w.staff, cert, year=2023, filed_on=D(2024, 6, 3))
    assert (report.pk, report.filed_on) == (pending.pk, D(2024, 6, 3))
    with pytest.raises(Forbidden):
        file(w.enterprise, cert, year=2025, filed_on=D(2026, 5, 1))
    sme = services.add_certification(
        w.staff, w.zone_a, enterprise=w.a2, kind="tech_sme", status="applied", year=2025
    )
    assert refused(file, w.staff, sme, year=2025, filed_on=D(2026, 5, 1)) == {
        "certification": ["只有已发证的高新技术企业证书需要填报年报"]}  # fmt: skip


def test_targets_are_set_by_admins_and_versioned(w):
    with pytest.raises(Forbidden):
        services.save_target(w.staff, w.zone_a, year=2026, new_hightech=30)
    target = services.save_target(w.zone_admin, w.zone_a, year=2026, new_hightech=30)
    assert (target.new_hightech, target.version) == (30, 1)
    target = services.save_target(w.zone_admin, w.zone_a, year=2026, version=1, population=250000)
    assert (target.new_hightech, target.population, target.version) == (30, 250000, 2)
    with pytest.raises(StaleVersion):
        services.save_target(w.zone_admin, w.zone_a, year=2026, version=1, reserve=3)
    assert refused(services.save_target, w.zone_admin, w.zone_a, year=2026, reserve=-1) == {
        "reserve": ["入库培育企业应在 0 至 1000000 之间"]}  # fmt: skip
    assert refused(services.save_target, w.zone_admin, w.zone_a, year=2026, profit=1) == {
        "profit": ["不可修改的字段"]}  # fmt: skip
    assert Target.objects.get().version == 2


def test_remove_record_needs_an_admin_and_a_reason_and_rederives_the_flag(w):
    cert = hightech(w)
    with pytest.raises(Forbidden):
        services.remove_record(w.staff, cert, reason="录错")
    assert refused(services.remove_record, w.zone_admin, cert, reason=" ") == {
        "reason": ["删除须说明原因"]}  # fmt: skip
    services.remove_record(w.zone_admin, cert, reason="录错了企业")
    assert not Certification.objects.exists()
    record = AuditRecord.objects.get(action="delete")
    assert (record.message, record.before["number"]) == ("录错了企业", "GR202436000123")
    w.a1.refresh_from_db()
    assert (w.a1.high_tech, w.a1.version) == (False, 3)


def test_sync_high_tech_flags_follows_validity_on_the_day(w):
    hightech(w, number="GR202136000001", issued_on=D(2021, 12, 2), status="expired")
    services.add_certification(
        w.staff, w.zone_a, enterprise=w.a2, kind="hightech", status="certified",
        number="GR202436000002", field="materials", issued_on=D(2024, 6, 1),
    )  # fmt: skip
    Enterprise.objects.filter(pk=w.a1.pk).update(
        high_tech=True
    )  # typed before the flag was derived
    assert services.sync_high_tech_flags(w.zone_a, D(2026, 6, 1)) == 1  # a1 loses it
    flags = dict(Enterprise.objects.filter(zone=w.zone_a).values_list("name", "high_tech"))
    assert flags == {"甲一电子科技有限公司": False, "甲二纺织有限公司": True}
    assert services.sync_high_tech_flags(w.zone_a, D(2027, 5, 31)) == 0  # a2's last valid day
    assert services.sync_high_tech_flags(w.zone_a, D(2027, 6, 1)) == 1  # a2's has expired
    # On a day a1's certificate covered, it counts no more: its status is expired.
    assert services.sync_high_tech_flags(w.zone_a, D(2024, 1, 1)) == 0
    Enterprise.objects.filter(pk=w.b1.pk).update(high_tech=True)
    assert services.sync_high_tech_flags(w.zone_a, D(2026, 6, 1)) == 1  # zone B untouched
    assert Enterprise.objects.get(pk=w.b1.pk).high_tech is True


def test_an_issued_certificate_does_not_go_back_to_the_pipeline(w):
    cert = hightech(w)
    before = state()
    assert refused(services.update_certification, w.staff, cert, version=1, status="applied") == {
        "status": ["已发证的证书不能改回已申报;重新认定请登记新的申报记录"]
    }
    assert state() == before


def test_expired_means_past_its_last_day(w):
    assert refused(hightech, w, status="expired") == {
        "status": ["证书有效期至 2027-12-02,尚未到期;提前失效请改为已撤销"]
    }
    cert = hightech(w, number="GR202336000001", issued_on=D(2023, 5, 31), status="expired")
    assert cert.expires_on == D(2026, 5, 30)


def test_ids_no_row_can_have_are_missing_not_a_crash(w):
    with pytest.raises(Certification.DoesNotExist):
        services.update_certification(w.staff, 2**70, version=1, note="x")
    assert refused(hightech, w, enterprise=2**70) == {"enterprise": ["企业不存在或不属于本园区"]}
    title = {"kind": "title", "status": "certified", "title": 2**70, "number": "", "field": ""}
    assert refused(hightech, w, **title) == {"title": ["请选择本园区设定的称号"]}


def test_holding_names_the_certificate_the_flag_rests_on(w):
    cert = hightech(w)
    assert services.holding(w.a1) == cert
    assert services.holding(w.a1.pk, D(2024, 12, 2)) is None
    assert services.holding(w.a2) is None
