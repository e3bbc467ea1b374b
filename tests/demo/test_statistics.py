"""The demo's economic statistics: the main zone's 2019 figures equal DOMAIN.md's published ones
(through the engine and the API), the returns run from 2018 to the present with consistent
cumulative values, and the present period has missing reporters and planted errors the checks
catch."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Min, Sum
from django.test import Client

from gaoxin.core.models import AuditRecord, User, Zone
from gaoxin.core.periods import Period
from gaoxin.demo.figures import NEW_ABOVE_SCALE_2019
from gaoxin.enterprises.models import Enterprise
from gaoxin.statistics import engine, publish, services
from gaoxin.statistics.demo import calibration, figures
from gaoxin.statistics.demo.calibration import (
    EXPECTED,
    CalibrationError,
    check_calibration,
    measured,
)
from gaoxin.statistics.demo.drawing import PRESENT
from gaoxin.statistics.demo.step import PLANTED, SECOND_REMINDER
from gaoxin.statistics.models import (
    Deadline,
    Finding,
    Indicator,
    OfficialFigure,
    Reminder,
    Return,
    ReturnRevision,
    ReturnValue,
)
from tests.support.api import Api, bearer

pytestmark = pytest.mark.django_db
D = datetime.date
KEY = PRESENT.key  # 202610


def main():
    return Zone.objects.get(code="GJ")


def staff():
    return User.objects.get(username="staff")


def indicator(code):
    return Indicator.objects.get(zone=None, code=code)


def by_name(name):
    return Enterprise.objects.get(zone__code="GJ", name=name)


@pytest.mark.usefixtures("demo")
class TestPublishedFigures:
    def test_the_engine_gives_the_published_2019_figures(self):
        got = {f.code: f for f in engine.figures(main(), Period(2019, 12))}
        rows = {
            code: (got[code].value, got[code].yoy_pct, got[code].source, got[code].source_label)
            for code in EXPECTED
        }
        assert rows == {
            "industrial_value_added": (Decimal("760000"), Decimal("10.4"), "official", "官方数据·统计局"),
            "industrial_tax": (Decimal("24400"), Decimal("14.9"), "computed", "平台计算"),
            "industrial_electricity": (Decimal("30000"), Decimal("32.2"), "computed", "平台计算"),
            "rd_spending": (got["rd_spending"].value, Decimal("5.2"), "computed", "平台计算"),
            "hightech_share": (Decimal("24.2"), None, "official", "官方数据·统计局"),
        }  # fmt: skip
        assert got["industrial_tax"].enterprises == 165
        assert measured(main()) == EXPECTED

    def test_the_api_gives_the_published_2019_figures(self):
        api = Api(Client(), bearer(staff()))
        response = api.get("/statistics/figures", period="2019-12")
        assert response.status_code == 200, response.content
        got = {row["indicator"]: row for row in response.json()}
        shown = {
            code: (got[code]["value"], got[code]["yoy_pct"], got[code]["source"])
            for code in ("industrial_value_added", "industrial_tax", "industrial_electricity")
        }
        assert shown == {
            "industrial_value_added": (760000, 10.4, "official"),
            "industrial_tax": (24400, 14.9, "computed"),
            "industrial_electricity": (30000, 32.2, "computed"),
        }
        assert (got["rd_spending"]["yoy_pct"], got["rd_spending"]["source"]) == (5.2, "computed")
        assert (got["hightech_share"]["value"], got["hightech_share"]["source"]) == (
            24.2,
            "official",
        )
        assert got["industrial_value_added"]["source_label"] == "官方数据·统计局"
        assert got["industrial_tax"]["source_label"] == "平台计算"

    @pytest.mark.parametrize(
        "code, total, pct",
        [
            ("industrial_tax", Decimal("24400"), Decimal("14.9")),
            ("industrial_electricity", Decimal("30000"), Decimal("32.2")),
            ("rd_spending", None, Decimal("5.2")),
        ],
    )
    def test_the_figures_hold_on_the_raw_values(self, code, total, pct):
        """Re-measured from the accepted values themselves, not the rollups: the 2019 total over
        all returns, growth over the enterprises that reported December of both years."""
        values = ReturnValue.objects.filter(zone=main(), indicator=indicator(code))
        this_year = dict(values.filter(period=201912).values_list("enterprise_id", "value"))
        last_year = dict(values.filter(period=201812).values_list("enterprise_id", "value"))
        same = set(this_year) & set(last_year)
        if total is not None:
            assert sum(this_year.values()) == total
        growth = engine.growth(sum(this_year[e] for e in same), sum(last_year[e] for e in same))
        assert growth == pct
        assert len(same) == 165 - NEW_ABOVE_SCALE_2019
        assert len(this_year) == 165

    def test_the_constants_are_the_domain_table(self):
        assert {
            "industrial_value_added": (Decimal("760000"), Decimal("10.4"), "official"),
            "industrial_tax": (Decimal("24400"), Decimal("14.9"), "computed"),
            "industrial_electricity": (Decimal("30000"), Decimal("32.2"), "computed"),
            "rd_spending": (None, Decimal("5.2"), "computed"),
            "hightech_share": (Decimal("24.2"), None, "official"),
        } == EXPECTED

    def test_a_figure_off_the_target_raises(self, monkeypatch):
        off = dict(EXPECTED, industrial_tax=(Decimal("24400.1"), Decimal("14.9"), "computed"))
        monkeypatch.setattr(calibration, "EXPECTED", off)
        with pytest.raises(CalibrationError, match="industrial_tax"):
            check_calibration(main())

    def test_official_figures_carry_their_source(self):
        zone = main()
        official = OfficialFigure.objects.filter(zone=zone)
        sources = dict(official.values_list("indicator__code", "source"))
        assert sources["official_tax"] == "tax"
        assert sources["industrial_value_added"] == "statistics"
        added = official.filter(indicator__code="industrial_value_added")
        decembers = sorted(p for p in added.values_list("period", flat=True) if p % 100 == 12)
        assert decembers == [y * 100 + 12 for y in range(2018, 2026)]
        assert {p for p in added.values_list("period", flat=True) if p > 202600} == {
            202600 + m for m in range(2, 11)
        }
        share = official.get(indicator__code="hightech_value_added", period=201912)
        assert share.value == Decimal("183920.0")  # 24.2% of 760000


@pytest.mark.usefixtures("demo")
class TestReturns:
    def test_every_above_scale_enterprise_reports_from_its_entry(self):
        zone = main()
        spans = {
            row["enterprise_id"]: (row["first"], row["last"])
            for row in Return.objects.filter(zone=zone)
            .values("enterprise_id")
            .annotate(first=Min("period"), last=Max("period"))
        }
        above = Enterprise.objects.filter(zone=zone, above_scale=True)
        assert set(spans) == set(above.values_list("pk", flat=True))
        newcomers = 0
        for e in above:
            since = e.above_scale_since
            expected = max(201802, since.year * 100 + max(since.month, 2))
            assert spans[e.pk][0] == expected, e.name
            assert spans[e.pk][1] == KEY or e.pk in self._missing(zone)
            newcomers += since.year == 2019
        assert newcomers == NEW_ABOVE_SCALE_2019
        assert not Return.objects.filter(
            zone=zone, period__in=[y * 100 + 1 for y in range(2018, 2027)]
        )
        by_period = dict(
            Return.objects.filter(zone=zone, period__in=[201812, 201912])
            .values_list("period")
            .annotate(n=Count("id"))
        )
        assert by_period == {201812: 126, 201912: 165}

    @staticmethod
    def _missing(zone):
        return set(services.missing_reporters(zone, KEY).values_list("pk", flat=True))

    def test_cumulative_values_grow_within_the_year_and_month_values_agree(self):
        zone = main()
        cumulative = set(
            Indicator.objects.filter(zone=None, source="return", cumulative=True).values_list(
                "pk", flat=True
            )
        )
        series = defaultdict(dict)
        for e, i, p, v, m in ReturnValue.objects.filter(zone=zone).values_list(
            "enterprise_id", "indicator_id", "period", "value", "month_value"
        ):
            series[(e, i)][p] = (v, m)
        checked = 0
        for (_e, i), by_period in series.items():
            for p, (value, month) in by_period.items():
                before = by_period.get(p - 1) if p % 100 > 2 else None
                if i not in cumulative or p % 100 == 2:
                    assert month == value
                elif before is not None:
                    assert month == value - before[0]
                    assert value >= before[0]
                    checked += 1
        assert checked > 100000

    def test_seasonality_and_the_2020_epidemic(self):
        zone = main()
        months = dict(
            ReturnValue.objects.filter(zone=zone, indicator=indicator("output_value"))
            .values_list("period")
            .annotate(total=Sum("month_value"))
        )
        for year in range(2019, 2026):
            assert months[year * 100 + 2] / 2 < months[year * 100 + 3]  # Spring Festival
        assert months[202002] < months[201902] * Decimal("0.7")
        assert months[202012] > months[201912]
        assert months[202102] > months[201902]

    def test_the_values_are_what_publish_writes(self):
        """The bulk load leaves the rows the services' publishing would."""
        zone = main()
        ret = Return.objects.get(enterprise=by_name("江西鸿泰光电科技有限公司"), period=202605)
        before = sorted(
            ReturnValue.objects.filter(ret=ret).values_list("indicator_id", "value", "month_value")
        )
        publish.publish_many(zone, [ret], refresh=False)
        after = sorted(
            ReturnValue.objects.filter(ret=ret).values_list("indicator_id", "value", "month_value")
        )
        assert after == before and len(after) == 9

    def test_history_snapshots_and_audit(self):
        ret = Return.objects.get(enterprise=by_name("江西鸿泰光电科技有限公司"), period=201912)
        assert (ret.status, ret.version, ret.submitted_by.username) == ("accepted", 4, "enterprise")
        assert ret.reviewed_by.username == "staff" and ret.submitted_at < ret.reviewed_at
        revisions = list(ReturnRevision.objects.filter(ret=ret).order_by("at"))
        assert [(r.status, r.actor_name) for r in revisions] == [
            ("submitted", "enterprise"),
            ("accepted", "staff"),
        ]
        assert revisions[0].at == ret.submitted_at and revisions[0].data == ret.data

    def test_the_zone_audit_record_counts_the_returns(self):
        record = AuditRecord.objects.get(action="import", zone=main())
        assert (
            record.after["月度报表"]
            == Return.objects.filter(zone=main(), status="accepted").count()
        )
        assert record.after["报表数值"] == ReturnValue.objects.filter(zone=main()).count()
        assert record.after["官方数据"] == OfficialFigure.objects.filter(zone=main()).count()

    def test_the_other_zones_report_too(self):
        for code in ("LH", "XJ"):
            periods = Return.objects.filter(zone__code=code).aggregate(
                first=Min("period"), last=Max("period")
            )
            assert periods == {"first": 202502, "last": KEY}
            assert not services.missing_reporters(Zone.objects.get(code=code), KEY).exists()


@pytest.mark.usefixtures("demo")
class TestPresentPeriod:
    def test_every_planted_error_is_caught(self):
        for name, rule in PLANTED:
            ret = Return.objects.get(enterprise=by_name(name), period=KEY)
            assert ret.status == "submitted", name
            # Open, or already sent to the enterprise as a query (the matters demo queries the
            # first open warnings of the period).
            unresolved = ("open", "queried")
            assert Finding.objects.filter(
                ret=ret, rule_code=rule, status__in=unresolved
            ).exists(), (
                name,
                rule,
                list(ret.findings.values_list("rule_code", flat=True)),
            )

    def test_the_planted_errors_are_errors_or_unexplained_warnings(self):
        severity = {
            rule: Finding.objects.get(period=KEY, rule_code=rule, enterprise__name=name).severity
            for name, rule in PLANTED
        }
        assert severity == {
            "cumulative-revenue": "error",
            "unit-slip-output": "error",
            "ratio-electricity-output": "warning",
            "swing-month-output": "warning",
            "required-employees": "error",
        }

    def test_a_cumulative_decrease_cannot_be_accepted(self):
        ret = Return.objects.get(enterprise=by_name("江西仁济药业有限公司"), period=KEY)
        assert (
            Decimal(ret.data["revenue"])
            < ReturnValue.objects.get(
                enterprise=ret.enterprise, period=KEY - 1, indicator=indicator("revenue")
            ).value
        )
        with pytest.raises(ValidationError) as caught:
            services.accept(staff(), ret, version=ret.version)
        assert "累计营业收入" in str(caught.value)
        ret.refresh_from_db()
        assert ret.status == "submitted"
        assert not ReturnValue.objects.filter(ret=ret).exists()

    def test_the_unit_slip_says_what_is_right(self):
        finding = Finding.objects.get(period=KEY, rule_code="unit-slip-output")
        assert finding.enterprise.name == "赣江恒信纺织服饰有限公司"
        assert "疑似按元填报" in finding.message

    def test_the_clean_submitted_returns_can_be_accepted_at_once(self):
        zone = main()
        planted = {name for name, _rule in PLANTED}
        clean = Return.objects.filter(zone=zone, period=KEY, status="submitted").exclude(
            enterprise__name__in=planted
        )
        assert clean.count() == figures.PRESENT_SUBMITTED_CLEAN
        assert not Finding.objects.filter(ret__in=clean).exists()
        assert services.accept_clean(staff(), zone, KEY) == figures.PRESENT_SUBMITTED_CLEAN

    def test_missing_reporters_and_their_reminders(self):
        zone = main()
        missing = services.missing_reporters(zone, KEY)
        statuses = dict(
            Return.objects.filter(zone=zone, period=KEY, enterprise__in=missing).values_list(
                "enterprise__name", "status"
            )
        )
        assert statuses == {
            "江西鸿泰光电科技有限公司": "draft",
            **{n: "returned" for n, s in statuses.items() if s == "returned"},
        }
        assert list(statuses.values()).count("returned") == figures.PRESENT_RETURNED
        expected = (
            figures.PRESENT_NOT_STARTED + figures.PRESENT_RETURNED + 1  # + the account's draft
        )
        assert missing.count() == expected and 8 <= expected <= 12
        reminded = defaultdict(list)
        for enterprise_id, message in Reminder.objects.filter(zone=zone, period=KEY).values_list(
            "enterprise_id", "message"
        ):
            reminded[enterprise_id].append(message)
        assert set(reminded) == set(missing.values_list("pk", flat=True))
        twice = [pk for pk, messages in reminded.items() if SECOND_REMINDER in messages]
        assert len(twice) == figures.PRESENT_NOT_STARTED
        assert all(len(reminded[pk]) == 2 for pk in twice)

    def test_deadlines(self):
        zone = main()
        assert dict(Deadline.objects.filter(zone=zone).values_list("period", "due_on")) == (
            figures.STATISTICS_DEADLINES
        )
        assert services.due_on(zone, KEY) == D(2026, 11, 10)
        assert Return.objects.get(
            enterprise=by_name("江西鸿泰光电科技有限公司"), period=KEY
        ).due_on == D(2026, 11, 10)

    def test_the_enterprise_account_has_a_draft_with_history_beside_it(self):
        user = User.objects.get(username="enterprise")
        enterprise = user.memberships.get().enterprise
        assert enterprise.above_scale
        ret = services.return_for(user, enterprise, KEY)
        assert ret.status == "draft"
        assert set(k for k, v in ret.data.items() if v is not None) == {
            "output_value",
            "revenue",
            "employees",
        }
        accepted = Return.objects.filter(enterprise=enterprise, status="accepted")
        assert accepted.filter(period=KEY - 1).exists()
        assert accepted.filter(period=KEY - 100).exists()
        problems = services.check_data(main(), enterprise, KEY, ret.data)
        assert {p.rule_code for p in problems} == {"required-electricity"}
