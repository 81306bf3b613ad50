"""Files chosen on a form that was refused for another reason, kept for the next try (issue 13, D17).

A browser never re-fills a file input, so a questionnaire refused for one missing answer used to lose
every file the supplier had chosen. The accepted-looking files (PDF, PNG or JPEG by content, within
the size limit) are put aside under ``<UPLOAD_FOLDER>/stash/`` with a random token that the
re-rendered form carries; nothing enters the database until the whole form is right. A token only
opens a file put aside for the same supplier; stashed files older than a day are removed.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path

from supplychain.services.core import attachments

#: How long a put-aside file waits for the next try.
MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _folder(store: attachments.Store) -> Path:
    return Path(store.folder) / "stash"


def put_aside(store: attachments.Store, supplier_id: int, upload: attachments.Upload) -> str | None:
    """Keep an acceptable upload for the next try; returns its token (None for a file the store refuses)."""
    _clean, problems = attachments.check_upload(upload, store.max_bytes)
    if problems:
        return None
    folder = _folder(store)
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    token = secrets.token_hex(16)
    (folder / f"{supplier_id}-{token}.bin").write_bytes(upload.data)
    (folder / f"{supplier_id}-{token}.json").write_text(json.dumps({"name": upload.filename}), "utf-8")
    return token


def take_back(store: attachments.Store, supplier_id: int, token: str | None) -> attachments.Upload | None:
    """The upload put aside under a token for this supplier (None when unknown, expired or another's)."""
    if not token or not _TOKEN.match(token):
        return None
    folder = _folder(store)
    data_file = folder / f"{int(supplier_id)}-{token}.bin"
    meta_file = folder / f"{int(supplier_id)}-{token}.json"
    if not data_file.is_file() or not meta_file.is_file():
        return None
    if time.time() - data_file.stat().st_mtime > MAX_AGE_SECONDS:
        return None
    name = json.loads(meta_file.read_text("utf-8")).get("name") or "file"
    return attachments.Upload(name, data_file.read_bytes())


def name_of(store: attachments.Store, supplier_id: int, token: str) -> str | None:
    """The original name of a put-aside file (for the form to say it is kept)."""
    upload = take_back(store, supplier_id, token)
    return upload.filename if upload else None


def _sweep(folder: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in folder.glob("*-*.*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue
