"""The returns pages, per role, through Django's test client: my returns, the return form (draft,
live check, submit, 409, bad input, revision), the officers' list (counts, filters, export, bulk
acceptance, deadline), one return (accept, send back, explain) and 催报 (reminders, export).
Every refused write also checks that nothing changed."""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gaoxin.enterprises.models import Enterprise
from gaoxin.statistics import services
from gaoxin.statistics.models import (
    Deadline,
    Finding,
    Reminder,
    Return,
    ReturnRevision,
    ReturnValue,
)
from tests.factories import EnterpriseFactory, member

pytestmark = pytest.mark.django_db

# The returns list: session, user, memberships, the zone's indicators, the table's count, the
# deadline, the status counts, the expected and missing reporters (one read), the tag choices, the
# page's ids, its rows (with enterprise and findings counts) + the bell's unread notifications
# count (the session is written at most once a minute, not here).
LIST_QUERIES = 12
# 催报: session, user, memberships, deadline, count, the page's ids, its rows (return status
# and reminders as subqueries) + the bell: the same for 3 enterprises or 30.
MISSING_QUERIES = 8
P = "2019-12"
KEY = 201912
GOOD = {
    "output_value": "1100",
    "revenue": "1200",
    "profit": "60",
    "industrial_tax": "33",
    "industrial_electricity": "88",
    "employees": "120",
    "rd_spending": "22",
    "exports": "110",
    "fixed_asset_investment": "11",
}


def url(name, *args):
    return reverse(f"statistics:{name}", args=args)


def post_values(data=None, **extra) -> dict:
    out = {f"v_{k}": v for k, v in (data or GOOD).items()}
    out.update(extra)
    return out


def numbers(data) -> dict:
    return {k: Decimal(v) for k, v in data.items()}


def scaled(factor) -> dict:
    return {k: str(Decimal(v) * Decimal(factor)) for k, v in GOOD.items()}


def accepted(w, enterprise, period, data):
    """An accepted return through the services (the history the form compares with)."""
    ret = services.return_for(w.admin, enterprise, period, create=True)
    ret = services.save_draft(w.admin, ret, data=numbers(data), version=ret.version)
    ret = services.submit(w.admin, ret, version=ret.version)
    for finding in Finding.objects.filter(ret=ret, severity="warning"):
        services.close_finding(w.admin, finding)
    return services.accept(w.admin, ret, version=ret.version)


@pytest.fixture
def w(world):
    for e in (world.a1, world.a2, world.b1):
        e.above_scale = True
        e.scale = "medium"
        e.save()
    accepted(world, world.a1, 201812, scaled("0.9"))  # last year: growth +11.1%
    accepted(world, world.a1, 201911, scaled("0.92"))
    return world


def get(client, user, name, *args, **params):
    client.force_login(user)
    response = client.get(url(name, *args), params)
    return response, response.content.decode()


def state(ret):
    ret.refresh_from_db()
    return (ret.status, ret.version, dict(ret.data), ret.revisions.count())


def text(html) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- access -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "codes"),
    [
        ("admin", {"returns": 200, "missing": 200, "my": 302, "fill": 404}),
        ("province", {"returns": 200, "missing": 200, "my": 404, "fill": 404}),
        ("zone_admin", {"returns": 200, "missing": 200, "my": 302, "fill": 404}),
        ("leader", {"returns": 200, "missing": 200, "my": 404, "fill": 404}),
        ("staff", {"returns": 200, "missing": 200, "my": 302, "fill": 404}),
        ("enterprise", {"returns": 404, "missing": 404, "my": 200, "fill": 200}),
    ],
)
def test_each_page_for_each_role(client, w, role, codes):
    user = w.users[role]
    client.force_login(user)
    assert client.get(url("returns"), {"period": P}).status_code == codes["returns"]
    assert client.get(url("missing"), {"period": P}).status_code == codes["missing"]
    assert client.get(url("my")).status_code == codes["my"]
    assert client.get(url("fill", P)).status_code == codes["fill"]


def test_the_return_page_by_role(client, w):
    ret = Return.objects.get(enterprise=w.a1, period=201911)
    for role, code in (
        ("admin", 200), ("province", 200), ("zone_admin", 200), ("leader", 200),
        ("staff", 200), ("enterprise", 200),
    ):  # fmt: skip
        assert get(client, w.users[role], "return", ret.pk)[0].status_code == code, role
    other = accepted(w, w.b1, 201911, GOOD)
    assert get(client, w.enterprise, "return", other.pk)[0].status_code == 404
    assert get(client, w.staff, "return", other.pk)[0].status_code == 404
    outsider = member("zone_staff", username="c_staff", zone=w.zone_c)
    assert get(client, outsider, "return", ret.pk)[0].status_code == 404
    assert get(client, w.staff, "return", 999999)[0].status_code == 404


def test_officers_fill_for_an_enterprise_of_their_zone_only(client, w):
    response, html = get(client, w.staff, "fill", P, enterprise=w.a2.pk)
    assert response.status_code == 200 and "代填" in html and w.a2.name in html
    assert get(client, w.staff, "fill", P, enterprise=w.b1.pk)[0].status_code == 404
    assert get(client, w.leader, "fill", P, enterprise=w.a2.pk)[0].status_code == 404
    assert get(client, w.province, "fill", P, enterprise=w.a2.pk)[0].status_code == 404
    # An enterprise user cannot open another enterprise's form, nor post to it.
    assert get(client, w.enterprise, "fill", P, enterprise=w.a2.pk)[0].status_code == 404
    response = client.post(url("fill", P) + f"?enterprise={w.a2.pk}", post_values())
    assert response.status_code == 404
    assert not Return.objects.filter(enterprise=w.a2).exists()


def test_bad_periods_answer_404(client, w):
    client.force_login(w.enterprise)
    for bad in ("2019-01", "2019-13", "abc"):
        assert client.get(url("fill", bad)).status_code == 404
    client.force_login(w.staff)
    assert client.get(url("returns"), {"period": "2019-01"}).status_code == 404


# --- the form -----------------------------------------------------------------------------------


def test_the_form_shows_last_period_and_last_year_and_growth(client, w):
    response, html = get(client, w.enterprise, "fill", P)
    assert response.status_code == 200
    row = html.split('id="row-output_value"', 1)[1].split("</tr>", 1)[0]
    assert 'data-prev="1012' in row and 'data-last-year="990' in row
    assert "1–12月" in row  # cumulative label
    emp = html.split('id="row-employees"', 1)[1].split("</tr>", 1)[0]
    assert "期末数" in emp and 'data-cumulative=""' in emp


def test_draft_then_submit_then_accept(client, w):
    client.force_login(w.enterprise)
    response = client.post(url("fill", P), post_values(action="save"))
    assert response.status_code == 302
    ret = Return.objects.get(enterprise=w.a1, period=KEY)
    assert (ret.status, ret.data["output_value"], ret.version) == ("draft", "1100", 2)
    # The saved draft shows the growth: 1100 / 990 − 1 = +11.1%.
    html = client.get(url("fill", P)).content.decode()
    row = html.split('id="row-output_value"', 1)[1].split("</tr>", 1)[0]
    assert "+11.1%" in row and 'value="1100"' in row
    response = client.post(url("fill", P), post_values(action="submit", version=ret.version))
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == "submitted" and ret.submitted_by == w.enterprise
    # The enterprise sees it submitted; the officer accepts it.
    my = client.get(url("my")).content.decode()
    assert "已报送" in my.split(f'id="period-{P}"', 1)[1].split("</tr>", 1)[0]
    client.force_login(w.staff)
    html = client.get(url("return", ret.pk)).content.decode()
    assert 'id="accept-form"' in html and "+11.1%" in html
    response = client.post(url("return_accept", ret.pk), {"version": ret.version})
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == "accepted"
    assert ReturnValue.objects.filter(ret=ret).count() == len(GOOD)


def test_leaders_and_enterprise_users_cannot_accept(client, w):
    ret = services.return_for(w.enterprise, w.a1, KEY, create=True)
    ret = services.save_draft(w.enterprise, ret, data=numbers(GOOD), version=ret.version)
    ret = services.submit(w.enterprise, ret, version=ret.version)
    before = state(ret)
    for user in (w.leader, w.province, w.enterprise):
        client.force_login(user)
        assert (
            client.post(url("return_accept", ret.pk), {"version": ret.version}).status_code == 404
        )
        assert (
            client.post(
                url("return_send_back", ret.pk), {"version": ret.version, "reason": "x"}
            ).status_code
            == 404
        )
        assert client.post(url("accept_clean"), {"period": P}).status_code == 404
        assert state(ret) == before
    client.force_login(w.enterprise)
    html = client.get(url("return", ret.pk)).content.decode()
    assert 'id="accept-form"' not in html


def test_live_check_shows_errors_and_warnings_and_writes_nothing(client, w):
    client.force_login(w.enterprise)
    data = dict(GOOD, output_value="-5", industrial_electricity="880000")
    response = client.post(url("check", P), post_values(data))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-severity="error"' in html and "工业总产值" in html
    assert not Return.objects.filter(enterprise=w.a1, period=KEY).exists()
    clean = client.post(url("check", P), post_values()).content.decode()
    assert 'id="check-clean"' in clean or 'data-severity="warning"' in clean
    assert 'data-severity="error"' not in clean
    bad = client.post(url("check", P), post_values(dict(GOOD, revenue="abc"))).content.decode()
    assert "营业收入:无法识别的金额「abc」" in text(bad)


def test_a_warning_needs_an_explanation_typed_in_the_form(client, w):
    client.force_login(w.enterprise)
    data = dict(GOOD, output_value="3000", revenue="3300")  # +203% on last year: a swing
    html = client.post(url("check", P), post_values(data)).content.decode()
    rules = re.findall(r'data-rule="([^"]+)" data-severity="warning"', html)
    assert "swing-year-output" in rules
    assert 'name="x_swing-year-output"' in html
    # Every warning must be explained before the enterprise can submit.
    explained = {f"x_{rule}": "新生产线投产,订单翻倍" for rule in rules}
    response = client.post(url("fill", P), post_values(data, action="submit", **explained))
    assert response.status_code == 302
    ret = Return.objects.get(enterprise=w.a1, period=KEY)
    assert ret.explanations["swing-year-output"] == "新生产线投产,订单翻倍"
    finding = Finding.objects.get(ret=ret, rule_code="swing-year-output")
    assert (finding.status, finding.explanation) == ("explained", "新生产线投产,订单翻倍")


def test_bad_input_is_refused_with_the_input_kept(client, w):
    client.force_login(w.enterprise)
    response = client.post(url("fill", P), post_values(dict(GOOD, revenue="12万吨"), action="save"))
    html = response.content.decode()
    assert response.status_code == 422
    assert re.search(
        r'id="err-revenue">无法识别的金额「12万吨」:请填写数字,单位为万元\(也可写 1.2亿、500万\)</div>',
        html,
    )
    assert 'value="12万吨"' in html and 'value="1100"' in html
    assert not Return.objects.filter(enterprise=w.a1, period=KEY).exists()


def test_a_negative_figure_is_a_finding_not_a_form_error(client, w):
    client.force_login(w.enterprise)
    data = dict(GOOD, output_value="-100")
    # The enterprise cannot send it while the error stands; the finding is shown, nothing kept.
    response = client.post(url("fill", P), post_values(data, action="submit"))
    assert response.status_code == 422
    assert "须更正后才能报送:工业总产值 -100 万元小于下限" in text(response.content.decode())
    assert not Return.objects.filter(enterprise=w.a1, period=KEY).exists()
    # An officer filling it for the enterprise (代填) sends it; the finding stays on the return.
    client.force_login(w.staff)
    response = client.post(
        url("fill", P) + f"?enterprise={w.a1.pk}", post_values(data, action="submit")
    )
    assert response.status_code == 302
    ret = Return.objects.get(enterprise=w.a1, period=KEY)
    assert ret.status == "submitted"
    finding = Finding.objects.get(ret=ret, rule_code="range-output")
    assert finding.severity == "error"
    # An error blocks acceptance: the officer sees why, nothing changes.
    client.force_login(w.staff)
    before = state(ret)
    response = client.post(url("return_accept", ret.pk), {"version": ret.version})
    assert response.status_code == 422
    assert "不能审核通过" in response.content.decode()
    assert state(ret) == before


def test_a_stale_version_answers_409_and_keeps_the_input(client, w):
    ret = services.return_for(w.enterprise, w.a1, KEY, create=True)
    ret = services.save_draft(w.enterprise, ret, data={"output_value": Decimal(1)}, version=1)
    client.force_login(w.enterprise)
    page_version = ret.version
    # Someone else saves meanwhile.
    services.save_draft(w.staff, ret, data={"output_value": Decimal(2)}, version=page_version)
    response = client.post(
        url("fill", P), post_values(dict(GOOD, output_value="777"), version=page_version)
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "该记录已被他人修改" in html and 'value="777"' in html
    ret.refresh_from_db()
    assert ret.data["output_value"] == "2"
    # A return created by someone else after the page was opened (the page had version 0).
    response = client.post(url("fill", P) + f"?enterprise={w.a2.pk}", post_values(version=0))
    assert response.status_code == 404  # the enterprise user may not fill a2 at all
    client.force_login(w.staff)
    other = services.return_for(w.staff, w.a2, KEY, create=True)
    response = client.post(url("fill", P) + f"?enterprise={w.a2.pk}", post_values(version=0))
    assert response.status_code == 409
    other.refresh_from_db()
    assert other.data == {}


def test_send_back_with_reason_then_fix_and_resubmit(client, w):
    client.force_login(w.enterprise)
    client.post(url("fill", P), post_values(action="submit"))
    ret = Return.objects.get(enterprise=w.a1, period=KEY)
    client.force_login(w.staff)
    before = state(ret)
    response = client.post(url("return_send_back", ret.pk), {"version": ret.version, "reason": ""})
    assert response.status_code == 422 and "请填写理由" in response.content.decode()
    assert state(ret) == before
    response = client.post(
        url("return_send_back", ret.pk), {"version": ret.version, "reason": "用电量请按电费单核实"}
    )
    assert response.status_code == 302
    ret.refresh_from_db()
    assert (ret.status, ret.returned_reason) == ("returned", "用电量请按电费单核实")
    client.force_login(w.enterprise)
    html = client.get(url("fill", P)).content.decode()
    assert "用电量请按电费单核实" in html and 'id="submit-return"' in html
    assert "用电量请按电费单核实" in client.get(url("my")).content.decode()
    data = dict(GOOD, industrial_electricity="90")
    response = client.post(url("fill", P), post_values(data, action="submit", version=ret.version))
    assert response.status_code == 302
    ret.refresh_from_db()
    assert (ret.status, ret.data["industrial_electricity"]) == ("submitted", "90")


def test_revise_an_accepted_return_with_a_reason_keeps_history(client, w):
    ret = Return.objects.get(enterprise=w.a1, period=201911)
    assert ret.status == "accepted"
    client.force_login(w.enterprise)
    html = client.get(url("fill", "2019-11")).content.decode()
    assert 'id="revise-submit"' in html and 'id="submit-return"' not in html
    before = state(ret)
    data = dict(scaled("0.92"), output_value="1015")
    response = client.post(
        url("fill", "2019-11"), post_values(data, action="revise", version=ret.version)
    )
    assert response.status_code == 422 and "修订报表必须说明理由" in response.content.decode()
    assert state(ret) == before
    response = client.post(
        url("fill", "2019-11"),
        post_values(data, action="revise", version=ret.version, reason="补录一笔销售"),
    )
    assert response.status_code == 302
    ret.refresh_from_db()
    assert (ret.status, ret.revision, ret.data["output_value"]) == ("submitted", 1, "1015")
    notes = list(ReturnRevision.objects.filter(ret=ret).values_list("note", flat=True))
    assert "补录一笔销售" in notes
    client.force_login(w.staff)
    html = client.get(url("return", ret.pk)).content.decode()
    history = html.split('id="return-history"', 1)[1].split("</ul>", 1)[0]
    assert "补录一笔销售" in history and "第 1 次修订" in history


# --- the officers' list -------------------------------------------------------------------------


def submitted(w, enterprise, data=None):
    ret = services.return_for(w.admin, enterprise, KEY, create=True)
    ret = services.save_draft(w.admin, ret, data=numbers(data or GOOD), version=ret.version)
    return services.submit(w.admin, ret, version=ret.version)


def list_names(html) -> list[str]:
    body = html.split('id="return-table"', 1)[1]
    return re.findall(r'href="/statistics/returns/\d+/">([^<]+)</a>', body)


def test_list_counts_filters_and_zone(client, w):
    submitted(w, w.a1)
    submitted(w, w.a2, dict(GOOD, output_value="-1"))
    submitted(w, w.b1)
    response, html = get(client, w.staff, "returns", period=P)
    assert response.status_code == 200
    counts = dict(re.findall(r'id="count-(\w+)">(\d+)<', html))
    assert counts == {
        "expected": "2", "reported": "2", "accepted": "0", "returned": "0", "missing": "0",
        "draft": "0",
    }  # fmt: skip
    assert sorted(list_names(html)) == sorted([w.a1.name, w.a2.name])
    _, html = get(client, w.staff, "returns", period=P, errors="true")
    assert list_names(html) == [w.a2.name]
    _, html = get(client, w.staff, "returns", period=P, q=w.a1.uscc[-6:])
    assert list_names(html) == [w.a1.name]
    _, html = get(client, w.staff, "returns", period=P, tag=w.tag_a.pk)
    assert list_names(html) == [w.a1.name]
    _, html = get(client, w.staff, "returns", period=P, division="17")  # a2: 1711 textiles
    assert list_names(html) == [w.a2.name]
    _, html = get(client, w.staff, "returns", period=P, section="C", status="submitted")
    assert len(list_names(html)) == 2
    _, html = get(client, w.staff, "returns", period=P, indicator="output_value")
    assert len(list_names(html)) == 2
    _, html = get(client, w.staff, "returns", period=P, indicator="nope")
    assert list_names(html) == []
    # The province reads zone B when it switches there.
    client.force_login(w.province)
    session = client.session
    session["gaoxin_zone_id"] = w.zone_b.pk
    session.save()
    html = client.get(url("returns"), {"period": P}).content.decode()
    assert list_names(html) == [w.b1.name] and 'id="accept-clean"' not in html


def test_export_is_what_is_shown(client, w):
    submitted(w, w.a1)
    submitted(w, w.a2, dict(GOOD, output_value="-1"))
    client.force_login(w.staff)
    response = client.get(url("returns"), {"period": P, "errors": "true", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("报告期", "企业", "统一社会信用代码", "状态")
    assert "工业总产值(万元)" in rows[0]
    assert [r[1] for r in rows[1:]] == [w.a2.name]
    assert rows[1][rows[0].index("工业总产值(万元)")] == -1


def test_accept_clean_accepts_only_returns_without_blocking_findings(client, w):
    clean = submitted(w, w.a1)
    dirty = submitted(w, w.a2, dict(GOOD, output_value="-1"))
    client.force_login(w.staff)
    response = client.post(url("accept_clean"), {"period": P}, follow=True)
    assert "已审核通过 1 份无错误报表" in response.content.decode()
    clean.refresh_from_db()
    dirty.refresh_from_db()
    assert (clean.status, dirty.status) == ("accepted", "submitted")


def test_deadline_set_by_staff_not_by_leader(client, w):
    client.force_login(w.leader)
    assert client.post(url("deadline"), {"period": P, "due_on": "2020-01-15"}).status_code == 404
    assert not Deadline.objects.exists()
    client.force_login(w.staff)
    response = client.post(url("deadline"), {"period": P, "due_on": "2019-12-15"}, follow=True)
    assert "截止日期应晚于报告期末" in response.content.decode()
    assert not Deadline.objects.exists()
    client.post(url("deadline"), {"period": P, "due_on": "2020-01-15"})
    assert Deadline.objects.get(zone=w.zone_a, period=KEY).due_on == datetime.date(2020, 1, 15)


def make_enterprises(zone, n):
    for i in range(n):
        EnterpriseFactory(zone=zone, name=f"批量企业{i:03d}", above_scale=True, scale="small")


def test_list_query_count_is_constant(client, w):
    client.force_login(w.staff)
    counts = []
    for n in (3, 27):
        make_enterprises(w.zone_a, n)
        for e in Enterprise.objects.filter(zone=w.zone_a).exclude(returns__period=KEY):
            submitted(w, e)
        client.get(url("returns"), {"period": P})
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url("returns"), {"period": P})
        assert response.status_code == 200
        counts.append(len(ctx))
    assert counts == [LIST_QUERIES, LIST_QUERIES]


def test_missing_list_query_count_is_constant(client, w):
    client.force_login(w.staff)
    counts = []
    for n in (3, 27):
        make_enterprises(w.zone_a, n)
        services.remind(w.staff, w.zone_a, KEY)
        client.get(url("missing"), {"period": P})
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url("missing"), {"period": P})
        assert response.status_code == 200
        counts.append(len(ctx))
    assert counts == [MISSING_QUERIES, MISSING_QUERIES]


# --- 催报 ---------------------------------------------------------------------------------------


def missing_names(html) -> list[str]:
    body = html.split('id="missing-table"', 1)[1]
    return re.findall(r'<tr id="missing-\d+">\s*(?:<td>.*?</td>\s*)?<td>([^<]+)</td>', body, re.S)


def test_missing_lists_who_has_not_reported_and_reminds(client, w):
    submitted(w, w.a1)
    response, html = get(client, w.staff, "missing", period=P)
    assert response.status_code == 200
    assert missing_names(html) == [w.a2.name]
    assert "未填报" in html and "2020-01-08" in html
    response = client.post(url("remind"), {"period": P, "only": w.a2.pk}, follow=True)
    assert "已向 1 家企业发送催报提醒" in response.content.decode()
    assert Reminder.objects.filter(enterprise=w.a2, period=KEY).count() == 1
    client.post(url("remind"), {"period": P, "scope": "all", "message": "请尽快报送"})
    assert (
        list(
            Reminder.objects.filter(enterprise=w.a2)
            .order_by("sent_at")
            .values_list("message", flat=True)
        )[-1]
        == "请尽快报送"
    )
    assert not Reminder.objects.filter(enterprise=w.a1).exists()
    # Nothing selected: nothing sent.
    response = client.post(url("remind"), {"period": P, "scope": "selected"}, follow=True)
    assert "请先勾选要催报的企业" in response.content.decode()
    assert Reminder.objects.count() == 2
    # The enterprise user sees the reminders on their page.
    a2_user = member("enterprise_user", username="a2_user", zone=w.zone_a, enterprise=w.a2)
    html = get(client, a2_user, "my")[1]
    assert "请尽快报送" in html
    assert "2 次" in html.split(f'id="period-{P}"', 1)[1].split("</tr>", 1)[0]
    # Export.
    client.force_login(w.staff)
    response = client.get(url("missing"), {"period": P, "export": "xlsx"})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert rows[0][1] == "企业" and rows[1][1] == w.a2.name and rows[1][6] == 2


def test_leaders_cannot_remind(client, w):
    client.force_login(w.leader)
    html = client.get(url("missing"), {"period": P}).content.decode()
    assert 'id="remind-all"' not in html
    assert client.post(url("remind"), {"period": P, "scope": "all"}).status_code == 404
    assert not Reminder.objects.exists()


# --- my returns, 代填, explanations ---------------------------------------------------------------


def test_my_returns_lists_owed_periods_and_opens_any_month(client, w):
    response, html = get(client, w.enterprise, "my")
    assert response.status_code == 200
    assert 'id="period-2019-11"' in html and 'id="period-2018-12"' in html
    assert html.count("未填报") >= 12  # the last twelve reporting months are owed
    response = get(client, w.enterprise, "my", period="2019-12")[0]
    assert response.status_code == 302 and response["Location"] == url("fill", P)
    assert get(client, w.enterprise, "my", period="2019-01")[0].status_code == 404
    # An enterprise below the scale owes nothing: only its own returns are listed.
    w.a1.above_scale = False
    w.a1.save()
    html = get(client, w.enterprise, "my")[1]
    assert "未填报" not in html and 'id="period-2019-11"' in html


def test_staff_fill_on_behalf_of_an_enterprise(client, w):
    client.force_login(w.staff)
    target = url("fill", P) + f"?enterprise={w.a2.pk}"
    response = client.post(target, post_values(action="submit"))
    assert response.status_code == 302 and response["Location"] == target
    ret = Return.objects.get(enterprise=w.a2, period=KEY)
    assert (ret.status, ret.submitted_by) == ("submitted", w.staff)
    # The live check of another zone's enterprise answers 404.
    response = client.post(url("check", P) + f"?enterprise={w.b1.pk}", post_values())
    assert response.status_code == 404
    # Leaders do not fill.
    client.force_login(w.leader)
    before = state(ret)
    assert client.post(target, post_values(action="save", version=ret.version)).status_code == 404
    assert state(ret) == before


def test_explain_a_warning_of_a_submitted_return(client, w):
    ret = submitted(w, w.a1, dict(GOOD, output_value="3000", revenue="3300"))
    finding = Finding.objects.get(ret=ret, rule_code="swing-year-output")
    client.force_login(w.enterprise)
    response = client.post(url("return_explain", finding.pk), {"explanation": ""})
    assert response.status_code == 422 and "请填写情况说明" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == "open"
    response = client.post(url("return_explain", finding.pk), {"explanation": "新产线投产"})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert (finding.status, finding.explanation) == ("explained", "新产线投产")
    # Another enterprise's finding is not there for them.
    other = submitted(w, w.a2, dict(GOOD, output_value="-1"))
    foreign = Finding.objects.filter(ret=other).first()
    response = client.post(url("return_explain", foreign.pk), {"explanation": "x"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.explanation == ""


def test_province_and_leader_read_without_actions(client, w):
    ret = submitted(w, w.a1)
    for user in (w.province, w.leader):
        html = get(client, user, "return", ret.pk)[1]
        assert 'id="accept-form"' not in html and 'id="send-back-form"' not in html
        assert 'id="revise-link"' not in html
        client.force_login(user)
        assert (
            client.post(url("deadline"), {"period": P, "due_on": "2020-01-20"}).status_code == 404
        )
    assert not Deadline.objects.exists()


def test_cockpit_click_through_parameters(client, w):
    submitted(w, w.a1)
    submitted(w, w.a2)
    w.a2.scale = "small"
    w.a2.save()
    _, html = get(client, w.staff, "returns", period=P, scale="small", above_scale="1")
    assert list_names(html) == [w.a2.name]
    _, html = get(client, w.staff, "returns", period=P, above_scale="0")
    assert list_names(html) == []
    _, html = get(client, w.staff, "returns", period="201912", section="C", division="39")
    assert list_names(html) == [w.a1.name]  # a1: 3974 (factory default)
    response, html = get(client, w.staff, "returns", period=P, status="nonsense")
    assert response.status_code == 200 and "nonsense" in html  # the form says it is no choice
    assert get(client, w.staff, "returns", period="bad")[0].status_code == 404
