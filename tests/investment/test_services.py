"""Project records, access by department, commitments and funds, thresholds: through services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gaoxin.core.errors import Forbidden, StaleVersion
from gaoxin.core.models import AuditRecord
from gaoxin.investment import delivery, plans, services
from gaoxin.investment.models import Commitment, FundsEntry, Project

D = datetime.date
W = Decimal


def test_create_resolves_references_and_audits(world):
    project = services.create_project(
        world.admin,
        world.zone_a,
        stage="visit",
        on=D(2019, 5, 6),
        name="  年产 5 万吨  锂电池正极材料项目 ",
        investor_name="深圳某新能源公司",
        origin_province="广东",
        industry="3841",
        planned_investment=W("520000"),
        fixed_asset_investment=W("400000"),
        department="经济发展局",
        officer="staff",
    )
    assert project.name == "年产 5 万吨 锂电池正极材料项目"
    assert (project.origin_province_id, project.industry_id) == ("440000", "3841")
    assert (project.department, project.officer) == (world.dept_a, world.staff)
    assert (project.stage, project.visit_on, project.lead_on) == ("visit", D(2019, 5, 6), None)
    record = AuditRecord.objects.for_object(project).get()
    assert record.action == "create" and record.after["planned_investment"] == "520000"


def test_create_reports_every_bad_field_and_writes_nothing(world):
    with pytest.raises(ValidationError) as excinfo:
        services.create_project(
            world.admin,
            world.zone_a,
            on=D(2019, 5, 6),
            name="",
            investor_name="某公司",
            planned_investment=W("100"),
            fixed_asset_investment=W("200"),
            origin_province="440000",
            origin_country="德国",
            industry="9999",
            department="不存在的局",
        )
    # Unknown references and the record's own rules come back together, not one at a time.
    errors = excinfo.value.message_dict
    assert errors["industry"] == ["行业代码 9999 不存在于 GB/T 4754-2017"]
    assert errors["department"] == ["本园区没有部门「不存在的局」"]
    assert errors["name"] == ["此字段不能为空。"]
    assert errors["fixed_asset_investment"] == [
        "其中固定资产投资(200 万元)不能超过计划总投资(100 万元)"
    ]
    assert errors["origin_country"] == ["投资方来源填写省份或国家/地区其一"]
    assert set(errors) == {
        "industry",
        "department",
        "name",
        "fixed_asset_investment",
        "origin_country",
    }
    assert not Project.objects.exists()
    assert not AuditRecord.objects.filter(action="create").exists()


def test_an_edit_reports_a_bad_reference_and_a_broken_rule_together(pipeline):
    with pytest.raises(ValidationError) as excinfo:
        services.update_project(
            pipeline.world.admin,
            pipeline.p_lead,
            {"chain": "不存在", "fixed_asset_investment": W("999999")},
        )
    assert excinfo.value.message_dict == {
        "chain": ["本园区没有产业链「不存在」"],
        "fixed_asset_investment": ["其中固定资产投资(999999 万元)不能超过计划总投资(20000 万元)"],
    }
    assert Project.objects.get(pk=pipeline.p_lead.pk).version == 1


def test_references_from_another_zone_are_refused(pipeline):
    w = pipeline.world
    with pytest.raises(ValidationError) as excinfo:
        services.update_project(w.admin, pipeline.p_b, {"investor_enterprise": w.a1.pk})
    assert excinfo.value.message_dict == {"investor_enterprise": [f"本园区没有企业「{w.a1.pk}」"]}


def test_staff_edit_only_their_departments_projects(pipeline):
    w = pipeline.world
    # Staff see the whole zone's pipeline ...
    visible = set(Project.objects.restrict(w.staff, "view").values_list("name", flat=True))
    assert visible == {"甲线索项目", "甲签约项目", "甲二局项目", "甲一扩产项目"}
    # ... but change only their department's.
    changeable = set(Project.objects.restrict(w.staff, "change").values_list("name", flat=True))
    assert changeable == {"甲线索项目", "甲签约项目", "甲一扩产项目"}
    # Another department's project: seen, so refused with the reason (403), not "missing".
    with pytest.raises(Forbidden, match="只能修改本部门负责的招商项目"):
        services.update_project(w.staff, pipeline.p_other, {"name": "改名"})
    assert Project.objects.get(pk=pipeline.p_other.pk).name == "甲二局项目"
    with pytest.raises(ValidationError) as excinfo:
        services.update_project(w.staff, pipeline.p_lead, {"department": pipeline.dept_a2})
    assert excinfo.value.message_dict == {"department": ["只能登记或修改本部门负责的项目"]}
    assert Project.objects.get(pk=pipeline.p_lead.pk).department == w.dept_a
    # A new project of theirs lands in their department.
    mine = services.create_project(
        w.staff, w.zone_a, name="新线索", investor_name="某", planned_investment=W("1")
    )
    assert mine.department == w.dept_a


@pytest.mark.parametrize(
    ("role", "refused"),
    [
        ("leader", Forbidden),  # sees the project: 403 with the reason
        ("province", Forbidden),
        ("enterprise", Project.DoesNotExist),  # sees only their own project: 404
    ],
)
def test_readers_cannot_create_or_change(pipeline, role, refused):
    w = pipeline.world
    user = w.users[role]
    with pytest.raises(Forbidden, match="无权在该园区登记招商项目"):
        services.create_project(
            user, w.zone_a, name="X", investor_name="Y", planned_investment=W("1")
        )
    with pytest.raises(refused):
        services.move_stage(user, pipeline.p_lead, "visit", on=D(2019, 2, 1))
    assert Project.objects.get(pk=pipeline.p_lead.pk).stage == "lead"


def test_enterprise_user_sees_only_their_own_project(pipeline):
    w = pipeline.world
    assert list(Project.objects.restrict(w.enterprise).active()) == [pipeline.p_ent]


def test_update_is_versioned_and_audited(pipeline):
    w, p = pipeline.world, pipeline.p_lead
    services.update_project(w.admin, p, {"planned_investment": W("30000")}, version=1)
    with pytest.raises(StaleVersion):
        services.update_project(w.admin, p, {"planned_investment": W("1")}, version=1)
    p.refresh_from_db()
    assert (p.planned_investment, p.version) == (W("30000"), 2)
    record = AuditRecord.objects.for_object(p).filter(action="update").get()
    assert (record.before["planned_investment"], record.after["planned_investment"]) == (
        "20000",
        "30000",
    )


def test_commitments_only_after_signing_and_checked(pipeline):
    w = pipeline.world
    with pytest.raises(ValidationError) as excinfo:
        services.save_commitment(w.admin, pipeline.p_lead, {"start_by": D(2020, 1, 1)})
    assert excinfo.value.message_dict == {"stage": ["项目签约后才能登记投资承诺"]}
    with pytest.raises(ValidationError) as excinfo:
        services.save_commitment(
            w.admin,
            pipeline.p_signed,
            {"start_by": D(2020, 1, 1), "production_by": D(2019, 1, 1), "funds_by": None},
            version=1,
        )
    assert excinfo.value.message_dict == {
        "production_by": ["投产期限(2019-01-01)不能早于开工期限(2020-01-01)"],
        "funds_by": ["承诺了到位资金,请填写到位期限"],
    }
    assert Commitment.objects.get(project=pipeline.p_signed).production_by == D(2021, 6, 30)


def test_funds_and_delivery_flag_the_overdue(pipeline):
    w, p = pipeline.world, pipeline.p_signed  # promised 30000 by 2020-03-31, start by 2019-09-30
    services.add_funds(w.admin, p, on=D(2019, 6, 1), amount=W("10000"))
    with pytest.raises(ValidationError) as excinfo:
        services.add_funds(w.admin, p, on=D(2019, 3, 1), amount=W("0"))
    assert excinfo.value.message_dict == {
        "on": ["到位日期不能早于签约日期 2019-03-10"],
        "amount": ["到位金额应大于 0"],
    }
    with pytest.raises(ValidationError):
        services.add_funds(w.admin, pipeline.p_lead, on=D(2019, 3, 1), amount=W("5"))
    assert FundsEntry.objects.count() == 1

    items = delivery.delivery(p, p.commitment, list(p.funds.all()), D(2020, 6, 1))
    by_key = {i["key"]: i for i in items}
    assert by_key["start"]["status"] == "overdue"
    assert by_key["production"]["status"] == "pending"
    assert (by_key["funds"]["status"], by_key["funds"]["actual"]) == ("short", W("10000"))
    assert by_key["tax"]["status"] == "awaiting"
    assert by_key["tax"]["promised_per_mu"] == W("60.00")  # 12000 万元 / 200 亩
    overdue = delivery.with_overdue(Project.objects.all(), D(2020, 6, 1))
    assert list(overdue) == [p]

    services.move_stage(w.admin, p, "started", on=D(2019, 9, 1))
    services.add_funds(w.admin, p, on=D(2020, 3, 1), amount=W("20000"))
    p.refresh_from_db()
    items = delivery.delivery(p, p.commitment, list(p.funds.all()), D(2020, 6, 1))
    assert {i["key"]: i["status"] for i in items}["start"] == "met"
    assert {i["key"]: i["status"] for i in items}["funds"] == "met"
    assert not delivery.with_overdue(Project.objects.all(), D(2020, 6, 1)).exists()


def test_statistics_seam_fills_per_mu_figures(pipeline, monkeypatch):
    p = pipeline.p_ent
    services.save_commitment(pipeline.world.admin, p, {"land_mu": W("100"), "annual_tax": W("500")})
    monkeypatch.setattr(delivery, "_providers", [])
    delivery.register_figures_provider(lambda enterprise, year: {"tax": W("450")})
    p.refresh_from_db()
    items = {i["key"]: i for i in delivery.delivery(p, p.commitment, [], D(2020, 6, 1))}
    assert items["tax"]["actual"] == W("450")
    assert (items["tax"]["promised_per_mu"], items["tax"]["actual_per_mu"]) == (W("5"), W("4.5"))
    assert items["tax"]["status"] == "short"


def test_thresholds_default_by_level_and_admin_only(world):
    assert services.thresholds_for(world.zone_a).class_5020 == W("500000")
    world.zone_b.level = "provincial"
    assert services.thresholds_for(world.zone_b).class_5020 == W("200000")
    with pytest.raises(Forbidden):
        plans.save_thresholds(world.staff, world.zone_a, large=W("5000"), class_5020=W("1"))
    saved = plans.save_thresholds(
        world.zone_admin, world.zone_a, large=W("5000"), class_5020=W("200000")
    )
    assert services.thresholds_for(world.zone_a) == saved
    with pytest.raises(ValidationError):
        plans.save_thresholds(world.zone_admin, world.zone_a, large=W("0"), class_5020=W("1"))


def test_delete_needs_a_reason(pipeline):
    w = pipeline.world
    with pytest.raises(ValidationError):
        services.delete_project(w.admin, pipeline.p_lead, reason=" ")
    with pytest.raises(Forbidden, match="无权删除该招商项目"):
        services.delete_project(w.staff, pipeline.p_lead, reason="重复")  # staff may not delete
    services.delete_project(w.zone_admin, pipeline.p_lead, reason="重复登记")
    assert not Project.objects.active().filter(pk=pipeline.p_lead.pk).exists()
