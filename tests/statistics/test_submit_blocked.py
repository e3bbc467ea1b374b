"""An enterprise cannot submit (or revise) its return while an error stands or a warning is
unexplained: the service refuses with every finding named and keeps nothing; the API answers 422
listing them; the page shows them with the figures typed kept. An officer filling the return for
the enterprise (代填) still submits it: the findings stop acceptance, as before."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gaoxin.core.models import AuditRecord
from gaoxin.statistics import services
from gaoxin.statistics.models import Finding, Return, ReturnRevision
from tests.support.returns import put_values

pytestmark = pytest.mark.django_db

P, KEY = "2019-05", 201905
LAST_YEAR = {
    "output_value": "1000",
    "revenue": "1000",
    "profit": "70",
    "industrial_tax": "35",
    "industrial_electricity": "55",
    "employees": "110",
    "rd_spending": "28",
    "exports": "90",
    "fixed_asset_investment": "100",
}
# May's figures, a little above last May: nothing any rule finds fault with.
GOOD = {k: str(Decimal(v) * Decimal("1.1")) for k, v in LAST_YEAR.items()}
GOOD["employees"] = "110"
SLIP = dict(GOOD, fixed_asset_investment="1100000")  # 110 万元 typed in 元
SLIP_MESSAGE = (
    "固定资产投资 1,100,000 万元是去年同期 100 万元的 11,000 倍,疑似按元填报:按万元应为 110 万元"
)
SWING = dict(GOOD, output_value="2000", revenue="2000")  # +100 % on last year: two warnings
SUMMARY_ONE = "报表有 1 项审核问题未处理,不能报送:错误须更正数据,警告须填写情况说明"


@pytest.fixture
def w(world):
    world.a1.above_scale = True
    world.a1.save()
    put_values(world.a1, 201805, {k: Decimal(v) for k, v in LAST_YEAR.items()})
    return world


def draft(w, data, actor=None):
    actor = actor or w.enterprise
    ret = services.return_for(actor, w.a1, P, create=True)
    return services.save_draft(actor, ret, data=data, version=ret.version)


def state(ret):
    ret.refresh_from_db()
    return (
        ret.status,
        ret.version,
        dict(ret.data),
        ret.findings.count(),
        ReturnRevision.objects.filter(ret=ret).count(),
        AuditRecord.objects.count(),
    )


# --- the service ---------------------------------------------------------------------------------


def test_an_error_stops_the_enterprises_submission_and_nothing_is_kept(w):
    ret = draft(w, SLIP)
    before = state(ret)
    with pytest.raises(ValidationError) as raised:
        services.submit(w.enterprise, ret, version=ret.version)
    assert raised.value.message_dict == {
        "__all__": [SUMMARY_ONE],
        "fixed_asset_investment": [f"须更正后才能报送:{SLIP_MESSAGE}"],
    }
    assert state(ret) == before
    assert before[0] == "draft" and before[3] == 0  # no finding written
    # Corrected, it goes.
    ret = services.save_draft(
        w.enterprise, ret, data={"fixed_asset_investment": "110"}, version=ret.version
    )
    ret = services.submit(w.enterprise, ret, version=ret.version)
    assert ret.status == "submitted" and not ret.findings.exists()


def test_a_warning_stops_it_until_explained(w):
    ret = draft(w, SWING)
    before = state(ret)
    with pytest.raises(ValidationError) as raised:
        services.submit(w.enterprise, ret, version=ret.version)
    refused = raised.value.message_dict
    assert set(refused) == {"__all__", "explanations.swing-year-output",
                            "explanations.swing-year-revenue"}  # fmt: skip
    assert refused["explanations.swing-year-output"] == [
        "须填写情况说明后才能报送:累计工业总产值 2,000 万元比去年同期 1,000 万元增长 100.0%,"
        "超过 ±50% 的波动范围:请核实或说明原因"
    ]
    assert state(ret) == before
    # One explained, one not: still refused, naming the one left.
    ret = services.save_draft(
        w.enterprise, ret, data={}, explanations={"swing-year-output": "新生产线投产"},
        version=ret.version,
    )  # fmt: skip
    with pytest.raises(ValidationError) as raised:
        services.submit(w.enterprise, ret, version=ret.version)
    assert set(raised.value.message_dict) == {"__all__", "explanations.swing-year-revenue"}
    ret = services.save_draft(
        w.enterprise, ret, data={}, explanations={"swing-year-revenue": "订单翻倍"},
        version=ret.version,
    )  # fmt: skip
    ret = services.submit(w.enterprise, ret, version=ret.version)
    assert ret.status == "submitted"
    assert set(Finding.objects.filter(ret=ret).values_list("rule_code", "status")) == {
        ("swing-year-output", "explained"),
        ("swing-year-revenue", "explained"),
    }


def test_an_officer_filling_for_the_enterprise_submits_and_the_error_stops_acceptance(w):
    ret = draft(w, SLIP, actor=w.staff)
    ret = services.submit(w.staff, ret, version=ret.version)
    finding = Finding.objects.get(ret=ret)
    assert (ret.status, finding.rule_code, finding.message) == (
        "submitted", "unit-slip-investment", SLIP_MESSAGE,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.accept(w.staff, ret, version=ret.version)


def test_an_enterprises_revision_is_refused_while_an_error_stands(w):
    ret = draft(w, GOOD)
    ret = services.submit(w.enterprise, ret, version=ret.version)
    ret = services.accept(w.staff, ret, version=ret.version)
    before = state(ret)
    with pytest.raises(ValidationError) as raised:
        services.revise(
            w.enterprise, ret, data={"fixed_asset_investment": "1100000"}, reason="更正",
            version=ret.version,
        )  # fmt: skip
    assert raised.value.message_dict["fixed_asset_investment"] == [
        f"须更正后才能报送:{SLIP_MESSAGE}"
    ]
    assert state(ret) == before and before[0] == "accepted"


# --- the API -------------------------------------------------------------------------------------


def test_the_api_answers_422_with_the_findings_listed(w, api_as):
    ret = draft(w, dict(SLIP, output_value="2000", revenue="2000"))
    before = state(ret)
    client = api_as("enterprise")
    r = client.post(f"/statistics/returns/{ret.pk}/submit", {"version": ret.version})
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["detail"] == "提交的数据有 4 处错误"
    assert body["errors"] == [
        {"field": "", "message": SUMMARY_ONE.replace("1 项", "3 项")},
        {"field": "explanations.swing-year-output", "message": body["errors"][1]["message"]},
        {"field": "explanations.swing-year-revenue", "message": body["errors"][2]["message"]},
        {"field": "data.fixed_asset_investment", "message": f"须更正后才能报送:{SLIP_MESSAGE}"},
    ]
    assert body["errors"][1]["message"].startswith("须填写情况说明后才能报送:累计工业总产值")
    assert state(ret) == before
    # Corrected and explained through the API, it goes.
    r = client.patch(
        f"/statistics/returns/{ret.pk}",
        {
            "version": ret.version,
            "data": {"fixed_asset_investment": "110"},
            "explanations": {"swing-year-output": "新产线投产", "swing-year-revenue": "订单翻倍"},
        },
    )
    assert r.status_code == 200, r.content
    r = client.post(f"/statistics/returns/{ret.pk}/submit", {"version": r.json()["version"]})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "submitted"
    assert {f["status"] for f in r.json()["findings"]} == {"explained"}


# --- the page ------------------------------------------------------------------------------------


def post(client, data, **extra):
    body = {f"v_{k}": v for k, v in data.items()}
    body.update(extra)
    return client.post(reverse("statistics:fill", args=[P]), body)


def test_the_page_shows_why_it_cannot_be_submitted_and_keeps_the_figures(client, w):
    client.force_login(w.enterprise)
    audits = AuditRecord.objects.count()
    response = post(client, SLIP, action="submit")
    html = response.content.decode()
    assert response.status_code == 422
    assert f'id="form-errors"><div>{SUMMARY_ONE}</div>' in html  # above the form
    assert f'id="err-fixed_asset_investment">须更正后才能报送:{SLIP_MESSAGE}</div>' in html
    assert 'data-rule="unit-slip-investment" data-severity="error"' in html  # the live check
    for code, value in SLIP.items():
        assert f'name="v_{code}" value="{value}"' in html, code
    assert not Return.objects.filter(enterprise=w.a1, period=KEY).exists()
    assert AuditRecord.objects.count() == audits


def test_the_page_asks_for_the_explanations_then_submits(client, w):
    client.force_login(w.enterprise)
    response = post(client, SWING, action="submit")
    html = response.content.decode()
    assert response.status_code == 422
    assert "报表有 2 项审核问题未处理,不能报送" in html
    assert "须填写情况说明后才能报送:累计工业总产值 2,000 万元" in html
    assert 'name="x_swing-year-output"' in html and 'name="x_swing-year-revenue"' in html
    assert not Return.objects.filter(enterprise=w.a1, period=KEY).exists()
    explained = {"x_swing-year-output": "新产线投产", "x_swing-year-revenue": "订单翻倍"}
    response = post(client, SWING, action="submit", **explained)
    assert response.status_code == 302
    ret = Return.objects.get(enterprise=w.a1, period=KEY)
    assert ret.status == "submitted"
    assert ret.explanations == {"swing-year-output": "新产线投产", "swing-year-revenue": "订单翻倍"}
