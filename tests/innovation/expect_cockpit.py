"""Access expectations of the innovation module's cockpit pages and operations (merged by access.py)."""

PAGES = {}
API = {}


def build(w):
    pass
