"""Find anything in a page that could run code the site did not serve as a file.

Used by the Content-Security-Policy and stored-XSS tests: a clean page has only external scripts, no
inline style or event handler, no script URLs and no embedded frames.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

DANGEROUS_TAGS = {"iframe", "frame", "object", "embed", "base", "applet"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"}
SCRIPT_URL = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


class _Audit(HTMLParser):
    def __init__(self, nonce: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.findings: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in DANGEROUS_TAGS:
            self.findings.append(f"<{tag}> element")
        if tag == "script" and "src" not in values and values.get("type") != "application/json":
            self.findings.append("inline <script>")
        if tag == "style" and (self.nonce is None or values.get("nonce") != self.nonce):
            self.findings.append("<style> element without the page's nonce")
        for name, value in values.items():
            if name.startswith("on"):
                self.findings.append(f"event handler {name}= on <{tag}>")
            elif name == "style":
                self.findings.append(f"style attribute on <{tag}>")
            elif name in URL_ATTRIBUTES and SCRIPT_URL.match(INVISIBLE.sub("", value)):
                self.findings.append(f"script URL in {name}= on <{tag}>: {value[:40]}")

    handle_startendtag = handle_starttag


def csp_nonce(content_security_policy: str) -> str | None:
    match = re.search(r"'nonce-([^']+)'", content_security_policy)
    return match[1] if match else None


def executable_content(html: str, *, nonce: str | None = None) -> list[str]:
    """What in the page could execute without being a same-origin file: empty when the page is clean."""
    audit = _Audit(nonce)
    audit.feed(html)
    audit.close()
    return audit.findings
