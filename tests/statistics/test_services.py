"""The return workflow, findings, reminders, deadlines and official figures: through services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gaoxin.core.errors import Forbidden, StaleVersion
from gaoxin.core.models import AuditRecord
from gaoxin.statistics import publish, queries, services
from gaoxin.statistics.models import (
    Finding,
    FindingStatus,
    OfficialFigure,
    Reminder,
    Return,
    ReturnRevision,
    ReturnValue,
    Rollup,
)
from tests.factories import member
from tests.support.returns import GOOD, accepted

W = Decimal
D = datetime.date


def value(enterprise, code, period):
    return ReturnValue.objects.get(enterprise=enterprise, indicator__code=code, period=period)


def test_enterprise_fills_submits_and_officer_accepts(
    reporters, django_capture_on_commit_callbacks
):
    w = reporters
    ret = services.return_for(w.enterprise, w.a1, "2019-03", create=True)
    assert (ret.status, ret.period, ret.due_on) == ("draft", 201903, D(2019, 4, 8))
    ret = services.save_draft(w.enterprise, ret, data={"output_value": "１,200"}, version=1)
    assert ret.data == {"output_value": "1200"}
    ret = services.save_draft(w.enterprise, ret, data=GOOD, version=ret.version)
    ret = services.submit(w.enterprise, ret, version=ret.version)
    assert ret.status == "submitted" and ret.submitted_by == w.enterprise
    with django_capture_on_commit_callbacks(execute=True):
        ret = services.accept(w.staff, ret, version=ret.version)
    assert ret.status == "accepted" and ret.reviewed_by == w.staff
    row = value(w.a1, "output_value", 201903)
    assert (row.value, row.month_value) == (W("1200"), None)  # no February return to subtract
    assert value(w.a1, "employees", 201903).month_value == W("120")
    assert Rollup.objects.filter(zone=w.zone_a, period=201903, dimension="all").exists()
    statuses = list(
        ReturnRevision.objects.filter(ret=ret).order_by("id").values_list("status", flat=True)
    )
    assert statuses == ["submitted", "accepted"]
    actions = set(AuditRecord.objects.for_object(ret).values_list("action", flat=True))
    assert actions == {"create", "update", "status"}


def test_month_values_follow_a_revision_of_the_previous_month(reporters):
    w = reporters
    accepted(w, w.a1, "2019-02", GOOD)
    accepted(w, w.a1, "2019-03", {**GOOD, "output_value": "2000"})
    assert value(w.a1, "output_value", 201902).month_value == W("1200")  # 1–2月 as it is
    assert value(w.a1, "output_value", 201903).month_value == W("800")
    feb = Return.objects.get(enterprise=w.a1, period=201902)
    feb = services.revise(
        w.staff, feb, data={"output_value": "1500"}, reason="企业更正", version=feb.version
    )
    assert feb.status == "submitted" and feb.revision == 1
    assert value(w.a1, "output_value", 201902).value == W("1200")  # still the accepted figure
    services.accept(w.staff, feb, version=feb.version)
    assert value(w.a1, "output_value", 201903).month_value == W("500")
    notes = list(ReturnRevision.objects.filter(ret=feb).values_list("note", flat=True))
    assert "企业更正" in notes


def test_a_cumulative_value_that_went_down_cannot_be_accepted(reporters):
    w = reporters
    accepted(w, w.a1, "2019-02", GOOD)
    # An officer fills it for the enterprise (代填): the enterprise itself could not send it
    # with an error standing (tests/statistics/test_submit_blocked.py).
    ret = services.return_for(w.staff, w.a1, "2019-03", create=True)
    ret = services.save_draft(
        w.staff, ret, data={**GOOD, "output_value": "1000"}, version=ret.version
    )
    ret = services.submit(w.staff, ret, version=ret.version)
    finding = ret.findings.get(rule_code="cumulative-output")
    assert finding.severity == "error" and "1,200" in finding.message
    with pytest.raises(ValidationError) as raised:
        services.accept(w.staff, ret, version=ret.version)
    assert "不能审核通过" in str(raised.value)
    with pytest.raises(ValidationError):
        services.close_finding(w.staff, finding)
    ret.refresh_from_db()
    assert ret.status == "submitted"
    assert not ReturnValue.objects.filter(enterprise=w.a1, period=201903).exists()


def test_a_warning_blocks_until_explained_and_a_query_is_dispatched(
    reporters, django_capture_on_commit_callbacks
):
    w = reporters
    accepted(w, w.a1, "2019-02", GOOD)
    # Filled by an officer (代填): the enterprise could not send unexplained warnings itself.
    ret = services.return_for(w.staff, w.a1, "2019-03", create=True)
    ret = services.save_draft(
        w.staff, ret, data={**GOOD, "output_value": "9000", "revenue": "8800"},
        version=ret.version,
    )  # fmt: skip
    ret = services.submit(w.staff, ret, version=ret.version)
    warnings = list(ret.findings.filter(severity="warning"))
    assert warnings and not ret.findings.filter(severity="error").exists()
    seen, registered = [], list(queries._handlers)
    queries.register_handler(
        lambda finding, message="", sender=None: seen.append((finding.pk, message, sender))
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.send_query(w.staff, warnings[0], due_on=services.today(), message="请说明")
    finally:
        queries._handlers[:] = registered  # the matters module's handler stays registered
    assert seen == [(warnings[0].pk, "请说明", w.staff)]  # the sender as the object, not a name
    with pytest.raises(ValidationError):
        services.accept(w.staff, ret, version=ret.version)
    for finding in warnings:
        services.explain(w.enterprise, finding, "新生产线投产,产量大增")
    ret.refresh_from_db()
    services.accept(w.staff, ret, version=ret.version)
    assert Finding.objects.filter(ret=ret, status=FindingStatus.EXPLAINED).count() == len(warnings)


def test_send_back_needs_a_reason_and_the_enterprise_can_fix_and_resubmit(reporters):
    w = reporters
    ret = services.return_for(w.enterprise, w.a1, "2019-02", create=True)
    ret = services.save_draft(w.enterprise, ret, data=GOOD, version=ret.version)
    ret = services.submit(w.enterprise, ret, version=ret.version)
    with pytest.raises(ValidationError):
        services.send_back(w.staff, ret, reason="  ", version=ret.version)
    ret = services.send_back(w.staff, ret, reason="利润与税金不符", version=ret.version)
    assert (ret.status, ret.returned_reason) == ("returned", "利润与税金不符")
    ret = services.save_draft(w.enterprise, ret, data={"profit": "70"}, version=ret.version)
    ret = services.submit(w.enterprise, ret, version=ret.version)
    assert ret.status == "submitted" and ret.returned_reason == ""


def test_bad_input_is_refused_with_nothing_written(reporters):
    w = reporters
    ret = services.return_for(w.enterprise, w.a1, "2019-02", create=True)
    with pytest.raises(ValidationError) as raised:
        services.save_draft(
            w.enterprise, ret, data={"output_value": "一千", "nonsense": "1"}, version=1
        )
    assert set(raised.value.message_dict) == {"output_value", "nonsense"}
    assert raised.value.message_dict["output_value"] == [
        "工业总产值:无法识别的金额「一千」:请填写数字,单位为万元(也可写 1.2亿、500万)"
    ]
    ret.refresh_from_db()
    assert (ret.data, ret.version) == ({}, 1)
    with pytest.raises(StaleVersion):
        services.save_draft(w.enterprise, ret, data=GOOD, version=7)
    with pytest.raises(ValidationError):
        services.submit(w.enterprise, ret, version=1)  # nothing typed yet
    with pytest.raises(ValueError):
        services.return_for(w.enterprise, w.a1, "2019-01", create=True)  # January is exempt
    with pytest.raises(ValidationError):
        services.return_for(w.enterprise, w.a1, "2099-05", create=True)


def test_enterprise_users_cannot_review_or_touch_other_enterprises(reporters):
    w = reporters
    ret = services.return_for(w.enterprise, w.a1, "2019-02", create=True)
    ret = services.save_draft(w.enterprise, ret, data=GOOD, version=ret.version)
    ret = services.submit(w.enterprise, ret, version=ret.version)
    with pytest.raises(Forbidden):
        services.accept(w.enterprise, ret, version=ret.version)
    with pytest.raises(Forbidden):
        services.accept(w.leader, ret, version=ret.version)
    other_zone = member("zone_staff", zone=w.zone_b)
    with pytest.raises(Return.DoesNotExist):
        services.accept(other_zone, ret, version=ret.version)
    from gaoxin.enterprises.models import Enterprise

    with pytest.raises(Enterprise.DoesNotExist):
        services.return_for(w.enterprise, w.a2, "2019-02", create=True)
    ret.refresh_from_db()
    assert ret.status == "submitted"


def test_missing_reporters_reminders_and_bulk_accept(reporters):
    w = reporters
    assert set(services.missing_reporters(w.zone_a, "2019-02")) == {w.a1, w.a2}
    assert services.reporter_counts(w.zone_a, "2019-02") == (2, 2)
    assert services.remind(w.staff, w.zone_a, "2019-02") == 2
    reminder = Reminder.objects.get(enterprise=w.a1)
    assert AuditRecord.objects.filter(message="催报", object_id=str(reminder.pk)).count() == 1
    assert "2019-03-08" in reminder.message and reminder.sent_by_name == "staff"
    with pytest.raises(Forbidden):
        services.remind(w.leader, w.zone_a, "2019-02")
    for enterprise in (w.a1, w.a2):
        ret = services.return_for(w.staff, enterprise, "2019-02", create=True)
        ret = services.save_draft(w.staff, ret, data=GOOD, version=ret.version)
        services.submit(w.staff, ret, version=ret.version)
        assert services.reporter_counts(w.zone_a, "2019-02") == (
            2,
            services.missing_reporters(w.zone_a, "2019-02").count(),
        )
    assert not services.missing_reporters(w.zone_a, "2019-02").exists()
    assert services.reporter_counts(w.zone_a, "2019-02") == (2, 0)
    assert services.accept_clean(w.staff, w.zone_a, "2019-02") == 2
    assert ReturnValue.objects.filter(period=201902, indicator__code="output_value").count() == 2


def test_deadline_moves_the_due_date_of_open_returns(reporters):
    w = reporters
    ret = services.return_for(w.staff, w.a1, "2019-05", create=True)
    services.set_deadline(w.staff, w.zone_a, "2019-05", D(2019, 6, 12))
    ret.refresh_from_db()
    assert ret.due_on == D(2019, 6, 12) == services.due_on(w.zone_a, 201905)
    with pytest.raises(ValidationError):
        services.set_deadline(w.staff, w.zone_a, "2019-05", D(2019, 5, 20))
    with pytest.raises(Forbidden):
        services.set_deadline(w.enterprise, w.zone_a, "2019-05", D(2019, 6, 20))


def test_official_figures_keep_their_source_and_version(reporters):
    w = reporters
    figure = services.save_official(
        w.staff, w.zone_a, indicator="industrial_value_added", period="2019-12",
        value="760000", yoy_pct="10.4", source="statistics", source_note="统计局快报",
    )  # fmt: skip
    assert (figure.value, figure.yoy_pct, figure.source) == (W("760000"), W("10.4"), "statistics")
    figure = services.save_official(
        w.staff, w.zone_a, indicator="规上工业增加值", period="2019年12月", value="761000",
        yoy_pct="10.4", source="statistics", version=figure.version,
    )  # fmt: skip
    assert figure.version == 2 and OfficialFigure.objects.count() == 1
    with pytest.raises(StaleVersion):
        services.save_official(
            w.staff, w.zone_a, indicator="industrial_value_added", period="2019-12",
            value="1", yoy_pct=None, source="statistics", version=1,
        )  # fmt: skip
    with pytest.raises(ValidationError) as raised:
        services.save_official(
            w.staff, w.zone_a, indicator="nope", period="2019-12", value="x", yoy_pct=None,
            source="bureau",
        )  # fmt: skip
    assert set(raised.value.message_dict) == {"indicator"}
    with pytest.raises(Forbidden):
        services.save_official(
            w.leader, w.zone_a, indicator="gdp", period="2019-12", value="1", yoy_pct=None,
            source="statistics",
        )  # fmt: skip
    with pytest.raises(ValidationError) as raised:  # the statistics bureau: official ones only
        services.save_official(
            w.staff, w.zone_a, indicator="revenue", period="2019-12", value="1", yoy_pct=None,
            source="statistics",
        )  # fmt: skip
    assert "不是官方发布指标" in raised.value.message_dict["indicator"][0]
    taxes = services.save_official(
        w.staff, w.zone_a, indicator="industrial_tax", period="2019-12", value="24400",
        yoy_pct="14.9", source="tax",
    )  # fmt: skip
    assert taxes.source == "tax"
    assert OfficialFigure.objects.get(indicator__code="industrial_value_added").value == W("761000")


def test_publish_many_computes_month_values_inside_the_batch(reporters):
    w = reporters
    rets = []
    for period, output in ((201902, "100"), (201903, "250"), (201904, "420")):
        rets.append(
            Return.objects.create(
                zone=w.zone_a,
                enterprise=w.a1,
                period=period,
                status="accepted",
                data={"output_value": output, "employees": "50"},
            )  # fmt: skip
        )
    assert publish.publish_many(w.zone_a, rets, refresh=False) == 6
    months = dict(
        ReturnValue.objects.filter(indicator__code="output_value").values_list(
            "period", "month_value"
        )
    )
    assert months == {201902: W("100"), 201903: W("150"), 201904: W("170")}
