"""Accounts and roles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin, VersionedMixin

ROLES = ("admin", "procurement", "reviewer", "auditor", "supplier")
STAFF_ROLES = ("admin", "procurement", "reviewer", "auditor")


class User(VersionedMixin, TimestampMixin, Base):
    """A person who logs in: staff of the buying company, or a supplier's portal user."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), index=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    # Staff belong to one organisation; the role applies there and in its descendants.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    # Bumped on deactivation or password change: a session cookie carries it, so old sessions stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    supplier = relationship("Supplier", foreign_keys=[supplier_id])
    organisation = relationship("Organisation", foreign_keys=[organisation_id], lazy="joined")

    # Flask-Login protocol, kept here so the model needs no Flask import.
    @property
    def is_active(self) -> bool:
        """Deactivated users cannot log in and lose their sessions."""
        return bool(self.active)

    @property
    def is_authenticated(self) -> bool:
        """Every loaded user is authenticated (anonymous users are a different class)."""
        return True

    @property
    def is_anonymous(self) -> bool:
        """Loaded users are never anonymous."""
        return False

    def get_id(self) -> str:
        """Session identifier: id and session version."""
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: str) -> bool:
        """Whether the user's role is one of the given roles."""
        return self.role in roles

    @property
    def is_staff(self) -> bool:
        """Staff of the buying company (not a supplier)."""
        return self.role in STAFF_ROLES

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
