"""Help for enterprises: the working groups, the ledgers' validation and access (each refusal
writes nothing), removal with a reason, and the summary the cockpit and the API read."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gaoxin.core.errors import Forbidden, StaleVersion
from gaoxin.core.models import AuditRecord
from gaoxin.investment.models import Project
from gaoxin.matters import assistance
from gaoxin.matters.models import Award, JobFair, JobOffer, Loan, Resumption, WorkingGroup
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def project(zone, name="重点项目甲"):
    return Project.objects.create(
        zone=zone,
        name=name,
        investor_name="某投资方",
        planned_investment=Decimal("10000"),
        stage="started",
        stage_on=D(2020, 1, 5),
    )


def audits():
    return AuditRecord.objects.count()


@pytest.fixture
def w(world):
    world.a1.above_scale = True
    world.a1.save()
    return world


class TestGroups:
    def test_create_and_update_audited(self, w):
        group = assistance.create_group(
            w.zone_admin,
            w.zone_a,
            name="第一帮扶工作组",
            leader_name="张三",
            department=w.dept_a,
            members=[w.staff.pk],
            member_names="李四,王五",
            enterprises=[w.a1.pk, w.a2],
        )
        assert set(group.enterprises.all()) == {w.a1, w.a2}
        assert list(group.members.all()) == [w.staff]
        group = assistance.update_group(
            w.staff, group, version=1, name="第一组", enterprises=[w.a1.pk]
        )
        assert group.version == 2 and list(group.enterprises.all()) == [w.a1]
        actions = list(AuditRecord.objects.for_object(group).values_list("action", flat=True))
        assert sorted(actions) == sorted([AuditRecord.Action.CREATE, AuditRecord.Action.UPDATE])

    def test_refusals_write_nothing(self, w):
        before = audits()
        cases = [
            (w.zone_admin, {"enterprises": [w.b1.pk]}, "enterprises"),
            (w.zone_admin, {"members": [w.enterprise.pk]}, "members"),
            (w.zone_admin, {"name": " "}, "name"),
            (w.zone_admin, {"department": 999999}, "department"),
        ]
        for actor, extra, field in cases:
            kw = {"name": "组", "leader_name": "张三", **extra}
            with pytest.raises(ValidationError) as exc:
                assistance.create_group(actor, w.zone_a, **kw)
            assert field in exc.value.message_dict
        for actor in (w.leader, w.province, w.enterprise):
            with pytest.raises(Forbidden):
                assistance.create_group(actor, w.zone_a, name="组", leader_name="张三")
        assert WorkingGroup.objects.count() == 0 and audits() == before

    def test_duplicate_name_and_stale_version(self, w):
        group = assistance.create_group(w.zone_admin, w.zone_a, name="一组", leader_name="张")
        with pytest.raises(ValidationError, match="已有名为"):
            assistance.create_group(w.zone_admin, w.zone_a, name="一组", leader_name="李")
        with pytest.raises(StaleVersion):
            assistance.update_group(w.zone_admin, group, version=7, leader_name="李")
        with pytest.raises(WorkingGroup.DoesNotExist):
            assistance.update_group(w.enterprise, group, version=1, leader_name="李")
        with pytest.raises(Forbidden):
            assistance.update_group(w.leader, group, version=1, leader_name="李")
        group.refresh_from_db()
        assert group.leader_name == "张" and group.version == 1


class TestLedgers:
    def test_award_and_loan(self, w):
        award = assistance.add_award(
            w.staff,
            w.zone_a,
            enterprise=w.a1,
            policy="稳岗补贴",
            amount="12.5",
            paid_on=D(2020, 3, 1),
        )
        assert award.amount == Decimal("12.5") and award.created_by_name
        loan = assistance.add_loan(
            w.staff,
            w.zone_a,
            enterprise=w.a2.pk,
            bank="九江银行",
            kind="guaranteed",
            amount=Decimal("1000"),
            granted_on=D(2020, 4, 1),
        )
        assert loan.kind == Loan.Kind.GUARANTEED
        assert AuditRecord.objects.for_object(award).get().action == AuditRecord.Action.CREATE

    @pytest.mark.parametrize(
        ("kw", "field"),
        [
            ({"amount": "0"}, "amount"),
            ({"amount": "-3"}, "amount"),
            ({"amount": "abc"}, "amount"),
            ({"amount": "1.00001"}, "amount"),
            ({"amount": "1e20"}, "amount"),
            ({"amount": "NaN"}, "amount"),
            ({"policy": "  "}, "policy"),
            ({"paid_on": None}, "paid_on"),
            ({"paid_on": D(2999, 1, 1)}, "paid_on"),
            ({"enterprise": None}, "enterprise"),
            ({"enterprise": "x"}, "enterprise"),
        ],
    )
    def test_bad_award(self, w, kw, field):
        before = audits()
        data = {"enterprise": w.a1, "policy": "奖励", "amount": "1", "paid_on": D(2020, 1, 2)}
        with pytest.raises(ValidationError) as exc:
            assistance.add_award(w.staff, w.zone_a, **(data | kw))
        assert field in exc.value.message_dict
        assert Award.objects.count() == 0 and audits() == before

    def test_enterprise_of_another_zone_or_deleted(self, w):
        gone = EnterpriseFactory(zone=w.zone_a, name="已注销企业", is_deleted=True)
        for ent in (w.b1, gone):
            with pytest.raises(ValidationError, match="不属于本园区"):
                assistance.add_loan(
                    w.staff,
                    w.zone_a,
                    enterprise=ent,
                    bank="银行",
                    kind="credit",
                    amount=1,
                    granted_on=D(2020, 1, 1),
                )

    def test_bad_loan(self, w):
        base = {"enterprise": w.a1, "bank": "银行", "kind": "credit", "amount": 1}
        with pytest.raises(ValidationError, match="贷款类型"):
            assistance.add_loan(
                w.staff, w.zone_a, **(base | {"kind": "gift"}), granted_on=D(2020, 1, 1)
            )
        with pytest.raises(ValidationError, match="银行"):
            assistance.add_loan(
                w.staff, w.zone_a, **(base | {"bank": ""}), granted_on=D(2020, 1, 1)
            )
        assert Loan.objects.count() == 0

    def test_who_may_write(self, w):
        for actor, zone in ((w.leader, w.zone_a), (w.province, w.zone_a), (w.enterprise, w.zone_a),
                            (w.staff, w.zone_b)):  # fmt: skip
            with pytest.raises(Forbidden):
                assistance.add_award(
                    actor, zone, enterprise=w.a1, policy="p", amount=1, paid_on=D(2020, 1, 1)
                )
        assert Award.objects.count() == 0

    def test_fair_and_offers(self, w):
        fair = assistance.create_fair(
            w.staff, w.zone_a, title="春风行动网络招聘会", held_on=D(2020, 2, 20), ends_on=None
        )
        assistance.add_offer(w.staff, fair, enterprise=w.a1, positions="30", jobs="普工")
        with pytest.raises(ValidationError, match="已登记"):
            assistance.add_offer(w.staff, fair, enterprise=w.a1, positions=5)
        for bad in (0, -1, "x", None):
            with pytest.raises(ValidationError) as exc:
                assistance.add_offer(w.staff, fair, enterprise=w.a2, positions=bad)
            assert "positions" in exc.value.message_dict
        with pytest.raises(ValidationError, match="不属于本园区"):
            assistance.add_offer(w.staff, fair, enterprise=w.b1, positions=3)
        with pytest.raises(JobFair.DoesNotExist):
            assistance.add_offer(w.enterprise, fair, enterprise=w.a1, positions=3)
        with pytest.raises(Forbidden):
            assistance.add_offer(w.leader, fair, enterprise=w.a2, positions=3)
        assert JobOffer.objects.count() == 1

    def test_fair_dates(self, w):
        with pytest.raises(ValidationError, match="结束日期不能早于"):
            assistance.create_fair(
                w.staff, w.zone_a, title="会", held_on=D(2020, 2, 20), ends_on=D(2020, 2, 1)
            )
        with pytest.raises(ValidationError, match="不能晚于今天"):
            assistance.create_fair(w.staff, w.zone_a, title="会", held_on=D(2999, 2, 20))
        assert JobFair.objects.count() == 0

    def test_resumption_subject_consistency(self, w):
        p = project(w.zone_a)
        kw = {"tracked_from": D(2020, 2, 1)}
        cases = [
            ({"subject": "enterprise", "enterprise": w.a2}, "enterprise"),  # not above scale
            ({"subject": "enterprise", "enterprise": w.a1, "project": p}, "project"),
            ({"subject": "project", "project": p, "enterprise": w.a1}, "enterprise"),
            ({"subject": "project", "project": None}, "project"),
            ({"subject": "other", "enterprise": w.a1}, "subject"),
            ({"subject": "enterprise", "enterprise": w.a1, "workers_back": 9, "workers_total": 5},
             "workers_back"),
            ({"subject": "enterprise", "enterprise": w.a1, "resumed_on": D(2999, 1, 1)},
             "resumed_on"),
        ]  # fmt: skip
        for data, field in cases:
            with pytest.raises(ValidationError) as exc:
                assistance.add_resumption(w.staff, w.zone_a, **(kw | data))
            assert field in exc.value.message_dict, data
        assert Resumption.objects.count() == 0
        row = assistance.add_resumption(
            w.staff, w.zone_a, subject="enterprise", enterprise=w.a1, **kw
        )
        assistance.add_resumption(w.staff, w.zone_a, subject="project", project=p, **kw)
        with pytest.raises(ValidationError, match="已在复工跟踪"):
            assistance.add_resumption(w.staff, w.zone_a, subject="project", project=p, **kw)
        row = assistance.update_resumption(
            w.staff, row, version=1, resumed_on=D(2020, 2, 10), workers_back=50, workers_total=60
        )
        assert row.version == 2 and row.resumed_on == D(2020, 2, 10)
        with pytest.raises(StaleVersion):
            assistance.update_resumption(w.staff, row, version=1, note="x")
        with pytest.raises(ValidationError, match="返岗人数不能多于"):
            assistance.update_resumption(w.staff, row, version=2, workers_back=61)

    def test_remove_with_reason_admin_only(self, w):
        award = assistance.add_award(
            w.staff, w.zone_a, enterprise=w.a1, policy="p", amount=5, paid_on=D(2020, 1, 1)
        )
        with pytest.raises(Forbidden):
            assistance.remove_entry(w.staff, award, reason="录错")
        with pytest.raises(Forbidden):  # its own award: seen (一企一档), not its to remove
            assistance.remove_entry(w.enterprise, award, reason="录错")
        with pytest.raises(ValidationError, match="原因"):
            assistance.remove_entry(w.zone_admin, award, reason=" ")
        assert Award.objects.filter(pk=award.pk).exists()
        pk = award.pk
        assistance.remove_entry(w.zone_admin, award, reason="重复录入")
        assert not Award.objects.filter(pk=pk).exists()
        record = AuditRecord.objects.filter(action=AuditRecord.Action.DELETE).get()
        assert record.message == "重复录入" and record.before["amount"] == "5"
        assert record.object_id == str(pk)


class TestSummary:
    def test_empty(self, w):
        s = assistance.summary(w.zone_a, D(2020, 1, 1), D(2020, 6, 30))
        assert s["awards"] == {"enterprises": 0, "count": 0, "amount_wan": Decimal("0")}
        assert s["loans"]["total"]["amount_wan"] == 0
        assert s["jobs"] == {"fairs": 0, "enterprises": 0, "positions": 0}
        assert s["resumption"]["overall"] == {"tracked": 0, "resumed": 0, "rate": None}
        assert s["resumption"]["as_of"] == D(2020, 6, 30)

    def test_totals_by_date_inclusive(self, w, django_assert_max_num_queries):
        z, s = w.zone_a, w.staff
        for ent, amount, day in ((w.a1, "10.5", D(2020, 1, 1)), (w.a1, "4.5", D(2020, 6, 30)),
                                 (w.a2, "100", D(2020, 3, 3)), (w.a2, "7", D(2019, 12, 31)),
                                 (w.a2, "8", D(2020, 7, 1))):  # fmt: skip
            assistance.add_award(s, z, enterprise=ent, policy="p", amount=amount, paid_on=day)
        other = EnterpriseFactory(zone=w.zone_b, name="乙二")
        assistance.add_award(
            w.admin, w.zone_b, enterprise=other, policy="p", amount=9, paid_on=D(2020, 2, 2)
        )
        for ent, kind, amount, day in ((w.a1, "credit", 1000, D(2020, 2, 1)),
                                       (w.a1, "credit", 500, D(2020, 5, 1)),
                                       (w.a2, "credit", 200, D(2020, 5, 1)),
                                       (w.a1, "guaranteed", 300, D(2020, 4, 1)),
                                       (w.a2, "guaranteed", 999, D(2021, 4, 1))):  # fmt: skip
            assistance.add_loan(
                s, z, enterprise=ent, bank="b", kind=kind, amount=amount, granted_on=day
            )
        fair = assistance.create_fair(s, z, title="一", held_on=D(2020, 2, 10))
        assistance.add_offer(s, fair, enterprise=w.a1, positions=30)
        assistance.add_offer(s, fair, enterprise=w.a2, positions=12)
        fair2 = assistance.create_fair(s, z, title="二", held_on=D(2020, 3, 10))
        assistance.add_offer(s, fair2, enterprise=w.a1, positions=8)
        assistance.create_fair(s, z, title="空", held_on=D(2020, 4, 10))
        late = assistance.create_fair(s, z, title="晚", held_on=D(2020, 8, 10))
        assistance.add_offer(s, late, enterprise=w.a1, positions=100)
        w.a2.above_scale = True
        w.a2.save()
        a3 = EnterpriseFactory(zone=z, name="甲三", above_scale=True)
        p1, p2 = project(z, "项目一"), project(z, "项目二")
        res = assistance.add_resumption
        res(s, z, subject="enterprise", enterprise=w.a1, tracked_from=D(2020, 2, 1),
            resumed_on=D(2020, 2, 10))  # fmt: skip
        res(s, z, subject="enterprise", enterprise=w.a2, tracked_from=D(2020, 2, 1),
            resumed_on=D(2020, 7, 10))  # fmt: skip
        res(s, z, subject="enterprise", enterprise=a3, tracked_from=D(2020, 7, 1))
        res(s, z, subject="project", project=p1, tracked_from=D(2020, 2, 1),
            resumed_on=D(2020, 3, 1))  # fmt: skip
        res(s, z, subject="project", project=p2, tracked_from=D(2020, 2, 1))
        with django_assert_max_num_queries(6):
            got = assistance.summary(z, D(2020, 1, 1), D(2020, 6, 30))
        assert got["awards"] == {"enterprises": 2, "count": 3, "amount_wan": Decimal("115")}
        assert got["loans"] == {
            "credit": {"enterprises": 2, "count": 3, "amount_wan": Decimal("1700")},
            "guaranteed": {"enterprises": 1, "count": 1, "amount_wan": Decimal("300")},
            "total": {"enterprises": 2, "count": 4, "amount_wan": Decimal("2000")},
        }
        assert got["jobs"] == {"fairs": 3, "enterprises": 2, "positions": 50}
        assert got["resumption"]["enterprises"] == {
            "tracked": 2,
            "resumed": 1,
            "rate": Decimal("50.0"),
        }
        assert got["resumption"]["projects"] == {
            "tracked": 2,
            "resumed": 1,
            "rate": Decimal("50.0"),
        }
        assert got["resumption"]["overall"]["rate"] == Decimal("50.0")
        later = assistance.summary(z, D(2020, 1, 1), D(2020, 7, 31))
        assert later["resumption"]["enterprises"] == {
            "tracked": 3,
            "resumed": 2,
            "rate": Decimal("66.7"),
        }
        assert later["resumption"]["overall"]["rate"] == Decimal("60.0")
