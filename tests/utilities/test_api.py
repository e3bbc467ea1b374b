"""The utilities API: the risk list and an account through restrict() for every role (a utility
company's partner account sees its company's accounts only), batches of readings, top-ups and
cut-offs through services.ingest — all or nothing, re-sent rows skipped, every bad row named
(`rows[i].field`), hostile input answered 422, never 500 — and the zone's summary."""

import datetime
import json
from decimal import Decimal

import pytest

from gaoxin.core.models import AuditRecord
from gaoxin.utilities.models import Account, Batch, CutOff, Kind, Level, Reading, TopUp
from tests.support import utilities as u
from tests.support.api import Api, bearer

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def ledger(world):
    """Zone A's power company with its partner account `power`, its water company; accounts of
    a1 (power, water), a2 (power) and b1 (zone B's power company)."""
    power = u.company(world.zone_a, Kind.ELECTRICITY)
    water = u.company(world.zone_a, Kind.WATER)
    tariff = u.tariff(world.zone_a)
    ns = type("Ledger", (), {})()
    ns.power, ns.water = power, water
    ns.partner = u.partner(power, username="power")
    ns.a1 = u.account(
        world.a1,
        meter_no="E-A1",
        company_=power,
        tariff_=tariff,
        balance=Decimal("800"),
        days_left=Decimal("8.0"),
        level=Level.NONE,
    )
    ns.a2 = u.account(
        world.a2,
        meter_no="E-A2",
        company_=power,
        tariff_=tariff,
        balance=Decimal("100"),
        days_left=Decimal("1.5"),
        level=Level.SECOND,
    )
    ns.a1_water = u.account(
        world.a1,
        Kind.WATER,
        meter_no="W-A1",
        company_=water,
        balance=Decimal("50"),
        days_left=Decimal("5.0"),
        level=Level.FIRST,
    )
    ns.b1 = u.account(world.b1, meter_no="E-B1")
    return ns  # fmt: skip


def as_user(client, user) -> Api:
    return Api(client, bearer(user))


def rows_of(account, days=3, **kw) -> list[dict]:
    """The JSON rows of a baseline and `days` daily readings (times with +08:00)."""
    return [
        {"meter_no": r["meter_no"], "kind": r["kind"], "read_at": r["read_at"].isoformat(),
         "register": r["register"], "index": str(r["index"])}
        for r in u.reading_rows(account, days, **kw)
    ]  # fmt: skip


def field_errors(response) -> list[tuple[str, str]]:
    assert response.status_code == 422, response.content[:500]
    return [(e["field"], e["message"]) for e in response.json()["errors"]]


# --- reading accounts -------------------------------------------------------------------------


class TestAccounts:
    def test_risk_list_red_first_by_days_left(self, world, ledger, client):
        r = as_user(client, world.staff).get("/utilities/accounts")
        assert r.status_code == 200
        body = r.json()
        assert [a["meter_no"] for a in body["items"]] == ["E-A2", "W-A1", "E-A1"]
        assert (body["count"], body["page"], body["page_size"]) == (3, 1, 50)
        red = as_user(client, world.staff).get("/utilities/accounts", risk="red").json()
        assert [(a["meter_no"], a["band"], a["level"]) for a in red["items"]] == [
            ("E-A2", "red", 2)
        ]
        yellow = as_user(client, world.staff).get("/utilities/accounts", risk="yellow").json()
        assert [a["meter_no"] for a in yellow["items"]] == ["W-A1"]

    def test_filters_and_paging(self, world, ledger, client):
        api = as_user(client, world.staff)
        water = api.get("/utilities/accounts", kind="water").json()
        assert [a["meter_no"] for a in water["items"]] == ["W-A1"]
        own = api.get("/utilities/accounts", enterprise=world.a1.pk).json()
        assert {a["meter_no"] for a in own["items"]} == {"E-A1", "W-A1"}
        page = api.get("/utilities/accounts", page=2, page_size=2).json()
        assert ([a["meter_no"] for a in page["items"]], page["count"]) == (["E-A1"], 3)
        assert api.get("/utilities/accounts", meter_no="E-A1").json()["count"] == 1

    @pytest.mark.parametrize(
        "params, field",
        [({"risk": "purple"}, "risk"), ({"kind": "oil"}, "kind"), ({"page": "x"}, "page"),
         ({"zone": "NOPE"}, "zone"), ({"meter_no": "A\x00"}, "meter_no")],
    )  # fmt: skip
    def test_bad_filters_answer_422(self, world, ledger, client, params, field):
        r = as_user(client, world.staff).get("/utilities/accounts", **params)
        assert [f for f, _m in field_errors(r)] == [field]

    @pytest.mark.parametrize(
        "role, meters",
        [("admin", {"E-A1", "E-A2", "W-A1", "E-B1"}), ("province", {"E-A1", "E-A2", "W-A1", "E-B1"}),
         ("zone_admin", {"E-A1", "E-A2", "W-A1"}), ("leader", {"E-A1", "E-A2", "W-A1"}),
         ("staff", {"E-A1", "E-A2", "W-A1"}), ("enterprise", {"E-A1", "W-A1"}),
         ("power", {"E-A1", "E-A2"})],
    )  # fmt: skip
    def test_who_sees_which_accounts(self, world, ledger, client, role, meters):
        user = ledger.partner if role == "power" else world.users[role]
        r = as_user(client, user).get("/utilities/accounts", page_size=500)
        assert r.status_code == 200
        assert {a["meter_no"] for a in r.json()["items"]} == meters

    def test_a_partner_names_its_zone(self, world, ledger, client):
        api = as_user(client, ledger.partner)
        assert api.get("/utilities/accounts", zone="ZA").json()["count"] == 2
        assert field_errors(api.get("/utilities/accounts", zone="ZB")) == [
            ("zone", "未找到园区代码 ZB")
        ]

    def test_anonymous_401(self, ledger, anonymous):
        assert anonymous.get("/utilities/accounts").status_code == 401
        assert anonymous.get(f"/utilities/accounts/{ledger.a1.pk}").status_code == 401

    def test_one_account(self, world, ledger, client):
        r = as_user(client, world.enterprise).get(f"/utilities/accounts/{ledger.a1_water.pk}")
        assert r.status_code == 200
        body = r.json()
        assert (body["balance"], body["days_left"], body["level"], body["band"]) == (
            "50",
            5,
            1,
            "yellow",
        )
        assert (body["kind"], body["unit"], body["enterprise"]["id"], body["open_warnings"]) == (
            "water",
            "m³",
            world.a1.pk,
            [],
        )

    def test_not_visible_reads_as_missing(self, world, ledger, client):
        for user, account in ((world.enterprise, ledger.a2), (ledger.partner, ledger.a1_water),
                              (ledger.partner, ledger.b1), (world.staff, ledger.b1)):  # fmt: skip
            r = as_user(client, user).get(f"/utilities/accounts/{account.pk}")
            assert (r.status_code, r.json()["detail"]) == (404, "未找到该预付费账户")
        missing = as_user(client, world.admin).get("/utilities/accounts/999999")
        assert missing.status_code == 404
        huge = as_user(client, world.admin).get(f"/utilities/accounts/{2**70}")
        assert huge.status_code == 404


# --- batches ----------------------------------------------------------------------------------


class TestReadings:
    def test_partner_posts_and_a_resent_batch_changes_nothing(self, world, ledger, client):
        api = as_user(client, ledger.partner)
        rows = rows_of(ledger.a1, 3) + rows_of(ledger.a2, 3)
        r = api.post("/utilities/readings", {"rows": rows})
        assert r.status_code == 201, r.content
        first = r.json()
        assert (first["rows"], first["written"], first["repeated"]) == (8, 8, 0)
        batch = Batch.objects.get(pk=first["batch"])
        assert (batch.what, batch.source, batch.company, batch.actor) == (
            "readings",
            "api",
            ledger.power,
            ledger.partner,
        )
        balances = dict(Account.objects.values_list("meter_no", "balance"))
        assert balances["E-A1"] == Decimal("800") - 3 * 100 * Decimal("0.80")
        readings, audits = Reading.objects.count(), AuditRecord.objects.count()

        again = api.post("/utilities/readings", {"rows": rows})
        assert again.status_code == 201
        assert (again.json()["written"], again.json()["repeated"]) == (0, 8)
        assert Reading.objects.count() == readings == 8
        assert dict(Account.objects.values_list("meter_no", "balance")) == balances
        assert AuditRecord.objects.count() == audits + 1  # the batch itself is recorded

    def test_one_bad_row_writes_nothing_and_is_named(self, world, ledger, client):
        rows = rows_of(ledger.a1, 3)
        rows[2]["index"] = "900"  # below the reading before it
        r = as_user(client, ledger.partner).post("/utilities/readings", {"rows": rows})
        errors = field_errors(r)
        assert [f for f, _m in errors] == ["rows[2].index"]
        assert (Reading.objects.count(), Batch.objects.count()) == (0, 0)
        assert Account.objects.get(pk=ledger.a1.pk).balance == Decimal("800")

    @pytest.mark.parametrize(
        "value, message",
        [(1e30, "数字位数不能超过 16 位"), ("abc", '应为数字(可写作字符串,如 "1200.5")'),
         ("NaN", "应为有限的数字"), (-5, "应不小于 0"), ("1.23456", "小数位数不能超过 3 位"),
         (None, '应为数字(可写作字符串,如 "1200.5")'), ([], '应为数字(可写作字符串,如 "1200.5")')],
    )  # fmt: skip
    def test_absurd_and_wrong_numbers_answer_422(self, world, ledger, client, value, message):
        rows = rows_of(ledger.a1, 1)
        rows[1]["index"] = value
        r = as_user(client, ledger.partner).post("/utilities/readings", {"rows": rows})
        assert field_errors(r) == [("rows[1].index", message)]
        assert Reading.objects.count() == 0

    def test_numbers_as_strings_are_read(self, world, ledger, client):
        rows = rows_of(ledger.a1, 1)
        rows[1]["index"] = "1100.5"
        r = as_user(client, ledger.partner).post("/utilities/readings", {"rows": rows})
        assert r.status_code == 201
        assert Reading.objects.order_by("read_at").last().index == Decimal("1100.5")

    def test_unknown_and_others_meters_answer_the_same(self, world, ledger, client):
        api = as_user(client, ledger.partner)
        answers = []
        for meter, kind in (("NOPE-1", "electricity"), ("W-A1", "water"), ("E-B1", "electricity")):
            rows = rows_of(ledger.a1, 1)
            rows[1].update(meter_no=meter, kind=kind)
            answers.append(field_errors(api.post("/utilities/readings", {"rows": rows})))
        assert answers[0] == answers[1] == answers[2]
        assert answers[0] == [("rows[1].meter_no", "表号不存在或无权报送该表的数据")]
        assert Reading.objects.count() == 0

    @pytest.mark.parametrize(
        "body, field",
        [({}, "rows"), ({"rows": []}, "rows"), ({"rows": "x"}, "rows"),
         ({"rows": [{"meter_no": "E-A1"}]}, "rows[0].read_at"),
         ({"rows": [{"meter_no": "E-A1\x00", "read_at": "2026-09-01T00:00", "index": 1}]},
          "rows[0].meter_no"),
         ({"rows": [{"meter_no": "E-A1", "read_at": 1700000000, "index": 1}]}, "rows[0].read_at"),
         ({"rows": [{"meter_no": "E-A1", "read_at": "2026-09-01T00:00", "index": 1,
                     "register": "noon"}]}, "rows[0].register"),
         ({"rows": [{"meter_no": "E-A1", "read_at": "2026-09-01T00:00", "index": 1,
                     "usage": 5}]}, "rows[0].usage"),
         ({"rows": [{"meter_no": "E" * 33, "read_at": "2026-09-01T00:00", "index": 1}]},
          "rows[0].meter_no")],
    )  # fmt: skip
    def test_malformed_batches_answer_422(self, world, ledger, client, body, field):
        r = as_user(client, ledger.partner).post("/utilities/readings", body)
        assert field in [f for f, _m in field_errors(r)]
        assert Batch.objects.count() == 0

    def test_not_json_answers_400(self, ledger, client):
        r = as_user(client, ledger.partner).post("/utilities/readings", raw="{rows: [")
        assert r.status_code == 400

    def test_at_most_ten_thousand_rows(self, world, ledger, client):
        row = {"meter_no": "E-A1", "read_at": "2026-09-01T00:00", "index": 1}
        r = as_user(client, ledger.partner).post("/utilities/readings", {"rows": [row] * 10_001})
        assert field_errors(r) == [("rows", "最多 10000 项")]

    def test_a_time_without_offset_is_beijing_time(self, world, ledger, client):
        rows = [{"meter_no": "E-A1", "read_at": "2026-09-01 08:00", "index": "1000"}]
        r = as_user(client, ledger.partner).post("/utilities/readings", {"rows": rows})
        assert r.status_code == 201
        assert Reading.objects.get().read_at == datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC)

    def test_kind_left_out(self, world, ledger, client):
        """A partner's rows are its company's kind; an officer's the meter's own."""
        rows = [{"meter_no": "E-A1", "read_at": "2026-09-01T00:00+08:00", "index": "1000"}]
        assert (
            as_user(client, ledger.partner)
            .post("/utilities/readings", {"rows": rows})
            .json()["written"]
            == 1
        )
        rows = [{"meter_no": "W-A1", "read_at": "2026-09-01T00:00+08:00", "index": "20"}]
        r = as_user(client, world.staff).post("/utilities/readings", {"rows": rows})
        assert (r.status_code, Reading.objects.filter(account=ledger.a1_water).count()) == (201, 1)

    def test_a_meter_number_two_kinds_share_needs_the_kind(self, world, ledger, client):
        u.account(world.a2, Kind.GAS, meter_no="E-A1")
        rows = [{"meter_no": "E-A1", "read_at": "2026-09-01T00:00+08:00", "index": "1000"}]
        r = as_user(client, world.staff).post("/utilities/readings", {"rows": rows})
        assert field_errors(r) == [
            ("rows[0].kind", "表号 E-A1 有多个类别的账户,请填写类别(电/水/气)")
        ]

    @pytest.mark.parametrize(
        "role, status", [("admin", 201), ("zone_admin", 201), ("staff", 201), ("leader", 403),
                         ("province", 403), ("enterprise", 403)],
    )  # fmt: skip
    def test_who_may_post(self, world, ledger, client, role, status):
        rows = rows_of(ledger.a1, 1)
        r = as_user(client, world.users[role]).post("/utilities/readings", {"rows": rows},
                                                     zone="ZA")  # fmt: skip
        assert r.status_code == status, r.content
        assert Reading.objects.count() == (2 if status == 201 else 0)

    def test_anonymous_posts_nothing(self, ledger, anonymous):
        r = anonymous.post("/utilities/readings", {"rows": rows_of(ledger.a1, 1)})
        assert (r.status_code, Reading.objects.count()) == (401, 0)

    def test_the_partner_posts_only_in_its_zone(self, world, ledger, client):
        r = as_user(client, ledger.partner).post(
            "/utilities/readings", {"rows": rows_of(ledger.a1, 1)}, zone="ZB"
        )
        assert field_errors(r) == [("zone", "未找到园区代码 ZB")]


class TestTopUpsAndCutOffs:
    def topup(self, **kw):
        return {"meter_no": "E-A1", "paid_at": "2026-09-02T09:30:00+08:00", "amount": "500.00",
                "transaction_id": "TX-0001", "channel": "网银", **kw}  # fmt: skip

    def test_topups_counted_once(self, world, ledger, client):
        api = as_user(client, ledger.partner)
        r = api.post("/utilities/topups", {"rows": [self.topup()]})
        assert (r.status_code, r.json()["written"]) == (201, 1)
        assert Account.objects.get(pk=ledger.a1.pk).balance == Decimal("1300")
        again = api.post("/utilities/topups", {"rows": [self.topup()]})
        assert (again.json()["written"], again.json()["repeated"]) == (0, 1)
        assert Account.objects.get(pk=ledger.a1.pk).balance == Decimal("1300")
        assert TopUp.objects.count() == 1

    def test_same_transaction_other_amount_is_refused(self, world, ledger, client):
        api = as_user(client, ledger.partner)
        api.post("/utilities/topups", {"rows": [self.topup()]})
        r = api.post("/utilities/topups", {"rows": [self.topup(amount="600")]})
        assert field_errors(r) == [
            ("rows[0].transaction_id", "该交易号已入账且内容与本次不同;更正请走更正流程")
        ]
        assert TopUp.objects.count() == 1

    @pytest.mark.parametrize(
        "change, field",
        [({"amount": 1e30}, "rows[0].amount"), ({"amount": "-5"}, "rows[0].amount"),
         ({"amount": "五百"}, "rows[0].amount"), ({"transaction_id": ""}, "rows[0].transaction_id"),
         ({"paid_at": "昨天"}, "rows[0].paid_at"), ({"channel": "x" * 21}, "rows[0].channel")],
    )  # fmt: skip
    def test_bad_topups(self, world, ledger, client, change, field):
        r = as_user(client, ledger.partner).post(
            "/utilities/topups", {"rows": [self.topup(**change)]}
        )
        assert [f for f, _m in field_errors(r)] == [field]
        assert TopUp.objects.count() == 0

    def test_cutoff_reported(self, world, ledger, client):
        body = {"rows": [{"meter_no": "E-A2", "at": "2026-09-03T08:00:00+08:00",
                          "reason": "余额耗尽"}]}  # fmt: skip
        api = as_user(client, ledger.partner)
        r = api.post("/utilities/cutoffs", body)
        assert (r.status_code, r.json()["written"]) == (201, 1)
        assert CutOff.objects.get().account == ledger.a2
        assert api.post("/utilities/cutoffs", body).json()["repeated"] == 1
        assert CutOff.objects.count() == 1


# --- summary ----------------------------------------------------------------------------------


class TestSummary:
    def test_zone_figures(self, world, ledger, client):
        r = as_user(client, world.leader).get("/utilities/summary", on="2026-12-01")
        assert r.status_code == 200
        body = r.json()
        assert body["bands"] == {"red": 1, "yellow": 1, "green": 1}
        assert (body["zone"], body["accounts"], body["surprise_stops"]) == ("ZA", 3, 0)

    @pytest.mark.parametrize(
        "role, status", [("admin", 200), ("province", 200), ("zone_admin", 200), ("leader", 200),
                         ("staff", 200), ("enterprise", 403), ("power", 403)],
    )  # fmt: skip
    def test_who_reads_it(self, world, ledger, client, role, status):
        user = ledger.partner if role == "power" else world.users[role]
        r = as_user(client, user).get("/utilities/summary", zone="ZA")
        assert r.status_code == status

    def test_bad_date_422(self, world, ledger, client):
        r = as_user(client, world.staff).get("/utilities/summary", on="2026-13-01")
        assert [f for f, _m in field_errors(r)] == ["on"]


def test_errors_are_json_in_the_core_shape(world, ledger, client):
    r = as_user(client, ledger.partner).post("/utilities/readings", {"rows": [{}]})
    body = json.loads(r.content)
    assert set(body) == {"detail", "errors"} and body["errors"][0].keys() == {"field", "message"}
