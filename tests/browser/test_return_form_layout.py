"""The return form at 1366 px (a common office screen): a long figure is shown whole in its box,
and the previous-period and same-period columns stay readable (one line, nothing cut)."""

from decimal import Decimal

from gaoxin.statistics import services
from gaoxin.statistics.models import Finding
from tests.factories import PASSWORD
from tests.support.browser import log_in

# A very large enterprise's figures (a 万亿元 revenue: 9 whole digits of 万元), as last year's and
# last month's accepted returns.
BIG = {
    "output_value": "123456789.3",
    "revenue": "98765432.8",
    "profit": "1234567.1",
    "industrial_tax": "987654.4",
    "industrial_electricity": "8765432.5",
    "employees": "123456",
    "rd_spending": "876543.9",
    "exports": "7654321.7",
    "fixed_asset_investment": "654321.6",
}
LONG = "123456789012345.1234"  # 15 whole digits and 4 decimals: the longest figure stored
SEPARATED = "-123,456,789,012,345.1234"  # the same with a minus and thousands separators


def accepted(world, period, factor):
    data = {k: Decimal(v) * Decimal(factor) for k, v in BIG.items()}
    ret = services.return_for(world.admin, world.a1, period, create=True)
    ret = services.save_draft(world.admin, ret, data=data, version=ret.version)
    ret = services.submit(world.admin, ret, version=ret.version)
    for finding in Finding.objects.filter(ret=ret, severity="warning"):
        services.close_finding(world.admin, finding)
    services.accept(world.admin, ret, version=ret.version)


def overflowing(page, selector) -> list[str]:
    """The elements matching `selector` whose content is wider than their box (cut or scrolled)."""
    return page.eval_on_selector_all(
        selector,
        "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.id || e.textContent)",
    )


def wrapped(page, selector) -> list[str]:
    """The cells matching `selector` whose text runs over more than one line."""
    return page.eval_on_selector_all(
        selector,
        """els => els.filter(e => {
            const r = document.createRange(); r.selectNodeContents(e);
            const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
            return tops.size > 1;
        }).map(e => e.textContent.trim())""",
    )


def test_long_figures_are_shown_whole_at_1366_px(page, world):
    world.a1.above_scale = True
    world.a1.save()
    accepted(world, 201812, "0.9")
    accepted(world, 201911, "1")
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, "enterprise", PASSWORD)
    page.goto(page.base_url + "/statistics/my/2019-12/")
    for code, value in BIG.items():
        page.fill(f"#id_v_{code}", str(Decimal(value) * Decimal("1.05")))
    page.fill("#id_v_output_value", LONG)
    page.fill("#id_v_revenue", SEPARATED)
    page.fill("#id_v_profit", LONG + "9" * 25)  # too long to store: shown whole, refused
    # Nothing is cut by a maxlength, and each box shows its whole value.
    assert page.input_value("#id_v_output_value") == LONG
    assert page.input_value("#id_v_profit") == LONG + "9" * 25
    assert overflowing(page, "#return-table input.gx-value:not(#id_v_profit)") == []
    # Last period and last year are readable: one line each, nothing cut, no sideways scrolling.
    assert overflowing(page, "#return-table td.gx-prev, #return-table td.gx-last-year") == []
    assert wrapped(page, "#return-table td.gx-prev, #return-table td.gx-last-year") == []
    assert overflowing(page, ".table-responsive") == []


def test_growth_is_computed_from_figures_typed_with_wan_and_yi(page, world):
    world.a1.above_scale = True
    world.a1.save()
    accepted(world, 201812, "0.9")  # employees 111,110.4; output 111,111,110.37 万元
    log_in(page, "enterprise", PASSWORD)
    page.goto(page.base_url + "/statistics/my/2019-12/")
    page.fill("#id_v_employees", "12.5万")  # 125,000 people: +12.5%
    assert page.inner_text("#row-employees .gx-yoy") == "+12.5%"
    page.fill("#id_v_output_value", "１.２亿")  # 12,000 万元
    assert page.inner_text("#row-output_value .gx-yoy") == "-100.0%"
    page.fill("#id_v_output_value", "1e5")  # refused by the server: no growth shown
    assert page.inner_text("#row-output_value .gx-yoy") == "—"
