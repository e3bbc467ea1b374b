"""The issue's closed loop in Chromium on a controlled clock: an enterprise user raises a help
request; it reaches the right department's inbox; it turns yellow, then red as its due date
passes; the daily job escalates it to the zone leader; the officer resolves it; the enterprise
rates it. Every step is audited, and nobody outside its scope sees it."""

import datetime
import zoneinfo

import time_machine

from gaoxin.core.models import AuditRecord
from gaoxin.matters import catalogue, notify
from gaoxin.matters.models import Category, Kind, Matter
from tests.factories import PASSWORD, member
from tests.support.browser import log_in

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, tzinfo=SHANGHAI)


def sign_in(page, username):
    page.context.clear_cookies()
    log_in(page, username, PASSWORD)


def light_in_inbox(page, title) -> str:
    page.goto(page.base_url + "/matters/inbox/")
    return page.locator("tr.inbox-row", has_text=title).get_attribute("data-light")


def test_help_request_closed_loop(page, world):
    catalogue.ensure_categories(world.zone_a)
    funding = Category.objects.get(zone=world.zone_a, kind=Kind.HELP, code="funding")
    funding.department, funding.service_days = world.dept_a, 5
    funding.save()
    outsider = member("enterprise_user", username="a2user", zone=world.zone_a, enterprise=world.a2)
    title = "流动资金周转困难"

    with time_machine.travel(at(2), tick=True) as clock:  # Monday 2 November 2026
        # The enterprise raises the request in the browser.
        sign_in(page, "enterprise")
        page.goto(page.base_url + "/matters/new/")
        page.select_option("#id_category", str(funding.pk))
        page.fill("#id_title", title)
        page.fill("#id_description", "订单回款慢,需要对接银行流动资金贷款 500 万元")
        page.click("#matter-submit")
        page.wait_for_selector("#matter-title")
        matter = Matter.objects.get(title=title)
        assert matter.enterprise == world.a1 and matter.department == world.dept_a
        assert matter.due_on == datetime.date(2026, 11, 9)  # five working days
        assert page.locator("#matter-light .matter-light").get_attribute("data-light") == "green"

        # It reaches the economic bureau's inbox (staff of dept_a), green.
        sign_in(page, "staff")
        assert light_in_inbox(page, title) == "green"

        # Friday: due soon, yellow; the daily job reminds the owners once.
        clock.move_to(at(6))
        assert notify.run_daily()["due_soon"] == 1
        sign_in(page, "staff")
        assert light_in_inbox(page, title) == "yellow"

        # The next Tuesday: overdue, red.
        clock.move_to(at(10))
        assert notify.run_daily()["overdue"] == 1
        sign_in(page, "staff")
        assert light_in_inbox(page, title) == "red"

        # Red for three days: escalated to the zone's leader, whose inbox has it.
        clock.move_to(at(12))
        assert notify.run_daily()["escalated"] == 1
        sign_in(page, "leader")
        assert light_in_inbox(page, title) == "red"
        page.locator("tr.inbox-row", has_text=title).locator("a").first.click()
        page.wait_for_selector("#matter-escalated")

        # The officer resolves it on the detail page.
        sign_in(page, "staff")
        page.goto(page.base_url + f"/matters/{matter.pk}/")
        page.click("#status-resolved summary")
        page.fill("#id_text_resolved", "已对接九江银行,流动资金贷款 500 万元已获批")
        page.click("#status-submit-resolved")
        page.wait_for_selector('#matter-status[data-status="resolved"]')

        # The enterprise rates it; rating closes it.
        sign_in(page, "enterprise")
        page.goto(page.base_url + f"/matters/{matter.pk}/")
        page.check('#rate-form input[name="rating"][value="5"]')
        page.fill("#rate-form textarea, #rate-form input[name='comment']", "响应及时,问题已解决")
        page.click("#rate-submit")
        page.wait_for_selector('#matter-status[data-status="closed"]')
        assert "响应及时" in page.locator("#matter-rating").inner_text()

        # Another enterprise of the zone does not see it.
        sign_in(page, outsider.username)
        response = page.goto(page.base_url + f"/matters/{matter.pk}/")
        assert response.status == 404
        page.goto(page.base_url + "/matters/list/")
        assert title not in page.content()

    matter.refresh_from_db()
    assert matter.status == "closed" and matter.rating == 5 and matter.escalated_at
    steps = list(
        AuditRecord.objects.for_object(matter).order_by("id").values_list("actor_name", "action")
    )
    assert steps == [
        ("enterprise", "create"),
        ("system", "status"),  # escalated by the daily job
        ("staff", "status"),  # resolved
        ("enterprise", "status"),  # rated and closed
    ]
