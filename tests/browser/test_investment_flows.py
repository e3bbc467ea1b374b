"""An investment officer walks a project from lead to production and watches the cockpit."""

from gaoxin.core.models import AuditRecord
from gaoxin.investment.models import Project
from tests.factories import PASSWORD
from tests.support.browser import log_in

NAME = "浏览器测试年产 10 万吨锂电池材料项目"


def figure(page, key) -> int:
    return int(page.inner_text(f"#figure-{key}"))


STAGES = {
    "考察": "visit",
    "洽谈": "negotiation",
    "签约": "signed",
    "开工": "started",
    "投产": "production",
}


def move(page, stage_label, note=""):
    page.select_option("#id_stage", value=STAGES[stage_label])
    if note:
        page.fill("#id_note", note)
    page.click("#stage-submit")
    page.wait_for_load_state()


def test_a_project_from_lead_to_production_moves_the_cockpit(page, world):
    log_in(page, "staff", PASSWORD)
    page.goto(page.base_url + "/investment/")
    before = {k: figure(page, k) for k in ("signed", "started", "production")}

    # Register a lead.
    page.goto(page.base_url + "/investment/projects/new/")
    page.fill("#id_name", NAME)
    page.fill("#id_investor_name", "深圳某新能源科技有限公司")
    page.fill("#id_planned_investment", "150000")
    page.click("#save")
    page.wait_for_url("**/investment/projects/*/")
    assert page.inner_text("#project-name") == NAME
    assert "线索" in page.inner_text("#project-stage")

    # Forward, one stage after another (all dated today).
    for label in ("考察", "洽谈", "签约"):
        move(page, label)
        assert label in page.inner_text("#project-stage")

    # A move back without a reason is refused on the page and changes nothing.
    move(page, "考察")
    assert "退回到「考察」必须说明原因" in page.inner_text("#err-note")
    assert Project.objects.get(name=NAME).stage == "signed"

    for label in ("开工", "投产"):
        move(page, label)
        assert label in page.inner_text("#project-stage")
    timeline = page.inner_text("#stage-timeline")
    for label in ("线索", "考察", "洽谈", "签约", "开工", "投产"):
        assert label in timeline
    project = Project.objects.get(name=NAME)
    assert (project.stage, project.version) == ("production", 6)
    assert AuditRecord.objects.for_object(project).filter(action="stage").count() == 5

    # The cockpit counts it, and its number leads to it.
    page.goto(page.base_url + "/investment/")
    after = {k: figure(page, k) for k in ("signed", "started", "production")}
    assert after == {k: v + 1 for k, v in before.items()}
    page.click("#figure-production")
    page.wait_for_load_state()
    assert NAME in page.inner_text("body")


def test_enterprise_users_have_no_cockpit(page, world):
    log_in(page, "enterprise", PASSWORD)
    response = page.goto(page.base_url + "/investment/")
    assert response.status == 404
