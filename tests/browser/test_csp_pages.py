"""The main pages under the Content-Security-Policy: they draw, and the browser refuses nothing.

The `page` fixture fails any browser test whose page reports a CSP violation; this walk visits
the pages with charts, pickers and confirmations as the platform admin.
"""

from django.urls import reverse
from playwright.sync_api import expect

from gaoxin.core.models import Tag
from gaoxin.enterprises.models import Enterprise
from tests.factories import PASSWORD
from tests.support.browser import log_in


def visit(page, url):
    response = page.goto(page.base_url + url)
    assert response.status == 200, url
    policy = dict(
        d.strip().split(" ", 1) for d in response.headers["content-security-policy"].split(";")
    )
    assert policy["script-src"] == "'self'", url
    return response


def assert_charts_drawn(page, at_least):
    charts = page.locator("[data-chart]")
    assert charts.count() >= at_least, page.url
    for i in range(charts.count()):
        expect(charts.nth(i).locator("canvas")).to_have_count(1)
    # A tooltip is HTML that ECharts writes on hover.
    charts.first.hover()


def test_the_main_pages_pass_the_policy_and_draw_their_charts(page, world):
    zone = world.zone_a
    # Both of zone A's enterprises owe a return, so the 催报 page lists them.
    Enterprise.objects.filter(zone=zone).update(above_scale=True)
    log_in(page, "admin", PASSWORD)

    # Home: the zone switcher submits itself on change (no inline onchange).
    visit(page, reverse("home"))
    page.select_option("#zone-switcher", str(zone.pk))
    expect(page.locator("#zone-title")).to_have_text(zone.name)
    assert_charts_drawn(page, 3)

    visit(page, reverse("enterprises:list"))
    visit(page, reverse("enterprises:detail", args=[world.a1.pk]))
    expect(page.locator("body")).to_contain_text(world.a1.name)

    visit(page, reverse("investment:cockpit"))
    assert_charts_drawn(page, 4)
    # The period chooser keeps one kind of period: a custom date clears the typed period.
    page.fill("#period-form [name=period]", "2020Q1")
    page.dispatch_event("#period-form [name=start]", "change")
    expect(page.locator("#period-form [name=period]")).to_have_value("")

    visit(page, reverse("statistics:cockpit") + "?period=2020-05")
    assert_charts_drawn(page, 4)
    visit(page, reverse("matters:cockpit"))
    assert_charts_drawn(page, 3)

    # Missing returns: "select all" ticks every enterprise's box.
    visit(page, reverse("statistics:missing") + "?period=2020-05")
    boxes = page.locator("input[name=enterprise]")
    assert boxes.count() == 2
    page.check("#select-all")
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))

    # A confirmation answered "no" submits nothing.
    tag = world.tag_a
    visit(page, reverse("tags"))
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator(f"form[action='{reverse('tag_delete', args=[tag.pk])}'] button").click()
    assert asked == ["删除后,相关企业将不再带有该标签。确定删除?"]

    visit(page, reverse("audit"))
    expect(page.locator("table")).not_to_have_count(0)

    # Swagger UI reads its settings from json_script and loads only from /api/v1/docs/assets/.
    visit(page, "/api/v1/docs")
    expect(page.locator("#swagger-ui .opblock").first).to_be_visible()
    assert Tag.objects.filter(pk=tag.pk).exists()
