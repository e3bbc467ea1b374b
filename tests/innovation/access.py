"""The innovation module's URLs and API operations × every role (tests/test_access_matrix.py runs
them). Each concept keeps its expectations in its own file (expect_*.py); this one merges them."""

from tests.innovation import expect_assessment, expect_cockpit, expect_records

PARTS = (expect_records, expect_assessment, expect_cockpit)
PAGES = {key: check for part in PARTS for key, check in part.PAGES.items()}
API = {key: check for part in PARTS for key, check in part.API.items()}


def build(w):
    for part in PARTS:
        part.build(w)
