"""Backup and restore of the database and the attachments together (issue 14): `flask backup create|restore`.

An archive (tar.gz) holds:
  manifest.json   format, time, database kind, Alembic revision, row counts per table, sha256 per file
  database.dump   PostgreSQL: pg_dump's custom format (restored with pg_restore)
  database.sqlite3  SQLite: a copy made with SQLite's online backup API (consistent while the app runs)
  attachments/    the stored files the database refers to (under their generated names)

Consistency: the database is copied first, in one snapshot; attachment files are never changed or
deleted once stored, so every file the snapshot refers to is still there to copy afterwards.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import Engine, make_url

from supplychain.models import Attachment, Base

FORMAT = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


@dataclass
class Manifest:
    """What an archive holds, to check a restore against."""

    database: str
    created_at: str
    revision: str | None
    counts: dict[str, int]
    files: dict[str, str] = field(default_factory=dict)  # stored name → sha256
    format: int = FORMAT

    def to_json(self) -> bytes:
        """The manifest as UTF-8 JSON."""
        return json.dumps(self.__dict__, ensure_ascii=False, indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        """Read a manifest; refuses a format this version does not know."""
        values = json.loads(data)
        if values.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {values.get('format')!r}")
        return cls(**values)


def kind_of(url: str) -> str:
    """"postgresql" or "sqlite" (the only databases the app runs on)."""
    backend = make_url(url).get_backend_name()
    if backend not in ("postgresql", "sqlite"):
        raise BackupError(f"backups support PostgreSQL and SQLite, not {backend}")
    return backend


def sha256_of(path: Path) -> str:
    """The file's sha256, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def table_counts(engine: Engine) -> dict[str, int]:
    """Rows per table of the application (and the Alembic version table)."""
    present = set(inspect(engine).get_table_names())
    counts = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in present:
                counts[table.name] = conn.scalar(select(func.count()).select_from(table))
        if "alembic_version" in present:
            counts["alembic_version"] = conn.scalar(text("SELECT count(*) FROM alembic_version"))
    return counts


def _revision(engine: Engine) -> str | None:
    if "alembic_version" not in inspect(engine).get_table_names():
        return None
    with engine.connect() as conn:
        return conn.scalar(text("SELECT version_num FROM alembic_version"))


def _libpq(url: str) -> tuple[str, dict]:
    """A libpq connection string without the password, and the environment carrying it."""
    parsed = make_url(url).set(drivername="postgresql")
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    return parsed.set(password=None).render_as_string(hide_password=False), env


def _run(command: list[str], env: dict) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=3600)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} failed: {exc.stderr.decode(errors='replace').strip()}") from exc


def _copy_sqlite(source_url: str, target: Path) -> None:
    source = sqlite3.connect(make_url(source_url).database)
    destination = sqlite3.connect(target)
    try:
        with destination:
            source.backup(destination)  # the online backup API: a consistent copy while others write
    finally:
        destination.close()
        source.close()


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def create(url: str, upload_folder: Path, path: Path) -> Manifest:
    """Write an archive of the database at `url` and its attachment files to `path` (atomically)."""
    kind = kind_of(url)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="supplychain-backup-") as work:
        work = Path(work)
        if kind == "sqlite":
            dump = work / "database.sqlite3"
            _copy_sqlite(url, dump)
            snapshot = create_engine(f"sqlite:///{dump}")
        else:
            dump = work / "database.dump"
            conninfo, env = _libpq(url)
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}",
                  f"--dbname={conninfo}"], env)
            snapshot = create_engine(url)
        try:
            counts, revision = table_counts(snapshot), _revision(snapshot)
            with snapshot.connect() as conn:
                names = list(conn.scalars(select(Attachment.stored_name)))
        finally:
            snapshot.dispose()
        files = {}
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(dump, arcname=dump.name)
            for name in sorted(names):
                stored = Path(upload_folder) / name
                if stored.is_file():  # attachments kept in the database travel inside the dump
                    files[name] = sha256_of(stored)
                    archive.add(stored, arcname=f"attachments/{name}")
            manifest = Manifest(database=kind, created_at=datetime.now(UTC).isoformat(), revision=revision,
                                counts=counts, files=files)
            _add_bytes(archive, MANIFEST, manifest.to_json())
        os.replace(partial, path)
    return manifest


def read_manifest(path: Path) -> Manifest:
    """The manifest of an archive."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise BackupError("the archive has no manifest")
            return Manifest.from_json(member.read())
    except (OSError, EOFError, zlib.error, tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(f"not a backup archive (or a damaged one): {exc}") from exc


def _restore_sqlite(dump: Path, url: str) -> None:
    target = make_url(url).database
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(dump)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)  # replaces every page of the target, in one step
    finally:
        destination.close()
        source.close()


def _restore_postgresql(dump: Path, url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
    conninfo, env = _libpq(url)
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          f"--dbname={conninfo}", str(dump)], env)


def restore(path: Path, url: str, upload_folder: Path) -> Manifest:
    """Replace the database at `url` and put the archive's files into `upload_folder`; checks counts and hashes."""
    manifest = read_manifest(path)
    kind = kind_of(url)
    if manifest.database != kind:
        raise BackupError(f"this is a {manifest.database} backup; the target database is {kind}")
    with tempfile.TemporaryDirectory(prefix="supplychain-restore-") as work:
        work = Path(work)
        try:
            with tarfile.open(path, "r:gz") as archive:
                archive.extractall(work, filter="data")
        except (OSError, EOFError, zlib.error, tarfile.TarError) as exc:
            raise BackupError(f"the archive is damaged: {exc}") from exc
        for name, digest in manifest.files.items():
            if not (work / "attachments" / name).is_file() or sha256_of(work / "attachments" / name) != digest:
                raise BackupError(f"attachment {name} in the archive is damaged (sha256 differs)")
        if kind == "sqlite":
            _restore_sqlite(work / "database.sqlite3", url)
        else:
            _restore_postgresql(work / "database.dump", url)
        folder = Path(upload_folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name in manifest.files:
            shutil.copyfile(work / "attachments" / name, folder / name)
    engine = create_engine(url)
    try:
        counts = table_counts(engine)
    finally:
        engine.dispose()
    if counts != manifest.counts:
        differing = sorted(k for k in set(counts) | set(manifest.counts) if counts.get(k) != manifest.counts.get(k))
        raise BackupError(f"restored row counts differ from the backup in: {', '.join(differing)}")
    return manifest
