"""How an import names its columns to the user: the file's own header, and the field's label in the reader's
language ("统一社会信用代码 (Credit code)"), never the internal key alone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from supplychain.audit_labels import field_label
from supplychain.importing.columns import Header

# The import's own fields; the others are named as the audit log names them (audit_labels.field_label).
_IMPORT_LABELS = {
    "name_zh": _l("Chinese legal name"), "province": _l("Province"), "contact_name": _l("Contact"),
    "contact_phone": _l("Phone"), "contact_email": _l("E-mail"), "status_since": _l("Status since"),
    "qualified_categories": _l("Qualified categories"), "org": _l("Organisation"), "supplier": _l("Supplier"),
}


def field_title(name: str) -> str:
    """A field of an import file in words, in the reader's language."""
    label = _IMPORT_LABELS.get(name)
    return str(label) if label is not None else field_label(name)


def column_title(field: str, header: Header | None) -> str:
    """The column of a problem as its user knows it: the file's header over that column with the field's label
    when they differ, else the label alone; "" for a problem of the whole row or file."""
    if not field:
        return ""
    label = field_title(field)
    own = header.label_of(field) if header is not None else None
    if not own or own.strip().casefold() == label.casefold():
        return label
    return f"{own} ({label})"


def problem_text(problem, header: Header | None) -> str:
    """A problem of an import (importer.RowError) on one line, as the command line prints it:
    "line 3: 统一社会信用代码 (Credit code): message", the column named as in `column_title`."""
    column = column_title(problem.field, header)
    where = f"line {problem.line}: " if problem.line is not None else ""
    return f"{where}{column + ': ' if column else ''}{problem.message}"
