"""An enterprise user fills the monthly return and sees growth computed as they type; the live
check answers; they submit; an officer accepts it from the returns list."""

from decimal import Decimal

from gaoxin.statistics import services
from gaoxin.statistics.models import Finding, Return, ReturnValue
from tests.factories import PASSWORD
from tests.support.browser import log_in

FIGURES = {
    "output_value": "1000",
    "revenue": "1100",
    "profit": "50",
    "industrial_tax": "30",
    "industrial_electricity": "80",
    "employees": "120",
    "rd_spending": "20",
    "exports": "100",
    "fixed_asset_investment": "10",
}


def accepted(world, period, factor):
    data = {k: Decimal(v) * Decimal(factor) for k, v in FIGURES.items()}
    ret = services.return_for(world.admin, world.a1, period, create=True)
    ret = services.save_draft(world.admin, ret, data=data, version=ret.version)
    ret = services.submit(world.admin, ret, version=ret.version)
    for finding in Finding.objects.filter(ret=ret, severity="warning"):
        services.close_finding(world.admin, finding)
    services.accept(world.admin, ret, version=ret.version)


def test_an_enterprise_fills_and_submits_and_an_officer_accepts(page, world):
    world.a1.above_scale = True
    world.a1.save()
    accepted(world, 201812, "0.9")  # output value last year: 900
    accepted(world, 201911, "1")  # last month (cumulative): 1000

    log_in(page, "enterprise", PASSWORD)
    page.goto(page.base_url + "/statistics/my/")
    page.fill("#id_other_period", "2019-12")
    page.click("#other-period-go")
    page.wait_for_url("**/statistics/my/2019-12/")
    row = page.locator("#row-output_value")
    assert row.locator(".gx-yoy").inner_text() == "—"

    # Growth as one types: 1089 / 900 − 1 = +21.0%; month 89 (1089 − 1000).
    page.fill("#id_v_output_value", "1089")
    assert row.locator(".gx-yoy").inner_text() == "+21.0%"
    assert row.locator(".gx-month").inner_text() == "89"
    page.fill("#id_v_output_value", "1,080")
    assert row.locator(".gx-yoy").inner_text() == "+20.0%"
    page.fill("#id_v_employees", "132")  # a point-in-time figure: 环比 against last month
    assert page.locator("#row-employees .gx-mom").inner_text() == "+10.0%"

    # A negative figure: the live check flags an error (writes nothing).
    page.fill("#id_v_revenue", "-5")
    page.wait_for_selector('#check-results .problem[data-rule="range-revenue"]')
    assert not Return.objects.filter(enterprise=world.a1, period=201912).exists()

    for code, value in FIGURES.items():
        if code not in ("output_value", "employees"):
            page.fill(f"#id_v_{code}", str(Decimal(value) * Decimal("1.1")))
    page.wait_for_selector('#check-results:not(:has(.problem[data-severity="error"]))')
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#submit-return")
    page.wait_for_load_state()
    assert "已报送" in page.inner_text("#return-status")
    ret = Return.objects.get(enterprise=world.a1, period=201912)
    assert (ret.status, ret.data["output_value"], ret.data["employees"]) == (
        "submitted",
        "1080",
        "132",
    )

    # The officer accepts it from the list.
    page.context.clear_cookies()
    log_in(page, "staff", PASSWORD)
    page.goto(page.base_url + "/statistics/returns/?period=2019-12")
    assert page.inner_text("#count-reported") == "1"
    page.click(f"#return-table a:has-text('{world.a1.name}')")
    page.wait_for_url(f"**/statistics/returns/{ret.pk}/")
    page.click("#accept")
    page.wait_for_load_state()
    assert "已审核通过" in page.inner_text("#return-status")
    ret.refresh_from_db()
    assert ret.status == "accepted"
    assert ReturnValue.objects.filter(ret=ret).count() == len(FIGURES)
