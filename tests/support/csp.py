"""What a page holds that the Content-Security-Policy (script-src 'self') would refuse to run:
inline <script> (a json_script data block is not run), on* handler attributes, javascript: URLs
and htmx's evaluated attributes. The access matrix checks every page it renders with it, for
every role (tests/test_access_matrix.py); tests/core/test_headers.py checks the parser."""

import re
from html.parser import HTMLParser

# A page without any of these has no inline code; the parser reads only the pages that do.
SUSPECT = re.compile(r"<script|\son[a-z]|hx-on|javascript:|js:", re.IGNORECASE)


class InlineCode(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self.found.append(self.get_starttag_text())
        for name, value in attrs.items():
            if name.startswith("on") or name.startswith("hx-on"):
                self.found.append(f"<{tag} {name}=…>")
            if (value or "").strip().lower().startswith(("javascript:", "js:")):
                self.found.append(f"<{tag} {name}={value}>")


def inline_code(html: str) -> list[str]:
    if not SUSPECT.search(html):
        return []
    parser = InlineCode()
    parser.feed(html)
    return parser.found
