"""JSON columns (audit changes, risk factors, payloads) are written and read through orjson (db.json_text):
what the app reads back is what it wrote, and what older versions wrote with the standard library still reads."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select, text

from supplychain.models import AuditEntry

AT = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def _entry(changes: dict) -> AuditEntry:
    return AuditEntry(at=AT, action="update", entity_type="supplier", entity_id=7, changes=changes)


def test_values_come_back_as_written_with_integer_keys_as_strings(session):
    changes = {"name_zh": [None, "重庆同力机械有限公司"], "score": [61.5, 72.25], 12: [None, True],
               "category_codes": [None, ["raw", "设备"]], "note": "“引号” \\ and \"quotes\"\n"}
    entry = _entry(changes)
    session.add(entry)
    session.commit()
    session.expire_all()
    stored = session.get(AuditEntry, entry.id).changes
    # As the standard library gives it back: keys are strings in JSON.
    assert stored == json.loads(json.dumps(changes))
    assert stored["12"] == [None, True] and stored["name_zh"][1] == "重庆同力机械有限公司"


def test_rows_written_by_the_standard_library_still_read(session):
    """Databases written before orjson hold JSON with \\u escapes and spaces after separators."""
    legacy = {"city": ["重庆", "万州"], "contact_list": [None, ["王伟 13800000000"]]}
    session.execute(text("INSERT INTO audit_entries (at, action, entity_type, entity_id, changes) "
                         "VALUES (:at, 'update', 'supplier', 8, :changes)"),
                    {"at": AT, "changes": json.dumps(legacy)})
    session.commit()
    assert session.scalar(select(AuditEntry.changes).where(AuditEntry.entity_id == 8)) == legacy
