"""Accounts: creating, editing, deactivating and authenticating users."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from supplychain import password_policy, scope
from supplychain.errors import ValidationFailed
from supplychain.models import ROLES, STAFF_ROLES, Organisation, Supplier, User
from supplychain.models.base import utcnow
from supplychain.services.core import audit

MIN_PASSWORD_LENGTH = password_policy.MIN_LENGTH
_hasher = PasswordHasher()
# A hash to verify against when the e-mail is unknown, so timing does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
AUDITED_FIELDS = ("email", "name", "role", "supplier_id", "organisation_id", "active", "locale")


@dataclass
class UserData:
    """What an admin enters for an account."""

    email: str
    role: str
    name: str = ""
    supplier_id: int | None = None
    active: bool = True
    locale: str | None = None
    organisation_id: int | None = None


def hash_password(password: str) -> str:
    """Argon2id hash of a password."""
    return _hasher.hash(password)


def password_problems(password: str | None, email: str | None = None) -> list:
    """Why a password is refused under the password policy (empty list when acceptable)."""
    messages = {
        "short": _l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
        "long": _l("At most %(n)d characters.", n=password_policy.MAX_LENGTH),
        "guessable": _l("This password is too easy to guess."),
        "common": _l("This password is one of the most common passwords (also with digits or symbols added): "
                     "choose another."),
        "email": _l("The password must not contain the name of your e-mail address."),
    }
    return [messages[code] for code in password_policy.problems(password, email)]


def normalize_email(email: str) -> str:
    """Lower-cased, trimmed e-mail address."""
    return (email or "").strip().lower()


def find_by_email(session: Session, email: str) -> User | None:
    """The user with this e-mail address, if any."""
    return session.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))


def _check(session: Session, data: UserData, existing: User | None) -> dict[str, list]:
    errors: dict[str, list] = {}
    email = normalize_email(data.email)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        errors.setdefault("email", []).append(_l("Enter a valid e-mail address."))
    other = find_by_email(session, email)
    if other is not None and (existing is None or other.id != existing.id):
        errors.setdefault("email", []).append(_l("Another account already uses this e-mail address."))
    if data.role not in ROLES:
        errors.setdefault("role", []).append(_l("Choose one of the roles."))
    if data.role == "supplier":
        if not data.supplier_id or session.get(Supplier, data.supplier_id) is None:
            errors.setdefault("supplier_id", []).append(_l("A supplier user must belong to a supplier."))
    elif data.supplier_id:
        errors.setdefault("supplier_id", []).append(_l("Only supplier users belong to a supplier."))
    if data.role == "supplier":
        if data.organisation_id:
            errors.setdefault("organisation_id", []).append(_l("Supplier users belong to their supplier, "
                                                               "not to an organisation of the group."))
    elif data.role not in STAFF_ROLES:
        pass
    elif not data.organisation_id:
        errors.setdefault("organisation_id", []).append(_l("A staff user must belong to an organisation."))
    elif session.get(Organisation, data.organisation_id) is None or not scope.current(session).allows(
            data.organisation_id):
        errors.setdefault("organisation_id", []).append(_l("Choose an organisation within your own."))
    if len(data.name or "") > 100:
        errors.setdefault("name", []).append(_l("At most %(n)d characters.", n=100))
    return errors


def create_user(session: Session, data: UserData, password: str, actor: User | None) -> User:
    """Create an account; raises ValidationFailed with every problem at once."""
    errors = _check(session, data, None)
    if problems := password_problems(password, data.email):
        errors["password"] = problems
    if errors:
        raise ValidationFailed(errors)
    user = User(
        email=normalize_email(data.email), name=data.name or "", role=data.role,
        supplier_id=data.supplier_id if data.role == "supplier" else None, active=data.active,
        organisation_id=None if data.role == "supplier" else data.organisation_id,
        locale=data.locale, password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, "create", "user", user.id, audit.diff({}, audit.snapshot(user, AUDITED_FIELDS)),
                 supplier_id=user.supplier_id)
    return user


def update_user(session: Session, user: User, data: UserData, actor: User | None, password: str | None = None) -> User:
    """Edit an account; deactivating it or changing its password ends its sessions."""
    errors = _check(session, data, user)
    if password and (problems := password_problems(password, data.email)):
        errors["password"] = problems
    if actor is not None and actor.id == user.id and (not data.active or data.role != user.role):
        errors.setdefault("role", []).append(_l("You cannot deactivate yourself or change your own role."))
    if errors:
        raise ValidationFailed(errors)
    before = audit.snapshot(user, AUDITED_FIELDS)
    user.email = normalize_email(data.email)
    user.name = data.name or ""
    user.role = data.role
    user.supplier_id = data.supplier_id if data.role == "supplier" else None
    user.organisation_id = None if data.role == "supplier" else data.organisation_id
    user.locale = data.locale
    ends_sessions = (user.active and not data.active) or bool(password)
    user.active = data.active
    if password:
        user.password_hash = hash_password(password)
    if ends_sessions:
        user.session_version = (user.session_version or 1) + 1
    changes = audit.diff(before, audit.snapshot(user, AUDITED_FIELDS))
    if password:
        changes["password"] = ["***", "***"]
    if changes:
        audit.record(session, actor, "update", "user", user.id, changes, supplier_id=user.supplier_id)
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None; rehashes outdated hashes."""
    user = find_by_email(session, email)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    # A login is not an edit of the account: it must neither move the optimistic lock (an admin's open
    # form stays valid) nor fail when the same account logs in twice at once.
    now = utcnow()
    session.execute(update(User).where(User.id == user.id).values(last_login_at=now)
                    .execution_options(synchronize_session=False))
    set_committed_value(user, "last_login_at", now)
    return user


# A supplier that left the supply chain: its users may no longer use the portal.
LOCKED_SUPPLIER_STATUSES = ("exited", "blacklisted")


def portal_locked(user: User) -> bool:
    """Whether a supplier user's company has exited or is blacklisted (the portal is closed to it)."""
    return user.role == "supplier" and user.supplier is not None and user.supplier.status in LOCKED_SUPPLIER_STATUSES


@dataclass
class LoginOutcome:
    """The result of a login attempt: the user when it succeeded, else why not (`wrong` or `locked`)."""

    user: User | None
    refusal: str | None = None


def log_in(session: Session, email: str, password: str, address: str | None) -> LoginOutcome:
    """Check credentials and audit the attempt (success or failure, with the client address)."""
    user = authenticate(session, email, password)
    if user is not None and portal_locked(user):
        audit.record(session, user, "login_refused", "user", user.id, note=f"{address} supplier {user.supplier.status}")
        return LoginOutcome(None, "locked")
    if user is None:
        known = find_by_email(session, email)
        audit.record(session, None, "login_failed", "user", known.id if known else None,
                     {"email": [None, normalize_email(email)[:254]]}, note=address)
        return LoginOutcome(None, "wrong")
    audit.record(session, user, "login", "user", user.id, note=address)
    return LoginOutcome(user)


def end_sessions(session: Session, user: User, actor: User | None, action: str = "logout",
                 address: str | None = None) -> None:
    """End every session of the user, remember-me cookies included (their id carries the session version)."""
    user.session_version = (user.session_version or 1) + 1
    audit.record(session, actor, action, "user", user.id, note=address)


def change_own_password(session: Session, user: User, current: str, new: str, confirmation: str,
                        address: str | None = None) -> None:
    """A user changes their own password: the current one is required, the new one follows the policy.
    Every session of the account ends (other devices, remember-me cookies); the caller logs the current
    browser in again with the new session version."""
    errors: dict[str, list] = {}
    try:
        _hasher.verify(user.password_hash, current or "")
    except (VerificationError, InvalidHashError):
        errors["current"] = [_l("The current password is wrong.")]
    if problems := password_problems(new, user.email):
        errors["password"] = problems
    elif current and new == current:
        errors["password"] = [_l("Choose a password different from the current one.")]
    if (new or "") != (confirmation or ""):
        errors["confirm"] = [_l("The two passwords differ.")]
    if errors:
        raise ValidationFailed(errors)
    user.password_hash = hash_password(new)
    user.session_version = (user.session_version or 1) + 1
    audit.record(session, user, "update", "user", user.id, {"password": ["***", "***"]}, note=address)


def list_users(session: Session) -> list[User]:
    """Every account the acting scope may see (staff of its organisations, users of its suppliers), by e-mail."""
    return list(session.scalars(scope.users_in_scope(select(User), scope.current(session))
                                .order_by(User.role, User.email)))


def get_user(session: Session, user_id: int) -> User | None:
    """One account, if the acting scope may see it."""
    return session.scalar(scope.users_in_scope(select(User).where(User.id == user_id), scope.current(session)))
