"""`flask backup create PATH` / `flask backup restore PATH`: the database and the attachments together."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

group = AppGroup("backup", help="Backups of the database and the attachments, and restoring them.")


def _upload_folder() -> Path:
    from supplychain.services.core import attachments

    return attachments.Store.from_settings(current_app.config, current_app.instance_path).folder


@group.command("create")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def create(path: Path):
    """Write a backup archive (tar.gz) of the database and every attachment to PATH."""
    from supplychain.services.core import backup

    try:
        manifest = backup.create(current_app.config["SQLALCHEMY_URL"], _upload_folder(), path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    rows = sum(count for table, count in manifest.counts.items() if table != "alembic_version")
    click.echo(f"{path}: {manifest.database}, revision {manifest.revision}, {rows} rows, "
               f"{len(manifest.files)} attachment files")


@group.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask: replace the current database without confirmation.")
def restore(path: Path, yes: bool):
    """Replace the database with the backup at PATH and put its attachment files back; checks counts and hashes."""
    from supplychain import db
    from supplychain.services.core import backup

    try:
        manifest = backup.read_manifest(path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    if not yes:
        click.confirm(f"Replace the database with the backup of {manifest.created_at}? Current data is lost",
                      abort=True)
    db.session.remove()
    current_app.extensions["sqlalchemy_engine"].dispose()  # no pooled connection may hold a lock
    try:
        backup.restore(path, current_app.config["SQLALCHEMY_URL"], _upload_folder())
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"restored {path}: revision {manifest.revision}, row counts and {len(manifest.files)} "
               "attachment hashes checked")
