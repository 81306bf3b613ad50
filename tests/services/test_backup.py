"""Backup and restore (issue 14): a round trip keeps every row and every attachment byte, on both databases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, select, text

from supplychain.models import Attachment, Certification, Supplier
from supplychain.services.core import attachments, backup
from supplychain.services.evidence import certifications
from tests import factories

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40


def _store(app) -> attachments.Store:
    return attachments.Store.from_settings(app.config, app.instance_path)


def _dataset(app, session) -> list[Attachment]:
    """Suppliers, a user, certificates with scans (one a Chinese file name), committed."""
    factories.gen_user(session, "admin")
    stored = []
    for n in range(3):
        supplier = factories.gen_supplier(session)
        data = certifications.CertificateData(cert_type="iso9001", number=f"Q{n:06d}", issuer="中国质量认证中心",
                                              issued_on=date(2024, 1, 1), expires_on=date(2027, 1, 1))
        cert = certifications.save_certificate(session, supplier, data,
                                               attachments.Upload(f"证书{n}.pdf", PDF + bytes([n])), _store(app),
                                               None, date(2025, 1, 1))
        stored.append(cert.attachment)
    session.commit()
    return stored


def _files(folder: Path, names) -> dict[str, str]:
    return {name: backup.sha256_of(folder / name) for name in names}


def test_round_trip_into_an_empty_database_keeps_counts_and_file_hashes(app, session, database_url,
                                                                        scratch_database, tmp_path):
    scans = _dataset(app, session)
    names = [a.stored_name for a in scans]
    source_counts = backup.table_counts(app.extensions["sqlalchemy_engine"])
    archive = tmp_path / "nightly.tar.gz"

    manifest = backup.create(database_url, _store(app).folder, archive)
    assert manifest.counts == source_counts and manifest.counts["certifications"] == 3
    assert manifest.files == _files(_store(app).folder, names)

    url = scratch_database
    restored_folder = tmp_path / "restored-uploads"
    backup.restore(archive, url, restored_folder)
    engine = create_engine(url)
    assert backup.table_counts(engine) == source_counts
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == manifest.revision
        assert sorted(conn.scalars(select(Supplier.name_zh))) == sorted(
            session.scalars(select(Supplier.name_zh)))
    engine.dispose()
    assert _files(restored_folder, names) == manifest.files


def test_cli_backup_then_restore_brings_back_deleted_rows_and_files(app, session, tmp_path):
    scans = _dataset(app, session)
    folder = _store(app).folder
    before = backup.table_counts(app.extensions["sqlalchemy_engine"])
    hashes = _files(folder, [a.stored_name for a in scans])
    archive = tmp_path / "backup.tar.gz"
    runner = app.test_cli_runner()

    created = runner.invoke(args=["backup", "create", str(archive)])
    assert created.exit_code == 0, created.output
    assert "3 attachment files" in created.output

    # Disaster: certificates gone, a scan gone.
    session.execute(delete(Certification))
    session.commit()
    (folder / scans[0].stored_name).unlink()

    restored = runner.invoke(args=["backup", "restore", str(archive), "--yes"])
    assert restored.exit_code == 0, restored.output
    session.remove()
    assert backup.table_counts(app.extensions["sqlalchemy_engine"]) == before
    assert _files(folder, hashes) == hashes


def test_a_damaged_archive_is_refused_before_anything_is_replaced(app, session, database_url, tmp_path):
    _dataset(app, session)
    archive = tmp_path / "backup.tar.gz"
    backup.create(database_url, _store(app).folder, archive)
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(archive.read_bytes()[: len(archive.read_bytes()) // 2])
    with pytest.raises(backup.BackupError):
        backup.restore(damaged, database_url, tmp_path / "uploads")
    assert session.scalar(select(Certification.id).limit(1)) is not None
