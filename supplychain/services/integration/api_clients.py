"""API clients: platforms that call the API with a bearer token, limited by scopes and optionally an organisation.

The token is shown once; only its SHA-256 is stored (a random 256-bit token needs no slow hash).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from supplychain import scope
from supplychain.errors import ValidationFailed
from supplychain.models import API_SCOPES, ApiCall, ApiClient, Organisation, User
from supplychain.models.base import utcnow
from supplychain.services.core import audit

TOKEN_PREFIX = "sc_"
AUDITED_FIELDS = ("name", "scopes", "organisation_id", "rate_limit", "active")


@dataclass
class ClientData:
    """What an admin enters for an API client."""

    name: str = ""
    scopes: list[str] = field(default_factory=list)
    organisation_code: str = ""
    rate_limit: int | None = 600


def token_hash(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def _clean(session: Session, data: ClientData, existing: ApiClient | None) -> tuple[dict, dict]:
    errors: dict[str, list] = {}
    name = (data.name or "").strip()
    if not name:
        errors.setdefault("name", []).append(_l("Enter a name."))
    elif len(name) > 100:
        errors.setdefault("name", []).append(_l("At most 100 characters."))
    else:
        other = session.scalar(select(ApiClient).where(func.lower(ApiClient.name) == name.lower()))
        if other is not None and other is not existing:
            errors.setdefault("name", []).append(_l("Another API client has this name."))
    wanted = [s.strip() for s in data.scopes if s and s.strip()]
    unknown = sorted(set(wanted) - set(API_SCOPES))
    if unknown:
        errors.setdefault("scopes", []).append(_l("Unknown scope: %(value)s.", value=", ".join(unknown)))
    elif not wanted:
        errors.setdefault("scopes", []).append(_l("Choose at least one scope."))
    organisation_id = None
    code = (data.organisation_code or "").strip()
    if code:
        organisation = scope.organisation_by_code(session, code)
        if organisation is None or not scope.current(session).allows(organisation.id):
            errors.setdefault("organisation", []).append(_l("Unknown organisation code: %(code)s.", code=code))
        else:
            organisation_id = organisation.id
    if data.rate_limit is None or not 1 <= int(data.rate_limit) <= 100_000:
        errors.setdefault("rate_limit", []).append(_l("Enter a number of calls per minute from 1 to 100000."))
    values = {"name": name, "scopes": " ".join(s for s in API_SCOPES if s in set(wanted)),
              "organisation_id": organisation_id, "rate_limit": int(data.rate_limit or 0)}
    return values, errors


def create_client(session: Session, data: ClientData, actor: User | None) -> tuple[ApiClient, str]:
    """Create a client; returns it with its token, which is never shown again. Audited."""
    values, errors = _clean(session, data, None)
    if errors:
        raise ValidationFailed(errors)
    token = _new_token()
    client = ApiClient(**values, token_hash=token_hash(token), token_prefix=token[:10], active=True,
                       created_by_id=getattr(actor, "id", None))
    session.add(client)
    session.flush()
    audit.record(session, actor, "create", "api_client", client.id,
                 audit.diff({}, audit.snapshot(client, AUDITED_FIELDS)), note=client.name)
    return client, token


def update_client(session: Session, client: ApiClient, data: ClientData, actor: User | None) -> None:
    """Change a client's name, scopes, organisation or rate limit. Audited."""
    values, errors = _clean(session, data, client)
    if errors:
        raise ValidationFailed(errors)
    before = audit.snapshot(client, AUDITED_FIELDS)
    for key, value in values.items():
        setattr(client, key, value)
    session.flush()
    audit.record(session, actor, "update", "api_client", client.id,
                 audit.diff(before, audit.snapshot(client, AUDITED_FIELDS)), note=client.name)


def rotate(session: Session, client: ApiClient, actor: User | None) -> str:
    """Give the client a new token; the old one stops working at once. Audited."""
    token = _new_token()
    client.token_hash = token_hash(token)
    client.token_prefix = token[:10]
    client.rotated_at = utcnow()
    client.active = True
    client.revoked_at = None
    session.flush()
    audit.record(session, actor, "rotate", "api_client", client.id, {"token_prefix": [None, client.token_prefix]},
                 note=client.name)
    return token


def revoke(session: Session, client: ApiClient, actor: User | None) -> None:
    """Stop the client's token from working. Audited."""
    client.active = False
    client.revoked_at = utcnow()
    session.flush()
    audit.record(session, actor, "revoke", "api_client", client.id, {"active": [True, False]}, note=client.name)


def authenticate(session: Session, token: str) -> ApiClient | None:
    """The active client with this token, or None."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    client = session.scalar(scope.unscoped(select(ApiClient).where(ApiClient.token_hash == token_hash(token))))
    if client is None or not client.active:
        return None
    return client


def client_scope(session: Session, client: ApiClient) -> scope.Scope:
    """What the client sees: its organisation's subtree, or the whole group."""
    if client.organisation_id is None:
        return scope.EVERYTHING
    organisation = session.get(Organisation, client.organisation_id)
    return scope.for_organisation(session, organisation)


def record_call(session: Session, client_id: int | None, method: str, path: str, status: int,
                duration_ms: int) -> None:
    """Log one call (committed by the caller)."""
    session.add(ApiCall(client_id=client_id, method=method[:8], path=path[:300], status=status,
                        duration_ms=duration_ms))


def list_clients(session: Session) -> list[ApiClient]:
    """Every client, active first, by name."""
    return list(session.scalars(select(ApiClient).order_by(ApiClient.active.desc(), ApiClient.name)))


def get_client(session: Session, client_id: int) -> ApiClient | None:
    """One client."""
    return session.get(ApiClient, client_id)


def recent_calls(session: Session, client_id: int, limit: int = 50) -> list[ApiCall]:
    """The client's latest calls, newest first."""
    stmt = select(ApiCall).where(ApiCall.client_id == client_id).order_by(ApiCall.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def prune_calls(session: Session, before: datetime) -> int:
    """Delete call records older than a moment (keeps the log compact); returns how many."""
    return session.execute(delete(ApiCall).where(ApiCall.at < before)).rowcount or 0
