"""The one safe store for uploads: size limit, type by content, generated names, sha256, access rule."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from supplychain.models import Attachment, AttachmentBlob, User
from supplychain.text_safety import strip_controls

# (first bytes, content type, extension): the only files the store accepts. The name proves nothing.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
EXTENSIONS = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
# Recognised only to say clearly what a refused file is.
_PROGRAMS = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
_MARKUP = re.compile(rb"^\s*(<!doctype|<html|<\?xml|<svg|<script|<head|<body)", re.IGNORECASE)
_UNSAFE_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")
MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class Upload:
    """A file as received: the name the browser sent and its bytes (read up to the limit plus one byte)."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class CleanUpload:
    """A file that passed the checks, ready to store."""

    original_name: str
    content_type: str
    extension: str
    data: bytes
    sha256: str


BACKENDS = ("disk", "database")


@dataclass(frozen=True)
class Store:
    """Where files go and how large they may be.

    ``backend`` "disk" writes files into ``folder`` (one machine, or a shared file system);
    "database" keeps their bytes in the attachment_blobs table, so every app server behind one
    proxy serves every file (ATTACHMENT_STORAGE=database).
    """

    folder: Path
    max_bytes: int
    backend: str = "disk"

    @classmethod
    def from_settings(cls, settings: Mapping, instance_path: str | os.PathLike) -> Store:
        """UPLOAD_FOLDER (default: instance/uploads), MAX_UPLOAD_MB and ATTACHMENT_STORAGE from the settings."""
        folder = settings.get("UPLOAD_FOLDER") or Path(instance_path) / "uploads"
        backend = (settings.get("ATTACHMENT_STORAGE") or "disk").strip().lower()
        if backend not in BACKENDS:
            raise ValueError(f"ATTACHMENT_STORAGE must be one of {', '.join(BACKENDS)}, not {backend!r}")
        return cls(Path(folder), int(settings.get("MAX_UPLOAD_MB") or 20) * 1024 * 1024, backend)


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) recognised from the first bytes, or None."""
    for magic, content_type, extension in SIGNATURES:
        if data.startswith(magic):
            return content_type, extension
    return None


def display_name(filename: str, extension: str) -> str:
    """The name to show: no path parts or control characters, Chinese kept, the extension of the content."""
    name = strip_controls(unicodedata.normalize("NFC", filename or ""))  # right-to-left overrides too
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE_NAME_CHARS.sub("", name).strip().lstrip(".").strip()
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    known = EXTENSIONS.get("." + suffix.lower())
    if known == EXTENSIONS[extension]:
        extension = "." + suffix  # keep the sender's spelling (.PDF, .jpeg)
    elif known is None:
        stem = name  # no extension or an unknown one ("v1.2"): append the right one
    # else: an extension contradicting the content is replaced
    stem = stem.strip() or "attachment"
    return stem[: MAX_NAME_LENGTH - len(extension)] + extension


def check_upload(upload: Upload | None, max_bytes: int) -> tuple[CleanUpload | None, list]:
    """Check size and content type; returns the clean upload or the messages explaining the refusal."""
    if upload is None:
        return None, []
    data = upload.data
    if not data:
        return None, [_l("The file is empty.")]
    if len(data) > max_bytes:
        return None, [_l("The file is larger than %(n)d MB.", n=max_bytes // (1024 * 1024))]
    found = sniff(data)
    if found is None:
        if data.startswith(_PROGRAMS):
            return None, [_l("This file is a program, not a document. Upload a PDF, PNG or JPEG file.")]
        if _MARKUP.match(data[:512]):
            return None, [_l("This file is a web page (HTML). Upload a PDF, PNG or JPEG file.")]
        return None, [_l("Only PDF, PNG and JPEG files are accepted, whatever the file name says.")]
    content_type, extension = found
    return CleanUpload(display_name(upload.filename, extension), content_type, extension, data,
                       hashlib.sha256(data).hexdigest()), []


def store(session: Session, clean: CleanUpload, store_settings: Store, supplier_id: int | None,
          actor: User | None) -> Attachment:
    """Write the file under a generated name (atomically, or into the database) and add its record to the session."""
    stored_name = secrets.token_hex(16) + clean.extension
    if store_settings.backend == "database":
        attachment = _record(session, clean, stored_name, supplier_id, actor)
        session.add(AttachmentBlob(attachment_id=attachment.id, data=clean.data))
        session.flush()
        return attachment
    folder = store_settings.folder
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(clean.data)
        os.chmod(temporary, 0o640)
        os.replace(temporary, folder / stored_name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return _record(session, clean, stored_name, supplier_id, actor)


def _record(session: Session, clean: CleanUpload, stored_name: str, supplier_id: int | None,
            actor: User | None) -> Attachment:
    attachment = Attachment(
        supplier_id=supplier_id, original_name=clean.original_name, stored_name=stored_name,
        content_type=clean.content_type, size=len(clean.data), sha256=clean.sha256,
        uploaded_by_id=getattr(actor, "id", None),
    )
    session.add(attachment)
    session.flush()
    return attachment


def read(session: Session, attachment: Attachment, store_settings: Store) -> bytes | None:
    """The file's bytes from whichever backend holds them (the database first), or None when missing.

    Both are read whatever ATTACHMENT_STORAGE says now, so switching the setting keeps old files.
    """
    blob = session.get(AttachmentBlob, attachment.id)
    if blob is not None:
        return blob.data
    path = path_of(attachment, store_settings)
    return path.read_bytes() if path is not None else None


def path_of(attachment: Attachment, store_settings: Store) -> Path | None:
    """The stored file, or None when it is missing (never a path outside the folder)."""
    if not re.fullmatch(r"[0-9a-f]{32}\.(pdf|png|jpg)", attachment.stored_name or ""):
        return None
    path = store_settings.folder / attachment.stored_name
    return path if path.is_file() else None


def can_view(user, attachment: Attachment) -> bool:
    """Staff see every file; a supplier's portal users see only their own supplier's files."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    own = attachment.supplier_id is not None and user.supplier_id == attachment.supplier_id
    return user.role == "supplier" and own


def describe(attachment: Attachment | None) -> str | None:
    """A short text for the audit log: name, size and digest."""
    if attachment is None:
        return None
    return f"{attachment.original_name} ({attachment.size} B, sha256 {attachment.sha256[:12]}…)"
