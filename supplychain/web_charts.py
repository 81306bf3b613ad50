"""Charts for web pages: the SVG of reports.charts made fit for the app's Content-Security-Policy.

Pure (text in, text out) and below the services, so the dashboard and the disclosure page both use it
without importing each other.
"""

from __future__ import annotations

import html
import re

_STYLE = re.compile(r'\sstyle="([^"]*)"')
_ROOT_SIZE = re.compile(r'<svg ([^>]*?)width="[\d.]+" height="[\d.]+"')


def web_svg(svg: str, label: str = "") -> str:
    """SVG from reports.charts.to_svg made fit for a page under the app's CSP: inline ``style``
    attributes (blocked by ``style-src 'self'``) become SVG presentation attributes, which CSP
    does not govern, and the root scales to its container."""

    def presentation(match: re.Match) -> str:
        attributes = []
        for declaration in match.group(1).split(";"):
            name, _, value = declaration.partition(":")
            name, value = name.strip(), value.strip()
            if name and value:
                attributes.append(f'{name}="{html.escape(value, quote=True)}"')
        return (" " + " ".join(attributes)) if attributes else ""

    svg = _STYLE.sub(presentation, svg)
    svg = _ROOT_SIZE.sub(r'<svg \1width="100%" class="chart"', svg, count=1)
    if label:
        svg = svg.replace("<svg ", f'<svg aria-label="{html.escape(label, quote=True)}" ', 1)
    return svg
