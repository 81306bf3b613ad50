"""Declarative base with a naming convention, so Alembic batch migrations on SQLite can name constraints."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, MetaData, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Timezone-aware now in UTC (stored as UTC everywhere)."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    """created_at / updated_at maintained by the ORM."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class VersionedMixin:
    """The optimistic lock of a record people edit (issue 14): ``version_id`` goes up on every UPDATE.

    SQLAlchemy adds ``WHERE version_id = <read value>`` to each UPDATE, so a row changed by someone
    else between read and write raises StaleDataError; forms carry the version they were opened at.
    """

    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:  # noqa: N805 - declarative directive
        return {"version_id_col": cls.version_id}


class SoftDeleteMixin:
    """An evidence record removed with a reason: hidden from lists and figures, kept for auditors.

    Every ORM SELECT leaves deleted rows out (see supplychain.db) unless it is executed with
    ``execution_options(include_deleted=True)``.
    """

    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    deletion_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def deleted(self) -> bool:
        """Removed (softly) by someone, with a reason."""
        return self.deleted_at is not None


def deleted_rows_index(table: str) -> Index:
    """The index of a soft-deleted table's removed rows (the trash lists them newest first). Only those rows
    are in it: every query of the others asks `deleted_at IS NULL`, which an index cannot narrow when nearly
    every row matches, and a row added alive writes no entry (migration 0034)."""
    removed = text("deleted_at IS NOT NULL")
    return Index(f"ix_{table}_deleted_at", "deleted_at", sqlite_where=removed, postgresql_where=removed)
