"""The utilities module's URLs and API operations × every role and the power partner
(tests/test_access_matrix.py runs them). Each part keeps its expectations in its own file
(expect_*.py); this one merges them."""

from tests.utilities import expect_api, expect_pages

PARTS = (expect_pages, expect_api)
PAGES = {key: check for part in PARTS for key, check in part.PAGES.items()}
API = {key: check for part in PARTS for key, check in part.API.items()}


def build(w):
    for part in PARTS:
        part.build(w)
