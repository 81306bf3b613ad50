"""A problem of an import names its column as the user knows it: the header of their own file, with the field's
label in their language when the two differ (issue 15: "named per row and column")."""

from __future__ import annotations

from flask_babel import force_locale

from supplychain.import_labels import column_title
from supplychain.importing import columns


def _header(cells: list[str]) -> columns.Header:
    found = columns.find_header([(1, cells), (2, ["x"] * len(cells))])
    assert found is not None
    return found[0]


def test_the_files_own_header_comes_first_with_the_label_in_the_readers_language(app):
    header = _header(["供应商名称", "统一社会信用代码", "省份", "Contact person"])
    with app.test_request_context(), force_locale("en"):
        assert column_title("credit_code", header) == "统一社会信用代码 (Credit code)"
        assert column_title("contact_name", header) == "Contact person (Contact)"
    with app.test_request_context(), force_locale("zh"):
        assert column_title("credit_code", header) == "统一社会信用代码 (信用代码)"
        assert column_title("province", header) == "省份"  # the header is the label: said once


def test_a_field_the_file_has_no_column_for_is_named_by_its_label(app):
    header = _header(["供应商名称", "统一社会信用代码"])
    with app.test_request_context(), force_locale("en"):
        assert column_title("province", header) == "Province"  # required where the credit code gives none
        assert column_title("org", None) == "Organisation"
        assert column_title("signatory", header) == "Signatory"  # an evidence field: the audit log's label
        assert column_title("", header) == ""  # the whole row or file
