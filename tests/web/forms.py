"""Reading a page's form back as a browser would submit it (for tests that post what the page shows)."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, marker: str):
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.forms: list[dict[str, list[str]]] = []
        self._current: dict[str, list[str]] | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {}
            self.forms.append(self._current)
            return
        if self._current is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("file", "submit", "button"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._current.setdefault(name, []).append(attrs.get("value") or ("y" if attrs.get("type") == "checkbox"
                                                                             else ""))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self._current.setdefault(self._select, []).append(value)
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self._current.setdefault(self._select, []).append(self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # Browsers drop one line break right after <textarea> (WTForms writes one there).
            text = text[2:] if text.startswith("\r\n") else text[1:] if text.startswith("\n") else text
            self._current.setdefault(self._textarea, []).append(text)
            self._textarea = None
        elif tag == "form":
            self._current = None


def form_values(html: str, marker: str = "version_id") -> dict[str, list[str]]:
    """The values the first form with a field named `marker` would submit (name → list of values)."""
    reader = _FormReader(marker)
    reader.feed(html)
    for form in reader.forms:
        if marker in form:
            return form
    raise AssertionError(f"no form with a {marker} field on the page")
