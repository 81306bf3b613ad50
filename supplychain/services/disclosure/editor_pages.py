"""What the disclosure editor's pages show (issue 12): each section's drafted narrative beside the editor's
text, the warnings where text and figures disagree, and the figures an entry may be entered for."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from supplychain.models.organisation import Organisation
from supplychain.services.disclosure import definitions, entries, narrative_texts, reporting_year


@dataclass
class NarrativeSection:
    """One section of one year: the drafted text, the editor's text per language, and the disagreements."""

    code: str
    title_zh: str
    title_en: str
    drafted: dict[str, str]  # zh|en → the text the product drafts from the figures
    edited: dict[str, str]  # zh|en → the editor's text, when entered
    disagreements: dict[str, set[str]] = field(default_factory=dict)  # zh|en → numbers not among the figures


def narrative_sheet(session: Session, year: Any, today: date, boundary: Organisation | None,
                    settings: definitions.Settings = definitions.DEFAULT_SETTINGS
                    ) -> tuple[reporting_year.Disclosure, list[NarrativeSection]]:
    """Every section of a year and boundary with its drafted and edited narratives; ValidationFailed for a bad year."""
    result = reporting_year.disclosure(session, year, today, boundary, settings)
    drafted = narrative_texts.narratives(dataclasses.replace(result, edited={}))
    disagreements: dict[str, dict[str, set[str]]] = {}
    for section, language, numbers in narrative_texts.narrative_disagreements(result):
        disagreements.setdefault(section, {})[language] = numbers
    sections = []
    for code, title_zh, title_en in definitions.SECTIONS:
        zh, en = drafted.get(code, ("", ""))
        edited = {language: text for (section, language), text in result.edited.items() if section == code}
        sections.append(NarrativeSection(code, title_zh, title_en, {"zh": zh, "en": en}, edited,
                                         disagreements.get(code, {})))
    return result, sections


def section_codes() -> list[str]:
    """The codes of the sections a narrative may be written for."""
    return [code for code, _zh, _en in definitions.SECTIONS]


def figure_choices(language: str) -> list[tuple[str, str]]:
    """The figures an editor may enter a value for, as (code, "B5.1 · label") choices in report order (the
    reference a report reader knows, never the internal key);
    `language` "zh", "zh_Hant" (labels in traditional Chinese) or "en"."""
    from supplychain.services.disclosure.formatting import chinese_text

    choices = []
    for spec in definitions.SPECS:
        label = spec.label_en if language == "en" else chinese_text(spec.label_zh, language == "zh_Hant")
        reference = definitions.figure_ref(spec.code)
        choices.append((spec.code, f"{reference} · {label}" if reference else label))
    return choices


def figure_entries(session: Session, boundary: Organisation | None) -> list:
    """The entered figures of a boundary with their spec, newest year first."""
    rows = entries.entries(session, entries.boundary_key(boundary))
    return [(row, definitions.SPEC_BY_CODE.get(row.code)) for row in rows]
