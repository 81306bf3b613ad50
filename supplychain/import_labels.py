"""How an import names its columns to the user: the file's own header, and the field's label in the reader's
language ("统一社会信用代码 (Credit code)"), never the internal key alone."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from supplychain.audit_labels import field_label
from supplychain.importing.columns import Header

# The import's own fields; the others are named as the audit log names them (audit_labels.field_label).
_IMPORT_LABELS = {
    "name_zh": _l("Chinese legal name"), "province": _l("Province"), "contact_name": _l("Contact"),
    "contact_phone": _l("Phone"), "contact_email": _l("E-mail"), "status_since": _l("Status since"),
    "qualified_categories": _l("Qualified categories"), "org": _l("Organisation"), "supplier": _l("Supplier"),
    # Evidence files (importing.columns.EVIDENCE_FIELDS) whose fields the audit log does not name.
    "template": _l("Template version"), "signatory_title": _l("Signatory's title"), "scan": _l("Scan"),
    "session": _l("Training session"), "held_on": _l("Training date"), "names": _l("Attendee names"),
    "period": _l("Period"),
}
# A field whose name means something narrower in one kind of evidence file ("kind" of a pledge, "number" of a
# certificate); the vocabulary is the file's (importing.columns.VOCABULARIES), e.g. "pledges".
_VOCABULARY_LABELS = {
    "pledges": {"kind": _l("Pledge kind"), "org": _l("Signing organisation")},
    "certificates": {"cert_type": _l("Certificate type"), "number": _l("Certificate number")},
    "training": {},
    "evaluations": {"total": _l("Total score")},
}


def field_title(name: str, vocabulary: str = "") -> str:
    """A field of an import file in words, in the reader's language."""
    label = _VOCABULARY_LABELS.get(vocabulary, {}).get(name) or _IMPORT_LABELS.get(name)
    return str(label) if label is not None else field_label(name)


def column_title(field: str, header: Header | None, vocabulary: str = "") -> str:
    """The column of a problem as its user knows it: the file's header over that column with the field's label
    when they differ, else the label alone; "" for a problem of the whole row or file."""
    if not field:
        return ""
    label = field_title(field, vocabulary)
    own = header.label_of(field) if header is not None else None
    if not own or own.strip().casefold() == label.casefold():
        return label
    return f"{own} ({label})"


def problem_text(problem, header: Header | None, vocabulary: str = "") -> str:
    """A problem of an import (importer.RowError) on one line, as the command line prints it:
    "line 3: 统一社会信用代码 (Credit code): message", the column named as in `column_title`."""
    column = column_title(problem.field, header, vocabulary)
    where = f"line {problem.line}: " if problem.line is not None else ""
    return f"{where}{column + ': ' if column else ''}{problem.message}"


def field_titles(names: list[str], vocabulary: str) -> LazyString:
    """Fields of an import file in words, joined, in the language of whoever reads them (Chinese labels by 、)."""

    def joined() -> str:
        titles = [field_title(name, vocabulary) for name in names]
        return (", " if all(title.isascii() for title in titles) else "、").join(titles)

    return LazyString(joined)
