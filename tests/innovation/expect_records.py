"""Access expectations of the innovation module's records pages and operations (merged by access.py)."""

PAGES = {}
API = {}


def build(w):
    pass
