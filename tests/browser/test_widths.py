"""Phones and projectors: the workbench, the cockpits and the inbox at 390 px (a phone) and
1920×1080 (a projector) scroll only downwards, and no table column is squeezed to a few
characters. Each page's screenshot is kept in test-results/widths/ for a person to look at."""

import pytest
from django.urls import reverse

from tests.browser.conftest import RESULTS
from tests.factories import PASSWORD
from tests.support.browser import log_in

PAGES = {
    "staff": (
        "home",
        "statistics:cockpit",
        "investment:cockpit",
        "matters:cockpit",
        "matters:inbox",
    ),
    "enterprise": ("home", "statistics:my", "matters:inbox"),
}
WIDTHS = ((390, 844), (1920, 1080))
NARROWEST_COLUMN = 24  # px: about two Chinese characters

# Whether the page scrolls sideways, and the visible table cells narrower than the limit.
MEASURE = """(limit) => {
  const doc = document.documentElement;
  const squeezed = [];
  for (const cell of document.querySelectorAll("table th, table td")) {
    const box = cell.getBoundingClientRect();
    if (box.width === 0 || !cell.textContent.trim()) continue;
    if (cell.closest(".table-responsive") === null && box.width < limit) {
      squeezed.push(cell.textContent.trim().slice(0, 20) + " " + Math.round(box.width) + "px");
    }
  }
  return {overflow: doc.scrollWidth - doc.clientWidth, squeezed: squeezed};
}"""


@pytest.mark.parametrize("username", sorted(PAGES))
def test_pages_fit_phones_and_projectors(page, world, username):
    log_in(page, username, PASSWORD)
    folder = RESULTS / "widths"
    folder.mkdir(parents=True, exist_ok=True)
    problems = []
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        for name in PAGES[username]:
            response = page.goto(page.base_url + reverse(name))
            assert response.status == 200, name
            page.wait_for_load_state("networkidle")
            found = page.evaluate(MEASURE, NARROWEST_COLUMN)
            page.screenshot(path=str(folder / f"{username}-{name.replace(':', '-')}-{width}.png"))
            if found["overflow"] > 1:
                problems.append(f"{name} at {width}px scrolls sideways by {found['overflow']}px")
            if found["squeezed"]:
                problems.append(f"{name} at {width}px squeezes {found['squeezed'][:5]}")
    assert not problems, "\n".join(problems)
