"""The help pages: working groups, the ledgers with their period filter, totals and export, the
forms (service errors on the page, nothing written), removal with a reason, who sees what."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gaoxin.core.models import AuditRecord
from gaoxin.matters import assistance
from gaoxin.matters.models import Award, JobOffer, Loan, Resumption, WorkingGroup

pytestmark = pytest.mark.django_db
D = datetime.date
LISTS = ("groups", "awards", "loans", "fairs", "resumption")


@pytest.fixture
def data(world):
    s, z = world.staff, world.zone_a
    world.a1.above_scale = True
    world.a1.save()
    world.award = assistance.add_award(
        s, z, enterprise=world.a1, policy="稳岗补贴", amount="100.5", paid_on=D(2020, 3, 1)
    )
    assistance.add_award(
        s, z, enterprise=world.a2, policy="技改", amount="50", paid_on=D(2021, 1, 1)
    )
    world.loan = assistance.add_loan(
        s,
        z,
        enterprise=world.a1,
        bank="九江银行",
        kind="credit",
        amount=2000,
        granted_on=D(2020, 4, 1),
    )
    world.fair = assistance.create_fair(s, z, title="春风行动", held_on=D(2020, 2, 20))
    assistance.add_offer(s, world.fair, enterprise=world.a1, positions=25, jobs="普工")
    world.res = assistance.add_resumption(
        s, z, subject="enterprise", enterprise=world.a1, tracked_from=D(2020, 2, 1),
        resumed_on=D(2020, 2, 15),
    )  # fmt: skip
    world.group = assistance.create_group(
        s,
        z,
        name="第一帮扶工作组",
        leader_name="张三",
        department=world.dept_a,
        enterprises=[world.a1],
    )
    return world


def login(client, user):
    client.force_login(user)
    return client


class TestAccess:
    @pytest.mark.parametrize("role", ["admin", "zone_admin", "leader", "staff"])
    @pytest.mark.parametrize("name", LISTS)
    def test_officers_read(self, data, client, role, name):
        r = login(client, data.users[role]).get(reverse(f"matters:{name}"))
        assert r.status_code == 200

    @pytest.mark.parametrize("name", LISTS)
    def test_enterprise_and_anonymous(self, data, client, name):
        url = reverse(f"matters:{name}")
        assert client.get(url).status_code == 302
        assert login(client, data.enterprise).get(url).status_code == 404

    def test_detail_pages_404_outside(self, data, client):
        login(client, data.enterprise)
        for url in (
            reverse("matters:group_detail", args=[data.group.pk]),
            reverse("matters:fair_detail", args=[data.fair.pk]),
            reverse("matters:resumption_edit", args=[data.res.pk]),
        ):
            assert client.get(url).status_code == 404

    def test_leader_reads_but_does_not_write(self, data, client):
        login(client, data.leader)
        r = client.get(reverse("matters:awards"))
        assert b'id="create"' not in r.content
        assert client.get(reverse("matters:award_create")).status_code == 404
        r = client.post(reverse("matters:award_create"), {"policy": "x"})
        assert r.status_code == 404
        assert client.get(reverse("matters:group_edit", args=[data.group.pk])).status_code == 404


class TestLedgers:
    def test_period_filter_and_totals(self, data, client, django_assert_max_num_queries):
        login(client, data.staff)
        url = reverse("matters:awards")
        r = client.get(url)
        assert r.context["totals"][1][1] == 2
        with django_assert_max_num_queries(12):
            r = client.get(url, {"start": "2020-01-01", "end": "2020-06-30"})
        assert r.context["totals"][0][1] == 1
        assert "100.5 万元" in r.content.decode()
        assert "技改" not in r.content.decode()

    def test_bad_period_is_shown_not_applied(self, data, client):
        login(client, data.staff)
        r = client.get(reverse("matters:loans"), {"start": "2020-07-01", "end": "2020-01-01"})
        assert r.status_code == 200
        assert "开始日期不能晚于结束日期" in r.content.decode()
        r = client.get(reverse("matters:loans"), {"start": "2020-13-45"})
        assert r.status_code == 200

    def test_query_count_does_not_grow(self, data, client, django_assert_max_num_queries):
        for i in range(30):
            assistance.add_award(
                data.staff, data.zone_a, enterprise=data.a2, policy=f"p{i}", amount=1,
                paid_on=D(2020, 5, 1),
            )  # fmt: skip
        login(client, data.zone_admin)
        for name in ("awards", "loans", "fairs", "resumption", "groups"):
            with django_assert_max_num_queries(14):
                assert client.get(reverse(f"matters:{name}")).status_code == 200

    def test_export(self, data, client):
        login(client, data.leader)
        r = client.get(
            reverse("matters:awards"),
            {"start": "2020-01-01", "end": "2020-12-31", "export": "xlsx"},
        )
        assert r["Content-Type"].startswith("application/vnd.openxmlformats")
        ws = load_workbook(io.BytesIO(r.content)).active
        rows = list(ws.values)
        assert rows[0][:3] == ("企业", "政策名称", "金额(万元)")
        assert len(rows) == 2  # the 2021 award is outside the period
        assert AuditRecord.objects.filter(action=AuditRecord.Action.EXPORT).exists()
        for name in ("loans", "fairs", "resumption"):
            r = client.get(reverse(f"matters:{name}"), {"export": "xlsx"})
            assert len(list(load_workbook(io.BytesIO(r.content)).active.values)) == 2

    def test_create_award(self, data, client):
        login(client, data.staff)
        body = {"enterprise": data.a2.pk, "policy": "新入规奖励", "amount": "30",
                "paid_on": "2020-05-05", "note": ""}  # fmt: skip
        r = client.post(reverse("matters:award_create"), body)
        assert r.status_code == 302
        assert Award.objects.filter(policy="新入规奖励", amount=Decimal("30")).exists()

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"amount": "0"}, "金额应大于 0"),
            ({"paid_on": "2999-01-01"}, "不能晚于今天"),
            ({"enterprise": ""}, "必填"),
        ],
    )
    def test_bad_award_shows_error(self, data, client, change, message):
        login(client, data.staff)
        before = (Award.objects.count(), AuditRecord.objects.count())
        body = {"enterprise": data.a2.pk, "policy": "奖励", "amount": "3",
                "paid_on": "2020-05-05"} | change  # fmt: skip
        r = client.post(reverse("matters:award_create"), body)
        assert r.status_code == 200
        assert message in r.content.decode()
        assert (Award.objects.count(), AuditRecord.objects.count()) == before

    def test_enterprise_of_another_zone_not_offered(self, data, client):
        login(client, data.staff)
        body = {"enterprise": data.b1.pk, "bank": "b", "kind": "credit", "amount": "3",
                "granted_on": "2020-05-05"}  # fmt: skip
        r = client.post(reverse("matters:loan_create"), body)
        assert r.status_code == 200 and Loan.objects.count() == 1

    def test_delete_with_reason_admins_only(self, data, client):
        url = reverse("matters:loan_delete", args=[data.loan.pk])
        login(client, data.staff)
        assert client.post(url, {"reason": "录错"}).status_code == 404
        login(client, data.zone_admin)
        r = client.post(url, {"reason": ""}, follow=True)
        assert "删除须说明原因" in r.content.decode()
        assert Loan.objects.filter(pk=data.loan.pk).exists()
        client.post(url, {"reason": "重复录入"})
        assert not Loan.objects.filter(pk=data.loan.pk).exists()
        assert AuditRecord.objects.filter(action="delete", message="重复录入").exists()
        assert client.get(url).status_code == 405

    def test_fair_and_offer(self, data, client):
        login(client, data.staff)
        r = client.post(
            reverse("matters:fair_create"),
            {
                "title": "网络招聘月",
                "held_on": "2020-04-13",
                "ends_on": "2020-04-01",
                "online": "on",
            },
        )
        assert "结束日期不能早于开始日期" in r.content.decode()
        r = client.post(
            reverse("matters:fair_create"),
            {"title": "网络招聘月", "held_on": "2020-04-13", "online": "on"},
        )
        assert r.status_code == 302
        detail = r["Location"]
        pk = int(detail.rstrip("/").split("/")[-1])
        offer_url = reverse("matters:offer_create", args=[pk])
        r = client.post(offer_url, {"enterprise": data.a1.pk, "positions": "40", "jobs": "电工"})
        assert r.status_code == 302
        r = client.post(offer_url, {"enterprise": data.a1.pk, "positions": "5"})
        assert r.status_code == 422 and "已登记参加本场招聘会" in r.content.decode()
        r = client.post(offer_url, {"enterprise": data.a2.pk, "positions": "0"})
        assert r.status_code == 422
        assert JobOffer.objects.filter(fair_id=pk).count() == 1
        r = client.get(detail)
        assert r.context["positions"] == 40

    def test_resumption_pages(self, data, client):
        login(client, data.staff)
        r = client.get(reverse("matters:resumption"), {"end": "2020-06-30"})
        assert "100.0% (1/1)" in r.content.decode()
        r = client.get(reverse("matters:resumption"), {"end": "2020-02-10"})
        assert "0.0% (0/1)" in r.content.decode()
        r = client.post(
            reverse("matters:resumption_create"),
            {"subject": "enterprise", "enterprise": data.a2.pk, "tracked_from": "2020-02-01"},
        )
        assert r.status_code == 200  # a2 is not above scale: not offered
        edit = reverse("matters:resumption_edit", args=[data.res.pk])
        r = client.post(edit, {"tracked_from": "2020-02-01", "resumed_on": "2020-02-20",
                               "workers_back": "10", "workers_total": "8", "version": "1"})  # fmt: skip
        assert "返岗人数不能多于职工总数" in r.content.decode()
        r = client.post(edit, {"tracked_from": "2020-02-01", "resumed_on": "2020-02-20",
                               "workers_back": "8", "workers_total": "10", "version": "1"})  # fmt: skip
        assert r.status_code == 302
        data.res.refresh_from_db()
        assert data.res.resumed_on == D(2020, 2, 20) and data.res.version == 2
        r = client.post(edit, {"tracked_from": "2020-02-01", "version": "1"})
        assert "已被他人修改" in r.content.decode()
        assert Resumption.objects.get(pk=data.res.pk).version == 2


class TestGroups:
    def test_create_edit_detail(self, data, client):
        login(client, data.zone_admin)
        r = client.post(
            reverse("matters:group_create"),
            {"name": "第二帮扶工作组", "leader_name": "李四", "department": data.dept_a.pk,
             "members": [data.staff.pk], "enterprises": [data.a2.pk], "member_names": "王五"},
        )  # fmt: skip
        assert r.status_code == 302
        group = WorkingGroup.objects.get(name="第二帮扶工作组")
        r = client.post(
            reverse("matters:group_create"), {"name": "第二帮扶工作组", "leader_name": "x"}
        )
        assert "已有名为" in r.content.decode()
        edit = reverse("matters:group_edit", args=[group.pk])
        r = client.get(edit)
        assert r.status_code == 200
        r = client.post(edit, {"name": "第二组", "leader_name": "李四", "version": "1",
                               "enterprises": [data.a1.pk, data.a2.pk]})  # fmt: skip
        assert r.status_code == 302
        group.refresh_from_db()
        assert group.name == "第二组" and group.enterprises.count() == 2
        r = client.get(reverse("matters:group_detail", args=[group.pk]))
        assert data.a1.name in r.content.decode()
        r = client.get(reverse("matters:groups"))
        assert "第二组" in r.content.decode()
