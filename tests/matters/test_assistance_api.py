"""/api/v1/assistance: the summary (numbers, 422 on bad dates, 403 for enterprise users, the zone
parameter), the ledgers' lists, recording and removing awards and loans."""

import datetime
from decimal import Decimal

import pytest

from gaoxin.core.models import AuditRecord
from gaoxin.matters import assistance
from gaoxin.matters.models import Award, Loan
from tests.support.api import Api, bearer

pytestmark = pytest.mark.django_db
D = datetime.date
H1 = {"start": "2020-01-01", "end": "2020-06-30"}


@pytest.fixture
def as_(world, client):
    """as_("staff") → an API client with the world's staff user's bearer token."""
    return lambda role: Api(client, bearer(world.users[role]))


@pytest.fixture
def nobody(client):
    return Api(client)


@pytest.fixture
def ledgers(world):
    s, z = world.staff, world.zone_a
    world.a1.above_scale = True
    world.a1.save()
    world.award = assistance.add_award(
        s, z, enterprise=world.a1, policy="p", amount="1952.6", paid_on=D(2020, 3, 1)
    )
    assistance.add_award(s, z, enterprise=world.a2, policy="p", amount="3", paid_on=D(2021, 1, 1))
    world.loan = assistance.add_loan(
        s, z, enterprise=world.a1, bank="b", kind="credit", amount=23400, granted_on=D(2020, 5, 5)
    )
    fair = assistance.create_fair(s, z, title="网络招聘会", held_on=D(2020, 2, 15))
    assistance.add_offer(s, fair, enterprise=world.a1, positions=40, jobs="普工")
    assistance.add_resumption(
        s, z, subject="enterprise", enterprise=world.a1, tracked_from=D(2020, 2, 1),
        resumed_on=D(2020, 2, 20),
    )  # fmt: skip
    return world


class TestSummary:
    def test_numbers(self, ledgers, as_):
        r = as_("staff").get("/assistance/summary", **H1)
        assert r.status_code == 200, r.content
        body = r.json()
        assert body["zone"] == "ZA" and body["start"] == "2020-01-01"
        assert body["awards"] == {"enterprises": 1, "count": 1, "amount_wan": 1952.6}
        assert body["loans"]["credit"] == {"enterprises": 1, "count": 1, "amount_wan": 23400}
        assert body["loans"]["guaranteed"]["amount_wan"] == 0
        assert body["jobs"] == {"fairs": 1, "enterprises": 1, "positions": 40}
        assert body["resumption"]["enterprises"] == {"tracked": 1, "resumed": 1, "rate": 100.0}
        assert body["resumption"]["projects"]["rate"] is None
        assert body["resumption"]["as_of"] == "2020-06-30"

    @pytest.mark.parametrize("role", ["admin", "zone_admin", "leader", "staff", "province"])
    def test_readers(self, ledgers, as_, role):
        r = as_(role).get("/assistance/summary", zone="ZA", **H1)
        assert r.status_code == 200
        assert r.json()["awards"]["count"] == 1

    def test_enterprise_user_and_nobody(self, ledgers, as_, nobody):
        r = as_("enterprise").get("/assistance/summary", **H1)
        assert r.status_code == 403 and "无权" in r.json()["detail"]
        assert nobody.get("/assistance/summary", **H1).status_code == 401

    def test_other_zone(self, ledgers, as_):
        r = as_("staff").get("/assistance/summary", zone="ZC", **H1)
        assert r.status_code == 422 and "ZC" in r.json()["detail"]
        r = as_("province").get("/assistance/summary", zone="ZB", **H1)
        assert r.status_code == 200 and r.json()["awards"]["count"] == 0

    @pytest.mark.parametrize(
        ("params", "field", "text"),
        [
            ({"start": "2020-07-01", "end": "2020-06-30"}, "start", "不能晚于"),
            ({"start": "2020-13-01", "end": "2020-06-30"}, "start", "YYYY-MM-DD"),
            ({"start": "abc", "end": "2020-06-30"}, "start", "YYYY-MM-DD"),
            ({"end": "2020-06-30"}, "start", "必填"),
            ({"start": "2020-01-01"}, "end", "必填"),
        ],
    )
    def test_bad_dates(self, ledgers, as_, params, field, text):
        r = as_("staff").get("/assistance/summary", **params)
        assert r.status_code == 422
        errors = r.json()["errors"]
        assert errors[0]["field"] == field and text in errors[0]["message"]


class TestLists:
    def test_awards_by_period(self, ledgers, as_):
        api = as_("leader")
        all_rows = api.get("/assistance/awards").json()
        assert all_rows["count"] == 2
        body = api.get("/assistance/awards", **H1).json()
        assert body["count"] == 1
        assert body["items"][0]["amount_wan"] == 1952.6
        assert body["items"][0]["enterprise"]["name"] == ledgers.a1.name

    def test_loans_fairs_resumptions(self, ledgers, as_):
        api = as_("province")
        assert api.get("/assistance/loans", zone="ZA").json()["items"][0]["kind_name"] == "信贷"
        fairs = api.get("/assistance/fairs", zone="ZA", **H1).json()
        assert fairs["items"][0]["positions"] == 40
        assert fairs["items"][0]["offers"][0]["jobs"] == "普工"
        res = api.get("/assistance/resumptions", zone="ZA").json()
        assert res["items"][0]["subject_name"] == "规上企业"

    def test_enterprise_forbidden(self, ledgers, as_):
        for path in ("awards", "loans", "fairs", "resumptions"):
            assert as_("enterprise").get(f"/assistance/{path}").status_code == 403

    def test_bad_period(self, ledgers, as_):
        r = as_("staff").get("/assistance/loans", start="2020-02-01", end="2020-01-01")
        assert r.status_code == 422


class TestWrites:
    def test_create_award(self, ledgers, as_):
        body = {"enterprise": ledgers.a2.pk, "policy": "稳岗", "amount_wan": "12.5",
                "paid_on": "2020-04-01"}  # fmt: skip
        r = as_("staff").post("/assistance/awards", body)
        assert r.status_code == 201, r.content
        assert r.json()["amount_wan"] == 12.5
        assert Award.objects.get(pk=r.json()["id"]).amount == Decimal("12.5")

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"amount_wan": 0}, "amount_wan"),
            ({"amount_wan": "abc"}, "amount_wan"),
            ({"paid_on": "2999-01-01"}, "paid_on"),
            ({"enterprise": 999999}, "enterprise"),
            ({"policy": ""}, "policy"),
        ],
    )
    def test_bad_award_writes_nothing(self, ledgers, as_, change, field):
        before = (Award.objects.count(), AuditRecord.objects.count())
        body = {"enterprise": ledgers.a2.pk, "policy": "稳岗", "amount_wan": "1",
                "paid_on": "2020-04-01"} | change  # fmt: skip
        r = as_("staff").post("/assistance/awards", body)
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == field
        assert (Award.objects.count(), AuditRecord.objects.count()) == before

    @pytest.mark.parametrize("role", ["leader", "province", "enterprise"])
    def test_create_forbidden(self, ledgers, as_, role):
        body = {"enterprise": ledgers.a2.pk, "bank": "b", "kind": "credit", "amount_wan": 1,
                "granted_on": "2020-04-01"}  # fmt: skip
        r = as_(role).post("/assistance/loans", body, zone="ZA")
        assert r.status_code in (403, 422)
        assert Loan.objects.count() == 1

    def test_delete(self, ledgers, as_):
        pk = ledgers.loan.pk
        r = as_("staff").delete(f"/assistance/loans/{pk}", {"reason": "录错"})
        assert r.status_code == 403
        r = as_("enterprise").delete(f"/assistance/loans/{pk}", {"reason": "录错"})
        assert r.status_code == 403  # its own loan: seen (一企一档), not its to delete
        r = as_("zone_admin").delete(f"/assistance/loans/{pk}")
        assert r.status_code == 422
        r = as_("zone_admin").delete(f"/assistance/loans/{pk}", {"reason": "录错"})
        assert r.status_code == 204
        assert not Loan.objects.filter(pk=pk).exists()
        r = as_("zone_admin").delete(f"/assistance/awards/{ledgers.award.pk}", reason="重复")
        assert r.status_code == 204
