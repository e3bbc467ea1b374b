"""The project ledger's pages, per role, through Django's test client: list and filters (with the
cockpit's click-through), export, detail, stage moves, commitment and delivery, funds in place,
documents, create and edit. Every refused write also checks that nothing changed."""

import datetime
import io
import re
import zipfile
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gaoxin.core.models import AuditRecord
from gaoxin.investment import services
from gaoxin.investment.models import Commitment, Document, FundsEntry, Project, StageEvent
from tests.factories import member

pytestmark = pytest.mark.django_db
D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def url(name, *args):
    return reverse(f"investment:{name}", args=args)


def page(client, user, name, *args, **params):
    client.force_login(user)
    response = client.get(url(name, *args), params)
    return response, response.content.decode()


def state(project):
    """What a refused write must leave alone."""
    project.refresh_from_db()
    return (
        project.stage,
        project.stage_on,
        project.version,
        project.events.count(),
        AuditRecord.objects.for_object(project).count(),
    )


def table_names(html) -> list[str]:
    body = html.split('id="project-table"', 1)[1]
    return re.findall(r'href="/investment/projects/\d+/">([^<]+)</a>', body)


def err(html, field) -> str:
    match = re.search(rf'id="err-{field}">(.*?)</div>', html, re.S)
    return match.group(1).strip() if match else ""


# --- list -------------------------------------------------------------------------------------


def test_list_shows_the_zone_of_each_officer_role(client, pipeline):
    w = pipeline.world
    zone_a = {"甲线索项目", "甲签约项目", "甲二局项目", "甲一扩产项目"}
    for user in (w.admin, w.zone_admin, w.leader, w.staff, w.province):
        response, html = page(client, user, "projects")
        assert response.status_code == 200
        assert set(table_names(html)) == zone_a, user.username
        assert "计划总投资" in html and "15.00 亿元" in html
        assert 'id="result-count">4 个项目' in html
    _, html = page(client, w.staff, "projects")
    assert 'id="create-link"' in html and f'href="{reverse("investment:import")}"' in html
    _, html = page(client, w.leader, "projects")
    assert 'id="create-link"' not in html  # leaders read only


def test_list_marks_overdue_and_filters_by_text_stage_department_and_overdue(client, pipeline):
    w = pipeline.world
    _, html = page(client, w.staff, "projects")
    row = html.split(">甲签约项目</a>", 1)[1].split("</tr>", 1)[0]
    assert "逾期" in row and "2019-03-10" in row and "经济发展局" in row
    assert "逾期" not in html.split(">甲线索项目</a>", 1)[1].split("</tr>", 1)[0]
    _, html = page(client, w.staff, "projects", q="二局")
    assert table_names(html) == ["甲二局项目"]
    _, html = page(client, w.staff, "projects", stage=["lead", "production"])
    assert set(table_names(html)) == {"甲线索项目", "甲一扩产项目"}
    _, html = page(client, w.staff, "projects", department=pipeline.dept_a2.pk)
    assert table_names(html) == ["甲二局项目"]
    _, html = page(client, w.staff, "projects", overdue="true")
    assert table_names(html) == ["甲签约项目"]
    _, html = page(client, w.staff, "projects", overdue="false")
    assert set(table_names(html)) == {"甲线索项目", "甲二局项目", "甲一扩产项目"}


def test_cockpit_click_through_filters_and_shows_the_period(client, pipeline):
    w = pipeline.world
    query = {
        "reached": "signed",
        "start": "2019-01-01",
        "end": "2019-12-31",
        "category": "industrial",
        "size": "large",
    }
    response, html = page(client, w.staff, "projects", **query)
    assert response.status_code == 200
    # p_ent signed in 2018, p_b is another zone's: only p_signed reached 签约 in 2019 here.
    assert table_names(html) == ["甲签约项目"]
    banner = html.split('id="period-banner"', 1)[1].split("</div>", 2)[0]
    assert "期间 <strong>2019-01-01 至 2019-12-31</strong> 内到达「签约」阶段的项目" in banner
    assert "项目类别:工业" in banner and "亿元以上" in banner
    _, html = page(
        client, w.staff, "projects", reached="production", start="2019-01-01", end="2019-12-31"
    )
    assert table_names(html) == ["甲一扩产项目"]
    _, html = page(
        client, w.staff, "projects", reached="signed", start="2020-01-01", end="2020-03-31"
    )
    assert table_names(html) == [] and "没有符合条件的项目" in html


def test_period_without_stage_says_it_has_no_effect_and_bad_dates_do_not_fail(client, pipeline):
    w = pipeline.world
    _, html = page(client, w.staff, "projects", start="2019-01-01", end="2019-12-31")
    assert "未选择「期间内到达阶段」,期间未生效" in html
    assert len(table_names(html)) == 4
    response, html = page(client, w.staff, "projects", reached="signed", start="2019-13-45")
    assert response.status_code == 200
    assert "输入一个有效的日期" in html
    assert set(table_names(html)) == {"甲签约项目", "甲一扩产项目"}  # reached, any date
    response, html = page(client, w.staff, "projects", stage="bogus", size="huge")
    assert response.status_code == 200 and "bogus" in html


def test_enterprise_user_lists_only_own_projects_and_no_money(client, pipeline):
    w = pipeline.world
    response, html = page(client, w.enterprise, "projects")
    assert response.status_code == 200
    assert table_names(html) == ["甲一扩产项目"]
    for hidden in ("计划总投资", "亿元", "责任部门", ">投资方<", "承诺逾期", "create-link"):
        assert hidden not in html
    # money and commitment filters are not theirs: ignored, never a way to probe
    _, html = page(client, w.enterprise, "projects", size="large", overdue="true")
    assert table_names(html) == ["甲一扩产项目"]
    _, html = page(client, w.enterprise, "projects", size="5020")
    assert table_names(html) == ["甲一扩产项目"] and "period-banner" not in html


def test_list_query_count_is_constant(client, pipeline, django_assert_num_queries):
    """session, user, memberships, thresholds, count, the filter's three choice lists
    (departments, chains, channels), the page's ids, its rows (department, officer and the
    overdue flag in the same query): the same with 4 projects or 60."""
    w = pipeline.world
    client.force_login(w.staff)
    for n in (0, 56):
        for i in range(n):
            project = services.create_project(
                w.admin,
                w.zone_a,
                stage="signed",
                on=D(2019, 6, 1),
                name=f"批量项目{i}",
                investor_name="批量投资方",
                planned_investment=Decimal("30000"),
                department=pipeline.dept_a2 if i % 2 else w.dept_a,
                officer=w.staff,
                chain=pipeline.chain,
            )
            if i % 3 == 0:
                services.save_commitment(w.admin, project, {"start_by": D(2019, 12, 1)})
        client.get(url("projects"))
        with django_assert_num_queries(11):
            response = client.get(url("projects"))
        assert len(table_names(response.content.decode())) == min(4 + n, 50)


# --- export -----------------------------------------------------------------------------------


def workbook_rows(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)


def test_export_gives_exactly_what_is_filtered_and_is_audited(client, pipeline):
    w = pipeline.world
    client.force_login(w.staff)
    response = client.get(
        url("projects"),
        {"reached": "signed", "start": "2019-01-01", "end": "2019-12-31", "export": "xlsx"},
    )
    rows = workbook_rows(response)
    header = rows[0]
    assert header[:4] == ("项目名称", "项目类别", "当前阶段", "进入当前阶段日期")
    assert len(rows) == 2
    row = dict(zip(header, rows[1], strict=True))
    assert row["项目名称"] == "甲签约项目"
    assert (row["当前阶段"], row["进入当前阶段日期"].date()) == ("签约", D(2019, 3, 10))
    assert (row["计划总投资(万元)"], row["责任部门"], row["产业链"]) == (
        150000,
        "经济发展局",
        "新材料",
    )
    assert (row["国民经济行业"], row["承诺逾期"], row["签约日期"].date()) == (
        "3974 显示器件制造",
        "是",
        D(2019, 3, 10),
    )
    record = AuditRecord.objects.get(action="export")
    assert (record.actor_name, record.zone, record.message) == (
        "staff",
        w.zone_a,
        "导出 1 个招商项目;条件:reached=signed&start=2019-01-01&end=2019-12-31&export=xlsx",
    )
    rows = workbook_rows(client.get(url("projects"), {"export": "xlsx"}))
    assert sorted(r[0] for r in rows[1:]) == sorted(
        ["甲线索项目", "甲签约项目", "甲二局项目", "甲一扩产项目"]
    )


def test_enterprise_user_export_holds_only_the_public_status(client, pipeline):
    client.force_login(pipeline.world.enterprise)
    rows = workbook_rows(client.get(url("projects"), {"export": "xlsx"}))
    assert rows[0] == ("项目名称", "项目类别", "当前阶段", "进入当前阶段日期")
    assert [r[:3] for r in rows[1:]] == [("甲一扩产项目", "工业", "投产")]


# --- detail -----------------------------------------------------------------------------------


def test_detail_for_officers_groups_the_project_and_shows_delivery(client, pipeline):
    w = pipeline.world
    response, html = page(client, w.staff, "project_detail", pipeline.p_signed.pk)
    assert response.status_code == 200
    assert 'id="money-planned">15.00 亿元' in html
    assert 'id="money-fixed">—' in html and 'id="money-foreign">—' in html
    assert "3974 显示器件制造" in html and "以商招商" in html and "新材料" in html
    assert 'id="edit-link"' in html and 'id="stage-form"' in html
    assert 'id="funds-form"' in html and 'id="document-form"' in html
    # the stage history with the days spent: 考察 2019-01-10 → 签约 2019-03-10 = 59 days
    timeline = html.split('id="stage-timeline"', 1)[1].split("</ul>", 1)[0]
    assert "考察" in timeline and "历时 59 天" in timeline
    # delivery: start deadline passed without starting; funds short; output awaits statistics
    assert "逾期" in html.split('id="delivery-start"', 1)[1].split("</tr>", 1)[0]
    assert "到位不足" in html.split('id="delivery-funds"', 1)[1].split("</tr>", 1)[0]
    output = html.split('id="delivery-output"', 1)[1].split("</tr>", 1)[0]
    assert "亩均 1,500 万元/亩" in output and "待企业统计数据接入" in output and "待统计" in output
    assert 'id="project-overdue"' in html
    # the audit trail of the project and its commitment
    assert "阶段变更" in html.split('id="timeline"', 1)[1]
    # only the moves the rules allow are offered, with the reason requirement said
    select = html.split('name="stage"', 1)[1].split("</select>", 1)[0]
    assert "推进到「开工」" in select and "退回到「考察」(须填写原因)" in select
    assert "暂缓(须填写原因)" in select and "投产" not in select


def test_readers_see_no_edit_controls(client, pipeline):
    w = pipeline.world
    for user in (w.leader, w.province):
        response, html = page(client, user, "project_detail", pipeline.p_signed.pk)
        assert response.status_code == 200 and "15.00 亿元" in html
        for control in ("edit-link", "stage-form", "funds-form", "document-form", "delete-form"):
            assert f'id="{control}"' not in html
    # staff read another department's project but may not change it
    response, html = page(client, w.staff, "project_detail", pipeline.p_other.pk)
    assert response.status_code == 200
    assert 'id="edit-link"' not in html and 'id="stage-form"' not in html


def test_enterprise_user_sees_only_the_public_status_of_own_project(client, pipeline):
    w = pipeline.world
    response, html = page(client, w.enterprise, "project_detail", pipeline.p_ent.pk)
    assert response.status_code == 200
    assert "甲一扩产项目" in html and 'id="project-stage">投产' in html
    assert 'id="project-stage-on">2019-06-01' in html and 'id="stage-progress"' in html
    for hidden in ("亿元", "万元", "投资方", "承诺", "到位资金", "材料", "时间线", "经济发展局"):
        assert hidden not in html
    for other in (pipeline.p_signed, pipeline.p_lead, pipeline.p_b):
        assert client.get(url("project_detail", other.pk)).status_code == 404


def test_missing_forbidden_and_huge_ids_answer_404(client, pipeline):
    w = pipeline.world
    client.force_login(w.staff)
    for name in ("project_detail", "project_edit", "project_commitment"):
        assert client.get(url(name, pipeline.p_b.pk)).status_code == 404
        assert client.get(url(name, 10**20)).status_code == 404
    assert client.get("/investment/projects/99999999999999999999999/").status_code == 404
    assert client.get(url("document_download", 10**20)).status_code == 404
    services.delete_project(w.admin, pipeline.p_lead, reason="重复登记")
    assert client.get(url("project_detail", pipeline.p_lead.pk)).status_code == 404
    client.logout()
    assert client.get(url("project_detail", pipeline.p_signed.pk)).status_code == 302  # to login


# --- stage moves ------------------------------------------------------------------------------


def move(client, project, **data):
    project.refresh_from_db()
    data.setdefault("version", project.version)
    return client.post(url("project_stage", project.pk), data)


def test_stage_move_is_saved_as_a_dated_event(client, pipeline):
    w, p = pipeline.world, pipeline.p_lead
    client.force_login(w.staff)
    response = move(client, p, stage="visit", on="2019-02-01", note="首次考察")
    assert response.status_code == 302
    p.refresh_from_db()
    assert (p.stage, p.stage_on, p.visit_on, p.version) == (
        "visit",
        D(2019, 2, 1),
        D(2019, 2, 1),
        2,
    )
    event = p.events.last()
    assert (event.kind, event.from_stage, event.note, event.actor_name) == (
        "forward",
        "lead",
        "首次考察",
        "staff",
    )
    html = client.get(url("project_detail", p.pk)).content.decode()
    assert "已变更阶段:考察(2019-02-01)" in html
    assert "历时 27 天" in html  # 线索 2019-01-05 → 考察 2019-02-01


@pytest.mark.parametrize(
    ("which", "data", "field", "message"),
    [
        ("p_lead", {"stage": "visit", "on": "2099-01-01"}, "on", "晚于今天"),
        (
            "p_lead",
            {"stage": "visit", "on": "2019-01-01"},
            "on",
            "早于上一阶段「线索」的日期 2019-01-05",
        ),
        ("p_lead", {"stage": "visit", "on": "2019-02-30"}, "on", "请填写有效日期(YYYY-MM-DD)"),
        ("p_lead", {"stage": "visit", "on": ""}, "on", "这个字段是必填项"),
        ("p_lead", {"stage": "bogus", "on": "2019-02-01"}, "stage", "无效的阶段「bogus」"),
        ("p_lead", {"stage": "lead", "on": "2019-02-01"}, "stage", "项目已处于「线索」阶段"),
        (
            "p_lead",
            {"stage": "started", "on": "2019-02-01"},
            "stage",
            "「开工」只能从「签约」推进(当前为「线索」),请先登记签约",
        ),
        ("p_signed", {"stage": "visit", "on": "2019-04-01"}, "note", "退回到「考察」必须说明原因"),
        (
            "p_signed",
            {"stage": "on_hold", "on": "2019-04-01", "note": "  "},
            "note",
            "暂缓必须说明原因",
        ),
        ("p_signed", {"stage": "dropped", "on": "2019-04-01"}, "note", "终止必须说明原因"),
        (
            "p_signed",
            {"stage": "started", "on": "2019-04-01", "note": "长" * 501},
            "note",
            "说明不超过 500 个字",
        ),
        (
            "p_ent",
            {"stage": "dropped", "on": "2019-07-01", "note": "x"},
            "stage",
            "已投产的项目不能暂缓或终止",
        ),
    ],
)
def test_refused_stage_moves_say_why_next_to_the_field_and_change_nothing(
    client, pipeline, which, data, field, message
):
    p = getattr(pipeline, which)
    client.force_login(pipeline.world.zone_admin)
    before = state(p)
    response = move(client, p, **data)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in err(html, field)
    assert state(p) == before
    if data.get("note", "").strip():
        assert f'value="{data["note"]}"' in html  # the input is kept


def test_stale_stage_move_says_so_and_keeps_the_input(client, pipeline):
    p = pipeline.p_lead
    client.force_login(pipeline.world.staff)
    before = state(p)
    response = move(client, p, stage="visit", on="2019-02-01", note="我的说明", version=0)
    assert response.status_code == 409
    html = response.content.decode()
    assert "该记录已被他人修改(当前版本 1)" in html and 'value="我的说明"' in html
    assert state(p) == before


def test_a_broken_version_field_says_the_page_is_out_of_date(client, pipeline):
    p = pipeline.p_lead
    client.force_login(pipeline.world.staff)
    before = state(p)
    response = move(client, p, stage="visit", on="2019-02-01", version="abc")
    assert response.status_code == 422
    assert "页面数据已失效,请刷新页面后重试" in response.content.decode()
    response = client.post(url("project_edit", p.pk), edit_form(p, version="x"))
    assert "页面数据已失效,请刷新页面后重试" in response.content.decode()
    assert state(p) == before


def test_stage_move_needs_the_change_permission(client, pipeline):
    w = pipeline.world
    for user, project in (
        (w.leader, pipeline.p_lead),
        (w.staff, pipeline.p_other),
        (w.enterprise, pipeline.p_ent),
        (w.staff, pipeline.p_b),
    ):
        before = state(project)
        client.force_login(user)
        response = move(client, project, stage="on_hold", on="2019-08-01", note="试图暂缓")
        assert response.status_code == 404, user.username
        assert state(project) == before
    client.force_login(w.staff)
    assert client.get(url("project_stage", pipeline.p_lead.pk)).status_code == 405


def test_back_move_with_reason_clears_later_dates(client, pipeline):
    p = pipeline.p_signed
    client.force_login(pipeline.world.staff)
    response = move(client, p, stage="visit", on="2019-04-01", note="协议条款重谈")
    assert response.status_code == 302
    p.refresh_from_db()
    assert (p.stage, p.signed_on) == ("visit", None)
    assert p.events.last().kind == StageEvent.Kind.BACK


# --- commitment and delivery ------------------------------------------------------------------

COMMITMENT = {
    "investment": "150000",
    "funds_in_place": "30000",
    "funds_by": "2019-12-31",
    "start_by": "2019-04-30",
    "production_by": "2021-06-30",
    "land_mu": "200",
    "annual_output": "300000",
    "annual_tax": "12000",
    "jobs": "800",
    "note": "",
}


def test_commitment_is_saved_and_delivery_statuses_follow(client, pipeline):
    w, p = pipeline.world, pipeline.p_signed
    client.force_login(w.staff)
    services.move_stage(w.admin, p, "started", on=D(2019, 4, 1))
    response = client.get(url("project_commitment", p.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="investment" value="150000"' in html and 'name="version" value="1"' in html
    response = client.post(url("project_commitment", p.pk), {**COMMITMENT, "version": "1"})
    assert response.status_code == 302
    c = Commitment.objects.get(project=p)
    assert (c.start_by, c.funds_by, c.version) == (D(2019, 4, 30), D(2019, 12, 31), 2)
    client.post(
        url("project_funds", p.pk), {"on": "2019-10-01", "amount": "30000", "source": "foreign"}
    )
    html = client.get(url("project_detail", p.pk)).content.decode()

    def status(key):
        return html.split(f'id="delivery-{key}"', 1)[1].split("</tr>", 1)[0]

    assert "按期" in status("start") and "2019-04-01" in status("start")
    assert "逾期" in status("production")  # 2021-06-30 passed without production
    assert "按期" in status("funds") and "100.0%" in status("funds")
    assert "待统计" in status("tax") and "亩均 60 万元/亩" in status("tax")
    assert "800 人" in status("jobs")


def test_commitment_errors_stay_on_their_fields(client, pipeline):
    w, p = pipeline.world, pipeline.p_signed
    client.force_login(w.staff)
    before = Commitment.objects.get(project=p).version
    bad = {**COMMITMENT, "version": "1", "production_by": "2019-01-01"}
    response = client.post(url("project_commitment", p.pk), bad)
    assert response.status_code == 422
    assert "投产期限(2019-01-01)不能早于开工期限(2019-04-30)" in err(
        response.content.decode(), "production_by"
    )
    response = client.post(
        url("project_commitment", p.pk),
        {**COMMITMENT, "version": "1", "annual_tax": "-5", "funds_by": "31/12/2019"},
    )
    html = response.content.decode()
    assert "不能为负数" in err(html, "annual_tax") and "请填写有效日期" in err(html, "funds_by")
    response = client.post(url("project_commitment", p.pk), {**COMMITMENT, "version": "0"})
    assert response.status_code == 409 and "已被他人修改" in response.content.decode()
    assert Commitment.objects.get(project=p).version == before
    # only a signed project has commitments
    response = client.post(url("project_commitment", pipeline.p_lead.pk), COMMITMENT)
    assert response.status_code == 422
    assert "项目签约后才能登记投资承诺" in response.content.decode()
    assert not Commitment.objects.filter(project=pipeline.p_lead).exists()
    # readers and other departments: 404, nothing written
    client.force_login(w.leader)
    assert (
        client.post(url("project_commitment", p.pk), {**COMMITMENT, "version": "1"}).status_code
        == 404
    )
    assert Commitment.objects.get(project=p).start_by == D(2019, 9, 30)


# --- funds in place ---------------------------------------------------------------------------


def test_funds_are_added_totalled_and_deleted_with_a_reason(client, pipeline):
    w, p = pipeline.world, pipeline.p_signed
    client.force_login(w.staff)
    for day, amount in (("2019-05-01", "10000"), ("2019-06-01", "5000.5")):
        response = client.post(
            url("project_funds", p.pk), {"on": day, "amount": amount, "source": "out_of_province"}
        )
        assert response.status_code == 302
    html = client.get(url("project_detail", p.pk)).content.decode()
    assert 'id="funds-total">1.50 亿元' in html
    entry = FundsEntry.objects.get(project=p, on=D(2019, 5, 1))
    response = client.post(url("funds_delete", entry.pk), {"reason": ""})
    assert response.status_code == 422
    assert "请填写删除理由" in response.content.decode()
    assert FundsEntry.objects.filter(pk=entry.pk).exists()
    client.force_login(w.leader)
    assert client.post(url("funds_delete", entry.pk), {"reason": "录错"}).status_code == 404
    assert FundsEntry.objects.filter(pk=entry.pk).exists()
    client.force_login(w.staff)
    assert client.post(url("funds_delete", entry.pk), {"reason": "录错"}).status_code == 302
    assert not FundsEntry.objects.filter(pk=entry.pk).exists()
    record = AuditRecord.objects.filter(action="delete").latest("id")
    assert (record.message, record.object_repr) == ("录错", "甲签约项目 到位资金 10000 万元")
    assert client.post(url("funds_delete", entry.pk), {"reason": "再删"}).status_code == 404


@pytest.mark.parametrize(
    ("which", "data", "field", "message"),
    [
        ("p_signed", {"on": "2019-05-01", "amount": "-1"}, "funds-amount", "到位金额应大于 0"),
        (
            "p_signed",
            {"on": "2019-05-01", "amount": "abc"},
            "funds-amount",
            "无法识别的金额「abc」",
        ),
        (
            "p_signed",
            {"on": "2019-01-01", "amount": "100"},
            "funds-on",
            "到位日期不能早于签约日期 2019-03-10",
        ),
        ("p_signed", {"on": "2099-01-01", "amount": "100"}, "funds-on", "到位日期不能晚于今天"),
        ("p_signed", {"on": "2019-99-01", "amount": "100"}, "funds-on", "请填写有效日期"),
        (
            "p_signed",
            {"on": "2019-05-01", "amount": "100", "source": "moon"},
            "funds-source",
            "moon",
        ),
        ("p_lead", {"on": "2019-05-01", "amount": "100"}, None, "项目签约后才能登记到位资金"),
    ],
)
def test_refused_funds_say_why_and_write_nothing(client, pipeline, which, data, field, message):
    p = getattr(pipeline, which)
    client.force_login(pipeline.world.staff)
    data.setdefault("source", "out_of_province")
    response = client.post(url("project_funds", p.pk), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in (err(html, field) if field else html)
    assert not FundsEntry.objects.exists()


def test_funds_need_the_change_permission(client, pipeline):
    w = pipeline.world
    services.move_stage(w.admin, pipeline.p_other, "signed", on=D(2019, 3, 1))
    entry = services.add_funds(w.admin, pipeline.p_other, on=D(2019, 4, 1), amount=Decimal("10"))
    client.force_login(w.staff)  # another department's project
    assert (
        client.post(
            url("project_funds", pipeline.p_other.pk),
            {"on": "2019-05-01", "amount": "5", "source": "foreign"},
        ).status_code
        == 404
    )
    assert client.post(url("funds_delete", entry.pk), {"reason": "x"}).status_code == 404
    assert list(FundsEntry.objects.values_list("amount", flat=True)) == [Decimal("10")]


# --- documents --------------------------------------------------------------------------------


def upload(client, project, name="投资协议.pdf", content=PDF, kind="agreement"):
    files = {"file": SimpleUploadedFile(name, content)} if name else {}
    return client.post(url("document_upload", project.pk), {"kind": kind, **files})


def test_document_upload_download_and_delete(client, pipeline):
    w, p = pipeline.world, pipeline.p_signed
    client.force_login(w.staff)
    assert upload(client, p).status_code == 302
    doc = Document.objects.get(project=p)
    assert (doc.name, doc.content_type, doc.size, doc.kind) == (
        "投资协议.pdf",
        "application/pdf",
        len(PDF),
        "agreement",
    )
    assert "投资协议" not in doc.file.name and doc.file.name.startswith(
        f"investment/{w.zone_a.pk}/"
    )
    html = client.get(url("project_detail", p.pk)).content.decode()
    assert url("document_download", doc.pk) in html and "投资协议.pdf" in html
    for user in (w.staff, w.leader, w.province, w.admin):
        client.force_login(user)
        response = client.get(url("document_download", doc.pk))
        assert response.status_code == 200, user.username
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert "filename*=utf-8''%E6%8A%95%E8%B5%84%E5%8D%8F%E8%AE%AE.pdf" in disposition
    client.force_login(w.enterprise)
    assert client.get(url("document_download", doc.pk)).status_code == 404
    client.force_login(w.leader)
    assert client.post(url("document_delete", doc.pk), {"reason": "x"}).status_code == 404
    client.force_login(w.staff)
    assert client.post(url("document_delete", doc.pk), {"reason": "版本过期"}).status_code == 302
    doc.refresh_from_db()
    assert doc.is_deleted
    assert client.get(url("document_download", doc.pk)).status_code == 404
    html = client.get(url("project_detail", p.pk)).content.decode()
    assert f'id="document-{doc.pk}"' not in html and "暂无材料" in html


def test_documents_of_other_zones_and_deleted_projects_are_not_served(client, pipeline):
    w = pipeline.world
    other = services.add_document(
        w.admin, pipeline.p_b, kind="other", upload=SimpleUploadedFile("b.pdf", PDF)
    )
    mine = services.add_document(
        w.admin, pipeline.p_lead, kind="other", upload=SimpleUploadedFile("a.pdf", PDF)
    )
    client.force_login(w.staff)
    assert client.get(url("document_download", other.pk)).status_code == 404
    assert client.get(url("document_download", mine.pk)).status_code == 200
    services.delete_project(w.admin, pipeline.p_lead, reason="重复")
    assert client.get(url("document_download", mine.pk)).status_code == 404


def plain_zip(*members: str) -> bytes:
    """A zip holding only `members` (default: a text file), as a .docx/.xlsx would not."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for member in members or ("readme.txt",):
            z.writestr(member, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind", "field", "message"),
    [
        (None, None, "agreement", "file", "请选择要上传的文件"),
        (
            "协议.docx",
            plain_zip(),
            "agreement",
            "file",
            "文件内容与扩展名 .docx 不符:压缩包中没有 [Content_Types].xml,不是有效的 Word 文档",
        ),
        (
            "台账.xlsx",
            plain_zip(),
            "agreement",
            "file",
            "文件内容与扩展名 .xlsx 不符:压缩包中没有 [Content_Types].xml,不是有效的 Excel 工作簿",
        ),
        (
            "协议.docx",
            plain_zip("[Content_Types].xml", "readme.txt"),
            "agreement",
            "file",
            "文件内容与扩展名 .docx 不符:压缩包中没有 word/document.xml,不是有效的 Word 文档",
        ),
        ("setup.exe", b"MZ\x90\x00", "agreement", "file", "不支持的文件类型「exe」"),
        (
            "协议.pdf",
            b"just some text, not a pdf",
            "agreement",
            "file",
            "文件内容与扩展名 .pdf 不符",
        ),
        ("空.pdf", b"", "agreement", "file", "文件是空的"),
        ("协议.pdf", PDF, "poem", "kind", "无效的材料类型「poem」"),
    ],
)
def test_refused_uploads_say_why_and_store_nothing(
    client, pipeline, name, content, kind, field, message
):
    client.force_login(pipeline.world.staff)
    response = upload(client, pipeline.p_signed, name=name, content=content, kind=kind)
    assert response.status_code == 422
    assert message in err(response.content.decode(), field)
    assert not Document.objects.exists()


def test_real_word_and_excel_files_are_accepted(client, pipeline):
    document, book = io.BytesIO(), io.BytesIO()
    docx.Document().save(document)
    openpyxl.Workbook().save(book)
    client.force_login(pipeline.world.staff)
    for name, content in (("协议.docx", document), ("台账.xlsx", book)):
        response = upload(client, pipeline.p_signed, name=name, content=content.getvalue())
        assert response.status_code == 302, err(response.content.decode(), "file")
    assert sorted(Document.objects.values_list("name", "content_type")) == [
        ("协议.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("台账.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]


def test_upload_over_the_size_limit_is_refused(client, pipeline, settings):
    settings.DOCUMENT_MAX_MB = 1
    client.force_login(pipeline.world.staff)
    response = upload(client, pipeline.p_signed, content=PDF + b"0" * (1024 * 1024))
    assert response.status_code == 422
    assert "超过上限 1 MB" in err(response.content.decode(), "file")
    assert not Document.objects.exists()


def test_upload_needs_the_change_permission(client, pipeline):
    w = pipeline.world
    for user, project in (
        (w.leader, pipeline.p_signed),
        (w.staff, pipeline.p_other),
        (w.enterprise, pipeline.p_ent),
    ):
        client.force_login(user)
        assert upload(client, project).status_code == 404
    assert not Document.objects.exists()


# --- create, edit, delete ---------------------------------------------------------------------


def project_form(**overrides):
    data = {
        "name": "新登记光电项目",
        "category": "industrial",
        "investor_name": "深圳光电集团",
        "planned_investment": "52000",
        "fixed_asset_investment": "40000",
        "foreign_investment_usd": "",
        "industry": "3974",
        "origin_country": "",
        "site": "高新大道以东",
        "stage": "negotiation",
        "on": "2019-05-06",
        "note": "以商招商引进",
    }
    data.update(overrides)
    return data


def test_staff_create_is_saved_in_their_department(client, pipeline):
    w = pipeline.world
    response, html = page(client, w.staff, "project_create")
    assert response.status_code == 200
    department = html.split('name="department"', 1)[1].split("</select>", 1)[0]
    assert "经济发展局" in department and "招商二局" not in department
    officers = html.split('name="officer"', 1)[1].split("</select>", 1)[0]
    assert "(staff)" in officers and "(zone_admin)" in officers and "(leader)" in officers
    assert "(enterprise)" not in officers and "(admin)" not in officers  # no zone role here
    chains = html.split('name="chain"', 1)[1].split("</select>", 1)[0]
    assert "新材料" in chains and "以商招商" not in chains
    response = client.post(
        url("project_create"),
        project_form(
            origin_province="440000",
            chain=pipeline.chain.pk,
            officer=w.staff.pk,
            department=w.dept_a.pk,
        ),
    )
    assert response.status_code == 302
    p = Project.objects.get(name="新登记光电项目")
    assert (p.zone, p.department, p.stage, p.negotiation_on, p.industry_id) == (
        w.zone_a,
        w.dept_a,
        "negotiation",
        D(2019, 5, 6),
        "3974",
    )
    assert (p.origin_province_id, p.officer, p.planned_investment) == (
        "440000",
        w.staff,
        Decimal("52000"),
    )
    assert p.events.get().note == "以商招商引进"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "这个字段是必填项"),
        ({"planned_investment": "-1"}, "planned_investment", "不能为负数"),
        ({"fixed_asset_investment": "60000"}, "fixed_asset_investment", "不能超过计划总投资"),
        ({"industry": "9999"}, "industry", "请选择 GB/T 4754-2017 中的行业"),
        (
            {"origin_province": "440000", "origin_country": "德国"},
            "origin_country",
            "填写省份或国家/地区其一",
        ),
        ({"stage": "started"}, "stage", "新项目只能登记为线索、考察、洽谈或签约阶段"),
        ({"on": "2099-01-01"}, "on", "晚于今天"),
        ({"on": "2019/02/31"}, "on", "请填写有效日期"),
        ({"land_mu": "abc"}, "land_mu", "输入一个数字"),
    ],
)
def test_refused_create_says_why_and_saves_nothing(client, pipeline, overrides, field, message):
    client.force_login(pipeline.world.staff)
    before = (Project.objects.count(), AuditRecord.objects.count())
    response = client.post(
        url("project_create"), project_form(department=pipeline.world.dept_a.pk, **overrides)
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert message in err(html, field)
    assert "深圳光电集团" in html  # the input is kept
    assert (Project.objects.count(), AuditRecord.objects.count()) == before


def test_staff_cannot_create_for_another_department_and_readers_cannot_create(client, pipeline):
    w = pipeline.world
    client.force_login(w.staff)
    response = client.post(url("project_create"), project_form(department=pipeline.dept_a2.pk))
    assert response.status_code == 422
    assert "只能选择本部门" in err(response.content.decode(), "department")
    officer_elsewhere = member("zone_staff", username="b_staff", zone=w.zone_b)
    response = client.post(
        url("project_create"), project_form(department=w.dept_a.pk, officer=officer_elsewhere.pk)
    )
    assert "请选择本园区的工作人员" in err(response.content.decode(), "officer")
    for user in (w.leader, w.enterprise, w.province):
        client.force_login(user)
        assert client.get(url("project_create")).status_code == 404
        assert client.post(url("project_create"), project_form()).status_code == 404
    assert not Project.objects.filter(name="新登记光电项目").exists()


def edit_form(project, **overrides):
    data = {
        "name": project.name,
        "category": project.category,
        "investor_name": project.investor_name,
        "planned_investment": str(project.planned_investment),
        "department": project.department_id or "",
        "industry": project.industry_id or "",
        "version": project.version,
    }
    data.update(overrides)
    return data


def test_edit_saves_and_a_stale_version_keeps_the_input(client, pipeline):
    w, p = pipeline.world, pipeline.p_lead
    response, html = page(client, w.staff, "project_edit", p.pk)
    assert response.status_code == 200
    assert 'name="planned_investment" value="20000"' in html and 'name="version" value="1"' in html
    response = client.post(url("project_edit", p.pk), edit_form(p, name="改名一", site="一号地块"))
    assert response.status_code == 302
    p.refresh_from_db()
    assert (p.name, p.site, p.version) == ("改名一", "一号地块", 2)
    response = client.post(url("project_edit", p.pk), edit_form(p, name="改名二", version=1))
    assert response.status_code == 409
    html = response.content.decode()
    assert "该记录已被他人修改(当前版本 2)" in html and 'value="改名二"' in html
    p.refresh_from_db()
    assert (p.name, p.version) == ("改名一", 2)


def test_edit_errors_stay_on_their_fields(client, pipeline):
    p = pipeline.p_signed
    client.force_login(pipeline.world.staff)
    before = state(p)
    response = client.post(
        url("project_edit", p.pk), edit_form(p, fixed_asset_investment="200000", expected_jobs="-3")
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "确保该值大于或等于0" in err(html, "expected_jobs")
    response = client.post(url("project_edit", p.pk), edit_form(p, fixed_asset_investment="200000"))
    assert "其中固定资产投资(200000 万元)不能超过计划总投资(150000 万元)" in err(
        response.content.decode(), "fixed_asset_investment"
    )
    response = client.post(url("project_edit", p.pk), edit_form(p, department=pipeline.dept_a2.pk))
    assert "只能选择本部门" in err(response.content.decode(), "department")
    assert state(p) == before


def test_staff_cannot_edit_another_departments_project(client, pipeline):
    w, p = pipeline.world, pipeline.p_other
    client.force_login(w.staff)
    before = state(p)
    assert client.get(url("project_edit", p.pk)).status_code == 404
    assert client.post(url("project_edit", p.pk), edit_form(p, name="篡改")).status_code == 404
    assert state(p) == before and p.name == "甲二局项目"
    client.force_login(w.leader)
    assert (
        client.post(
            url("project_edit", pipeline.p_lead.pk), edit_form(pipeline.p_lead, name="篡改")
        ).status_code
        == 404
    )
    pipeline.p_lead.refresh_from_db()
    assert pipeline.p_lead.name == "甲线索项目"


def test_delete_project_needs_a_reason_and_the_delete_permission(client, pipeline):
    w, p = pipeline.world, pipeline.p_lead
    client.force_login(w.staff)  # staff may change but not delete
    assert (
        client.post(url("project_delete", p.pk), {"reason": "重复", "version": 1}).status_code
        == 404
    )
    client.force_login(w.zone_admin)
    response = client.post(url("project_delete", p.pk), {"reason": "", "version": 1})
    assert response.status_code == 422 and "请填写删除理由" in response.content.decode()
    response = client.post(url("project_delete", p.pk), {"reason": "重复", "version": 0})
    assert response.status_code == 409
    p.refresh_from_db()
    assert not p.is_deleted
    response = client.post(url("project_delete", p.pk), {"reason": "重复登记", "version": 1})
    assert response.status_code == 302
    p.refresh_from_db()
    assert (p.is_deleted, p.deleted_reason) == (True, "重复登记")
    assert "甲线索项目" not in table_names(client.get(url("projects")).content.decode())


def test_hold_resume_and_drop_through_the_page(client, pipeline):
    w, p = pipeline.world, pipeline.p_signed
    client.force_login(w.staff)
    assert move(client, p, stage="on_hold", on="2019-05-01", note="资金链紧张").status_code == 302
    html = client.get(url("project_detail", p.pk)).content.decode()
    select = html.split('name="stage"', 1)[1].split("</select>", 1)[0]
    assert "恢复到「签约」" in select and "恢复到「开工」" in select
    assert "资金链紧张" in html.split('id="stage-timeline"', 1)[1]
    client.force_login(w.enterprise)  # the enterprise's own project, held: public status only
    services.update_project(w.admin, p, {"investor_enterprise": w.a1})
    html = client.get(url("project_detail", p.pk)).content.decode()
    assert 'id="project-stage">暂缓' in html and "资金链紧张" not in html
    progress = html.split('id="stage-progress"', 1)[1]
    assert progress.count("bg-primary-subtle") == 3 and "bg-primary text-white" in progress
    client.force_login(w.staff)
    assert move(client, p, stage="dropped", on="2019-06-01", note="投资方撤资").status_code == 302
    html = client.get(url("project_detail", p.pk)).content.decode()
    assert "该项目已不能再变更阶段" in html and 'id="stage-form"' not in html
    p.refresh_from_db()
    assert (p.stage, p.halted_from) == ("dropped", "signed")
