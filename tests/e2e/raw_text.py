"""What a person reads on a page that is not in their language: an untranslated message or an internal key.

Browser tests call :func:`problems` on every page they visit. It reads the page's visible text (what is on
screen, not the HTML) and reports:

- in every language, internal keys: ``snake_case`` words (``labour_human_rights``), dotted codes
  (``B5.2.admission_reviewed``), ``msgid`` markers;
- in Chinese (simplified or traditional), English words that are not names, codes or abbreviations a Chinese
  page uses as they are (ESG, ISO, XLSX…): an English message left untranslated, or an English status key
  (``qualified``, ``submitted``);
- in English, Chinese characters other than the names the test itself wrote (suppliers, categories, people).
"""

from __future__ import annotations

import re

#: Latin words a Chinese page shows as they are: abbreviations, standards, file types, the language buttons.
CHINESE_PAGE_LATIN = frozenset({
    "ESG", "ISO", "XLSX", "CSV", "PDF", "Excel", "HKEX", "GRI", "USCC", "IATF", "OHSAS", "English", "API", "QR",
    "SAQ", "ID", "No", "OK", "CNY", "HKD", "USD", "KPI", "Tab", "Enter", "Esc", "Shift", "CAPA", "SA",
})
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
DOTTED_CODE = re.compile(r"\b[A-Za-z][A-Za-z0-9]*(?:\.[a-z][a-z0-9_]*){1,}\b")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+|\b[\w-]+\.(?:xlsx|csv|pdf)\b")


def visible_text(page) -> str:
    """The text on screen (innerText), without e-mail addresses, links and file names, and without what is marked
    as another language (the language buttons: 简体, 繁體, English, each with its own lang attribute)."""
    text, other = page.evaluate("""() => [document.body.innerText,
        [...document.querySelectorAll('body [lang]')].filter(el => el.lang !== document.documentElement.lang)
            .map(el => el.innerText)]""")
    for part in other:
        text = text.replace(part, " ")
    return EMAIL_OR_URL.sub(" ", text)


def problems(page, language: str, names: tuple[str, ...] = ()) -> list[str]:
    """What on this page is not in `language` ("zh", "zh_Hant", "en"); `names` are the test's own data."""
    text = visible_text(page)
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    found = [f"key {m}" for m in SNAKE_CASE.findall(text)]
    found += [f"code {m}" for m in DOTTED_CODE.findall(text) if not re.fullmatch(r"[A-Za-z]+\.(?:\d.*)?", m)]
    if language == "en":
        found += [f"Chinese {m}" for m in CJK.findall(text)]
    else:
        found += [f"English {w}" for w in LATIN_WORD.findall(text)
                  if w not in CHINESE_PAGE_LATIN and not w.isupper() and len(w) > 1]
    return sorted(set(found))
