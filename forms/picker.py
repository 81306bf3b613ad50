"""The supplier picker's field attributes (static/js/supplier-picker.js reads them)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# An integer supplier field: the script puts a search box in front of it and writes the chosen number.
PICK_BY_ID = {"data-supplier-picker": "id",
              "data-picker-placeholder": _l("Find a supplier: name, pinyin, initials or credit code")}
