"""What the statistics services decide, whichever door asks: text too long is refused, never cut
(returns, findings, official figures, their import); what the actor cannot see is missing (404),
what they see but may not do is forbidden with the reason (403). A refused write changes
nothing."""

import datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord, Zone
from gaoxin.statistics import checks, services
from gaoxin.statistics.checks import Problem
from gaoxin.statistics.importers import import_official
from gaoxin.statistics.models import Deadline, Finding, OfficialFigure, Return
from tests.factories import member
from tests.support.returns import GOOD

pytestmark = pytest.mark.django_db

D = datetime.date


def too_long(what, limit):
    return f"{what}不能超过 {limit} 个字(现为 {limit + 1} 个字)"


@pytest.fixture
def submitted(world):
    """a1's return of 2019-02, submitted with GOOD figures."""
    ret = services.return_for(world.enterprise, world.a1, "2019-02", create=True)
    ret = services.save_draft(world.enterprise, ret, data=GOOD, version=ret.version)
    return services.submit(world.enterprise, ret, version=ret.version)


@pytest.fixture
def warning(world, monkeypatch):
    """A submitted return with one open warning (whatever the standard rules think of it)."""
    real = checks.evaluate

    def one_warning(zone, items, **kw):
        found = real(zone, items, **kw)
        key = items[0][0]
        found[key] = [Problem("w-test", "range", "output_value", "warning", "请核对工业总产值")]
        return found

    monkeypatch.setattr(checks, "evaluate", one_warning)
    # Submitted by an officer for the enterprise (代填): an enterprise cannot send a return with
    # an unexplained warning (tests/statistics/test_submit_blocked.py).
    ret = services.return_for(world.staff, world.a1, "2019-03", create=True)
    ret = services.save_draft(world.staff, ret, data=GOOD, version=ret.version)
    ret = services.submit(world.staff, ret, version=ret.version)
    return ret.findings.get()


def state(ret):
    ret = Return.objects.get(pk=ret.pk)
    return ret.version, ret.status, ret.data, ret.explanations, ret.returned_reason


# --- text too long is refused, never cut ------------------------------------------------------


def test_a_long_explanation_on_the_return_is_refused(world):
    ret = services.return_for(world.enterprise, world.a1, "2019-02", create=True)
    before = state(ret)
    with pytest.raises(ValidationError) as raised:
        services.save_draft(
            world.enterprise, ret, data=GOOD, explanations={"swing": "说" * 1001}, version=1
        )
    assert raised.value.message_dict == {"explanations": [too_long("情况说明(swing)", 1000)]}
    assert state(ret) == before
    ret = services.save_draft(
        world.enterprise, ret, data=GOOD, explanations={"swing": "说" * 1000}, version=1
    )
    assert ret.explanations == {"swing": "说" * 1000}  # whole, where 500 were kept before


def test_a_long_explanation_of_a_finding_is_refused_and_a_whole_one_kept(world, warning):
    audits = AuditRecord.objects.count()
    with pytest.raises(ValidationError) as raised:
        services.explain(world.enterprise, warning, "说" * 1001)
    assert raised.value.message_dict == {"explanation": [too_long("情况说明", 1000)]}
    warning.refresh_from_db()
    assert (warning.status, warning.explanation, AuditRecord.objects.count()) == (
        "open",
        "",
        audits,
    )
    services.explain(world.enterprise, warning, "说" * 1000)
    warning.refresh_from_db()
    assert warning.explanation == "说" * 1000
    assert warning.ret.explanations == {"w-test": "说" * 1000}  # was cut to 500 here
    assert AuditRecord.objects.filter(message="情况说明:" + "说" * 1000).exists()


def test_a_long_reason_note_or_message_is_refused(world, submitted, warning):
    before = state(submitted)
    with pytest.raises(ValidationError) as raised:
        services.send_back(world.staff, submitted, reason="因" * 1001, version=submitted.version)
    assert raised.value.message_dict == {"reason": [too_long("退回理由", 1000)]}
    assert state(submitted) == before
    with pytest.raises(ValidationError) as raised:
        services.close_finding(world.staff, warning, note="注" * 301)
    assert raised.value.message_dict == {"note": [too_long("关闭说明", 300)]}
    with pytest.raises(ValidationError) as raised:
        services.send_query(world.staff, warning, due_on=services.today(), message="问" * 301)
    assert raised.value.message_dict == {"message": [too_long("询问内容", 300)]}
    warning.refresh_from_db()
    assert warning.status == "open"
    ret = services.send_back(world.staff, submitted, reason="因" * 1000, version=submitted.version)
    assert ret.returned_reason == "因" * 1000
    services.send_query(world.staff, warning, due_on=services.today(), message="问" * 300)
    assert AuditRecord.objects.filter(message__endswith="问" * 300).exists()  # was cut to 200


def test_a_long_check_message_is_kept_whole(world, monkeypatch):
    message = "工业总产值" * 80  # 400 characters: the field held 300
    monkeypatch.setattr(
        checks,
        "evaluate",
        lambda zone, items, **kw: {
            items[0][0]: [Problem("long", "range", "output_value", "warning", message)]
        },
    )
    ret = services.return_for(world.staff, world.a1, "2019-02", create=True)  # 代填
    ret = services.save_draft(world.staff, ret, data=GOOD, version=ret.version)
    services.submit(world.staff, ret, version=ret.version)
    assert Finding.objects.get(ret=ret).message == message


def official(actor, zone, **kw):
    kw.setdefault("indicator", "industrial_value_added")
    kw.setdefault("period", "2019-12")
    kw.setdefault("value", "760000")
    kw.setdefault("yoy_pct", None)
    kw.setdefault("source", "statistics")
    return services.save_official(actor, zone, **kw)


def test_a_long_source_note_is_refused_with_the_other_errors(world):
    with pytest.raises(ValidationError) as raised:
        official(world.staff, world.zone_a, source_note="源" * 201, value="很多")
    assert raised.value.message_dict == {
        "source_note": [too_long("来源说明", 200)],
        "value": ["应为数字,实际为 很多"],
    }
    assert not OfficialFigure.objects.exists()
    assert official(world.staff, world.zone_a, source_note="源" * 200).source_note == "源" * 200


def test_the_official_import_names_a_long_source_note_and_writes_nothing(world, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["报告期", "指标", "数值", "同比增长(%)", "数据来源", "来源说明"])
    ws.append(["2019-12", "规上工业增加值", "76亿", "10.4", "统计局", "统计局月报"])
    ws.append(["2019-11", "规上工业增加值", "70亿", "10.1", "统计局", "源" * 201])
    path = tmp_path / "官方数据.xlsx"
    wb.save(path)
    result = import_official(world.staff, world.zone_a, path)
    assert [(e.row, e.column, e.reason) for e in result.sorted_errors()] == [
        (3, "来源说明", too_long("来源说明", 200))
    ]
    assert not OfficialFigure.objects.exists()


# --- missing (404) against forbidden (403, with the reason) -----------------------------------


def test_a_zone_the_actor_cannot_see_is_missing_one_they_see_is_forbidden(world):
    outsider = member("zone_staff", username="b_staff", zone=world.zone_b)
    calls = {
        "accept_clean": lambda user: services.accept_clean(user, world.zone_a, "2019-02"),
        "set_deadline": lambda user: services.set_deadline(
            user, world.zone_a, "2019-02", D(2019, 3, 20)
        ),
        "save_official": lambda user: official(user, world.zone_a),
        "remind": lambda user: services.remind(user, world.zone_a, "2019-02"),
    }
    for name, call in calls.items():
        with pytest.raises(Zone.DoesNotExist):
            call(outsider)
        with pytest.raises(Forbidden) as refused:
            call(world.enterprise if name != "set_deadline" else world.leader)
        assert str(refused.value), name
    assert not Deadline.objects.exists() and not OfficialFigure.objects.exists()


def test_a_finding_seen_but_not_reviewable_is_forbidden_with_the_reason(world, warning):
    with pytest.raises(Forbidden, match="只有园区经济运行工作人员可以发送询问或关闭审核发现"):
        services.close_finding(world.enterprise, warning)
    with pytest.raises(Forbidden, match="只有园区经济运行工作人员可以发送询问或关闭审核发现"):
        services.send_query(world.enterprise, warning, due_on=services.today())
    with pytest.raises(Finding.DoesNotExist):
        services.close_finding(member("zone_staff", zone=world.zone_b), warning)
    warning.refresh_from_db()
    assert warning.status == "open"


def test_the_api_answers_with_the_services_reasons(world, submitted, warning, api_as):
    r = api_as("enterprise").post(
        f"/statistics/returns/{submitted.pk}/accept", {"version": submitted.version}
    )
    assert (r.status_code, r.json()["detail"]) == (403, "只有园区经济运行工作人员可以审核报表")
    r = api_as("enterprise").post(f"/statistics/findings/{warning.pk}/close", {"note": ""})
    assert (r.status_code, r.json()["detail"]) == (
        403,
        "只有园区经济运行工作人员可以发送询问或关闭审核发现",
    )
    r = api_as("enterprise").post(
        "/statistics/returns", {"enterprise_id": world.a2.pk, "period": "2019-02"}
    )
    assert r.status_code == 404  # another enterprise's: not even seen
    r = api_as("staff").post(f"/statistics/findings/{warning.pk}/explain", {"text": "说" * 1001})
    assert r.status_code == 422 and r.json()["errors"] == [
        {"field": "explanation", "message": too_long("情况说明", 1000)}
    ]
    assert Return.objects.get(pk=submitted.pk).status == "submitted"
    assert Decimal(Return.objects.get(pk=submitted.pk).data["output_value"]) == 1200
